//! Azure Linux 3 matched from Microsoft's OVAL file beside OSV's `Azure Linux:3` records:
//! the OVAL's definitions add what OSV's frozen export lacks, with Microsoft's severity as
//! the vendor rating, and a (package, CVE) an OSV record already names is not reported
//! twice. The mirror is `testdata/distro-advisories/osv/` plus the trimmed real
//! `oval/azurelinux/azurelinux-3.0-oval.xml` (provenance in the README there); every
//! expectation is read off those files and rpm's version order.

#[path = "support/distros.rs"]
mod distros;

use distros::*;

#[test]
fn azure_linux_from_oval_beside_osv() {
    let tmp = tempfile::tempdir().expect("tmp");
    fixture_osv_mirror(tmp.path());
    let (cache, oval) = db_with_feed_file(
        tmp.path(),
        "distro-advisories/oval/azurelinux/azurelinux-3.0-oval.xml",
        "oval/azurelinux/azurelinux-3.0-oval.xml",
        "Azure Linux OVAL",
    );
    // Six (CVE, package) definitions: cmake, curl x3, openssl x2.
    assert_eq!(oval.entries, 6, "{oval:?}");
    let r = scan_rootfs_with(&testdata("distros/azurelinux-3"), &cache);
    // Installed: curl, libcurl 8.8.0-1.azl3 (spec curl); openssl-libs 3.3.0-2.azl3 (spec
    // openssl). OVAL: curl CVE-2024-2398 fixed 0:8.8.0-1.azl3 and openssl CVE-2024-5535
    // fixed 0:3.3.0-2.azl3 (= installed: no finding); cmake is not installed; curl
    // CVE-2024-6197 (fixed 0:8.8.0-2.azl3) is OSV's AZL-43012 pair, left to it; curl
    // CVE-2024-7264 fixed 0:8.8.0-3.azl3 (3 > 1) for both binaries; openssl CVE-2024-6119
    // "less than or equal" 0:3.3.0-2.azl3 and not patchable: affected, no fix. OSV's
    // AZL-43012 and AZL-51007 match as in distro_matching.rs.
    assert_eq!(
        findings(&r),
        set(&[
            "curl AZL-43012 [8.8.0-2.azl3] Fixed",
            "libcurl AZL-43012 [8.8.0-2.azl3] Fixed",
            "openssl-libs AZL-51007 [] Affected",
            "curl AZURE-OVAL-CVE-2024-7264 [0:8.8.0-3.azl3] Fixed",
            "libcurl AZURE-OVAL-CVE-2024-7264 [0:8.8.0-3.azl3] Fixed",
            "openssl-libs AZURE-OVAL-CVE-2024-6119 [] Affected",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "AZURE-OVAL-CVE-2024-6119 Azure Linux severity: high",
            "AZURE-OVAL-CVE-2024-7264 Azure Linux severity: medium",
        ])
    );
    let f = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.advisory_ids == ["AZURE-OVAL-CVE-2024-7264"] && f.package == "curl")
        .expect("CVE-2024-7264");
    assert_eq!(f.id, "CVE-2024-7264");
    assert_eq!(f.url, "https://nvd.nist.gov/vuln/detail/CVE-2024-7264");
    assert_eq!(f.severity, drydock_model::Severity::Medium);
    check_coverage(&r, "Azure Linux:3");
}

/// The real CBL-Mariner 2.0 rpm database (go-rpmdb's fixture, 129 packages) against OSV's
/// `Azure Linux:2` fixtures and the HAND-WRITTEN `cbl-mariner-2.0-oval.xml` (Microsoft's
/// real file is not available here; provenance in the README).
#[test]
fn mariner_real_database_from_oval_beside_osv() {
    let Some(images) = drydock_testkit::need(drydock_testkit::Need::SharedImages) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    fixture_osv_mirror(tmp.path());
    let (cache, oval) = db_with_feed_file(
        tmp.path(),
        "distro-advisories/oval/azurelinux/cbl-mariner-2.0-oval.xml",
        "oval/azurelinux/cbl-mariner-2.0-oval.xml",
        "Azure Linux OVAL",
    );
    // Five definitions, one `Not Applicable` (openssl CVE-2022-0778): four kept.
    assert_eq!(oval.entries, 4, "{oval:?}");
    let root = tmp.path().join("rootfs");
    for (from, to) in [
        (
            testdata("distros/cbl-mariner-2/usr/lib/os-release"),
            "usr/lib/os-release",
        ),
        (
            images.join("rpmdb/cbl-mariner-2.0/rpmdb.sqlite"),
            "var/lib/rpm/rpmdb.sqlite",
        ),
    ] {
        let to = root.join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    }
    let r = scan_rootfs_with(&root, &cache);
    // Installed (rpm -qa on that database): curl, curl-libs 7.76.0-6.cm2; zlib, zlib-devel
    // 1.2.11-5.cm2; openssl, openssl-libs 1.1.1k-7.cm2. OVAL: curl CVE-2022-32221 is OSV's
    // AZL-20873 pair (left to it); curl CVE-2022-42915 fixed 0:7.86.0-1.cm2 (76 < 86);
    // zlib CVE-2023-45853 not patchable, up to 0:1.2.13-1.cm2: affected, no fix; openssl
    // CVE-2021-3712 fixed 0:1.1.1k-7.cm2 (= installed). OSV as in distro_matching.rs.
    assert_eq!(
        findings(&r),
        set(&[
            "curl AZL-20873 [7.86.0-1.cm2] Fixed",
            "curl-libs AZL-20873 [7.86.0-1.cm2] Fixed",
            "zlib AZL-21430 [1.2.12-2.cm2] Fixed",
            "zlib-devel AZL-21430 [1.2.12-2.cm2] Fixed",
            "curl AZURE-OVAL-CVE-2022-42915 [0:7.86.0-1.cm2] Fixed",
            "curl-libs AZURE-OVAL-CVE-2022-42915 [0:7.86.0-1.cm2] Fixed",
            "zlib AZURE-OVAL-CVE-2023-45853 [] Affected",
            "zlib-devel AZURE-OVAL-CVE-2023-45853 [] Affected",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "AZURE-OVAL-CVE-2022-42915 Azure Linux severity: critical",
            "AZURE-OVAL-CVE-2023-45853 Azure Linux severity: high",
        ])
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, "Azure Linux:2", "{f:?}");
    }
}

/// A mirror whose OSV data has no `Azure Linux:3` (only Wolfi's) but which holds the OVAL
/// file: the OVAL alone covers the release, so the scan is complete (no `not_covered`)
/// and the pair OSV would have held (curl CVE-2024-6197, fixed 0:8.8.0-2.azl3 > installed
/// 8.8.0-1.azl3) now comes from the OVAL, for both binaries of the curl spec.
#[test]
fn azure_linux_from_oval_alone_is_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    wolfi_only_osv_mirror(tmp.path());
    let (cache, _) = db_with_feed_file(
        tmp.path(),
        "distro-advisories/oval/azurelinux/azurelinux-3.0-oval.xml",
        "oval/azurelinux/azurelinux-3.0-oval.xml",
        "Azure Linux OVAL",
    );
    let r = scan_rootfs_with(&testdata("distros/azurelinux-3"), &cache);
    assert_eq!(
        findings(&r),
        set(&[
            "curl AZURE-OVAL-CVE-2024-6197 [0:8.8.0-2.azl3] Fixed",
            "libcurl AZURE-OVAL-CVE-2024-6197 [0:8.8.0-2.azl3] Fixed",
            "curl AZURE-OVAL-CVE-2024-7264 [0:8.8.0-3.azl3] Fixed",
            "libcurl AZURE-OVAL-CVE-2024-7264 [0:8.8.0-3.azl3] Fixed",
            "openssl-libs AZURE-OVAL-CVE-2024-6119 [] Affected",
        ])
    );
    check_coverage(&r, "Azure Linux:3");
}
