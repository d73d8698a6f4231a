//! Every case of `testdata/inventory/cases.json` through the analyzers, as the scanner would
//! run them: each file goes to every analyzer that wants it. The expected packages there
//! come from each ecosystem's own tool or a hand check (its `oracle` field and the README);
//! `crates/drydock/tests/it/inventory.rs` runs the same cases end to end.

use drydock_inventory::all_analyzers;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/inventory")
}

fn strings(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A fixture's bytes; `.gz` fixtures (large binaries) are stored compressed.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let raw = std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if !rel.ends_with(".gz") {
        return raw;
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&raw[..]), &mut out)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    out
}

#[test]
fn every_case_matches_its_oracle() {
    let cases: Value =
        serde_json::from_slice(&std::fs::read(root().join("cases.json")).unwrap()).unwrap();
    let analyzers = all_analyzers();
    let mut failures = Vec::new();
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let exec = strings(case.get("exec"));
        let (mut got, mut dev, mut indirect) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for (path, fixture) in case["files"].as_object().unwrap() {
            let bytes = fixture_bytes(fixture.as_str().unwrap());
            let mode = if exec.contains(path) {
                0o100755
            } else {
                0o100644
            };
            for a in analyzers
                .iter()
                .filter(|a| a.wants(path, bytes.len() as u64, mode))
            {
                let analysis = a
                    .analyze(path, &bytes)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                for p in analysis.packages {
                    let id = format!(
                        "{} {}@{}",
                        serde_json::to_value(p.kind).unwrap().as_str().unwrap(),
                        p.name,
                        p.version
                    );
                    if p.dev {
                        dev.insert(id.clone());
                    }
                    if p.indirect {
                        indirect.insert(id.clone());
                    }
                    got.insert(id);
                }
            }
        }
        let want = strings(case.get("packages"));
        if got != want {
            failures.push(format!(
                "{name}: missing {:?}, extra {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            ));
        }
        for (flag, got) in [("dev", &dev), ("indirect", &indirect)] {
            if let Some(want) = case.get(flag).map(|w| strings(Some(w)))
                && *got != want
            {
                failures.push(format!("{name}: {flag} {got:?}, expected {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
