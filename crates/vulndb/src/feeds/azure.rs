//! Azure Linux and CBL-Mariner advisories as Microsoft publishes them in OVAL 5, one file
//! per release (`azurelinux-3.0-oval.xml`, `cbl-mariner-2.0-oval.xml`, in
//! microsoft/AzureLinuxVulnerabilityData), read by [`super::oval`]. Each
//! `<definition class="vulnerability">` is one CVE of one package (the spec, i.e. source
//! rpm, name, as OSV's `Azure Linux:N` records key it): its criteria test the package's
//! `evr` "less than" the fixed version, or "less than or equal" the current one when
//! `<patchable>` is `false` (no fix yet), and sometimes "greater than" where the CVE
//! begins. `Not Applicable` definitions say the CVE does not (or no longer) apply and are
//! skipped. The release is not in the file's text (every definition's platform is just
//! `Azure Linux` / `CBL-Mariner`), so it is read from the file's name.

use std::io::BufRead;

use crate::error::Result;
use crate::fetch::Location;
use crate::osv::Event;

use super::oval;
use super::parse::bad;

pub(crate) const NAME: &str = "Azure Linux OVAL";

/// One CVE of one package in one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AzureDef {
    /// `3` (Azure Linux 3.0), `2` (CBL-Mariner 2.0).
    pub release: String,
    /// The definition's id, `oval:com.microsoft.azurelinux:def:47028`.
    pub id: String,
    pub cve: String,
    /// The spec (source rpm) name.
    pub package: String,
    pub title: Option<String>,
    /// As published, lowercase: `low`, `medium`, `high`, `critical`.
    pub severity: Option<String>,
    /// `advisory_date` as written (`2024-10-01T18:58:50Z`).
    pub date: Option<String>,
    /// The CVE's page the definition links.
    pub url: Option<String>,
    /// `Introduced` (`0`, or where a "greater than" test starts it) then `Fixed` or,
    /// with no fix yet, `LastAffected`.
    pub events: Vec<Event>,
}

/// The release of Microsoft's file `<name>-<N>.<minor>-oval.xml` (the last path segment
/// of `loc`): `3` for `azurelinux-3.0-oval.xml`.
pub(crate) fn release_of(loc: &Location) -> Result<String> {
    let shown = loc.display();
    let file = shown.rsplit(['/', '\\']).next().unwrap_or_default();
    let version = file
        .strip_suffix("-oval.xml")
        .and_then(|s| s.rsplit('-').next())
        .and_then(|v| v.split('.').next())
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()));
    version.map(str::to_owned).ok_or_else(|| {
        bad(
            NAME,
            loc,
            "no release in the file name (<name>-<N>.0-oval.xml)",
        )
    })
}

/// Reads one release's OVAL file into one entry per (definition, CVE, package).
pub(crate) fn parse_oval(input: impl BufRead, loc: &Location) -> Result<Vec<AzureDef>> {
    let release = release_of(loc)?;
    let doc = oval::read(input, NAME, loc)?;
    let mut out = Vec::new();
    for d in doc.defs.iter().filter(|d| d.class == "vulnerability") {
        if d.patchable
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("not applicable"))
        {
            continue;
        }
        let cves: Vec<_> = d.references.iter().filter(|r| r.0 == "CVE").collect();
        if cves.is_empty() {
            return Err(bad(NAME, loc, format!("{}: no CVE reference", d.id)));
        }
        // package -> (start, upper bound)
        let mut bounds: Vec<(String, Option<String>, Option<Event>)> = Vec::new();
        for t in &d.tests {
            let (name, checks) = doc.test(t, &d.id, NAME, loc)?;
            let i = match bounds.iter().position(|b| b.0 == name) {
                Some(i) => i,
                None => {
                    bounds.push((name.to_owned(), None, None));
                    bounds.len() - 1
                }
            };
            for (_, op, value) in checks.iter().filter(|c| c.0 == "evr") {
                match op.as_str() {
                    "less than" => bounds[i].2 = Some(Event::Fixed(value.clone())),
                    "less than or equal" => {
                        bounds[i].2 = Some(Event::LastAffected(value.clone()));
                    }
                    // OSV's `introduced` includes its version, "greater than" does not:
                    // the two differ only at that exact build, which Microsoft writes
                    // without a release (`0:1.19.0.cm2`), so no package is at it.
                    "greater than" | "greater than or equal" => bounds[i].1 = Some(value.clone()),
                    _ => {}
                }
            }
        }
        for (package, start, end) in bounds {
            // A definition that bounds nothing says nothing a matcher can use.
            let Some(end) = end else { continue };
            let events = vec![Event::Introduced(start.unwrap_or_else(|| "0".into())), end];
            for (_, cve, url) in &cves {
                out.push(AzureDef {
                    release: release.clone(),
                    id: d.id.clone(),
                    cve: cve.clone(),
                    package: package.clone(),
                    title: d.title.clone(),
                    severity: d.severity.as_deref().map(str::to_lowercase),
                    date: d.issued.clone(),
                    url: url.clone(),
                    events: events.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.release, &a.package, &a.cve, &a.id).cmp(&(&b.release, &b.package, &b.cve, &b.id))
    });
    Ok(out)
}

#[cfg(test)]
#[path = "azure_tests.rs"]
mod tests;
