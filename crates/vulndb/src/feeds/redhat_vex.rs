//! Red Hat's CSAF VEX files: one per CVE, saying for every product and component whether
//! it is fixed, affected, not affected or under investigation, and why an affected one has
//! no fix. OSV's Red Hat records come from Red Hat's advisories and so only say "fixed in
//! X"; the VEX files are read for what the advisories cannot say: unfixed components and
//! their reason (the format is documented in Red Hat's security-data-guidelines,
//! `docs/csaf-vex.md` and `docs/vex-beta-details.md`).
//!
//! Red Hat publishes them as a folder of `<year>/cve-<id>.json` files and, beside them, one
//! `tar.zst` archive of all of them, named in `archive_latest.txt`; drydock reads that
//! archive (from a mirror's `redhat-vex/` or from Red Hat), streaming each member.
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

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::fetch::{Fetcher, Location};

use super::parse::{Parsed, bad, date_prefix};
use super::{FeedState, Reader};

/// The file in Red Hat's folder of VEX files (`security.access.redhat.com/data/csaf/v2/vex`)
/// naming the current archive.
pub(crate) const ARCHIVE_LATEST: &str = "archive_latest.txt";
/// Ecosystem family of the entries (`Red Hat VEX:enterprise_linux:9`).
pub(crate) const VEX_FAMILY: &str = "Red Hat VEX";

/// The feed's name in `db status`.
pub(crate) const NAME: &str = "Red Hat VEX";
const WHAT: &str = NAME;
/// One VEX document may be no larger (the kernel's, the largest, are a few MB).
const MAX_DOCUMENT: u64 = 64 << 20;
/// The whole archive may inflate to no more (Red Hat's is a few GB of JSON).
const MAX_INFLATED: u64 = 32 << 30;
/// The archive may be no larger to download (it is some hundreds of MB and grows).
const MAX_DOWNLOAD: u64 = 8 << 30;
/// The last archive read whole, in the feeds cache: the fallback when Red Hat's fails.
const COPY: &str = "redhat-vex.tar.zst";
/// Where a download lands until it has read whole.
const SCRATCH: &str = "redhat-vex.tar.zst.part";

/// One unfixed component of one product, for one CVE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VexEntry {
    /// `Red Hat VEX:enterprise_linux:9`.
    pub ecosystem: String,
    /// The source rpm's name.
    pub package: String,
    /// A model `Status` name: `affected`, `will_not_fix`, ...
    pub status: &'static str,
    /// Red Hat's severity for it, lowercase (`moderate`).
    pub rating: Option<String>,
}

/// What one VEX document says of its CVE.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VexCve {
    pub cve: String,
    pub summary: Option<String>,
    /// The CVSS vector (`CVSS_V3`), else the aggregate severity (`Red Hat`).
    pub severity: Option<(String, String)>,
    pub published: Option<String>,
    pub modified: String,
    pub entries: Vec<VexEntry>,
}

/// Everything kept from one archive.
#[derive(Debug, Default)]
pub(crate) struct RedHatVex {
    pub cves: Vec<VexCve>,
}

/// Reads an archive: zstd-compressed (as Red Hat publishes it) or a plain tar, `len`
/// bytes from `r`. Members that are not `.json` files are skipped; a document that does
/// not parse is an error naming the archive and the member.
pub(crate) fn parse_archive(r: impl Read, len: u64, loc: &Location) -> Result<(Parsed, RedHatVex)> {
    let mut vex = RedHatVex::default();
    let mut newest: Option<String> = None;
    let too_large = || Error::TooLarge {
        what: WHAT,
        url: loc.display(),
        limit_mib: MAX_INFLATED >> 20,
        compressed: len,
    };
    let mut r = std::io::BufReader::with_capacity(1 << 16, r);
    let zstd = r
        .fill_buf()
        .map_err(|e| bad(WHAT, loc, e))?
        .starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    let reader: Box<dyn Read + '_> = if zstd {
        let z = zstd::stream::read::Decoder::with_buffer(r).map_err(|e| bad(WHAT, loc, e))?;
        Box::new(z.take(MAX_INFLATED + 1))
    } else {
        Box::new(r.take(MAX_INFLATED + 1))
    };
    let mut archive = tar::Archive::new(reader);
    let members = archive.entries().map_err(|e| bad(WHAT, loc, e))?;
    let mut total: u64 = 0;
    for m in members {
        let mut m = m.map_err(|e| bad(WHAT, loc, e))?;
        let size = m.header().size().map_err(|e| bad(WHAT, loc, e))?;
        total = total.saturating_add(size);
        if total > MAX_INFLATED {
            return Err(too_large());
        }
        let path = m
            .path()
            .map_err(|e| bad(WHAT, loc, e))?
            .display()
            .to_string();
        if !m.header().entry_type().is_file() || !path.ends_with(".json") {
            continue;
        }
        if size > MAX_DOCUMENT {
            let msg = format!(
                "{path}: {size} bytes, over the {} MiB a document may have",
                MAX_DOCUMENT >> 20
            );
            return Err(bad(WHAT, loc, msg));
        }
        let mut doc = Vec::with_capacity(size as usize);
        m.read_to_end(&mut doc)
            .map_err(|e| bad(WHAT, loc, format!("{path}: {e}")))?;
        let parsed = parse_document(&doc).map_err(|e| bad(WHAT, loc, format!("{path}: {e}")))?;
        if let Some(cve) = parsed {
            if let Some(d) = date_prefix(&cve.modified) {
                newest = newest.max(Some(d));
            }
            if !cve.entries.is_empty() {
                vex.cves.push(cve);
            }
        }
    }
    vex.cves.sort_by(|a, b| a.cve.cmp(&b.cve));
    let parsed = Parsed {
        entries: vex.cves.iter().map(|c| c.entries.len()).sum(),
        date: newest,
    };
    Ok((parsed, vex))
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

#[derive(Deserialize)]
struct Document {
    document: Meta,
    #[serde(default)]
    product_tree: ProductTree,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Meta {
    title: Option<String>,
    aggregate_severity: Option<Text>,
    tracking: Option<Tracking>,
}

#[derive(Deserialize)]
struct Text {
    text: String,
}

#[derive(Deserialize)]
struct Tracking {
    initial_release_date: Option<String>,
    current_release_date: Option<String>,
}

#[derive(Deserialize, Default)]
struct ProductTree {
    #[serde(default)]
    branches: Vec<Branch>,
    #[serde(default)]
    relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
struct Branch {
    product: Option<Product>,
    #[serde(default)]
    branches: Vec<Branch>,
}

#[derive(Deserialize)]
struct Product {
    product_id: String,
    product_identification_helper: Option<Helper>,
}

#[derive(Deserialize)]
struct Helper {
    cpe: Option<String>,
    purl: Option<String>,
}

#[derive(Deserialize)]
struct Relationship {
    full_product_name: FullName,
    product_reference: String,
    relates_to_product_reference: String,
}

#[derive(Deserialize)]
struct FullName {
    product_id: String,
}

#[derive(Deserialize)]
struct Vulnerability {
    cve: Option<String>,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    product_status: ProductStatus,
    #[serde(default)]
    remediations: Vec<Remediation>,
    #[serde(default)]
    threats: Vec<Threat>,
    #[serde(default)]
    scores: Vec<Score>,
}

#[derive(Deserialize)]
struct Note {
    category: String,
    text: Option<String>,
}

#[derive(Deserialize, Default)]
struct ProductStatus {
    #[serde(default)]
    known_affected: Vec<String>,
    #[serde(default)]
    under_investigation: Vec<String>,
}

#[derive(Deserialize)]
struct Remediation {
    category: String,
    details: Option<String>,
    #[serde(default)]
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Threat {
    category: String,
    details: Option<String>,
    #[serde(default)]
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Score {
    cvss_v3: Option<Cvss>,
}

#[derive(Deserialize)]
struct Cvss {
    #[serde(rename = "vectorString")]
    vector: Option<String>,
}

/// One VEX document's RHEL entries; `None` for a document about no CVE.
pub(crate) fn parse_document(b: &[u8]) -> std::result::Result<Option<VexCve>, String> {
    let doc: Document = serde_json::from_slice(b).map_err(|e| e.to_string())?;
    let mut products: HashMap<&str, &Helper> = HashMap::new();
    let mut stack: Vec<&Branch> = doc.product_tree.branches.iter().collect();
    while let Some(b) = stack.pop() {
        if let Some(p) = &b.product
            && let Some(h) = &p.product_identification_helper
        {
            products.insert(&p.product_id, h);
        }
        stack.extend(&b.branches);
    }
    let relations: HashMap<&str, (&str, &str)> = doc
        .product_tree
        .relationships
        .iter()
        .map(|r| {
            let pair = (&*r.product_reference, &*r.relates_to_product_reference);
            (&*r.full_product_name.product_id, pair)
        })
        .collect();
    let Some(v) = doc.vulnerabilities.first() else {
        return Ok(None);
    };
    let Some(cve) = v.cve.clone() else {
        return Ok(None);
    };
    // Product id -> the reason Red Hat gives for no fix, and -> its severity; a threat or
    // remediation that names no product applies to all of them.
    let mut reasons: HashMap<&str, &'static str> = HashMap::new();
    let mut default_reason = None;
    for r in &v.remediations {
        let Some(status) = no_fix_status(&r.category, r.details.as_deref()) else {
            continue;
        };
        if r.product_ids.is_empty() {
            default_reason = Some(status);
        }
        for id in &r.product_ids {
            reasons.insert(id, status);
        }
    }
    let mut ratings: HashMap<&str, String> = HashMap::new();
    let mut default_rating = None;
    for t in v.threats.iter().filter(|t| t.category == "impact") {
        let Some(level) = t.details.as_deref().map(|d| d.trim().to_lowercase()) else {
            continue;
        };
        if level.is_empty() || level.len() > 32 {
            continue;
        }
        if t.product_ids.is_empty() {
            default_rating = Some(level.clone());
        }
        for id in &t.product_ids {
            ratings.insert(id, level.clone());
        }
    }
    let aggregate = doc
        .document
        .aggregate_severity
        .as_ref()
        .map(|s| s.text.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut entries = Vec::new();
    let statuses = v
        .product_status
        .known_affected
        .iter()
        .map(|id| (id, None))
        .chain(
            v.product_status
                .under_investigation
                .iter()
                .map(|id| (id, Some("under_investigation"))),
        );
    for (id, fixed_status) in statuses {
        let Some(&(component, product)) = relations.get(id.as_str()) else {
            continue;
        };
        let Some(ecosystem) = products
            .get(product)
            .and_then(|h| h.cpe.as_deref())
            .and_then(rhel_ecosystem)
        else {
            continue;
        };
        let Some(package) = products
            .get(component)
            .and_then(|h| h.purl.as_deref())
            .and_then(source_rpm)
        else {
            continue;
        };
        let status = fixed_status
            .or_else(|| reasons.get(id.as_str()).copied())
            .or(default_reason)
            .unwrap_or("affected");
        let rating = ratings
            .get(id.as_str())
            .cloned()
            .or_else(|| default_rating.clone())
            .or_else(|| aggregate.clone());
        entries.push(VexEntry {
            ecosystem,
            package,
            status,
            rating,
        });
    }
    entries.sort_by(|a, b| (&a.ecosystem, &a.package).cmp(&(&b.ecosystem, &b.package)));
    entries.dedup_by(|a, b| a.ecosystem == b.ecosystem && a.package == b.package);
    let note = |cat: &str| {
        v.notes
            .iter()
            .find(|n| n.category == cat)
            .and_then(|n| n.text.clone())
    };
    let tracking = doc.document.tracking.as_ref();
    let severity = v
        .scores
        .iter()
        .filter_map(|s| s.cvss_v3.as_ref()?.vector.clone())
        .next()
        .map(|vec| (vec, "CVSS_V3".to_owned()))
        .or_else(|| aggregate.map(|a| (a, "Red Hat".to_owned())));
    Ok(Some(VexCve {
        summary: note("summary").or(doc.document.title),
        severity,
        published: tracking.and_then(|t| t.initial_release_date.clone()),
        modified: tracking
            .and_then(|t| t.current_release_date.clone())
            .unwrap_or_default(),
        cve,
        entries,
    }))
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

/// Where the archive is: `at` itself when it names a `.tar.zst` or `.tar`, else the one
/// that folder's `archive_latest.txt` names.
fn locate(f: &Fetcher, at: &Location) -> Result<Location> {
    let d = at.display();
    if d.ends_with(".tar.zst") || d.ends_with(".tar") {
        return Ok(at.clone());
    }
    let latest = at.join(&[ARCHIVE_LATEST]);
    let name = archive_name(&f.get(&latest)?, &latest)?;
    Ok(at.join(&[&name]))
}

/// An archive at `path`, read as it streams from the disk.
fn parse_archive_file(path: &Path, loc: &Location) -> Result<(Parsed, RedHatVex)> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    parse_archive(f, len, loc)
}

impl Reader<'_> {
    /// The mirror's `redhat-vex/` (as Red Hat lays out its folder); skipped when the
    /// mirror has none. A mirror on HTTP is downloaded to a scratch file first: the
    /// archive is too large to hold in memory.
    pub(super) fn redhat_vex_mirror(&mut self, root: &Location) -> Result<()> {
        let dir = root.join(&["redhat-vex"]);
        let latest = dir.join(&[ARCHIVE_LATEST]);
        let Some(b) = self.f.get_optional(&latest)? else {
            return Ok(());
        };
        let loc = dir.join(&[&archive_name(&b, &latest)?]);
        std::fs::create_dir_all(&self.cache).map_err(|e| Error::io(&self.cache, e))?;
        let scratch = self.cache.join(SCRATCH);
        let path = self.f.to_file(&loc, &scratch, MAX_DOWNLOAD)?;
        let read = self
            .hash_file(&loc.display(), &path)
            .and_then(|()| parse_archive_file(&path, &loc));
        if path == scratch {
            let _ = std::fs::remove_file(&scratch);
        }
        let (parsed, vex) = read?;
        self.status(NAME, loc.display(), parsed, FeedState::Fresh);
        self.feeds.redhat_vex = vex;
        Ok(())
    }

    /// Red Hat's folder (or an archive) at `at`, streamed to disk and read from there;
    /// it becomes the fallback copy once it has read whole.
    pub(super) fn redhat_vex_published(&mut self, at: &str) {
        let copy = self.cache.join(COPY);
        let scratch = self.cache.join(SCRATCH);
        let fresh = self.download_vex(at, &scratch);
        let (parsed, vex, state) = match fresh {
            Ok((parsed, vex)) => {
                if let Err(e) = std::fs::rename(&scratch, &copy) {
                    let e = Error::io(&copy, e);
                    self.feeds
                        .warnings
                        .push(format!("{NAME}: could not keep a copy: {e}"));
                }
                (parsed, vex, FeedState::Fresh)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&scratch);
                let last = Location::parse(&copy.display().to_string());
                let Ok((parsed, vex)) = self
                    .hash_file(at, &copy)
                    .and_then(|()| parse_archive_file(&copy, &last))
                else {
                    self.unavailable(NAME, at, &e);
                    return;
                };
                self.stale(NAME, &e, &parsed);
                (parsed, vex, FeedState::Cached)
            }
        };
        self.status(NAME, at.to_owned(), parsed, state);
        self.feeds.redhat_vex = vex;
    }

    /// The archive `at` names, left in `scratch` (a local archive is copied there, so the
    /// fallback copy never aliases the user's file), hashed and read.
    fn download_vex(&mut self, at: &str, scratch: &Path) -> Result<(Parsed, RedHatVex)> {
        std::fs::create_dir_all(&self.cache).map_err(|e| Error::io(&self.cache, e))?;
        let loc = locate(self.f, &Location::parse(at))?;
        let path = self.f.to_file(&loc, scratch, MAX_DOWNLOAD)?;
        if path != scratch {
            std::fs::copy(&path, scratch).map_err(|e| Error::io(scratch, e))?;
        }
        self.hash_file(at, scratch)?;
        parse_archive_file(scratch, &loc)
    }
}

#[cfg(test)]
#[path = "redhat_vex_tests.rs"]
mod tests;
