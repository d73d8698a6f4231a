//! Shared by the matcher's test files: the DB built once per test binary from
//! testdata/matcher/mirror, and small constructors and lookups.

// Each test file uses a different subset.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use drydock_matcher::{Finding, MatchResult};
use drydock_model::{OsInfo, Package, PackageKind};
use drydock_vulndb::{Db, UpdateOptions, update};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/matcher")
}

/// Builds the DB once per test binary; each test opens its own connection.
pub fn db() -> Db {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp");
        let base = testdata().join("mirror/osv");
        let opts = UpdateOptions::new(base.to_str().expect("utf-8 path"), dir.path());
        let report = update(&opts).expect("build test DB");
        assert!(report.bad_records.is_empty(), "{:?}", report.bad_records);
        dir
    });
    Db::open_cache(dir.path()).expect("open DB")
}

pub fn os(family: &str, version: &str) -> OsInfo {
    OsInfo {
        eol: Some(false),
        ..OsInfo::new(family, version)
    }
}

pub fn app(kind: PackageKind, name: &str, version: &str) -> Package {
    Package::app(kind, name, version, &format!("app/{name}"))
}

pub fn os_pkg(
    kind: PackageKind,
    name: &str,
    version: &str,
    src: &str,
    src_version: &str,
) -> Package {
    Package {
        source_name: Some(src.into()),
        source_version: Some(src_version.into()),
        location: "var/lib/pkgdb".into(),
        ..app(kind, name, version)
    }
}

pub fn ids(r: &MatchResult, package: &str) -> BTreeSet<String> {
    r.findings
        .iter()
        .filter(|f| f.package == package)
        .map(|f| f.id.clone())
        .collect()
}

pub fn find<'a>(r: &'a MatchResult, package: &str, id: &str) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.package == package && f.id == id)
        .unwrap_or_else(|| panic!("no {id} for {package} in {:#?}", r.findings))
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}
