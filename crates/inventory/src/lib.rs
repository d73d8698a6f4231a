//! Package analyzers: each turns the bytes of one file into packages or OS facts.
//!
//! Analyzers are pure: `(path, bytes) -> Analysis`. They never walk a filesystem or an
//! image themselves; the caller streams layers and hands them only the files they
//! ask for through [`Analyzer::wants`], so nothing else is read.

use serde::{Deserialize, Serialize};

mod apk;
mod cargo;
mod composer;
mod control;
mod dpkg;
mod elf;
mod golang;
mod gomod;
mod java;
mod js_locks;
mod jvm_locks;
mod npm;
mod nuget;
mod os;
mod purl;
mod python;
mod python_locks;
mod rpm;
mod ruby;

pub use apk::ApkAnalyzer;
pub use cargo::{CargoAuditableAnalyzer, CargoLockAnalyzer};
pub use composer::ComposerAnalyzer;
pub use dpkg::DpkgAnalyzer;
pub use golang::GoBinaryAnalyzer;
pub use gomod::GoModAnalyzer;
pub use java::JarAnalyzer;
pub use js_locks::{PnpmLockAnalyzer, YarnLockAnalyzer};
pub use jvm_locks::{GradleLockAnalyzer, PomAnalyzer};
pub use npm::{NpmLockAnalyzer, NpmPackageAnalyzer};
pub use nuget::{DotnetDepsAnalyzer, NugetLockAnalyzer};
pub use os::{OsReleaseAnalyzer, choose_os};
pub use purl::purl_for;
pub use python::PythonDistAnalyzer;
pub use python_locks::PythonLockAnalyzer;
pub use rpm::{RpmBdbAnalyzer, RpmNdbAnalyzer, RpmSqliteAnalyzer};
pub use ruby::{GemfileLockAnalyzer, GemspecAnalyzer};

/// Every OS package and release-file analyzer, in no particular order: their `wants` sets are
/// disjoint, so a file goes to at most one of them.
pub fn os_analyzers() -> Vec<Box<dyn Analyzer>> {
    vec![
        Box::new(DpkgAnalyzer),
        Box::new(ApkAnalyzer),
        Box::new(RpmSqliteAnalyzer),
        Box::new(RpmBdbAnalyzer),
        Box::new(RpmNdbAnalyzer),
        Box::new(OsReleaseAnalyzer),
    ]
}

/// Every application-library analyzer (language package managers, binaries, archives).
pub fn app_analyzers() -> Vec<Box<dyn Analyzer>> {
    vec![
        Box::new(PythonDistAnalyzer),
        Box::new(NpmPackageAnalyzer),
        Box::new(NpmLockAnalyzer),
        Box::new(GoBinaryAnalyzer),
        Box::new(CargoLockAnalyzer),
        Box::new(CargoAuditableAnalyzer),
        Box::new(JarAnalyzer),
        Box::new(GemspecAnalyzer),
        Box::new(GemfileLockAnalyzer),
        Box::new(ComposerAnalyzer),
        Box::new(DotnetDepsAnalyzer),
        Box::new(YarnLockAnalyzer),
        Box::new(PnpmLockAnalyzer),
        Box::new(PythonLockAnalyzer),
        Box::new(GoModAnalyzer),
        Box::new(GradleLockAnalyzer),
        Box::new(PomAnalyzer),
        Box::new(NugetLockAnalyzer),
    ]
}

/// [`os_analyzers`] followed by [`app_analyzers`]. A file may be wanted by more than one
/// of them (an executable can be both a Go and a Rust binary candidate).
pub fn all_analyzers() -> Vec<Box<dyn Analyzer>> {
    let mut all = os_analyzers();
    all.extend(app_analyzers());
    all
}

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
}

/// Where a package (or a file) came from inside an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRef {
    /// 0-based position of the layer in the image's layer list.
    pub index: usize,
    /// Digest of the layer blob as the manifest names it.
    pub digest: String,
    /// The history `created_by` command of that layer, when the config has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub kind: PackageKind,
    pub name: String,
    /// The version exactly as the package manager compares it (dpkg `epoch:upstream-revision`,
    /// apk `1.2.3-r0`, rpm `[epoch:]version-release`).
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Source package (dpkg `Source:`, apk origin, rpm SOURCERPM name): advisories are keyed by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Files the package owns, as the package DB lists them (absolute paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Path of the file the package was read from (no leading `/`).
    pub location: String,
    /// The layer that introduced this package; filled in by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    /// Package URL. Analyzers leave it `None`: OS purls need the distro, which only the
    /// caller knows once every release file is read; see [`purl_for`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// A development-only dependency (lockfile `dev: true`): not shipped at run time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dev: bool,
    /// Read from a lockfile rather than from what is installed: in an image these usually
    /// repeat installed packages, so the caller may prefer to de-duplicate or drop them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lockfile: bool,
}

impl Package {
    /// A package with only the fields that language-package analyzers know.
    /// A package declared by a lockfile or manifest rather than found installed.
    pub(crate) fn locked(kind: PackageKind, name: &str, version: &str, location: &str) -> Self {
        Self {
            lockfile: true,
            ..Self::app(kind, name, version, location)
        }
    }

    pub(crate) fn app(kind: PackageKind, name: &str, version: &str, location: &str) -> Self {
        Self {
            kind,
            name: name.to_owned(),
            version: version.to_owned(),
            arch: None,
            source_name: None,
            source_version: None,
            licenses: Vec::new(),
            files: Vec::new(),
            location: location.to_owned(),
            layer: None,
            purl: None,
            dev: false,
            lockfile: false,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
}

/// The operating system of an image, chosen from all release files found, with its support status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsInfo {
    /// Same vocabulary as [`OsRelease::family`].
    pub family: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// Whether the release was past its end of security support on the date given to
    /// [`choose_os`]; `None` when the release is not in the built-in table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eol: Option<bool>,
    /// Last day of security support (`YYYY-MM-DD`), from the built-in table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eol_date: Option<String>,
}

/// What one analyzer learned from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub packages: Vec<Package>,
    /// Set by release-file analyzers.
    pub os: Option<OsRelease>,
    /// dpkg `info/<pkg>.list` files: (package name, files it owns).
    pub owned_files: Option<(String, Vec<String>)>,
}

impl Analysis {
    /// What a package analyzer usually returns: packages and nothing else.
    pub(crate) fn of(packages: Vec<Package>) -> Self {
        Self {
            packages,
            ..Self::default()
        }
    }
}

/// A file the analyzer could not read; the scan goes on and reports it.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct AnalyzeError {
    pub path: String,
    pub message: String,
}

impl AnalyzeError {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

/// A parser for one kind of file.
pub trait Analyzer: Sync + Send {
    /// Short stable name, e.g. `dpkg`, `apk`, `rpm-sqlite`, `os-release`.
    fn name(&self) -> &'static str;
    /// Whether this analyzer needs the file at `path` (relative, no leading `/`), `size` bytes
    /// long with tar/`st_mode` permission bits `mode` (binaries are found by the executable bits).
    /// Called for every file in every layer: keep it cheap (no allocation).
    fn wants(&self, path: &str, size: u64, mode: u32) -> bool;
    /// Parses one file. `path` is relative with no leading `/`.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError>;
    /// A bounded-memory alternative to [`Analyzer::analyze`] for files of at least
    /// [`STREAM_THRESHOLD`] bytes, fed in order; None when this analyzer needs the whole
    /// file (the caller then buffers it).
    fn stream(&self, _path: &str) -> Option<Box<dyn StreamAnalysis>> {
        None
    }
}

/// Files this large are streamed to analyzers that can take them in pieces (big Go or
/// Rust executables), so memory does not grow with the largest file in an image.
pub const STREAM_THRESHOLD: u64 = 16 << 20;
/// Chunk size for [`StreamAnalysis::feed`]: every chunk but the last is this long.
pub const STREAM_CHUNK: usize = 1 << 20;

/// One file being analyzed piece by piece.
pub trait StreamAnalysis: Send {
    fn feed(&mut self, chunk: &[u8]);
    fn finish(self: Box<Self>) -> Result<Analysis, AnalyzeError>;
}

/// A text file's content, or an error naming the file.
pub(crate) fn utf8<'a>(path: &str, content: &'a [u8]) -> Result<&'a str, AnalyzeError> {
    std::str::from_utf8(content).map_err(|e| AnalyzeError::new(path, format!("not UTF-8: {e}")))
}

/// The start of a line for an error message; lines of a hostile file can be megabytes.
pub(crate) fn clip(line: &str) -> String {
    line.chars().take(60).collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::Analysis;

    /// `name@version`, with ` dev` for development dependencies.
    pub(crate) fn nv(a: &Analysis) -> Vec<String> {
        a.packages
            .iter()
            .map(|p| {
                format!(
                    "{}@{}{}",
                    p.name,
                    p.version,
                    if p.dev { " dev" } else { "" }
                )
            })
            .collect()
    }
}
