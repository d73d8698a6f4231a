//! The gate on the corpus image with secrets, misconfigurations and Python/npm/Go
//! vulnerabilities (`DRYDOCK_CORPUS`, debian-app), matched against the full advisory
//! data in `../shared/vulndata`. Expected values come from the corpus INDEX.json
//! (gen_index.py reads the image bytes, no scanner) and the CISA KEV catalog.

use crate::common::{Run, drydock, drydock_in};
use crate::policy::failed_rules;
use drydock_testkit::{Need, need};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

/// debian-app and a database built from the shared data, or `None` (the test returns;
/// testkit has reported the skip).
fn setup() -> Option<&'static (PathBuf, PathBuf, Value)> {
    let corpus = need(Need::Corpus)?;
    let vulndata = need(Need::SharedVulndata)?;
    static SETUP: OnceLock<(PathBuf, PathBuf, Value)> = OnceLock::new();
    Some(SETUP.get_or_init(|| {
        let cache = tempfile::tempdir().expect("tmp").keep();
        let run = drydock(&[
            "--cache-dir",
            cache.to_str().expect("utf8"),
            "db",
            "update",
            "--source",
            vulndata.join("osv").to_str().expect("utf8"),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let index: Value =
            serde_json::from_slice(&std::fs::read(corpus.join("INDEX.json")).expect("INDEX"))
                .expect("json");
        let image = index["images"]["debian-app"]["images"][0].clone();
        (
            cache,
            corpus.join("debian-app/debian-app.docker.tar"),
            image,
        )
    }))
}

fn gate(policy: &str, extra: &[&str]) -> Option<Run> {
    let (cache, image, _) = setup()?;
    let cwd = tempfile::tempdir().expect("tmp");
    std::fs::write(cwd.path().join("drydock.yaml"), policy).expect("policy");
    let mut args = vec![
        "--cache-dir",
        cache.to_str().expect("utf8"),
        "image",
        image.to_str().expect("utf8"),
        "-q",
    ];
    args.extend_from_slice(extra);
    Some(drydock_in(
        cwd.path(),
        &[("DRYDOCK_TODAY", "2026-12-02")],
        &args,
    ))
}

fn index() -> &'static Value {
    &setup().expect("setup").2
}

#[test]
fn secrets_and_misconfigurations_that_must_pass() {
    let Some(run) = gate("must_pass:\n  secrets: [private-key]\n", &[]) else {
        return;
    };
    // INDEX: the private key planted in layer 6 at /app/config/deploy_key.pem, line 1.
    let planted = index()["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .find(|s| s["rule"] == "private-key")
        .expect("planted key");
    let want = format!(
        "must_pass.secrets: 1 secret found: private-key at {}:{} (layer {})",
        planted["path"].as_str().expect("path"),
        planted["line"],
        planted["layer"]
    );
    assert!(run.stderr.contains(&want), "no '{want}' in {}", run.stderr);
    // The scanner ran because the policy needs it (image defaults have it anyway).
    assert_eq!(run.code, 1);
    // INDEX: root user, DB_PASSWORD in ENV, port 22 exposed.
    let config = &index()["config"];
    assert_eq!(config["user_is_root"], true);
    assert_eq!(config["env_secret_like"][0], "DB_PASSWORD");
    assert_eq!(config["exposed_ports"][0], "22/tcp");
    let Some(run) = gate(
        "must_pass:\n  misconfig: [DD-CFG-001, DD-CFG-002, DD-CFG-008]\n",
        &[],
    ) else {
        return;
    };
    assert!(
        run.stderr
            .contains("must_pass.misconfig: 3 checks failed: DD-CFG-001"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("Scanners: vuln, secret, misconfig"),
        "{}",
        run.stdout
    );
}

#[test]
fn banned_packages_in_the_final_filesystem_only() {
    let Some(run) = gate(
        "banned_packages: ['pkg:npm/lodash@4.17.4', left-pad]\n",
        &[],
    ) else {
        return;
    };
    // INDEX: lodash 4.17.4 is installed; left-pad was installed and then deleted.
    let npm: Vec<&str> = index()["inventory"]["npm"]
        .as_array()
        .expect("npm")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(npm.contains(&"lodash@4.17.4") && !npm.iter().any(|n| n.starts_with("left-pad@")));
    assert_eq!(
        failed_rules(&run),
        BTreeSet::from(["banned_packages".to_owned()])
    );
    assert!(
        run.stderr
            .contains("1 banned package installed: lodash 4.17.4"),
        "{}",
        run.stderr
    );
}

/// CVE-2023-39325 (Go's HTTP/2 rapid reset) is an alias of CVE-2023-44487, which CISA
/// added to KEV on 2023-10-10.
#[test]
fn kev_listed_finding_fails() {
    let Some(run) = gate("fail_on_kev: true\n", &[]) else {
        return;
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("in CISA's Known Exploited Vulnerabilities catalog"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("listed 2023-10-10"), "{}", run.stderr);
}

/// The shared data has no Debian 12 records: an OS coverage gate fails; `all` also
/// names the Java archives no Maven data covers.
#[test]
fn coverage_names_what_was_not_matched() {
    let Some(os) = gate("require_coverage: os\n", &[]) else {
        return;
    };
    assert!(
        os.stderr
            .contains("require_coverage: OS packages not fully covered: Debian:12"),
        "{}",
        os.stderr
    );
    let Some(all) = gate("require_coverage: all\n", &[]) else {
        return;
    };
    assert!(all.stderr.contains("Maven"), "{}", all.stderr);
}

/// Skipping the virtualenv (INDEX: the Python packages live under /app/venv) leaves no
/// Python package and no Python finding, and says what was skipped.
#[test]
fn skip_dirs_on_the_corpus_image() {
    let Some(run) = gate("", &["--skip-dirs", "/app/venv", "--format", "json"]) else {
        return;
    };
    let paths = &index()["inventory"]["python_paths"];
    assert!(paths[0].as_str().expect("path").starts_with("/app/venv/"));
    let r = run.json();
    let kinds: BTreeSet<&str> = r["packages"]
        .as_array()
        .expect("p")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert!(
        !kinds.contains("python") && kinds.contains("npm"),
        "{kinds:?}"
    );
    assert!(
        !r["vulnerabilities"]
            .to_string()
            .contains("\"package_kind\":\"python\"")
    );
    assert_eq!(r["skipped_by_request"][0]["paths"][0], "app/venv");
}

/// Ignoring everything under the virtualenv by path suppresses exactly the Python
/// findings, and keeps each one in `suppressed`.
#[test]
fn path_ignores_move_findings_to_suppressed() {
    let policy =
        "ignores:\n  - path: app/venv/**\n    reason: build-only venv\n    expires: 2027-06-30\n";
    let Some(run) = gate(policy, &["--format", "json"]) else {
        return;
    };
    let r = run.json();
    let suppressed = r["suppressed"].as_array().expect("suppressed");
    assert!(!suppressed.is_empty());
    assert!(
        suppressed
            .iter()
            .all(|s| s["vulnerability"]["package_kind"] == "python"),
        "{suppressed:?}"
    );
    assert!(
        r["vulnerabilities"]
            .as_array()
            .expect("v")
            .iter()
            .all(|f| f["package_kind"] != "python")
    );
}
