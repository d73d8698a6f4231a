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
//! Kept per CVE: the `known_affected` and `under_investigation` binary rpms of the products
//! an image's os-release names, each under the ecosystem `SUSE VEX:<product>` (the product
//! in OSV's spelling, keyed by binary, not source, rpm: SUSE names the binary packages):
//! - SLES (`SUSE Linux Enterprise Server 15 SP4`, CPE `cpe:/o:suse:sles:15:sp4`;
//!   `SUSE Linux Enterprise Server 16.0`, `cpe:/o:suse:sles:16:16.0:server`; 12 SPn alike)
//!   → `SUSE VEX:Linux Enterprise Server 15 SP4`;
//! - SLE Micro 5.x (`SUSE Linux Enterprise Micro 5.5`, `cpe:/o:suse:sle-micro:5.5`)
//!   → `SUSE VEX:Linux Enterprise Micro 5.5`;
//! - SUSE Linux Micro 6.x (`SUSE Linux Micro 6.1`, `cpe:/o:suse:sl-micro:6.1`)
//!   → `SUSE VEX:Linux Micro 6.1`;
//! - openSUSE Leap 15.x (`openSUSE Leap 15.4`, `cpe:/o:opensuse:leap:15.4`)
//!   → `SUSE VEX:openSUSE Leap 15.4`;
//! - openSUSE Tumbleweed (`openSUSE Tumbleweed`, `cpe:/o:opensuse:tumbleweed…`)
//!   → `SUSE VEX:openSUSE Tumbleweed`.
//!
//! The product names are SUSE's, as its CVRF advisories (same product database as the
//! CSAF files) spell them (`SUSE Linux Enterprise Micro 5.3:gnutls-…`,
//! `SUSE Linux Micro 6.0:docker-…`, `openSUSE Leap 15.1:strongswan-…`,
//! `openSUSE Tumbleweed:python3-logilab-common-…`); the CPEs are the
//! distributions' os-release `CPE_NAME`s. The LTSS streams (`…SP4-LTSS`,
//! `cpe:/o:suse:sles-ltss:15:sp4`) are left out, as the OSV matching leaves them out: their
//! fixes need a subscription an image cannot be assumed to have, and their statuses must
//! not apply to a plain SLES image. So are the products no image's os-release names: the
//! modules, SLES for SAP, `SUSE Linux Enterprise Micro for Rancher 5.4`, Leap Micro.
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
    ecosystem: suse_ecosystem,
    package: binary_rpm,
    no_fix: no_fix_status,
    rating: "SUSE",
    copy: "suse-vex.tar.bz2",
    scratch: "suse-vex.tar.bz2.part",
};

/// One SUSE VEX document's entries for the kept products; `None` for a document about no CVE.
pub(crate) fn parse_document(b: &[u8]) -> std::result::Result<Option<VexCve>, String> {
    super::csaf::parse_document(b, &SUSE)
}

/// The ecosystem of a product an image can be (see the module's comment):
/// `SUSE Linux Enterprise Server 15 SP4` (CPE `cpe:/o:suse:sles:…`) →
/// `SUSE VEX:Linux Enterprise Server 15 SP4`; `None` for LTSS, the modules, the
/// for-Rancher and for-SAP products and a CPE of another product.
fn suse_ecosystem(product: &str, cpe: Option<&str>) -> Option<String> {
    let cpe = cpe?;
    // `<major>.<minor>` of a fixed major (Micro 5.5, Linux Micro 6.1, Leap 15.4).
    let minor_of = |release: &str, major: &str| {
        release
            .strip_prefix(major)
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(digits)
    };
    let kept = if let Some(release) = product.strip_prefix("SUSE Linux Enterprise Server ") {
        cpe.starts_with("cpe:/o:suse:sles:") && sles_release(release)
    } else if let Some(release) = product.strip_prefix("SUSE Linux Enterprise Micro ") {
        cpe.starts_with("cpe:/o:suse:sle-micro:") && minor_of(release, "5")
    } else if let Some(release) = product.strip_prefix("SUSE Linux Micro ") {
        cpe.starts_with("cpe:/o:suse:sl-micro:") && minor_of(release, "6")
    } else if let Some(release) = product.strip_prefix("openSUSE Leap ") {
        cpe.starts_with("cpe:/o:opensuse:leap:") && minor_of(release, "15")
    } else if product == "openSUSE Tumbleweed" {
        // Rolling: one product, whatever snapshot the image is (`…:tumbleweed:20230304`).
        cpe.starts_with("cpe:/o:opensuse:tumbleweed")
    } else {
        false
    };
    let osv_spelling = product.strip_prefix("SUSE ").unwrap_or(product);
    kept.then(|| format!("{SUSE_VEX_FAMILY}:{osv_spelling}"))
}

/// Whether a SLES release is `15`, `15 SP4` or `16.0`: nothing else (no `-LTSS`, no
/// `for SAP Applications 15 SP4`).
fn sles_release(release: &str) -> bool {
    let (major, rest) = match release.split_once(' ') {
        Some((m, sp)) => match sp.strip_prefix("SP") {
            Some(n) => (m, n),
            None => return false,
        },
        None => release.split_once('.').unwrap_or((release, "0")),
    };
    digits(major) && digits(rest)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
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
