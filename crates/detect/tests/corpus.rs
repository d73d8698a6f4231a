//! Generated corpus: for every built-in rule, random format-valid secrets in
//! realistic files (positives) and look-alikes (decoys). Ground truth is what
//! the generator planted, never what the scanner printed.
//!
//! A regression guard, not evidence of detection quality: the positives come from the
//! same token grammar the rules encode, so a rule that misreads a real provider's format
//! passes here as well. It requires every planted secret found and no decoy reported
//! (recall and precision 1.0 on the fixed seed). Secrets in real files are checked by
//! `tests/debian_app.rs` and the CLI's corpus tests (the images' planted secrets).

use std::collections::{BTreeMap, BTreeSet};

use drydock_detect::SecretScanner;

#[path = "corpus/generate.rs"]
mod generate;

#[derive(Default)]
struct Tally {
    tp: usize,
    fn_: usize,
    fp: usize,
}

#[test]
fn every_rule_finds_all_and_only_its_generated_secrets() {
    const N: usize = 60;
    const DECOY_ROUNDS: usize = 8;
    let scanner = SecretScanner::builtin().expect("builtin rules compile");

    // Rules added after this generator are measured on the labeled corpus
    // (tests/secrets_labeled.rs); this test guards the ones it knows.
    let rule_ids: BTreeSet<&str> = scanner.rule_ids().collect();
    let unknown: Vec<_> = generate::rule_ids()
        .difference(&rule_ids)
        .copied()
        .collect();
    assert!(
        unknown.is_empty(),
        "generators for unknown rules: {unknown:?}"
    );

    // Fixed seed for reproducible CI; DRYDOCK_CORPUS_SEED explores others.
    let seed = std::env::var("DRYDOCK_CORPUS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(generate::DEFAULT_SEED);
    let mut tally: BTreeMap<&str, Tally> =
        rule_ids.iter().map(|r| (*r, Tally::default())).collect();
    let mut failures = Vec::new();
    let samples = generate::generate(seed, N, DECOY_ROUNDS);
    for (made_for, sample) in &samples {
        assert!(
            scanner.wants(&sample.path, sample.text.len() as u64),
            "{}",
            sample.path
        );
        let found: BTreeSet<(String, usize)> = scanner
            .scan(&sample.path, sample.text.as_bytes())
            .into_iter()
            .map(|f| (f.rule_id, f.line))
            .collect();
        let expected: BTreeSet<(String, usize)> = sample
            .expect
            .iter()
            .map(|(r, l)| (r.to_string(), *l))
            .collect();
        for e in &expected {
            let t = tally.entry(rule_key(&rule_ids, &e.0)).or_default();
            if found.contains(e) {
                t.tp += 1;
            } else {
                t.fn_ += 1;
                failures.push(format!("MISSED {e:?} in {}:\n{}", sample.path, sample.text));
            }
        }
        for f in found.difference(&expected) {
            tally.entry(rule_key(&rule_ids, &f.0)).or_default().fp += 1;
            let planted = sample
                .planted
                .map_or(String::new(), |l| format!(", value on line {l}"));
            failures.push(format!(
                "FALSE POSITIVE {f:?} in {} (made for {made_for}{planted}):\n{}",
                sample.path, sample.text
            ));
        }
    }

    println!(
        "{:<28} {:>4} {:>4} {:>4} {:>7} {:>9}",
        "rule", "TP", "FN", "FP", "recall", "precision"
    );
    let mut bad = Vec::new();
    let (mut all_tp, mut all_fn, mut all_fp) = (0, 0, 0);
    // Rules without a generator only get a row when they fired.
    let shown = |(rule, t): &(&&str, &Tally)| {
        generate::rule_ids().contains(**rule) || t.tp + t.fn_ + t.fp > 0
    };
    for (rule, t) in tally.iter().filter(shown) {
        let recall = t.tp as f64 / (t.tp + t.fn_).max(1) as f64;
        let precision = t.tp as f64 / (t.tp + t.fp).max(1) as f64;
        println!(
            "{rule:<28} {:>4} {:>4} {:>4} {recall:>7.3} {precision:>9.3}",
            t.tp, t.fn_, t.fp
        );
        let generated = generate::rule_ids().contains(rule);
        if (generated && t.tp == 0) || t.fn_ > 0 || t.fp > 0 {
            bad.push(*rule);
        }
        all_tp += t.tp;
        all_fn += t.fn_;
        all_fp += t.fp;
    }
    println!(
        "{:<28} {all_tp:>4} {all_fn:>4} {all_fp:>4} {:>7.3} {:>9.3}  ({} samples)",
        "TOTAL",
        all_tp as f64 / (all_tp + all_fn) as f64,
        all_tp as f64 / (all_tp + all_fp).max(1) as f64,
        samples.len()
    );
    for f in failures.iter().take(40) {
        println!("{f}");
    }
    assert!(bad.is_empty(), "rules below 1.0 recall/precision: {bad:?}");
}

/// Interns a rule id from a finding into the known-id set (unknown ids, e.g.
/// from a rule added without a generator, still get a row).
fn rule_key<'a>(known: &BTreeSet<&'a str>, id: &str) -> &'a str {
    known.get(id).copied().unwrap_or("<unknown rule>")
}
