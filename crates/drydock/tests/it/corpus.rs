//! Every image in every format must give the inventory that the corpus INDEX.json
//! (written by gen_index.py straight from the image bytes, not by a scanner) records.

use crate::common::{repo_root, scan_json};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Corpora to check: the vendored one always; the full one from `DRYDOCK_CORPUS`
/// (a built `../shared/images/build.sh` OUTDIR) or else the committed small tier.
fn corpora() -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let vendored = repo_root().join("testdata/images");
    out.push(load(&vendored, &vendored.join("INDEX.json")));
    if let Ok(dir) = std::env::var("DRYDOCK_CORPUS") {
        let dir = PathBuf::from(dir);
        out.push(load(&dir, &dir.join("INDEX.json")));
    } else {
        let shared = repo_root().join("../shared/images");
        if shared.join("small").is_dir() {
            out.push(load(&shared.join("small"), &shared.join("INDEX.json")));
        } else {
            eprintln!(
                "note: no DRYDOCK_CORPUS and no ../shared/images: checking the vendored corpus only"
            );
        }
    }
    out
}

fn load(root: &Path, index: &Path) -> (PathBuf, Value) {
    let text =
        std::fs::read_to_string(index).unwrap_or_else(|e| panic!("{}: {e}", index.display()));
    (
        root.to_owned(),
        serde_json::from_str(&text).expect("INDEX.json"),
    )
}

fn set(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn packages_of(report: &Value, kind: &str) -> BTreeSet<String> {
    report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| {
            format!(
                "{}={}",
                p["name"].as_str().unwrap_or(""),
                p["version"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Checks one scan against one INDEX.json image entry; returns a list of mismatches.
fn compare(report: &Value, want: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let inv = &want["inventory"];
    let check = |errs: &mut Vec<String>, what: &str, got: String, expected: String| {
        if got != expected {
            errs.push(format!("{what}: got {got}, want {expected}"));
        }
    };
    check(
        &mut errs,
        "layers",
        report["layers"].as_array().map_or(0, Vec::len).to_string(),
        want["layer_count"].to_string(),
    );
    check(
        &mut errs,
        "platform",
        report["artifact"]["platform"].to_string(),
        want["platform"].to_string(),
    );
    check(
        &mut errs,
        "file_count",
        report["artifact"]["file_count"].to_string(),
        inv["file_count"].to_string(),
    );
    for kind in ["dpkg", "apk"] {
        let got = packages_of(report, kind);
        let expected = set(&inv[kind]);
        if got != expected {
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            errs.push(format!("{kind}: missing {missing:?}, unexpected {extra:?}"));
        }
    }
    match inv["os"].as_object() {
        Some(os) => {
            check(
                &mut errs,
                "os.family",
                report["os"]["family"].to_string(),
                os["id"].to_string(),
            );
            check(
                &mut errs,
                "os.version",
                report["os"]["version"].to_string(),
                os["version_id"].to_string(),
            );
        }
        None => {
            check(&mut errs, "os", report["os"].to_string(), "null".into());
            let said = report["not_covered"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|n| {
                    n["scope"] == "os-packages"
                        && n["reason"]
                            .as_str()
                            .is_some_and(|r| r.contains("no package database found"))
                });
            if !said {
                errs.push(
                    "no package DB, but the report does not say OS packages were not scanned"
                        .into(),
                );
            }
        }
    }
    let whiteouts: BTreeSet<String> = want["whiteouts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            format!(
                "{} {} {} {}",
                w["layer"], w["kind"], w["path"], w["removed_entries"]
            )
        })
        .collect();
    let got: BTreeSet<String> = report["whiteouts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            format!(
                "{} {} {} {}",
                w["layer"], w["kind"], w["path"], w["removed_entries"]
            )
        })
        .collect();
    check(
        &mut errs,
        "whiteouts",
        format!("{got:?}"),
        format!("{whiteouts:?}"),
    );
    errs
}

#[test]
fn every_format_matches_index() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (root, index) in corpora() {
        for (name, image) in index["images"].as_object().expect("images") {
            let platforms = image["images"].as_array().expect("images list");
            for (fname, f) in image["formats"].as_object().expect("formats") {
                let path = root.join(f["path"].as_str().expect("path"));
                if !path.exists() {
                    continue;
                }
                for want in platforms {
                    let platform = want["platform"].as_str().expect("platform");
                    let extra: Vec<&str> = if platforms.len() > 1 {
                        vec!["--platform", platform]
                    } else {
                        vec![]
                    };
                    let run = scan_json(&path, &extra);
                    assert_eq!(run.code, 0, "{}: {}", path.display(), run.stderr);
                    for e in compare(&run.json(), want) {
                        failures.push(format!("{name} [{fname} {platform}]: {e}"));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("checked {checked} image/format/platform combinations against INDEX.json");
    assert!(checked >= 6, "only {checked} combinations found");
}

/// The same image in every stored format gives the very same package list and layer
/// attribution (digests aside: legacy docker-archive only knows diff_ids).
#[test]
fn formats_agree_on_debian_app() {
    let Ok(dir) = std::env::var("DRYDOCK_CORPUS") else {
        eprintln!("note: DRYDOCK_CORPUS unset; skipping the cross-format check of the full corpus");
        return;
    };
    let base = Path::new(&dir).join("debian-app");
    let inputs = [
        "oci",
        "oci-zstd",
        "debian-app.oci.tar",
        "debian-app.docker.tar",
        "debian-app.docker.tar.gz",
        "debian-app.docker25.tar",
    ];
    let mut reference: Option<Vec<(String, String, u64)>> = None;
    for input in inputs {
        let run = scan_json(&base.join(input), &[]);
        assert_eq!(run.code, 0, "{input}: {}", run.stderr);
        let report = run.json();
        let pkgs: Vec<(String, String, u64)> = report["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("").to_owned(),
                    p["version"].as_str().unwrap_or("").to_owned(),
                    p["layer"]["index"].as_u64().unwrap_or(99),
                )
            })
            .collect();
        match &reference {
            None => reference = Some(pkgs),
            Some(r) => assert_eq!(r, &pkgs, "{input} differs from oci"),
        }
    }
    // Layer 2 of debian-app installs curl, openssl and python3 over the minbase layer.
    let pkgs = reference.expect("scanned");
    let layer_of = |n: &str| pkgs.iter().find(|p| p.0 == n).map(|p| p.2);
    assert_eq!(
        layer_of("curl"),
        Some(1),
        "curl comes from the second layer"
    );
    assert_eq!(layer_of("dpkg"), Some(0), "dpkg comes from the base layer");
}
