//! Package URLs read back (<https://github.com/package-url/purl-spec>), and the
//! mapping from a purl type to drydock's [`PackageKind`].
//!
//! Parsed by hand, as `drydock-inventory` writes them: the spec's algorithm is a few
//! splits, and type-specific normalisation (lowercasing names) must not happen here —
//! the matcher needs names exactly as the package manager spells them.

use drydock_model::PackageKind;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Purl {
    /// Lowercase, as the spec requires.
    pub ty: String,
    /// Decoded segments joined by `/`.
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
}

impl Purl {
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers.get(key).map(String::as_str)
    }
}

/// Parses `pkg:type/namespace/name@version?qualifiers#subpath`; `None` when it is not
/// a purl (no `pkg:` scheme, no type or no name).
pub(crate) fn parse(s: &str) -> Option<Purl> {
    let s = s.trim();
    let rest = s.get(..4).filter(|p| p.eq_ignore_ascii_case("pkg:"))?;
    let rest = s[rest.len()..].trim_start_matches('/');
    // The subpath does not identify the package; drop it.
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (rest, qualifiers) = match rest.rsplit_once('?') {
        Some((r, q)) => (r, qualifiers(q)),
        None => (rest, BTreeMap::new()),
    };
    // The version follows the rightmost `@`, if that comes after the last `/` (a
    // namespace such as an unencoded npm `@scope` is not a version).
    let last_slash = rest.rfind('/').unwrap_or(0);
    let (rest, version) = match rest.rfind('@') {
        Some(at) if at > last_slash => (&rest[..at], Some(decode(&rest[at + 1..]))),
        _ => (rest, None),
    };
    let (ty, path) = rest.split_once('/')?;
    let ty = ty.to_ascii_lowercase();
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|seg| !seg.is_empty())
        .map(decode)
        .collect();
    let name = segments.pop().filter(|n| !n.is_empty())?;
    if ty.is_empty() {
        return None;
    }
    let namespace = (!segments.is_empty()).then(|| segments.join("/"));
    Some(Purl {
        ty,
        namespace,
        name,
        version: version.filter(|v| !v.is_empty()),
        qualifiers,
    })
}

fn qualifiers(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_ascii_lowercase(), decode(v)))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Percent-decoding; an invalid escape is kept as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(h)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The kind of package a purl type names (the inverse of [`PackageKind::purl_type`]);
/// `None` for types drydock has no kind for.
pub(crate) fn kind(ty: &str) -> Option<PackageKind> {
    PackageKind::ALL.into_iter().find(|k| k.purl_type() == ty)
}

/// The package name drydock uses for `p` (the inverse of the inventory's purl rules):
/// npm scopes, Go module paths and composer vendors are joined with `/`, a Maven group
/// with `:`.
pub(crate) fn package_name(kind: PackageKind, p: &Purl) -> String {
    match (kind, &p.namespace) {
        (PackageKind::Npm | PackageKind::Go | PackageKind::Composer, Some(ns)) => {
            format!("{ns}/{}", p.name)
        }
        (PackageKind::Maven, Some(group)) => format!("{group}:{}", p.name),
        _ => p.name.clone(),
    }
}

/// The version as the package manager compares it: the spec puts a deb or rpm epoch in
/// its own `epoch` qualifier.
pub(crate) fn package_version(kind: PackageKind, p: &Purl) -> Option<String> {
    let version = p.version.clone()?;
    match (kind, p.qualifier("epoch")) {
        (PackageKind::Dpkg | PackageKind::Rpm | PackageKind::Bottlerocket, Some(epoch))
            if !version.contains(':') =>
        {
            Some(format!("{epoch}:{version}"))
        }
        _ => Some(version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drydock_model::{OsInfo, Package};

    #[test]
    fn spec_examples_parse() {
        let p = parse("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie").unwrap();
        assert_eq!(
            (p.ty.as_str(), p.namespace.as_deref(), p.name.as_str()),
            ("deb", Some("debian"), "curl")
        );
        assert_eq!(p.version.as_deref(), Some("7.50.3-1"));
        assert_eq!(p.qualifier("arch"), Some("i386"));
        assert_eq!(p.qualifier("distro"), Some("jessie"));

        let p = parse("pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25").unwrap();
        assert_eq!(p.qualifier("distro"), Some("fedora-25"));

        let p = parse("pkg:npm/%40angular/animation@12.3.1").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(package_name(PackageKind::Npm, &p), "@angular/animation");

        let p = parse("pkg:golang/google.golang.org/genproto#googleapis/api/annotations").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("google.golang.org"));
        assert_eq!(p.name, "genproto");
        assert_eq!(p.version, None);

        let p =
            parse("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources").unwrap();
        assert_eq!(
            package_name(PackageKind::Maven, &p),
            "org.apache.xmlgraphics:batik-anim"
        );
        // Scheme is case-insensitive and `pkg://` tolerated.
        let p = parse("PKG://gem/ruby-advisory-db-check@0.12.4").unwrap();
        assert_eq!(
            (p.ty.as_str(), p.name.as_str()),
            ("gem", "ruby-advisory-db-check")
        );
    }

    #[test]
    fn unencoded_scope_is_not_a_version() {
        let p = parse("pkg:npm/@babel/core").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@babel"));
        assert_eq!(p.version, None);
    }

    #[test]
    fn not_purls() {
        for s in [
            "",
            "pkg:",
            "pkg:npm",
            "pkg:npm/",
            "cpe:2.3:a:x",
            "npm/left-pad@1",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn epoch_qualifier_rejoins_the_version() {
        let p = parse("pkg:rpm/rocky/openssl-libs@1.1.1k-9.el8_7?arch=x86_64&epoch=1").unwrap();
        assert_eq!(
            package_version(PackageKind::Rpm, &p).as_deref(),
            Some("1:1.1.1k-9.el8_7")
        );
        let p = parse("pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?epoch=1").unwrap();
        assert_eq!(
            package_version(PackageKind::Dpkg, &p).as_deref(),
            Some("1:2.38.1-5+deb12u3")
        );
    }

    /// Whatever the inventory writes reads back to the same kind, name and version.
    #[test]
    fn inventory_purls_read_back() {
        let cases = [
            (PackageKind::Dpkg, "bsdutils", "1:2.38.1-5+deb12u3"),
            (PackageKind::Apk, "musl", "1.1.22-r3"),
            (PackageKind::Rpm, "openssl-libs", "1:1.1.1k-9.el8_7"),
            (PackageKind::Npm, "@babel/core", "7.0.0"),
            (PackageKind::Go, "github.com/x/y", "v1.2.3"),
            (PackageKind::Go, "stdlib", "1.19.8"),
            (PackageKind::Cargo, "regex", "1.5.4"),
            (
                PackageKind::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.19.0",
            ),
            (PackageKind::Gem, "rails", "7.0.0"),
            (PackageKind::Composer, "symfony/console", "v5.4.0"),
            (PackageKind::NuGet, "Newtonsoft.Json", "13.0.1"),
            (PackageKind::Python, "requests", "2.19.1"),
            (PackageKind::Bitnami, "postgresql", "17.2.0-8"),
        ];
        let os = OsInfo::new("debian", "12");
        for (kind, name, version) in cases {
            let pkg = Package::app(kind, name, version, "x");
            let written = drydock_inventory::purl_for(&pkg, Some(&os));
            let p = parse(&written).unwrap_or_else(|| panic!("{written}"));
            assert_eq!(super::kind(&p.ty), Some(kind), "{written}");
            assert_eq!(package_name(kind, &p), name, "{written}");
            assert_eq!(
                package_version(kind, &p).as_deref(),
                Some(version),
                "{written}"
            );
        }
    }
}
