//! `db update` with the CVE feeds at their publishers' URLs (served from 127.0.0.1 out of
//! testdata/feeds/published, in the exact published shapes): KEV JSON, EPSS `.csv.gz`,
//! NVD JSON 2.0 yearly + modified feeds read incrementally, and every feed optional.
//! Expected values are read off the fixture files (testdata/feeds/src, hand-checked).

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::time::Duration;

use drydock_vulndb::{
    Db, Event, FeedLocation, FeedState, FeedStatus, UpdateMode, UpdateOptions, UpdateReport, update,
};
use mirror::{copy_dir, served_opts};
use server::{Rule, Server};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// The matcher's OSV mirror (it references the CVEs the fixtures rate), with KEV, EPSS
/// and NVD from `srv`.
fn opts(srv: &Server, cache: &Path) -> UpdateOptions {
    let osv = testdata("matcher/mirror/osv");
    let mut o = UpdateOptions::new(osv.to_str().expect("utf-8"), cache);
    o.retries = 1;
    o.timeout = Duration::from_secs(5);
    o.kev = FeedLocation::At(srv.url("kev/known_exploited_vulnerabilities.json"));
    o.epss = FeedLocation::At(srv.url("epss/epss_scores-current.csv.gz"));
    o.nvd = FeedLocation::At(srv.url("nvd"));
    o
}

fn status<'a>(r: &'a UpdateReport, name: &str) -> &'a FeedStatus {
    r.feeds
        .statuses
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:#?}", r.feeds.statuses))
}

fn nvd_requests(srv: &Server) -> Vec<String> {
    srv.requests()
        .into_iter()
        .filter(|p| p.starts_with("/nvd/"))
        .collect()
}

fn cvss3(db: &Db, cve: &str) -> Option<(String, f64, Option<String>)> {
    db.cve(cve)
        .expect("query")
        .cvss3
        .map(|c| (c.vector, c.score, c.source))
}

#[test]
fn published_feeds_join_and_nvd_updates_incrementally() {
    let served = tempfile::tempdir().expect("tmp");
    copy_dir(&testdata("feeds/published"), served.path());
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(&srv, cache.path());

    let r = update(&o).expect("first update");
    assert!(r.feeds.warnings.is_empty(), "{:?}", r.feeds.warnings);
    // kev: dateReleased 2025-08-25T17:04:19.9796Z, count 3.
    let kev = status(&r, "KEV");
    assert_eq!(
        (kev.date.as_deref(), kev.entries, kev.state),
        (Some("2025-08-25"), 3, FeedState::Fresh)
    );
    // epss: `score_date:2026-11-30T12:55:00+0000`, five rows.
    let epss = status(&r, "EPSS");
    assert_eq!(
        (epss.date.as_deref(), epss.entries),
        (Some("2026-11-30"), 5)
    );
    // nvd: 2020 rates 1967, 1971, 28928 (0002 has only CVSS v2, 0003 is rejected);
    // 2021 rates 4; 2023 one; modified adds CVE-2021-3449: 9 CVEs. Newest timestamp
    // is the modified feed's 2026-12-01T01:00:00.000.
    let nvd = status(&r, "NVD CVSS");
    assert_eq!(
        (nvd.date.as_deref(), nvd.entries, r.feeds.nvd),
        (Some("2026-12-01"), 9, 9)
    );
    let year_metas = nvd_requests(&srv)
        .iter()
        .filter(|p| p.ends_with(".meta"))
        .count();
    let this_year: usize = drydock_vulndb::today_utc()[..4].parse().expect("year");
    assert_eq!(
        year_metas,
        this_year - 2002 + 1 + 1,
        "every year + modified"
    );

    let db = Db::open_cache(cache.path()).expect("open");
    let nvd_v3 = |v: &str, s: f64, who: &str| Some((v.to_owned(), s, Some(who.to_owned())));
    assert_eq!(
        cvss3(&db, "CVE-2020-1971"),
        nvd_v3("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", 5.9, "NVD")
    );
    // Only a Secondary (CNA) metric: republished by NVD.
    assert_eq!(
        cvss3(&db, "CVE-2021-36159"),
        nvd_v3(
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H",
            9.1,
            "CNA via NVD"
        )
    );
    // Secondary listed first, Primary (NVD's own, 7.5) preferred.
    assert_eq!(cvss3(&db, "CVE-2021-30139").map(|c| c.1), Some(7.5));
    let c3449 = db.cve("CVE-2021-3449").expect("query");
    assert_eq!(c3449.cvss4.map(|c| c.score), Some(8.2));
    // The mirror's own cvss/cvss.jsonl (CISA-ADP) wins over NVD for the same CVE.
    assert_eq!(
        cvss3(&db, "CVE-2023-44487").and_then(|c| c.2).as_deref(),
        Some("CISA-ADP")
    );
    // EPSS and KEV come from the published files, not the mirror's epss/ and kev/.
    let c1971 = db.cve("CVE-2020-1971").expect("query");
    assert_eq!(
        c1971.epss.map(|e| (e.score, e.percentile)),
        Some((0.08123, 0.94))
    );
    let log4j = db.cve("CVE-2021-44228").expect("query");
    assert_eq!(
        log4j.kev.map(|k| k.date_added).as_deref(),
        Some("2021-12-10")
    );
    // `db status` shows what the build used.
    let st = drydock_vulndb::status(cache.path()).expect("status");
    assert_eq!(st.feeds, r.feeds.statuses);
    drop(db);

    // Nothing changed: NVD is asked only for its modified feed's .meta.
    srv.clear_log();
    let again = update(&o).expect("second update");
    assert_eq!(again.mode, UpdateMode::UpToDate);
    assert_eq!(nvd_requests(&srv), ["/nvd/nvdcve-2.0-modified.meta"]);

    // A new modified feed: only it is downloaded; it rejects CVE-2021-23839 and
    // rescores CVE-2020-28928 to 7.5.
    copy_dir(&served.path().join("nvd-next"), &served.path().join("nvd"));
    srv.clear_log();
    let third = update(&o).expect("third update");
    assert_eq!(third.mode, UpdateMode::Incremental);
    assert_eq!(
        nvd_requests(&srv),
        [
            "/nvd/nvdcve-2.0-modified.meta",
            "/nvd/nvdcve-2.0-modified.json.gz"
        ]
    );
    let db = Db::open_cache(cache.path()).expect("open");
    assert_eq!(cvss3(&db, "CVE-2021-23839"), None);
    assert_eq!(cvss3(&db, "CVE-2020-28928").map(|c| c.1), Some(7.5));
    assert_eq!(status(&third, "NVD CVSS").entries, 8);
    drop(db);

    // Publishers unreachable: one warning each, the copies fetched last time are used
    // and the database keeps its data.
    for suffix in [
        "known_exploited_vulnerabilities.json",
        "epss_scores-current.csv.gz",
        "nvdcve-2.0-modified.meta",
    ] {
        srv.rule(suffix, Rule::Status(503));
    }
    let down = update(&o).expect("update with feeds down");
    assert_eq!(down.feeds.warnings.len(), 3, "{:?}", down.feeds.warnings);
    assert!(
        down.feeds.warnings[0].contains("using the copy of 2025-08-25"),
        "{:?}",
        down.feeds.warnings
    );
    for name in ["KEV", "EPSS", "NVD CVSS"] {
        assert_eq!(status(&down, name).state, FeedState::Cached, "{name}");
    }
    assert_eq!(down.mode, UpdateMode::UpToDate, "same data as before");
}

#[test]
fn unreachable_or_corrupt_feeds_without_a_copy_do_not_fail_the_build() {
    let served = tempfile::tempdir().expect("tmp");
    copy_dir(&testdata("feeds/published"), served.path());
    // A .meta whose digest does not match its feed: the download is not trusted.
    let meta = served.path().join("nvd/nvdcve-2.0-2021.meta");
    let text = std::fs::read_to_string(&meta).expect("meta");
    let sha = text
        .lines()
        .find_map(|l| l.strip_prefix("sha256:"))
        .expect("sha line")
        .to_owned();
    std::fs::write(&meta, text.replace(&sha, &"0".repeat(64))).expect("write");
    let srv = Server::start(served.path());
    srv.rule("known_exploited_vulnerabilities.json", Rule::Status(404));
    srv.rule("epss_scores-current.csv.gz", Rule::Status(503));
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&opts(&srv, cache.path())).expect("update succeeds");
    assert_eq!(r.mode, UpdateMode::Full);
    assert_eq!(r.feeds.warnings.len(), 3, "{:?}", r.feeds.warnings);
    assert!(
        r.feeds
            .warnings
            .iter()
            .all(|w| w.contains("continuing without it"))
    );
    assert!(
        r.feeds.warnings[2].contains("does not match its .meta"),
        "{}",
        r.feeds.warnings[2]
    );
    for name in ["KEV", "EPSS", "NVD CVSS"] {
        assert_eq!(status(&r, name).state, FeedState::Unavailable, "{name}");
    }
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(db.cve("CVE-2021-44228").expect("q").kev.is_none());
    assert_eq!(cvss3(&db, "CVE-2020-1971"), None);
}

/// The Debian security tracker's export at its published path (`/tracker/data/json`):
/// its statuses are stored per (release, source package), and a download that is cut
/// off keeps the copy fetched before, with a warning. Counts read off
/// testdata/distro-advisories/debian-tracker/tracker.json (its README lists the entries).
#[test]
fn published_debian_tracker_is_kept_and_falls_back_to_its_last_copy() {
    let served = tempfile::tempdir().expect("tmp");
    let json = served.path().join("tracker/data");
    std::fs::create_dir_all(&json).expect("mkdir");
    std::fs::copy(
        testdata("distro-advisories/debian-tracker/tracker.json"),
        json.join("json"),
    )
    .expect("copy");
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.debian_tracker = FeedLocation::At(srv.url("tracker/data/json"));
    let zlib_status = |cache: &Path| {
        let db = Db::open_cache(cache).expect("open");
        db.advisories_for("Debian:12", "zlib")
            .expect("query")
            .into_iter()
            .map(|e| (e.advisory_id, e.vendor_status))
            .collect::<Vec<_>>()
    };
    let want = vec![(
        "DEBIAN-TRACKER-CVE-2023-45853".to_owned(),
        Some("will_not_fix".to_owned()),
    )];

    let r = update(&o).expect("first update");
    let t = status(&r, "Debian tracker");
    assert_eq!((t.entries, t.state), (9, FeedState::Fresh));
    assert_eq!(zlib_status(cache.path()), want);

    cut_off_keeps_the_copy(&srv, "tracker/data/json", &mut o, "Debian tracker", 9);
    assert_eq!(zlib_status(cache.path()), want);
}

/// Alpine edge's secdb from Alpine's folder (here the trimmed real files, served as
/// secdb.alpinelinux.org/edge/ serves them): read fresh, kept, and its last copy used when
/// a file is cut off in transit, so edge stays covered. Counts as in the scanner's edge
/// test (testdata/distro-advisories/README.md).
#[test]
fn published_alpine_edge_secdb_is_kept_and_falls_back_to_its_last_copy() {
    let srv = Server::start(&testdata("distro-advisories/alpine-secdb"));
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.alpine_edge = FeedLocation::At(srv.url("edge"));
    let busybox = |cache: &Path| {
        let db = Db::open_cache(cache).expect("open");
        assert!(db.has_ecosystem("Alpine:edge").expect("query"));
        db.advisories_for("Alpine:edge", "busybox")
            .expect("query")
            .len()
    };
    let r = update(&o).expect("first update");
    let main = status(&r, "Alpine edge secdb (main)");
    assert_eq!((main.entries, main.state), (86, FeedState::Fresh));
    assert_eq!(main.source, srv.url("edge/main.json"));
    let community = status(&r, "Alpine edge secdb (community)");
    assert_eq!(
        (community.entries, community.state),
        (128, FeedState::Fresh)
    );
    assert_eq!(busybox(cache.path()), 25);

    cut_off_keeps_the_copy(
        &srv,
        "edge/main.json",
        &mut o,
        "Alpine edge secdb (main)",
        86,
    );
    assert_eq!(busybox(cache.path()), 25);

    o.alpine_edge = FeedLocation::Off;
    let r = update(&o).expect("update with edge off");
    assert_eq!(status(&r, "Alpine edge secdb (main)").state, FeedState::Off);
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(!db.has_ecosystem("Alpine:edge").expect("query"));
}

/// Cuts the feed file at `path` off in transit and updates again: feed `name` keeps the
/// copy read before (its `entries`, state `Cached`, a "not updated" warning).
fn cut_off_keeps_the_copy(
    srv: &Server,
    path: &str,
    o: &mut UpdateOptions,
    name: &str,
    entries: usize,
) {
    srv.rule(path, Rule::Truncate);
    o.full = true;
    let r = update(o).expect("update after the cut");
    let t = status(&r, name);
    assert_eq!((t.entries, t.state), (entries, FeedState::Cached));
    let warned = format!("{name} feed not updated");
    assert!(
        r.feeds.warnings.iter().any(|w| w.starts_with(&warned)),
        "{:?}",
        r.feeds.warnings
    );
}

/// What one vendor's VEX test checks: the feed `name`, the archive's path on the server,
/// the entries and date it states, and one (ecosystem, package) lookup with its `want`.
struct VexCase<'a> {
    name: &'a str,
    archive: &'a str,
    entries: usize,
    date: &'a str,
    lookup: (&'a str, &'a str),
    want: (&'a str, &'a str),
}

/// `db update` with the options `o` (pointed at `srv`), then again with the archive cut
/// off in transit: read fresh, then from the copy read before, with the same lookup.
fn fresh_then_from_last_copy(srv: &Server, mut o: UpdateOptions, c: &VexCase) {
    let cache = o.cache_dir.clone();
    let lookup = || {
        let db = Db::open_cache(&cache).expect("open");
        db.advisories_for(c.lookup.0, c.lookup.1)
            .expect("query")
            .into_iter()
            .map(|e| (e.advisory_id, e.vendor_status, e.ranges.len()))
            .collect::<Vec<_>>()
    };
    let want = vec![(c.want.0.to_owned(), Some(c.want.1.to_owned()), 1)];

    let r = update(&o).expect("first update");
    let t = status(&r, c.name);
    assert_eq!((t.entries, t.state), (c.entries, FeedState::Fresh));
    assert_eq!(t.date.as_deref(), Some(c.date));
    assert_eq!(lookup(), want);

    cut_off_keeps_the_copy(srv, c.archive, &mut o, c.name, c.entries);
    assert_eq!(lookup(), want);
}

/// Red Hat's VEX folder as Red Hat publishes it (`archive_latest.txt` naming a `tar.zst` of
/// `<year>/cve-*.json`), built from testdata/distro-advisories/redhat-vex: its seven unfixed
/// RHEL components are stored with their statuses under `Red Hat VEX:` ecosystems by
/// source rpm, and an archive cut off in transit keeps the copy read before.
#[test]
fn published_redhat_vex_is_read_through_archive_latest_and_kept() {
    let served = tempfile::tempdir().expect("tmp");
    let dir = served.path().join("data/csaf/v2/vex");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_dir_all(".", testdata("distro-advisories/redhat-vex"))
        .expect("tar");
    let zst = zstd::encode_all(&tar.into_inner().expect("tar")[..], 3).expect("zstd");
    let name = "csaf_vex_2099-04-01.tar.zst";
    std::fs::write(dir.join(name), zst).expect("write");
    std::fs::write(dir.join("archive_latest.txt"), format!("{name}\n")).expect("write");
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.redhat_vex = FeedLocation::At(srv.url("data/csaf/v2/vex"));
    let archive = format!("data/csaf/v2/vex/{name}");
    let case = VexCase {
        name: "Red Hat VEX",
        archive: &archive,
        entries: 7,
        date: "2099-04-01",
        lookup: ("Red Hat VEX:enterprise_linux:9", "openssl"),
        want: ("REDHAT-VEX-CVE-2099-1001", "will_not_fix"),
    };
    fresh_then_from_last_copy(&srv, o, &case);
}

/// Canonical's CVE listing at the Security API's path (`/security/cves.json`), here the
/// merged pages of testdata/distro-advisories/ubuntu-tracker/cves.json: its statuses are
/// stored per release stream with Ubuntu's priority, an ESM fix under `Ubuntu:Pro:`, a
/// listing cut off keeps the copy read before, and a file of a single page of the API
/// says that it is one. Entries and statuses read off that file's README.
#[test]
fn published_ubuntu_tracker_is_kept_and_a_single_page_file_is_told() {
    let served = tempfile::tempdir().expect("tmp");
    let dir = served.path().join("security");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let listing = testdata("distro-advisories/ubuntu-tracker/cves.json");
    std::fs::copy(&listing, dir.join("cves.json")).expect("copy");
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.ubuntu_tracker = FeedLocation::At(srv.url("security/cves.json"));
    let stored = |cache: &Path, eco: &str, pkg: &str| {
        let db = Db::open_cache(cache).expect("open");
        db.advisories_for(eco, pkg)
            .expect("query")
            .into_iter()
            .map(|e| {
                let fixed: Vec<String> = (e.ranges.iter().flat_map(|r| &r.events))
                    .filter_map(|ev| match ev {
                        Event::Fixed(v) => Some(v.clone()),
                        _ => None,
                    })
                    .collect();
                (e.advisory_id, e.vendor_status, e.vendor_rating, fixed)
            })
            .collect::<Vec<_>>()
    };
    let s = |v: &str| Some(v.to_owned());
    let zlib = vec![
        (
            "UBUNTU-TRACKER-CVE-2099-2002".to_owned(),
            s("will_not_fix"),
            s("negligible"),
            vec![],
        ),
        (
            "UBUNTU-TRACKER-CVE-2099-2004".to_owned(),
            None,
            s("high"),
            vec![],
        ),
    ];
    let esm = vec![(
        "UBUNTU-TRACKER-CVE-2099-2001".to_owned(),
        None,
        s("low"),
        vec!["1.1.1-1ubuntu2.1~18.04.24+esm1".to_owned()],
    )];

    let r = update(&o).expect("first update");
    let t = status(&r, "Ubuntu tracker");
    assert_eq!((t.entries, t.state), (14, FeedState::Fresh));
    // Merged already (`total_results` = the CVEs it holds): read once, not paged.
    assert!(t.source.ends_with("(1 page, 10 CVEs)"), "{}", t.source);
    assert_eq!(stored(cache.path(), "Ubuntu:22.04:LTS", "zlib"), zlib);
    assert_eq!(stored(cache.path(), "Ubuntu:Pro:18.04:LTS", "openssl"), esm);
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(db.has_ecosystem("Ubuntu:18.04:LTS").expect("query"));
    // focal is only `not-affected` there: no records, so not covered by the tracker.
    assert!(!db.has_ecosystem("Ubuntu:20.04:LTS").expect("query"));
    drop(db);

    cut_off_keeps_the_copy(&srv, "security/cves.json", &mut o, "Ubuntu tracker", 14);
    assert_eq!(stored(cache.path(), "Ubuntu:22.04:LTS", "zlib"), zlib);

    // One page of the API saved as a file (a file is not paged): read, and said to be
    // partial. Paging the served API: tests/ubuntu_feed.rs.
    let mut page: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&listing).expect("read")).expect("json");
    page["cves"].as_array_mut().expect("cves").truncate(2);
    page["total_results"] = 310_000.into();
    let file = served.path().join("one-page.json");
    std::fs::write(&file, page.to_string()).expect("write");
    o.ubuntu_tracker = FeedLocation::At(file.display().to_string());
    let r = update(&o).expect("third update");
    assert_eq!(status(&r, "Ubuntu tracker").state, FeedState::Fresh);
    assert!(
        r.feeds
            .warnings
            .iter()
            .any(|w| w.contains("holds 2 of the 310000 CVEs")),
        "{:?}",
        r.feeds.warnings
    );
}

/// SUSE's VEX folder as SUSE publishes it (`csaf-vex.tar.bz2` of `csaf-vex/cve-*.json`),
/// built from testdata/distro-advisories/suse-vex: its fourteen unfixed rpms of the kept
/// products (2 + 1 + 2 + 1 + 2 + 2 + 1 + 3, by its README) are stored with their statuses under `SUSE VEX:` ecosystems by binary
/// rpm, and an archive cut off in transit keeps the copy read before.
#[test]
fn published_suse_vex_is_read_from_its_folder_and_kept() {
    let served = tempfile::tempdir().expect("tmp");
    let dir = served.path().join("pub/projects/security/csaf-vex");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_dir_all("csaf-vex", testdata("distro-advisories/suse-vex"))
        .expect("tar");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    std::io::Write::write_all(&mut bz, &tar.into_inner().expect("tar")).expect("bzip2");
    std::fs::write(dir.join("csaf-vex.tar.bz2"), bz.finish().expect("bzip2")).expect("write");
    let srv = Server::start(served.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = served_opts(cache.path());
    o.suse_vex = FeedLocation::At(srv.url("pub/projects/security/csaf-vex/"));
    let case = VexCase {
        name: "SUSE VEX",
        archive: "pub/projects/security/csaf-vex/csaf-vex.tar.bz2",
        entries: 14,
        date: "2099-03-15",
        lookup: ("SUSE VEX:Linux Enterprise Server 15 SP3", "libz1"),
        want: ("SUSE-VEX-CVE-2099-3101", "will_not_fix"),
    };
    fresh_then_from_last_copy(&srv, o, &case);
}
