//! The table as a terminal user reads it: fitted to `COLUMNS` without cutting an ID or a
//! package name, coloured only when asked (or on a terminal without `NO_COLOR`), and the
//! exploit signals explained. Expected IDs come from the JSON report of the same scan.

use crate::common::repo_root;
use crate::outputs::cache_dir;
use std::process::Command;

const ALPINE: &str = "testdata/images/thirdparty/alpine-310.tar.gz";

fn table(columns: &str, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .current_dir(repo_root())
        .env("COLUMNS", columns)
        .env_remove("NO_COLOR")
        .args(["--cache-dir", cache_dir(), "image", ALPINE, "--quiet"])
        .args(extra)
        .output()
        .expect("run drydock");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json_ids() -> Vec<(String, String)> {
    let out = table("200", &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    report["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (s("id"), s("package"))
        })
        .collect()
}

#[test]
fn fits_80_and_120_columns_with_every_id_whole() {
    let ids = json_ids();
    assert!(
        ids.len() >= 20,
        "alpine-310 has 20 findings, got {}",
        ids.len()
    );
    for columns in ["80", "120"] {
        let text = table(columns, &["--color", "never"]);
        let width: usize = columns.parse().expect("number");
        for line in text
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '├', '└', '╞']))
        {
            assert!(line.chars().count() <= width, "{columns} cols: {line}");
        }
        for (id, package) in &ids {
            assert!(
                text.contains(id.as_str()),
                "{columns} cols: {id} cut or missing\n{text}"
            );
            assert!(
                text.contains(package.as_str()),
                "{columns} cols: {package} cut"
            );
        }
        assert!(!text.contains('\u{1b}'), "colour with --color never");
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    assert!(table("120", &["--color", "always"]).contains("\u{1b}["));
    // Piped (the test captures stdout), `auto` draws no colour.
    assert!(!table("120", &[]).contains('\u{1b}'));
}

#[test]
fn exploit_signals_are_explained_once() {
    let text = table("120", &[]);
    let epss = text.matches("EPSS 0.53: FIRST's estimate").count();
    assert_eq!(epss, 1, "{text}");
}
