//! CSAF 2.0 VEX documents (OASIS CSAF 2.0, profile `csaf_vex`), one per CVE, as Red Hat
//! (`redhat_vex.rs`) and SUSE (`suse_vex.rs`) publish them: for every product and
//! component, whether it is fixed, affected, not affected or under investigation, and
//! why an affected one has no fix. Both vendors use the same document shape and ship the
//! whole set as one tar archive, so reading a document and walking the archive are done
//! here once; what differs (which products are OS releases, how a component names its
//! package, how the remediations are worded) is each vendor's [`Vendor`].
//!
//! Kept per CVE: every `known_affected` or `under_investigation` component of a kept
//! product. Fixes are not kept: OSV's records of the same vendors hold them. The
//! `impact` threat naming the component (or naming none: all of them) is the vendor's
//! rating, else the document's `aggregate_severity`.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::fetch::{Fetcher, Location};

use super::parse::{Parsed, bad, date_prefix};
use super::{FeedState, Reader};

/// One VEX document may be no larger (the kernel's, the largest, are a few MB).
const MAX_DOCUMENT: u64 = 64 << 20;
/// A whole archive may inflate to no more (Red Hat's is a few GB of JSON).
const MAX_INFLATED: u64 = 32 << 30;
/// An archive may be no larger to download (Red Hat's and SUSE's are some hundreds of
/// MB and grow).
const MAX_DOWNLOAD: u64 = 8 << 30;

/// How one vendor's documents are read.
pub(crate) struct Vendor {
    /// The feed's name in `db status` and in errors.
    pub name: &'static str,
    /// The ecosystem a product's components are filed under, from the product's id and
    /// CPE; `None` for products that are not an OS release drydock matches.
    pub ecosystem: fn(&str, Option<&str>) -> Option<String>,
    /// The package name a component stands for, from its product reference and, when
    /// the product tree describes it, its purl; `None` to leave it out.
    pub package: fn(&str, Option<&str>) -> Option<String>,
    /// The status a remediation (category, details) gives a `known_affected` component;
    /// `None` when the remediation says nothing of why there is no fix.
    pub no_fix: fn(&str, Option<&str>) -> Option<&'static str>,
    /// The severity type stored for the aggregate level when there is no CVSS vector.
    pub rating: &'static str,
    /// The last archive read whole, in the feeds cache: the fallback when a download fails.
    pub copy: &'static str,
    /// Where a download lands until it has read whole.
    pub scratch: &'static str,
}

/// One unfixed component of one product, for one CVE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VexEntry {
    /// `Red Hat VEX:enterprise_linux:9`, `SUSE VEX:Linux Enterprise Server 15 SP4`.
    pub ecosystem: String,
    /// The package name (Red Hat: the source rpm's; SUSE: the binary rpm's).
    pub package: String,
    /// A model `Status` name: `affected`, `will_not_fix`, ...
    pub status: &'static str,
    /// The vendor's severity for it, lowercase (`moderate`).
    pub rating: Option<String>,
}

/// What one VEX document says of its CVE.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VexCve {
    pub cve: String,
    pub summary: Option<String>,
    /// The CVSS vector (`CVSS_V3`), else the aggregate severity (type [`Vendor::rating`]).
    pub severity: Option<(String, String)>,
    pub published: Option<String>,
    pub modified: String,
    pub entries: Vec<VexEntry>,
}

/// Everything kept from one archive.
#[derive(Debug, Default)]
pub(crate) struct Vex {
    pub cves: Vec<VexCve>,
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

/// One VEX document's kept entries; `None` for a document about no CVE.
pub(crate) fn parse_document(
    b: &[u8],
    vendor: &Vendor,
) -> std::result::Result<Option<VexCve>, String> {
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
    // Product id -> the vendor's reason for no fix, and -> its severity; a threat or
    // remediation that names no product applies to all of them.
    let mut reasons: HashMap<&str, &'static str> = HashMap::new();
    let mut default_reason = None;
    for r in &v.remediations {
        let Some(status) = (vendor.no_fix)(&r.category, r.details.as_deref()) else {
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
        let cpe = products.get(product).and_then(|h| h.cpe.as_deref());
        let Some(ecosystem) = (vendor.ecosystem)(product, cpe) else {
            continue;
        };
        let purl = products.get(component).and_then(|h| h.purl.as_deref());
        let Some(package) = (vendor.package)(component, purl) else {
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
        .or_else(|| aggregate.map(|a| (a, vendor.rating.to_owned())));
    Ok(Some(VexCve {
        // Red Hat words a summary; SUSE's only text is the CVE's description (`general`),
        // whose first line is kept (the kernel's run to pages).
        summary: note("summary")
            .or_else(|| note("general").and_then(|g| Some(g.lines().next()?.trim().to_owned())))
            .filter(|s| !s.is_empty())
            .or(doc.document.title),
        severity,
        published: tracking.and_then(|t| t.initial_release_date.clone()),
        modified: tracking
            .and_then(|t| t.current_release_date.clone())
            .unwrap_or_default(),
        cve,
        entries,
    }))
}

/// Reads an archive of documents, `len` bytes from `r`: zstd-compressed (as Red Hat
/// publishes it), bzip2-compressed (as SUSE does) or a plain tar, told by its first
/// bytes. Members that are not `.json` files are skipped; a document that does not parse
/// is an error naming the archive and the member.
pub(crate) fn parse_archive(
    r: impl Read,
    len: u64,
    loc: &Location,
    vendor: &Vendor,
) -> Result<(Parsed, Vex)> {
    let what = vendor.name;
    let mut vex = Vex::default();
    let mut newest: Option<String> = None;
    let too_large = || Error::TooLarge {
        what,
        url: loc.display(),
        limit_mib: MAX_INFLATED >> 20,
        compressed: len,
    };
    let mut r = std::io::BufReader::with_capacity(1 << 16, r);
    let head = r.fill_buf().map_err(|e| bad(what, loc, e))?;
    let zstd = head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    let bzip2 = head.starts_with(b"BZh");
    let reader: Box<dyn Read + '_> = if zstd {
        let z = zstd::stream::read::Decoder::with_buffer(r).map_err(|e| bad(what, loc, e))?;
        Box::new(z.take(MAX_INFLATED + 1))
    } else if bzip2 {
        Box::new(bzip2::read::MultiBzDecoder::new(r).take(MAX_INFLATED + 1))
    } else {
        Box::new(r.take(MAX_INFLATED + 1))
    };
    let mut archive = tar::Archive::new(reader);
    let members = archive.entries().map_err(|e| bad(what, loc, e))?;
    let mut total: u64 = 0;
    for m in members {
        let mut m = m.map_err(|e| bad(what, loc, e))?;
        let size = m.header().size().map_err(|e| bad(what, loc, e))?;
        total = total.saturating_add(size);
        if total > MAX_INFLATED {
            return Err(too_large());
        }
        let path = m
            .path()
            .map_err(|e| bad(what, loc, e))?
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
            return Err(bad(what, loc, msg));
        }
        let mut doc = Vec::with_capacity(size as usize);
        m.read_to_end(&mut doc)
            .map_err(|e| bad(what, loc, format!("{path}: {e}")))?;
        let parsed =
            parse_document(&doc, vendor).map_err(|e| bad(what, loc, format!("{path}: {e}")))?;
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

/// An archive at `path`, read as it streams from the disk.
pub(super) fn parse_archive_file(
    path: &Path,
    loc: &Location,
    vendor: &Vendor,
) -> Result<(Parsed, Vex)> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    parse_archive(f, len, loc, vendor)
}

impl Reader<'_> {
    /// A mirror's archive at `loc`. A mirror on HTTP is downloaded to a scratch file
    /// first: the archive is too large to hold in memory.
    pub(super) fn vex_mirror(&mut self, loc: &Location, vendor: &Vendor) -> Result<Vex> {
        let scratch = self.cache.join(vendor.scratch);
        let path = self.f.to_file(loc, &scratch, MAX_DOWNLOAD)?;
        let read = self
            .hash_file(&loc.display(), &path)
            .and_then(|()| parse_archive_file(&path, loc, vendor));
        if path == scratch {
            let _ = std::fs::remove_file(&scratch);
        }
        let (parsed, vex) = read?;
        self.status(vendor.name, loc.display(), parsed, FeedState::Fresh);
        Ok(vex)
    }

    /// The archive `locate` finds (given as `at`), streamed to disk and read from there;
    /// it becomes the fallback copy once it has read whole. When it cannot be read: a
    /// warning and the last copy, else nothing.
    pub(super) fn vex_published(
        &mut self,
        at: &str,
        vendor: &Vendor,
        locate: impl FnOnce(&Fetcher) -> Result<Location>,
    ) -> Vex {
        let copy = self.cache.join(vendor.copy);
        let scratch = self.cache.join(vendor.scratch);
        let fresh = self.download_vex(at, &scratch, vendor, locate);
        let (parsed, vex, state) = match fresh {
            Ok((parsed, vex)) => {
                if let Err(e) = std::fs::rename(&scratch, &copy) {
                    let e = Error::io(&copy, e);
                    self.feeds
                        .warnings
                        .push(format!("{}: could not keep a copy: {e}", vendor.name));
                }
                (parsed, vex, FeedState::Fresh)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&scratch);
                let last = Location::parse(&copy.display().to_string());
                let Ok((parsed, vex)) = self
                    .hash_file(at, &copy)
                    .and_then(|()| parse_archive_file(&copy, &last, vendor))
                else {
                    self.unavailable(vendor.name, at, &e);
                    return Vex::default();
                };
                self.stale(vendor.name, &e, &parsed);
                (parsed, vex, FeedState::Cached)
            }
        };
        self.status(vendor.name, at.to_owned(), parsed, state);
        vex
    }

    /// The archive `locate` names, left in `scratch` (a local archive is copied there, so
    /// the fallback copy never aliases the user's file), hashed and read.
    pub(super) fn download_vex(
        &mut self,
        at: &str,
        scratch: &Path,
        vendor: &Vendor,
        locate: impl FnOnce(&Fetcher) -> Result<Location>,
    ) -> Result<(Parsed, Vex)> {
        std::fs::create_dir_all(&self.cache).map_err(|e| Error::io(&self.cache, e))?;
        let loc = locate(self.f)?;
        let path = self.f.to_file(&loc, scratch, MAX_DOWNLOAD)?;
        if path != scratch {
            std::fs::copy(&path, scratch).map_err(|e| Error::io(scratch, e))?;
        }
        self.hash_file(at, scratch)?;
        parse_archive_file(scratch, &loc, vendor)
    }
}
