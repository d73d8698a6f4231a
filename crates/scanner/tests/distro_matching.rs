//! Inventory and matching for each distribution, end to end: every `testdata/distros/<name>/`
//! rootfs with a package database (written by `testdata/distros/make_pkgdbs.sh`) is scanned
//! against a database built from `testdata/distro-advisories/osv/` (OSV records in each
//! distribution's published shape; provenance in the README there). Every expected finding
//! was worked out by hand from the records and the distribution's version ordering; the
//! comment above each case says why each record does or does not apply.

#[path = "support/distros.rs"]
mod distros;

use distros::*;
use drydock_model::Status;
use std::path::Path;

#[test]
fn almalinux_binary_packages_with_epochs() {
    let r = scan_distro("almalinux-9");
    assert_eq!(
        packages(&r),
        set(&[
            "bash=5.1.8-6.el9_1",
            "libcurl-minimal=7.76.1-19.el9",
            "openssl-libs=1:3.0.1-43.el9_0",
            "systemd-libs=250-12.el9_1",
            "zlib=1.2.11-35.el9_1",
        ])
    );
    // Real ALSA records, one entry per binary package:
    // openssl-libs: ALSA-2022:7288 fixed 1:3.0.1-43.el9_0 (= installed, not affected),
    //   ALSA-2023:0946 fixed 1:3.0.1-47.el9_1 (47 > 43), ALSA-2024:0310 1:3.0.7-25.el9_3.
    // libcurl-minimal: ALSA-2022:8299 fixed 7.76.1-19.el9 (= installed), ALSA-2023:0333
    //   fixed 7.76.1-19.el9_1.1 (release el9 < el9_1.1: more segments sort later).
    // systemd-libs: ALSA-2023:0336 250-12.el9_1.1, ALSA-2024:2463 252-32.el9_4.alma.1.
    // bash: ALSA-2023:0340 fixed 5.1.8-6.el9_1 (= installed); zlib: ALSA-2022:7314 fixed
    //   1.2.11-32.el9_0 (below 35.el9_1).
    assert_eq!(
        findings(&r),
        set(&[
            "libcurl-minimal ALSA-2023:0333 [7.76.1-19.el9_1.1] Fixed",
            "openssl-libs ALSA-2023:0946 [1:3.0.1-47.el9_1] Fixed",
            "openssl-libs ALSA-2024:0310 [1:3.0.7-25.el9_3] Fixed",
            "systemd-libs ALSA-2023:0336 [250-12.el9_1.1] Fixed",
            "systemd-libs ALSA-2024:2463 [252-32.el9_4.alma.1] Fixed",
        ])
    );
    // Red Hat's level, from each erratum's summary ("Moderate: curl security update", ...).
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "ALSA-2023:0333 AlmaLinux severity: moderate",
            "ALSA-2023:0336 AlmaLinux severity: moderate",
            "ALSA-2023:0946 AlmaLinux severity: moderate",
            "ALSA-2024:0310 AlmaLinux severity: moderate",
            "ALSA-2024:2463 AlmaLinux severity: moderate",
        ])
    );
    check_coverage(&r, "AlmaLinux:9");
}

#[test]
fn rocky_explicit_zero_epoch_equals_none() {
    let r = scan_distro("rocky-9");
    assert_eq!(
        packages(&r),
        set(&[
            "openssl-libs=1:3.0.7-24.el9",
            "python3-libs=3.9.18-1.el9_3",
            "python3=3.9.18-1.el9_3",
        ])
    );
    // RLSA-2024:0310 openssl-libs fixed 1:3.0.7-25.el9_3 (25 > 24); its `openssl` entry is
    // for a binary not installed. RLSA-2023:7877 python3 fixed 0:3.9.18-1.el9_3: epoch 0 is
    // no epoch, so that is the installed version. RLSA-2024:2987 python3-libs fixed
    // 0:3.9.18-3.el9_4.1 (3 > 1).
    assert_eq!(
        findings(&r),
        set(&[
            "openssl-libs RLSA-2024:0310 [1:3.0.7-25.el9_3] Fixed",
            "python3-libs RLSA-2024:2987 [0:3.9.18-3.el9_4.1] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "RLSA-2024:0310 Rocky Linux severity: moderate",
            "RLSA-2024:2987 Rocky Linux severity: moderate",
        ])
    );
    check_coverage(&r, "Rocky Linux:9");
}

#[test]
fn azure_linux_source_keyed_and_unfixed() {
    let r = scan_distro("azurelinux-3");
    assert_eq!(
        packages(&r),
        set(&[
            "curl=8.8.0-1.azl3",
            "libcurl=8.8.0-1.azl3",
            "openssl-libs=3.3.0-2.azl3",
        ])
    );
    // Records name the spec (source rpm): AZL-43012 curl fixed 8.8.0-2.azl3 applies to
    // both binaries of curl-8.8.0-1.azl3.src.rpm; AZL-43020 openssl fixed 3.3.0-2.azl3 (=
    // installed); AZL-51007 openssl has no fixed event: affected, no fix yet.
    assert_eq!(
        findings(&r),
        set(&[
            "curl AZL-43012 [8.8.0-2.azl3] Fixed",
            "libcurl AZL-43012 [8.8.0-2.azl3] Fixed",
            "openssl-libs AZL-51007 [] Affected",
        ])
    );
    let unfixed = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.advisory_ids == ["AZL-51007"])
        .expect("AZL-51007");
    assert_eq!(unfixed.source_package.as_deref(), Some("openssl"));
    assert_eq!(unfixed.status, Status::Affected);
    assert!(
        vendor_ratings(&r).is_empty(),
        "Azure Linux publishes no rating of its own"
    );
    check_coverage(&r, "Azure Linux:3");
}

#[test]
fn photon_binary_packages() {
    let r = scan_distro("photon-4");
    // PHSA-2023-4.0-0500 lists curl and curl-libs, fixed 8.4.0-1.ph4 (> 7.86.0);
    // PHSA-2023-4.0-0371 zlib fixed 1.2.13-1.ph4 (= installed).
    assert_eq!(
        findings(&r),
        set(&[
            "curl PHSA-2023-4.0-0500 [8.4.0-1.ph4] Fixed",
            "curl-libs PHSA-2023-4.0-0500 [8.4.0-1.ph4] Fixed",
        ])
    );
    assert_eq!(packages(&r).len(), 3);
    check_coverage(&r, "Photon OS:4.0");
}

#[test]
fn mageia_source_keyed_and_tilde() {
    let r = scan_distro("mageia-9");
    assert_eq!(
        packages(&r),
        set(&[
            "curl=8.1.2-1.mga9",
            "lib64curl4=8.1.2-1.mga9",
            "sudo=1.9.15~rc1-1.mga9",
        ])
    );
    // MGASA-2023-0288 names the source `curl` (fixed 8.4.0-1.mga9): both binaries.
    // MGASA-2023-0361 sudo fixed 1.9.15-1.mga9: `~rc1` sorts before the release.
    assert_eq!(
        findings(&r),
        set(&[
            "curl MGASA-2023-0288 [8.4.0-1.mga9] Fixed",
            "lib64curl4 MGASA-2023-0288 [8.4.0-1.mga9] Fixed",
            "sudo MGASA-2023-0361 [1.9.15-1.mga9] Fixed",
        ])
    );
    check_coverage(&r, "Mageia:9");
}

#[test]
fn openeuler_lts_sp_stream_and_caret() {
    let r = scan_distro("openeuler-24.03");
    // OESA-2025-1021 openssl fixed 1:3.0.12-15.oe2403sp1 (15 > 5), for both binaries of
    // the source. libxml2 2.12.5^20240101 (a post-release snapshot): after 2.12.5, so
    // OESA-2024-1650 (fixed 2.12.5-2) does not apply, before 2.12.6, so OESA-2024-2402 does.
    assert_eq!(
        findings(&r),
        set(&[
            "libxml2 OESA-2024-2402 [2.12.6-1.oe2403sp1] Fixed",
            "openssl OESA-2025-1021 [1:3.0.12-15.oe2403sp1] Fixed",
            "openssl-libs OESA-2025-1021 [1:3.0.12-15.oe2403sp1] Fixed",
        ])
    );
    assert!(packages(&r).contains("libxml2=2.12.5^20240101-1.oe2403sp1"));
    // `database_specific.severity` of each OESA; CVSS stays the severity.
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "OESA-2024-2402 openEuler severity: high",
            "OESA-2025-1021 openEuler severity: medium",
        ])
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.severity_source, "advisory-cvss", "{f:?}");
    }
    check_coverage(&r, "openEuler:24.03-LTS-SP1");
}

#[test]
fn wolfi_apk_origins() {
    let r = scan_distro("wolfi");
    assert_eq!(
        packages(&r),
        set(&["busybox=1.36.1-r6", "glibc=2.38-r5", "libcrypto3=3.2.0-r0"])
    );
    // CGA-2m6x-9c4h-q8vw openssl (origin of libcrypto3) fixed 3.2.1-r0; glibc fixed 2.38-r5
    // (= installed); busybox fixed 1.36.1-r7 (r7 > r6).
    // Unfixed records (range `introduced: 0` only) say why in
    // `ecosystem_specific.components[].latest_event_status`: busybox pending_upstream_fix
    // -> FixDeferred, glibc fix_not_planned -> WillNotFix, openssl detection ->
    // UnderInvestigation, openssl analysis_not_planned -> plain Affected (no claim either
    // way). CGA-6rw3-j8mx-2c4q is a false positive (`fixed: "0"`, nothing is below it).
    assert_eq!(
        findings(&r),
        set(&[
            "busybox CGA-5pq8-w2xv-9m3c [] FixDeferred",
            "busybox CGA-h8vq-3x2c-6jpr [1.36.1-r7] Fixed",
            "glibc CGA-7vx4-k9pq-3h5w [] WillNotFix",
            "libcrypto3 CGA-2m6x-9c4h-q8vw [3.2.1-r0] Fixed",
            "libcrypto3 CGA-8wm5-q2rx-4j6c [] UnderInvestigation",
            "libcrypto3 CGA-9xc6-r3vm-5k7p [] Affected",
        ])
    );
    check_coverage(&r, "Wolfi");
}

#[test]
fn chainguard_apk_suffixes() {
    let r = scan_distro("chainguard");
    // curl: CGA-4q9w-8m2x-r7cv fixed 8.4.0-r0 (= installed), CGA-9x6p-2f4h-m3qw fixed
    // 8.5.0-r0; zlib 1.3_rc1 sorts before 1.3 (apk `_rc` is a pre-release suffix).
    // CGA-2hq7-v4wc-6m8x: zlib unfixed, fix_not_planned -> WillNotFix.
    assert_eq!(
        findings(&r),
        set(&[
            "libcurl-openssl4 CGA-9x6p-2f4h-m3qw [8.5.0-r0] Fixed",
            "zlib CGA-2hq7-v4wc-6m8x [] WillNotFix",
            "zlib CGA-c3r8-5v7m-w2xj [1.3-r0] Fixed",
        ])
    );
    check_coverage(&r, "Chainguard");
}

/// Releases no advisory feed covers (CentOS Stream; Fedora, without its updates in the
/// database, as here: `fedora.rs`): the rpm database is read, and the OS packages are
/// reported as not checked rather than as clean.
#[test]
fn rpm_releases_without_a_feed_are_inventoried_and_not_covered() {
    let r = scan_distro("centos-stream-9");
    assert_eq!(packages(&r), set(&["bash=5.1.8-9.el9"]));
    not_covered_for_want_of_a_feed(&r, "centos-stream-9", "centos 9");
}

/// Bottlerocket has no rpm database: its packages come from the build's inventory
/// (testdata/distros/README.md), `[epoch:]version-release` with epoch 0 left out, and are
/// matched against Bottlerocket's own `updateinfo.xml` (testdata/distro-advisories/bottlerocket:
/// kernel-6.1 fixed in 0:6.1.61 (below 6.1.172) and 0:6.1.180 (above); runc 1:1.3.6 above
/// 1:1.3.5; glibc 1:2.43 of an earlier build than the installed one; amazon-ssm-agent not
/// installed) by name and rpm version order.
#[test]
fn bottlerocket_inventory_is_matched_against_its_advisories() {
    let r = scan_distro("bottlerocket");
    assert_eq!(
        packages(&r),
        set(&[
            "coreutils=9.10-1.1781747852.5f13b929.br1",
            "glibc=1:2.43-1.1781747852.5f13b929.br1",
            "grub=1:2.06-1.1779997967.64782dc8.br1",
            "kernel-6.1=6.1.172-1.1779997967.64782dc8.br1",
            "runc=1:1.3.5-1.1781747852.5f13b929.br1",
        ])
    );
    let glibc = r
        .packages
        .iter()
        .find(|p| &*p.name == "glibc")
        .expect("glibc");
    assert_eq!(
        glibc.purl().as_deref(),
        Some(
            "pkg:bottlerocket/glibc@2.43-1.1781747852.5f13b929.br1?arch=x86_64&distro=bottlerocket-1.47.0&epoch=1"
        )
    );
    assert_eq!(
        findings(&r),
        set(&[
            "kernel-6.1 BRSA-drydock0001 [0:6.1.180-1.1790000000.0badcafe.br1] Fixed",
            "runc BRSA-drydock0002 [1:1.3.6-1.1785000000.0badcafe.br1] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "BRSA-drydock0001 Bottlerocket severity: important",
            "BRSA-drydock0002 Bottlerocket severity: low",
        ])
    );
    check_coverage(&r, "Bottlerocket");
}

/// No findings, and `family`'s OS packages reported as not checked for want of a source.
fn not_covered_for_want_of_a_feed(r: &drydock_model::Report, name: &str, family: &str) {
    assert!(findings(r).is_empty(), "{name}");
    let nc: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert!(
        nc.iter().any(|n| n.scope == family
            && n.reason.contains("no vulnerability data source")
            && n.reason.contains("OS packages not checked")),
        "{name}: {nc:?}"
    );
}

/// The real CBL-Mariner 2.0 rpm database (go-rpmdb's test fixture, 129 packages) under the
/// fixture's os-release: the records name specs, so each matches every binary built from it.
#[test]
fn mariner_real_database_by_source_package() {
    let Some(images) = drydock_testkit::need(drydock_testkit::Need::SharedImages) else {
        return;
    };
    let root = tempfile::tempdir().expect("tmp");
    let copy = |from: &Path, to: &str| {
        let to = root.path().join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    };
    copy(
        &testdata("distros/cbl-mariner-2/usr/lib/os-release"),
        "usr/lib/os-release",
    );
    copy(
        &images.join("rpmdb/cbl-mariner-2.0/rpmdb.sqlite"),
        "var/lib/rpm/rpmdb.sqlite",
    );
    let r = scan_rootfs(root.path());
    assert_eq!(packages(&r).len(), 129);
    // Installed (rpm -qa on that database): curl, curl-libs 7.76.0-6.cm2; zlib, zlib-devel
    // 1.2.11-5.cm2; openssl, openssl-libs 1.1.1k-7.cm2. AZL-20873 curl fixed 7.86.0-1.cm2,
    // AZL-21430 zlib fixed 1.2.12-2.cm2, AZL-19984 openssl fixed 1.1.1k-7.cm2 (= installed).
    assert_eq!(
        findings(&r),
        set(&[
            "curl AZL-20873 [7.86.0-1.cm2] Fixed",
            "curl-libs AZL-20873 [7.86.0-1.cm2] Fixed",
            "zlib AZL-21430 [1.2.12-2.cm2] Fixed",
            "zlib-devel AZL-21430 [1.2.12-2.cm2] Fixed",
        ])
    );
    check_coverage(&r, "Azure Linux:2");
    // Mariner 2.0 reached its end of life in 2025: matched, and said to be incomplete.
    assert!(
        r.not_covered
            .iter()
            .any(|n| n.scanned && n.scope == "Azure Linux:2")
    );
}

/// openSUSE Leap 15.3 (which ships SLE 15 SP3's binaries) over the real SLE 15.3 BCI NDB
/// database (go-rpmdb's fixture): records name the source rpm, each binary is matched by
/// the source it was built from; SUSE's VEX files (product `openSUSE Leap 15.3`) by binary
/// rpm, and never another product's statuses for the same binaries.
#[test]
fn opensuse_leap_real_ndb_database_by_source_package() {
    let Some(images) = drydock_testkit::need(drydock_testkit::Need::SharedImages) else {
        return;
    };
    let release = std::fs::read_to_string(testdata("distros/opensuse-leap-15.4/etc/os-release"))
        .expect("os-release")
        .replace("15.4", "15.3");
    let root = sle15_bci_rootfs(&images, release.as_bytes());
    let r = scan_rootfs(root.path());
    assert_eq!(packages(&r).len(), 35);
    // Installed (from that database): libz1 1.2.11-3.21.1 (zlib), libncurses6 and
    // terminfo-base 6.1-5.9.1 (ncurses), libgcrypt20 1.8.2-8.39.1 (libgcrypt).
    // SUSE-SU-2022:2947-1 zlib fixed 1.2.11-3.30.1 (30 > 21); SUSE-SU-2021:1674-1 ncurses
    // fixed 6.1-5.9.1 (= installed); SUSE-SU-2023:0198-1 libgcrypt fixed 1.8.2-8.42.1.
    // SUSE's VEX files (testdata/distro-advisories/suse-vex, hand-written): CVE-2099-3105
    // has Leap 15.3's libz1 affected, `none_available` (impact low), and libgcrypt20
    // `known_affected` for SLES 15 SP5 only (not this image's product); Leap Micro 5.5's
    // libz1 is not Leap's. The SLES 15 SP3 statuses of the same binaries (CVE-2099-3101
    // libz1, CVE-2099-3102 bash and libgcrypt20) are not Leap's either.
    assert_eq!(
        findings(&r),
        set(&[
            "libgcrypt20 SUSE-SU-2023:0198-1 [1.8.2-8.42.1] Fixed",
            "libz1 SUSE-SU-2022:2947-1 [1.2.11-3.30.1] Fixed",
            "libz1 SUSE-VEX-CVE-2099-3105 [] Affected",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["SUSE-VEX-CVE-2099-3105 SUSE rating: low"])
    );
    check_coverage(&r, "openSUSE:Leap 15.3|SUSE VEX:openSUSE Leap 15.3");
}

/// Ubuntu LTS over its dpkg status: Canonical's per-CVE records name the source package;
/// the priority is kept per package; a CVE Ubuntu has not fixed yet is reported, as affected.
#[test]
fn ubuntu_source_packages_priority_and_unfixed() {
    let r = scan_distro("ubuntu-22.04");
    assert_eq!(
        packages(&r),
        set(&[
            "libssl3=3.0.2-0ubuntu1.10",
            "tar=1.34+dfsg-1ubuntu0.1.22.04.1",
            "zlib1g=1:1.2.11.dfsg-2ubuntu9.2",
        ])
    );
    // UBUNTU-CVE-2023-5678 openssl fixed 3.0.2-0ubuntu1.12 (ubuntu1.10 < ubuntu1.12);
    // UBUNTU-CVE-2022-37434 zlib fixed 1:1.2.11.dfsg-2ubuntu9.2 (= installed, epoch 1 on
    // both); UBUNTU-CVE-2025-45582 tar: `introduced 0` only — no fix yet.
    assert_eq!(
        findings(&r),
        set(&[
            "libssl3 UBUNTU-CVE-2023-5678 [3.0.2-0ubuntu1.12] Fixed",
            "tar UBUNTU-CVE-2025-45582 [] Affected",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "UBUNTU-CVE-2023-5678 Ubuntu priority: low",
            "UBUNTU-CVE-2025-45582 Ubuntu priority: medium",
        ])
    );
    check_coverage(&r, "Ubuntu:22.04:LTS");
}

/// Amazon Linux 2023 against Amazon's ALAS feed (`alas/2023/updateinfo.xml` in the mirror,
/// imported by `db update`): one advisory per security update, each fixed binary package.
#[test]
fn amazon_linux_from_alas() {
    let r = scan_distro("amazon-2023");
    assert_eq!(
        packages(&r),
        set(&[
            "bash=5.2.15-1.amzn2023.0.2",
            "libcurl-minimal=8.5.0-1.amzn2023.0.1"
        ])
    );
    // ALAS2023-2024-550 libcurl-minimal fixed 0:8.5.0-1.amzn2023.0.4 (0.1 < 0.4);
    // ALAS2023-2023-190 bash fixed 0:5.2.15-1.amzn2023.0.2 (= installed); the bugfix
    // update ALAS2023-2024-551 fixes no vulnerability and is not imported.
    assert_eq!(
        findings(&r),
        set(&["libcurl-minimal ALAS2023-2024-550 [0:8.5.0-1.amzn2023.0.4] Fixed"])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&["ALAS2023-2024-550 Amazon severity: medium"])
    );
    let f = &r.vulnerabilities.as_ref().expect("matched")[0];
    assert_eq!(
        f.url,
        "https://alas.aws.amazon.com/AL2023/ALAS-2024-550.html"
    );
    assert_eq!(f.severity, drydock_model::Severity::Medium);
    assert_eq!(f.aliases, ["CVE-2024-2004", "CVE-2024-2398"]);
    check_coverage(&r, "Amazon Linux:2023");
}

/// Amazon Linux 2 from its Berkeley DB `Packages` against `alas/2/updateinfo.xml`
/// (installed: bash 4.2.46-34.amzn2, curl and libcurl 7.79.1-1.amzn2.0.1, openssl-libs
/// 1:1.0.2k-24.amzn2.0.4, as `rpm --define '_db_backend bdb_ro' -qa` lists them).
#[test]
fn amazon_linux_2_berkeley_db_from_alas() {
    let r = scan_distro("amazon-2");
    assert_eq!(
        packages(&r),
        set(&[
            "bash=4.2.46-34.amzn2",
            "curl=7.79.1-1.amzn2.0.1",
            "libcurl=7.79.1-1.amzn2.0.1",
            "openssl-libs=1:1.0.2k-24.amzn2.0.4",
        ])
    );
    // ALAS2-2023-2050 curl and libcurl fixed 0:7.79.1-4.amzn2.0.1 (release 1 < 4; its
    // libcurl-devel is not installed); ALAS2-2022-1768 bash fixed 0:4.2.46-34.amzn2
    // (= installed); ALAS2-2024-2500 bash fixed 1:4.2.10-1.amzn2 (no epoch < 1, though
    // 4.2.46 > 4.2.10); ALAS2-2024-2410 openssl-libs fixed 0:1.0.2k-26.amzn2 (installed
    // epoch 1 > 0, though release 24 < 26).
    assert_eq!(
        findings(&r),
        set(&[
            "bash ALAS2-2024-2500 [1:4.2.10-1.amzn2] Fixed",
            "curl ALAS2-2023-2050 [0:7.79.1-4.amzn2.0.1] Fixed",
            "libcurl ALAS2-2023-2050 [0:7.79.1-4.amzn2.0.1] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "ALAS2-2023-2050 Amazon severity: medium",
            "ALAS2-2024-2500 Amazon severity: important",
        ])
    );
    let f = r.vulnerabilities.as_ref().expect("matched");
    let f = f
        .iter()
        .find(|f| f.advisory_ids == ["ALAS2-2024-2500"])
        .expect("2500");
    assert_eq!(f.url, "https://alas.aws.amazon.com/AL2/ALAS-2024-2500.html");
    assert_eq!(f.severity, drydock_model::Severity::High);
    check_coverage(&r, "Amazon Linux:2");
}

/// Oracle Linux 9 against the hand-written ELSA OVAL fixture (bash 0:5.1.8-9.el9
/// installed): ELSA-2024-0101 fixed 0:5.1.8-10.el9 (9 < 10); ELSA-2024-0404 fixed
/// 1:5.0-1.el9 (epoch 0 < 1, though 5.1.8 > 5.0); ELSA-2023-0202 fixed 0:5.1.8-9.el9
/// (= installed) and the Oracle Linux 8 ELSA-2024-0303 (0:5.1.8-99.el8) do not match.
#[test]
fn oracle_linux_from_elsa_oval() {
    let r = scan_distro("oracle-9");
    assert_eq!(packages(&r), set(&["bash=5.1.8-9.el9"]));
    assert_eq!(
        findings(&r),
        set(&[
            "bash ELSA-2024-0101 [0:5.1.8-10.el9] Fixed",
            "bash ELSA-2024-0404 [1:5.0-1.el9] Fixed"
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "ELSA-2024-0101 Oracle severity: important",
            "ELSA-2024-0404 Oracle severity: low"
        ])
    );
    let f = r.vulnerabilities.as_ref().expect("matched");
    let f = f
        .iter()
        .find(|f| f.advisory_ids == ["ELSA-2024-0101"])
        .expect("0101");
    assert_eq!(f.url, "https://linux.oracle.com/errata/ELSA-2024-0101.html");
    assert_eq!(f.severity, drydock_model::Severity::High);
    // One CVE: the finding is reported under it, the ELSA as its alias.
    assert_eq!(
        (f.id.as_str(), &f.aliases[..]),
        ("CVE-2022-3715", &["ELSA-2024-0101".to_owned()][..])
    );
    check_coverage(&r, "Oracle Linux:9");
}
