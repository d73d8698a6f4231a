//! Alpine edge, which OSV has no ecosystem for, matched under drydock's `Alpine:edge` from
//! secdb's `edge/{main,community}.json` (a trimmed real copy of 2024-12-31 in
//! `testdata/distro-advisories/alpine-secdb/edge/`), and reported not covered when the
//! mirror has no edge files. The rootfs is `testdata/distros/alpine-edge` (its apk database
//! is written by `make_pkgdbs.sh`); every expected finding was worked out by hand from
//! those two files in apk version order.

#[path = "support/distros.rs"]
mod distros;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use distros::*;
use drydock_model::NotCovered;

/// A mirror of OSV's real `Alpine:v3.10` fixture (as an edge user's mirror holds OSV's
/// Alpine releases), plus secdb's edge files when `edge`; returns the cache dir and the
/// update's report.
fn edge_db(tmp: &Path, edge: bool) -> (PathBuf, drydock_vulndb::UpdateReport) {
    let opts = edge_mirror(tmp, edge);
    let report = drydock_vulndb::update(&opts).expect("build DB");
    assert!(report.bad_records.is_empty(), "{:?}", report.bad_records);
    (opts.cache_dir, report)
}

/// The update options for `edge_db`'s mirror, built in `tmp`.
fn edge_mirror(tmp: &Path, edge: bool) -> drydock_vulndb::UpdateOptions {
    let osv = tmp.join("mirror/osv/Alpine:v3.10");
    std::fs::create_dir_all(&osv).expect("mkdir");
    for f in ["all.zip", "modified_id.csv"] {
        std::fs::copy(
            testdata("matcher/mirror/osv/Alpine:v3.10").join(f),
            osv.join(f),
        )
        .expect("copy");
    }
    if edge {
        let to = tmp.join("mirror/alpine-secdb/edge");
        std::fs::create_dir_all(&to).expect("mkdir");
        for f in ["main.json", "community.json"] {
            std::fs::copy(
                testdata("distro-advisories/alpine-secdb/edge").join(f),
                to.join(f),
            )
            .expect("copy secdb");
        }
    }
    let cache = tmp.join("cache");
    drydock_vulndb::UpdateOptions::new(tmp.join("mirror/osv").to_str().expect("utf8"), &cache)
}

/// The (package, id, installed, fixed) findings Trivy 0.76 gave on the same rootfs with a
/// DB of the same two files (`edge.trivy.json`, how it was run in the README there).
fn trivy_findings() -> BTreeSet<[String; 4]> {
    let trivy: Vec<[String; 4]> = serde_json::from_slice(
        &std::fs::read(testdata("distro-advisories/alpine-secdb/edge.trivy.json"))
            .expect("trivy findings"),
    )
    .expect("trivy json");
    trivy.into_iter().collect()
}

fn our_findings(r: &drydock_model::Report) -> BTreeSet<[String; 4]> {
    r.vulnerabilities
        .iter()
        .flatten()
        .map(|f| {
            [
                f.package.clone(),
                f.id.clone(),
                f.installed_version.clone(),
                f.fixed_versions.join(","),
            ]
        })
        .collect()
}

#[test]
fn edge_is_matched_from_secdb() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cache, report) = edge_db(tmp.path(), true);
    let entries = |name: &str| {
        let s = report.feeds.statuses.iter().find(|s| s.name == name);
        s.map(|s| (s.entries, s.state))
    };
    // Distinct CVE ids per package under versions other than "0" (counted with Python's
    // json and re over the two files): main 86 (apk-tools 2, busybox 25, musl 3,
    // openssl 52, xz 2, zlib 2; the "0" entries of busybox 3, openssl 5 and zlib 2 and
    // busybox's ALPINE-13661 left out), community 128 (go 97 with 4 under "0" left out,
    // redis 31).
    let fresh = drydock_vulndb::FeedState::Fresh;
    assert_eq!(entries("Alpine edge secdb (main)"), Some((86, fresh)));
    assert_eq!(entries("Alpine edge secdb (community)"), Some((128, fresh)));
    let r = scan_rootfs_with(&testdata("distros/alpine-edge"), &cache);
    assert_eq!(
        r.os.as_ref().and_then(|o| o.variant.as_deref()),
        Some("edge")
    );
    assert_eq!(
        findings(&r),
        set(&[
            // 1.36.1-r29 < r30; r25 and r27's fixes are in.
            "busybox ALPINE-SECDB-CVE-2023-42364 [1.36.1-r30] Fixed",
            "busybox ALPINE-SECDB-CVE-2023-42365 [1.36.1-r30] Fixed",
            // By origin openssl: 3.3.2-r1 < 3.3.2-r3, > 3.3.2-r0 (CVE-2024-6119).
            "libcrypto3 ALPINE-SECDB-CVE-2024-9143 [3.3.2-r3] Fixed",
            "libssl3 ALPINE-SECDB-CVE-2024-9143 [3.3.2-r3] Fixed",
            // By origin xz: 5.6.1-r1 < 5.6.1-r2.
            "xz-libs ALPINE-SECDB-CVE-2024-3094 [5.6.1-r2] Fixed",
            // 1.23.0-r0 < 1.23.1-r0; 1.9.4-r0 is older (numeric, not string, order).
            "go ALPINE-SECDB-CVE-2024-34155 [1.23.1-r0] Fixed",
            "go ALPINE-SECDB-CVE-2024-34156 [1.23.1-r0] Fixed",
            "go ALPINE-SECDB-CVE-2024-34158 [1.23.1-r0] Fixed",
            "redis ALPINE-SECDB-CVE-2024-31227 [7.2.5-r1] Fixed",
            "redis ALPINE-SECDB-CVE-2024-31228 [7.2.5-r1] Fixed",
            "redis ALPINE-SECDB-CVE-2024-31449 [7.2.5-r1] Fixed",
            // Not: musl 1.2.2-r0 is after 1.2.2_pre2-r0 (a pre-release), zlib and
            // apk-tools are past every fix, and "0" entries never affected anything.
        ])
    );
    check_coverage(&r, drydock_vulndb::ALPINE_EDGE);
    // The second tool.
    assert_eq!(our_findings(&r), trivy_findings());
}

/// `--ecosystems Alpine:edge` names drydock's own ecosystem: there is no OSV zip to
/// fetch, the edge files are read even with no Alpine release in the build, and a
/// mirror without them is an error naming the file, not a skipped optional feed.
#[test]
fn edge_named_alone_is_built_from_secdb_and_needs_its_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut opts = edge_mirror(tmp.path(), true);
    opts.ecosystems = Some(vec![drydock_vulndb::ALPINE_EDGE.to_owned()]);
    let report = drydock_vulndb::update(&opts).expect("build DB");
    assert!(report.ecosystems.is_empty(), "{:?}", report.ecosystems);
    let r = scan_rootfs_with(&testdata("distros/alpine-edge"), &opts.cache_dir);
    check_coverage(&r, drydock_vulndb::ALPINE_EDGE);
    assert_eq!(our_findings(&r), trivy_findings());

    let tmp = tempfile::tempdir().expect("tmp");
    let mut opts = edge_mirror(tmp.path(), false);
    opts.ecosystems = Some(vec![drydock_vulndb::ALPINE_EDGE.to_owned()]);
    let err = drydock_vulndb::update(&opts)
        .expect_err("edge files absent")
        .to_string();
    assert!(err.contains("alpine-secdb/edge/main.json"), "{err}");
}

#[test]
fn edge_without_its_secdb_is_not_covered() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cache, report) = edge_db(tmp.path(), false);
    // The build has an Alpine release, so edge's absent files are named.
    for repo in ["main.json", "community.json"] {
        let want = format!("alpine-secdb/edge/{repo}");
        assert!(
            report.feeds.missing.iter().any(|m| m.ends_with(&want)),
            "{:?}",
            report.feeds.missing
        );
    }
    let r = scan_rootfs_with(&testdata("distros/alpine-edge"), &cache);
    assert!(r.vulnerabilities.iter().flatten().next().is_none());
    assert_eq!(
        r.not_covered,
        [NotCovered::new(
            "Alpine:edge",
            "no advisory data in the database; OS packages not checked for vulnerabilities"
        )]
    );
}
