//! The progress line on a real pseudo-terminal (util-linux `script`, 80 columns): every
//! redraw fits the width, and a compressed archive whose total is unknown shows bytes
//! read instead of "N/N" over an empty bar.

use crate::common::repo_root;
use std::process::Command;

/// The redraws `script` recorded, split at carriage returns and erase-line codes.
fn redraws(image: &str) -> Vec<String> {
    let log = tempfile::NamedTempFile::new().expect("tmp");
    let drydock = env!("CARGO_BIN_EXE_drydock");
    let inner = format!(
        "stty cols 80 rows 24; DRYDOCK_NO_LAYER_CACHE=true '{drydock}' image '{image}' --scanners none > /dev/null"
    );
    let status = Command::new("script")
        .current_dir(repo_root())
        .args(["-qfec", &inner])
        .arg(log.path())
        .status()
        .expect("util-linux script (bsdutils) runs");
    assert!(status.success(), "{status}");
    let text = std::fs::read_to_string(log.path()).expect("log");
    text.split(['\r', '\n'])
        .map(|l| l.replace("\u{1b}[2K", ""))
        .filter(|l| l.contains("reading layers"))
        .collect()
}

#[test]
fn progress_fits_80_columns_and_says_bytes_when_the_total_is_unknown() {
    let lines = redraws("testdata/images/thirdparty/alpine-310.tar.gz");
    assert!(!lines.is_empty(), "no progress line drawn on the terminal");
    for line in &lines {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
        assert!(line.contains(" read, "), "no bytes-read form: {line}");
        assert!(
            !line.contains('░'),
            "a bar against an unknown total: {line}"
        );
    }
}
