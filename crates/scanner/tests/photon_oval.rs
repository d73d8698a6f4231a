//! Photon OS 4 matched from Broadcom's OVAL file beside OSV's `Photon OS:4.0` records: the
//! OVAL's definitions add the fixes OSV lacks, with VMware's severity as the vendor
//! rating, and a (package, CVE) an OSV record already names is reported once, from that
//! record. The mirror is `testdata/distro-advisories/osv/` plus the HAND-WRITTEN
//! `oval/photon/com.vmware.phsa-photon4.xml` (provenance in the README there); every
//! expectation is read off those files, the fixture's rpm database (`rpm -qa`: curl and
//! curl-libs 7.86.0-2.ph4, zlib 1.2.13-1.ph4) and rpm's version order.

#[path = "support/distros.rs"]
mod distros;

use distros::*;

const OVAL: &str = "distro-advisories/oval/photon/com.vmware.phsa-photon4.xml";
const IN_MIRROR: &str = "oval/photon/com.vmware.phsa-photon4.xml";

#[test]
fn photon_from_oval_beside_osv() {
    let tmp = tempfile::tempdir().expect("tmp");
    fixture_osv_mirror(tmp.path());
    let (cache, oval) = db_with_feed_file(tmp.path(), OVAL, IN_MIRROR, "Photon OS OVAL");
    // 2 CVEs x curl, curl-libs, curl-devel + 2 CVEs x curl, curl-libs + zlib + zlib.
    assert_eq!(
        (oval.entries, oval.date.as_deref()),
        (12, Some("2024-06-20"))
    );
    let r = scan_rootfs_with(&testdata("distros/photon-4"), &cache);
    // CVE-2023-38545/38546 for curl and curl-libs are OSV's PHSA-2023-4.0-0500 pairs: one
    // finding each, from it (curl-devel, the OVAL's only other package, is not installed).
    // CVE-2099-4001/4002 fixed 0:8.5.0-1.ph4 (> 7.86.0) for both curl binaries; zlib
    // CVE-2099-4003 fixed 0:1.2.13-1.ph4 (= installed: none), CVE-2099-4004 fixed
    // 0:1.2.13-2.ph4 (2 > 1). OSV's zlib PHSA-2023-4.0-0371 is fixed at the installed
    // version, as in distro_matching.rs.
    assert_eq!(
        findings(&r),
        set(&[
            "curl PHSA-2023-4.0-0500 [8.4.0-1.ph4] Fixed",
            "curl-libs PHSA-2023-4.0-0500 [8.4.0-1.ph4] Fixed",
            "curl PHOTON-OVAL-CVE-2099-4001 [0:8.5.0-1.ph4] Fixed",
            "curl PHOTON-OVAL-CVE-2099-4002 [0:8.5.0-1.ph4] Fixed",
            "curl-libs PHOTON-OVAL-CVE-2099-4001 [0:8.5.0-1.ph4] Fixed",
            "curl-libs PHOTON-OVAL-CVE-2099-4002 [0:8.5.0-1.ph4] Fixed",
            "zlib PHOTON-OVAL-CVE-2099-4004 [0:1.2.13-2.ph4] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "PHOTON-OVAL-CVE-2099-4001 Photon OS severity: important",
            "PHOTON-OVAL-CVE-2099-4002 Photon OS severity: important",
            "PHOTON-OVAL-CVE-2099-4004 Photon OS severity: moderate",
        ])
    );
    let f = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.advisory_ids == ["PHOTON-OVAL-CVE-2099-4004"])
        .expect("CVE-2099-4004");
    assert_eq!(f.id, "CVE-2099-4004");
    assert_eq!(
        f.url,
        "https://github.com/vmware/photon/wiki/Security-Updates-4.0-9003"
    );
    assert_eq!(f.severity, drydock_model::Severity::Medium);
    assert_eq!(f.published.as_deref(), Some("2024-06-20T00:00:00Z"));
    check_coverage(&r, "Photon OS:4.0");
}

/// A mirror whose OSV data has no `Photon OS:4.0` (only Wolfi's) but which holds the OVAL
/// file: the OVAL alone covers the release (no `not_covered`), and the pairs OSV would
/// have held (curl CVE-2023-38545/38546, fixed 0:8.4.0-1.ph4) come from it, rated.
#[test]
fn photon_from_oval_alone_is_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    wolfi_only_osv_mirror(tmp.path());
    let (cache, _) = db_with_feed_file(tmp.path(), OVAL, IN_MIRROR, "Photon OS OVAL");
    let r = scan_rootfs_with(&testdata("distros/photon-4"), &cache);
    let mut want = Vec::new();
    for pkg in ["curl", "curl-libs"] {
        for (cve, fixed) in [
            ("2023-38545", "8.4.0"),
            ("2023-38546", "8.4.0"),
            ("2099-4001", "8.5.0"),
            ("2099-4002", "8.5.0"),
        ] {
            want.push(format!(
                "{pkg} PHOTON-OVAL-CVE-{cve} [0:{fixed}-1.ph4] Fixed"
            ));
        }
    }
    want.push("zlib PHOTON-OVAL-CVE-2099-4004 [0:1.2.13-2.ph4] Fixed".into());
    assert_eq!(findings(&r), want.into_iter().collect());
    let critical = vendor_ratings(&r)
        .into_iter()
        .filter(|l| l.ends_with("Photon OS severity: critical"))
        .count();
    assert_eq!(
        critical, 2,
        "CVE-2023-38545 and CVE-2023-38546 as one advisory each"
    );
    check_coverage(&r, "Photon OS:4.0");
}
