use super::*;

/// `release:package cve fixed severity date` of each entry.
fn lines(defs: &[PhotonDef]) -> Vec<String> {
    defs.iter()
        .map(|d| {
            format!(
                "{}:{} {} {} {} {}",
                d.release,
                d.package,
                d.cve,
                d.fixed,
                d.severity.as_deref().unwrap_or("-"),
                d.date.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

fn loc() -> Location {
    Location::parse("/m/oval/photon/com.vmware.phsa-photon5.xml")
}

/// One patch definition of Photon 5 with `metadata` inside `<metadata>` and `criteria`
/// inside its top `<criteria>`, in the published file's wrapping.
fn doc(metadata: &str, criteria: &str) -> String {
    format!(
        r#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions>
<definition class="patch" id="oval:com.vmware.phsa:def:1" version="1"><metadata>{metadata}</metadata>
<criteria operator="AND"><criterion comment="Photon OS 5 is installed" test_ref="t0"/>{criteria}</criteria>
</definition></definitions></oval_definitions>"#
    )
}

/// The HAND-WRITTEN Photon 4 file of testdata (four PHSA definitions in the shape of
/// Broadcom's): each CVE of a definition for each binary rpm its criteria compare, with
/// the fixed EVR as the comment writes it and the severity lowercased.
#[test]
fn photon_4_fixture_definitions() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/distro-advisories/oval/photon/com.vmware.phsa-photon4.xml"
    );
    let xml = std::fs::read(path).expect("fixture");
    let defs = parse_oval(&xml[..], &loc()).expect("parse");
    assert_eq!(
        lines(&defs),
        [
            "4:curl CVE-2023-38545 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl CVE-2023-38546 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl CVE-2099-4001 0:8.5.0-1.ph4 important 2024-02-01",
            "4:curl CVE-2099-4002 0:8.5.0-1.ph4 important 2024-02-01",
            "4:curl-devel CVE-2023-38545 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl-devel CVE-2023-38546 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl-libs CVE-2023-38545 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl-libs CVE-2023-38546 0:8.4.0-1.ph4 critical 2023-10-11",
            "4:curl-libs CVE-2099-4001 0:8.5.0-1.ph4 important 2024-02-01",
            "4:curl-libs CVE-2099-4002 0:8.5.0-1.ph4 important 2024-02-01",
            "4:zlib CVE-2099-4003 0:1.2.13-1.ph4 critical 2024-03-05",
            "4:zlib CVE-2099-4004 0:1.2.13-2.ph4 moderate 2024-06-20",
        ]
    );
    let first = &defs[0];
    assert_eq!(first.id, "oval:com.vmware.phsa:def:2024400001");
    assert_eq!(
        first.url.as_deref(),
        Some("https://github.com/vmware/photon/wiki/Security-Updates-4.0-500")
    );
    assert_eq!(
        first.title.as_deref(),
        Some("PHSA-2024:00001 curl Security Update. (Critical)")
    );
}

/// A real PHSA advisory's facts as Broadcom's Photon 5 file states them (read from
/// aquasecurity/vuln-list-update's photon/oval/testdata/photon5.xml, rewritten here):
/// libcap 2.66-2.ph5 fixes CVE-2023-2602 and CVE-2023-2603, Important, for libcap and
/// libcap-libs; the `signed with VMware key` criteria name no package.
#[test]
fn phsa_libcap_of_photon_5() {
    let xml = doc(
        r#"<title>PHSA-2026:00001 libcap Security Update. (Important)</title>
<affected family="unix"><platform>Photon 5</platform></affected>
<reference ref_id="PHSA:00001:5.0:20" ref_url="https://github.com/vmware/photon/wiki/Security-Updates-5.0-20" source="PHSA"/>
<reference ref_id="CVE:00001:CVE-2023-2602" ref_url="https://nvd.nist.gov/vuln/detail?vulnId=CVE-2023-2602" source="CVE"/>
<advisory from="photon_security@vmware.com"><severity>Important</severity>
<issued date="2023-06-07"/><updated date="2023-06-07"/>
<cve>CVE-2023-2602</cve><cve>CVE-2023-2603</cve></advisory>"#,
        r#"<criteria operator="OR">
<criteria operator="AND"><criterion comment="libcap is earlier than 0:2.66-2.ph5" test_ref="t1"/>
<criterion comment="libcap is signed with VMware key" test_ref="t2"/></criteria>
<criteria operator="AND"><criterion comment="libcap-libs is earlier than 0:2.66-2.ph5" test_ref="t3"/>
<criterion comment="libcap-libs is signed with VMware key" test_ref="t4"/></criteria></criteria>"#,
    );
    let defs = parse_oval(xml.as_bytes(), &loc()).expect("parse");
    assert_eq!(
        lines(&defs),
        [
            "5:libcap CVE-2023-2602 0:2.66-2.ph5 important 2023-06-07",
            "5:libcap CVE-2023-2603 0:2.66-2.ph5 important 2023-06-07",
            "5:libcap-libs CVE-2023-2602 0:2.66-2.ph5 important 2023-06-07",
            "5:libcap-libs CVE-2023-2603 0:2.66-2.ph5 important 2023-06-07",
        ]
    );
}

/// Without `<cve>` elements, the CVE references' ids (`CVE:00007:CVE-2024-41184`) name
/// the CVEs; a definition naming none is skipped.
#[test]
fn cves_from_references_and_none_skipped() {
    let pkg = r#"<criterion comment="keepalived is earlier than 0:2.2.7-3.ph5" test_ref="t1"/>"#;
    let platform = r#"<affected family="unix"><platform>Photon 5</platform></affected>"#;
    let with_ref = format!(
        r#"{platform}<reference ref_id="CVE:00007:CVE-2024-41184" source="CVE"/>
<advisory><severity>Critical</severity></advisory>"#
    );
    let defs = parse_oval(doc(&with_ref, pkg).as_bytes(), &loc()).expect("parse");
    assert_eq!(
        lines(&defs),
        ["5:keepalived CVE-2024-41184 0:2.2.7-3.ph5 critical -"]
    );
    let none = parse_oval(doc(platform, pkg).as_bytes(), &loc()).expect("parse");
    assert!(none.is_empty());
}

#[test]
fn malformed_or_unreadable_definitions_are_errors_naming_the_file() {
    let e = parse_oval(&b"<oval_definitions><definitions>"[..], &loc()).expect_err("cut short");
    assert!(e.to_string().contains("com.vmware.phsa-photon5.xml"), "{e}");
    assert!(e.to_string().contains("ends inside"), "{e}");
    let cve = "<advisory><cve>CVE-2099-4001</cve></advisory>";
    let pkg = r#"<criterion comment="zlib is earlier than 0:1.3-1.ph5" test_ref="t1"/>"#;
    let e = parse_oval(doc(cve, pkg).as_bytes(), &loc()).expect_err("no platform");
    assert!(e.to_string().contains("def:1: no Photon platform"), "{e}");
    let platform = format!("<affected><platform>Photon 5</platform></affected>{cve}");
    let bad = r#"<criterion comment="zlib is earlier than " test_ref="t1"/>"#;
    let e = parse_oval(doc(&platform, bad).as_bytes(), &loc()).expect_err("no evr");
    assert!(
        e.to_string()
            .contains("is not `<package> is earlier than <evr>`"),
        "{e}"
    );
    assert!(!e.to_string().contains('\n'), "{e}");
}

#[test]
fn platform_names_give_the_major_release() {
    assert_eq!(release_of("Photon 5").as_deref(), Some("5"));
    assert_eq!(release_of(" Photon OS 4.0 ").as_deref(), Some("4"));
    assert_eq!(release_of("Photon"), None);
    assert_eq!(release_of("Azure Linux 3"), None);
}
