use super::*;

/// `package cve [events] severity` of each entry.
fn lines(defs: &[AzureDef]) -> Vec<String> {
    defs.iter()
        .map(|d| {
            format!(
                "{}:{} {} {:?} {}",
                d.release,
                d.package,
                d.cve,
                d.events,
                d.severity.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

fn parse(xml: &str, file: &str) -> Result<Vec<AzureDef>> {
    parse_oval(
        xml.as_bytes(),
        &Location::parse(&format!("/m/oval/azurelinux/{file}")),
    )
}

/// The trimmed real Azure Linux 3.0 file (three of Microsoft's definitions of 2024-10-10
/// and three hand-written ones, marked in the file): each definition's package, CVE,
/// bound and severity as its `<title>`, `rpminfo_state` and `<severity>` say.
#[test]
fn azure_linux_3_fixture_definitions() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/distro-advisories/oval/azurelinux/azurelinux-3.0-oval.xml"
    );
    let xml = std::fs::read_to_string(path).expect("fixture");
    let defs = parse(&xml, "azurelinux-3.0-oval.xml").expect("parse");
    assert_eq!(
        lines(&defs),
        [
            r#"3:cmake CVE-2024-6197 [Introduced("0"), Fixed("0:3.30.3-2.azl3")] high"#,
            r#"3:curl CVE-2024-2398 [Introduced("0"), Fixed("0:8.8.0-1.azl3")] high"#,
            r#"3:curl CVE-2024-6197 [Introduced("0"), Fixed("0:8.8.0-2.azl3")] high"#,
            r#"3:curl CVE-2024-7264 [Introduced("0"), Fixed("0:8.8.0-3.azl3")] medium"#,
            r#"3:openssl CVE-2024-5535 [Introduced("0"), Fixed("0:3.3.0-2.azl3")] medium"#,
            r#"3:openssl CVE-2024-6119 [Introduced("0"), LastAffected("0:3.3.0-2.azl3")] high"#,
        ]
    );
    let cmake = &defs[0];
    assert_eq!(cmake.id, "oval:com.microsoft.azurelinux:def:47028");
    assert_eq!(cmake.date.as_deref(), Some("2024-10-01T18:58:50Z"));
    assert_eq!(
        cmake.url.as_deref(),
        Some("https://nvd.nist.gov/vuln/detail/CVE-2024-6197")
    );
}

/// Five of Microsoft's CBL-Mariner 2.0 definitions (ids, tests and states as in the
/// 2023-05-11 file that anchore/vunnel's mariner provider tests keep,
/// `tests/unit/providers/mariner/test-fixtures/mariner-truncated-2.0-oval.xml`; written
/// here in the file's shape, one test each). The expected entries were typed by hand
/// from vunnel's snapshots of the same input (`snapshots/mariner:2.0/CVE-*.json`):
/// golang `> 0:1.19.0.cm2, < 0:1.20.7-1.cm2` Critical; mysql `< 0:8.0.33-1.cm2` High and
/// Medium; bind `<= 0:9.16.33-1.cm2`, no fix, High; glibc's `Not Applicable` CVE-2023-0687
/// has no snapshot (no entry).
#[test]
fn mariner_2_definitions_match_vunnels_reading() {
    let def = |n: &str, cve: &str, sev: &str, patchable: &str, tests: &[&str]| {
        let crit: String = tests
            .iter()
            .map(|t| format!(r#"<criterion test_ref="oval:com.microsoft.cbl-mariner:tst:{t}"/>"#))
            .collect();
        format!(
            r#"<definition class="vulnerability" id="oval:com.microsoft.cbl-mariner:def:{n}" version="1"><metadata><title>{cve}</title><reference ref_id="{cve}" ref_url="https://nvd.nist.gov/vuln/detail/{cve}" source="CVE"/><patchable>{patchable}</patchable><severity>{sev}</severity></metadata><criteria operator="AND">{crit}</criteria></definition>"#
        )
    };
    let test = |t: &str, pkg: &str, op: &str, evr: &str| {
        (
            format!(
                r#"<linux-def:rpminfo_test id="oval:com.microsoft.cbl-mariner:tst:{t}"><linux-def:object object_ref="oval:com.microsoft.cbl-mariner:obj:{t}"/><linux-def:state state_ref="oval:com.microsoft.cbl-mariner:ste:{t}"/></linux-def:rpminfo_test>"#
            ),
            format!(
                r#"<linux-def:rpminfo_object id="oval:com.microsoft.cbl-mariner:obj:{t}"><linux-def:name>{pkg}</linux-def:name></linux-def:rpminfo_object>"#
            ),
            format!(
                r#"<linux-def:rpminfo_state id="oval:com.microsoft.cbl-mariner:ste:{t}"><linux-def:evr datatype="evr_string" operation="{op}">{evr}</linux-def:evr></linux-def:rpminfo_state>"#
            ),
        )
    };
    let defs = [
        def(
            "44771",
            "CVE-2023-29404",
            "Critical",
            "true",
            &["44771000", "44771003"],
        ),
        def(
            "13348",
            "CVE-2023-0687",
            "Critical",
            "Not Applicable",
            &["13348000"],
        ),
        def("26220", "CVE-2023-21980", "High", "true", &["26220000"]),
        def("26178", "CVE-2023-21977", "Medium", "true", &["26178000"]),
        def("13203", "CVE-2022-3736", "High", "false", &["13203000"]),
    ];
    let tests = [
        test("44771000", "golang", "less than", "0:1.20.7-1.cm2"),
        test("44771003", "golang", "greater than", "0:1.19.0.cm2"),
        test("13348000", "glibc", "less than or equal", "0:2.35-4.cm2"),
        test("26220000", "mysql", "less than", "0:8.0.33-1.cm2"),
        test("26178000", "mysql", "less than", "0:8.0.33-1.cm2"),
        test("13203000", "bind", "less than or equal", "0:9.16.33-1.cm2"),
    ];
    let xml = format!(
        r#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux"><definitions>{}</definitions><tests>{}</tests><objects>{}</objects><states>{}</states></oval_definitions>"#,
        defs.concat(),
        tests.iter().map(|t| t.0.as_str()).collect::<String>(),
        tests.iter().map(|t| t.1.as_str()).collect::<String>(),
        tests.iter().map(|t| t.2.as_str()).collect::<String>(),
    );
    let got = parse(&xml, "cbl-mariner-2.0-oval.xml").expect("parse");
    assert_eq!(
        lines(&got),
        [
            r#"2:bind CVE-2022-3736 [Introduced("0"), LastAffected("0:9.16.33-1.cm2")] high"#,
            r#"2:golang CVE-2023-29404 [Introduced("0:1.19.0.cm2"), Fixed("0:1.20.7-1.cm2")] critical"#,
            r#"2:mysql CVE-2023-21977 [Introduced("0"), Fixed("0:8.0.33-1.cm2")] medium"#,
            r#"2:mysql CVE-2023-21980 [Introduced("0"), Fixed("0:8.0.33-1.cm2")] high"#,
        ]
    );
}

#[test]
fn bad_input_is_an_error_naming_the_file() {
    let e = parse("<oval_definitions/>", "oval.xml").expect_err("no release");
    assert!(e.to_string().contains("oval/azurelinux/oval.xml"), "{e}");
    let e = parse("<oval_definitions></wrong>", "azurelinux-3.0-oval.xml").expect_err("tags");
    assert!(e.to_string().contains("azurelinux-3.0-oval.xml"), "{e}");
    let cut = parse("<oval_definitions><definitions>", "azurelinux-3.0-oval.xml");
    assert!(cut.expect_err("cut").to_string().contains("ends inside"));
    let no_cve = r#"<oval_definitions><definitions><definition class="vulnerability" id="d1"><metadata/><criteria/></definition></definitions></oval_definitions>"#;
    let e = parse(no_cve, "azurelinux-3.0-oval.xml").expect_err("no CVE");
    assert!(e.to_string().contains("d1: no CVE reference"), "{e}");
    let no_test = r#"<oval_definitions><definitions><definition class="vulnerability" id="d2"><metadata><reference source="CVE" ref_id="CVE-2024-1"/></metadata><criteria><criterion test_ref="t9"/></criteria></definition></definitions></oval_definitions>"#;
    let e = parse(no_test, "azurelinux-3.0-oval.xml").expect_err("no test");
    assert!(e.to_string().contains("d2: no test t9"), "{e}");
}
