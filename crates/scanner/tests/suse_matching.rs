//! SUSE Linux Enterprise matching: SUSE files each fix under the product module that ships
//! the package, so a SLES image is matched against the modules SLES images are built from
//! (Basesystem, Server Applications, the Server product), never another service pack's or
//! the LTSS stream's, and the report says which were searched. Expected findings worked
//! out by hand from `testdata/distro-advisories/osv/SUSE:*` (provenance in the README there).

#[path = "support/distros.rs"]
mod distros;

use distros::*;

/// The SP's modules, and SUSE's VEX statuses for the Server product (by binary rpm).
const SLES_15_SP3_VEX: &str = "SUSE:Linux Enterprise Module for Basesystem 15 SP3|\
     SUSE:Linux Enterprise Module for Server Applications 15 SP3|\
     SUSE:Linux Enterprise Server 15 SP3|SUSE VEX:Linux Enterprise Server 15 SP3";

/// SLES 15 SP3's os-release over the real SLE 15 SP3 BCI NDB database (go-rpmdb's fixture,
/// the same one the Leap test uses).
#[test]
fn sles_matches_its_modules_by_source_package() {
    let Some(images) = drydock_testkit::need(drydock_testkit::Need::SharedImages) else {
        return;
    };
    let release = std::fs::read(testdata("distros/sles-15.3/etc/os-release")).expect("os-release");
    let root = sle15_bci_rootfs(&images, &release);
    let r = scan_rootfs(root.path());
    assert_eq!(packages(&r).len(), 35);
    // Installed (go-rpmdb's expected list; source rpms read from the database's headers):
    // bash 4.4-19.6.1 and libreadline7 7.0-19.6.1, both from bash-4.4-19.6.1.src.rpm; libz1
    // 1.2.11-3.21.1 (zlib); libncurses6, terminfo-base 6.1-5.9.1 (ncurses); libgcrypt20
    // 1.8.2-8.39.1 (libgcrypt).
    // SUSE-SU-2024:0101-1 bash fixed 4.4-19.9.1 in Basesystem 15 SP3 and in Server 15 SP3
    // (release 19.6.1 < 19.9.1): one finding per binary, the two entries merged; libreadline7
    // is matched by its source's version, not its own 7.0.
    // SUSE-SU-2024:0202-1 zlib is filed only for Basesystem 15 SP4 (it would match 3.21.1).
    // SUSE-SU-2024:0303-1 ncurses only for Server 15 SP3-LTSS (it would match 5.9.1).
    // SUSE-SU-2024:0404-1 libgcrypt fixed 1.8.2-8.39.1 (= installed).
    // SUSE's VEX files (testdata/distro-advisories/suse-vex, by binary rpm, SP3 Server
    // product only): CVE-2099-3101 libz1 "no fix planned" (impact low), its libncurses6
    // entry is for SP3-LTSS only; CVE-2099-3102 bash under investigation (no impact of its
    // own: the aggregate, important) and libgcrypt20 affected, `none_available` (impact
    // moderate); CVE-2023-47627 (SUSE's real document) names SP4's python-aiohttp only.
    assert_eq!(
        findings(&r),
        set(&[
            "bash SUSE-SU-2024:0101-1 [4.4-19.9.1] Fixed",
            "bash SUSE-VEX-CVE-2099-3102 [] UnderInvestigation",
            "libgcrypt20 SUSE-VEX-CVE-2099-3102 [] Affected",
            "libreadline7 SUSE-SU-2024:0101-1 [4.4-19.9.1] Fixed",
            "libz1 SUSE-VEX-CVE-2099-3101 [] WillNotFix",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "SUSE-VEX-CVE-2099-3101 SUSE rating: low",
            "SUSE-VEX-CVE-2099-3102 SUSE rating: important",
            "SUSE-VEX-CVE-2099-3102 SUSE rating: moderate",
        ])
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, SLES_15_SP3_VEX, "{f:?}");
        let source = match &*f.package {
            "libreadline7" => Some("bash"),
            "libz1" => Some("zlib"),
            "libgcrypt20" => Some("libgcrypt"),
            _ => None,
        };
        assert_eq!(f.source_package.as_deref(), source, "{f:?}");
    }
    // The finding is the CVE, with SUSE's page.
    let wont = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.advisory_ids == ["SUSE-VEX-CVE-2099-3101"])
        .expect("will not fix");
    assert_eq!(wont.id, "CVE-2099-3101");
    assert_eq!(wont.url, "https://www.suse.com/security/cve/CVE-2099-3101");
    assert_eq!(
        r.warnings,
        [
            "sles 15.3: os-release does not name the modules or support stream (LTSS) the image \
             uses; OS packages matched against SUSE:Linux Enterprise Module for Basesystem 15 SP3, \
             SUSE:Linux Enterprise Module for Server Applications 15 SP3, \
             SUSE:Linux Enterprise Server 15 SP3"
        ]
    );
    let uncovered: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");
    // SP3's general support ended 2022-12-31: matched, and said to be incomplete.
    assert!(
        r.not_covered
            .iter()
            .any(|n| n.scanned && n.scope == SLES_15_SP3_VEX && n.reason.contains("end of life"))
    );
}

/// SLE Micro 5.5: one product ecosystem per release. SUSE-SU-2024:0505-1 lists openssl-1_1
/// for Micro 5.4 (fixed 1.1.1l-150400.7.60.2) and 5.5 (fixed 1.1.1l-150500.17.25.1); the
/// installed 1.1.1l-150500.17.19.1 is below 5.5's fix (17.19.1 < 17.25.1), and only 5.5's
/// fix is reported. SUSE's VEX file CVE-2099-3104 (hand-written) says Micro 5.5's
/// libopenssl1_1 will not be fixed (impact moderate); its entry for the same rpm on
/// `SUSE Linux Enterprise Micro for Rancher 5.4` is not the image's.
#[test]
fn sle_micro_matches_its_release() {
    let r = scan_distro("sle-micro-5.5");
    assert_eq!(packages(&r), set(&["libopenssl1_1=1.1.1l-150500.17.19.1"]));
    assert_eq!(
        findings(&r),
        set(&[
            "libopenssl1_1 SUSE-SU-2024:0505-1 [1.1.1l-150500.17.25.1] Fixed",
            "libopenssl1_1 SUSE-VEX-CVE-2099-3104 [] WillNotFix",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3104 SUSE rating: moderate"])
    );
    check_coverage(
        &r,
        "SUSE:Linux Enterprise Micro 5.5|SUSE VEX:Linux Enterprise Micro 5.5",
    );
}

/// SLES 12 SP5 over a Berkeley DB `var/lib/rpm/Packages` (`rpm -qa`: libz1 1.2.11-3.24.1
/// from zlib, libopenssl1_0_0 1.0.2p-3.49.1 from openssl-1_0_0; see the distros README):
/// SLE 12 has no Basesystem module, so the Server product alone. SUSE-SU-2024:0606-1 fixes
/// zlib in 1.2.11-3.27.1 for `SUSE:Linux Enterprise Server 12 SP5` (3.24.1 < 3.27.1), by
/// source rpm; SUSE's VEX file CVE-2099-3106 (hand-written) says SP5's libopenssl1_0_0 will
/// not be fixed (impact moderate), and its libz1 entry is for SP5-LTSS only
/// (`cpe:/o:suse:sles-ltss:12:sp5`), which a plain SLES 12 SP5 image does not get.
#[test]
fn sles_12_sp5_matches_its_server_product() {
    let r = scan_distro("sles-12.5");
    assert_eq!(
        packages(&r),
        set(&["libopenssl1_0_0=1.0.2p-3.49.1", "libz1=1.2.11-3.24.1"])
    );
    assert_eq!(
        findings(&r),
        set(&[
            "libopenssl1_0_0 SUSE-VEX-CVE-2099-3106 [] WillNotFix",
            "libz1 SUSE-SU-2024:0606-1 [1.2.11-3.27.1] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3106 SUSE rating: moderate"])
    );
    let eco = "SUSE:Linux Enterprise Server 12 SP5|SUSE VEX:Linux Enterprise Server 12 SP5";
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, eco, "{f:?}");
    }
    assert_eq!(
        r.warnings,
        [
            "sles 12.5: os-release does not name the modules or support stream (LTSS) the image \
             uses; OS packages matched against SUSE:Linux Enterprise Server 12 SP5"
        ]
    );
    let uncovered: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");
    // SP5's general support ended 2024-10-31: matched, and said to be incomplete.
    assert!(
        r.not_covered
            .iter()
            .any(|n| n.scanned && n.scope == eco && n.reason.contains("end of life"))
    );
}

/// Tumbleweed: the rolling `openSUSE:Tumbleweed` feed, by source rpm. curl 8.5.0-1.1 is
/// below openSUSE-SU-2024:13601-1's 8.6.0-1.1 and equal to openSUSE-SU-2024:13500-1's
/// 8.5.0-1.1 (not affected); both binaries of the source are matched.
#[test]
fn tumbleweed_matches_by_source_package() {
    let r = scan_distro("opensuse-tumbleweed");
    assert_eq!(packages(&r), set(&["curl=8.5.0-1.1", "libcurl4=8.5.0-1.1"]));
    // And SUSE's VEX file CVE-2099-3107 (hand-written): Tumbleweed's curl affected
    // (`none_available`), its libcurl4 under investigation, both rated moderate; SLES 15
    // SP5's libcurl4 `no_fix_planned` (rated low) is another product's and not applied.
    assert_eq!(
        findings(&r),
        set(&[
            "curl openSUSE-SU-2024:13601-1 [8.6.0-1.1] Fixed",
            "libcurl4 openSUSE-SU-2024:13601-1 [8.6.0-1.1] Fixed",
            "curl SUSE-VEX-CVE-2099-3107 [] Affected",
            "libcurl4 SUSE-VEX-CVE-2099-3107 [] UnderInvestigation",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3107 SUSE rating: moderate"])
    );
    check_coverage(&r, "openSUSE:Tumbleweed|SUSE VEX:openSUSE Tumbleweed");
}

/// SUSE Linux Micro 6.1 (`sl-micro`) and SLES 16.0: one product ecosystem each
/// (`SUSE:Linux Micro 6.1`, `SUSE:Linux Enterprise Server 16.0`), by source rpm.
/// SUSE-SU-2026:0101-1 fixes openssl-3 in 3.1.4-slfo.1.1_4.1 for Micro 6.1 (installed
/// 3.1.4-slfo.1.1_3.1: `3` < `4` in the release, affected) and in 3.5.0-160000.2.1 for
/// SLES 16.0 (installed 3.5.0-160000.3.1 is newer: not affected). SUSE's VEX files
/// (hand-written): CVE-2099-3104 has SUSE Linux Micro 6.1's libopenssl3 under
/// investigation (impact moderate); CVE-2099-3103 says SLES 16.0's libopenssl3 will not be
/// fixed (impact important). Neither product gets the other's status.
#[test]
fn sl_micro_6_and_sles_16_match_their_products() {
    let r = scan_distro("sl-micro-6.1");
    assert_eq!(packages(&r), set(&["libopenssl3=3.1.4-slfo.1.1_3.1"]));
    assert_eq!(
        findings(&r),
        set(&[
            "libopenssl3 SUSE-SU-2026:0101-1 [3.1.4-slfo.1.1_4.1] Fixed",
            "libopenssl3 SUSE-VEX-CVE-2099-3104 [] UnderInvestigation",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3104 SUSE rating: moderate"])
    );
    check_coverage(&r, "SUSE:Linux Micro 6.1|SUSE VEX:Linux Micro 6.1");

    let r = scan_distro("sles-16.0");
    assert_eq!(packages(&r), set(&["libopenssl3=3.5.0-160000.3.1"]));
    assert_eq!(
        findings(&r),
        set(&["libopenssl3 SUSE-VEX-CVE-2099-3103 [] WillNotFix"])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3103 SUSE rating: important"])
    );
    check_coverage(
        &r,
        "SUSE:Linux Enterprise Server 16.0|SUSE VEX:Linux Enterprise Server 16.0",
    );
}
