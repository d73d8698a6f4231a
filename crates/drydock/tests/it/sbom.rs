//! SBOMs out and in: drydock's CycloneDX and SPDX validated by the real validators and
//! compared with what Trivy writes for the same image; `drydock sbom` on drydock's own
//! SBOMs (a round trip that must give the image scan's findings exactly), on Syft's and
//! Trivy's, on specification examples, and on bad input.

use crate::common::{Run, drydock, repo_root};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A vulnerability DB built once from the vendored OSV mirror.
fn cache() -> &'static str {
    static DIR: OnceLock<String> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let dir = dir.to_str().expect("utf-8").to_owned();
        let mirror = repo_root().join("testdata/matcher/mirror/osv");
        let run = drydock(&[
            "--cache-dir",
            &dir,
            "db",
            "update",
            "--source",
            mirror.to_str().expect("utf-8"),
        ]);
        assert_eq!(run.code, 0, "db update: {}", run.stderr);
        dir
    })
}

/// `drydock --cache-dir <mirror DB> ARGS`, with `stdin` piped in.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--cache-dir", cache()])
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run drydock");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(args: &[&str], stdin: Option<&[u8]>) -> String {
    let r = run(args, stdin);
    assert_eq!(r.code, 0, "drydock {args:?}: {}", r.stderr);
    r.stdout
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

/// Every image of a corpus INDEX.json, once per platform, as `(label, path, extra args)`.
fn images_of(root: &Path) -> Vec<(String, PathBuf, Vec<String>)> {
    let index: Value = parse(&std::fs::read_to_string(root.join("INDEX.json")).expect("INDEX"));
    let mut out = Vec::new();
    for (name, image) in index["images"].as_object().expect("images") {
        let (_, format) = image["formats"]
            .as_object()
            .and_then(|f| f.iter().next())
            .expect("a format");
        let path = root.join(format["path"].as_str().expect("path"));
        let platforms: Vec<&str> = image["images"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["platform"].as_str()).collect())
            .unwrap_or_default();
        if platforms.len() > 1 {
            for p in platforms {
                let args = vec!["--platform".to_owned(), p.to_owned()];
                out.push((format!("{name} {p}"), path.clone(), args));
            }
        } else {
            out.push((name.clone(), path, Vec::new()));
        }
    }
    out
}

/// The vendored images, plus the full corpus when `DRYDOCK_CORPUS` names one.
fn all_images() -> Vec<(String, PathBuf, Vec<String>)> {
    let mut out = images_of(&repo_root().join("testdata/images"));
    if let Ok(dir) = std::env::var("DRYDOCK_CORPUS") {
        out.extend(images_of(Path::new(&dir)));
    } else {
        eprintln!("note: DRYDOCK_CORPUS not set: SBOM round trip on the vendored images only");
    }
    out
}

fn image_args<'a>(sub: &'a str, path: &'a Path, extra: &'a [String]) -> Vec<&'a str> {
    let mut args = vec![sub, path.to_str().expect("utf-8")];
    args.extend(extra.iter().map(String::as_str));
    args
}

fn alpine() -> PathBuf {
    repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz")
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("testdata/sbom").join(name)
}

fn require_full() -> bool {
    std::env::var("DRYDOCK_REQUIRE_FULL").is_ok_and(|v| v == "1")
}

/// A validator that is not installed fails the test under `DRYDOCK_REQUIRE_FULL=1`
/// (as `.ci/run` sets it), and is otherwise skipped loudly.
fn validator_missing(what: &str) {
    assert!(
        !require_full(),
        "{what} is not installed and DRYDOCK_REQUIRE_FULL=1 (.ci/run installs it)"
    );
    eprintln!("\n*** SKIP: {what} is not installed; its validation did NOT run ***\n");
}

// ---------------------------------------------------------------- validation

#[test]
fn cyclonedx_passes_the_official_schema_and_cyclonedx_python_lib() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut files = Vec::new();
    for (i, (label, path, extra)) in all_images().into_iter().enumerate() {
        for (mode, more) in [
            ("bom", &["--format", "cyclonedx"][..]),
            (
                "inventory",
                &["--format", "cyclonedx", "--scanners", "none"],
            ),
            ("vex", &["--format", "cyclonedx-vex"]),
        ] {
            let mut args = image_args("image", &path, &extra);
            args.extend_from_slice(more);
            let file = tmp.path().join(format!("{i}-{mode}.cdx.json"));
            std::fs::write(&file, ok(&args, None)).expect("write");
            files.push((label.clone(), file));
        }
    }
    let script = repo_root().join("testdata/schemas/validate_cyclonedx.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(files.iter().map(|(_, f)| f))
        .output();
    let out = match out {
        Ok(o) if o.status.code() != Some(3) => o,
        _ => return validator_missing("python3 jsonschema / cyclonedx-python-lib"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "CycloneDX validation failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches(": ok").count(), files.len(), "{stdout}");
}

#[test]
fn spdx_passes_pyspdxtools() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, (label, path, extra)) in all_images().into_iter().enumerate() {
        let mut args = image_args("image", &path, &extra);
        args.extend_from_slice(&["--format", "spdx-json"]);
        let file = tmp.path().join(format!("{i}.spdx.json"));
        std::fs::write(&file, ok(&args, None)).expect("write");
        let out = match Command::new("pyspdxtools").arg("-i").arg(&file).output() {
            Ok(o) => o,
            Err(_) => return validator_missing("pyspdxtools (PyPI spdx-tools)"),
        };
        assert!(
            out.status.success(),
            "{label}: pyspdxtools rejected the document:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        println!("{label}: pyspdxtools: valid");
    }
}

// ------------------------------------------------- content, against Trivy's SBOMs

fn props(c: &Value) -> Vec<(String, String)> {
    c["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("").to_owned(),
                p["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn prop<'a>(props: &'a [(String, String)], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// (package, CVE, fixed) that Trivy reported for alpine-310 on the same advisory data,
/// restricted to the CVEs the vendored mirror holds.
fn trivy_alpine_findings() -> BTreeSet<(String, String, String)> {
    let root = repo_root();
    let ids = std::fs::read_to_string(
        root.join("testdata/matcher/mirror/osv/Alpine:v3.10/modified_id.csv"),
    )
    .expect("modified_id.csv");
    let held: BTreeSet<&str> = ids
        .lines()
        .filter_map(|l| l.split_once(',')?.1.strip_prefix("ALPINE-"))
        .collect();
    let v = parse(
        &std::fs::read_to_string(
            root.join("testdata/images/thirdparty/alpine-310.trivy-vulns.json"),
        )
        .expect("trivy findings"),
    );
    let s = |f: &Value, k: &str| f[k].as_str().unwrap_or("").to_owned();
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| held.contains(f["id"].as_str().unwrap_or("")))
        .map(|f| (s(f, "package"), s(f, "id"), s(f, "fixed")))
        .collect()
}

#[test]
fn cyclonedx_of_alpine_agrees_with_trivys() {
    let ours = parse(&ok(
        &["image", alpine().to_str().unwrap(), "--format", "cyclonedx"],
        None,
    ));
    let trivy = parse(&std::fs::read_to_string(fixture("alpine-310.trivy.cdx.json")).unwrap());
    assert_eq!(ours["specVersion"], "1.6");
    let image = &ours["metadata"]["component"];
    assert_eq!(image["type"], "container");
    let trivy_image = props(&trivy["metadata"]["component"]);
    assert_eq!(
        Some(image["name"].as_str().unwrap()),
        prop(&trivy_image, "aquasecurity:trivy:RepoTag")
    );
    assert_eq!(
        Some(image["version"].as_str().unwrap()),
        prop(&trivy_image, "aquasecurity:trivy:ImageID")
    );

    let components = ours["components"].as_array().unwrap();
    let os: Vec<&Value> = components
        .iter()
        .filter(|c| c["type"] == "operating-system")
        .collect();
    let trivy_os: Vec<&Value> = trivy["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "operating-system")
        .collect();
    assert_eq!(os.len(), 1);
    assert_eq!(
        (&os[0]["name"], &os[0]["version"]),
        (&trivy_os[0]["name"], &trivy_os[0]["version"])
    );

    let trivy_pkgs: Vec<&Value> = trivy["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("purl").is_some())
        .collect();
    assert_eq!(trivy_pkgs.len(), 14);
    for t in trivy_pkgs {
        let purl = t["purl"].as_str().unwrap();
        let c = components
            .iter()
            .find(|c| c["purl"] == purl)
            .unwrap_or_else(|| panic!("no component with Trivy's purl {purl}"));
        assert_eq!(c["bom-ref"], purl, "unique purls are the bom-refs");
        let (p, tp) = (props(c), props(t));
        for (ours, theirs) in [
            ("drydock:SrcName", "aquasecurity:trivy:SrcName"),
            ("drydock:SrcVersion", "aquasecurity:trivy:SrcVersion"),
            // A legacy docker archive names layers by diff ID.
            ("drydock:LayerDigest", "aquasecurity:trivy:LayerDiffID"),
        ] {
            assert_eq!(prop(&p, ours), prop(&tp, theirs), "{purl} {ours}");
        }
        assert_eq!(prop(&p, "drydock:PkgType"), Some("apk"));
        assert_eq!(prop(&p, "drydock:LayerIndex"), Some("0"));
    }

    // Findings: one vulnerability per CVE, affecting each package it is in, the fix
    // as the first unaffected version.
    let by_ref: std::collections::HashMap<&str, &str> = components
        .iter()
        .map(|c| (c["bom-ref"].as_str().unwrap(), c["name"].as_str().unwrap()))
        .collect();
    let mut got = BTreeSet::new();
    for v in ours["vulnerabilities"].as_array().unwrap() {
        for a in v["affects"].as_array().unwrap() {
            let versions = a["versions"].as_array().unwrap();
            assert_eq!(versions[0]["status"], "affected");
            let fixed = versions
                .iter()
                .find(|x| x["status"] == "unaffected")
                .and_then(|x| x["version"].as_str())
                .unwrap_or("");
            got.insert((
                by_ref[a["ref"].as_str().unwrap()].to_owned(),
                v["id"].as_str().unwrap().to_owned(),
                fixed.to_owned(),
            ));
        }
        for r in v["ratings"].as_array().unwrap() {
            if let Some(vector) = r["vector"].as_str() {
                assert!(
                    vector.starts_with("CVSS:3.1/") == (r["method"] == "CVSSv31"),
                    "{r}"
                );
            }
        }
    }
    let expected = trivy_alpine_findings();
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(got, expected);
}

#[test]
fn vex_points_into_the_sbom_of_the_same_scan() {
    let a = alpine();
    let sbom = parse(&ok(
        &["image", a.to_str().unwrap(), "--format", "cyclonedx"],
        None,
    ));
    let vex = parse(&ok(
        &["image", a.to_str().unwrap(), "--format", "cyclonedx-vex"],
        None,
    ));
    assert!(vex.get("components").is_none(), "VEX carries no components");
    let serial = sbom["serialNumber"]
        .as_str()
        .unwrap()
        .strip_prefix("urn:uuid:")
        .unwrap();
    let refs: BTreeSet<&str> = sbom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    let vulns = vex["vulnerabilities"].as_array().unwrap();
    assert_eq!(
        vulns.len(),
        sbom["vulnerabilities"].as_array().unwrap().len()
    );
    for v in vulns {
        let analysis = &v["analysis"];
        assert_eq!(analysis["state"], "in_triage", "{v}");
        let fixable = v["affects"][0]["versions"].as_array().unwrap().len() > 1;
        assert_eq!(analysis["response"] == json!(["update"]), fixable, "{v}");
        for a in v["affects"].as_array().unwrap() {
            let link = a["ref"].as_str().unwrap();
            let target = link
                .strip_prefix(&format!("urn:cdx:{serial}/1#"))
                .unwrap_or_else(|| panic!("not a BOM-link into the SBOM: {link}"));
            assert!(refs.contains(target), "{target}");
        }
    }
}

#[test]
fn spdx_of_alpine_agrees_with_trivys() {
    let ours = parse(&ok(
        &["image", alpine().to_str().unwrap(), "--format", "spdx-json"],
        None,
    ));
    let trivy = parse(&std::fs::read_to_string(fixture("alpine-310.trivy.spdx.json")).unwrap());
    assert_eq!(ours["spdxVersion"], "SPDX-2.3");
    let purl_of = |p: &Value| -> Option<String> {
        p["externalRefs"].as_array()?.iter().find_map(|r| {
            (r["referenceType"] == "purl" && r["referenceCategory"] == "PACKAGE-MANAGER")
                .then(|| r["referenceLocator"].as_str().unwrap().to_owned())
        })
    };
    let packages = ours["packages"].as_array().unwrap();
    let id_of = |purpose: &str| -> String {
        let found: Vec<&Value> = packages
            .iter()
            .filter(|p| p["primaryPackagePurpose"] == purpose)
            .collect();
        assert_eq!(found.len(), 1, "{purpose}");
        found[0]["SPDXID"].as_str().unwrap().to_owned()
    };
    let (image, os) = (id_of("CONTAINER"), id_of("OPERATING-SYSTEM"));
    let rels: BTreeSet<(String, String, String)> = ours["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_owned();
            (
                s("spdxElementId"),
                s("relationshipType"),
                s("relatedSpdxElement"),
            )
        })
        .collect();
    assert!(rels.contains(&("SPDXRef-DOCUMENT".into(), "DESCRIBES".into(), image.clone())));
    assert!(rels.contains(&(image, "CONTAINS".into(), os.clone())));
    let mut seen = 0;
    for t in trivy["packages"].as_array().unwrap() {
        let Some(purl) = purl_of(t) else { continue };
        seen += 1;
        let p = packages
            .iter()
            .find(|p| purl_of(p).as_deref() == Some(purl.as_str()))
            .unwrap_or_else(|| panic!("no package with Trivy's purl {purl}"));
        assert_eq!(p["versionInfo"], t["versionInfo"], "{purl}");
        assert_eq!(p["sourceInfo"], t["sourceInfo"], "{purl}");
        let id = p["SPDXID"].as_str().unwrap().to_owned();
        assert!(
            rels.contains(&(os.clone(), "CONTAINS".into(), id)),
            "{purl}"
        );
    }
    assert_eq!(seen, 14);
}

// ---------------------------------------------------------------- reading

fn packages_without_files(report: &Value) -> Vec<Value> {
    report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().expect("object").remove("files");
            p
        })
        .collect()
}

/// `image X --format F | sbom -` gives the image scan's packages (less owned-file
/// lists, which SBOMs do not carry), findings, OS, layers and coverage, exactly.
#[test]
fn round_trip_gives_the_image_scans_findings() {
    for (label, path, extra) in all_images() {
        let mut args = image_args("image", &path, &extra);
        args.extend_from_slice(&["--format", "json"]);
        let direct = parse(&ok(&args, None));
        for format in ["cyclonedx", "spdx-json"] {
            let mut args = image_args("image", &path, &extra);
            args.extend_from_slice(&["--format", format]);
            let sbom = ok(&args, None);
            let back = parse(&ok(
                &["sbom", "-", "--format", "json"],
                Some(sbom.as_bytes()),
            ));
            let what = format!("{label} via {format}");
            assert_eq!(back["artifact"]["format"], "sbom", "{what}");
            assert_eq!(back["vulnerabilities"], direct["vulnerabilities"], "{what}");
            assert_eq!(
                packages_without_files(&back),
                packages_without_files(&direct),
                "{what}"
            );
            for field in ["os", "layers", "not_covered"] {
                assert_eq!(back[field], direct[field], "{what}: {field}");
            }
            let n = direct["vulnerabilities"].as_array().map_or(0, Vec::len);
            println!(
                "{what}: {n} findings, {} packages identical",
                direct["packages"].as_array().unwrap().len()
            );
        }
    }
}

fn finding_set(report: &Value) -> BTreeSet<(String, String, String)> {
    report["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            let fixed = f["fixed_versions"][0].as_str().unwrap_or("").to_owned();
            (s("package"), s("id"), fixed)
        })
        .collect()
}

#[test]
fn syft_and_trivy_sboms_of_alpine_find_what_trivy_and_the_image_scan_find() {
    let image = parse(&ok(
        &["image", alpine().to_str().unwrap(), "--format", "json"],
        None,
    ));
    let expected = trivy_alpine_findings();
    assert_eq!(finding_set(&image), expected);
    let image_pkgs: BTreeSet<(String, String)> = image["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    for name in [
        "alpine-310.syft.cdx.json",
        "alpine-310.syft.spdx.json",
        "alpine-310.trivy.cdx.json",
        "alpine-310.trivy.spdx.json",
    ] {
        let path = fixture(name);
        let report = parse(&ok(
            &["sbom", path.to_str().unwrap(), "--format", "json"],
            None,
        ));
        assert_eq!(finding_set(&report), expected, "{name}");
        let pkgs: BTreeSet<(String, String)> = report["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().into(),
                    p["version"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(pkgs, image_pkgs, "{name}");
        assert_eq!(report["os"]["family"], "alpine", "{name}");
        assert_eq!(report["os"]["version"], "3.10.4", "{name}");
        // Source packages come through (libcrypto1.1 is built from openssl), so the
        // openssl advisories match.
        let crypto = report["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "libcrypto1.1")
            .unwrap();
        assert_eq!(crypto["source_name"], "openssl", "{name}");
        let nc = report["not_covered"].to_string();
        assert!(
            !nc.contains("sbom-components") && !nc.contains("pkg:"),
            "{name}: {nc}"
        );
    }
}

#[test]
fn specification_examples_read() {
    let inventory = |name: &str| {
        let path = fixture(&format!("spec/{name}"));
        parse(&ok(
            &[
                "sbom",
                path.to_str().unwrap(),
                "--scanners",
                "none",
                "--format",
                "json",
            ],
            None,
        ))
    };
    let names = |r: &Value| -> Vec<(String, String)> {
        r["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                assert_eq!(p["kind"], "maven");
                (
                    p["name"].as_str().unwrap().into(),
                    p["version"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    // Nested components count.
    let r = inventory("cyclonedx-1.4-valid-compositions.json");
    let want = [
        ("acme:library", "3.0"),
        ("ossproject:library", "2.0"),
        ("partner:shaded-library", "1.0"),
    ];
    assert_eq!(names(&r), want.map(|(n, v)| (n.to_owned(), v.to_owned())));
    let r = inventory("cyclonedx-1.5-valid-evidence.json");
    assert_eq!(
        names(&r),
        [(
            "com.google.code.findbugs:findbugs-project".to_owned(),
            "3.0.0".to_owned()
        )]
    );
    assert_eq!(r["packages"][0]["licenses"], json!(["LGPL-3.0-or-later"]));
    // SPDX 2.2: `PACKAGE_MANAGER` references; packages without a purl are reported.
    let r = inventory("SPDXJSONExample-v2.2.spdx.json");
    assert_eq!(
        names(&r),
        [(
            "org.apache.jena:apache-jena".to_owned(),
            "3.12.0".to_owned()
        )]
    );
    let nc = &r["not_covered"][0];
    assert_eq!(nc["scope"], "sbom-components");
    for n in ["glibc@2.11.1", "Apache Commons Lang", "Saxon@8.8"] {
        assert!(nc["reason"].as_str().unwrap().contains(n), "{nc}");
    }
}

#[test]
fn unknown_purl_types_are_reported_never_dropped() {
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {"type": "library", "name": "lodash", "version": "4.17.4", "purl": "pkg:npm/lodash@4.17.4"},
            {"type": "library", "name": "openssl", "version": "1.1.1", "purl": "pkg:generic/openssl@1.1.1"},
            {"type": "library", "name": "phoenix", "version": "1.0.0", "purl": "pkg:hex/phoenix@1.0.0"},
            {"type": "library", "name": "mystery", "version": "2"},
            {"type": "file", "name": "README"},
        ],
    })
    .to_string();
    let report = parse(&ok(
        &["sbom", "-", "--format", "json"],
        Some(doc.as_bytes()),
    ));
    let pkgs = report["packages"].as_array().unwrap();
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0]["name"], "lodash");
    // The vendored npm advisories do match the one known package.
    assert!(
        report["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["package"] == "lodash"),
        "{}",
        report["vulnerabilities"]
    );
    let nc = report["not_covered"].as_array().unwrap();
    let reason = |scope: &str| {
        nc.iter()
            .find(|n| n["scope"] == scope)
            .and_then(|n| n["reason"].as_str())
            .unwrap_or_else(|| panic!("no not_covered {scope}: {nc:?}"))
            .to_owned()
    };
    assert!(reason("pkg:generic").contains("openssl@1.1.1"));
    assert!(reason("pkg:hex").contains("phoenix@1.0.0"));
    assert!(reason("sbom-components").contains("mystery@2"));
    assert!(!report["not_covered"].to_string().contains("README"));
}

#[test]
fn bad_sboms_are_one_line_errors_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let good = std::fs::read(fixture("alpine-310.syft.cdx.json")).expect("fixture");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not-json.json",
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>".to_vec(),
            "not JSON",
        ),
        (
            "truncated.json",
            good[..good.len() / 2].to_vec(),
            "not JSON",
        ),
        ("empty.json", Vec::new(), "not JSON"),
        (
            "other.json",
            br#"{"name": "not an sbom"}"#.to_vec(),
            "neither a CycloneDX nor an SPDX",
        ),
        (
            "array.json",
            b"[1, 2]".to_vec(),
            "neither a CycloneDX nor an SPDX",
        ),
        (
            "old.cdx.json",
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.2"}"#.to_vec(),
            "CycloneDX 1.2 is not supported",
        ),
        (
            "old.spdx.json",
            br#"{"spdxVersion": "SPDX-2.1", "packages": []}"#.to_vec(),
            "SPDX-2.1",
        ),
        (
            "bad-components.json",
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {"a": 1}}"#.to_vec(),
            "components: expected an array",
        ),
        (
            "bad-package.json",
            br#"{"spdxVersion": "SPDX-2.3", "packages": [1]}"#.to_vec(),
            "packages[0]: expected an object",
        ),
    ];
    for (name, bytes, needle) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        run(&["sbom", path.to_str().unwrap()], None).assert_clean_error(&path, needle);
    }
    let missing = tmp.path().join("missing.json");
    run(&["sbom", missing.to_str().unwrap()], None).assert_clean_error(&missing, "reading");
    let r = run(&["sbom", "-"], Some(b"{\"bomFormat\": \"CycloneDX\""));
    r.assert_clean_error(Path::new("<stdin>"), "not JSON");
}
