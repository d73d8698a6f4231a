//! Packages and the operating system they were found on.
//!
//! Everything drydock knows about a kind of package (OS or not, OSV ecosystem, purl type,
//! version ordering) is an exhaustive match in this file, so a new [`PackageKind`] does
//! not compile until each of those questions has an answer.

use crate::{LayerInfo, NotCovered, Purl, Scheme};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// Which package database or manifest a package was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageKind {
    Dpkg,
    Apk,
    Rpm,
    /// Installed Python distributions (`*.dist-info`, `*.egg-info`).
    Python,
    /// `node_modules` packages and `package-lock.json` entries.
    Npm,
    /// Modules compiled into a Go binary, plus `stdlib`.
    Go,
    /// `Cargo.lock` entries and `cargo auditable` binaries.
    Cargo,
    /// Java archives; `name` is `groupId:artifactId` when the group is known.
    Maven,
    Gem,
    /// `name` is `vendor/package`.
    Composer,
    #[serde(rename = "nuget")]
    NuGet,
    /// conda environments (`conda-meta/*.json`) and `environment.yml` pins.
    Conda,
    /// Dart/Flutter `pubspec.lock`.
    Pub,
    /// SwiftPM `Package.resolved`; `name` is the repository URL without scheme or `.git`
    /// (`github.com/apple/swift-nio`), the identity OSV's SwiftURL ecosystem uses.
    Swift,
    #[serde(rename = "cocoapods")]
    CocoaPods,
    /// Elixir/Erlang `mix.lock`.
    Hex,
    /// C/C++ `conan.lock`.
    Conan,
    /// Julia `Manifest.toml`.
    Julia,
    /// OpenWrt's package manager (`usr/lib/opkg/status`).
    Opkg,
    /// Bottlerocket's build-time inventory (`usr/share/bottlerocket/application-inventory.json`):
    /// rpm-built, but the image has no rpm database; purl type `bottlerocket`, as Trivy writes it.
    Bottlerocket,
    /// A component Bitnami built into its image, listed in its SPDX document
    /// (`opt/bitnami/<component>/.spdx-<component>.spdx`) or, in older images,
    /// `opt/bitnami/.bitnami_components.json`; purl type `bitnami`, OSV ecosystem `Bitnami`.
    Bitnami,
    /// A program known only by the version string compiled into it (busybox, openssl,
    /// node, python, openjdk, nginx, redis), with no package metadata; purl type `generic`.
    Binary,
}

/// How a package was identified, when it was not read from package metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identification {
    /// From a version string inside a binary: the version is what the program reports,
    /// but a patched or vendored build may carry fixes the string does not show.
    Binary,
}

impl Identification {
    pub fn as_str(self) -> &'static str {
        match self {
            Identification::Binary => "binary",
        }
    }

    pub fn from_name(name: &str) -> Option<Identification> {
        (name == "binary").then_some(Identification::Binary)
    }
}

impl PackageKind {
    /// Every kind, for tables keyed by kind (and the exhaustiveness tests).
    pub const ALL: [PackageKind; 22] = [
        PackageKind::Dpkg,
        PackageKind::Apk,
        PackageKind::Rpm,
        PackageKind::Python,
        PackageKind::Npm,
        PackageKind::Go,
        PackageKind::Cargo,
        PackageKind::Maven,
        PackageKind::Gem,
        PackageKind::Composer,
        PackageKind::NuGet,
        PackageKind::Conda,
        PackageKind::Pub,
        PackageKind::Swift,
        PackageKind::CocoaPods,
        PackageKind::Hex,
        PackageKind::Conan,
        PackageKind::Julia,
        PackageKind::Opkg,
        PackageKind::Bottlerocket,
        PackageKind::Bitnami,
        PackageKind::Binary,
    ];

    /// Whether packages of this kind come from the OS package manager, and so are matched
    /// against the distribution's ecosystem rather than a language ecosystem.
    pub fn is_os(self) -> bool {
        match self {
            PackageKind::Dpkg
            | PackageKind::Apk
            | PackageKind::Rpm
            | PackageKind::Opkg
            | PackageKind::Bottlerocket => true,
            PackageKind::Python
            | PackageKind::Npm
            | PackageKind::Go
            | PackageKind::Cargo
            | PackageKind::Maven
            | PackageKind::Gem
            | PackageKind::Composer
            | PackageKind::NuGet
            | PackageKind::Conda
            | PackageKind::Pub
            | PackageKind::Swift
            | PackageKind::CocoaPods
            | PackageKind::Hex
            | PackageKind::Conan
            | PackageKind::Julia
            | PackageKind::Bitnami
            | PackageKind::Binary => false,
        }
    }

    /// The OSV ecosystem advisories for this kind are published under. `None` for OS
    /// kinds: theirs depends on the distribution release (`Debian:12`), which only the
    /// scanned OS tells; and `None` where OSV has no feed (CocoaPods, conda).
    pub fn osv_ecosystem(self) -> Option<&'static str> {
        match self {
            PackageKind::Dpkg
            | PackageKind::Apk
            | PackageKind::Rpm
            | PackageKind::Opkg
            | PackageKind::Bottlerocket => None,
            // OSV has no feed for these, nor for programs known only by a version string.
            PackageKind::CocoaPods | PackageKind::Conda | PackageKind::Binary => None,
            PackageKind::Python => Some("PyPI"),
            PackageKind::Npm => Some("npm"),
            PackageKind::Go => Some("Go"),
            PackageKind::Cargo => Some("crates.io"),
            PackageKind::Maven => Some("Maven"),
            PackageKind::Gem => Some("RubyGems"),
            PackageKind::Composer => Some("Packagist"),
            PackageKind::NuGet => Some("NuGet"),
            PackageKind::Pub => Some("Pub"),
            PackageKind::Swift => Some("SwiftURL"),
            PackageKind::Hex => Some("Hex"),
            PackageKind::Conan => Some("ConanCenter"),
            PackageKind::Julia => Some("Julia"),
            PackageKind::Bitnami => Some("Bitnami"),
        }
    }

    /// The package-url type (<https://github.com/package-url/purl-spec>).
    pub fn purl_type(self) -> &'static str {
        match self {
            PackageKind::Dpkg => "deb",
            PackageKind::Apk => "apk",
            PackageKind::Rpm => "rpm",
            PackageKind::Python => "pypi",
            PackageKind::Npm => "npm",
            PackageKind::Go => "golang",
            PackageKind::Cargo => "cargo",
            PackageKind::Maven => "maven",
            PackageKind::Gem => "gem",
            PackageKind::Composer => "composer",
            PackageKind::NuGet => "nuget",
            PackageKind::Conda => "conda",
            PackageKind::Pub => "pub",
            PackageKind::Swift => "swift",
            PackageKind::CocoaPods => "cocoapods",
            PackageKind::Hex => "hex",
            PackageKind::Conan => "conan",
            PackageKind::Julia => "julia",
            // Not a registered purl type yet; what SBOM tools write for OpenWrt.
            PackageKind::Opkg => "opkg",
            // Not a registered purl type; what Trivy writes for Bottlerocket.
            PackageKind::Bottlerocket => "bottlerocket",
            PackageKind::Bitnami => "bitnami",
            PackageKind::Binary => "generic",
        }
    }

    /// How the package manager orders this kind's versions.
    pub fn version_scheme(self) -> Scheme {
        match self {
            PackageKind::Dpkg => Scheme::Dpkg,
            PackageKind::Apk => Scheme::Apk,
            PackageKind::Rpm => Scheme::Rpm,
            PackageKind::Python => Scheme::Pep440,
            PackageKind::Npm => Scheme::Npm,
            PackageKind::Go => Scheme::Go,
            PackageKind::Cargo => Scheme::Semver,
            PackageKind::Maven => Scheme::Maven,
            PackageKind::Gem => Scheme::RubyGems,
            PackageKind::Composer => Scheme::Composer,
            PackageKind::NuGet => Scheme::NuGet,
            // SemVer where the ecosystem uses it (Pub, Hex, SwiftPM, Julia); the closest
            // existing scheme for CocoaPods and Conan (SemVer-like), conda (PEP 440-like
            // segments) and opkg (dpkg's comparison rules).
            PackageKind::Pub
            | PackageKind::Swift
            | PackageKind::Hex
            | PackageKind::Julia
            | PackageKind::CocoaPods
            | PackageKind::Conan
            | PackageKind::Binary => Scheme::Semver,
            PackageKind::Conda => Scheme::Pep440,
            PackageKind::Opkg => Scheme::Dpkg,
            // Built as rpms: `[epoch:]version-release`.
            PackageKind::Bottlerocket => Scheme::Rpm,
            PackageKind::Bitnami => Scheme::Bitnami,
        }
    }

    /// The name used in reports and on the command line (`dpkg`, `nuget`).
    pub fn as_str(self) -> &'static str {
        match self {
            PackageKind::Dpkg => "dpkg",
            PackageKind::Apk => "apk",
            PackageKind::Rpm => "rpm",
            PackageKind::Python => "python",
            PackageKind::Npm => "npm",
            PackageKind::Go => "go",
            PackageKind::Cargo => "cargo",
            PackageKind::Maven => "maven",
            PackageKind::Gem => "gem",
            PackageKind::Composer => "composer",
            PackageKind::NuGet => "nuget",
            PackageKind::Conda => "conda",
            PackageKind::Pub => "pub",
            PackageKind::Swift => "swift",
            PackageKind::CocoaPods => "cocoapods",
            PackageKind::Hex => "hex",
            PackageKind::Conan => "conan",
            PackageKind::Julia => "julia",
            PackageKind::Opkg => "opkg",
            PackageKind::Bottlerocket => "bottlerocket",
            PackageKind::Bitnami => "bitnami",
            PackageKind::Binary => "binary",
        }
    }
}

/// Where a package (or a file) came from inside an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRef {
    /// 0-based position of the layer in the image's layer list.
    pub index: usize,
    /// Digest of the layer blob as the manifest names it.
    pub digest: String,
    /// The history `created_by` command of that layer, when the config has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// One installed (or, from a lockfile, declared) package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
///
/// The strings are shared (`Arc<str>`): every package of one DB has the same `location`
/// and a handful of `arch` values, a dpkg package's source is usually itself, and a
/// million-package DB would otherwise hold millions of small copies.
///
/// Read with serde as declared; written through `PackageOut` (the same fields in the same
/// order, empty ones left out), which spells out the purl.
pub struct Package {
    pub kind: PackageKind,
    pub name: Arc<str>,
    /// The version exactly as the package manager compares it (dpkg `epoch:upstream-revision`,
    /// apk `1.2.3-r0`, rpm `[epoch:]version-release`).
    pub version: Arc<str>,
    #[serde(default)]
    pub arch: Option<Arc<str>>,
    /// Source package (dpkg `Source:`, apk origin, rpm SOURCERPM name): advisories are keyed by it.
    #[serde(default)]
    pub source_name: Option<Arc<str>>,
    #[serde(default)]
    pub source_version: Option<Arc<str>>,
    /// Boxed slices, not `Vec`s (16 bytes each, not 24): filled once, mostly empty.
    #[serde(default)]
    pub licenses: Box<[String]>,
    /// Files the package owns, as the package DB lists them (absolute paths).
    #[serde(default)]
    pub files: Box<[String]>,
    /// Path of the file the package was read from (no leading `/`).
    pub location: Arc<str>,
    /// The layer that introduced this package; filled in when the inventory is assembled.
    /// Shared: every package of one layer points at the same record (a million packages
    /// would otherwise carry a million copies of one digest).
    #[serde(default)]
    pub layer: Option<Arc<LayerRef>>,
    /// Package URL; read it with [`Package::purl`]. Analyzers leave it `None` (OS purls
    /// need the distro, which is only known once every release file is read), but for
    /// Bitnami's, which the file states.
    #[serde(default)]
    pub purl: Option<Purl>,
    /// A development-only dependency (lockfile `dev: true`): not shipped at run time.
    #[serde(default)]
    pub dev: bool,
    /// Read from a lockfile rather than from what is installed: in an image these usually
    /// repeat installed packages, so assembly may de-duplicate or drop them.
    #[serde(default)]
    pub lockfile: bool,
    /// Required only through another dependency, as the manifest marks it (go.mod
    /// `// indirect`); unmarked does not mean direct for formats that record no such thing.
    #[serde(default)]
    pub indirect: bool,
    /// Set when the package was inferred rather than read from package metadata.
    #[serde(default)]
    pub confidence: Option<Identification>,
}

/// The serde form of a [`Package`], field for field, with its purl written out.
#[derive(Serialize)]
struct PackageOut<'a> {
    kind: PackageKind,
    name: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    arch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_version: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    licenses: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    files: &'a [String],
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<&'a LayerRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dev: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    lockfile: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    indirect: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<Identification>,
}

impl Serialize for Package {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PackageOut {
            kind: self.kind,
            name: &self.name,
            version: &self.version,
            arch: self.arch.as_deref(),
            source_name: self.source_name.as_deref(),
            source_version: self.source_version.as_deref(),
            licenses: &self.licenses,
            files: &self.files,
            location: &self.location,
            layer: self.layer.as_deref(),
            purl: self.purl(),
            dev: self.dev,
            lockfile: self.lockfile,
            indirect: self.indirect,
            confidence: self.confidence,
        }
        .serialize(s)
    }
}

impl Package {
    /// A package with only the fields that language-package analyzers know.
    pub fn app(kind: PackageKind, name: &str, version: &str, location: &str) -> Self {
        Self {
            kind,
            name: name.into(),
            version: version.into(),
            arch: None,
            source_name: None,
            source_version: None,
            licenses: Box::default(),
            files: Box::default(),
            location: location.into(),
            layer: None,
            purl: None,
            dev: false,
            lockfile: false,
            indirect: false,
            confidence: None,
        }
    }

    /// A package declared by a lockfile or manifest rather than found installed.
    pub fn locked(kind: PackageKind, name: &str, version: &str, location: &str) -> Self {
        Self {
            lockfile: true,
            ..Self::app(kind, name, version, location)
        }
    }
}

/// Facts read from one OS release file (`etc/os-release`, `etc/alpine-release`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OsRelease {
    /// Lowercase family id: `debian`, `ubuntu`, `alpine`, `rhel`, `almalinux`, `rocky`, `centos`,
    /// `fedora`, `amzn`, `sles`, `opensuse-leap`, `mariner`, `azurelinux`, `wolfi`, `chainguard`, ...
    pub family: String,
    /// Release as users write it: `12`, `3.20.1`, `9.4`, `22.04`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// Edition within the family (`VARIANT_ID`, or inferred: `ubi-minimal`, `distroless`):
    /// the same family and version can ship different package sets and support terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `SUPPORT_END` (`YYYY-MM-DD`) when the distribution writes its own end of support
    /// into os-release (Fedora, Amazon Linux 2023); used when the built-in table has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_end: Option<String>,
}

/// The operating system of an image, chosen from all release files found, with its support status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsInfo {
    /// Same vocabulary as [`OsRelease::family`].
    pub family: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// Same meaning as [`OsRelease::variant`]; absent in reports written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Whether the release was past its end of security support on the scan date; `None`
    /// when the release is not in the built-in table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<bool>,
    /// Last day of security support (`YYYY-MM-DD`), from the built-in table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol_date: Option<String>,
    /// The package repositories the image's Red Hat content manifests name
    /// (`rhel-9-for-x86_64-baseos-rpms`), sorted; empty when it has none (then matching
    /// uses the release's default repositories and says so). On Ubuntu, the Pro services
    /// its `ubuntu-advantage/status.json` enables (`esm-apps`, `esm-infra`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<String>,
}

/// The Ubuntu Pro services whose fixes OSV publishes as `Ubuntu:Pro:<release>:LTS`
/// (FIPS and Realtime are streams of their own).
pub const UBUNTU_ESM_SERVICES: [&str; 2] = ["esm-infra", "esm-apps"];

impl OsInfo {
    /// An OS known only by family and version (no support data).
    pub fn new(family: &str, version: &str) -> Self {
        Self::from_release(
            OsRelease {
                family: family.to_owned(),
                version: version.to_owned(),
                ..OsRelease::default()
            },
            None,
            None,
        )
    }

    pub fn from_release(release: OsRelease, eol: Option<bool>, eol_date: Option<String>) -> Self {
        Self {
            family: release.family,
            version: release.version,
            codename: release.codename,
            pretty_name: release.pretty_name,
            variant: release.variant,
            eol,
            eol_date,
            repositories: Vec::new(),
        }
    }
}

/// What an image (or a rootfs, a source tree, an imported SBOM) contains: the seam
/// between reading an artifact and matching it, so every source of packages is matched
/// the same way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub os: Option<OsInfo>,
    /// Sorted by kind, name, version, location.
    pub packages: Vec<Package>,
    pub layers: Vec<LayerInfo>,
    /// What could not be read (no package DB, unreadable files).
    pub coverage: Vec<NotCovered>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [PackageKind; 22] = PackageKind::ALL;

    /// The two ecosystem tables agree: an application kind's versions are ordered the way
    /// its OSV ecosystem's are, and OS kinds (whose ecosystem depends on the release) have
    /// none of their own; the only application kinds without one are those OSV has no
    /// feed for.
    #[test]
    fn ecosystem_and_version_scheme_agree() {
        for kind in ALL {
            match kind.osv_ecosystem() {
                Some(eco) => {
                    assert!(!kind.is_os(), "{kind:?}");
                    assert_eq!(
                        Scheme::for_osv_ecosystem(eco),
                        Some(kind.version_scheme()),
                        "{kind:?}"
                    );
                }
                None => assert!(
                    kind.is_os()
                        || matches!(
                            kind,
                            PackageKind::CocoaPods | PackageKind::Conda | PackageKind::Binary
                        ),
                    "{kind:?}"
                ),
            }
        }
    }

    #[test]
    fn report_names_are_the_serde_names() {
        for kind in ALL {
            let json = serde_json::to_value(kind).expect("serialize");
            assert_eq!(json.as_str(), Some(kind.as_str()));
        }
    }
}
