//! Writes the generated secret corpus (the one `tests/corpus.rs` checks) to a
//! directory, with its ground truth in `truth.json`, so that other scanners
//! can be scored on exactly the same files (see `bench/secrets-compare.sh`).
//!
//! Usage: `cargo run -p drydock-detect --example write_corpus -- DIR [SEED]`
//!
//! Each sample goes to `DIR/files/cNNNN/<its own path>` so that file styles
//! (`.env`, `.netrc`, `.docker/config.json`, ...) keep their names. The
//! directory names carry no hint of the rule: some scanners allowlist paths
//! containing words such as `test` or `example`.
//!
//! `truth.json` has `secrets` (path, line, end_line, rule, family) for every planted real
//! secret and `decoys` (path, line or null for a whole-file decoy, rule it
//! imitates) for every look-alike or placeholder. Paths are relative to
//! `DIR/files`.

use std::path::Path;

use serde_json::{Value, json};

#[path = "../tests/corpus/generate.rs"]
mod generate;

/// Positives per rule: more than the unit test's 60 would only slow
/// third-party scanners without changing the rates much.
const POSITIVES: usize = 60;
/// Decoy batches per rule (each batch holds all of the rule's decoy kinds).
const DECOY_ROUNDS: usize = 8;

/// Vendor or structure a rule belongs to (`github-oauth` -> `github`), so
/// scanners with other rule ids and splits can be compared per family.
fn family(rule: &str) -> &str {
    const WHOLE: &[&str] = &["private-key", "connection-uri"];
    if let Some(w) = WHOLE.iter().find(|w| rule.starts_with(*w)) {
        return w;
    }
    rule.split('-').next().unwrap_or(rule)
}

/// Last line of the secret starting on `line`: a PEM block runs to its END
/// marker, and scanners differ in which of its lines they report.
fn end_line(text: &str, line: usize) -> usize {
    let mut lines = text.lines().enumerate().skip(line.saturating_sub(1));
    match lines.next() {
        Some((_, first)) if first.contains("-----BEGIN") && !first.contains("-----END") => lines
            .find(|(_, l)| l.contains("-----END"))
            .map_or(line, |(i, _)| i + 1),
        _ => line,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: write_corpus DIR [SEED]")?;
    let seed = match args.next() {
        Some(s) => s.parse()?,
        None => generate::DEFAULT_SEED,
    };
    let root = Path::new(&dir);
    let files = root.join("files");
    if files.exists() {
        return Err(format!("{} already exists; remove it first", files.display()).into());
    }

    // A rule without a generator would silently have no ground truth.
    let scanner = drydock_detect::SecretScanner::builtin()?;
    let missing: Vec<&str> = scanner
        .rule_ids()
        .filter(|id| !generate::rule_ids().contains(id))
        .collect();
    if !missing.is_empty() {
        return Err(format!("rules without a generator: {missing:?}").into());
    }

    let mut secrets: Vec<Value> = Vec::new();
    let mut decoys: Vec<Value> = Vec::new();
    let samples = generate::generate(seed, POSITIVES, DECOY_ROUNDS);
    for (i, (made_for, sample)) in samples.iter().enumerate() {
        let rel = format!("c{i:04}/{}", sample.path);
        let path = files.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &sample.text)?;
        if sample.expect.is_empty() {
            decoys.push(json!({"path": rel, "line": sample.planted, "rule": made_for}));
        }
        for (rule, line) in &sample.expect {
            secrets.push(json!({
                "path": rel,
                "line": line,
                "end_line": end_line(&sample.text, *line),
                "rule": rule,
                "family": family(rule),
            }));
        }
    }

    let truth = json!({"seed": seed, "secrets": secrets, "decoys": decoys});
    std::fs::write(
        root.join("truth.json"),
        serde_json::to_string_pretty(&truth)? + "\n",
    )?;
    println!(
        "{} files, {} planted secrets, {} decoys in {}",
        samples.len(),
        secrets.len(),
        decoys.len(),
        root.display()
    );
    Ok(())
}
