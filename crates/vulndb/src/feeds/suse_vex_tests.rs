//! `testdata/distro-advisories/suse-vex/`: CVE-2023-47627 is SUSE's real document, trimmed
//! (see the README there); CVE-2099-3101 to 3106 are hand-written in its shape for the
//! statuses and products it lacks. Expected values read off the documents by hand.

use super::*;
use crate::feeds::csaf::parse_archive;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/distro-advisories/suse-vex")
        .join(name);
    std::fs::read(&p).expect("fixture")
}

fn entries(name: &str) -> Vec<String> {
    let doc = parse_document(&fixture(name)).expect("parse").expect("cve");
    doc.entries
        .iter()
        .map(|e| {
            let rating = e.rating.as_deref().unwrap_or("-");
            format!("{} {} {} {rating}", e.ecosystem, e.package, e.status)
        })
        .collect()
}

/// SUSE's own document: the unversioned SP4 rpms are `known_affected` with "There is no
/// fix planned"; the fixed rpm (SP5, SP4-LTSS) is not kept, nor is python3-aiohttp, named
/// by the remediation but in no product status.
#[test]
fn real_document_no_fix_planned_on_sp4() {
    assert_eq!(
        entries("cve-2023-47627.json"),
        [
            "SUSE VEX:Linux Enterprise Server 15 SP4 python-aiohttp will_not_fix moderate",
            "SUSE VEX:Linux Enterprise Server 15 SP4 python311-aiohttp will_not_fix moderate",
        ]
    );
    let doc = parse_document(&fixture("cve-2023-47627.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(doc.cve, "CVE-2023-47627");
    let summary = doc.summary.as_deref().unwrap_or_default();
    assert!(
        summary.starts_with("aiohttp is an asynchronous HTTP"),
        "{summary}"
    );
    assert_eq!(doc.published.as_deref(), Some("2023-11-16T01:54:28Z"));
    assert_eq!(doc.modified, "2026-08-08T00:03:41Z");
    let vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N".to_owned();
    assert_eq!(doc.severity, Some((vector, "CVSS_V3".to_owned())));
}

/// The LTSS stream's entry is not kept: it must not reach a plain SP3 image.
#[test]
fn will_not_fix_kept_and_ltss_left_out() {
    assert_eq!(
        entries("cve-2099-3101.json"),
        ["SUSE VEX:Linux Enterprise Server 15 SP3 libz1 will_not_fix low"]
    );
    let doc = parse_document(&fixture("cve-2099-3101.json"))
        .expect("parse")
        .expect("cve");
    assert_eq!(doc.severity, Some(("low".to_owned(), "SUSE".to_owned())));
}

/// bash has no impact of its own (the aggregate, important, rates it); libgcrypt20 has.
#[test]
fn under_investigation_and_none_available() {
    assert_eq!(
        entries("cve-2099-3102.json"),
        [
            "SUSE VEX:Linux Enterprise Server 15 SP3 bash under_investigation important",
            "SUSE VEX:Linux Enterprise Server 15 SP3 libgcrypt20 affected moderate",
        ]
    );
}

/// SLES 16.0 is one product (`cpe:/o:suse:sles:16:16.0:server`, as SUSE's CVE-2025-38250
/// names it).
#[test]
fn sles_16_product() {
    assert_eq!(
        entries("cve-2099-3103.json"),
        ["SUSE VEX:Linux Enterprise Server 16.0 libopenssl3 will_not_fix important"]
    );
}

/// SLE Micro 5.5's rpm has no fix planned; SUSE Linux Micro 6.1's is under investigation;
/// the for-Rancher product's entry (`cpe:/o:suse:sle-micro-rancher:5.4`) is not kept.
#[test]
fn sle_micro_and_linux_micro_products() {
    assert_eq!(
        entries("cve-2099-3104.json"),
        [
            "SUSE VEX:Linux Enterprise Micro 5.5 libopenssl1_1 will_not_fix moderate",
            "SUSE VEX:Linux Micro 6.1 libopenssl3 under_investigation moderate",
        ]
    );
}

/// Leap 15.3's libz1 is affected (`none_available`, impact low); libgcrypt20 is listed
/// only for SLES 15 SP5 and stays there; Leap Micro's libz1 is not kept.
#[test]
fn leap_product_and_sles_entry_kept_apart() {
    assert_eq!(
        entries("cve-2099-3105.json"),
        [
            "SUSE VEX:Linux Enterprise Server 15 SP5 libgcrypt20 will_not_fix important",
            "SUSE VEX:openSUSE Leap 15.3 libz1 affected low",
        ]
    );
}

/// Tumbleweed's product (`openSUSE Tumbleweed`, as SUSE's openSUSE-SU-2024:10400-1 names it)
/// is kept under its own ecosystem, apart from SLES 15 SP5's entry for the same rpm.
#[test]
fn tumbleweed_product_kept_apart_from_sles() {
    assert_eq!(
        entries("cve-2099-3107.json"),
        [
            "SUSE VEX:Linux Enterprise Server 15 SP5 libcurl4 will_not_fix low",
            "SUSE VEX:openSUSE Tumbleweed curl affected moderate",
            "SUSE VEX:openSUSE Tumbleweed libcurl4 under_investigation moderate",
        ]
    );
}

/// SLES 12 SP5 (`cpe:/o:suse:sles:12:sp5`) is kept, its LTSS stream is not.
#[test]
fn sles_12_product_and_not_its_ltss() {
    assert_eq!(
        entries("cve-2099-3106.json"),
        ["SUSE VEX:Linux Enterprise Server 12 SP5 libopenssl1_0_0 will_not_fix moderate"]
    );
}

/// The product spellings of SUSE's advisories (SUSE-SU-2024:2546-1's
/// `SUSE Linux Enterprise Micro 5.3`, SUSE-SU-2025:20377-1's `SUSE Linux Micro 6.0`,
/// openSUSE-SU-2019:2598-1's `openSUSE Leap 15.1`) with their os-release CPEs.
#[test]
fn micro_and_leap_products_kept_and_left_out() {
    let eco = |p: &str, cpe: &str| suse_ecosystem(p, Some(cpe));
    assert_eq!(
        eco(
            "SUSE Linux Enterprise Micro 5.3",
            "cpe:/o:suse:sle-micro:5.3"
        )
        .as_deref(),
        Some("SUSE VEX:Linux Enterprise Micro 5.3")
    );
    assert_eq!(
        eco("SUSE Linux Micro 6.0", "cpe:/o:suse:sl-micro:6.0").as_deref(),
        Some("SUSE VEX:Linux Micro 6.0")
    );
    assert_eq!(
        eco("openSUSE Leap 15.1", "cpe:/o:opensuse:leap:15.1").as_deref(),
        Some("SUSE VEX:openSUSE Leap 15.1")
    );
    assert_eq!(
        eco("openSUSE Tumbleweed", "cpe:/o:opensuse:tumbleweed").as_deref(),
        Some("SUSE VEX:openSUSE Tumbleweed")
    );
    for (product, cpe) in [
        (
            "SUSE Linux Enterprise Micro for Rancher 5.2",
            "cpe:/o:suse:sle-micro-rancher:5.2",
        ),
        (
            "SUSE Linux Enterprise Micro for Rancher 5.2",
            "cpe:/o:suse:sle-micro:5.2",
        ),
        (
            "SUSE Linux Enterprise Micro 6.0",
            "cpe:/o:suse:sle-micro:6.0",
        ),
        ("SUSE Linux Enterprise Micro 5", "cpe:/o:suse:sle-micro:5"),
        ("SUSE Linux Micro 5.5", "cpe:/o:suse:sl-micro:5.5"),
        ("SUSE Linux Micro 6.1", "cpe:/o:suse:sle-micro:6.1"),
        ("openSUSE Leap Micro 5.5", "cpe:/o:opensuse:leap-micro:5.5"),
        ("openSUSE Leap 15.5", "cpe:/o:opensuse:leap-micro:5.5"),
        ("openSUSE Leap 42.3", "cpe:/o:opensuse:leap:42.3"),
        ("openSUSE Tumbleweed", "cpe:/o:opensuse:leap:15.5"),
        (
            "SUSE Linux Enterprise Module for Basesystem 15 SP5",
            "cpe:/o:suse:sle-module-basesystem:15:sp5",
        ),
    ] {
        assert_eq!(eco(product, cpe), None, "{product} {cpe}");
    }
    assert_eq!(suse_ecosystem("openSUSE Leap 15.5", None), None);
}

#[test]
fn products_and_purls_kept_and_left_out() {
    let eco = |p: &str, cpe: &str| suse_ecosystem(p, Some(cpe));
    assert_eq!(
        eco("SUSE Linux Enterprise Server 15", "cpe:/o:suse:sles:15").as_deref(),
        Some("SUSE VEX:Linux Enterprise Server 15")
    );
    assert_eq!(
        eco(
            "SUSE Linux Enterprise Server 16.0",
            "cpe:/o:suse:sles:16:16.0:server"
        )
        .as_deref(),
        Some("SUSE VEX:Linux Enterprise Server 16.0")
    );
    assert_eq!(
        eco(
            "SUSE Linux Enterprise Server 15 SP4-LTSS",
            "cpe:/o:suse:sles-ltss:15:sp4"
        ),
        None
    );
    assert_eq!(
        eco(
            "SUSE Linux Enterprise Server 15 SP4-LTSS",
            "cpe:/o:suse:sles:15:sp4"
        ),
        None
    );
    assert_eq!(
        eco(
            "SUSE Linux Enterprise Server for SAP Applications 15 SP4",
            "cpe:/o:suse:sles_sap:15:sp4"
        ),
        None
    );
    assert_eq!(
        suse_ecosystem("SUSE Linux Enterprise Server 15 SP4", None),
        None
    );
    assert_eq!(
        binary_rpm("x", Some("pkg:rpm/suse/libz1@?upstream=zlib.src.rpm")).as_deref(),
        Some("libz1")
    );
    assert_eq!(
        binary_rpm(
            "x",
            Some("pkg:rpm/suse/libz1@1.2.11-3.24.1?upstream=zlib.src.rpm")
        ),
        None
    );
    assert_eq!(
        binary_rpm("python3-aiohttp", None).as_deref(),
        Some("python3-aiohttp")
    );
    assert_eq!(binary_rpm("a/b", None), None);
}

/// The archive as SUSE publishes it: bzip2 over `csaf-vex/cve-*.json`.
#[test]
fn a_bzip2_archive_reads_every_member() {
    let mut t = tar::Builder::new(Vec::new());
    for name in [
        "cve-2023-47627.json",
        "cve-2099-3101.json",
        "cve-2099-3102.json",
        "cve-2099-3103.json",
        "cve-2099-3104.json",
        "cve-2099-3105.json",
        "cve-2099-3106.json",
    ] {
        let body = fixture(name);
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, format!("csaf-vex/{name}"), &body[..])
            .expect("append");
    }
    let tar = t.into_inner().expect("tar");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    std::io::Write::write_all(&mut bz, &tar).expect("bzip2");
    let bz = bz.finish().expect("bzip2");
    let loc = Location::parse("/m/suse-vex/csaf-vex.tar.bz2");
    let (parsed, vex) = parse_archive(&bz[..], bz.len() as u64, &loc, &SUSE).expect("archive");
    assert_eq!(parsed.entries, 11);
    assert_eq!(parsed.date.as_deref(), Some("2099-03-15"));
    let ids: Vec<&str> = vex.cves.iter().map(|c| c.cve.as_str()).collect();
    assert_eq!(
        ids,
        [
            "CVE-2023-47627",
            "CVE-2099-3101",
            "CVE-2099-3102",
            "CVE-2099-3103",
            "CVE-2099-3104",
            "CVE-2099-3105",
            "CVE-2099-3106",
        ]
    );
    let cut = &bz[..bz.len() / 2];
    assert!(parse_archive(cut, cut.len() as u64, &loc, &SUSE).is_err());
}
