//! The gate as a Trivy user drives it: filter flags, `--exit-code`, skip flags, ignore
//! files, VEX documents, baselines, and one test per documented exit code.

use crate::common::{Run, drydock, drydock_in, mirror_db, repo_root};
use crate::policy::failed_rules;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

pub fn alpine310() -> PathBuf {
    repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz")
}

/// `drydock image alpine-310 ARGS` from a fresh working directory holding `files`.
pub fn scan_with(files: &[(&str, &str)], today: &str, args: &[&str]) -> Run {
    let cwd = tempfile::tempdir().expect("tmp");
    for (name, content) in files {
        std::fs::write(cwd.path().join(name), content).expect("write");
    }
    let cache = mirror_db().to_str().expect("utf8").to_owned();
    let image = alpine310();
    let mut all = vec![
        "--cache-dir",
        &cache,
        "image",
        image.to_str().expect("utf8"),
        "-q",
    ];
    all.extend_from_slice(args);
    drydock_in(cwd.path(), &[("DRYDOCK_TODAY", today)], &all)
}

fn pairs(list: &Value) -> BTreeSet<(String, String)> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                f["package"].as_str().unwrap_or("").into(),
                f["id"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

fn suppressed_pairs(report: &Value) -> BTreeSet<(String, String)> {
    report["suppressed"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|e| e["vulnerability"].clone())
                .collect::<Vec<_>>()
        })
        .map(|v| pairs(&Value::Array(v)))
        .unwrap_or_default()
}

fn pair(p: &str, id: &str) -> (String, String) {
    (p.to_owned(), id.to_owned())
}

const TODAY: &str = "2026-12-02";

#[test]
fn severity_filters_what_is_reported_and_what_gates() {
    let run = scan_with(
        &[],
        TODAY,
        &["--severity", "HIGH,CRITICAL", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    let vulns = r["vulnerabilities"].as_array().expect("vulns");
    assert_eq!(vulns.len(), 6, "NVD rates 3 CVEs HIGH, each in 2 packages");
    assert!(vulns.iter().all(|f| f["severity"] == "HIGH"));
    assert_eq!(r["filtered"]["vulnerabilities"], 14);
    assert_eq!(
        r["filtered"]["severities"],
        serde_json::json!(["HIGH", "CRITICAL"])
    );
    // What is filtered out does not gate: --exit-code fires on what remains only.
    let run = scan_with(&[], TODAY, &["--severity", "HIGH", "--exit-code", "4"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("findings reported (--exit-code 4): 6 vulnerabilities"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("Filtered out (severity HIGH): 14 vulnerabilities"),
        "{}",
        run.stdout
    );
    let run = scan_with(&[], TODAY, &["--severity", "CRITICAL", "--exit-code", "4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The policy's own verdict comes first: exit 1 even with --exit-code.
    let run = scan_with(&[], TODAY, &["--fail-on", "HIGH", "--exit-code", "4"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// Trivy lists a fixed version for every finding in this image, so `--ignore-unfixed`
/// leaves all of them.
#[test]
fn ignore_unfixed_keeps_fixable_findings() {
    let trivy: Value = serde_json::from_slice(
        &std::fs::read(repo_root().join("testdata/images/thirdparty/alpine-310.trivy-vulns.json"))
            .expect("read"),
    )
    .expect("json");
    assert!(
        trivy["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["fixed"] != "")
    );
    let r = scan_with(&[], TODAY, &["--ignore-unfixed", "--format", "json"]).json();
    assert_eq!(r["vulnerabilities"].as_array().map(Vec::len), Some(20));
    assert_eq!(r["filtered"]["vulnerabilities"], 0);
    assert_eq!(r["filtered"]["ignore_unfixed"], true);
}

#[test]
fn pkg_types_split_os_from_library() {
    let os = scan_with(&[], TODAY, &["--pkg-types", "os", "--format", "json"]).json();
    assert_eq!(os["vulnerabilities"].as_array().map(Vec::len), Some(20));
    let lib = scan_with(&[], TODAY, &["--pkg-types", "library", "--format", "json"]).json();
    assert_eq!(lib["vulnerabilities"].as_array().map(Vec::len), Some(0));
    assert_eq!(lib["filtered"]["vulnerabilities"], 20);
}

/// A skipped path is not read: skipping the apk database leaves no apk packages (only
/// what the binary classifier reads from the programs themselves) and says so, and the
/// report lists what each pattern skipped.
#[test]
fn skipped_paths_are_not_read_and_are_reported() {
    for args in [
        &["--skip-files", "/lib/apk/db/installed"][..],
        &["--skip-dirs", "./lib/apk"],
        &["--skip-dirs", "lib/*/db"],
    ] {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--format", "json"]);
        let r = scan_with(&[], TODAY, &all).json();
        let kinds: Vec<&str> = r["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| p["kind"].as_str().unwrap_or(""))
            .collect();
        assert!(kinds.iter().all(|k| *k == "binary"), "{args:?}: {kinds:?}");
        assert!(
            r["not_covered"]
                .to_string()
                .contains("no package database found"),
            "{args:?}"
        );
        let s = &r["skipped_by_request"][0];
        assert_eq!(s["pattern"], args[1], "{args:?}");
        let want = if args[0] == "--skip-files" {
            "lib/apk/db/installed"
        } else {
            "lib/apk/db"
        };
        let want = if args[1] == "./lib/apk" {
            "lib/apk"
        } else {
            want
        };
        assert_eq!(s["paths"][0], want, "{args:?}");
        assert!(s["files"].as_u64() >= Some(1), "{args:?}");
    }
    let table = scan_with(&[], TODAY, &["--skip-dirs", "etc"]);
    assert!(
        table
            .stdout
            .contains("Skipped by request (--skip-dirs etc):"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("OS: not detected"),
        "skipping etc hides os-release: {}",
        table.stdout
    );
}

#[test]
fn input_flag_is_the_positional_path() {
    let cache = mirror_db().to_str().expect("utf8").to_owned();
    let image = alpine310();
    let image = image.to_str().expect("utf8");
    let a = drydock(&["--cache-dir", &cache, "image", image, "--format", "json"]);
    let b = drydock(&[
        "--cache-dir",
        &cache,
        "image",
        "--input",
        image,
        "--format",
        "json",
    ]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
}

/// `image` runs the vulnerability and secret scanners by default, as Trivy does, and the
/// table says which ran.
#[test]
fn default_scanners_for_image() {
    let run = scan_with(&[], TODAY, &[]);
    assert!(
        run.stdout.ends_with("Scanners: vuln, secret\n"),
        "{}",
        run.stdout
    );
    let r = scan_with(&[], TODAY, &["--format", "json"]).json();
    assert!(
        r["secrets"].is_array() && r["misconfigurations"].is_null(),
        "{r}"
    );
    let none = scan_with(&[], TODAY, &["--scanners", "none"]);
    assert!(
        none.stdout.ends_with("Scanners: none (inventory only)\n"),
        "{}",
        none.stdout
    );
}

/// Ignore entries in the policy: they suppress until their expiry date, then stop and
/// are reported as expired.
#[test]
fn ignores_suppress_until_they_expire() {
    let policy = "fail_on_severity: HIGH\nignores:\n\
        - id: CVE-2020-1967\n  reason: no TLS 1.3 server\n  expires: 2027-01-01\n\
        - id: CVE-2021-23840\n  reason: tracked in SEC-1\n  expires: 2027-01-01\n\
        - id: CVE-2021-3450\n  package: libssl1.1\n  reason: X509_V_FLAG_X509_STRICT unused\n  expires: 2027-01-01\n\
        - id: CVE-2021-3450\n  package: 'pkg:apk/alpine/libcrypto1.1'\n  path: lib/apk/db/*\n  reason: same\n  expires: 2027-01-01\n";
    let run = scan_with(
        &[("drydock.yaml", policy)],
        "2026-12-31",
        &["--format", "json"],
    );
    assert_eq!(run.code, 0, "every HIGH finding is ignored: {}", run.stderr);
    let r = run.json();
    let s = r["suppressed"].as_array().expect("suppressed");
    assert_eq!(s.len(), 6);
    assert!(
        s.iter()
            .all(|e| e["by"] == "ignore" && e["expires"] == "2027-01-01")
    );
    assert!(s.iter().any(|e| e["reason"] == "no TLS 1.3 server"));
    let run = scan_with(&[("drydock.yaml", policy)], "2027-01-01", &[]);
    assert_eq!(
        failed_rules(&run),
        BTreeSet::from(["fail_on_severity".to_owned()])
    );
    assert_eq!(
        run.stderr
            .matches("policy warning: ignores: ignore of CVE-")
            .count(),
        4,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("ignore of CVE-2020-1967 expired on 2027-01-01 (no TLS 1.3 server;"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2 findings count again"),
        "{}",
        run.stderr
    );
}

#[test]
fn trivy_ignore_files() {
    // Found in the working directory, as Trivy does.
    let trivyignore =
        "# accepted until the base image moves\nCVE-2020-1967 exp:2027-01-01\nCVE-2021-28831\n";
    let r = scan_with(
        &[(".trivyignore", trivyignore)],
        TODAY,
        &["--format", "json"],
    )
    .json();
    assert_eq!(
        suppressed_pairs(&r),
        BTreeSet::from([
            pair("libcrypto1.1", "CVE-2020-1967"),
            pair("libssl1.1", "CVE-2020-1967"),
            pair("busybox", "CVE-2021-28831"),
            pair("ssl_client", "CVE-2021-28831"),
        ])
    );
    assert_eq!(
        r["suppressed"][0]["reason"],
        "accepted until the base image moves"
    );
    // The YAML form narrows by purl.
    let yaml = "vulnerabilities:\n  - id: CVE-2021-3450\n    purls: ['pkg:apk/alpine/libssl1.1']\n    statement: not used\n";
    let r = scan_with(
        &[("ign.yaml", yaml)],
        TODAY,
        &["--ignorefile", "ign.yaml", "--format", "json"],
    )
    .json();
    assert_eq!(
        suppressed_pairs(&r),
        BTreeSet::from([pair("libssl1.1", "CVE-2021-3450")])
    );
    // drydock's own YAML file needs reasons and expiry dates.
    let own = "ignores:\n  - id: CVE-2021-3450\n    reason: r\n";
    let run = scan_with(&[("own.yaml", own)], TODAY, &["--ignorefile", "own.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("own.yaml") && run.stderr.contains("expires"),
        "{}",
        run.stderr
    );
}

/// The hand-written VEX documents of `testdata/vex` (see SOURCES.md for what each
/// statement must do).
#[test]
fn vex_documents_suppress_what_they_state() {
    let vex = repo_root().join("testdata/vex");
    let openvex = vex.join("alpine-310.openvex.json");
    let cdx = vex.join("alpine-310.cdx.json");
    let run = scan_with(
        &[],
        TODAY,
        &[
            "--vex",
            openvex.to_str().expect("utf8"),
            "--vex",
            cdx.to_str().expect("utf8"),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    assert_eq!(
        suppressed_pairs(&r),
        BTreeSet::from([
            pair("libssl1.1", "CVE-2020-1967"),
            pair("busybox", "CVE-2021-28831"),
            pair("libcrypto1.1", "CVE-2021-23841"),
            pair("musl-utils", "CVE-2020-28928"),
        ])
    );
    let reasons: BTreeSet<&str> = r["suppressed"]
        .as_array()
        .expect("s")
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .collect();
    assert!(reasons.contains("VEX not_affected: vulnerable_code_not_in_execute_path — No TLS 1.3 server runs in this image"));
    assert!(reasons.contains("VEX fixed: patched in our build"));
    let kept = pairs(&r["vulnerabilities"]);
    for still in [
        pair("libcrypto1.1", "CVE-2020-1967"),
        pair("ssl_client", "CVE-2021-28831"),
        pair("libssl1.1", "CVE-2021-23840"),
        pair("libssl1.1", "CVE-2021-3450"),
        pair("musl", "CVE-2020-28928"),
        pair("apk-tools", "CVE-2021-36159"),
        pair("apk-tools", "CVE-2021-30139"),
    ] {
        assert!(kept.contains(&still), "{still:?} must stay");
    }
    assert!(
        run.stderr.contains("policy warning: vex:")
            && run
                .stderr
                .contains("CVE-2021-3450 ignored: not_affected needs a justification"),
        "{}",
        run.stderr
    );
    let table = scan_with(&[], TODAY, &["--vex", openvex.to_str().expect("utf8")]);
    assert!(table.stdout.contains("Suppressed: 2"), "{}", table.stdout);
    assert!(
        table.stdout.contains("VEX (") && table.stdout.contains("alpine-310.openvex.json"),
        "{}",
        table.stdout
    );
}

/// Deadlines count from the first sighting in a baseline report, carried from report
/// to report; a finding new since the baseline starts its clock today.
#[test]
fn baseline_dates_first_sightings() {
    let policy = [("drydock.yaml", "sla:\n  HIGH: 30\n")];
    let first = scan_with(&policy, "2025-01-10", &["--format", "json"]);
    let mut baseline = first.json();
    // Pretend CVE-2021-3450 appeared only after this first report.
    baseline["vulnerabilities"]
        .as_array_mut()
        .expect("vulns")
        .retain(|f| f["id"] != "CVE-2021-3450");
    let dir = tempfile::tempdir().expect("tmp");
    let b1 = dir.path().join("b1.json");
    std::fs::write(&b1, baseline.to_string()).expect("write");
    // Without a baseline, 30 days from publication (2024-12-24) are over by 2025-02-05.
    assert_eq!(scan_with(&policy, "2025-02-05", &[]).code, 1);
    let second = scan_with(
        &policy,
        "2025-02-05",
        &["--baseline", b1.to_str().expect("utf8"), "--format", "json"],
    );
    assert_eq!(second.code, 0, "{}", second.stderr);
    let r = second.json();
    let by_id = |id: &str| {
        r["vulnerabilities"]
            .as_array()
            .expect("v")
            .iter()
            .find(|f| f["id"] == id && f["package"] == "libssl1.1")
            .cloned()
            .expect(id)
    };
    assert_eq!(
        (
            by_id("CVE-2020-1967")["first_seen"].as_str(),
            by_id("CVE-2020-1967")["due"].as_str()
        ),
        (Some("2025-01-10"), Some("2025-02-09"))
    );
    assert_eq!(
        (
            by_id("CVE-2021-3450")["first_seen"].as_str(),
            by_id("CVE-2021-3450")["due"].as_str()
        ),
        (Some("2025-02-05"), Some("2025-03-07"))
    );
    let b2 = dir.path().join("b2.json");
    std::fs::write(&b2, &second.stdout).expect("write");
    let third = scan_with(
        &policy,
        "2025-02-10",
        &["--baseline", b2.to_str().expect("utf8")],
    );
    assert_eq!(third.code, 1, "{}", third.stderr);
    assert!(
        third
            .stderr
            .contains("sla: 4 vulnerabilities past the remediation deadline"),
        "{}",
        third.stderr
    );
    assert!(
        third.stderr.contains("30 days from first seen 2025-01-10"),
        "{}",
        third.stderr
    );
}

/// A report the policy rewrote (suppressed entries of every kind, filters, skipped
/// paths, due dates, first sightings, verdict warnings) reads back into `Report` and
/// renders to the same bytes, as every other report does.
#[test]
fn gated_reports_read_back_losslessly() {
    let vex = repo_root().join("testdata/vex/alpine-310.openvex.json");
    let dir = tempfile::tempdir().expect("tmp");
    let baseline = dir.path().join("b.json");
    let first = scan_with(
        &[("drydock.yaml", "sla:\n  HIGH: 30\n")],
        "2025-01-10",
        &["--format", "json"],
    );
    std::fs::write(&baseline, &first.stdout).expect("write");
    let policy = "sla:\n  HIGH: 30\nseverity: [HIGH, MEDIUM, LOW, UNKNOWN]\nignores:\n\
        - id: DD-CFG-009\n  reason: probes in k8s\n  expires: 2027-01-01\n\
        - id: CVE-2021-3449\n  reason: r\n  expires: 2020-01-01\n";
    let run = scan_with(
        &[("drydock.yaml", policy)],
        "2025-02-01",
        &[
            "--scanners",
            "vuln,secret,misconfig",
            "--vex",
            vex.to_str().expect("utf8"),
            "--baseline",
            baseline.to_str().expect("utf8"),
            "--skip-dirs",
            "usr/share",
            "--format",
            "json",
        ],
    );
    let report: drydock_model::Report = serde_json::from_str(&run.stdout).expect("a Report");
    assert!(
        report.suppressed.len() >= 3
            && report.filtered.is_some()
            && !report.skipped_by_request.is_empty()
    );
    let v = report.verdict.as_ref().expect("verdict");
    assert!(!v.warnings.is_empty());
    let mut again = Vec::new();
    drydock_report::render(
        &report,
        drydock_report::Format::Json,
        &Default::default(),
        &mut again,
    )
    .expect("render");
    assert_eq!(String::from_utf8(again).expect("utf8"), run.stdout);
}
