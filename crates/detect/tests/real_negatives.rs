//! Real third-party files with secret-shaped values that are not secrets (docstring
//! examples, public OAuth client secrets, field names, test fixtures): nothing is
//! reported. Provenance and the hand-checked label of each value are in
//! `tests/secrets/real-negatives/README.md`.

use drydock_detect::SecretScanner;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

#[test]
fn real_files_without_secrets_report_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/secrets/real-negatives");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    assert_eq!(paths.len(), 6, "vendored files: {paths:?}");
    let scanner = SecretScanner::builtin().expect("builtin rules compile");
    let mut reported = Vec::new();
    for path in &paths {
        let rel = path.strip_prefix(&root).expect("under root");
        let content = std::fs::read(path).expect("read");
        for f in scanner.scan(&rel.to_string_lossy(), &content) {
            reported.push(format!(
                "{}:{} {} ({:?}) {}",
                f.path, f.line, f.rule_id, f.confidence, f.masked
            ));
        }
    }
    println!("{} findings", reported.len());
    assert!(reported.is_empty(), "{}", reported.join("\n"));
}
