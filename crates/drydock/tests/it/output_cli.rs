//! The output options as a user types them: several formats at once, `--output`,
//! `--template`, and the mistakes each one refuses with a one-line error (exit 2); plus
//! golden SARIF and JUnit for alpine-310.

use crate::outputs::{cache_dir, in_root};
use serde_json::Value;

const ALPINE: &str = "testdata/images/thirdparty/alpine-310.tar.gz";

fn scan(extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["--cache-dir", cache_dir(), "image", ALPINE, "--quiet"];
    args.extend_from_slice(extra);
    in_root(&args)
}

fn assert_usage_error(run: &crate::common::Run, needle: &str) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "lacks '{needle}': {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn several_formats_at_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sarif = tmp.path().join("out.sarif");
    let junit = tmp.path().join("out.xml");
    let run = scan(&[
        "--format",
        &format!("sarif={}", sarif.display()),
        "--format",
        &format!("junit={}", junit.display()),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(report["vulnerabilities"].as_array().map(Vec::len), Some(20));
    let log: Value = serde_json::from_slice(&std::fs::read(&sarif).expect("sarif")).expect("json");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(20));
    let xml = std::fs::read_to_string(&junit).expect("junit");
    assert!(xml.contains("<testsuite name=\"vulnerabilities\" tests=\"20\" failures=\"20\""));
}

#[test]
fn output_takes_the_one_format_without_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("report.sarif");
    let run = scan(&[
        "--format",
        "sarif",
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let log: Value = serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("json");
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "drydock");
    // Trivy's spelling of the format names is accepted, in any case.
    let run = scan(&["--format", "SARIF"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"version\": \"2.1.0\""));
}

#[test]
fn output_mistakes_are_refused_with_a_hint() {
    assert_usage_error(&scan(&["-o", "sarif"]), "--format sarif --output FILE");
    assert_usage_error(&scan(&["--format", "json", "--format", "table"]), "stdout");
    assert_usage_error(&scan(&["--format", "template"]), "--template FILE");
    let tmp = tempfile::tempdir().expect("tmp");
    let same = tmp.path().join("x");
    let same = same.to_str().expect("utf-8");
    assert_usage_error(
        &scan(&[
            "--format",
            &format!("json={same}"),
            "--format",
            &format!("sarif={same}"),
        ]),
        "two formats",
    );
    // An unknown name is clap's usage error: exit 2, listing the known formats.
    let run = scan(&["--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown format 'xml'") && run.stderr.contains("sarif"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_file_renders_report_fields() {
    let tmp = tempfile::tempdir().expect("tmp");
    let template = tmp.path().join("high.tpl");
    std::fs::write(
        &template,
        "{{ artifact.input }}: {{ vulnerabilities | length }} vulnerabilities\n\
         {% for v in vulnerabilities if v.severity == 'HIGH' -%}\n\
         {{ v.id }} {{ v.package }}{% if v.fixed_versions %} -> {{ v.fixed_versions[0] }}{% endif %}\n\
         {% endfor -%}\n",
    )
    .expect("write");
    let run = scan(&["--template", template.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Independent expectations: the HIGH findings of the JSON report, in its order.
    let report: Value = serde_json::from_str(&scan(&["--format", "json"]).stdout).expect("json");
    let mut want = format!("{ALPINE}: 20 vulnerabilities\n");
    for v in report["vulnerabilities"].as_array().expect("vulns") {
        if v["severity"] == "HIGH" {
            want += &format!(
                "{} {} -> {}\n",
                v["id"].as_str().expect("id"),
                v["package"].as_str().expect("package"),
                v["fixed_versions"][0].as_str().expect("fix")
            );
        }
    }
    assert_eq!(run.stdout, want);
    assert_eq!(want.lines().count(), 7, "alpine-310 has 6 HIGH findings");
    // Trivy's `@FILE` spelling, to a file.
    let out = tmp.path().join("out.txt");
    let run = scan(&[
        "--template",
        &format!("@{}", template.display()),
        "--format",
        &format!("template={}", out.display()),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("written"), want);
}

#[test]
fn a_broken_template_fails_before_the_scan() {
    let tmp = tempfile::tempdir().expect("tmp");
    let template = tmp.path().join("broken.tpl");
    std::fs::write(&template, "{% for v in vulnerabilities %}{{ v.id }}\n").expect("write");
    let path = template.to_str().expect("utf-8");
    // The input does not exist either: the template is checked first.
    let run = in_root(&["image", "/nonexistent.tar", "--template", path]);
    assert_usage_error(&run, path);
    let run = in_root(&[
        "image",
        "/nonexistent.tar",
        "--template",
        "/nonexistent.tpl",
    ]);
    assert_usage_error(&run, "reading template /nonexistent.tpl");
}

/// SARIF and JUnit of alpine-310, with the tool version (the only field that changes
/// without a change of output) replaced.
#[test]
fn sarif_and_junit_are_unchanged() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    settings.bind(|| {
        for format in ["sarif", "junit"] {
            let run = scan(&[
                "--scanners",
                "vuln,secret,misconfig",
                "--fail-on",
                "HIGH",
                "--format",
                format,
            ]);
            assert_eq!(
                run.code, 1,
                "the policy fails on alpine-310: {}",
                run.stderr
            );
            let text = run.stdout.replace(&version, "\"[version]\"");
            insta::assert_snapshot!(format!("alpine-310.{format}"), text);
        }
    });
}
