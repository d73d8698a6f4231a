//! Azure Linux / CBL-Mariner advisories from Microsoft's OVAL files: one advisory per CVE
//! (`AZURE-OVAL-CVE-2024-7264`) holding each release's packages the OVAL names for it,
//! filed under OSV's `Azure Linux:<N>` ecosystems and keyed, as those records are, by the
//! spec (source rpm) name. Microsoft's OSV export stopped being updated while its OVAL
//! files still are, so the OVAL fills what OSV lacks; a (package, CVE) pair an OSV record
//! of that release already names is left to that record, so the two never report the
//! same finding twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;

use super::tracker::{delete_prefixed, osv_pairs};
use super::write::upsert;
use crate::error::Result;
use crate::feeds::AzureDef;
use crate::normalize::normalize_package;
use crate::osv::{Parsed, ParsedAffected, Range, RangeKind};
use crate::schema::AZURE_OVAL_PREFIX;

/// Replaces the `AZURE_OVAL_PREFIX` advisories with those of `defs`.
pub(super) fn rebuild_azure_oval(conn: &Connection, defs: &[AzureDef]) -> Result<()> {
    delete_prefixed(conn, AZURE_OVAL_PREFIX)?;
    let mut covered: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    let mut by_cve: BTreeMap<&str, Vec<&AzureDef>> = BTreeMap::new();
    for d in defs {
        let eco = format!("Azure Linux:{}", d.release);
        if !covered.contains_key(&eco) {
            covered.insert(eco.clone(), osv_pairs(conn, &eco)?);
        }
        let package = normalize_package(&eco, &d.package).into_owned();
        if !covered[&eco].contains(&(package, d.cve.clone())) {
            by_cve.entry(&d.cve).or_default().push(d);
        }
    }
    for (cve, defs) in by_cve {
        upsert(conn, &advisory(cve, &defs))?;
    }
    Ok(())
}

/// The advisory of one CVE; its date and severity are the newest definition's.
fn advisory(cve: &str, defs: &[&AzureDef]) -> Parsed {
    let newest = defs
        .iter()
        .max_by_key(|d| d.date.as_deref())
        .expect("a CVE with definitions");
    Parsed {
        id: format!("{AZURE_OVAL_PREFIX}{cve}"),
        modified: newest.date.clone().unwrap_or_default(),
        published: defs.iter().filter_map(|d| d.date.clone()).min(),
        withdrawn: None,
        summary: newest.title.clone(),
        severity: newest
            .severity
            .clone()
            .map(|s| (s, "Azure Linux".to_owned())),
        aliases: Vec::new(),
        related_cves: vec![cve.to_owned()],
        url: newest.url.clone(),
        affected: defs
            .iter()
            .map(|d| {
                let ecosystem = format!("Azure Linux:{}", d.release);
                let package = normalize_package(&ecosystem, &d.package).into_owned();
                ParsedAffected {
                    name: (package != d.package).then(|| d.package.clone()),
                    ecosystem,
                    package,
                    ranges: vec![Range {
                        kind: RangeKind::Ecosystem,
                        events: d.events.clone(),
                    }],
                    versions: Vec::new(),
                    vendor_rating: d.severity.clone(),
                    vendor_status: None,
                }
            })
            .collect(),
    }
}
