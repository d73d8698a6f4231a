//! The terminal as a user sees it, on a real pseudo-terminal (util-linux `script`, 80
//! columns): every progress redraw fits the width and names the layer count, a compressed
//! archive whose total is unknown shows bytes read instead of "N/N" over an empty bar, and
//! the table is coloured by severity unless `NO_COLOR` is set.

use crate::common::repo_root;
use crate::outputs::cache_dir;
use std::process::{Command, Stdio};

const ALPINE: &str = "testdata/images/thirdparty/alpine-310.tar.gz";

/// Everything `script` recorded while `command` ran on an 80-column pseudo-terminal.
fn on_terminal(command: &str) -> String {
    let log = tempfile::NamedTempFile::new().expect("tmp");
    let inner = format!("stty cols 80 rows 24; {command}");
    let status = Command::new("script")
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .args(["-qfec", &inner])
        .arg(log.path())
        // `script` also copies the session to its own stdout; the log file is what counts.
        .stdout(Stdio::null())
        .status()
        .expect("util-linux script (bsdutils) runs");
    assert!(status.success(), "{status}");
    std::fs::read_to_string(log.path()).expect("log")
}

/// The progress redraws, split at carriage returns and erase-line codes.
fn redraws(image: &str) -> Vec<String> {
    let drydock = env!("CARGO_BIN_EXE_drydock");
    let text = on_terminal(&format!(
        "DRYDOCK_NO_LAYER_CACHE=true '{drydock}' image '{image}' --scanners none > /dev/null"
    ));
    text.split(['\r', '\n'])
        .map(|l| l.replace("\u{1b}[2K", ""))
        .filter(|l| l.contains("reading "))
        .collect()
}

/// The number of layers the archive's own `manifest.json` lists (read with `tar`).
fn manifest_layers(image: &str) -> usize {
    let out = Command::new("tar")
        .current_dir(repo_root())
        .args(["-xzOf", image, "manifest.json"])
        .output()
        .expect("tar runs");
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).expect("manifest");
    manifest[0]["Layers"].as_array().expect("Layers").len()
}

#[test]
fn progress_fits_80_columns_and_says_layers_and_bytes_when_the_total_is_unknown() {
    let layers = manifest_layers(ALPINE);
    let noun = if layers == 1 {
        "1 layer".to_owned()
    } else {
        format!("{layers} layers")
    };
    let lines = redraws(ALPINE);
    assert!(!lines.is_empty(), "no progress line drawn on the terminal");
    for line in &lines {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
        assert!(
            line.contains(&format!("reading {noun}: ")),
            "no layer count: {line}"
        );
        assert!(line.contains(" read, "), "no bytes-read form: {line}");
        assert!(
            !line.contains('░'),
            "a bar against an unknown total: {line}"
        );
    }
}

/// The table's severity cells on a terminal: ANSI colour with `--color auto` (the
/// default), none at all once `NO_COLOR` is set.
#[test]
fn table_is_coloured_on_a_terminal_unless_no_color() {
    let drydock = env!("CARGO_BIN_EXE_drydock");
    let cache = cache_dir();
    let scan = format!("'{drydock}' --cache-dir '{cache}' image {ALPINE} --quiet 2> /dev/null");
    let coloured = on_terminal(&scan);
    let severity_lines: Vec<&str> = coloured
        .lines()
        .filter(|l| l.contains("HIGH") || l.contains("CRITICAL") || l.contains("MEDIUM"))
        .collect();
    assert!(!severity_lines.is_empty(), "no findings drawn:\n{coloured}");
    assert!(
        severity_lines.iter().any(|l| l.contains("\u{1b}[")),
        "no colour on a terminal:\n{coloured}"
    );
    let plain = on_terminal(&format!("NO_COLOR=1 {scan}"));
    assert!(plain.contains("CVE-"), "no findings drawn:\n{plain}");
    assert!(
        !plain.contains('\u{1b}'),
        "colour despite NO_COLOR:\n{plain}"
    );
}
