//! Package URLs (<https://github.com/package-url/purl-spec>), hand-rolled: the rules we need
//! are a few lines per type, and the `packageurl` crate is used only to check them in tests.

use crate::{OsInfo, Package, PackageKind, pep503};
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

/// A package's purl as the package holds it: as read (an SBOM's), or derived from the
/// package and the image's OS when asked for. A derived purl costs one pointer to an OS
/// shared by the whole inventory, not a string per package (80 MB for 1,000,000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purl {
    /// Behind a thin pointer, as the other variant: `Option<Purl>` is then 16 bytes, not 24.
    Text(Arc<String>),
    Derived(Arc<Option<OsInfo>>),
}

impl Package {
    /// The package URL, if it has one.
    pub fn purl(&self) -> Option<Cow<'_, str>> {
        match self.purl.as_ref()? {
            Purl::Text(text) => Some(Cow::Borrowed(text.as_str())),
            Purl::Derived(os) => Some(Cow::Owned(purl_for(self, os.as_ref().as_ref()))),
        }
    }
}

impl From<String> for Purl {
    fn from(text: String) -> Self {
        Purl::Text(Arc::new(text))
    }
}

impl From<&str> for Purl {
    fn from(text: &str) -> Self {
        Purl::from(text.to_owned())
    }
}

/// A purl read back (from a report) is text.
impl<'de> serde::Deserialize<'de> for Purl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Purl::from)
    }
}

/// The purl of `pkg`. OS packages need `os` for their namespace and `distro` qualifier;
/// without it the namespace falls back to the package manager's home distro (`debian`,
/// `alpine`) and rpm gets no namespace.
pub fn purl_for(pkg: &Package, os: Option<&OsInfo>) -> String {
    // The analyzer wrote it from the file, with the distro the component was built for.
    if let (PackageKind::Bitnami, Some(Purl::Text(purl))) = (pkg.kind, &pkg.purl) {
        return purl.to_string();
    }
    let family = os.map(|o| o.family.as_str());
    let distro = os.map(|o| match pkg.kind {
        // Alpine's purls carry the bare release, as apk and Trivy write it.
        PackageKind::Apk => o.version.clone(),
        _ => format!("{}-{}", o.family, o.version),
    });
    let mut quals: Vec<(&str, String)> = Vec::new();
    let mut version = pkg.version.to_string();
    let ty = pkg.kind.purl_type();
    let (namespace, name) = match pkg.kind {
        PackageKind::Dpkg => (
            Some(family.unwrap_or("debian").to_owned()),
            pkg.name.to_string(),
        ),
        PackageKind::Apk => (
            Some(family.unwrap_or("alpine").to_owned()),
            pkg.name.to_string(),
        ),
        PackageKind::Rpm | PackageKind::Bottlerocket => {
            // The spec puts an rpm epoch in its own qualifier.
            if let Some((epoch, rest)) = pkg.version.split_once(':') {
                quals.push(("epoch", epoch.to_owned()));
                version = rest.to_owned();
            }
            // Bottlerocket's type is the distribution: no namespace, as Trivy writes it.
            let namespace = family.filter(|_| pkg.kind == PackageKind::Rpm);
            (namespace.map(str::to_owned), pkg.name.to_string())
        }
        PackageKind::Python => (None, pep503(&pkg.name)),
        PackageKind::Maven => match pkg.name.split_once(':') {
            Some((group, artifact)) => (Some(group.to_owned()), artifact.to_owned()),
            None => (None, pkg.name.to_string()),
        },
        PackageKind::Npm | PackageKind::Go | PackageKind::Composer | PackageKind::Swift => {
            split_last(&pkg.name)
        }
        PackageKind::Cargo
        | PackageKind::Gem
        | PackageKind::NuGet
        | PackageKind::Conda
        | PackageKind::Pub
        | PackageKind::CocoaPods
        | PackageKind::Hex
        | PackageKind::Conan
        | PackageKind::Julia
        | PackageKind::Binary => (None, pkg.name.to_string()),
        PackageKind::Bitnami => {
            return bitnami_purl(&pkg.name, &pkg.version, pkg.arch.as_deref(), None);
        }
        PackageKind::Opkg => (
            Some(family.unwrap_or("openwrt").to_owned()),
            pkg.name.to_string(),
        ),
    };
    if pkg.kind.is_os() {
        if let Some(arch) = &pkg.arch {
            quals.push(("arch", arch.to_string()));
        }
        if let Some(d) = distro {
            quals.push(("distro", d));
        }
    }
    quals.sort();
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = namespace {
        for seg in ns.split('/').filter(|s| !s.is_empty()) {
            out.push_str(&encode(seg));
            out.push('/');
        }
    }
    out.push_str(&encode(&name));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&encode(&version));
    }
    for (i, (k, v)) in quals.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// `pkg:bitnami/<name>@<version>?arch=..&distro=..`, the purl Bitnami writes in its SPDX
/// documents (the type has no namespace; `distro` is the base image, `debian-12`).
pub fn bitnami_purl(name: &str, version: &str, arch: Option<&str>, distro: Option<&str>) -> String {
    let mut out = format!("pkg:bitnami/{}", encode(name));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&encode(version));
    }
    let quals = [("arch", arch), ("distro", distro)];
    for (i, (k, v)) in quals
        .iter()
        .filter_map(|(k, v)| Some((k, (*v)?)))
        .enumerate()
    {
        out.push(if i == 0 { '?' } else { '&' });
        let _ = write!(out, "{k}={}", encode(v));
    }
    out
}

/// Splits `a/b/c` into namespace `a/b` and name `c` (npm scopes, Go module paths, composer vendors).
fn split_last(full: &str) -> (Option<String>, String) {
    match full.rsplit_once('/') {
        Some((ns, name)) => (Some(ns.to_owned()), name.to_owned()),
        None => (None, full.to_owned()),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `:` (which the spec
/// leaves readable, so Debian epochs stay `1:2.3`).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(kind: PackageKind, name: &str, version: &str) -> Package {
        Package::app(kind, name, version, "x")
    }

    /// Checks our string against the `packageurl` crate's parser: same fields back.
    fn round_trip(purl: &str, ty: &str, ns: Option<&str>, name: &str, version: &str) {
        let p: packageurl::PackageUrl = purl.parse().unwrap_or_else(|e| panic!("{purl}: {e}"));
        assert_eq!(p.ty(), ty, "{purl}");
        assert_eq!(p.namespace(), ns, "{purl}");
        assert_eq!(p.name(), name, "{purl}");
        assert_eq!(p.version(), Some(version), "{purl}");
    }

    #[test]
    fn app_purls_round_trip() {
        let cases = [
            (
                pkg(PackageKind::Npm, "@babel/core", "7.0.0"),
                "pkg:npm/%40babel/core@7.0.0",
                "npm",
                Some("@babel"),
                "core",
                "7.0.0",
            ),
            (
                pkg(PackageKind::Npm, "lodash", "4.17.4"),
                "pkg:npm/lodash@4.17.4",
                "npm",
                None,
                "lodash",
                "4.17.4",
            ),
            (
                pkg(
                    PackageKind::Maven,
                    "org.apache.logging.log4j:log4j-core",
                    "2.19.0",
                ),
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.19.0",
                "maven",
                Some("org.apache.logging.log4j"),
                "log4j-core",
                "2.19.0",
            ),
            (
                pkg(PackageKind::Go, "github.com/x/y", "v1.2.3"),
                "pkg:golang/github.com/x/y@v1.2.3",
                "golang",
                Some("github.com/x"),
                "y",
                "v1.2.3",
            ),
            (
                pkg(PackageKind::Go, "stdlib", "1.19.8"),
                "pkg:golang/stdlib@1.19.8",
                "golang",
                None,
                "stdlib",
                "1.19.8",
            ),
            (
                pkg(PackageKind::Python, "Jinja2", "2.10"),
                "pkg:pypi/jinja2@2.10",
                "pypi",
                None,
                "jinja2",
                "2.10",
            ),
            (
                pkg(PackageKind::Python, "zope.interface", "5.0"),
                "pkg:pypi/zope-interface@5.0",
                "pypi",
                None,
                "zope-interface",
                "5.0",
            ),
            (
                pkg(PackageKind::Cargo, "regex", "1.5.4"),
                "pkg:cargo/regex@1.5.4",
                "cargo",
                None,
                "regex",
                "1.5.4",
            ),
            (
                pkg(PackageKind::Gem, "rails", "7.0.0"),
                "pkg:gem/rails@7.0.0",
                "gem",
                None,
                "rails",
                "7.0.0",
            ),
            (
                pkg(PackageKind::Composer, "symfony/console", "v5.4.0"),
                "pkg:composer/symfony/console@v5.4.0",
                "composer",
                Some("symfony"),
                "console",
                "v5.4.0",
            ),
            (
                pkg(PackageKind::NuGet, "Newtonsoft.Json", "13.0.1"),
                "pkg:nuget/Newtonsoft.Json@13.0.1",
                "nuget",
                None,
                "Newtonsoft.Json",
                "13.0.1",
            ),
            (
                pkg(PackageKind::Swift, "github.com/apple/swift-nio", "2.40.0"),
                "pkg:swift/github.com/apple/swift-nio@2.40.0",
                "swift",
                Some("github.com/apple"),
                "swift-nio",
                "2.40.0",
            ),
            (
                pkg(PackageKind::Pub, "http", "1.1.0"),
                "pkg:pub/http@1.1.0",
                "pub",
                None,
                "http",
                "1.1.0",
            ),
            (
                pkg(PackageKind::Hex, "phoenix", "1.7.10"),
                "pkg:hex/phoenix@1.7.10",
                "hex",
                None,
                "phoenix",
                "1.7.10",
            ),
            (
                pkg(PackageKind::Conan, "zlib", "1.2.13"),
                "pkg:conan/zlib@1.2.13",
                "conan",
                None,
                "zlib",
                "1.2.13",
            ),
            (
                pkg(PackageKind::Julia, "JSON", "0.21.4"),
                "pkg:julia/JSON@0.21.4",
                "julia",
                None,
                "JSON",
                "0.21.4",
            ),
            (
                pkg(
                    PackageKind::CocoaPods,
                    "GoogleUtilities/Environment",
                    "7.10.0",
                ),
                "pkg:cocoapods/GoogleUtilities%2FEnvironment@7.10.0",
                "cocoapods",
                None,
                "GoogleUtilities/Environment",
                "7.10.0",
            ),
            (
                pkg(PackageKind::Conda, "numpy", "1.26.4"),
                "pkg:conda/numpy@1.26.4",
                "conda",
                None,
                "numpy",
                "1.26.4",
            ),
        ];
        for (p, want, ty, ns, name, version) in cases {
            let got = purl_for(&p, None);
            assert_eq!(got, want);
            round_trip(&got, ty, ns, name, version);
        }
    }

    #[test]
    fn os_purls_round_trip_with_qualifiers() {
        let mut deb = pkg(PackageKind::Dpkg, "bsdutils", "1:2.38.1-5+deb12u3");
        deb.arch = Some("amd64".into());
        let got = purl_for(&deb, Some(&OsInfo::new("debian", "12")));
        assert_eq!(
            got,
            "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12"
        );
        round_trip(
            &got,
            "deb",
            Some("debian"),
            "bsdutils",
            "1:2.38.1-5+deb12u3",
        );
        let p: packageurl::PackageUrl = got.parse().unwrap();
        assert_eq!(
            p.qualifiers().get("distro").map(|v| v.as_ref()),
            Some("debian-12")
        );

        let mut apk = pkg(PackageKind::Apk, "musl", "1.1.22-r3");
        apk.arch = Some("x86_64".into());
        let got = purl_for(&apk, Some(&OsInfo::new("alpine", "3.10.4")));
        assert_eq!(
            got,
            "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4"
        );
        round_trip(&got, "apk", Some("alpine"), "musl", "1.1.22-r3");

        let mut rpm = pkg(PackageKind::Rpm, "openssl-libs", "1:1.1.1k-9.el8_7");
        rpm.arch = Some("x86_64".into());
        let got = purl_for(&rpm, Some(&OsInfo::new("rocky", "8.7")));
        assert_eq!(
            got,
            "pkg:rpm/rocky/openssl-libs@1.1.1k-9.el8_7?arch=x86_64&distro=rocky-8.7&epoch=1"
        );
        round_trip(&got, "rpm", Some("rocky"), "openssl-libs", "1.1.1k-9.el8_7");

        let mut opkg = pkg(PackageKind::Opkg, "busybox", "1.36.1-1");
        opkg.arch = Some("x86_64".into());
        let got = purl_for(&opkg, Some(&OsInfo::new("openwrt", "23.05.2")));
        assert_eq!(
            got,
            "pkg:opkg/openwrt/busybox@1.36.1-1?arch=x86_64&distro=openwrt-23.05.2"
        );
        round_trip(&got, "opkg", Some("openwrt"), "busybox", "1.36.1-1");

        let mut br = pkg(
            PackageKind::Bottlerocket,
            "glibc",
            "1:2.43-1.1781747852.5f13b929.br1",
        );
        br.arch = Some("x86_64".into());
        let got = purl_for(&br, Some(&OsInfo::new("bottlerocket", "1.47.0")));
        assert_eq!(
            got,
            "pkg:bottlerocket/glibc@2.43-1.1781747852.5f13b929.br1?arch=x86_64&distro=bottlerocket-1.47.0&epoch=1"
        );
        round_trip(
            &got,
            "bottlerocket",
            None,
            "glibc",
            "2.43-1.1781747852.5f13b929.br1",
        );

        // Bitnami: the purl the analyzer wrote from the SPDX document is kept (it names
        // the distro the component was built for); without one, name, version and arch.
        let mut bit = pkg(PackageKind::Bitnami, "redis", "7.4.1-0");
        bit.arch = Some("arm64".into());
        let got = purl_for(&bit, Some(&OsInfo::new("debian", "12")));
        assert_eq!(got, "pkg:bitnami/redis@7.4.1-0?arch=arm64");
        round_trip(&got, "bitnami", None, "redis", "7.4.1-0");
        bit.purl = Some(bitnami_purl("redis", "7.4.1-0", Some("arm64"), Some("debian-12")).into());
        let got = purl_for(&bit, None);
        assert_eq!(got, "pkg:bitnami/redis@7.4.1-0?arch=arm64&distro=debian-12");
        round_trip(&got, "bitnami", None, "redis", "7.4.1-0");

        // Without OS facts the package manager's home distro stands in, with no distro qualifier.
        let got = purl_for(&pkg(PackageKind::Dpkg, "bash", "5.2"), None);
        assert_eq!(got, "pkg:deb/debian/bash@5.2");
    }

    #[test]
    fn derived_purl_is_written_out_and_read_back_as_text() {
        let mut p = pkg(PackageKind::Dpkg, "bash", "5.2.15-2");
        p.arch = Some("amd64".into());
        p.purl = Some(Purl::Derived(Arc::new(Some(OsInfo::new("debian", "12")))));
        // By hand from the purl spec's deb example (`pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie`).
        let want = "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12";
        assert_eq!(p.purl().as_deref(), Some(want));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["purl"], want);
        let back: Package = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back.purl, Some(Purl::from(want)));
        assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }

    /// A million packages cost this many MB before their strings: keep it from creeping
    /// back (it was 232 bytes).
    #[test]
    fn package_record_stays_small() {
        assert!(std::mem::size_of::<Package>() <= 160);
    }
}
