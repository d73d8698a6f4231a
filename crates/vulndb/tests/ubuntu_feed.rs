//! `db update --ubuntu-tracker URL` paging through Canonical's Security API, served from
//! 127.0.0.1: the pages are slices of testdata's HAND-WRITTEN
//! `distro-advisories/ubuntu-tracker/cves.json` (provenance in
//! testdata/distro-advisories/README.md: ten CVEs, 14 entries kept; per CVE 3, 2, 1, 2,
//! 1, 2, 0, 1, 1, 1), each page file named with the query that asks it. Expected values
//! are read off that README. (A file of its own: public_feeds.rs is at its size limit.)

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::{Path, PathBuf};

use drydock_vulndb::{
    Db, FeedLocation, FeedState, FeedStatus, UpdateOptions, UpdateReport, update,
};
use mirror::served_opts;
use server::{Rule, Server};

const NAME: &str = "Ubuntu tracker";

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn status<'a>(r: &'a UpdateReport, name: &str) -> &'a FeedStatus {
    (r.feeds.statuses.iter())
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name} status"))
}

/// The tracker's warnings of `r`.
fn warnings(r: &UpdateReport) -> Vec<&String> {
    (r.feeds.warnings.iter())
        .filter(|w| w.contains(NAME))
        .collect()
}

/// The served API: `security/cves.json` and its pages, one file per query asked, each
/// `(query, first CVE, CVEs, total_results)`, a slice of the fixture's ten.
struct Api {
    dir: tempfile::TempDir,
    srv: Server,
}

impl Api {
    fn serve(pages: &[(&str, usize, usize, u64)]) -> Api {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("security")).expect("mkdir");
        let api = Api {
            srv: Server::start(dir.path()),
            dir,
        };
        for &(query, from, n, total) in pages {
            api.page(query, from, n, total);
        }
        api
    }

    /// Writes the page answering `query` ("" for `cves.json` itself).
    fn page(&self, query: &str, from: usize, n: usize, total: u64) {
        let listing = testdata("distro-advisories/ubuntu-tracker/cves.json");
        let mut page: serde_json::Value =
            serde_json::from_slice(&std::fs::read(listing).expect("read")).expect("json");
        let cves = page["cves"].as_array_mut().expect("cves");
        *cves = cves.drain(..).skip(from).take(n).collect();
        page["offset"] = from.into();
        page["total_results"] = total.into();
        let name = match query {
            "" => "cves.json".to_owned(),
            q => format!("cves.json?{q}"),
        };
        let path = self.dir.path().join("security").join(name);
        std::fs::write(path, page.to_string()).expect("write");
    }

    fn opts(&self, cache: &Path, url_path: &str) -> UpdateOptions {
        let mut o = served_opts(cache);
        o.ubuntu_tracker = FeedLocation::At(self.srv.url(url_path));
        o
    }

    /// The queries asked of `cves.json` since the last call.
    fn asked(&self) -> Vec<String> {
        let asked = (self.srv.requests().into_iter().zip(self.srv.queries()))
            .filter(|(p, _)| p.ends_with("cves.json"))
            .map(|(_, q)| q)
            .collect();
        self.srv.clear_log();
        asked
    }
}

/// (advisory, vendor status) stored for `pkg` in `eco`.
fn stored(cache: &Path, eco: &str, pkg: &str) -> Vec<(String, Option<String>)> {
    let db = Db::open_cache(cache).expect("open");
    (db.advisories_for(eco, pkg).expect("query").into_iter())
        .map(|e| (e.advisory_id, e.vendor_status))
        .collect()
}

/// What the fixture's README says of jammy's tar (CVE-2099-2003 `needs-triage`, on the
/// first page; CVE-2025-45582 `deferred`, on the last) and bionic's Pro openssl
/// (CVE-2099-2001 fixed in ESM, first page; 2006's older fix is not one in Pro).
fn assert_all_pages_kept(cache: &Path) {
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        stored(cache, "Ubuntu:22.04:LTS", "tar"),
        vec![
            (
                "UBUNTU-TRACKER-CVE-2025-45582".to_owned(),
                s("fix_deferred")
            ),
            (
                "UBUNTU-TRACKER-CVE-2099-2003".to_owned(),
                s("under_investigation")
            ),
        ]
    );
    assert_eq!(
        stored(cache, "Ubuntu:Pro:18.04:LTS", "openssl"),
        vec![("UBUNTU-TRACKER-CVE-2099-2001".to_owned(), None)]
    );
}

/// Three pages of 4, 4 and 2 CVEs (a server answering 4 when asked 100): every CVE's
/// statuses are kept (14 entries), the pages asked at offsets 4 and 8 after the URL
/// itself, the status says 3 pages of 10 CVEs, and nothing is warned.
#[test]
fn the_api_is_paged_and_every_page_is_kept() {
    let api = Api::serve(&[
        ("", 0, 4, 10),
        ("limit=100&offset=4", 4, 4, 10),
        ("limit=100&offset=8", 8, 2, 10),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&api.opts(cache.path(), "security/cves.json")).expect("update");
    let t = status(&r, NAME);
    assert_eq!((t.entries, t.state), (14, FeedState::Fresh));
    assert!(t.source.ends_with("(3 pages, 10 CVEs)"), "{}", t.source);
    assert_eq!(
        api.asked(),
        ["", "limit=100&offset=4", "limit=100&offset=8"]
    );
    assert!(warnings(&r).is_empty(), "{:?}", r.feeds.warnings);
    assert_all_pages_kept(cache.path());
}

/// The same API with its second page failing (HTTP 500), then its last cut short, then
/// not JSON: each time the refresh fails as a whole, with one warning naming that page,
/// and the merged copy of the first update (all 14 entries, the last page's CVE
/// included) is used.
#[test]
fn a_page_failing_mid_way_keeps_the_previous_copy() {
    let api = Api::serve(&[
        ("", 0, 4, 10),
        ("limit=100&offset=4", 4, 4, 10),
        ("limit=100&offset=8", 8, 2, 10),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = api.opts(cache.path(), "security/cves.json");
    update(&o).expect("first update");
    o.full = true;
    let failing = [
        ("offset=4", Some(Rule::Status(500))),
        ("offset=8", Some(Rule::Truncate)),
        ("offset=8", None),
    ];
    for (page, rule) in failing {
        api.srv.clear_rules();
        match rule {
            Some(rule) => api.srv.rule(page, rule),
            None => {
                let bad = api.dir.path().join("security/cves.json?limit=100&offset=8");
                std::fs::write(bad, br#"{"cves": [{"id": "CVE-2099-2"#).expect("write");
            }
        }
        let r = update(&o).expect("update with a page failing");
        let t = status(&r, NAME);
        assert_eq!((t.entries, t.state), (14, FeedState::Cached), "{page}");
        let w = warnings(&r);
        assert_eq!(w.len(), 1, "{:?}", r.feeds.warnings);
        assert!(
            w[0].contains(&format!("cves.json?limit=100&{page}")),
            "{}",
            w[0]
        );
        assert!(
            w[0].starts_with("Ubuntu tracker feed not updated"),
            "{}",
            w[0]
        );
        assert_all_pages_kept(cache.path());
    }
}

/// A server capping `limit` at 3 under the user's own query: asked from the offsets it
/// reached (3, 6, 9), the query kept, four pages read.
#[test]
fn a_server_capping_limit_lower_is_paged_by_what_it_returns() {
    let api = Api::serve(&[
        ("sort=oldest", 0, 3, 10),
        ("sort=oldest&limit=100&offset=3", 3, 3, 10),
        ("sort=oldest&limit=100&offset=6", 6, 3, 10),
        ("sort=oldest&limit=100&offset=9", 9, 3, 10),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&api.opts(cache.path(), "security/cves.json?sort=oldest")).expect("update");
    let t = status(&r, NAME);
    assert_eq!((t.entries, t.state), (14, FeedState::Fresh));
    assert!(t.source.ends_with("(4 pages, 10 CVEs)"), "{}", t.source);
    assert_eq!(
        api.asked(),
        [
            "sort=oldest",
            "sort=oldest&limit=100&offset=3",
            "sort=oldest&limit=100&offset=6",
            "sort=oldest&limit=100&offset=9"
        ]
    );
    assert_all_pages_kept(cache.path());
}

/// Servers whose `total_results` is not what they list: one claiming a million stops at
/// its first empty page and is said to hold 10 of them; one whose total grows between
/// pages is read until a page lists none, and the status says so; a static file of one
/// page (it ignores `offset`) is asked once more, found to repeat itself, and said to be
/// one page.
#[test]
fn a_server_lying_about_total_results_is_bounded() {
    let api = Api::serve(&[
        ("", 0, 4, 1_000_000),
        ("limit=100&offset=4", 4, 6, 1_000_000),
        ("limit=100&offset=10", 0, 0, 1_000_000),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&api.opts(cache.path(), "security/cves.json")).expect("update");
    assert_eq!(status(&r, NAME).entries, 14);
    assert_eq!(api.asked().len(), 3);
    let w = warnings(&r);
    assert!(
        w.len() == 1 && w[0].contains("holds 10 of the 1000000 CVEs"),
        "{w:?}"
    );

    let api = Api::serve(&[
        ("", 0, 4, 6),
        ("limit=100&offset=4", 4, 4, 8),
        ("limit=100&offset=8", 8, 2, 8),
        ("limit=100&offset=10", 0, 0, 10),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&api.opts(cache.path(), "security/cves.json")).expect("update");
    let t = status(&r, NAME);
    assert_eq!((t.entries, t.state), (14, FeedState::Fresh));
    assert!(
        t.source.ends_with(
            "(4 pages, 10 CVEs; total_results changed from 6 to 10 while paging: read until a page listed none)"
        ),
        "{}",
        t.source
    );
    assert_eq!(api.asked().len(), 4);
    assert!(warnings(&r).is_empty(), "{:?}", r.feeds.warnings);

    let api = Api::serve(&[("", 0, 2, 310_000)]);
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&api.opts(cache.path(), "security/cves.json")).expect("update");
    // 2001 and 2002: 3 + 2 entries.
    assert_eq!(status(&r, NAME).entries, 5);
    assert_eq!(api.asked(), ["", "limit=100&offset=2"]);
    let w = warnings(&r);
    assert!(
        w.len() == 1 && w[0].contains("holds 2 of the 310000 CVEs"),
        "{w:?}"
    );
}
