//! Every image in every format must give the inventory that the corpus INDEX.json
//! (written by gen_index.py straight from the image bytes, not by a scanner) records.

use crate::common::{repo_root, scan_json};
use drydock_testkit::{Need, need, record};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One tier of images with the INDEX.json that describes them.
struct Tier {
    name: &'static str,
    root: PathBuf,
    index: Value,
    /// The files this tier holds when it is a committed subset of its INDEX (the small
    /// tier: INDEX `small_tier.files`); None when it must hold every listed format.
    subset: Option<BTreeSet<String>>,
}

impl Tier {
    fn new(name: &'static str, root: PathBuf, index: &Path, subset: bool) -> Tier {
        let text =
            std::fs::read_to_string(index).unwrap_or_else(|e| panic!("{}: {e}", index.display()));
        let index: Value = serde_json::from_str(&text).expect("INDEX.json");
        let subset = subset.then(|| set(&index["small_tier"]["files"]));
        assert!(
            subset.as_ref().is_none_or(|s| !s.is_empty()),
            "{name}: INDEX.json lists no small_tier files"
        );
        Tier {
            name,
            root,
            index,
            subset,
        }
    }

    /// Whether the tier is meant to hold this format: a file, or a layout directory
    /// (listed by its index.json).
    fn holds(&self, rel: &str) -> bool {
        self.subset
            .as_ref()
            .is_none_or(|s| s.contains(rel) || s.contains(&format!("{rel}/index.json")))
    }
}

/// The vendored tier always; the committed small tier (`../shared/images/small`) and
/// the full built corpus (`DRYDOCK_CORPUS`) when present, each a loud skip otherwise.
fn tiers() -> Vec<Tier> {
    let vendored = repo_root().join("testdata/images");
    let mut out = vec![Tier::new(
        "vendored",
        vendored.clone(),
        &vendored.join("INDEX.json"),
        false,
    )];
    if let Some(images) = need(Need::SharedImages) {
        out.push(Tier::new(
            "small",
            images.join("small"),
            &images.join("INDEX.json"),
            true,
        ));
    }
    if let Some(dir) = need(Need::Corpus) {
        out.push(Tier::new(
            "full",
            dir.clone(),
            &dir.join("INDEX.json"),
            false,
        ));
    }
    out
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
    let mut failures = Vec::new();
    for tier in tiers() {
        let mut checked = 0;
        for (name, image) in tier.index["images"].as_object().expect("images") {
            let platforms = image["images"].as_array().expect("images list");
            for (fname, f) in image["formats"].as_object().expect("formats") {
                let rel = f["path"].as_str().expect("path");
                if !tier.holds(rel) {
                    continue;
                }
                let path = tier.root.join(rel);
                if !path.exists() {
                    failures.push(format!(
                        "{} tier: {name} [{fname}]: {} missing",
                        tier.name,
                        path.display()
                    ));
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
                        failures.push(format!(
                            "{} tier: {name} [{fname} {platform}]: {e}",
                            tier.name
                        ));
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 0, "{} tier: no image checked", tier.name);
        record(&["tier", tier.name, &checked.to_string()]);
        eprintln!(
            "{} tier: checked {checked} image/format/platform combinations",
            tier.name
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The same image in every stored format gives the very same package list and layer
/// attribution (digests aside: legacy docker-archive only knows diff_ids).
#[test]
fn formats_agree_on_debian_app() {
    let Some(dir) = need(Need::Corpus) else {
        return;
    };
    let base = dir.join("debian-app");
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

/// Secrets `../shared/images/build.sh` plants that INDEX.json cannot list, because
/// gen_index.py searches for `aws-access-key-id` and `private-key` only: the
/// `aws_secret_access_key = <40 chars>` it writes right below the key id in settings.ini.
const PLANTED_BEYOND_INDEX: &[(&str, &str)] = &[(
    "debian-app",
    "/app/config/settings.ini 5 aws-secret-access-key 6 true",
)];

/// Planted secrets (INDEX.json `secrets` and `secrets_only_in_lower_layers`) are found at
/// the right file, line, rule and layer, and nothing else is reported; config facts give
/// the matching misconfigurations.
#[test]
fn planted_secrets_and_config_facts() {
    let mut failures = Vec::new();
    for tier in tiers() {
        let (mut images, mut secrets) = (0, 0);
        for (name, image) in tier.index["images"].as_object().expect("images") {
            // The first format this tier holds; the small tier holds no debian-app.
            let Some(path) = image["formats"]
                .as_object()
                .expect("formats")
                .values()
                .map(|f| f["path"].as_str().expect("path"))
                .find(|rel| tier.holds(rel))
                .map(|rel| tier.root.join(rel))
            else {
                continue;
            };
            let want = &image["images"].as_array().expect("images")[0];
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
            let mut expected = BTreeSet::new();
            for (key, in_final) in [("secrets", true), ("secrets_only_in_lower_layers", false)] {
                for s in want[key].as_array().into_iter().flatten() {
                    expected.insert(format!(
                        "{} {} {} {} {in_final}",
                        s["path"].as_str().unwrap_or(""),
                        s["line"],
                        s["rule"].as_str().unwrap_or(""),
                        s["layer"]
                    ));
                }
            }
            expected.extend(
                PLANTED_BEYOND_INDEX
                    .iter()
                    .filter(|(image, _)| image == name)
                    .map(|(_, key)| key.to_string()),
            );
            if found != expected {
                failures.push(format!(
                    "{} tier: {name}: missing secrets {:?}, unexpected {:?}",
                    tier.name,
                    expected.difference(&found).collect::<Vec<_>>(),
                    found.difference(&expected).collect::<Vec<_>>()
                ));
            }
            secrets += expected.len();
            let ids: BTreeSet<String> = report["misconfigurations"]
                .as_array()
                .expect("misconfigurations")
                .iter()
                .map(|m| m["id"].as_str().unwrap_or("").to_owned())
                .collect();
            let cfg = &want["config"];
            let port22 = cfg["exposed_ports"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p == "22/tcp");
            let secret_env = !cfg["env_secret_like"].as_array().is_none_or(Vec::is_empty);
            for (id, what, expect) in [
                ("DD-CFG-001", "runs as root", cfg["user_is_root"] == true),
                ("DD-CFG-008", "exposes port 22", port22),
                ("DD-CFG-002", "has a secret in ENV", secret_env),
            ] {
                if ids.contains(id) != expect {
                    failures.push(format!(
                        "{} tier: {name}: {id} ({what}) reported {}, INDEX says {expect} (user {:?})",
                        tier.name,
                        ids.contains(id),
                        cfg["user"]
                    ));
                }
            }
            images += 1;
        }
        assert!(images > 0, "{} tier: no image checked", tier.name);
        record(&["secrets", tier.name, &secrets.to_string()]);
        eprintln!(
            "{} tier: checked secrets and config facts of {images} images ({secrets} planted secrets)",
            tier.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
