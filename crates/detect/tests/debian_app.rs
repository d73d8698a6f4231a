//! Planted secrets and config facts of the corpus image `debian-app`, with
//! expectations from the corpus INDEX (generated independently of drydock).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use drydock_detect::{ConfigFacts, HistoryEntry, SecretScanner, check_config};
use serde_json::Value;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/detect/debian-app")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The committed excerpt of INDEX.json; it must agree with the corpus index in
/// `../shared/images` (catches a rebuilt corpus) when that is here.
fn expected() -> Value {
    let committed = read_json(&testdata().join("expected-index.json"));
    if let Some(images) = drydock_testkit::need(drydock_testkit::Need::SharedImages) {
        let index = read_json(&images.join("INDEX.json"));
        let image = &index["images"]["debian-app"]["images"][0];
        assert_eq!(committed["secrets"], image["secrets"], "INDEX.json changed");
        assert_eq!(
            committed["secrets_only_in_lower_layers"], image["secrets_only_in_lower_layers"],
            "INDEX.json changed"
        );
        for k in ["env_secret_like", "exposed_ports", "user_is_root"] {
            assert_eq!(
                committed["config"][k], image["config"][k],
                "INDEX.json changed"
            );
        }
    }
    committed
}

/// (rule, line) pairs INDEX expects for `path`.
fn index_hits(list: &Value, path: &str) -> BTreeSet<(String, usize)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["path"] == path)
        .map(|s| {
            (
                s["rule"].as_str().unwrap_or_default().to_string(),
                s["line"].as_u64().unwrap_or_default() as usize,
            )
        })
        .collect()
}

fn scan(scanner: &SecretScanner, image_path: &str) -> BTreeSet<(String, usize)> {
    let file = testdata().join(image_path.trim_start_matches('/'));
    let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(
        scanner.wants(image_path, data.len() as u64),
        "{image_path} not wanted"
    );
    scanner
        .scan(image_path, &data)
        .into_iter()
        .map(|f| (f.rule_id, f.line))
        .collect()
}

/// INDEX only knows the rule families `aws-access-key-id` and `private-key`.
fn index_families(hits: &BTreeSet<(String, usize)>) -> BTreeSet<(String, usize)> {
    hits.iter()
        .filter(|(r, _)| r == "aws-access-key-id" || r == "private-key")
        .cloned()
        .collect()
}

#[test]
fn planted_secrets_in_final_layer_are_found_exactly() {
    let exp = expected();
    let scanner = SecretScanner::builtin().expect("builtin rules compile");

    let settings = scan(&scanner, "/app/config/settings.ini");
    assert_eq!(
        index_families(&settings),
        index_hits(&exp["secrets"], "/app/config/settings.ini")
    );
    // build.sh plants `aws_secret_access_key = <40 chars>` right below the key id.
    let others: BTreeSet<_> = settings
        .difference(&index_families(&settings))
        .cloned()
        .collect();
    assert_eq!(
        others,
        BTreeSet::from([("aws-secret-access-key".to_string(), 5)])
    );

    let pem = scan(&scanner, "/app/config/deploy_key.pem");
    assert_eq!(
        pem,
        index_hits(&exp["secrets"], "/app/config/deploy_key.pem")
    );
    assert_eq!(pem.len(), 1);
}

#[test]
fn secret_only_in_lower_layer_is_found() {
    let exp = expected();
    let scanner = SecretScanner::builtin().expect("builtin rules compile");
    let creds = scan(&scanner, "/root/.aws/credentials");
    let want = index_hits(
        &exp["secrets_only_in_lower_layers"],
        "/root/.aws/credentials",
    );
    assert!(!want.is_empty());
    assert_eq!(index_families(&creds), want);
}

#[test]
fn masked_output_never_contains_the_secret() {
    let scanner = SecretScanner::builtin().expect("builtin rules compile");
    let data = std::fs::read(testdata().join("app/config/settings.ini")).expect("read");
    for f in scanner.scan("/app/config/settings.ini", &data) {
        assert!(!f.masked.contains("DRYDOCKFAKE2TEST"), "{f:?}");
        assert!(!f.context.unwrap_or_default().contains("DRYDOCKFAKE2TEST"));
    }
}

#[test]
fn image_config_checks_match_index_facts() {
    let exp = expected();
    let cfg = read_json(&testdata().join("config.json"));
    let c = &cfg["config"];
    let facts = ConfigFacts {
        user: c["User"].as_str().map(str::to_string),
        env: c["Env"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        labels: c["Labels"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
        exposed_ports: c["ExposedPorts"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect(),
        healthcheck: None,
        history: cfg["history"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| HistoryEntry {
                created_by: h["created_by"].as_str().unwrap_or_default().to_string(),
                empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
            })
            .collect(),
    };
    let found = check_config(&facts);
    let ids: BTreeSet<&str> = found.iter().map(|m| m.id.as_ref()).collect();

    let root = exp["config"]["user_is_root"].as_bool().expect("bool");
    assert_eq!(ids.contains("DD-CFG-001"), root);

    let flagged_env: BTreeSet<String> = found
        .iter()
        .filter(|m| m.id == "DD-CFG-002")
        .filter_map(|m| {
            m.message
                .strip_prefix("ENV ")?
                .split(':')
                .next()
                .map(str::to_string)
        })
        .collect();
    let want_env: BTreeSet<String> = exp["config"]["env_secret_like"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert_eq!(flagged_env, want_env);
    // The value must be masked in the report.
    assert!(
        found
            .iter()
            .all(|m| !m.message.contains("fake-db-password"))
    );

    let ssh = exp["config"]["exposed_ports"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p == "22/tcp");
    assert_eq!(ids.contains("DD-CFG-008"), ssh);
    // The config has no Healthcheck key at all.
    assert!(c.get("Healthcheck").is_none());
    assert!(ids.contains("DD-CFG-009"));
    // The history's `ENV DB_PASSWORD=...` is the same secret as the Env entry:
    // reported once, under DD-CFG-002.
    assert!(!ids.contains("DD-CFG-004"), "{found:#?}");
}
