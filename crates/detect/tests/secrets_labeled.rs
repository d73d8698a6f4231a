//! Recall and precision per token family on the hand-labeled corpus in
//! `tests/secrets/` (written by `make_samples.py` from the vendors' token
//! formats, independently of the rules). Every labeled line must be found by
//! a rule of its family; every finding on an unlabeled line is a false
//! positive of the finding rule's family.

#[path = "support/tally.rs"]
mod tally;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tally::Tally;

use drydock_detect::{Confidence, SecretConfig, SecretScanner};

/// Family of a rule, by id prefix: the corpus labels families, not rules.
const FAMILIES: &[(&str, &str)] = &[
    ("aws-bedrock-", "bedrock"),
    ("aws-", "aws"),
    ("gcp-", "gcp"),
    ("azure-", "azure"),
    ("github-", "github"),
    ("gitlab-", "gitlab"),
    ("slack-", "slack"),
    ("stripe-", "stripe"),
    ("square-", "square"),
    ("twilio-", "twilio"),
    ("sendgrid-", "sendgrid"),
    ("mailgun-", "mailgun"),
    ("mailchimp-", "mailchimp"),
    ("brevo-", "brevo"),
    ("telegram-", "telegram"),
    ("discord-", "discord"),
    ("twitter-", "twitter"),
    ("npm-", "npm"),
    ("npmrc-", "npm"),
    ("pypi-", "pypi"),
    ("pip-config-", "pip"),
    ("rubygems-", "rubygems"),
    ("nuget-", "nuget"),
    ("dockerhub-", "docker"),
    ("docker-config-", "docker"),
    ("jfrog-", "jfrog"),
    ("heroku-", "heroku"),
    ("digitalocean-", "digitalocean"),
    ("databricks-", "databricks"),
    ("huggingface-", "huggingface"),
    ("terraform-", "terraform"),
    ("vault-", "vault"),
    ("pulumi-", "pulumi"),
    ("doppler-", "doppler"),
    ("flyio-", "flyio"),
    ("planetscale-", "planetscale"),
    ("openshift-", "openshift"),
    ("alibaba-", "alibaba"),
    ("datadog-", "datadog"),
    ("newrelic-", "newrelic"),
    ("dynatrace-", "dynatrace"),
    ("sentry-", "sentry"),
    ("atlassian-", "atlassian"),
    ("bitbucket-", "bitbucket"),
    ("linear-", "linear"),
    ("postman-", "postman"),
    ("snyk-", "snyk"),
    ("sonarqube-", "sonarqube"),
    ("okta-", "okta"),
    ("confluent-", "confluent"),
    ("dropbox-", "dropbox"),
    ("shopify-", "shopify"),
    ("openai-", "openai"),
    ("anthropic-", "anthropic"),
    ("age-", "age"),
    ("maven-", "maven"),
    ("netrc-", "netrc"),
    ("pgpass-", "pgpass"),
    ("git-credentials-", "git-credentials"),
    ("kubernetes-", "kubernetes"),
    ("connection-uri-", "connection-uri"),
    ("generic-", "generic"),
    ("cli-password-", "generic"),
    ("basic-auth-", "generic"),
    ("bearer-auth-", "generic"),
    ("redis-", "generic"),
    ("mapbox-", "mapbox"),
    ("grafana-", "grafana"),
    ("private-key", "private-key"),
    ("jwt", "jwt"),
    ("htpasswd-", "htpasswd"),
    ("sourcegraph-", "sourcegraph"),
    ("notion-", "notion"),
    ("onepassword-", "onepassword"),
    ("sumologic-", "sumologic"),
    ("facebook-", "facebook"),
    ("intra42-", "intra42"),
    ("sidekiq-", "sidekiq"),
];

fn family(rule: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|(prefix, _)| rule.starts_with(prefix))
        .map_or("<unmapped>", |(_, f)| f)
}

struct Label {
    file: String,
    path: String,
    /// `None` for a negative file (nothing in it is a secret).
    line: Option<usize>,
    family: String,
}

fn corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/secrets")
}

fn labels() -> Vec<Label> {
    let text = std::fs::read_to_string(corpus_dir().join("labels.tsv")).expect("labels.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad label row: {l}");
            Label {
                file: cols[0].to_string(),
                path: cols[1].to_string(),
                line: cols[2].parse().ok(),
                family: cols[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn every_family_is_found_precisely_on_the_labeled_corpus() {
    let scanner = SecretScanner::builtin().expect("builtin rules compile");
    let labels = labels();
    let mut by_file: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for l in &labels {
        by_file.entry(l.file.as_str()).or_default().push(l);
    }
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut problems = Vec::new();
    for (file, rows) in &by_file {
        let path = &rows[0].path;
        let content = std::fs::read(corpus_dir().join("files").join(file)).expect("sample file");
        assert!(
            scanner.wants(path, content.len() as u64),
            "not wanted: {path}"
        );
        let found: Vec<(usize, String, Confidence)> = scanner
            .scan(path, &content)
            .into_iter()
            .map(|f| (f.line, f.rule_id, f.confidence))
            .collect();
        let positive: BTreeSet<usize> = rows.iter().filter_map(|r| r.line).collect();
        for row in rows {
            let Some(line) = row.line else { continue };
            let t = tally.entry(row.family.clone()).or_default();
            if found
                .iter()
                .any(|(l, rule, _)| *l == line && family(rule) == row.family)
            {
                t.tp += 1;
            } else {
                t.fn_ += 1;
                problems.push(format!(
                    "MISSED {} line {line} in {file} ({path}): {found:?}",
                    row.family
                ));
            }
        }
        for (line, rule, confidence) in &found {
            if !positive.contains(line) {
                tally.entry(family(rule).to_string()).or_default().fp += 1;
                problems.push(format!(
                    "FALSE POSITIVE {rule} ({confidence}) line {line} in {file} ({path})"
                ));
            }
        }
    }
    println!(
        "{:<16} {:>4} {:>4} {:>4} {:>7} {:>9}",
        "family", "TP", "FN", "FP", "recall", "precision"
    );
    let (mut all_tp, mut all_fn, mut all_fp) = (0, 0, 0);
    let mut weak = Vec::new();
    for (fam, t) in &tally {
        let (recall, precision) = (t.recall(), t.precision());
        println!(
            "{fam:<16} {:>4} {:>4} {:>4} {recall:>7.3} {precision:>9.3}",
            t.tp, t.fn_, t.fp
        );
        if t.tp + t.fn_ < 20 || recall < MIN_RECALL || precision < MIN_PRECISION {
            weak.push(fam.clone());
        }
        all_tp += t.tp;
        all_fn += t.fn_;
        all_fp += t.fp;
    }
    println!(
        "{:<16} {all_tp:>4} {all_fn:>4} {all_fp:>4} {:>7.3} {:>9.3}  ({} files)",
        "TOTAL",
        all_tp as f64 / (all_tp + all_fn) as f64,
        all_tp as f64 / (all_tp + all_fp).max(1) as f64,
        by_file.len()
    );
    let shown = if std::env::var_os("DRYDOCK_LABELS_VERBOSE").is_some() {
        usize::MAX
    } else {
        60
    };
    for p in problems.iter().take(shown) {
        println!("{p}");
    }
    assert!(
        weak.is_empty(),
        "families with < 20 samples or below {MIN_RECALL} recall / {MIN_PRECISION} precision: {weak:?}"
    );
}

const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.95;

/// `min_confidence` drops the generic findings first: on the same corpus,
/// `high` keeps no `low` or `medium` finding and still finds every family
/// whose rules are all format rules.
#[test]
fn min_confidence_filters_findings() {
    let mut cfg = SecretConfig::builtin();
    cfg.min_confidence = Confidence::High;
    let high = SecretScanner::new(&cfg).expect("compile");
    let all = SecretScanner::builtin().expect("builtin");
    let (mut kept, mut total) = (0, 0);
    for l in labels()
        .iter()
        .filter(|l| l.family == "huggingface" || l.family == "generic")
    {
        let content = std::fs::read(corpus_dir().join("files").join(&l.file)).expect("file");
        let everything = all.scan(&l.path, &content);
        total += everything.len();
        let strict = high.scan_debug(&l.path, &content);
        assert!(
            strict
                .findings
                .iter()
                .all(|f| f.confidence == Confidence::High)
        );
        kept += strict.findings.len();
        if l.family == "huggingface" {
            assert!(!strict.findings.is_empty(), "{}", l.file);
        }
    }
    assert!(kept < total, "{kept} of {total}");
}
