//! Every policy rule on real scans: the vendored Alpine 3.10 image (and small images built
//! here where a rule needs labels or history the vendored ones lack) against the vendored
//! OSV mirror, with the clock injected through `DRYDOCK_TODAY`.
//!
//! Expected values come from the inputs, not from drydock: severities are NVD's CVSS v3
//! ratings, EPSS scores are read from the vendored feed, publication dates from the OSV
//! records, tags/created/labels from the image config, licenses from the apk database.

use crate::common::{
    Blob, Run, Tar, debian_layer, drydock_in, mirror_db, repo_root, write_oci_with,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn alpine310() -> PathBuf {
    repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz")
}

/// Scans `image` from a fresh working directory holding `drydock.yaml` = `policy`.
pub fn gate(image: &Path, policy: &str, today: &str, extra: &[&str]) -> Run {
    let cwd = tempfile::tempdir().expect("tmp");
    std::fs::write(cwd.path().join("drydock.yaml"), policy).expect("policy");
    let cache = mirror_db().to_str().expect("utf8").to_owned();
    let mut args = vec![
        "--cache-dir",
        &cache,
        "image",
        image.to_str().expect("utf8"),
        "-q",
    ];
    args.extend_from_slice(extra);
    drydock_in(cwd.path(), &[("DRYDOCK_TODAY", today)], &args)
}

/// The rules that failed, from the stderr lines (`drydock: policy failed: RULE: ...`).
pub fn failed_rules(run: &Run) -> BTreeSet<String> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("drydock: policy failed: "))
        .filter_map(|l| l.split_once(": ").map(|(r, _)| r.to_owned()))
        .collect()
}

/// (package, CVE) pairs Trivy reported for alpine-310 (see vuln.rs).
fn trivy_pairs() -> Vec<(String, String)> {
    let path = repo_root().join("testdata/images/thirdparty/alpine-310.trivy-vulns.json");
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["package"].as_str().unwrap_or("").into(),
                f["id"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

/// EPSS probabilities from the vendored feed, by CVE.
fn epss(cve: &str) -> Option<f64> {
    let csv = std::fs::read_to_string(repo_root().join("testdata/matcher/mirror/epss/epss.csv"))
        .expect("epss.csv");
    csv.lines()
        .filter_map(|l| l.split_once(','))
        .find(|(id, _)| *id == cve)
        .and_then(|(_, rest)| rest.split(',').next()?.parse().ok())
}

struct Case {
    name: &'static str,
    policy: &'static str,
    today: &'static str,
    /// Rules expected to fail (empty: the policy passes, exit 0).
    fails: &'static [&'static str],
    /// Text expected on stderr.
    says: &'static [&'static str],
}

const TODAY: &str = "2026-12-02";

/// NVD rates CVE-2020-1967 7.5, CVE-2021-23840 7.5 and CVE-2021-3450 7.4 (HIGH), each in
/// both libcrypto1.1 and libssl1.1; nothing in this image is CRITICAL. The OSV records
/// of all three were published 2024-12-24, so a 30-day HIGH deadline is 2025-01-23.
const ALPINE_CASES: &[Case] = &[
    Case {
        name: "severity HIGH",
        policy: "fail_on_severity: HIGH\n",
        today: TODAY,
        fails: &["fail_on_severity"],
        says: &["6 vulnerabilities at HIGH or above"],
    },
    Case {
        name: "severity high (any case)",
        policy: "fail_on_severity: high\n",
        today: TODAY,
        fails: &["fail_on_severity"],
        says: &[],
    },
    Case {
        name: "severity CRITICAL",
        policy: "fail_on_severity: CRITICAL\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "fixable only",
        policy: "fail_on_severity: HIGH\nfixable_only: true\n",
        today: TODAY,
        fails: &["fail_on_severity"],
        says: &["6 vulnerabilities at HIGH or above with a fix"],
    },
    Case {
        name: "KEV",
        policy: "fail_on_kev: true\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "SLA running",
        policy: "sla:\n  HIGH: 30\n",
        today: "2025-01-10",
        fails: &[],
        says: &[
            "policy warning: sla: 6 vulnerabilities to remediate within the deadline",
            "due 2025-01-23, 13 days left",
        ],
    },
    Case {
        name: "SLA due today",
        policy: "sla:\n  HIGH: 30\n",
        today: "2025-01-23",
        fails: &[],
        says: &["0 days left"],
    },
    Case {
        name: "SLA past",
        policy: "sla:\n  HIGH: 30\n",
        today: "2025-01-24",
        fails: &["sla"],
        says: &[
            "6 vulnerabilities past the remediation deadline",
            "due 2025-01-23, 30 days from published 2024-12-24",
        ],
    },
    Case {
        name: "registry allowed",
        policy: "allowed_registries: [docker.io]\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "registry path allowed",
        policy: "allowed_registries: [docker.io/library]\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "registry refused",
        policy: "allowed_registries: [ghcr.io/acme]\n",
        today: TODAY,
        fails: &["allowed_registries"],
        says: &["image docker.io/library/alpine:3.10 not from an allowed registry"],
    },
    Case {
        name: "base unidentified",
        policy: "allowed_base_images: ['alpine:*']\n",
        today: TODAY,
        fails: &["allowed_base_images"],
        says: &["base image not identified"],
    },
    Case {
        name: "label missing",
        policy: "required_labels:\n  maintainer: '*'\n",
        today: TODAY,
        fails: &["required_labels"],
        says: &["maintainer missing"],
    },
    Case {
        name: "young enough",
        policy: "max_image_age_days: 365\n",
        today: "2020-06-01",
        fails: &[],
        says: &[],
    },
    Case {
        name: "too old",
        policy: "max_image_age_days: 365\n",
        today: TODAY,
        fails: &["max_image_age_days"],
        says: &["image created 2020-01-23, 2505 days ago"],
    },
    Case {
        name: "banned name",
        policy: "banned_packages: [busybox]\n",
        today: TODAY,
        fails: &["banned_packages"],
        says: &["1 banned package installed: busybox 1.30.1-r3"],
    },
    Case {
        name: "banned purl",
        policy: "banned_packages: ['pkg:apk/alpine/musl@1.1.22-r3']\n",
        today: TODAY,
        fails: &["banned_packages"],
        says: &["musl 1.1.22-r3"],
    },
    Case {
        name: "bans that match nothing",
        policy: "banned_packages: ['pkg:apk/alpine/musl@1.2.0-r0', 'telnet*', 'pkg:deb/debian/busybox']\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "banned license",
        policy: "banned_licenses: ['GPL-2.0*']\n",
        today: TODAY,
        fails: &["banned_licenses"],
        says: &["5 packages under a banned license"],
    },
    Case {
        name: "license not present",
        policy: "banned_licenses: ['AGPL-*']\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "must pass: root user",
        policy: "must_pass:\n  misconfig: [DD-CFG-001]\n",
        today: TODAY,
        fails: &["must_pass.misconfig"],
        says: &["DD-CFG-001 Image runs as root"],
    },
    Case {
        name: "must pass: empty passwords",
        policy: "must_pass:\n  misconfig: [DD-CFG-014, DD-CFG-015]\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "no secrets",
        policy: "must_pass:\n  secrets: ['*']\n",
        today: TODAY,
        fails: &[],
        says: &[],
    },
    Case {
        name: "coverage: EOL release",
        policy: "require_coverage: os\n",
        today: TODAY,
        fails: &["require_coverage"],
        says: &["Alpine:v3.10: end of life since 2021-05-01"],
    },
];

#[test]
fn each_rule_on_the_alpine_image() {
    for case in ALPINE_CASES {
        let run = gate(&alpine310(), case.policy, case.today, &[]);
        let want: BTreeSet<String> = case.fails.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(failed_rules(&run), want, "{}: {}", case.name, run.stderr);
        assert_eq!(
            run.code,
            if want.is_empty() { 0 } else { 1 },
            "{}: {}",
            case.name,
            run.stderr
        );
        for needle in case.says {
            assert!(
                run.stderr.contains(needle),
                "{}: no '{needle}' in {}",
                case.name,
                run.stderr
            );
        }
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

/// The EPSS rule against the feed: every Trivy finding whose CVE has a probability at
/// or above the threshold, and no other.
#[test]
fn epss_threshold_matches_the_feed() {
    for threshold in [0.5, 0.6, 0.99] {
        let expected = trivy_pairs()
            .iter()
            .filter(|(_, cve)| epss(cve).is_some_and(|p| p >= threshold))
            .count();
        let run = gate(
            &alpine310(),
            &format!("fail_on_epss: {threshold}\n"),
            TODAY,
            &[],
        );
        if expected == 0 {
            assert_eq!(run.code, 0, "{threshold}: {}", run.stderr);
        } else {
            assert_eq!(run.code, 1, "{threshold}: {}", run.stderr);
            assert!(
                run.stderr.contains(&format!(
                    "fail_on_epss: {expected} vulnerabilities with EPSS >= {threshold}"
                )),
                "{threshold}: expected {expected}: {}",
                run.stderr
            );
        }
    }
}

/// Due dates are in the report: JSON `due` on each finding the SLA covers, and a `Due`
/// column in the table.
#[test]
fn due_dates_are_reported() {
    let run = gate(
        &alpine310(),
        "sla:\n  HIGH: 30\n  UNKNOWN: 365\n",
        "2025-01-10",
        &["--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    for f in report["vulnerabilities"].as_array().expect("vulns") {
        let want = match (f["id"].as_str(), f["severity"].as_str()) {
            (Some("CVE-2020-1967" | "CVE-2021-23840" | "CVE-2021-3450"), _) => Some("2025-01-23"),
            (_, Some("UNKNOWN")) => f["published"].as_str().map(|p| match &p[..10] {
                // 365 days after the OSV records' publication dates.
                "2024-12-24" => "2025-12-24",
                "2024-12-28" => "2025-12-28",
                other => panic!("unexpected publication date {other}"),
            }),
            _ => None,
        };
        assert_eq!(f["due"].as_str(), want, "{f}");
    }
    assert_eq!(report["verdict"]["evaluated_on"], "2025-01-10");
    let table = gate(&alpine310(), "sla:\n  HIGH: 30\n", "2025-01-10", &[]);
    assert!(table.stdout.contains("┆ Due"), "{}", table.stdout);
    assert!(table.stdout.contains("Policy: PASS"), "{}", table.stdout);
    assert!(
        table.stdout.contains("WARN sla: 6 vulnerabilities"),
        "{}",
        table.stdout
    );
}

/// A scanner the policy needs runs without being asked; an explicit `--scanners` is
/// respected, and the rule then fails because its scanner did not run.
#[test]
fn scanners_follow_the_policy() {
    let policy = "must_pass:\n  misconfig: [DD-CFG-001]\n";
    let run = gate(&alpine310(), policy, TODAY, &[]);
    assert!(
        run.stdout.contains("Scanners: vuln, secret, misconfig"),
        "{}",
        run.stdout
    );
    let run = gate(&alpine310(), policy, TODAY, &["--scanners", "vuln"]);
    assert_eq!(
        failed_rules(&run),
        BTreeSet::from(["must_pass.misconfig".to_owned()])
    );
    assert!(
        run.stderr
            .contains("the misconfiguration scanner did not run"),
        "{}",
        run.stderr
    );
    let run = gate(
        &alpine310(),
        "fail_on_severity: LOW\nrequire_coverage: os\n",
        TODAY,
        &["--scanners", "none"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("fail_on_severity: the vulnerability scanner did not run"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("require_coverage: the vulnerability scanner did not run"),
        "{}",
        run.stderr
    );
}

fn built(dir: &Path, layers: Vec<Blob>, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let path = dir.join("img");
    write_oci_with(&path, &layers, edit);
    path
}

/// Labels, base image and creation date as the image config states them.
#[test]
fn image_rules_on_a_labelled_image() {
    let tmp = tempfile::tempdir().expect("tmp");
    let img = built(
        tmp.path(),
        vec![Blob::plain(debian_layer().finish())],
        |c| {
            c["created"] = json!("2026-11-01T10:00:00Z");
            c["config"]["Labels"] = json!({
                "org.opencontainers.image.base.name": "docker.io/library/debian:12-slim",
                "org.opencontainers.image.base.digest": "sha256:5f7d5664eae4a192c2d2d6cb67fc3f3c7891a8722cd2903cc35aa649a12b0c8d",
                "org.opencontainers.image.source": "https://github.com/acme/app",
            });
        },
    );
    let cases: &[(&str, &[&str], &str)] = &[
        ("allowed_base_images: ['debian:12*']\n", &[], ""),
        ("allowed_base_images: ['debian']\n", &[], ""),
        (
            "allowed_base_images: ['sha256:5f7d5664eae4a192c2d2d6cb67fc3f3c7891a8722cd2903cc35aa649a12b0c8d']\n",
            &[],
            "",
        ),
        (
            "allowed_base_images: ['ubuntu:*', 'debian:11*']\n",
            &["allowed_base_images"],
            "base image docker.io/library/debian:12-slim @ sha256:5f7d",
        ),
        ("allowed_registries: [docker.io]\n", &[], ""),
        (
            "allowed_registries: [ghcr.io]\n",
            &["allowed_registries"],
            "base image docker.io/library/debian:12-slim not from an allowed registry",
        ),
        (
            "required_labels:\n  org.opencontainers.image.source: 'https://github.com/acme/*'\n",
            &[],
            "",
        ),
        (
            "required_labels:\n  org.opencontainers.image.source: 'https://gitlab.com/*'\n  org.opencontainers.image.revision: '*'\n",
            &["required_labels"],
            "org.opencontainers.image.revision missing",
        ),
        ("max_image_age_days: 31\n", &[], ""),
        (
            "max_image_age_days: 30\n",
            &["max_image_age_days"],
            "image created 2026-11-01, 31 days ago",
        ),
        // Debian 12 is in the mirror and supported until 2028: the OS is covered.
        ("require_coverage: os\n", &[], ""),
    ];
    for (policy, fails, says) in cases {
        let run = gate(&img, policy, TODAY, &[]);
        let want: BTreeSet<String> = fails.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(failed_rules(&run), want, "{policy}: {}", run.stderr);
        assert!(
            run.stderr.contains(says),
            "{policy}: no '{says}' in {}",
            run.stderr
        );
    }
    let report = gate(&img, "", TODAY, &["--format", "json"]).json();
    assert_eq!(report["artifact"]["base_image"]["source"], "label");
    assert_eq!(report["artifact"]["created"], "2026-11-01T10:00:00Z");
}

/// A history with the base image's `CMD` before the image's own layers: where the base
/// ends is known, which base it is is not, so an allow-list cannot pass it.
#[test]
fn base_image_from_history() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layers = vec![
        Blob::plain(debian_layer().finish()),
        Blob::plain(Tar::default().file("app/run.sh", b"#!/bin/sh\n").finish()),
    ];
    let img = built(tmp.path(), layers, |c| {
        c["history"] = json!([
            {"created_by": "/bin/sh -c #(nop) ADD file:0123 in / "},
            {"created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true},
            {"created_by": "COPY run.sh /app/"},
            {"created_by": "CMD [\"/app/run.sh\"]", "empty_layer": true},
        ]);
    });
    let run = gate(
        &img,
        "allowed_base_images: ['debian:12*']\n",
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("the history shows 1 base layer,"),
        "{}",
        run.stderr
    );
    let base = &run.json()["artifact"]["base_image"];
    assert_eq!(
        (base["layers"].as_u64(), base["source"].as_str()),
        (Some(1), Some("history"))
    );
}

/// busybox has no package database: an OS gate must not pass it just because nothing
/// was scanned (Trivy exits 0 there).
#[test]
fn coverage_fails_an_image_without_package_database() {
    let busybox = repo_root().join("testdata/images/busybox/busybox.oci.tar");
    let run = gate(&busybox, "require_coverage: os\n", TODAY, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("os-packages: OS: unknown — no package database found"),
        "{}",
        run.stderr
    );
    let plain = gate(&busybox, "fail_on_severity: LOW\n", TODAY, &[]);
    assert_eq!(
        plain.code, 0,
        "no findings, no coverage rule: passes: {}",
        plain.stderr
    );
}
