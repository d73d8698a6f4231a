//! Vulnerability scanning end to end: `db update` from a mirror as a user runs it, then
//! `image` with the default scanners, compared with Trivy's findings on the same data
//! (`testdata/images/thirdparty/alpine-310.trivy-vulns.json`, see its `_command`).

use crate::common::{db_update, drydock, repo_root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn alpine310() -> PathBuf {
    repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz")
}

/// (package, CVE) pairs Trivy 0.76 reported for alpine-310 with a DB built from
/// `../shared/vulndata` by `../shared/anchors/trivydb`.
fn trivy_expected() -> BTreeSet<(String, String)> {
    let path = repo_root().join("testdata/images/thirdparty/alpine-310.trivy-vulns.json");
    let v: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("trivy expectations")).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["package"].as_str().expect("pkg").to_owned(),
                f["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

fn update(cache: &Path, source: &Path) {
    let run = db_update(
        cache.to_str().expect("utf8"),
        source.to_str().expect("utf8"),
        &[],
    );
    assert_eq!(run.code, 0, "db update: {}\n{}", run.stdout, run.stderr);
}

fn findings(cache: &Path, input: &Path) -> (Value, BTreeSet<(String, String)>) {
    let run = drydock(&[
        "--cache-dir",
        cache.to_str().expect("utf8"),
        "image",
        input.to_str().expect("utf8"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let set = report["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities present by default")
        .iter()
        .map(|f| {
            (
                f["package"].as_str().unwrap_or("").to_owned(),
                f["id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (report, set)
}

fn vendored_mirror() -> PathBuf {
    repo_root().join("testdata/matcher/mirror/osv")
}

/// Trivy's findings for the CVEs the vendored mirror holds (it keeps a subset of the
/// Alpine 3.10 records).
fn trivy_expected_on_vendored_mirror() -> BTreeSet<(String, String)> {
    let ids = std::fs::read_to_string(vendored_mirror().join("Alpine:v3.10/modified_id.csv"))
        .expect("modified_id.csv");
    let held: BTreeSet<&str> = ids
        .lines()
        .filter_map(|l| l.split_once(','))
        .filter_map(|(_, id)| id.strip_prefix("ALPINE-"))
        .collect();
    let expected: BTreeSet<(String, String)> = trivy_expected()
        .into_iter()
        .filter(|(_, cve)| held.contains(cve.as_str()))
        .collect();
    assert!(
        expected.len() >= 5,
        "mirror too small for a meaningful check: {expected:?}"
    );
    expected
}

#[test]
fn vendored_mirror_matches_trivy_on_the_records_it_holds() {
    let tmp = tempfile::tempdir().expect("tmp");
    update(tmp.path(), &vendored_mirror());
    let (report, got) = findings(tmp.path(), &alpine310());
    assert_eq!(got, trivy_expected_on_vendored_mirror());
    for f in report["vulnerabilities"].as_array().expect("vulns") {
        assert_eq!(f["status"], "fixed", "{f}");
        assert_eq!(f["layer"]["index"], 0);
        assert!(!f["fixed_versions"].as_array().expect("fixed").is_empty());
    }
    let nc = report["not_covered"].to_string();
    assert!(
        nc.contains("Alpine:v3.10") && nc.contains("end of life"),
        "EOL release must be flagged: {nc}"
    );
}

#[test]
fn full_shared_data_matches_trivy() {
    let Some(vulndata) = drydock_testkit::need(drydock_testkit::Need::SharedVulndata) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    update(tmp.path(), &vulndata.join("osv"));
    let (_, got) = findings(tmp.path(), &alpine310());
    let expected = trivy_expected();
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

/// Exit code 3: the database is missing (distinct from a bad input, 2).
#[test]
fn scanning_without_a_database_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = alpine310();
    let run = drydock(&[
        "--cache-dir",
        tmp.path().to_str().expect("utf8"),
        "image",
        input.to_str().expect("utf8"),
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("no vulnerability database")
            && run.stderr.contains("drydock db update"),
        "{}",
        run.stderr
    );
}

#[test]
fn database_export_import_roundtrip() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    update(&a, &vendored_mirror());
    let file = tmp.path().join("db.export");
    let export = drydock(&[
        "--cache-dir",
        a.to_str().expect("utf8"),
        "db",
        "export",
        file.to_str().expect("utf8"),
    ]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let import = drydock(&[
        "--cache-dir",
        b.to_str().expect("utf8"),
        "db",
        "import",
        file.to_str().expect("utf8"),
    ]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    // The imported copy alone must still give Trivy's findings on the same records.
    std::fs::remove_dir_all(&a).expect("rm exported-from cache");
    let (_, from_b) = findings(&b, &alpine310());
    assert_eq!(from_b, trivy_expected_on_vendored_mirror());
    let status = drydock(&["--cache-dir", b.to_str().expect("utf8"), "db", "status"]);
    assert!(status.stdout.contains("Alpine:v3.10"), "{}", status.stdout);
}

/// Alpine edge as a user runs it: `db update --alpine-edge DIR` (the trimmed real secdb
/// edge files), then `rootfs` on the edge fixture: the 11 findings Trivy 0.76 reported on
/// the same rootfs and files (`testdata/distro-advisories/alpine-secdb/edge.trivy.json`).
#[test]
fn alpine_edge_is_matched_from_its_secdb() {
    let cache = tempfile::tempdir().expect("tmp");
    let c = cache.path().to_str().expect("utf8");
    let osv = repo_root().join("testdata/matcher/mirror/osv");
    let edge = repo_root().join("testdata/distro-advisories/alpine-secdb/edge");
    let up = db_update(
        c,
        osv.to_str().expect("utf8"),
        &["--alpine-edge", edge.to_str().expect("utf8")],
    );
    assert_eq!(up.code, 0, "{}\n{}", up.stdout, up.stderr);
    let root = repo_root().join("testdata/distros/alpine-edge");
    let run = drydock(&[
        "--cache-dir",
        c,
        "rootfs",
        root.to_str().expect("utf8"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let got: BTreeSet<(String, String)> = report["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().expect(k).to_owned();
            (s("package"), s("id"))
        })
        .collect();
    let trivy: Vec<[String; 4]> = serde_json::from_slice(
        &std::fs::read(edge.with_file_name("edge.trivy.json")).expect("trivy findings"),
    )
    .expect("json");
    let want: BTreeSet<_> = trivy.into_iter().map(|[p, id, ..]| (p, id)).collect();
    assert_eq!(got, want);
    assert_eq!(report["not_covered"], serde_json::json!([]));
}

/// A mirror's edge file that is not secdb JSON fails the update in one line naming it.
#[test]
fn corrupt_mirror_edge_secdb_is_a_clean_error() {
    let mirror = tempfile::tempdir().expect("tmp");
    let osv = mirror.path().join("osv/Alpine:v3.10");
    std::fs::create_dir_all(&osv).expect("mkdir");
    let from = repo_root().join("testdata/matcher/mirror/osv/Alpine:v3.10");
    for f in ["all.zip", "modified_id.csv"] {
        std::fs::copy(from.join(f), osv.join(f)).expect("copy");
    }
    let bad = mirror.path().join("alpine-secdb/edge/main.json");
    std::fs::create_dir_all(bad.parent().expect("dir")).expect("mkdir");
    std::fs::write(&bad, b"{\"packages\": [{\"pkg\": 7}]}").expect("write");
    let cache = tempfile::tempdir().expect("tmp");
    let run = db_update(
        cache.path().to_str().expect("utf8"),
        mirror.path().join("osv").to_str().expect("utf8"),
        &[],
    );
    run.assert_clean_error(&bad, "secdb");
}
