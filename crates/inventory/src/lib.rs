//! Package analyzers: each turns the bytes of one file into packages or OS facts.
//!
//! Analyzers are pure: `(path, bytes) -> Analysis`. They never walk a filesystem or an
//! image themselves; the caller streams layers and hands them only the files they
//! ask for through [`Analyzer::wants`], so nothing else is read.

pub use drydock_model::{
    Identification, LayerRef, NotCovered, OsInfo, OsRelease, Package, PackageKind,
};

mod apk;
mod binary;
mod bitnami;
mod bottlerocket;
mod bun;
mod cargo;
mod composer;
mod conda;
mod content_manifest;
mod control;
mod dpkg;
mod elf;
mod eol;
mod golang;
mod gomod;
mod java;
mod js_locks;
mod json;
mod jvm_locks;
mod mobile;
mod native;
mod npm;
mod nuget;
mod opkg;
mod os;
mod python;
mod python_locks;
mod rpm;
mod ruby;
mod ubuntu_pro;

pub use apk::ApkAnalyzer;
pub use binary::BinaryClassifier;
pub use bitnami::BitnamiAnalyzer;
pub use bottlerocket::BottlerocketAnalyzer;
pub use bun::BunLockAnalyzer;
pub use cargo::{CargoAuditableAnalyzer, CargoLockAnalyzer};
pub use composer::ComposerAnalyzer;
pub use conda::{CondaEnvironmentAnalyzer, CondaMetaAnalyzer};
pub use content_manifest::ContentManifestAnalyzer;
pub use dpkg::DpkgAnalyzer;
pub use drydock_model::purl_for;
pub use golang::GoBinaryAnalyzer;
pub use gomod::GoModAnalyzer;
pub use java::JarAnalyzer;
pub use js_locks::{PnpmLockAnalyzer, YarnLockAnalyzer};
pub use json::MAX_JSON_MANIFEST;
pub use jvm_locks::{GradleLockAnalyzer, PomAnalyzer, SbtLockAnalyzer};
pub use mobile::{PodfileLockAnalyzer, PubspecLockAnalyzer, SwiftResolvedAnalyzer};
pub use native::{ConanLockAnalyzer, JuliaManifestAnalyzer, MixLockAnalyzer};
pub use npm::{NpmLockAnalyzer, NpmPackageAnalyzer};
pub use nuget::{DotnetDepsAnalyzer, NugetConfigAnalyzer, NugetLockAnalyzer};
pub use opkg::OpkgAnalyzer;
pub use os::{OsReleaseAnalyzer, choose_os, infer_variant, with_repositories};
pub use python::PythonDistAnalyzer;
pub use python_locks::PythonLockAnalyzer;
pub use rpm::{RpmBdbAnalyzer, RpmNdbAnalyzer, RpmSqliteAnalyzer};
pub use ruby::{GemfileLockAnalyzer, GemspecAnalyzer};
pub use ubuntu_pro::UbuntuProAnalyzer;

/// Every OS package-database analyzer: seeing one of their files means the OS packages
/// were looked at.
pub fn package_db_analyzers() -> Vec<Box<dyn Analyzer>> {
    vec![
        Box::new(DpkgAnalyzer),
        Box::new(ApkAnalyzer),
        Box::new(RpmSqliteAnalyzer),
        Box::new(RpmBdbAnalyzer),
        Box::new(RpmNdbAnalyzer),
        Box::new(OpkgAnalyzer),
        Box::new(BottlerocketAnalyzer),
    ]
}

/// [`package_db_analyzers`], the release-file analyzer, Red Hat's content manifests and
/// Ubuntu Pro's status (which repositories the OS packages came from), in no particular
/// order: their `wants` sets are disjoint, so a file goes to at most one of them.
pub fn os_analyzers() -> Vec<Box<dyn Analyzer>> {
    let mut all = package_db_analyzers();
    all.push(Box::new(OsReleaseAnalyzer));
    all.push(Box::new(ContentManifestAnalyzer));
    all.push(Box::new(UbuntuProAnalyzer));
    all
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
        Box::new(BunLockAnalyzer),
        Box::new(SbtLockAnalyzer),
        Box::new(NugetConfigAnalyzer),
        Box::new(PubspecLockAnalyzer),
        Box::new(SwiftResolvedAnalyzer),
        Box::new(PodfileLockAnalyzer),
        Box::new(ConanLockAnalyzer),
        Box::new(MixLockAnalyzer),
        Box::new(JuliaManifestAnalyzer),
        Box::new(CondaMetaAnalyzer),
        Box::new(CondaEnvironmentAnalyzer),
        Box::new(BitnamiAnalyzer),
        Box::new(BinaryClassifier),
    ]
}

/// [`os_analyzers`] followed by [`app_analyzers`]. A file may be wanted by more than one
/// of them (an executable can be both a Go and a Rust binary candidate).
pub fn all_analyzers() -> Vec<Box<dyn Analyzer>> {
    let mut all = os_analyzers();
    all.extend(app_analyzers());
    all
}

/// What one analyzer learned from one file. Serialisable so per-layer results can be
/// cached and reused.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub packages: Vec<Package>,
    /// Set by release-file analyzers.
    pub os: Option<OsRelease>,
    /// dpkg `info/<pkg>.list` files: (package name, files it owns).
    pub owned_files: Option<(String, Vec<String>)>,
    /// Parts of the file that were not looked at (a jar nested past the depth limit),
    /// with scopes that start with `/`: reported, so the rest is not taken as complete.
    pub not_covered: Vec<NotCovered>,
    /// Repositories a Red Hat content manifest names (`rhel-9-for-x86_64-baseos-rpms`), or
    /// the Ubuntu Pro services an image enabled (`esm-infra`, `esm-apps`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_sets: Vec<String>,
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
#[derive(Debug, thiserror::Error, serde::Serialize, serde::Deserialize)]
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
    /// Bumped whenever this analyzer's output for the same file changes (a parser fix,
    /// a new field), so results cached per layer under the old version are not reused.
    fn version(&self) -> u32;
    /// Whether this analyzer needs the file at `path` (relative, no leading `/`), `size` bytes
    /// long with tar/`st_mode` permission bits `mode` (binaries are found by the executable bits).
    /// Called for every file in every layer: keep it cheap (no allocation).
    fn wants(&self, path: &str, size: u64, mode: u32) -> bool;
    /// Parses one file. `path` is relative with no leading `/`.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError>;
    /// Whether every package this analyzer reports is declared (`lockfile: true`), not
    /// installed. Image scans discard those (see the scanner's dedupe), so they do not
    /// run such analyzers at all: nothing is read or parsed only to be thrown away.
    fn declared_only(&self) -> bool {
        false
    }
    /// A bounded-memory alternative to [`Analyzer::analyze`] for files of at least
    /// [`STREAM_THRESHOLD`] bytes, fed in order; None when this analyzer needs the whole
    /// file (the caller then buffers it).
    fn stream(&self, _path: &str) -> Option<Box<dyn StreamAnalysis>> {
        None
    }
}

/// Files this large are streamed to analyzers that can take them in pieces (big Go or
/// Rust executables, a dpkg status file), so memory does not grow with the largest file
/// in an image.
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
