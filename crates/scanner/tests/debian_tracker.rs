//! Vendor statuses from the Debian security tracker: a release's unfixed issues keep the
//! tracker's reason (will not fix, deferred, end of life, under investigation) instead
//! of a bare "affected", fixes the OSV data lacks are filled in, and those it has are not
//! doubled. The mirror is OSV's hand-written Debian:12 fixtures (DSA-5532-1,
//! DEBIAN-CVE-2023-4039) plus `testdata/distro-advisories/debian-tracker/tracker.json`;
//! every expectation below is read off those files (provenance in the README there).

#[path = "support/distros.rs"]
mod distros;

use std::path::Path;

use distros::*;
use drydock_model::Status;

/// Builds the mirror and its database in `tmp`; returns the cache dir.
fn tracker_db(tmp: &Path) -> std::path::PathBuf {
    let osv = tmp.join("mirror/osv/Debian:12");
    std::fs::create_dir_all(&osv).expect("mkdir");
    for f in ["all.zip", "modified_id.csv"] {
        std::fs::copy(
            testdata("matcher/mirror/osv/Debian:12").join(f),
            osv.join(f),
        )
        .expect("copy");
    }
    let (cache, tracker) = db_with_feed_file(
        tmp,
        "distro-advisories/debian-tracker/tracker.json",
        "debian-tracker/tracker.json",
        "Debian tracker",
    );
    // Kept entries: chromium (bookworm, bullseye, buster, stretch), zlib, openssl,
    // gcc-12, bash, tar; prototypejs is resolved "0" everywhere and sid is no release.
    assert_eq!(tracker.entries, 9, "{tracker:?}");
    cache
}

/// A Debian rootfs: `os-release` for `version` and a dpkg status of (package, source, version).
fn debian_rootfs(dir: &Path, version: &str, codename: &str, pkgs: &[(&str, &str, &str)]) {
    let etc = dir.join("etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::write(
        etc.join("os-release"),
        format!(
            "PRETTY_NAME=\"Debian GNU/Linux {version} ({codename})\"\nNAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"{version}\"\nVERSION=\"{version} ({codename})\"\nVERSION_CODENAME={codename}\n\
             ID=debian\n"
        ),
    )
    .expect("os-release");
    let mut status = String::new();
    for (name, source, version) in pkgs {
        status.push_str(&format!(
            "Package: {name}\nStatus: install ok installed\nPriority: optional\nSection: misc\n\
             Installed-Size: 100\nMaintainer: Debian <debian@example.org>\nArchitecture: amd64\n"
        ));
        if source != name {
            status.push_str(&format!("Source: {source}\n"));
        }
        status.push_str(&format!("Version: {version}\nDescription: {name}\n\n"));
    }
    let dpkg = dir.join("var/lib/dpkg");
    std::fs::create_dir_all(&dpkg).expect("mkdir");
    std::fs::write(dpkg.join("status"), status).expect("status");
}

#[test]
fn debian_tracker_statuses_are_kept_per_release() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tracker_db(tmp.path());

    let bookworm = tmp.path().join("bookworm");
    debian_rootfs(
        &bookworm,
        "12",
        "bookworm",
        &[
            ("zlib1g", "zlib", "1:1.2.13.dfsg-1"),
            ("chromium", "chromium", "97.0.4692.99-1"),
            ("libssl3", "openssl", "3.0.11-1~deb12u1"),
            ("libgcc-s1", "gcc-12", "12.2.0-14"),
            ("bash", "bash", "5.2.15-2"),
            ("tar", "tar", "1.34+dfsg-1.2"),
        ],
    );
    let r = scan_rootfs_with(&bookworm, &cache);
    assert_eq!(
        status_lines(&r, false),
        vec![
            // Tracker: bash bookworm open, nodsa_reason "postponed".
            "bash CVE-2099-1001 [DEBIAN-TRACKER-CVE-2099-1001] [] fix_deferred",
            // Tracker only: bookworm resolved in 98.0.4758.80-1 (no OSV record for it).
            "chromium CVE-2022-0456 [DEBIAN-TRACKER-CVE-2022-0456] [98.0.4758.80-1] fixed",
            // OSV's no-fix record and the tracker's plain <no-dsa> agree: affected.
            "libgcc-s1 CVE-2023-4039 [DEBIAN-CVE-2023-4039,DEBIAN-TRACKER-CVE-2023-4039] [] affected",
            // DSA-5532-1 already has the pair: the tracker's copy is not added.
            "libssl3 CVE-2023-5363 [DSA-5532-1] [3.0.11-1~deb12u2] fixed",
            // Tracker: tar bookworm "undetermined".
            "tar CVE-2099-1002 [DEBIAN-TRACKER-CVE-2099-1002] [] under_investigation",
            // Tracker: zlib bookworm open, nodsa_reason "ignored".
            "zlib1g CVE-2023-45853 [DEBIAN-TRACKER-CVE-2023-45853] [] will_not_fix",
        ]
    );
    let zlib = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.package == "zlib1g")
        .expect("zlib finding");
    assert_eq!(zlib.status, Status::WillNotFix);
    let v = zlib.vendor_severity.as_ref().expect("urgency");
    assert_eq!(
        (v.source.as_str(), v.rating.as_str()),
        ("Debian urgency", "not yet assigned")
    );
    let reasons = &zlib.risk.as_ref().expect("risk").reasons;
    assert!(
        reasons.iter().any(|r| r == "vendor will not fix"),
        "{reasons:?}"
    );

    // Buster: no OSV data in this mirror, so the tracker alone covers it.
    let buster = tmp.path().join("buster");
    debian_rootfs(
        &buster,
        "10",
        "buster",
        &[
            ("chromium", "chromium", "89.0.4389.114-1~deb10u1"),
            ("libjs-prototype", "prototypejs", "1.7.1-3"),
        ],
    );
    let r = scan_rootfs_with(&buster, &cache);
    assert_eq!(
        status_lines(&r, false),
        // Tracker: chromium buster open with urgency "end-of-life"; prototypejs buster
        // resolved "0" (never affected).
        vec!["chromium CVE-2022-0456 [DEBIAN-TRACKER-CVE-2022-0456] [] end_of_life"]
    );
    let uncovered: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");
}
