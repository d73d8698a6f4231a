//! Vendor statuses from the Ubuntu CVE tracker: a release's unfixed issues keep
//! Canonical's reason (deferred, ignored, needs triage) and priority instead of a bare
//! "affected", fixes the OSV data lacks are filled in, those it has are not doubled, and a
//! fix shipped only in Ubuntu Pro's ESM reaches only an image with Pro enabled. The mirror
//! is the hand-written OSV Ubuntu fixtures plus
//! `testdata/distro-advisories/ubuntu-tracker/cves.json`; every expectation below is read
//! off those files (what each CVE says is listed in the README there).

#[path = "support/distros.rs"]
mod distros;

use std::path::{Path, PathBuf};

use distros::*;

/// Builds the mirror (the Ubuntu OSV folders and the tracker) and its database in `tmp`;
/// returns the cache dir.
fn tracker_db(tmp: &Path) -> PathBuf {
    let src = tmp.join("osv-src");
    for eco in [
        "Ubuntu:18.04:LTS",
        "Ubuntu:22.04:LTS",
        "Ubuntu:Pro:18.04:LTS",
    ] {
        let from = testdata("distro-advisories/osv").join(eco);
        let to = src.join(eco);
        std::fs::create_dir_all(&to).expect("mkdir");
        for f in std::fs::read_dir(&from).expect("records") {
            let f = f.expect("entry").path();
            std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
        }
    }
    write_osv_mirror(&src, &tmp.join("mirror/osv"));
    let (cache, status) = db_with_feed_file(
        tmp,
        "distro-advisories/ubuntu-tracker/cves.json",
        "ubuntu-tracker/cves.json",
        "Ubuntu tracker",
    );
    // The README's count, and the newest `updated_at` as the feed's date.
    assert_eq!(
        (status.entries, status.date.as_deref()),
        (14, Some("2099-02-10")),
        "{status:?}"
    );
    cache
}

#[test]
fn ubuntu_tracker_statuses_and_priorities_are_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tracker_db(tmp.path());
    let r = scan_rootfs_with(&testdata("distros/ubuntu-22.04"), &cache);
    assert_eq!(
        status_lines(&r, true),
        vec![
            // OSV's record already has the pair: the tracker's copy is not added.
            "libssl3 CVE-2023-5678 [UBUNTU-CVE-2023-5678] [3.0.2-0ubuntu1.12] fixed low",
            // jammy `deferred`.
            "libssl3 CVE-2099-2001 [UBUNTU-TRACKER-CVE-2099-2001] [] fix_deferred low",
            // jammy `pending`: the fix is not in the archive yet.
            "libssl3 CVE-2099-2005 [UBUNTU-TRACKER-CVE-2099-2005] [] affected critical",
            // Tracker only: released in `security`, no OSV record of it.
            "libssl3 CVE-2099-2006 [UBUNTU-TRACKER-CVE-2099-2006] [3.0.2-0ubuntu1.11] fixed medium",
            // OSV says only "no fix"; the tracker says deferred, and its word is kept.
            "tar CVE-2025-45582 [UBUNTU-CVE-2025-45582,UBUNTU-TRACKER-CVE-2025-45582] [] fix_deferred medium",
            // jammy `needs-triage`.
            "tar CVE-2099-2003 [UBUNTU-TRACKER-CVE-2099-2003] [] under_investigation medium",
            // jammy `ignored` "abandoned".
            "zlib1g CVE-2099-2002 [UBUNTU-TRACKER-CVE-2099-2002] [] will_not_fix negligible",
            // jammy `needed`.
            "zlib1g CVE-2099-2004 [UBUNTU-TRACKER-CVE-2099-2004] [] affected high",
        ]
    );
    let zlib = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.id == "CVE-2099-2004")
        .expect("finding");
    let v = zlib.vendor_severity.as_ref().expect("priority");
    assert_eq!(v.source, "Ubuntu priority");
    // The tracker republishes NVD's vector; it is the advisory's severity.
    let cvss = zlib.cvss.as_ref().expect("cvss");
    assert!(cvss.vector.ends_with("/A:H"), "{cvss:?}");
    let reasons = |id: &str| {
        r.vulnerabilities
            .iter()
            .flatten()
            .find(|f| f.id == id)
            .and_then(|f| f.risk.as_ref())
            .map(|k| k.reasons.clone())
            .unwrap_or_default()
    };
    assert!(
        reasons("CVE-2099-2002")
            .iter()
            .any(|r| r == "vendor will not fix")
    );
    assert!(
        reasons("CVE-2099-2003")
            .iter()
            .any(|r| r == "vendor still investigating")
    );
    check_coverage(&r, "Ubuntu:22.04:LTS");

    // Bionic with Ubuntu Pro's esm-infra enabled: the ESM fix applies; FIPS's does not.
    let pro = scan_rootfs_with(&testdata("distros/ubuntu-18.04-pro"), &cache);
    assert_eq!(
        status_lines(&pro, true),
        vec![
            "libssl1.1 CVE-2099-2001 [UBUNTU-TRACKER-CVE-2099-2001] [1.1.1-1ubuntu2.1~18.04.24+esm1] fixed low",
            "libssl1.1 CVE-2099-2008 [UBUNTU-TRACKER-CVE-2099-2008] [] affected medium",
            "libssl1.1 CVE-2099-3002 [UBUNTU-CVE-2099-3002] [1.1.1-1ubuntu2.1~18.04.23+esm1] fixed high",
            "zlib1g CVE-2099-2002 [UBUNTU-TRACKER-CVE-2099-2002] [] end_of_life negligible",
            "zlib1g CVE-2099-3001 [UBUNTU-CVE-2099-3001] [1:1.2.11.dfsg-0ubuntu2.3] fixed medium",
        ]
    );
}

#[test]
fn an_esm_fix_does_not_reach_an_image_without_pro() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tracker_db(tmp.path());
    // The Pro fixture without its Ubuntu Pro status file: the free stream only.
    let root = tmp.path().join("bionic");
    for rel in ["etc/os-release", "var/lib/dpkg/status"] {
        let to = root.join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(testdata("distros/ubuntu-18.04-pro").join(rel), to).expect("copy");
    }
    let r = scan_rootfs_with(&root, &cache);
    assert_eq!(
        status_lines(&r, true),
        vec![
            // Fixed only in esm-infra: for a free image there is no fix.
            "libssl1.1 CVE-2099-2001 [UBUNTU-TRACKER-CVE-2099-2001] [] affected low",
            "libssl1.1 CVE-2099-2008 [UBUNTU-TRACKER-CVE-2099-2008] [] affected medium",
            "zlib1g CVE-2099-2002 [UBUNTU-TRACKER-CVE-2099-2002] [] end_of_life negligible",
            "zlib1g CVE-2099-3001 [UBUNTU-CVE-2099-3001] [1:1.2.11.dfsg-0ubuntu2.3] fixed medium",
        ]
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, "Ubuntu:18.04:LTS", "{f:?}");
    }
}
