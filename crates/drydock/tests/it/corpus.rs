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

fn packages_of(report: &Value, kind: &str, sep: &str) -> BTreeSet<String> {
    report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| {
            format!(
                "{}{sep}{}",
                p["name"].as_str().unwrap_or(""),
                p["version"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// The application packages INDEX.json expects, in `name<sep>version` form per kind.
fn expected_apps(inv: &Value) -> Vec<(&'static str, &'static str, BTreeSet<String>)> {
    let jars = inv["jars"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|j| set(&j["maven"]))
        .map(|c| match c.rsplit_once(':') {
            Some((ga, v)) => format!("{ga}={v}"),
            None => c,
        });
    let go = inv["go_binaries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            format!(
                "stdlib={}",
                g["go"].as_str().unwrap_or("").trim_start_matches("go")
            )
        });
    let rust = inv["rust_binaries"]
        .as_array()
        .into_iter()
        .chain(inv["cargo_lockfiles"].as_array())
        .flatten()
        .flat_map(|r| {
            let mut crates = set(&r["crates"]);
            crates.extend(set(&r["packages"]));
            crates.extend(r["root"].as_str().map(str::to_owned));
            crates
        });
    vec![
        ("python", "==", set(&inv["python"])),
        ("npm", "@", set(&inv["npm"])),
        ("maven", "=", jars.collect()),
        ("go", "=", go.collect()),
        ("cargo", "@", rust.collect()),
    ]
}

/// `layer kind path removed` for each whiteout, in either document's spelling.
fn whiteout_keys(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            format!(
                "{} {} {} {}",
                w["layer"], w["kind"], w["path"], w["removed_entries"]
            )
        })
        .collect()
}

/// Checks one scan against one INDEX.json image entry; returns a list of mismatches.
fn compare(report: &Value, want: &Value) -> Vec<String> {
    let inv = &want["inventory"];
    let mut pairs = vec![
        (
            "layers",
            report["layers"].as_array().map_or(0, Vec::len).to_string(),
            want["layer_count"].to_string(),
        ),
        (
            "platform",
            report["artifact"]["platform"].to_string(),
            want["platform"].to_string(),
        ),
        (
            "file_count",
            report["artifact"]["file_count"].to_string(),
            inv["file_count"].to_string(),
        ),
        (
            "whiteouts",
            format!("{:?}", whiteout_keys(&report["whiteouts"])),
            format!("{:?}", whiteout_keys(&want["whiteouts"])),
        ),
    ];
    match inv["os"].as_object() {
        Some(os) => {
            pairs.push((
                "os.family",
                report["os"]["family"].to_string(),
                os["id"].to_string(),
            ));
            pairs.push((
                "os.version",
                report["os"]["version"].to_string(),
                os["version_id"].to_string(),
            ));
        }
        None => {
            pairs.push(("os", report["os"].to_string(), "null".into()));
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
            pairs.push((
                "says OS packages were not scanned",
                said.to_string(),
                "true".into(),
            ));
        }
    }
    let mut errs: Vec<String> = pairs
        .into_iter()
        .filter(|(_, got, want)| got != want)
        .map(|(what, got, want)| format!("{what}: got {got}, want {want}"))
        .collect();
    let os_kinds = [
        ("dpkg", "=", set(&inv["dpkg"])),
        ("apk", "=", set(&inv["apk"])),
    ];
    for (kind, sep, expected) in os_kinds.into_iter().chain(expected_apps(inv)) {
        let got = packages_of(report, kind, sep);
        if got != expected {
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            errs.push(format!("{kind}: missing {missing:?}, unexpected {extra:?}"));
        }
    }
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

/// Planted secrets (INDEX.json `secrets` and `secrets_only_in_lower_layers`) are found at
/// the right file, line, rule and layer; config facts give the matching misconfigurations.
#[test]
fn planted_secrets_and_config_facts() {
    let mut checked = 0;
    for (root, index) in corpora() {
        for (name, image) in index["images"].as_object().expect("images") {
            let Some(path) = image["formats"]
                .as_object()
                .expect("formats")
                .values()
                .map(|f| root.join(f["path"].as_str().expect("path")))
                .find(|p| p.exists())
            else {
                continue;
            };
            let platforms = image["images"].as_array().expect("images");
            let want = &platforms[0];
            let platform = want["platform"].as_str().expect("platform");
            let run = scan_json(
                &path,
                &["--scanners", "secret,misconfig", "--platform", platform],
            );
            assert_eq!(run.code, 0, "{name}: {}", run.stderr);
            let report = run.json();
            let found: BTreeSet<String> = report["secrets"]
                .as_array()
                .expect("secrets array")
                .iter()
                .map(|s| {
                    format!(
                        "/{} {} {} {} {}",
                        s["path"].as_str().unwrap_or("").trim_start_matches('/'),
                        s["line"],
                        s["rule_id"].as_str().unwrap_or(""),
                        s["layer"]["index"],
                        s["in_final_filesystem"]
                    )
                })
                .collect();
            for (key, in_final) in [("secrets", true), ("secrets_only_in_lower_layers", false)] {
                for s in want[key].as_array().into_iter().flatten() {
                    let expected = format!(
                        "{} {} {} {} {in_final}",
                        s["path"].as_str().unwrap_or(""),
                        s["line"],
                        s["rule"].as_str().unwrap_or(""),
                        s["layer"]
                    );
                    assert!(
                        found.contains(&expected),
                        "{name}: missing secret {expected}; found {found:?}"
                    );
                }
            }
            let ids: BTreeSet<String> = report["misconfigurations"]
                .as_array()
                .expect("misconfigurations")
                .iter()
                .map(|m| m["id"].as_str().unwrap_or("").to_owned())
                .collect();
            let cfg = &want["config"];
            assert_eq!(
                ids.contains("DD-CFG-001"),
                cfg["user_is_root"] == true,
                "{name}: runs-as-root check vs INDEX user {:?}",
                cfg["user"]
            );
            let port22 = cfg["exposed_ports"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p == "22/tcp");
            assert_eq!(ids.contains("DD-CFG-008"), port22, "{name}: port 22 check");
            let secret_env = !cfg["env_secret_like"].as_array().is_none_or(Vec::is_empty);
            assert_eq!(
                ids.contains("DD-CFG-002"),
                secret_env,
                "{name}: secret in ENV check"
            );
            checked += 1;
        }
    }
    eprintln!("checked secrets and config facts of {checked} images");
}
