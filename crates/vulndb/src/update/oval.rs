//! Advisories from vendors' OVAL files beside OSV's records of the same releases:
//! Microsoft's Azure Linux / CBL-Mariner files and Broadcom's Photon OS files. One
//! advisory per CVE (`AZURE-OVAL-CVE-2024-7264`, `PHOTON-OVAL-CVE-2023-2602`) holds each
//! release's packages the OVAL names for it, filed under OSV's ecosystem of the release
//! (`Azure Linux:3`, `Photon OS:5.0`) and keyed as OSV's records of it are (Azure Linux
//! by spec, i.e. source rpm; Photon OS by binary rpm), with the vendor's severity as the
//! vendor rating. The OVAL fills what OSV lacks (Microsoft's OSV export stopped being
//! updated; Photon's OSV records carry no rating); a (package, CVE) pair an OSV record of
//! that release already names is left to that record, so the two never report the same
//! finding twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;

use super::derive::alas_date;
use super::tracker::{delete_prefixed, osv_pairs};
use super::write::upsert;
use crate::error::Result;
use crate::feeds::{AzureDef, PhotonDef};
use crate::normalize::normalize_package;
use crate::osv::{Event, Parsed, ParsedAffected, Range, RangeKind};
use crate::schema::{AZURE_OVAL_PREFIX, PHOTON_OVAL_PREFIX};

/// One (CVE, package) of a vendor's OVAL file, in OSV's ecosystem of its release.
struct OvalPair<'a> {
    ecosystem: String,
    package: &'a str,
    cve: &'a str,
    events: Vec<Event>,
    title: Option<&'a str>,
    severity: Option<&'a str>,
    /// RFC 3339 (Microsoft writes it so; Photon's day is made midnight UTC).
    date: Option<String>,
    url: Option<&'a str>,
}

/// Replaces the `AZURE_OVAL_PREFIX` advisories with those of `defs`.
pub(super) fn rebuild_azure_oval(conn: &Connection, defs: &[AzureDef]) -> Result<()> {
    let pairs = defs.iter().map(|d| OvalPair {
        ecosystem: format!("Azure Linux:{}", d.release),
        package: &d.package,
        cve: &d.cve,
        events: d.events.clone(),
        title: d.title.as_deref(),
        severity: d.severity.as_deref(),
        date: d.date.clone(),
        url: d.url.as_deref(),
    });
    rebuild(conn, AZURE_OVAL_PREFIX, "Azure Linux", pairs)
}

/// Replaces the `PHOTON_OVAL_PREFIX` advisories with those of `defs`: each binary rpm
/// affected from the start up to the EVR its criterion names.
pub(super) fn rebuild_photon_oval(conn: &Connection, defs: &[PhotonDef]) -> Result<()> {
    let pairs = defs.iter().map(|d| OvalPair {
        ecosystem: format!("Photon OS:{}.0", d.release),
        package: &d.package,
        cve: &d.cve,
        events: vec![Event::Introduced("0".into()), Event::Fixed(d.fixed.clone())],
        title: d.title.as_deref(),
        severity: d.severity.as_deref(),
        date: d.date.as_deref().map(alas_date),
        url: d.url.as_deref(),
    });
    rebuild(conn, PHOTON_OVAL_PREFIX, "Photon OS", pairs)
}

/// Replaces the advisories whose ids start with `prefix` by one per CVE of `pairs`, leaving
/// out the pairs OSV's records of the ecosystem name; `source` names the vendor's severity.
fn rebuild<'a>(
    conn: &Connection,
    prefix: &str,
    source: &str,
    pairs: impl Iterator<Item = OvalPair<'a>>,
) -> Result<()> {
    delete_prefixed(conn, prefix)?;
    let mut covered: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    let mut by_cve: BTreeMap<&str, Vec<OvalPair>> = BTreeMap::new();
    for p in pairs {
        if !covered.contains_key(&p.ecosystem) {
            covered.insert(p.ecosystem.clone(), osv_pairs(conn, &p.ecosystem)?);
        }
        let package = normalize_package(&p.ecosystem, p.package).into_owned();
        if !covered[&p.ecosystem].contains(&(package, p.cve.to_owned())) {
            by_cve.entry(p.cve).or_default().push(p);
        }
    }
    for (cve, pairs) in by_cve {
        upsert(conn, &advisory(prefix, source, cve, &pairs))?;
    }
    Ok(())
}

/// The advisory of one CVE; its date and severity are the newest definition's.
fn advisory(prefix: &str, source: &str, cve: &str, pairs: &[OvalPair]) -> Parsed {
    let newest = pairs
        .iter()
        .max_by_key(|d| d.date.as_deref())
        .expect("a CVE with definitions");
    Parsed {
        id: format!("{prefix}{cve}"),
        modified: newest.date.clone().unwrap_or_default(),
        published: pairs.iter().filter_map(|d| d.date.clone()).min(),
        withdrawn: None,
        summary: newest.title.map(str::to_owned),
        severity: newest.severity.map(|s| (s.to_owned(), source.to_owned())),
        aliases: Vec::new(),
        related_cves: vec![cve.to_owned()],
        url: newest.url.map(str::to_owned),
        affected: pairs
            .iter()
            .map(|d| {
                let package = normalize_package(&d.ecosystem, d.package).into_owned();
                ParsedAffected {
                    name: (package != d.package).then(|| d.package.to_owned()),
                    ecosystem: d.ecosystem.clone(),
                    package,
                    ranges: vec![Range {
                        kind: RangeKind::Ecosystem,
                        events: d.events.clone(),
                    }],
                    versions: Vec::new(),
                    vendor_rating: d.severity.map(str::to_owned),
                    vendor_status: None,
                }
            })
            .collect(),
    }
}
