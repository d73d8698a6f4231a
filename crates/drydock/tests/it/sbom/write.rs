//! drydock's CycloneDX, VEX and SPDX: validated, and compared with Trivy's for alpine-310.

use super::*;

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
