//! Document entries -> [`Inventory`]: packages from purls, with source package, layer
//! and location from whichever tool's facts are present (drydock's own first, then
//! Trivy's and Syft's), the OS, the layers, and what cannot be matched.

use crate::purl::{self, Purl};
use crate::{Document, Entry, Props, Role, Sbom};
use drydock_model::sbom::{self as names, LayerField};
use drydock_model::{
    Artifact, ArtifactFormat, Identification, Inventory, LayerInfo, LayerRef, NotCovered, OsInfo,
    OsRelease, Package, PackageKind, pep503,
};
use std::collections::BTreeMap;

const TRIVY: &str = "aquasecurity:trivy:";
/// Names listed per not-covered entry before "and N more".
const NAMES_SHOWN: usize = 5;

pub(crate) fn assemble(doc: Document, input: &str) -> Sbom {
    let layers = layers(&doc.image);
    let mut packages = Vec::new();
    let mut os_entry = None;
    let mut unsupported: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unidentified = Vec::new();
    for e in &doc.entries {
        match e.role {
            Role::OperatingSystem => {
                os_entry.get_or_insert(e);
            }
            Role::Unidentified => unidentified.push(label(e)),
            Role::Structural => {}
            Role::Package => {
                let raw = e.purl.as_deref().unwrap_or_default();
                match purl::parse(raw) {
                    None => unsupported
                        .entry("unparseable purl".to_owned())
                        .or_default()
                        .push(raw.to_owned()),
                    Some(p) => match purl::kind(&p.ty) {
                        Some(kind) => packages.push(package(e, &p, kind, &layers)),
                        None => unsupported
                            .entry(format!("pkg:{}", p.ty))
                            .or_default()
                            .push(label(e)),
                    },
                }
            }
        }
    }
    packages.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.location).cmp(&(b.kind, &b.name, &b.version, &b.location))
    });
    let os = os_entry.map(os_from_entry).or_else(|| os_from_purls(&doc));
    let mut coverage: Vec<NotCovered> = doc
        .image
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(names::NOT_COVERED_PREFIX)
                .map(|scope| NotCovered::new(scope, v))
        })
        .collect();
    for (scope, labels) in unsupported {
        let reason = format!(
            "{} SBOM component(s) of a purl type drydock has no advisories for, not matched: {}",
            labels.len(),
            list(&labels)
        );
        coverage.push(NotCovered::new(scope, reason));
    }
    if !unidentified.is_empty() {
        let reason = format!(
            "{} SBOM component(s) without a purl, not matched: {}",
            unidentified.len(),
            list(&unidentified)
        );
        coverage.push(NotCovered::new("sbom-components", reason));
    }
    Sbom {
        artifact: artifact(&doc.image, input),
        inventory: Inventory {
            os,
            packages,
            layers,
            coverage,
        },
    }
}

fn label(e: &Entry) -> String {
    match (&e.name, &e.version) {
        (Some(n), Some(v)) => format!("{n}@{v}"),
        (Some(n), None) => n.clone(),
        _ => e.purl.clone().unwrap_or_else(|| "(unnamed)".to_owned()),
    }
}

fn list(labels: &[String]) -> String {
    let mut s = labels
        .iter()
        .take(NAMES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if labels.len() > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", labels.len() - NAMES_SHOWN));
    }
    s
}

fn package(e: &Entry, p: &Purl, kind: PackageKind, layers: &[LayerInfo]) -> Package {
    let props = &e.props;
    // drydock's own documents say everything; others need their tools' conventions.
    let own = props.first(names::PKG_TYPE).is_some();
    let name = match (kind, &e.name) {
        // The purl has the PEP 503 name; reports show the distribution's own spelling.
        (PackageKind::Python, Some(n)) if pep503(n) == pep503(&p.name) => n.clone(),
        _ => purl::package_name(kind, p),
    };
    let version = purl::package_version(kind, p)
        .or_else(|| e.version.clone())
        .unwrap_or_default();
    let arch = if kind.is_os() {
        p.qualifier("arch").map(str::to_owned)
    } else {
        props.first(names::ARCH).map(str::to_owned)
    };
    let (source_name, source_version) = if own {
        (
            props.first(names::SRC_NAME).map(str::to_owned),
            props.first(names::SRC_VERSION).map(str::to_owned),
        )
    } else {
        foreign_source(kind, e, p, &name, &version)
    };
    let location = props
        .first(names::FILE_PATH)
        .or_else(|| props.first(&format!("{TRIVY}FilePath")))
        .or_else(|| props.first("syft:location:0:path"))
        .map(|l| l.trim_start_matches('/').to_owned())
        .unwrap_or_default();
    let is_true = |name: &str| props.first(name) == Some("true");
    Package {
        kind,
        name: name.into(),
        version: version.into(),
        arch: arch.map(Into::into),
        source_name: source_name.map(Into::into),
        source_version: source_version.map(Into::into),
        licenses: e.licenses.clone().into(),
        files: Box::default(),
        location: location.into(),
        layer: layer_ref(props, layers).map(std::sync::Arc::new),
        purl: e.purl.clone().map(Into::into),
        dev: is_true(names::DEV),
        lockfile: is_true(names::LOCKFILE),
        indirect: is_true(names::INDIRECT),
        confidence: props
            .first(names::IDENTIFIED_BY)
            .and_then(Identification::from_name),
    }
}

/// The source package as Trivy (properties or SPDX `sourceInfo`) or Syft (`upstream`
/// qualifier, origin metadata) record it; else, for dpkg and apk, the binary's own name
/// and version, as their package databases imply when they name no source.
fn foreign_source(
    kind: PackageKind,
    e: &Entry,
    p: &Purl,
    name: &str,
    version: &str,
) -> (Option<String>, Option<String>) {
    let props = &e.props;
    let trivy = |k: &str| props.first(&format!("{TRIVY}{k}"));
    if let Some(src) = props.first(names::TRIVY_SRC_NAME) {
        let mut v = props
            .first(names::TRIVY_SRC_VERSION)
            .unwrap_or(version)
            .to_owned();
        if let Some(release) = trivy("SrcRelease") {
            v = format!("{v}-{release}");
        }
        if let Some(epoch) = trivy("SrcEpoch").filter(|e| *e != "0") {
            v = format!("{epoch}:{v}");
        }
        return (Some(src.to_owned()), Some(v));
    }
    if let Some((n, v)) = &e.source {
        return (Some(n.clone()), Some(v.clone()));
    }
    let syft = props
        .first("syft:metadata:originPackage")
        .or_else(|| props.first("syft:metadata:source"))
        .map(|n| {
            let v = props
                .first("syft:metadata:sourceVersion")
                .unwrap_or(version);
            (n.to_owned(), v.to_owned())
        });
    let upstream = p.qualifier("upstream").map(|u| match u.split_once('@') {
        Some((n, v)) => (n.to_owned(), v.to_owned()),
        None => (u.to_owned(), version.to_owned()),
    });
    match syft.or(upstream) {
        Some((n, v)) if !n.is_empty() => (Some(n), Some(v)),
        _ if matches!(kind, PackageKind::Dpkg | PackageKind::Apk) => {
            (Some(name.to_owned()), Some(version.to_owned()))
        }
        _ => (None, None),
    }
}

/// drydock's `Layer:<i>:*` properties. Other tools' documents give no layer order
/// (Trivy's `DiffID` list is sorted by value, Syft lists none), so their packages get
/// no [`LayerRef`]: its index would be a guess.
fn layers(image: &Props) -> Vec<LayerInfo> {
    let mut own: BTreeMap<usize, LayerInfo> = BTreeMap::new();
    for (k, v) in image.iter() {
        let Some((index, field)) = LayerField::parse_name(k) else {
            continue;
        };
        let l = own.entry(index).or_insert_with(|| LayerInfo {
            index,
            digest: String::new(),
            diff_id: None,
            size: None,
            created_by: None,
        });
        match field {
            LayerField::Digest => l.digest = v.to_owned(),
            LayerField::DiffId => l.diff_id = Some(v.to_owned()),
            LayerField::Size => l.size = v.parse().ok(),
            LayerField::CreatedBy => l.created_by = Some(v.to_owned()),
        }
    }
    own.into_values().collect()
}

/// The layer drydock recorded for a package.
fn layer_ref(props: &Props, layers: &[LayerInfo]) -> Option<LayerRef> {
    let index = props.first(names::LAYER_INDEX)?.parse().ok()?;
    let digest = props.first(names::LAYER_DIGEST)?.to_owned();
    let created_by = layers
        .iter()
        .find(|l| l.index == index)
        .and_then(|l| l.created_by.clone());
    Some(LayerRef {
        index,
        digest,
        created_by,
    })
}

fn os_from_entry(e: &Entry) -> OsInfo {
    let props = &e.props;
    let family = e.name.as_deref().unwrap_or_default().to_ascii_lowercase();
    let release = OsRelease {
        family: os_family(&family).to_owned(),
        version: e.version.clone().unwrap_or_default(),
        codename: props
            .first(names::OS_CODENAME)
            .or_else(|| props.first("syft:distro:versionCodename"))
            .map(str::to_owned),
        pretty_name: props
            .first("syft:distro:prettyName")
            .map(str::to_owned)
            .or_else(|| e.description.clone()),
        ..OsRelease::default()
    };
    OsInfo::from_release(release, None, None)
}

/// Trivy names some distributions differently from their os-release `ID`, which is
/// what drydock (and Syft) use.
fn os_family(name: &str) -> &str {
    match name {
        "alma" => "almalinux",
        "redhat" => "rhel",
        "amazon" => "amzn",
        "opensuse.leap" => "opensuse-leap",
        "cbl-mariner" => "mariner",
        other => other,
    }
}

/// Without an OS component (Syft's SPDX), the `distro` qualifier of the first OS
/// package's purl: `debian-12`, `alpine-3.10.4`, or a bare `3.10.4` (family from the
/// namespace).
fn os_from_purls(doc: &Document) -> Option<OsInfo> {
    doc.entries
        .iter()
        .filter(|e| e.role == Role::Package)
        .filter_map(|e| purl::parse(e.purl.as_deref()?))
        .filter(|p| purl::kind(&p.ty).is_some_and(PackageKind::is_os))
        .find_map(|p| {
            let distro = p.qualifier("distro")?;
            let split = distro
                .char_indices()
                .filter(|&(i, c)| {
                    c == '-' && distro[i + 1..].starts_with(|d: char| d.is_ascii_digit())
                })
                .map(|(i, _)| i)
                .next_back();
            let (family, version) = match split {
                Some(i) => (distro[..i].to_owned(), distro[i + 1..].to_owned()),
                None if distro.starts_with(|d: char| d.is_ascii_digit()) => {
                    (p.namespace.clone()?, distro.to_owned())
                }
                None => return None,
            };
            Some(OsInfo::new(
                os_family(&family.to_ascii_lowercase()),
                &version,
            ))
        })
}

fn artifact(image: &Props, input: &str) -> Artifact {
    let trivy = |k: &str| image.first(&format!("{TRIVY}{k}"));
    let own = |k: &str| image.first(k).map(str::to_owned);
    let mut repo_tags = image.all(names::REPO_TAG).to_vec();
    if repo_tags.is_empty() {
        repo_tags = image.all(&format!("{TRIVY}RepoTag")).to_vec();
    }
    Artifact {
        input: input.to_owned(),
        format: ArtifactFormat::Sbom,
        manifest_digest: own(names::MANIFEST_DIGEST).or_else(|| {
            trivy("RepoDigest")
                .and_then(|d| d.rsplit_once('@'))
                .map(|(_, d)| d.to_owned())
        }),
        image_id: own(names::IMAGE_ID).or_else(|| trivy("ImageID").map(str::to_owned)),
        repo_tags,
        platform: own(names::PLATFORM),
        file_count: image
            .first(names::FILE_COUNT)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        created: None,
        labels: Default::default(),
        base_image: None,
        origin: None,
        signature: None,
    }
}
