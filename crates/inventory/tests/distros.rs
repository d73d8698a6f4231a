//! OS detection for every distribution drydock knows: each `testdata/distros/<name>/` is a
//! rootfs holding that release's real os-release text (sources in the README there) and the
//! marker files that tell editions apart; `expected.json` beside it was written by hand from
//! that text and the published support dates (cited in `eol.rs`).

use std::path::{Path, PathBuf};

use drydock_inventory::{Analyzer, OsInfo, OsReleaseAnalyzer, choose_os, infer_variant};
use serde_json::Value;

/// The scan date every expected `eol` is written for.
const TODAY: &str = "2026-12-01";

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn files(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, root, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}

/// What the scanner does for an image: every release file through the analyzer, one OS
/// chosen, then the edition from the files present.
fn detect(root: &Path) -> Option<OsInfo> {
    let mut paths = Vec::new();
    files(root, root, &mut paths);
    paths.sort();
    let found: Vec<_> = paths
        .iter()
        .filter(|p| OsReleaseAnalyzer.wants(p, 0, 0o644))
        .filter_map(|p| {
            let a = OsReleaseAnalyzer
                .analyze(p, &std::fs::read(root.join(p)).unwrap())
                .unwrap();
            a.os.map(|os| (p.clone(), os))
        })
        .collect();
    choose_os(&found, TODAY).map(|os| infer_variant(os, |p| root.join(p).exists()))
}

fn opt(v: &Value) -> Option<&str> {
    v.as_str()
}

#[test]
fn every_distribution_fixture_is_detected() {
    let dir = testdata("distros");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 34, "fixtures: {}", names.len());
    for root in names {
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let want: Value =
            serde_json::from_slice(&std::fs::read(root.join("expected.json")).unwrap()).unwrap();
        let os = detect(&root).unwrap_or_else(|| panic!("{name}: no OS detected"));
        let got = (
            os.family.as_str(),
            os.version.as_str(),
            os.variant.as_deref(),
            os.eol_date.as_deref(),
            os.eol,
        );
        let expected = (
            want["family"].as_str().unwrap(),
            want["version"].as_str().unwrap(),
            opt(&want["variant"]),
            opt(&want["eol_date"]),
            want["eol"].as_bool(),
        );
        assert_eq!(got, expected, "{name}");
    }
}

/// Distroless Debian: the bare `status.d` control files and no `status` (real files from the
/// corpus image, testdata/os/README.md); debian-slim has the ordinary `status`.
#[test]
fn distroless_is_told_from_debian() {
    let os = detect(&testdata("os/distroless-like")).unwrap();
    assert_eq!(
        (os.family.as_str(), os.variant.as_deref()),
        ("debian", Some("distroless"))
    );
    let os = detect(&testdata("os/debian-slim"));
    assert_eq!(os.and_then(|o| o.variant), None);
}

/// SLE BCI: SLES's os-release plus the BCI licence its images install
/// (`/usr/share/licenses/product/BCI/license.txt`, checked by SUSE's BCI-tests); SLES alone
/// has no variant.
#[test]
fn sle_bci_is_told_from_sles() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("etc")).unwrap();
    std::fs::copy(
        testdata("distros/sles-15.3/etc/os-release"),
        root.path().join("etc/os-release"),
    )
    .unwrap();
    let os = detect(root.path()).unwrap();
    assert_eq!((os.family.as_str(), os.variant.as_deref()), ("sles", None));
    let licence = root
        .path()
        .join("usr/share/licenses/product/BCI/license.txt");
    std::fs::create_dir_all(licence.parent().unwrap()).unwrap();
    std::fs::write(&licence, "").unwrap();
    let os = detect(root.path()).unwrap();
    assert_eq!(
        (
            os.family.as_str(),
            os.version.as_str(),
            os.variant.as_deref()
        ),
        ("sles", "15.3", Some("bci"))
    );
}
