//! A disk that fills up: the cache directory is a small tmpfs mounted in a private
//! user + mount namespace (`unshare -Urm`, no root needed). A `db update` that runs out
//! of space fails in one line naming its source with exit 2 and leaves the previous
//! database readable and no temporary file behind; a scan whose layer cache cannot be
//! written still gives the full result; once space is back the next update succeeds.

use crate::common::registry::tools;
use crate::common::repo_root;
use crate::outputs::in_root;
use serde_json::Value;
use std::process::Command;

const ALPINE: &str = "testdata/images/thirdparty/alpine-310.tar.gz";

/// Runs `script` (with `$D` = drydock, `$T` = the tmpfs) in its own namespaces; returns
/// stdout. Each step prints `name=exit code` and its outputs between markers.
fn in_namespace(script: &str) -> String {
    let out = Command::new("unshare")
        .current_dir(repo_root())
        .args(["-Urm", "sh", "-c"])
        .arg(format!(
            "set -u; D='{}'; T=$(mktemp -d); mount -t tmpfs -o size=16m tmpfs \"$T\" || exit 99; {script}",
            env!("CARGO_BIN_EXE_drydock")
        ))
        .env("DRYDOCK_NO_LAYER_CACHE", "false")
        .env("NO_COLOR", "1")
        .output()
        .expect("unshare runs");
    assert!(
        out.status.success(),
        "namespace script failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The text after `key=` up to the end of its line.
fn field<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in\n{out}"))
}

fn packages(report: &str) -> Vec<String> {
    let report: Value = serde_json::from_str(report).expect("json report");
    let mut names: Vec<String> = report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| format!("{} {}", p["name"], p["version"]))
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_keeps_the_database_and_the_scan_result() {
    if !tools("disk_full", &["unshare"]) {
        return;
    }
    let probe = Command::new("unshare").args(["-Urm", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        let msg = "disk_full: user namespaces are not available (`unshare -Urm true` fails)";
        assert!(
            !std::env::var("DRYDOCK_REQUIRE_FULL").is_ok_and(|v| v == "1"),
            "{msg}"
        );
        eprintln!("SKIP SKIP SKIP {msg}");
        return;
    }
    let expected = in_root(&[
        "image",
        ALPINE,
        "--scanners",
        "none",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let out = in_namespace(&format!(
        r#"
        "$D" --cache-dir "$T" db update --source testdata/vulndb/mini/osv > /dev/null 2>&1; echo first=$?
        used=$(du -sk "$T" | cut -f1); mount -o remount,size=$((used + 200))k "$T"
        "$D" --cache-dir "$T" db update --source testdata/matcher/mirror/osv > /dev/null 2> "$T.err"; echo second=$?
        echo "second_err=$(cat "$T.err")"; echo "second_lines=$(wc -l < "$T.err")"
        echo "left=$(ls -A "$T" | tr '\n' ' ')"
        echo "source_after=$("$D" --cache-dir "$T" db status | sed -n 's/^source: *//p')"
        dd if=/dev/zero of="$T/filler" bs=4k 2> /dev/null
        "$D" --cache-dir "$T" image {ALPINE} --scanners none --format json --quiet -o "$T.json" 2> "$T.err"; echo scan=$?
        echo "scan_err=$(cat "$T.err" | tr '\n' ' ')"
        echo "scan_report=$(tr -d '\n' < "$T.json")"
        rm "$T/filler"; mount -o remount,size=16m "$T"
        "$D" --cache-dir "$T" db update --source testdata/matcher/mirror/osv > /dev/null 2>&1; echo third=$?
        echo "source_last=$("$D" --cache-dir "$T" db status | sed -n 's/^source: *//p')"
        "#
    ));
    println!("{out}");
    assert_eq!(field(&out, "first"), "0", "{out}");
    assert_eq!(field(&out, "second"), "2", "{out}");
    let err = field(&out, "second_err");
    assert_eq!(field(&out, "second_lines"), "1", "one line: {err}");
    assert!(
        err.contains("testdata/matcher/mirror/osv") && err.contains("no space left"),
        "{err}"
    );
    assert_eq!(
        field(&out, "left").trim(),
        "db.sqlite",
        "no temporary file left"
    );
    assert_eq!(field(&out, "source_after"), "testdata/vulndb/mini/osv");
    assert_eq!(field(&out, "scan"), "0", "{}", field(&out, "scan_err"));
    assert!(
        field(&out, "scan_err").contains("not stored"),
        "the unwritable cache is said: {}",
        field(&out, "scan_err")
    );
    assert_eq!(
        packages(field(&out, "scan_report")),
        packages(&expected.stdout),
        "scan with an unwritable layer cache"
    );
    assert_eq!(field(&out, "third"), "0", "{out}");
    assert_eq!(field(&out, "source_last"), "testdata/matcher/mirror/osv");
}
