//! The components Bitnami builds into its images, which no package manager records.
//!
//! Each component directory carries an SPDX 2.3 JSON document,
//! `opt/bitnami/<component>/.spdx-<component>.spdx`, listing the component and what it
//! bundles (`geos`, `proj` in PostgreSQL's), each with a `pkg:bitnami/<name>@<version>?arch=
//! ..&distro=..` purl: that purl's name and version are what Bitnami's OSV records
//! (`BIT-postgresql-2025-1094`) are keyed and ranged by. Other purls in the document
//! (`pkg:maven/...` for bundled jars) are left to the analyzers of those files. Older
//! images list their components instead in `opt/bitnami/.bitnami_components.json`,
//! `{"<name>": {"version", "arch", "distro", ...}}`.

use crate::json::{Any, Entries, Obj, parse_manifest};
use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use drydock_model::bitnami_purl;
use serde::Deserialize;
use std::borrow::Cow;

const COMPONENTS: &str = "opt/bitnami/.bitnami_components.json";

pub struct BitnamiAnalyzer;

#[derive(Deserialize)]
struct SpdxDoc<'a> {
    #[serde(borrow, default)]
    packages: Option<Vec<SpdxPackage<'a>>>,
}

#[derive(Deserialize)]
struct SpdxPackage<'a> {
    #[serde(rename = "versionInfo", borrow, default)]
    version: Any<'a>,
    #[serde(rename = "licenseDeclared", borrow, default)]
    license: Any<'a>,
    #[serde(rename = "externalRefs", borrow, default)]
    refs: Option<Vec<ExternalRef<'a>>>,
}

#[derive(Deserialize)]
struct ExternalRef<'a> {
    #[serde(rename = "referenceType", borrow, default)]
    ty: Any<'a>,
    #[serde(rename = "referenceLocator", borrow, default)]
    locator: Any<'a>,
}

#[derive(Deserialize)]
struct Component<'a> {
    #[serde(borrow, default)]
    version: Any<'a>,
    #[serde(borrow, default)]
    arch: Any<'a>,
    #[serde(borrow, default)]
    distro: Any<'a>,
}

impl Analyzer for BitnamiAnalyzer {
    fn name(&self) -> &'static str {
        "bitnami"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == COMPONENTS || is_spdx(path)
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        if path == COMPONENTS {
            let doc: Entries<Obj<Component>> = parse_manifest(path, content)?;
            let packages = doc
                .0
                .iter()
                .filter_map(|(name, c)| component(path, name, c.0.as_ref()?))
                .collect();
            return Ok(Analysis::of(packages));
        }
        let doc: SpdxDoc = parse_manifest(path, content)?;
        let packages = doc
            .packages
            .unwrap_or_default()
            .iter()
            .filter_map(|p| spdx_package(path, p))
            .collect();
        Ok(Analysis::of(packages))
    }
}

/// `opt/bitnami/**/.spdx-*.spdx`, the documents Bitnami's builder writes.
fn is_spdx(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("opt/bitnami/") else {
        return false;
    };
    let file = rest.rsplit('/').next().unwrap_or(rest);
    file.len() > ".spdx-.spdx".len() && file.starts_with(".spdx-") && file.ends_with(".spdx")
}

/// The package a document entry's `pkg:bitnami` purl names; entries without one are not
/// Bitnami components. The version is the purl's, else `versionInfo`.
fn spdx_package(path: &str, p: &SpdxPackage) -> Option<Package> {
    let purl = p
        .refs
        .iter()
        .flatten()
        .filter(|r| r.ty.text() == Some("purl"))
        .find_map(|r| r.locator.text()?.strip_prefix("pkg:bitnami/"))?;
    let purl = Purl::parse(purl);
    let version = purl
        .version
        .or_else(|| p.version.text().map(Cow::Borrowed))?;
    let mut pkg = make(path, &purl.name, &version, purl.arch, purl.distro)?;
    if let Some(l) = p
        .license
        .text()
        .filter(|l| !matches!(*l, "NOASSERTION" | "NONE"))
    {
        pkg.licenses = vec![l.to_owned()].into();
    }
    Some(pkg)
}

fn component(path: &str, name: &str, c: &Component) -> Option<Package> {
    let arch = c.arch.text().map(Cow::Borrowed);
    let distro = c.distro.text().map(Cow::Borrowed);
    make(path, name, c.version.text()?, arch, distro)
}

/// A component with its purl as Bitnami writes it; None without a name or version.
fn make(
    path: &str,
    name: &str,
    version: &str,
    arch: Option<Cow<str>>,
    distro: Option<Cow<str>>,
) -> Option<Package> {
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let mut pkg = Package::app(PackageKind::Bitnami, name, version, path);
    pkg.purl = Some(bitnami_purl(name, version, arch.as_deref(), distro.as_deref()).into());
    pkg.arch = arch.map(|a| a.as_ref().into());
    Some(pkg)
}

/// What follows `pkg:bitnami/`: `name[@version][?qualifiers][#subpath]`, percent-decoded.
struct Purl<'a> {
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    arch: Option<Cow<'a, str>>,
    distro: Option<Cow<'a, str>>,
}

impl<'a> Purl<'a> {
    fn parse(s: &'a str) -> Self {
        let s = s.split_once('#').map_or(s, |(s, _)| s);
        let (path, quals) = s.split_once('?').unwrap_or((s, ""));
        let (name, version) = match path.split_once('@') {
            Some((n, v)) => (n, Some(decode(v)).filter(|v| !v.is_empty())),
            None => (path, None),
        };
        let qual = |key: &str| {
            quals
                .split('&')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .map(decode)
                .filter(|v| !v.is_empty())
        };
        // The purl type says the name "must be lowercased"; Bitnami's OSV records are.
        let name = decode(name.trim_end_matches('/'));
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            name
        };
        Purl {
            name,
            version,
            arch: qual("arch"),
            distro: qual("distro"),
        }
    }
}

/// Percent-decoding; a malformed escape is kept as written.
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex
            .filter(|_| b[i] == b'%')
            .map(|h| u8::from_str_radix(h, 16))
        {
            Some(Ok(byte)) => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::nv;

    #[test]
    fn wants_bitnami_documents_only() {
        for yes in [
            "opt/bitnami/redis/.spdx-redis.spdx",
            "opt/bitnami/postgresql/.spdx-postgresql.spdx",
            COMPONENTS,
        ] {
            assert!(BitnamiAnalyzer.wants(yes, 1, 0o644), "{yes}");
        }
        for no in [
            "opt/bitnami/redis/.spdx-.spdx",
            "opt/bitnami/redis/redis.spdx",
            "opt/bitnami/redis/.spdx-redis.spdx.json",
            "usr/share/.spdx-redis.spdx",
            "opt/bitnami/redis/.bitnami_components.json",
        ] {
            assert!(!BitnamiAnalyzer.wants(no, 1, 0o644), "{no}");
        }
    }

    /// The older document shape, abridged from Trivy's `postgresql.spdx.json` fixture (2023,
    /// "VMware, Inc."): display names in `name`, purls without qualifiers. Changed for the
    /// test: geos's purl lost its version (so `versionInfo` stands in), and the maven entry
    /// (from Trivy's `elasticsearch.spdx.json`) and the entry with no purl were added.
    #[test]
    fn names_and_versions_come_from_the_purl() {
        let text = br#"{"spdxVersion": "SPDX-2.3", "packages": [
            {"name": "PostgreSQL", "versionInfo": "15.3.0", "licenseDeclared": "PostgreSQL",
             "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
               "referenceLocator": "cpe:2.3:*:postgresql:postgresql:15.3.0:*:*:*:*:*:*:*"},
              {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
               "referenceLocator": "pkg:bitnami/postgresql@15.3.0"}]},
            {"name": "GEOS", "versionInfo": "3.8.3", "externalRefs": [{"referenceCategory":
               "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:bitnami/geos"}]},
            {"name": "co.elastic.apm:apm-agent", "versionInfo": "1.36.0", "externalRefs": [
              {"referenceType": "purl", "referenceLocator": "pkg:maven/co.elastic.apm/apm-agent@1.36.0"}]},
            {"name": "nothing", "versionInfo": "1.0.0"}]}"#;
        let path = "opt/bitnami/postgresql/.spdx-postgresql.spdx";
        let a = BitnamiAnalyzer.analyze(path, text).unwrap();
        assert_eq!(nv(&a), ["postgresql@15.3.0", "geos@3.8.3"]);
        let p = &a.packages[0];
        assert_eq!(p.kind, PackageKind::Bitnami);
        assert_eq!(&*p.licenses, ["PostgreSQL"]);
        assert_eq!(p.purl().as_deref(), Some("pkg:bitnami/postgresql@15.3.0"));
        assert_eq!(p.arch, None);
    }

    /// syft's `components-json-mongodb` fixture, abridged to two of its five entries.
    #[test]
    fn older_images_list_components_in_one_file() {
        let text = br#"{
            "gosu": {"arch": "amd64", "digest": "16f1a317859b06ae82e816b30f98f28b4707d18fe6cc3881bff535192a7715dc",
                     "distro": "debian-10", "type": "NAMI", "version": "1.14.0-1"},
            "mongodb": {"arch": "amd64", "digest": "d21fc890385eae0aaa394ce6491ef304d28a5cc43f860def6badee401fe55bc5",
                        "distro": "debian-10", "type": "NAMI", "version": "4.4.11-2"},
            "broken": "1.0.0"}"#;
        let a = BitnamiAnalyzer.analyze(COMPONENTS, text).unwrap();
        assert_eq!(nv(&a), ["gosu@1.14.0-1", "mongodb@4.4.11-2"]);
        assert_eq!(
            a.packages[1].purl().as_deref(),
            Some("pkg:bitnami/mongodb@4.4.11-2?arch=amd64&distro=debian-10")
        );
        assert_eq!(a.packages[1].arch.as_deref(), Some("amd64"));
    }

    #[test]
    fn purls_are_decoded() {
        let p = Purl::parse("A%2Bb@1.0.0-1%7E?distro=debian-12&arch=arm64#sub");
        assert_eq!(p.name, "a+b");
        assert_eq!(p.version.as_deref(), Some("1.0.0-1~"));
        assert_eq!(p.arch.as_deref(), Some("arm64"));
        assert_eq!(p.distro.as_deref(), Some("debian-12"));
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn not_a_document_is_an_error_naming_the_file() {
        let path = "opt/bitnami/redis/.spdx-redis.spdx";
        // syft's tag-value fixture starts so: Bitnami writes JSON only.
        for bad in [&b"SPDXVersion: SPDX-2.3\n"[..], b"[]", b"\x7fELF"] {
            assert_eq!(BitnamiAnalyzer.analyze(path, bad).unwrap_err().path, path);
        }
        let e = BitnamiAnalyzer.analyze(COMPONENTS, b"[]").unwrap_err();
        assert_eq!(e.path, COMPONENTS);
    }
}
