//! Photon OS advisories as VMware (now Broadcom) publishes them in OVAL 5, one gzip file
//! per release (`com.vmware.phsa-photon5.xml.gz`), read by [`super::oval`]. Each
//! `<definition class="patch">` is one PHSA advisory: its `<platform>` (`Photon 5`) gives
//! the release, its `<advisory>` the severity (Red Hat's words: Critical, Important, ...),
//! the issue date and the CVEs, and its PHSA `<reference>` the advisory's wiki page. The
//! packages are the binary rpms (`libcap`, `libcap-libs`), one per `<criterion>` whose
//! comment reads `<name> is earlier than <epoch:version-release>`: the copies of these
//! files seen publish no `rpminfo` tests, so the comments are all there is to read (the
//! `Photon OS 5 is installed` and `... is signed with VMware key` criteria say nothing a
//! name-and-version matcher uses).

use std::io::BufRead;

use crate::error::Result;
use crate::fetch::Location;

use super::oval;
use super::parse::bad;

pub(crate) const NAME: &str = "Photon OS OVAL";

/// What a package criterion's comment says between the name and the fixed EVR.
const EARLIER: &str = " is earlier than ";

/// One CVE of one binary package in one PHSA advisory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhotonDef {
    /// The major release: `5` for `<platform>Photon 5</platform>`.
    pub release: String,
    /// The definition's id, `oval:com.vmware.phsa:def:2026500001`.
    pub id: String,
    pub cve: String,
    /// The binary rpm name.
    pub package: String,
    /// As written in the comment, epoch included: `0:2.66-2.ph5`.
    pub fixed: String,
    pub title: Option<String>,
    /// As published, lowercase: `important`, `critical`.
    pub severity: Option<String>,
    /// `<issued date>` as written (`2023-06-07`).
    pub date: Option<String>,
    /// The PHSA reference's page.
    pub url: Option<String>,
}

/// The major release of a `<platform>` text: `Photon 5` (also `Photon OS 5.0`) -> `5`.
fn release_of(platform: &str) -> Option<String> {
    let rest = platform.trim().strip_prefix("Photon")?.trim_start();
    let rest = rest.strip_prefix("OS").unwrap_or(rest).trim();
    let major = rest.split('.').next()?;
    (!major.is_empty() && major.bytes().all(|b| b.is_ascii_digit())).then(|| major.to_owned())
}

/// The CVE id a reference's `ref_id` ends with: VMware writes `CVE:00001:CVE-2023-2602`.
fn reference_cve(ref_id: &str) -> Option<&str> {
    ref_id.find("CVE-").map(|i| &ref_id[i..])
}

/// Reads one release's OVAL file (plain XML; the caller inflates the published `.gz`)
/// into one entry per (definition, CVE, binary package). A patch definition without a
/// Photon platform, or whose package criterion does not read `<name> is earlier than
/// <evr>`, is an error naming the file; one that names no CVE is skipped (drydock
/// reports by CVE, so it says nothing to report).
pub(crate) fn parse_oval(input: impl BufRead, loc: &Location) -> Result<Vec<PhotonDef>> {
    let doc = oval::read(input, NAME, loc)?;
    let mut out = Vec::new();
    for d in doc.defs.iter().filter(|d| d.class == "patch") {
        let release = d
            .platforms
            .iter()
            .find_map(|p| release_of(p))
            .ok_or_else(|| bad(NAME, loc, format!("{}: no Photon platform", d.id)))?;
        let mut cves: Vec<String> = d.cves.clone();
        if cves.is_empty() {
            let refs = d.references.iter().filter(|r| r.0 == "CVE");
            cves.extend(refs.filter_map(|r| reference_cve(&r.1)).map(str::to_owned));
        }
        cves.sort();
        cves.dedup();
        let url = d
            .references
            .iter()
            .find(|r| r.0 == "PHSA")
            .and_then(|r| r.2.clone());
        let mut packages = Vec::new();
        for c in d.comments.iter().filter(|c| c.contains(EARLIER)) {
            let (name, evr) = c.split_once(EARLIER).unwrap_or_default();
            let (name, evr) = (name.trim(), evr.trim());
            if name.is_empty() || evr.is_empty() || name.contains(char::is_whitespace) {
                let e = format!(
                    "{}: criterion {c:?} is not `<package> is earlier than <evr>`",
                    d.id
                );
                return Err(bad(NAME, loc, e));
            }
            packages.push((name.to_owned(), evr.to_owned()));
        }
        packages.sort();
        packages.dedup();
        for cve in &cves {
            for (package, fixed) in &packages {
                out.push(PhotonDef {
                    release: release.clone(),
                    id: d.id.clone(),
                    cve: cve.clone(),
                    package: package.clone(),
                    fixed: fixed.clone(),
                    title: d.title.clone(),
                    severity: d.severity.as_deref().map(str::to_lowercase),
                    date: d.issued.clone(),
                    url: url.clone(),
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
#[path = "photon_tests.rs"]
mod tests;
