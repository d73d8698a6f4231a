//! Red Hat's CSAF VEX files: one per CVE, saying for every product and component whether
//! it is fixed, affected, not affected or under investigation, and why an affected one has
//! no fix. OSV's Red Hat records come from Red Hat's advisories and so only say "fixed in
//! X"; the VEX files are read for what the advisories cannot say: unfixed components and
//! their reason (the format is documented in Red Hat's security-data-guidelines,
//! `docs/csaf-vex.md` and `docs/vex-beta-details.md`).
//!
//! Red Hat publishes them as a folder of `<year>/cve-<id>.json` files and, beside them, one
//! `tar.zst` archive of all of them, named in `archive_latest.txt`; drydock reads that
//! archive (from a mirror's `redhat-vex/` or from Red Hat), streaming each member, and
//! from Red Hat then only the documents changed since (`redhat_vex_changes.rs`).
//!
//! Kept per CVE: every `known_affected` or `under_investigation` component of a RHEL
//! product (CPE `cpe:/o:redhat:enterprise_linux:9`, `cpe:/a:redhat:enterprise_linux:9::appstream`,
//! `cpe:/a:redhat:rhel_eus:9.4`, ...). Unfixed components are named by their source rpm
//! (`pkg:rpm/redhat/openssl?arch=src`), so these entries are keyed by source package in
//! ecosystems of their own, `Red Hat VEX:<CPE product and version>`. Statuses map as Red
//! Hat documents its remediations: `no_fix_planned` "Will not fix" → `will_not_fix`, "Out
//! of support scope" → `end_of_life`; `none_available` "Affected" → `affected`, "Deferred"
//! (or "Fix deferred") → `fix_deferred`; product status `under_investigation` →
//! `under_investigation`. The `impact` threat is Red Hat's severity for the component.
//! Modular components (`rpmmod` purls) are left out: the package name alone would match
//! every stream of the module.

use crate::error::Result;
use crate::fetch::Location;

use super::Reader;
use super::csaf::{Vendor, VexCve};
use super::parse::bad;

/// The file in Red Hat's folder of VEX files (`security.access.redhat.com/data/csaf/v2/vex`)
/// naming the current archive.
pub(crate) const ARCHIVE_LATEST: &str = "archive_latest.txt";
/// Ecosystem family of the entries (`Red Hat VEX:enterprise_linux:9`).
pub(crate) const VEX_FAMILY: &str = "Red Hat VEX";

/// The feed's name in `db status`.
pub(crate) const NAME: &str = "Red Hat VEX";
const WHAT: &str = NAME;

/// How Red Hat's documents are read (see the module's comment).
pub(super) static RED_HAT: Vendor = Vendor {
    name: NAME,
    ecosystem: |_, cpe| cpe.and_then(rhel_ecosystem),
    package: |_, purl| purl.and_then(source_rpm),
    no_fix: no_fix_status,
    rating: "Red Hat",
    copy: "redhat-vex.tar.zst",
    scratch: "redhat-vex.tar.zst.part",
};

/// One Red Hat VEX document's RHEL entries; `None` for a document about no CVE.
pub(crate) fn parse_document(b: &[u8]) -> std::result::Result<Option<VexCve>, String> {
    super::csaf::parse_document(b, &RED_HAT)
}

/// The archive's name from `archive_latest.txt` (`csaf_vex_2025-06-01.tar.zst`): one
/// plain file name, nothing that could climb out of the folder.
pub(crate) fn archive_name(b: &[u8], loc: &Location) -> Result<String> {
    let name = std::str::from_utf8(b)
        .map_err(|e| bad(WHAT, loc, e))?
        .trim();
    let plain = !name.is_empty()
        && name.len() < 256
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !plain {
        return Err(bad(WHAT, loc, format!("not an archive name: {name:?}")));
    }
    Ok(name.to_owned())
}

/// The status a `known_affected` remediation gives, by Red Hat's documented `details`.
fn no_fix_status(category: &str, details: Option<&str>) -> Option<&'static str> {
    let details = details.unwrap_or_default().trim().to_ascii_lowercase();
    match category {
        "no_fix_planned" if details.starts_with("out of support scope") => Some("end_of_life"),
        "no_fix_planned" => Some("will_not_fix"),
        "none_available" if details.contains("deferred") => Some("fix_deferred"),
        "none_available" => Some("affected"),
        _ => None,
    }
}

/// `cpe:/o:redhat:enterprise_linux:9` → `Red Hat VEX:enterprise_linux:9`; EUS streams
/// (`rhel_eus`) too; other products (OpenShift, middleware) are not RHEL images' concern.
fn rhel_ecosystem(cpe: &str) -> Option<String> {
    let rest = cpe
        .strip_prefix("cpe:/o:redhat:")
        .or_else(|| cpe.strip_prefix("cpe:/a:redhat:"))?;
    let product = rest.split(':').next()?;
    if !matches!(product, "enterprise_linux" | "rhel_eus") {
        return None;
    }
    let version = rest.split(':').nth(1)?;
    if version.is_empty() || !version.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    Some(format!("{VEX_FAMILY}:{rest}"))
}

/// The name in `pkg:rpm/redhat/openssl?arch=src`; `None` for other purl types, versioned
/// (fixed) components and modular ones.
fn source_rpm(purl: &str) -> Option<String> {
    let rest = purl.strip_prefix("pkg:rpm/redhat/")?;
    let (name, qualifiers) = rest.split_once('?').unwrap_or((rest, ""));
    let modular = qualifiers.split('&').any(|q| q.starts_with("rpmmod="));
    let src = qualifiers.split('&').any(|q| q == "arch=src");
    (!name.is_empty() && !name.contains('@') && !name.contains('/') && src && !modular)
        .then(|| name.to_owned())
}

impl Reader<'_> {
    /// The mirror's `redhat-vex/` (as Red Hat lays out its folder); skipped when the
    /// mirror has none.
    pub(super) fn redhat_vex_mirror(&mut self, root: &Location) -> Result<()> {
        let dir = root.join(&["redhat-vex"]);
        let latest = dir.join(&[ARCHIVE_LATEST]);
        let Some(b) = self.f.get_optional(&latest)? else {
            return Ok(());
        };
        let loc = dir.join(&[&archive_name(&b, &latest)?]);
        self.feeds.redhat_vex = self.vex_mirror(&loc, &RED_HAT)?;
        Ok(())
    }

    /// Red Hat's folder at `at`, read incrementally (`redhat_vex_changes.rs`), or an
    /// archive itself (a `.tar.zst` or `.tar`), read whole; with the last-copy fallback.
    /// `now` (unix seconds) dates the kept archive.
    pub(super) fn redhat_vex_published(&mut self, at: &str, now: u64) {
        let loc = Location::parse(at);
        let d = loc.display();
        self.feeds.redhat_vex = if d.ends_with(".tar.zst") || d.ends_with(".tar") {
            self.vex_published(at, &RED_HAT, |_| Ok(loc.clone()))
        } else {
            self.redhat_vex_folder(at, &loc, now)
        };
    }
}

#[cfg(test)]
#[path = "redhat_vex_tests.rs"]
mod tests;
