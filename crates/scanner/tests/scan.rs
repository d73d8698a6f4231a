//! `scanner::scan` as a library, on the vendored images: the inventory must equal
//! `testdata/images/INDEX.json` (computed from the image bytes by the corpus generator,
//! independent of any scanner), and vulnerabilities the findings Trivy reported for the
//! same image over the same advisory data.

use drydock_model::Report;
use drydock_scanner::{Matcher, ScanOptions, ScanTarget, Scanners, scan};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

fn scan_image(path: &Path, platform: Option<&str>, matcher: Option<&Matcher>) -> Report {
    let target = ScanTarget::Image {
        input: path.to_owned(),
        platform: platform.map(str::to_owned),
        remote: Default::default(),
    };
    let opened = target
        .open()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = ScanOptions {
        max_file_size: 512 << 20,
        limits: drydock_image::Limits::default(),
        scanners: Scanners::default(),
        matcher,
        today: "2026-12-02".into(),
        skip: drydock_scanner::SkipPaths::default(),
        progress: &|_| {},
        cache: None,
    };
    scan(&opened, &opts).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn inventory_of_every_vendored_image_matches_its_index() {
    let index: Value = serde_json::from_slice(
        &std::fs::read(testdata().join("images/INDEX.json")).expect("INDEX.json"),
    )
    .expect("json");
    let mut checked = 0;
    for (name, entry) in index["images"].as_object().expect("images") {
        for format in entry["formats"].as_object().expect("formats").values() {
            let path = testdata()
                .join("images")
                .join(format["path"].as_str().expect("path"));
            for want in entry["images"].as_array().expect("images") {
                let platform = want["platform"].as_str();
                let report = scan_image(&path, platform, None);
                let inv = &want["inventory"];
                let what = format!("{name} {platform:?}");
                assert_eq!(
                    report.artifact.file_count as u64,
                    inv["file_count"].as_u64().expect("n"),
                    "{what}"
                );
                assert_eq!(
                    report.layers.len() as u64,
                    want["layer_count"].as_u64().expect("n"),
                    "{what}"
                );
                for (kind, key) in [("apk", "apk"), ("dpkg", "dpkg")] {
                    let got: BTreeSet<String> = report
                        .packages
                        .iter()
                        .filter(|p| p.kind.as_str() == kind)
                        .map(|p| format!("{}={}", p.name, p.version))
                        .collect();
                    assert_eq!(got, strings(&inv[key]), "{what} {kind}");
                }
                assert_eq!(
                    report.os.as_ref().map(|o| o.version.clone()),
                    inv["os"]["version_id"].as_str().map(str::to_owned),
                    "{what} os"
                );
                let whiteouts: BTreeSet<(usize, String, usize)> = report
                    .whiteouts
                    .iter()
                    .map(|w| (w.layer, w.path.clone(), w.removed_entries))
                    .collect();
                let want_whiteouts: BTreeSet<(usize, String, usize)> = want["whiteouts"]
                    .as_array()
                    .expect("whiteouts")
                    .iter()
                    .map(|w| {
                        (
                            w["layer"].as_u64().expect("layer") as usize,
                            w["path"].as_str().expect("path").to_owned(),
                            w["removed_entries"].as_u64().expect("n") as usize,
                        )
                    })
                    .collect();
                assert_eq!(whiteouts, want_whiteouts, "{what} whiteouts");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 6, "image/platform combinations in INDEX.json");
}

/// (package, id) pairs from `alpine-310.trivy-vulns.json` (Trivy 0.76, same OSV data).
fn trivy_findings() -> BTreeSet<(String, String)> {
    let v: Value = serde_json::from_slice(
        &std::fs::read(testdata().join("images/thirdparty/alpine-310.trivy-vulns.json"))
            .expect("trivy expectations"),
    )
    .expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["package"].as_str().expect("p").to_owned(),
                f["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

#[test]
fn matching_is_a_stage_and_a_matcher_serves_many_scans() {
    let cache = tempfile::tempdir().expect("tmp");
    let mirror = testdata().join("matcher/mirror/osv");
    let opts = drydock_vulndb::UpdateOptions::new(mirror.to_str().expect("utf8"), cache.path());
    drydock_vulndb::update(&opts).expect("build DB");
    let matcher = Matcher::new(drydock_vulndb::Db::open_cache(cache.path()).expect("open"));
    let image = testdata().join("images/thirdparty/alpine-310.tar.gz");
    let first = scan_image(&image, None, Some(&matcher));
    let pairs = |r: &Report| -> BTreeSet<(String, String)> {
        r.vulnerabilities
            .iter()
            .flatten()
            .map(|f| (f.package.clone(), f.id.clone()))
            .collect()
    };
    assert_eq!(pairs(&first), trivy_findings());
    // A second scan through the same matcher (its caches now warm) finds the same.
    let second = scan_image(&image, None, Some(&matcher));
    assert_eq!(first.vulnerabilities, second.vulnerabilities);
    assert_eq!(first.not_covered, second.not_covered);
    // Without a matcher there is no vulnerability list at all, rather than an empty one.
    assert!(scan_image(&image, None, None).vulnerabilities.is_none());
}
