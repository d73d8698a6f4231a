//! The fixture documents in `testdata/distro-advisories/redhat-vex/2099/` follow the layouts
//! of Red Hat's `docs/csaf-vex.md` (legacy nesting) and `docs/vex-beta-details.md` (flat
//! beta); their README lists what each says, which these tests read back.

use super::*;
use crate::feeds::csaf::parse_archive;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/distro-advisories/redhat-vex/2099")
        .join(name);
    std::fs::read(&p).expect("fixture")
}

fn entries(doc: &VexCve) -> Vec<(String, String, &'static str, Option<String>)> {
    doc.entries
        .iter()
        .map(|e| {
            (
                e.ecosystem.clone(),
                e.package.clone(),
                e.status,
                e.rating.clone(),
            )
        })
        .collect()
}

fn s(v: &str) -> String {
    v.to_owned()
}

#[test]
fn will_not_fix_and_affected_per_product_with_their_impact() {
    let doc = parse_document(&fixture("cve-2099-1001.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(doc.cve, "CVE-2099-1001");
    assert_eq!(
        entries(&doc),
        [
            (
                s("Red Hat VEX:enterprise_linux:8"),
                s("openssl"),
                "affected",
                Some(s("low"))
            ),
            (
                s("Red Hat VEX:enterprise_linux:9"),
                s("openssl"),
                "will_not_fix",
                Some(s("low"))
            ),
        ]
    );
    assert_eq!(
        doc.severity,
        Some((
            s("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N"),
            s("CVSS_V3")
        ))
    );
    assert_eq!(
        doc.summary.as_deref(),
        Some("openssl: fixture flaw that will not be fixed")
    );
    assert_eq!(doc.published.as_deref(), Some("2099-01-15T00:00:00+00:00"));
    assert_eq!(doc.modified, "2099-02-01T10:00:00+00:00");
}

/// Deferred and under investigation; the modular component and the fixed one are left
/// out; python3.12 has no impact of its own, so the aggregate severity rates it.
#[test]
fn deferred_under_investigation_and_what_is_left_out() {
    let doc = parse_document(&fixture("cve-2099-1002.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(
        entries(&doc),
        [
            (
                s("Red Hat VEX:enterprise_linux:9"),
                s("curl"),
                "fix_deferred",
                Some(s("moderate"))
            ),
            (
                s("Red Hat VEX:enterprise_linux:9"),
                s("python3.12"),
                "under_investigation",
                Some(s("important"))
            ),
        ]
    );
}

/// The beta layout: flat branches, one product per stream (`::appstream`, EUS).
#[test]
fn beta_streams_and_out_of_support_scope() {
    let doc = parse_document(&fixture("cve-2099-1003.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(
        entries(&doc),
        [
            (
                s("Red Hat VEX:enterprise_linux:9::appstream"),
                s("curl"),
                "end_of_life",
                Some(s("moderate"))
            ),
            (
                s("Red Hat VEX:rhel_eus:9.2"),
                s("python3.12"),
                "affected",
                Some(s("moderate"))
            ),
        ]
    );
    assert_eq!(doc.severity, Some((s("moderate"), s("Red Hat"))));
}

/// RHEL 7's product (`cpe:/o:redhat:enterprise_linux:7`, no AppStream variant) past its
/// Maintenance Support: "Out of support scope" is the end of life.
#[test]
fn rhel_7_out_of_support_scope_is_end_of_life() {
    let doc = parse_document(&fixture("cve-2099-1004.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(doc.cve, "CVE-2099-1004");
    assert_eq!(
        entries(&doc),
        [(
            s("Red Hat VEX:enterprise_linux:7"),
            s("bash"),
            "end_of_life",
            Some(s("moderate"))
        )]
    );
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    for (name, body) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, name, *body).expect("append");
    }
    t.into_inner().expect("tar")
}

#[test]
fn an_archive_reads_alike_plain_or_zstd_and_names_a_bad_member() {
    let one = fixture("cve-2099-1001.json");
    let two = fixture("cve-2099-1002.json");
    let tar = tar_of(&[
        ("2099/cve-2099-1001.json", &one),
        ("index.txt", b"2099/cve-2099-1001.json\n"),
        ("2099/cve-2099-1002.json", &two),
    ]);
    let zst = zstd::encode_all(&tar[..], 3).expect("zstd");
    let loc = Location::parse("/m/redhat-vex/csaf_vex_2099-04-01.tar.zst");
    for b in [&tar, &zst] {
        let (parsed, vex) = parse_archive(&b[..], b.len() as u64, &loc, &RED_HAT).expect("archive");
        assert_eq!(parsed.entries, 4);
        assert_eq!(parsed.date.as_deref(), Some("2099-03-01"));
        let ids: Vec<&str> = vex.cves.iter().map(|c| c.cve.as_str()).collect();
        assert_eq!(ids, ["CVE-2099-1001", "CVE-2099-1002"]);
    }
    let broken = tar_of(&[("2099/cve-2099-9.json", b"{\"document\": 1")]);
    let e = parse_archive(&broken[..], broken.len() as u64, &loc, &RED_HAT)
        .expect_err("bad json")
        .to_string();
    assert!(
        e.contains("csaf_vex_2099-04-01.tar.zst") && e.contains("cve-2099-9.json"),
        "{e}"
    );
    let cut = &zst[..zst.len() / 2];
    assert!(parse_archive(cut, cut.len() as u64, &loc, &RED_HAT).is_err());
}

#[test]
fn archive_latest_names_one_file_in_the_folder() {
    let loc = Location::parse("/m/archive_latest.txt");
    assert_eq!(
        archive_name(b"csaf_vex_2025-06-01.tar.zst\n", &loc).expect("name"),
        "csaf_vex_2025-06-01.tar.zst"
    );
    for bad in [&b"../etc/passwd"[..], b"", b"a/b.tar.zst", b".hidden"] {
        assert!(archive_name(bad, &loc).is_err(), "{bad:?}");
    }
}

#[test]
fn purls_and_cpes_kept_and_left_out() {
    assert_eq!(
        source_rpm("pkg:rpm/redhat/vim?arch=src").as_deref(),
        Some("vim")
    );
    assert_eq!(source_rpm("pkg:rpm/redhat/vim@8.2-1.el9?arch=src"), None);
    assert_eq!(source_rpm("pkg:rpm/redhat/vim-minimal?arch=x86_64"), None);
    assert_eq!(
        source_rpm("pkg:oci/ubi9?repository_url=registry.access.redhat.com"),
        None
    );
    assert_eq!(rhel_ecosystem("cpe:/a:redhat:openshift:4.18::el9"), None);
    assert_eq!(
        rhel_ecosystem("cpe:/a:redhat:rhel_eus:9.4::baseos").as_deref(),
        Some("Red Hat VEX:rhel_eus:9.4::baseos")
    );
}
