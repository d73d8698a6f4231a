//! What the CycloneDX and SPDX writers share: the image's name, a stable document id,
//! one reference per package, license classification, and drydock's facts as
//! `(name, value)` pairs (CycloneDX properties, SPDX annotations).

use drydock_model::sbom::{self, LayerField};
use drydock_model::{Package, PackageKind, Report};
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The name SBOM consumers show for the image: a `repo:tag` when the archive has one,
/// else the input as given (an OCI layout's bare `1.0` tag names nothing by itself).
pub(crate) fn image_name(report: &Report) -> &str {
    let a = &report.artifact;
    a.repo_tags
        .iter()
        .find(|t| t.contains(':') || t.contains('/'))
        .map_or(a.input.as_str(), String::as_str)
}

/// The image's version: the manifest digest, else the config digest.
pub(crate) fn image_version(report: &Report) -> Option<&str> {
    let a = &report.artifact;
    a.manifest_digest.as_deref().or(a.image_id.as_deref())
}

/// A UUID naming this inventory: the same image and packages always get the same one, so
/// a VEX document can point into the SBOM of the same scan by BOM-link
/// (`urn:cdx:<uuid>/1#<bom-ref>`), and outputs are reproducible. Name-based like RFC 9562
/// version 5, with SHA-256 in place of SHA-1 (the version nibble says 5, as the
/// CycloneDX `serialNumber` pattern requires 1–5).
pub(crate) fn document_uuid(report: &Report, refs: &Refs<'_>) -> String {
    let mut h = Sha256::new();
    h.update(b"drydock-sbom\0");
    let a = &report.artifact;
    let identity = image_version(report).unwrap_or(&a.input);
    h.update(identity.as_bytes());
    for i in 0..refs.packages.len() {
        h.update(b"\n");
        h.update(refs.get(i).as_bytes());
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().unwrap_or_default();
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// One unique reference per package: its purl, with the location appended when the same
/// purl occurs more than once (a library vendored twice), and `#n` on the n-th package
/// whose reference would still be the same.
///
/// A reference is made again each time it is asked for, and only the packages whose
/// reference is not their bare purl are remembered: a million references kept as strings
/// were most of what writing an SBOM of a million packages held.
pub(crate) struct Refs<'a> {
    packages: &'a [Package],
    /// Packages sharing their purl with another: the location is appended.
    shared: HashSet<usize>,
    /// The n-th (n > 1) package with a given reference: `#n` is appended.
    repeat: HashMap<usize, usize>,
}

impl<'a> Refs<'a> {
    pub(crate) fn new(packages: &'a [Package]) -> Self {
        let mut refs = Refs {
            packages,
            shared: HashSet::new(),
            repeat: HashMap::new(),
        };
        for group in equal_groups(packages.len(), |i| refs.purl(i)) {
            refs.shared.extend(group);
        }
        // With every purl unique, each reference is its purl and none repeats.
        if refs.shared.is_empty() {
            return refs;
        }
        for group in equal_groups(packages.len(), |i| refs.candidate(i)) {
            refs.repeat.extend(group.into_iter().zip(1..).skip(1));
        }
        refs
    }

    /// The reference of package `i`.
    pub(crate) fn get(&self, i: usize) -> String {
        let r = self.candidate(i);
        match self.repeat.get(&i) {
            Some(n) => format!("{r}#{n}"),
            None => r,
        }
    }

    fn purl(&self, i: usize) -> String {
        let p = &self.packages[i];
        p.purl().map_or_else(
            || format!("{}:{}@{}", p.kind.as_str(), p.name, p.version),
            Cow::into_owned,
        )
    }

    fn candidate(&self, i: usize) -> String {
        let purl = self.purl(i);
        if self.shared.contains(&i) {
            format!("{purl}#{}", self.packages[i].location)
        } else {
            purl
        }
    }
}

/// The indexes `0..n` whose keys are equal to another's, in groups of equal keys, each in
/// ascending order. Keys are compared by a 64-bit hash first, so only the few that share
/// one are held as strings at the same time.
fn equal_groups(n: usize, key: impl Fn(usize) -> String) -> Vec<Vec<usize>> {
    let hash = |i: usize| {
        let mut h = DefaultHasher::new();
        key(i).hash(&mut h);
        h.finish()
    };
    let mut hashed: Vec<(u64, usize)> = (0..n).map(|i| (hash(i), i)).collect();
    hashed.sort_unstable();
    let mut groups = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        let mut keyed: Vec<(String, usize)> = run.iter().map(|&(_, i)| (key(i), i)).collect();
        keyed.sort_unstable();
        for same in keyed.chunk_by(|a, b| a.0 == b.0).filter(|s| s.len() > 1) {
            groups.push(same.iter().map(|&(_, i)| i).collect());
        }
    }
    groups
}

/// A JSON array written from a fresh iterator, one item at a time: the CycloneDX and SPDX
/// writers stream their components, packages and relationships to the writer instead of
/// building a document as large as the image's inventory first.
pub(crate) struct Lazy<F>(pub(crate) F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Executables that carry their dependency list (Go build info, `cargo auditable`):
/// written as `application` components that depend on the modules inside them.
/// Returns each such file with the indexes of its packages.
pub(crate) fn binaries(packages: &[Package]) -> BTreeMap<&str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in packages.iter().enumerate() {
        let from_binary = match p.kind {
            PackageKind::Go => true,
            PackageKind::Cargo => !p.lockfile && !p.location.ends_with("Cargo.lock"),
            _ => false,
        };
        if from_binary && !p.location.is_empty() {
            out.entry(&*p.location).or_default().push(i);
        }
    }
    out
}

/// How a license string can be written.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum License<'a> {
    /// One current SPDX license id, exactly as the list spells it.
    Id(&'a str),
    /// A valid SPDX expression (compound, `+`, `WITH`, or a `LicenseRef-`).
    Expression(&'a str),
    /// Anything else (`BSD`, `Apache 2.0`, `GPL2+`).
    Name(&'a str),
}

pub(crate) fn classify(license: &str) -> License<'_> {
    let license = license.trim();
    let Ok(expr) = spdx::Expression::parse(license) else {
        return License::Name(license);
    };
    let reqs: Vec<_> = expr.requirements().collect();
    if let [only] = reqs.as_slice()
        && only.req.addition.is_none()
        && let spdx::LicenseItem::Spdx {
            id,
            or_later: false,
        } = &only.req.license
        && id.name == license
    {
        return License::Id(id.name);
    }
    License::Expression(license)
}

/// drydock's facts about one package, for CycloneDX properties and SPDX annotations
/// (with Trivy's names for an OS package's source, which `trivy sbom` needs).
pub(crate) fn package_facts(p: &Package) -> Vec<(&'static str, String)> {
    let mut out = vec![(sbom::PKG_TYPE, p.kind.as_str().to_owned())];
    if let Some(n) = &p.source_name {
        out.push((sbom::SRC_NAME, n.to_string()));
    }
    if let Some(v) = &p.source_version {
        out.push((sbom::SRC_VERSION, v.to_string()));
    }
    if p.kind.is_os()
        && let (Some(n), Some(v)) = (&p.source_name, &p.source_version)
    {
        out.push((sbom::TRIVY_SRC_NAME, n.to_string()));
        out.push((sbom::TRIVY_SRC_VERSION, v.to_string()));
    }
    if !p.location.is_empty() {
        out.push((sbom::FILE_PATH, p.location.to_string()));
    }
    if let Some(l) = &p.layer {
        out.push((sbom::LAYER_INDEX, l.index.to_string()));
        out.push((sbom::LAYER_DIGEST, l.digest.clone()));
    }
    if !p.kind.is_os()
        && let Some(a) = &p.arch
    {
        out.push((sbom::ARCH, a.to_string()));
    }
    if p.dev {
        out.push((sbom::DEV, "true".to_owned()));
    }
    if p.lockfile {
        out.push((sbom::LOCKFILE, "true".to_owned()));
    }
    if p.indirect {
        out.push((sbom::INDIRECT, "true".to_owned()));
    }
    if let Some(how) = p.confidence {
        out.push((sbom::IDENTIFIED_BY, how.as_str().to_owned()));
    }
    out
}

/// drydock's facts about the image: identity, layers, and what its scan could not read.
pub(crate) fn image_facts(report: &Report) -> Vec<(String, String)> {
    let a = &report.artifact;
    let mut out = vec![
        (sbom::INPUT.to_owned(), a.input.clone()),
        (
            sbom::ARTIFACT_FORMAT.to_owned(),
            a.format.as_str().to_owned(),
        ),
    ];
    let mut push = |name: &str, value: Option<&String>| {
        if let Some(v) = value {
            out.push((name.to_owned(), v.clone()));
        }
    };
    push(sbom::MANIFEST_DIGEST, a.manifest_digest.as_ref());
    push(sbom::IMAGE_ID, a.image_id.as_ref());
    push(sbom::PLATFORM, a.platform.as_ref());
    for t in &a.repo_tags {
        push(sbom::REPO_TAG, Some(t));
    }
    push(sbom::FILE_COUNT, Some(&a.file_count.to_string()));
    for l in &report.layers {
        let fields = [
            (LayerField::Digest, Some(l.digest.clone())),
            (LayerField::DiffId, l.diff_id.clone()),
            (LayerField::Size, l.size.map(|s| s.to_string())),
            (LayerField::CreatedBy, l.created_by.clone()),
        ];
        for (field, value) in fields {
            if let Some(v) = value {
                out.push((sbom::layer_field(l.index, field), v));
            }
        }
    }
    for nc in inventory_coverage(report) {
        out.push((
            format!("{}{}", sbom::NOT_COVERED_PREFIX, nc.scope),
            nc.reason.clone(),
        ));
    }
    out
}

/// The `not_covered` entries that describe the inventory itself (no package database,
/// unreadable or oversized files: scopes `os-packages` and `/path`), as opposed to those
/// matching adds (ecosystems without data, end of life), which a later re-match decides
/// afresh.
fn inventory_coverage(report: &Report) -> impl Iterator<Item = &drydock_model::NotCovered> {
    report
        .not_covered
        .iter()
        .filter(|nc| nc.scope == "os-packages" || nc.scope.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses_are_classified_by_the_spdx_list() {
        assert_eq!(classify("MIT"), License::Id("MIT"));
        assert_eq!(classify("GPL-2.0-only"), License::Id("GPL-2.0-only"));
        assert_eq!(
            classify("MIT OR Apache-2.0"),
            License::Expression("MIT OR Apache-2.0")
        );
        assert_eq!(
            classify("LicenseRef-custom"),
            License::Expression("LicenseRef-custom")
        );
        // Not on the list, deprecated, or lowercase: never written as an id.
        assert_eq!(classify("BSD"), License::Name("BSD"));
        assert_eq!(classify("Apache 2.0"), License::Name("Apache 2.0"));
        assert_eq!(classify("GPL-2.0+"), License::Name("GPL-2.0+"));
        assert_eq!(classify("mit"), License::Name("mit"));
    }

    #[test]
    fn a_ref_spelled_like_another_packages_is_numbered() {
        // Two packages share a purl (so both get `#l`); a third's purl already reads
        // `...#l`: the second and third get `#2` and `#3`, in package order.
        let mut a = Package::app(PackageKind::Npm, "ms", "2.0.0", "l");
        a.purl = Some("pkg:npm/ms@2.0.0".into());
        let b = a.clone();
        let mut c = Package::app(PackageKind::Npm, "ms", "2.0.0", "elsewhere");
        c.purl = Some("pkg:npm/ms@2.0.0#l".into());
        let packages = [c, a, b];
        let refs = Refs::new(&packages);
        assert_eq!(
            (0..packages.len()).map(|i| refs.get(i)).collect::<Vec<_>>(),
            [
                "pkg:npm/ms@2.0.0#l",
                "pkg:npm/ms@2.0.0#l#2",
                "pkg:npm/ms@2.0.0#l#3",
            ]
        );
    }

    #[test]
    fn duplicate_purls_get_distinct_refs() {
        let mut a = Package::app(PackageKind::Npm, "ms", "2.0.0", "app/a/package.json");
        a.purl = Some("pkg:npm/ms@2.0.0".into());
        let mut b = a.clone();
        b.location = "app/b/package.json".into();
        let mut c = Package::app(PackageKind::Npm, "debug", "2.6.9", "x");
        c.purl = Some("pkg:npm/debug@2.6.9".into());
        let same = b.clone();
        let packages = [a, b, c, same];
        let refs = Refs::new(&packages);
        assert_eq!(
            (0..packages.len()).map(|i| refs.get(i)).collect::<Vec<_>>(),
            [
                "pkg:npm/ms@2.0.0#app/a/package.json",
                "pkg:npm/ms@2.0.0#app/b/package.json",
                "pkg:npm/debug@2.6.9",
                "pkg:npm/ms@2.0.0#app/b/package.json#2",
            ]
        );
    }
}
