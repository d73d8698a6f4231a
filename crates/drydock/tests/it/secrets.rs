//! The secret scanner through the CLI: `fs`, a user rules file, `--debug`.

use crate::common::drydock;
use serde_json::Value;
use std::path::Path;

/// A syntactically valid GitHub classic token made for this test (not a real credential).
const TOKEN: &str = "ghp_R7kz2QwX9mTb4LpV8nYc3HsJ6dFgA1eUoZ0i";

fn scan(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "fs",
        dir.to_str().expect("utf8"),
        "--scanners",
        "secret",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = drydock(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn rules(report: &Value) -> Vec<String> {
    report["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|s| s["rule_id"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn finds_masks_and_can_be_disabled() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("deploy.sh"),
        format!("#!/bin/sh\nexport GITHUB_TOKEN={TOKEN}\n"),
    )
    .expect("write");
    let report = scan(tmp.path(), &[]);
    assert_eq!(rules(&report), vec!["github-pat"]);
    let s = &report["secrets"][0];
    assert_eq!(s["line"], 2);
    assert!(
        !s["masked"].as_str().unwrap_or("").contains(&TOKEN[8..]),
        "secret must be masked: {}",
        s["masked"]
    );
    assert_eq!(s["in_final_filesystem"], true);

    let config = tmp.path().join("rules.toml");
    std::fs::write(&config, "disable = [\"github-pat\"]\n").expect("write");
    let report = scan(
        tmp.path(),
        &["--secret-config", config.to_str().expect("utf8")],
    );
    // The token's format rule is off; what remains is at most the generic
    // `GITHUB_TOKEN=` assignment, at low confidence.
    assert!(
        !rules(&report).iter().any(|r| r == "github-pat"),
        "disabled rule still reported: {:?}",
        rules(&report)
    );
    for s in report["secrets"].as_array().expect("secrets") {
        assert_eq!(s["confidence"], "low", "{s}");
    }
}

#[test]
fn debug_explains_dropped_placeholders() {
    let tmp = tempfile::tempdir().expect("tmp");
    // AWS's documented example key: must not be reported, but --debug says why.
    std::fs::write(
        tmp.path().join("README.env"),
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
    )
    .expect("write");
    let report = scan(tmp.path(), &["--debug"]);
    assert!(rules(&report).is_empty(), "{:?}", rules(&report));
    let skipped = report["secrets_skipped"]
        .as_array()
        .expect("secrets_skipped with --debug");
    assert!(
        skipped
            .iter()
            .any(|s| s["rule_id"] == "aws-access-key-id" && s["reason"]["kind"] == "placeholder"),
        "{skipped:?}"
    );
}

#[test]
fn broken_rules_file_is_a_clean_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = tmp.path().join("rules.toml");
    // A complete rule (so the file parses) whose regex does not compile.
    std::fs::write(
        &config,
        "[[rules]]\nid = \"x\"\ntitle = \"X\"\nseverity = \"HIGH\"\nkeywords = [\"x\"]\nregex = \"(unclosed\"\n",
    )
    .expect("write");
    let run = drydock(&[
        "fs",
        tmp.path().to_str().expect("utf8"),
        "--scanners",
        "secret",
        "--secret-config",
        config.to_str().expect("utf8"),
    ]);
    // One line naming the rules file, the rule and what is wrong with it.
    run.assert_clean_error(&config, "rule x: invalid regex");
    assert!(run.stderr.contains("unclosed group"), "{}", run.stderr);
}

/// DD-CFG-012: a setuid binary a package installed (listed as `/bin/su` while merged-/usr
/// puts it at `usr/bin/su`) is the distribution's; one nobody owns is the image's.
#[test]
fn setuid_files_owned_by_packages_are_not_reported() {
    use crate::common::{Blob, OS_RELEASE, Tar, scan_json, write_oci};
    let status = "Package: login\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:4.13+dfsg1-1\n\n";
    let layer = Tar::default()
        .dir("usr")
        .dir("usr/bin")
        .symlink("bin", "usr/bin")
        .file("etc/os-release", OS_RELEASE.as_bytes())
        .file("var/lib/dpkg/status", status.as_bytes())
        .file("var/lib/dpkg/info/login.list", b"/.\n/bin\n/bin/su\n")
        .file_mode("usr/bin/su", b"\x7fELF-su", 0o4755)
        .file_mode("usr/local/bin/helper", b"\x7fELF-helper", 0o4755)
        .finish();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("img");
    write_oci(&dir, &[Blob::plain(layer)]);
    let run = scan_json(&dir, &["--scanners", "misconfig"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let setuid: Vec<String> = run.json()["misconfigurations"]
        .as_array()
        .expect("misconfigurations")
        .iter()
        .filter(|m| m["id"] == "DD-CFG-012")
        .map(|m| m["path"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(setuid, vec!["/usr/local/bin/helper".to_owned()]);
}
