//! Fedora, which OSV has no ecosystem for, matched under drydock's `Fedora:<release>` from
//! the security updates of each release's `updates` repository (`updateinfo.xml`, found
//! through `repodata/repomd.xml`), laid out in a mirror's `fedora/` folder as Fedora lays
//! out its `updates` folder. The fixture repositories (`testdata/distro-advisories/fedora/`,
//! hand-written in Fedora's shape, written by its `make.sh`: 38's compressed with xz, 37's
//! with zstd) and the rootfs `testdata/distros/fedora-38` (bash 5.2.15-3.fc38, curl-minimal
//! and libcurl-minimal 8.0.1-1.fc38, openssl-libs 1:3.0.8-1.fc38, as `rpm -qa` lists them);
//! every expected finding below was worked out by hand from `src/38-updateinfo.xml`.

#[path = "support/distros.rs"]
mod distros;

use std::path::Path;

use distros::*;
use drydock_model::NotCovered;

/// Copies the tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// A mirror with OSV's real `Alpine:v3.10` fixture (a build needs one OSV ecosystem) and,
/// when `fedora`, the Fedora repositories of releases 37 and 38 in `fedora/`.
fn fedora_db(tmp: &Path, fedora: bool) -> (std::path::PathBuf, drydock_vulndb::UpdateReport) {
    let osv = tmp.join("mirror/osv/Alpine:v3.10");
    std::fs::create_dir_all(&osv).expect("mkdir");
    copy_tree(&testdata("matcher/mirror/osv/Alpine:v3.10"), &osv);
    if fedora {
        for rel in ["37", "38"] {
            let to = tmp.join("mirror/fedora").join(rel);
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_tree(&testdata("distro-advisories/fedora").join(rel), &to);
        }
    }
    let cache = tmp.join("cache");
    let opts =
        drydock_vulndb::UpdateOptions::new(tmp.join("mirror/osv").to_str().expect("utf8"), &cache);
    let report = drydock_vulndb::update(&opts).expect("build DB");
    assert!(report.bad_records.is_empty(), "{:?}", report.bad_records);
    (cache, report)
}

#[test]
fn fedora_is_matched_from_its_updates_repository() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cache, report) = fedora_db(tmp.path(), true);
    // 38: four security updates (the bugfix one is not imported); 37: one.
    let st = report
        .feeds
        .statuses
        .iter()
        .find(|s| s.name == "Fedora updates");
    assert_eq!(
        st.map(|s| s.entries),
        Some(5),
        "{:?}",
        report.feeds.statuses
    );
    let r = scan_rootfs_with(&testdata("distros/fedora-38"), &cache);
    assert_eq!(
        packages(&r),
        set(&[
            "bash=5.2.15-3.fc38",
            "curl-minimal=8.0.1-1.fc38",
            "libcurl-minimal=8.0.1-1.fc38",
            "openssl-libs=1:3.0.8-1.fc38",
        ])
    );
    assert_eq!(
        findings(&r),
        set(&[
            // 8.0.1-1 < 8.0.1-5, both binary rpms of the curl update.
            "curl-minimal FEDORA-2099-0a1b2c3d4e [0:8.0.1-5.fc38] Fixed",
            "libcurl-minimal FEDORA-2099-0a1b2c3d4e [0:8.0.1-5.fc38] Fixed",
            // 5.2.15-3 < 5.2.15-5; the Low update's 5.2.15-1 is older than the installed
            // build, the bugfix update's 5.2.15-9 is not a security update, and 37's
            // 5.2.15-7.fc37 is another release's.
            "bash FEDORA-2099-1b2c3d4e5f [0:5.2.15-5.fc38] Fixed",
            // Epoch 1 on both sides: 3.0.8-1 < 3.0.9-2.
            "openssl-libs FEDORA-2099-3d4e5f6a7b [1:3.0.9-2.fc38] Fixed",
        ])
    );
    assert_eq!(
        vendor_ratings(&r),
        set(&[
            "FEDORA-2099-0a1b2c3d4e Fedora severity: important",
            "FEDORA-2099-1b2c3d4e5f Fedora severity: moderate",
            "FEDORA-2099-3d4e5f6a7b Fedora severity: critical",
        ])
    );
    let curl = r
        .vulnerabilities
        .iter()
        .flatten()
        .find(|f| f.package == "curl-minimal")
        .expect("curl finding");
    assert_eq!(curl.aliases, ["CVE-2099-3801", "CVE-2099-3802"]);
    assert_eq!(
        curl.url,
        "https://bodhi.fedoraproject.org/updates/FEDORA-2099-0a1b2c3d4e"
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, "Fedora:38", "{f:?}");
    }
    assert!(
        r.not_covered.iter().all(|n| n.scanned),
        "{:?}",
        r.not_covered
    );
}

#[test]
fn fedora_without_its_updates_is_not_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cache, _) = fedora_db(tmp.path(), false);
    let r = scan_rootfs_with(&testdata("distros/fedora-38"), &cache);
    assert!(r.vulnerabilities.iter().flatten().next().is_none());
    let unscanned: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert_eq!(
        unscanned,
        [&NotCovered::new(
            "Fedora:38",
            "no advisory data in the database; OS packages not checked for vulnerabilities"
        )]
    );
}
