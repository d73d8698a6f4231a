//! Red Hat matching per repository: the image's content manifest
//! (`root/buildinfo/content_manifests/*.json`) selects the `Red Hat:…::<repo>` records,
//! and without one the release's default repositories apply and the report says so.
//! Expected findings worked out by hand from `testdata/distro-advisories/osv/` (see
//! distro_matching.rs) and, for unfixed components, from Red Hat's VEX files in
//! `testdata/distro-advisories/redhat-vex/` (its README says what each one states).

#[path = "support/distros.rs"]
mod distros;

use distros::*;
use std::path::Path;

/// Copies a fixture rootfs to a temporary directory, leaving out `skip` (relative paths)
/// and writing `extra` (path, contents).
fn variant_of(name: &str, skip: &[&str], extra: &[(&str, &str)]) -> tempfile::TempDir {
    fn walk(from: &Path, rel: &Path, to: &Path, skip: &[&str]) {
        for e in std::fs::read_dir(from.join(rel)).expect("read_dir") {
            let rel = rel.join(e.expect("entry").file_name());
            if skip.iter().any(|s| rel.starts_with(s)) {
                continue;
            }
            if from.join(&rel).is_dir() {
                std::fs::create_dir_all(to.join(&rel)).expect("mkdir");
                walk(from, &rel, to, skip);
            } else {
                std::fs::copy(from.join(&rel), to.join(&rel)).expect("copy");
            }
        }
    }
    let tmp = tempfile::tempdir().expect("tmp");
    walk(
        &testdata("distros").join(name),
        Path::new(""),
        tmp.path(),
        skip,
    );
    for (path, text) in extra {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    tmp
}

/// RHEL 9's BaseOS and AppStream, and the VEX ecosystems the fixtures have data for (the
/// others RHEL 9 could be filed under, `Red Hat VEX:enterprise_linux:9::baseos`, are left
/// out of the report).
const RHEL9_VEX: &str = "Red Hat:enterprise_linux:9::appstream|Red Hat:enterprise_linux:9::baseos|\
    Red Hat VEX:enterprise_linux:9|Red Hat VEX:enterprise_linux:9::appstream";

/// The findings from Red Hat's advisories only (repository selection is about those).
fn rhsa(r: &drydock_model::Report) -> std::collections::BTreeSet<String> {
    findings(r)
        .into_iter()
        .filter(|f| f.contains(" RHSA-"))
        .collect()
}

/// RHEL: the content manifest names BaseOS and AppStream, so both repositories' records
/// apply, and a record filed under both is one finding.
#[test]
fn rhel_repositories_from_the_content_manifest() {
    let r = scan_distro("rhel-9");
    let os = r.os.as_ref().expect("os");
    assert_eq!(
        os.repositories,
        [
            "rhel-9-for-aarch64-appstream-rpms",
            "rhel-9-for-aarch64-baseos-rpms"
        ]
    );
    // RHSA-2024:2447 openssl-libs fixed 1:3.0.7-27.el9 (> -24) in appstream and baseos;
    // RHSA-2024:1129 libcurl-minimal (baseos) fixed 0:7.76.1-26.el9_3.3 (el9 < el9_3.3);
    // RHSA-2024:10779 python3.12 (appstream) fixed 0:3.12.5-2.el9_5; RHSA-2024:9194 is
    // filed only for the 9.4 EUS stream, which the image was not built from.
    // Red Hat's VEX files, by source rpm: CVE-2099-1001 openssl "Will not fix" on RHEL 9
    // (Low); CVE-2099-1002 curl "Deferred" (Moderate) and python3.12 under investigation
    // (no impact of its own: the document's aggregate, important); CVE-2099-1003 curl "Out
    // of support scope" on the 9.6.z AppStream stream (RHEL as the beta files give it),
    // while its python3.12 entry is for the 9.2 EUS stream only.
    assert_eq!(
        findings(&r),
        set(&[
            "libcurl-minimal REDHAT-VEX-CVE-2099-1002 [] FixDeferred",
            "libcurl-minimal REDHAT-VEX-CVE-2099-1003 [] EndOfLife",
            "libcurl-minimal RHSA-2024:1129 [0:7.76.1-26.el9_3.3] Fixed",
            "openssl-libs REDHAT-VEX-CVE-2099-1001 [] WillNotFix",
            "openssl-libs RHSA-2024:2447 [1:3.0.7-27.el9] Fixed",
            "python3.12 REDHAT-VEX-CVE-2099-1002 [] UnderInvestigation",
            "python3.12 RHSA-2024:10779 [0:3.12.5-2.el9_5] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "REDHAT-VEX-CVE-2099-1001 Red Hat severity: low",
            "REDHAT-VEX-CVE-2099-1002 Red Hat severity: important",
            "REDHAT-VEX-CVE-2099-1002 Red Hat severity: moderate",
            "REDHAT-VEX-CVE-2099-1003 Red Hat severity: moderate",
            "RHSA-2024:10779 Red Hat severity: important",
            "RHSA-2024:1129 Red Hat severity: moderate",
            "RHSA-2024:2447 Red Hat severity: low",
        ])
    );
    // The finding is the CVE, with Red Hat's page and the VEX file's CVSS vector.
    let wont = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.advisory_ids == ["REDHAT-VEX-CVE-2099-1001"])
        .expect("will not fix");
    assert_eq!(wont.id, "CVE-2099-1001");
    assert_eq!(
        wont.url,
        "https://access.redhat.com/security/cve/CVE-2099-1001"
    );
    assert_eq!(wont.source_package.as_deref(), Some("openssl"));
    assert_eq!(wont.severity, drydock_model::Severity::Low);
    check_coverage(&r, RHEL9_VEX);
}

/// Only the repositories the manifest names: with AppStream alone, the BaseOS-only curl
/// record does not apply; an EUS content set selects the EUS stream's records.
#[test]
fn rhel_manifest_repositories_select_the_records() {
    let manifest = "root/buildinfo/content_manifests/python-312-container-1-25.json";
    let only = |sets: &str| {
        let text = format!(r#"{{"metadata":{{"icm_version":1}},"content_sets":[{sets}]}}"#);
        variant_of("rhel-9", &[manifest], &[(manifest, &text)])
    };
    let dir = only(r#""rhel-9-for-x86_64-appstream-rpms""#);
    let r = scan_rootfs(dir.path());
    assert_eq!(
        rhsa(&r),
        set(&[
            "openssl-libs RHSA-2024:2447 [1:3.0.7-27.el9] Fixed",
            "python3.12 RHSA-2024:10779 [0:3.12.5-2.el9_5] Fixed",
        ])
    );
    check_coverage(
        &r,
        "Red Hat:enterprise_linux:9::appstream|Red Hat VEX:enterprise_linux:9|\
         Red Hat VEX:enterprise_linux:9::appstream",
    );

    let dir = only(r#""rhel-9-for-x86_64-appstream-eus-rpms__9_DOT_4""#);
    let r = scan_rootfs(dir.path());
    // RHSA-2024:9194 (9.4 EUS, fixed 0:3.12.1-4.el9_4.1 > 4.el9).
    assert_eq!(
        rhsa(&r),
        set(&["python3.12 RHSA-2024:9194 [0:3.12.1-4.el9_4.1] Fixed"])
    );
    // An EUS stream keeps the major release's VEX statuses (older files file unfixed
    // components only there), not the 9.6.z stream's (CVE-2099-1003 for curl).
    assert!(findings(&r).contains("libcurl-minimal REDHAT-VEX-CVE-2099-1002 [] FixDeferred"));
    assert!(!findings(&r).iter().any(|f| f.contains("CVE-2099-1003")));
    check_coverage(
        &r,
        "Red Hat:rhel_eus:9.4::appstream|Red Hat VEX:enterprise_linux:9",
    );
}

/// Without a content manifest the release's default repositories are used, and the
/// report says so.
#[test]
fn rhel_without_manifest_uses_default_repositories_and_says_so() {
    let dir = variant_of("rhel-9", &["root"], &[]);
    let r = scan_rootfs(dir.path());
    assert!(r.os.as_ref().expect("os").repositories.is_empty());
    assert_eq!(rhsa(&r).len(), 3, "{:?}", findings(&r));
    assert_eq!(
        r.warnings,
        [
            "rhel 9.4: no Red Hat content manifest naming its repositories; OS packages matched \
          against the release's default repositories (Red Hat:enterprise_linux:9::appstream, \
          Red Hat:enterprise_linux:9::baseos)"
        ]
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, RHEL9_VEX);
    }
}

/// Records of the `Red Hat` feed for RHEL 9 say nothing about RHEL 10: its packages are
/// not checked, and the report says so instead of showing a clean result.
#[test]
fn rhel_release_without_records_is_not_covered() {
    let release = std::fs::read_to_string(testdata("distros/rhel-9/etc/os-release"))
        .expect("os-release")
        .replace("9.4", "10.0");
    let dir = variant_of(
        "rhel-9",
        &["root", "etc/os-release"],
        &[("etc/os-release", &release)],
    );
    let r = scan_rootfs(dir.path());
    assert!(findings(&r).is_empty());
    let nc: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert_eq!(nc.len(), 1, "{nc:?}");
    assert_eq!(
        nc[0].scope,
        "Red Hat:enterprise_linux:10::appstream|Red Hat:enterprise_linux:10::baseos"
    );
    assert!(nc[0].reason.contains("no advisory data"), "{nc:?}");
}

/// RHEL 8 keeps its rpm database in Berkeley DB (`Packages`, written by make_pkgdbs.sh and
/// listed by `rpm --define '_db_backend bdb_ro' -qa`: openssl-libs 1:1.1.1k-7.el8_6,
/// libcurl-minimal 0:7.61.1-22.el8) and has no content manifest here, so it is matched
/// against RHEL 8's BaseOS and AppStream, with the warning. RHSA-2023:3106 fixes
/// openssl-libs in 1:1.1.1k-9.el8_7 (9.el8_7 > 7.el8_6: a finding); RHSA-2023:1140 fixes
/// libcurl-minimal at the installed 0:7.61.1-22.el8 (none); RHSA-2024:2447's fix of
/// openssl-libs is filed for RHEL 9 only and must not match RHEL 8's. CVE-2099-1001's VEX
/// file says RHEL 8's openssl is affected with no fix yet (`none_available` "Affected").
#[test]
fn rhel_8_berkeley_db_is_matched_against_its_default_repositories() {
    let r = scan_distro("rhel-8");
    assert_eq!(
        packages(&r),
        set(&[
            "libcurl-minimal=7.61.1-22.el8",
            "openssl-libs=1:1.1.1k-7.el8_6"
        ])
    );
    assert_eq!(
        findings(&r),
        set(&[
            "openssl-libs REDHAT-VEX-CVE-2099-1001 [] Affected",
            "openssl-libs RHSA-2023:3106 [1:1.1.1k-9.el8_7] Fixed"
        ])
    );
    assert_eq!(
        r.warnings,
        [
            "rhel 8.7: no Red Hat content manifest naming its repositories; OS packages matched \
          against the release's default repositories (Red Hat:enterprise_linux:8::appstream, \
          Red Hat:enterprise_linux:8::baseos)"
        ]
    );
}

/// CentOS Linux 8 (end of life 2021-12-31) keeps the Berkeley DB `Packages` (make_pkgdbs.sh;
/// `rpm --define '_db_backend bdb_ro' -qa` lists bash 0:4.4.20-1.el8_4 and openssl-libs
/// 1:1.1.1k-5.el8_5) and publishes no advisories: it is matched against RHEL 8's BaseOS and
/// AppStream records, with a warning. RHSA-2023:3106 fixes openssl-libs in 1:1.1.1k-9.el8_7
/// (same epoch and version, release 5.el8_5 < 9.el8_7: a finding); RHSA-2023:1140 is for
/// libcurl-minimal, not installed; RHSA-2024:2447's openssl-libs fix is RHEL 9's only; no
/// record names bash. CVE-2099-1001's VEX file says RHEL 8's openssl (the source rpm of
/// openssl-libs) is affected with no fix yet.
#[test]
fn centos_linux_8_is_matched_against_rhel_8_records() {
    let r = scan_distro("centos-8");
    assert_eq!(
        packages(&r),
        set(&["bash=4.4.20-1.el8_4", "openssl-libs=1:1.1.1k-5.el8_5"])
    );
    assert_eq!(
        findings(&r),
        set(&[
            "openssl-libs REDHAT-VEX-CVE-2099-1001 [] Affected",
            "openssl-libs RHSA-2023:3106 [1:1.1.1k-9.el8_7] Fixed"
        ])
    );
    // Red Hat's level: RHSA-2023:3106's summary "Important: openssl security update", the
    // VEX file's `impact` threat "Low" for RHEL 8's openssl.
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "REDHAT-VEX-CVE-2099-1001 Red Hat severity: low",
            "RHSA-2023:3106 Red Hat severity: important",
        ])
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(
            f.ecosystem,
            "Red Hat:enterprise_linux:8::appstream|Red Hat:enterprise_linux:8::baseos|\
             Red Hat VEX:enterprise_linux:8"
        );
    }
    assert_eq!(
        r.warnings,
        [
            "centos 8: CentOS Linux publishes no advisories; OS packages matched against RHEL 8's \
          for its default repositories (Red Hat:enterprise_linux:8::appstream, \
          Red Hat:enterprise_linux:8::baseos); CentOS Linux 8 reached end of life on 2021-12-31: \
          RHEL fixes released since were never built for it"
        ]
    );
    checked_until_end_of_life(&r, "2021-12-31");
}

/// A database with RHEL 9's records only says nothing about CentOS Linux 8: its packages are
/// reported as not checked, and the report does not claim they were matched as RHEL 8's.
#[test]
fn centos_linux_8_without_rhel_8_records_is_not_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = rhel_9_only_db(tmp.path());
    let r = scan_rootfs_with(&testdata("distros/centos-8"), &cache);
    assert_eq!(packages(&r).len(), 2);
    assert!(findings(&r).is_empty());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let nc: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert_eq!(nc.len(), 1, "{nc:?}");
    assert_eq!(
        nc[0].scope,
        "Red Hat:enterprise_linux:8::appstream|Red Hat:enterprise_linux:8::baseos"
    );
    assert!(nc[0].reason.contains("no advisory data"), "{nc:?}");
}

/// CentOS Linux 7 (end of life 2024-06-30) keeps the Berkeley DB `Packages` (make_pkgdbs.sh;
/// `rpm --define '_db_backend bdb_ro' -qa` lists bash 0:4.2.46-35.el7_9 and openssl-libs
/// 1:1.0.2k-25.el7_9) and is matched against RHEL 7 Server's records (RHEL 7 has no
/// BaseOS/AppStream), with a warning. RHSA-2099:0701 fixes openssl-libs in 1:1.0.2k-26.el7_9
/// (26 > 25: a finding); RHSA-2099:0702 fixes bash in 0:4.2.46-34.el7 (older than the
/// installed 35.el7_9: none); RHSA-2099:0703's newer bash (36.el7_9) is filed for
/// Workstation only; RHSA-2023:3106 is RHEL 8's. CVE-2099-1004's VEX file says RHEL 7's bash
/// is affected and "Out of support scope"; CVE-2099-1001 names RHEL 8 and 9 only.
#[test]
fn centos_linux_7_is_matched_against_rhel_7_records() {
    let r = scan_distro("centos-7");
    assert_eq!(
        packages(&r),
        set(&["bash=4.2.46-35.el7_9", "openssl-libs=1:1.0.2k-25.el7_9"])
    );
    assert_eq!(
        findings(&r),
        set(&[
            "bash REDHAT-VEX-CVE-2099-1004 [] EndOfLife",
            "openssl-libs RHSA-2099:0701 [1:1.0.2k-26.el7_9] Fixed",
        ])
    );
    // RHSA-2099:0701's summary "Important: openssl security update"; the VEX file's
    // `impact` threat "Moderate" for RHEL 7's bash.
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "REDHAT-VEX-CVE-2099-1004 Red Hat severity: moderate",
            "RHSA-2099:0701 Red Hat severity: important",
        ])
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(
            f.ecosystem,
            "Red Hat:enterprise_linux:7::server|Red Hat VEX:enterprise_linux:7"
        );
    }
    assert_eq!(
        r.warnings,
        [
            "centos 7: CentOS Linux publishes no advisories; OS packages matched against RHEL 7's \
          for its default repositories (Red Hat:enterprise_linux:7::server); CentOS Linux 7 \
          reached end of life on 2024-06-30: RHEL fixes released since were never built for it"
        ]
    );
    checked_until_end_of_life(&r, "2024-06-30");
}

/// A database with RHEL 9's records only says nothing about CentOS Linux 7: its packages are
/// reported as not checked, under RHEL 7 Server's ecosystem, with no CentOS warning.
#[test]
fn centos_linux_7_without_rhel_7_records_is_not_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = rhel_9_only_db(tmp.path());
    let r = scan_rootfs_with(&testdata("distros/centos-7"), &cache);
    assert_eq!(packages(&r).len(), 2);
    assert!(findings(&r).is_empty());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let nc: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert_eq!(nc.len(), 1, "{nc:?}");
    assert_eq!(nc[0].scope, "Red Hat:enterprise_linux:7::server");
    assert!(nc[0].reason.contains("no advisory data"), "{nc:?}");
}

/// RHEL 7.9's os-release as `cat /etc/os-release` prints it on RHEL 7.9 Server (transcripts
/// in public repositories; `VARIANT_ID="server"`).
const RHEL_7_9: &str = r#"NAME="Red Hat Enterprise Linux Server"
VERSION="7.9 (Maipo)"
ID="rhel"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="7.9"
PRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:redhat:enterprise_linux:7.9:GA:server"
HOME_URL="https://www.redhat.com/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"

REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 7"
REDHAT_BUGZILLA_PRODUCT_VERSION=7.9
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="7.9"
"#;

/// RHEL 7 (centos-7's el7_9 packages under RHEL 7.9's os-release): its content manifest's
/// sets select the variant's records — Server and Optional the Server ones, Extras named as
/// unmapped; Workstation's the Workstation ones (RHSA-2099:0703's bash fix 36.el7_9 >
/// 35.el7_9, and not Server's RHSA-2099:0702) — and without a manifest Server is the
/// default, with a warning. The VEX product `enterprise_linux:7` applies to every variant.
#[test]
fn rhel_7_manifest_variants_select_the_records() {
    let manifest = "root/buildinfo/content_manifests/rhel7-container.json";
    let rhel7 = |sets: Option<&str>| {
        let text =
            sets.map(|s| format!(r#"{{"metadata":{{"icm_version":1}},"content_sets":[{s}]}}"#));
        let mut extra = vec![("etc/os-release", RHEL_7_9)];
        if let Some(t) = &text {
            extra.push((manifest, t.as_str()));
        }
        scan_rootfs(variant_of("centos-7", &["etc/os-release"], &extra).path())
    };
    let openssl = "openssl-libs RHSA-2099:0701 [1:1.0.2k-26.el7_9] Fixed";
    let vex = "bash REDHAT-VEX-CVE-2099-1004 [] EndOfLife";

    let r = rhel7(Some(
        r#""rhel-7-server-rpms","rhel-7-server-optional-rpms","rhel-7-server-extras-rpms""#,
    ));
    assert_eq!(
        r.os.as_ref()
            .map(|o| (o.family.as_str(), o.version.as_str())),
        Some(("rhel", "7.9"))
    );
    assert_eq!(findings(&r), set(&[vex, openssl]));
    assert_eq!(
        r.warnings,
        ["content sets with no Red Hat advisory repository: rhel-7-server-extras-rpms"]
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(
            f.ecosystem,
            "Red Hat:enterprise_linux:7::server|Red Hat VEX:enterprise_linux:7"
        );
    }

    let r = rhel7(Some(r#""rhel-7-workstation-rpms""#));
    assert_eq!(
        findings(&r),
        set(&[
            vex,
            "bash RHSA-2099:0703 [0:4.2.46-36.el7_9] Fixed",
            openssl
        ])
    );
    check_coverage(
        &r,
        "Red Hat:enterprise_linux:7::workstation|Red Hat VEX:enterprise_linux:7",
    );

    let r = rhel7(None);
    assert_eq!(findings(&r), set(&[vex, openssl]));
    assert_eq!(
        r.warnings,
        [
            "rhel 7.9: no Red Hat content manifest naming its repositories; OS packages matched \
          against the release's default repositories (Red Hat:enterprise_linux:7::server)"
        ]
    );
}

/// A database in `tmp` built from one RHEL 9 record (RHSA-2024:2447) and nothing else.
fn rhel_9_only_db(tmp: &std::path::Path) -> std::path::PathBuf {
    let src = tmp.join("osv-src/Red Hat");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::copy(
        testdata("distro-advisories/osv/Red Hat/RHSA-2024:2447.json"),
        src.join("RHSA-2024:2447.json"),
    )
    .expect("copy");
    let mirror = tmp.join("mirror/osv");
    write_osv_mirror(&tmp.join("osv-src"), &mirror);
    let cache = tmp.join("cache");
    let opts = drydock_vulndb::UpdateOptions::new(mirror.to_str().expect("utf8"), &cache);
    drydock_vulndb::update(&opts).expect("build DB");
    cache
}

/// Every package was checked, but only up to the end of life on `date`, which the report
/// says.
fn checked_until_end_of_life(r: &drydock_model::Report, date: &str) {
    assert!(
        r.not_covered.iter().all(|n| n.scanned),
        "{:?}",
        r.not_covered
    );
    let since = format!("end of life since {date}");
    assert!(
        r.not_covered.iter().any(|n| n.reason.starts_with(&since)),
        "{:?}",
        r.not_covered
    );
}
