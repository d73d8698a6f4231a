//! `db update` with Amazon's ALAS and Oracle's ELSA read from the vendors (served from
//! 127.0.0.1 in the vendors' URL layout): each release's `mirror.list` -> `repomd.xml` ->
//! `updateinfo.xml.gz`, and Oracle's `com.oracle.elsa-all.xml.bz2`. The served files are
//! built here from the advisory fixtures in testdata/distro-advisories (gzip and bzip2
//! done by the compression crates, checksums computed here); the layout is documented in
//! testdata/distro-advisories/README.md. Expected counts and dates are read off the
//! fixtures by hand.

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use drydock_vulndb::{
    Db, FeedLocation, FeedState, FeedStatus, UpdateMode, UpdateOptions, UpdateReport, update,
};
use mirror::{add_feed, copy_dir, mini, opts};
use server::{Rule, Server};
use sha2::{Digest, Sha256};

const ELSA_PATH: &str = "security/oval/com.oracle.elsa-all.xml.bz2";
const AL2023_REPO: &str =
    "al2023/core/guids/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809/x86_64/";
/// Every advisory the fixtures hold: ALAS 2 has four security updates, ALAS 2023 two
/// (its third update is a bugfix), the ELSA file four patch definitions.
const IDS: [&str; 10] = [
    "ALAS2-2022-1768",
    "ALAS2-2023-2050",
    "ALAS2-2024-2500",
    "ALAS2-2024-2410",
    "ALAS2023-2023-190",
    "ALAS2023-2024-550",
    "ELSA-2024-0101",
    "ELSA-2023-0202",
    "ELSA-2024-0303",
    "ELSA-2024-0404",
];

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(mini().join("../../distro-advisories").join(rel)).expect("fixture")
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).expect("gzip");
    e.finish().expect("gzip")
}

fn bzip2(b: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    e.write_all(b).expect("bzip2");
    e.finish().expect("bzip2")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// One release's repository: `mirror.list` at `list` naming `repo` (a URL path ending in
/// `/` or not, as Amazon writes them), its `repomd.xml` and the gzipped `updateinfo.xml`
/// at `href` with its sha256.
fn amazon_repo(site: &Path, srv: &Server, list: &str, repo: &str, href: &str, fixture_rel: &str) {
    write(&site.join(list), format!("{}\n", srv.url(repo)).as_bytes());
    let gz = gzip(&fixture(fixture_rel));
    let dir = site.join(repo.trim_end_matches('/'));
    write(&dir.join(href), &gz);
    let repomd = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1710453600</revision>
  <data type="primary_db">
    <checksum type="sha256">8508e3ed25587c08ec66683d13963e39f51a56f3450b5493516bf8421cd47bff</checksum>
    <location href="repodata/primary.sqlite.gz"/>
    <timestamp>1710453600</timestamp>
    <size>34874486</size>
  </data>
  <data type="updateinfo">
    <checksum type="sha256">{}</checksum>
    <open-checksum type="sha256">{}</open-checksum>
    <location href="{href}"/>
    <timestamp>1710453600</timestamp>
    <size>{}</size>
    <open-size>{}</open-size>
  </data>
</repomd>
"#,
        hex::encode(Sha256::digest(&gz)),
        hex::encode(Sha256::digest(fixture(fixture_rel))),
        gz.len(),
        fixture(fixture_rel).len(),
    );
    write(&dir.join("repodata/repomd.xml"), repomd.as_bytes());
}

/// Amazon's CDN and Oracle's security site as `srv` serves them from `site`.
fn vendor_site(site: &Path, srv: &Server) {
    amazon_repo(
        site,
        srv,
        "2/core/latest/x86_64/mirror.list",
        "2/core/2.0/x86_64/0f3c1e2d4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "repodata/updateinfo.xml.gz",
        "alas/2/updateinfo.xml",
    );
    amazon_repo(
        site,
        srv,
        "al2023/core/mirrors/latest/x86_64/mirror.list",
        AL2023_REPO,
        "repodata/5f4dcc3b5aa765d61d8327deb882cf99-updateinfo.xml.gz",
        "alas/2023/updateinfo.xml",
    );
    let oval = fixture("oval/oracle/com.oracle.elsa-all.xml");
    write(&site.join(ELSA_PATH), &bzip2(&oval));
}

fn vendor_opts(osv: &Path, srv: &Server, cache: &Path) -> UpdateOptions {
    let mut o = opts(osv.display().to_string(), cache);
    o.alas = FeedLocation::At(srv.url(""));
    o.elsa = FeedLocation::At(srv.url(ELSA_PATH));
    o
}

/// A copy of the mini mirror (OSV, KEV, EPSS, CVSS; no `alas/` or `oval/`).
fn mirror_copy() -> (tempfile::TempDir, PathBuf) {
    let m = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), m.path());
    let osv = m.path().join("osv");
    (m, osv)
}

fn statuses<'a>(r: &'a UpdateReport, name: &str) -> Vec<&'a FeedStatus> {
    r.feeds.statuses.iter().filter(|s| s.name == name).collect()
}

const RELEASES: [&str; 5] = [
    "Amazon Linux:2",
    "Amazon Linux:2023",
    "Oracle Linux:7",
    "Oracle Linux:8",
    "Oracle Linux:9",
];

/// Each advisory as stored (with its fixed versions), and which releases are covered.
fn vendor_data(cache: &Path) -> (Vec<String>, Vec<bool>) {
    let db = Db::open_cache(cache).expect("open");
    let advisories = IDS
        .iter()
        .map(|id| format!("{:?}", db.advisory(id).expect("query")))
        .collect();
    let covered = RELEASES
        .iter()
        .map(|r| db.has_ecosystem(r).expect("query"))
        .collect();
    (advisories, covered)
}

#[test]
fn vendor_feeds_import_the_same_advisories_as_the_mirror() {
    let (m, osv) = mirror_copy();
    add_feed(m.path(), "alas/2", "alas/2/updateinfo.xml");
    add_feed(m.path(), "alas/2023", "alas/2023/updateinfo.xml");
    add_feed(
        m.path(),
        "oval/oracle",
        "oval/oracle/com.oracle.elsa-all.xml",
    );
    let from_mirror = tempfile::tempdir().expect("tmp");
    update(&opts(osv.display().to_string(), from_mirror.path())).expect("mirror build");
    let want = vendor_data(from_mirror.path());
    assert_eq!(want.1, [true, true, false, true, true], "{RELEASES:?}");
    assert!(
        want.0.iter().all(|a| a.starts_with("Some(")),
        "{:?}",
        want.0
    );

    let site = tempfile::tempdir().expect("tmp");
    let srv = Server::start(site.path());
    vendor_site(site.path(), &srv);
    let (_m2, osv2) = mirror_copy();
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&vendor_opts(&osv2, &srv, cache.path())).expect("vendor build");
    assert!(r.feeds.warnings.is_empty(), "{:?}", r.feeds.warnings);
    assert_eq!(vendor_data(cache.path()), want);
    assert_eq!((r.feeds.alas, r.feeds.elsa), (6, 4));
    // alas/2023/updateinfo.xml: ALAS2023-2024-550 fixes libcurl-minimal in
    // epoch 0, 8.5.0-1.amzn2023.0.4, severity medium.
    let db = Db::open_cache(cache.path()).expect("open");
    let curl: Vec<String> = db
        .advisories_for("Amazon Linux:2023", "libcurl-minimal")
        .expect("query")
        .into_iter()
        .map(|e| {
            format!(
                "{} {:?} {:?}",
                e.advisory_id, e.ranges[0].events, e.vendor_rating
            )
        })
        .collect();
    assert_eq!(
        curl,
        [r#"ALAS2023-2024-550 [Introduced("0"), Fixed("0:8.5.0-1.amzn2023.0.4")] Some("medium")"#]
    );
    drop(db);

    // One status per Amazon release, dated by its newest issued/updated date.
    let alas: Vec<_> = statuses(&r, "Amazon ALAS")
        .iter()
        .map(|s| (s.source.clone(), s.date.clone(), s.entries, s.state))
        .collect();
    let date = |d: &str| Some(d.to_owned());
    assert_eq!(
        alas,
        [
            (
                srv.url("2/core/latest/x86_64/mirror.list"),
                date("2024-03-07"),
                4,
                FeedState::Fresh
            ),
            (
                srv.url("al2023/core/mirrors/latest/x86_64/mirror.list"),
                date("2024-03-14"),
                2,
                FeedState::Fresh
            ),
        ]
    );
    let elsa = statuses(&r, "Oracle ELSA");
    assert_eq!(
        (elsa[0].date.as_deref(), elsa[0].entries, elsa[0].state),
        (Some("2024-04-09"), 4, FeedState::Fresh)
    );
    // mirror.list, then the repository it names, then the file its repomd.xml names.
    let al2023: Vec<String> = srv
        .requests()
        .into_iter()
        .filter(|p| p.starts_with("/al2023/"))
        .collect();
    assert_eq!(
        al2023,
        [
            "/al2023/core/mirrors/latest/x86_64/mirror.list",
            "/al2023/core/guids/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809/x86_64/repodata/repomd.xml",
            "/al2023/core/guids/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809/x86_64/repodata/5f4dcc3b5aa765d61d8327deb882cf99-updateinfo.xml.gz",
        ]
    );

    // Nothing changed: each repomd.xml is read again, but an updateinfo.xml.gz whose
    // sha256 is the copy's is not downloaded.
    srv.clear_log();
    let again = update(&vendor_opts(&osv2, &srv, cache.path())).expect("second vendor build");
    assert_eq!(again.mode, UpdateMode::UpToDate);
    let log = srv.requests();
    assert_eq!(
        log.iter().filter(|p| p.ends_with("repomd.xml")).count(),
        2,
        "{log:?}"
    );
    assert!(
        !log.iter().any(|p| p.ends_with("updateinfo.xml.gz")),
        "{log:?}"
    );

    // Oracle's .bz2 is also read from a mirror, beside the plain file's place.
    let (m3, osv3) = mirror_copy();
    std::fs::create_dir_all(m3.path().join("oval/oracle")).expect("mkdir");
    std::fs::copy(
        site.path().join(ELSA_PATH),
        m3.path().join("oval/oracle/com.oracle.elsa-all.xml.bz2"),
    )
    .expect("copy");
    let cache3 = tempfile::tempdir().expect("tmp");
    let r = update(&opts(osv3.display().to_string(), cache3.path())).expect("bz2 mirror build");
    assert_eq!(r.feeds.elsa, 4);
    assert_eq!(vendor_data(cache3.path()).0[6..], want.0[6..]);
}

#[test]
fn unreachable_or_corrupt_vendor_files_keep_the_last_copy() {
    let site = tempfile::tempdir().expect("tmp");
    let srv = Server::start(site.path());
    vendor_site(site.path(), &srv);
    let (_m, osv) = mirror_copy();
    let cache = tempfile::tempdir().expect("tmp");
    let o = vendor_opts(&osv, &srv, cache.path());
    update(&o).expect("first build");
    let before = vendor_data(cache.path());

    // AL2's mirror.list is gone, Oracle's download is cut short, and AL2023's
    // updateinfo.xml.gz does not match its repomd.xml.
    srv.rule("/2/core/latest/x86_64/mirror.list", Rule::Status(404));
    srv.rule("com.oracle.elsa-all.xml.bz2", Rule::Truncate);
    // (A repomd.xml naming a file the repository does not serve yet.)
    let repomd = site.path().join(AL2023_REPO).join("repodata/repomd.xml");
    let text = std::fs::read_to_string(&repomd).expect("repomd");
    let (head, tail) = text
        .split_once("<data type=\"updateinfo\">")
        .expect("updateinfo");
    let (_, rest) = tail.split_once("</checksum>").expect("checksum");
    let zeros = "0".repeat(64);
    let text = format!(
        "{head}<data type=\"updateinfo\">\n    <checksum type=\"sha256\">{zeros}</checksum>{rest}"
    );
    write(&repomd, text.as_bytes());
    let r = update(&o).expect("update with the vendors failing");
    let w = &r.feeds.warnings;
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].starts_with("Amazon ALAS 2 feed not updated (not found: "),
        "{w:?}"
    );
    assert!(w[0].ends_with("using the copy of 2024-03-07"), "{w:?}");
    assert!(w[1].contains("does not match its repomd.xml"), "{w:?}");
    assert!(
        w[2].starts_with("Oracle ELSA feed not updated (fetching "),
        "{w:?}"
    );
    assert!(w[2].ends_with("using the copy of 2024-04-09"), "{w:?}");
    assert!(w.iter().all(|l| !l.contains('\n')), "{w:?}");
    for s in statuses(&r, "Amazon ALAS")
        .into_iter()
        .chain(statuses(&r, "Oracle ELSA"))
    {
        assert_eq!(s.state, FeedState::Cached, "{s:?}");
    }
    assert_eq!(
        vendor_data(cache.path()),
        before,
        "the copies give the same advisories"
    );

    // No copy to fall back to: the build goes on without them.
    srv.rule("x86_64/mirror.list", Rule::Status(503));
    let empty = tempfile::tempdir().expect("tmp");
    let r = update(&vendor_opts(&osv, &srv, empty.path())).expect("build without vendors");
    assert_eq!(r.feeds.warnings.len(), 3, "{:?}", r.feeds.warnings);
    assert!(
        r.feeds
            .warnings
            .iter()
            .all(|l| l.ends_with("continuing without it"))
    );
    assert_eq!(vendor_data(empty.path()).1, [false; 5]);
}

/// 2 GiB of zeros as 128 concatenated bzip2 streams of 16 MiB each (a valid multi-stream
/// file, about 5 KB): refused once past the budget, in seconds, with one line.
#[test]
fn a_bzip2_bomb_ends_with_one_line_in_seconds() {
    let block = bzip2(&vec![0u8; 16 << 20]);
    let bomb = block.repeat(128);
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let site = tempfile::tempdir().expect("tmp");
    let srv = Server::start(site.path());
    vendor_site(site.path(), &srv);
    write(&site.path().join(ELSA_PATH), &bomb);
    let (m, osv) = mirror_copy();
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = vendor_opts(&osv, &srv, cache.path());
    o.alas = FeedLocation::Off;
    let start = Instant::now();
    let r = update(&o).expect("a bad vendor file does not fail the build");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    let w = &r.feeds.warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("inflates past 64 MiB"), "{w:?}");
    assert_eq!(statuses(&r, "Oracle ELSA")[0].state, FeedState::Unavailable);

    // In a mirror, the same file fails the update with one line naming it.
    std::fs::create_dir_all(m.path().join("oval/oracle")).expect("mkdir");
    write(
        &m.path().join("oval/oracle/com.oracle.elsa-all.xml.bz2"),
        &bomb,
    );
    let start = Instant::now();
    let e = update(&opts(osv.display().to_string(), cache.path()))
        .expect_err("bomb in the mirror")
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert!(
        e.contains("oval/oracle/com.oracle.elsa-all.xml.bz2 inflates past 64 MiB"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
}

/// Bottlerocket's `updateinfo.xml.gz` as advisories.bottlerocket.aws serves it: its four
/// security updates become advisories of the one `Bottlerocket` ecosystem, and a cut
/// download keeps them (testdata/distro-advisories/bottlerocket/updateinfo.xml: runc's
/// BRSA-drydock0002 is fixed in 1:1.3.6-1.1785000000.0badcafe.br1).
#[test]
fn bottlerocket_advisories_are_read_from_the_vendor() {
    let (_m, osv) = mirror_copy();
    let site = tempfile::tempdir().expect("tmp");
    let xml = fixture("bottlerocket/updateinfo.xml");
    write(&site.path().join("updateinfo.xml.gz"), &gzip(&xml));
    let srv = Server::start(site.path());
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = opts(osv.display().to_string(), cache.path());
    o.bottlerocket = FeedLocation::At(srv.url("updateinfo.xml.gz"));
    let runc_fix = |cache: &Path| {
        let db = Db::open_cache(cache).expect("open");
        assert!(db.has_ecosystem("Bottlerocket").expect("query"));
        db.advisories_for("Bottlerocket", "runc")
            .expect("query")
            .into_iter()
            .map(|e| (e.advisory_id, format!("{:?}", e.ranges[0].events)))
            .collect::<Vec<_>>()
    };
    let want = vec![(
        "BRSA-drydock0002".to_owned(),
        r#"[Introduced("0"), Fixed("1:1.3.6-1.1785000000.0badcafe.br1")]"#.to_owned(),
    )];

    let r = update(&o).expect("update");
    let s = statuses(&r, "Bottlerocket advisories");
    assert_eq!(
        s.iter()
            .map(|s| (s.entries, s.state, s.date.as_deref()))
            .collect::<Vec<_>>(),
        [(4, FeedState::Fresh, Some("2026-07-02"))]
    );
    assert_eq!(runc_fix(cache.path()), want);

    srv.rule("updateinfo.xml.gz", Rule::Truncate);
    o.full = true;
    let r = update(&o).expect("update");
    assert_eq!(
        statuses(&r, "Bottlerocket advisories")[0].state,
        FeedState::Cached
    );
    assert_eq!(runc_fix(cache.path()), want);
}

/// Fedora's `updates` folder served as Fedora lays it out (testdata/distro-advisories/
/// fedora: 38's updateinfo in xz, 37's in zstd, each named by its repository's
/// `repomd.xml`): the releases are its numbered folders, each one's updateinfo is kept
/// and not downloaded again while its sha256 stands; when the folder cannot be listed,
/// the copies are read, and nothing fails the build.
#[test]
fn fedora_updates_are_read_per_release_and_kept() {
    let srv = Server::start(&mini().join("../../distro-advisories"));
    let (_m, osv) = mirror_copy();
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = opts(osv.display().to_string(), cache.path());
    o.fedora = FeedLocation::At(srv.url("fedora"));
    let r = update(&o).expect("first build");
    let got: Vec<_> = statuses(&r, "Fedora updates")
        .iter()
        .map(|s| (s.source.clone(), s.entries, s.state))
        .collect();
    let repo = |rel: &str| srv.url(&format!("fedora/{rel}/Everything/x86_64"));
    let fresh = FeedState::Fresh;
    // Security updates: 37 has one, 38 four (its fifth is a bugfix update).
    assert_eq!(got, [(repo("37"), 1, fresh), (repo("38"), 4, fresh)]);
    let bash = |cache: &Path, eco: &str| {
        let db = Db::open_cache(cache).expect("open");
        assert!(db.has_ecosystem(eco).expect("query"), "{eco}");
        db.advisories_for(eco, "bash").expect("query").len()
    };
    assert_eq!(bash(cache.path(), "Fedora:38"), 2);
    assert_eq!(bash(cache.path(), "Fedora:37"), 1);

    srv.clear_log();
    o.full = true;
    update(&o).expect("second build");
    let fetched = srv.requests();
    assert!(
        fetched.iter().any(|p| p.ends_with("repomd.xml")),
        "{fetched:?}"
    );
    assert!(
        !fetched.iter().any(|p| p.contains("-updateinfo.xml")),
        "unchanged updateinfo fetched again: {fetched:?}"
    );

    srv.rule("/fedora/", Rule::Status(503));
    let r = update(&o).expect("build with Fedora unreachable");
    let got: Vec<_> = statuses(&r, "Fedora updates")
        .iter()
        .map(|s| (s.entries, s.state))
        .collect();
    assert_eq!(got, [(1, FeedState::Cached), (4, FeedState::Cached)]);
    let w = &r.feeds.warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("Fedora 37 updates feed not updated ("),
        "{w:?}"
    );
    assert_eq!(bash(cache.path(), "Fedora:38"), 2);
}
