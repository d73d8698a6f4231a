//! `drydock sbom`: drydock's own SBOMs round-trip; Syft's, Trivy's and the specifications'
//! examples read; what cannot be matched is reported; bad input fails cleanly.

use super::*;

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
                let mut want = direct[field].clone();
                // The SBOM formats do not carry the OS edition (`variant`) yet.
                if let Some(os) = want.as_object_mut() {
                    os.remove("variant");
                }
                assert_eq!(back[field], want, "{what}: {field}");
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
            {"type": "library", "name": "pacman", "version": "6.0.1-1", "purl": "pkg:alpm/arch/pacman@6.0.1-1"},
            {"type": "library", "name": "aeson", "version": "2.0.0", "purl": "pkg:hackage/aeson@2.0.0"},
            {"type": "library", "name": "mystery", "version": "2"},
            {"type": "file", "name": "README"},
        ],
    })
    .to_string();
    let report = parse(&ok(
        &["sbom", "-", "--format", "json"],
        Some(doc.as_bytes()),
    ));
    // npm, Hex and generic (a binary-identified program) are kinds drydock has.
    let mut kinds: Vec<(String, String)> = report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().into(),
                p["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    kinds.sort();
    let expected = [("binary", "openssl"), ("hex", "phoenix"), ("npm", "lodash")];
    assert_eq!(kinds, expected.map(|(k, n)| (k.to_owned(), n.to_owned())));
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
    assert!(reason("pkg:alpm").contains("pacman@6.0.1-1"));
    assert!(reason("pkg:hackage").contains("aeson@2.0.0"));
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
