//! `db update` with Broadcom's Photon OS OVAL files read from the publisher (served from
//! 127.0.0.1 in packages.broadcom.com's layout, `photon/photon_oval_definitions/<file>.gz`)
//! and from a mirror's `oval/photon/`: testdata's HAND-WRITTEN
//! `oval/photon/com.vmware.phsa-photon4.xml` (provenance in
//! testdata/distro-advisories/README.md), gzipped. Expected values are read off that file.
//! (A file of its own: public_feeds.rs, beside the other served feeds, is at its size limit.)

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::{Path, PathBuf};

use drydock_vulndb::{Db, Event, FeedLocation, FeedState, FeedStatus, UpdateReport, update};
use mirror::served_opts;
use server::{Rule, Server};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// Broadcom's Photon OS OVAL folder (`photon/photon_oval_definitions/`) serving the gzip
/// of testdata's HAND-WRITTEN `com.vmware.phsa-photon4.xml` and no file for 3 or 5: its
/// 12 entries are read (newest issue date 2024-06-20), zlib's two are stored under
/// `Photon OS:4.0` with VMware's severity (the matcher's OSV mirror has no Photon records
/// to leave them to), the missing releases are unavailable, and the file cut off in
/// transit keeps the copy read before; the same file in a mirror gives the same entries.
#[test]
fn photon_oval_from_broadcom_or_a_mirror() {
    let served = tempfile::tempdir().expect("tmp");
    let dir = served.path().join("photon/photon_oval_definitions");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let xml = std::fs::read(testdata(
        "distro-advisories/oval/photon/com.vmware.phsa-photon4.xml",
    ))
    .expect("fixture");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &xml).expect("gzip");
    let file = "com.vmware.phsa-photon4.xml.gz";
    let gz = gz.finish().expect("gzip");
    std::fs::write(dir.join(file), &gz).expect("write");
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.photon_oval = FeedLocation::At(srv.url("photon/photon_oval_definitions"));
    let photon = |r: &UpdateReport| {
        let of = |s: &FeedStatus| s.source.rsplit('/').next().unwrap_or_default().to_owned();
        let rows = r
            .feeds
            .statuses
            .iter()
            .filter(|s| s.name == "Photon OS OVAL");
        let row = |s: &FeedStatus| (of(s), s.entries, s.state, s.date.clone());
        rows.map(row).collect::<Vec<_>>()
    };
    let zlib_in = |cache: &Path| {
        let db = Db::open_cache(cache).expect("open");
        let rows = db.advisories_for("Photon OS:4.0", "zlib").expect("query");
        let row = |e: drydock_vulndb::AffectedEntry| {
            let rating = e.vendor_rating.unwrap_or_default();
            (e.advisory_id, e.ranges[0].events.clone(), rating)
        };
        let mut rows: Vec<_> = rows.into_iter().map(row).collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    let zlib = || zlib_in(cache.path());
    let fixed = |v: &str| vec![Event::Introduced("0".into()), Event::Fixed(v.into())];
    let want = vec![
        (
            "PHOTON-OVAL-CVE-2099-4003".to_owned(),
            fixed("0:1.2.13-1.ph4"),
            "critical".to_owned(),
        ),
        (
            "PHOTON-OVAL-CVE-2099-4004".to_owned(),
            fixed("0:1.2.13-2.ph4"),
            "moderate".to_owned(),
        ),
    ];
    let at = |n: u8, entries, state, date: Option<&str>| {
        let file = format!("com.vmware.phsa-photon{n}.xml.gz");
        (file, entries, state, date.map(str::to_owned))
    };

    let r = update(&o).expect("first update");
    assert_eq!(
        photon(&r),
        [
            at(3, 0, FeedState::Unavailable, None),
            at(4, 12, FeedState::Fresh, Some("2024-06-20")),
            at(5, 0, FeedState::Unavailable, None),
        ]
    );
    assert_eq!(r.feeds.photon_oval, 12);
    assert_eq!(zlib(), want);

    srv.rule(file, Rule::Truncate);
    o.full = true;
    let r = update(&o).expect("update after the cut");
    let kept = at(4, 12, FeedState::Cached, Some("2024-06-20"));
    assert_eq!(photon(&r)[1], kept);
    let warned = format!("Photon OS OVAL {file} feed not updated (");
    let w = &r.feeds.warnings;
    assert!(
        w.iter()
            .any(|l| l.starts_with(&warned) && l.ends_with("using the copy of 2024-06-20")),
        "{w:?}"
    );
    assert_eq!(zlib(), want);

    // The same `.gz` in a mirror's `oval/photon/` (the feeds root): the same entries.
    let mirror = tempfile::tempdir().expect("tmp");
    let oval = mirror.path().join("oval/photon");
    std::fs::create_dir_all(&oval).expect("mkdir");
    std::fs::write(oval.join(file), &gz).expect("write");
    let from_mirror = tempfile::tempdir().expect("tmp");
    let mut m = served_opts(from_mirror.path());
    m.feeds_root = Some(mirror.path().display().to_string());
    let r = update(&m).expect("mirror build");
    assert_eq!(
        photon(&r),
        [at(4, 12, FeedState::Fresh, Some("2024-06-20"))]
    );
    assert_eq!(zlib_in(from_mirror.path()), want);
}
