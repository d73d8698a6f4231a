//! SUSE's CSAF VEX files: one per CVE (`csaf-vex/cve-2023-47627.json`), saying per product
//! and binary rpm whether it is fixed, affected, not affected or under investigation.
//! OSV's SUSE records come from SUSE's advisories and so only say "fixed in X"; the VEX
//! files are read for the unfixed components and why they have no fix (the shape is
//! CSAF 2.0's, read in `csaf.rs`).
//!
//! SUSE publishes them in the flat folder `ftp.suse.com/pub/projects/security/csaf-vex/`
//! and, beside them, all of them as `csaf-vex.tar.bz2` (members `csaf-vex/cve-*.json`);
//! drydock reads that archive from a mirror's `suse-vex/` or from where `--suse-vex` says,
//! streaming it from disk.
//!
//! Kept per CVE: the `known_affected` and `under_investigation` binary rpms of the SLES
//! products (product `SUSE Linux Enterprise Server 15 SP4`, CPE `cpe:/o:suse:sles:15:sp4`;
//! `SUSE Linux Enterprise Server 16.0`, `cpe:/o:suse:sles:16:16.0:server`), under the
//! ecosystem `SUSE VEX:Linux Enterprise Server 15 SP4` (the OSV spelling of the product,
//! keyed by binary, not source, rpm: SUSE names the binary packages). The LTSS streams
//! (`…SP4-LTSS`, `cpe:/o:suse:sles-ltss:15:sp4`) are left out, as the OSV matching leaves
//! them out: their fixes need a subscription an image cannot be assumed to have, and
//! their statuses must not apply to a plain SLES image. Other products (SLE Micro, Leap,
//! the modules, SLES for SAP) are left out too: the documents read here name only SLES,
//! so how SUSE names those in its VEX files is not known here.
//!
//! Statuses, as CSAF 2.0 defines the remediation categories (SUSE's documents seen use
//! `vendor_fix` and `no_fix_planned` "There is no fix planned for these products."):
//! `no_fix_planned` → `will_not_fix`; `none_available` → `affected`; `vendor_fix`,
//! `workaround`, `mitigation` leave a `known_affected` rpm `affected`; product status
//! `under_investigation` → `under_investigation`. The `impact` threat ("moderate") is
//! SUSE's rating.

use crate::error::{Error, Result};
use crate::fetch::Location;

use super::Reader;
use super::csaf::{Vendor, VexCve};

/// Ecosystem family of the entries (`SUSE VEX:Linux Enterprise Server 15 SP4`).
pub(crate) const SUSE_VEX_FAMILY: &str = "SUSE VEX";
/// The feed's name in `db status`.
pub(crate) const NAME: &str = "SUSE VEX";
/// The archive's name in SUSE's folder and in a mirror's `suse-vex/`.
const ARCHIVE: &str = "csaf-vex.tar.bz2";

/// How SUSE's documents are read (see the module's comment).
static SUSE: Vendor = Vendor {
    name: NAME,
    ecosystem: sles_ecosystem,
    package: binary_rpm,
    no_fix: no_fix_status,
    rating: "SUSE",
    copy: "suse-vex.tar.bz2",
    scratch: "suse-vex.tar.bz2.part",
};

/// One SUSE VEX document's SLES entries; `None` for a document about no CVE.
pub(crate) fn parse_document(b: &[u8]) -> std::result::Result<Option<VexCve>, String> {
    super::csaf::parse_document(b, &SUSE)
}

/// `SUSE Linux Enterprise Server 15 SP4` (CPE `cpe:/o:suse:sles:…`) →
/// `SUSE VEX:Linux Enterprise Server 15 SP4`; `None` for LTSS and other products.
fn sles_ecosystem(product: &str, cpe: Option<&str>) -> Option<String> {
    cpe?.strip_prefix("cpe:/o:suse:sles:")?;
    let release = product.strip_prefix("SUSE Linux Enterprise Server ")?;
    // `15`, `15 SP4`, `16.0`: nothing else (no `-LTSS`, no `for SAP Applications`).
    let (major, rest) = match release.split_once(' ') {
        Some((m, sp)) => (m, sp.strip_prefix("SP")?),
        None => match release.split_once('.') {
            Some((m, minor)) => (m, minor),
            None => (release, "0"),
        },
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let osv_spelling = product.strip_prefix("SUSE ")?;
    (digits(major) && digits(rest)).then(|| format!("{SUSE_VEX_FAMILY}:{osv_spelling}"))
}

/// The binary rpm a component names: its purl's name when the product tree gives one
/// (`pkg:rpm/suse/python311-aiohttp@?upstream=…`), else the reference itself; `None` for
/// a versioned (fixed) one.
fn binary_rpm(reference: &str, purl: Option<&str>) -> Option<String> {
    let name = match purl {
        Some(p) => {
            let rest = p.strip_prefix("pkg:rpm/suse/")?;
            let rest = rest.split_once('?').map_or(rest, |(n, _)| n);
            let (name, version) = rest.split_once('@').unwrap_or((rest, ""));
            if !version.is_empty() {
                return None;
            }
            name
        }
        None => reference,
    };
    let plain = name
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'+'));
    (!name.is_empty() && plain).then(|| name.to_owned())
}

/// The status a `known_affected` remediation gives, by CSAF 2.0's categories.
fn no_fix_status(category: &str, _details: Option<&str>) -> Option<&'static str> {
    match category {
        "no_fix_planned" => Some("will_not_fix"),
        "none_available" => Some("affected"),
        _ => None,
    }
}

/// Where the archive is: `at` itself when it names a `.tar.bz2` (or plain `.tar`), else
/// SUSE's `csaf-vex.tar.bz2` in that folder.
fn locate(at: &Location) -> Location {
    let d = at.display();
    if d.ends_with(".tar.bz2") || d.ends_with(".tar") {
        return at.clone();
    }
    at.join(&[ARCHIVE])
}

impl Reader<'_> {
    /// The mirror's `suse-vex/csaf-vex.tar.bz2`; skipped when the mirror has none.
    pub(super) fn suse_vex_mirror(&mut self, root: &Location) -> Result<()> {
        let loc = root.join(&["suse-vex", ARCHIVE]);
        match self.vex_mirror(&loc, &SUSE) {
            Ok(vex) => self.feeds.suse_vex = vex,
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// SUSE's folder (or an archive) at `at`, with the last-copy fallback.
    pub(super) fn suse_vex_published(&mut self, at: &str) {
        let loc = locate(&Location::parse(at));
        self.feeds.suse_vex = self.vex_published(at, &SUSE, |_| Ok(loc));
    }
}

#[cfg(test)]
#[path = "suse_vex_tests.rs"]
mod tests;
