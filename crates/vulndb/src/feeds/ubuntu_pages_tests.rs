//! Paging with pages handed out by a closure (in the Security API's shape, as in
//! ubuntu_tests.rs): the URLs asked, the bounds, and a CVE listed on two pages.

use super::*;
use crate::feeds::TrackerState;

/// A page in the API's shape: `cves` each with openssl's jammy `status` (a `released`
/// one fixed in `1.<n>`), and `total_results`.
fn page(cves: &[(&str, &str)], total: u64) -> Vec<u8> {
    let cves: Vec<String> = (cves.iter())
        .map(|(id, status)| {
            format!(
                r#"{{"id":"{id}","priority":"low","updated_at":"2099-03-04T05:06:07","packages":[
                  {{"name":"openssl","statuses":[{{"component":"main","description":"1.2-1ubuntu0.1",
                  "pocket":"security","release_codename":"jammy","status":"{status}"}}]}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"cves":[{}],"offset":0,"limit":20,"total_results":{total}}}"#,
        cves.join(",")
    )
    .into_bytes()
}

/// Serves `pages` in turn (then empty pages), logging the URLs asked.
fn serving(
    pages: Vec<Vec<u8>>,
    asked: &mut Vec<String>,
) -> impl FnMut(&Location) -> Result<Vec<u8>> {
    let mut pages = pages.into_iter();
    move |loc| {
        asked.push(loc.display());
        Ok(pages.next().unwrap_or_else(|| page(&[], 0)))
    }
}

fn states(t: &UbuntuTracker) -> Vec<(String, TrackerState)> {
    let mut v: Vec<_> = (t.entries.iter())
        .map(|e| (e.cve.clone(), e.state.clone()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn page_urls_keep_the_users_query_and_replace_its_paging() {
    let url = "https://ubuntu.com/security/cves.json?package=zlib&limit=20&offset=40";
    assert_eq!(query_offset(url), 40);
    assert_eq!(
        page_url(url, 140),
        "https://ubuntu.com/security/cves.json?package=zlib&limit=100&offset=140"
    );
    assert_eq!(query_offset("https://h/cves.json"), 0);
    assert_eq!(
        page_url("https://h/cves.json", 20),
        "https://h/cves.json?limit=100&offset=20"
    );
}

/// Later pages win: CVE-2099-1 `needed` on page 1 and `released` on page 2 is fixed;
/// CVE-2099-2 `needed` then `not-affected` is gone, details included. Offsets advance by
/// the CVEs returned (2, then 3) from the user's own offset 10.
#[test]
fn a_cve_listed_again_on_a_later_page_is_read_as_that_listing() {
    let mut asked = Vec::new();
    let pages = vec![
        page(&[("CVE-2099-1", "needed"), ("CVE-2099-2", "needed")], 16),
        page(
            &[
                ("CVE-2099-1", "released"),
                ("CVE-2099-2", "not-affected"),
                ("CVE-2099-3", "deferred"),
            ],
            16,
        ),
        page(&[("CVE-2099-4", "needs-triage")], 16),
    ];
    let url = "http://h/cves.json?offset=10";
    let p = page_through(url, Bounds::API, serving(pages, &mut asked), None).expect("paged");
    assert_eq!(
        asked,
        [
            url,
            "http://h/cves.json?limit=100&offset=12",
            "http://h/cves.json?limit=100&offset=15"
        ]
    );
    assert_eq!(
        states(&p.tracker),
        vec![
            (
                "CVE-2099-1".into(),
                TrackerState::Fixed("1.2-1ubuntu0.1".into())
            ),
            ("CVE-2099-3".into(), TrackerState::Unfixed("fix_deferred")),
            (
                "CVE-2099-4".into(),
                TrackerState::Unfixed("under_investigation")
            ),
        ]
    );
    assert!(!p.tracker.cves.contains_key("CVE-2099-2"));
    assert_eq!(p.note, "3 pages, 4 CVEs");
    // 4 different CVEs of the 6 from offset 10 (one moved between pages): partial.
    assert_eq!(p.tracker.partial, Some((4, 6)));
}

/// A server listing new CVEs forever under a huge `total_results` fails the refresh at
/// whichever bound comes first, naming the page it stopped at.
#[test]
fn a_server_that_never_stops_listing_is_given_up_at_the_bounds() {
    let endless = |asked: &mut u64| {
        let n = *asked;
        *asked += 1;
        let (a, b) = (
            format!("CVE-2099-{}", 2 * n),
            format!("CVE-2099-{}", 2 * n + 1),
        );
        page(&[(&a, "needed"), (&b, "needed")], 1_000_000_000)
    };
    let mut calls = 0;
    let by_pages = Bounds {
        pages: 5,
        cves: 1000,
    };
    let e = page_through("http://h/c", by_pages, |_| Ok(endless(&mut calls)), None)
        .err()
        .expect("bounded");
    assert_eq!(calls, 5);
    assert!(
        e.to_string().contains("http://h/c?limit=100&offset=8"),
        "{e}"
    );
    assert!(e.to_string().contains("after 5 pages and 10 CVEs"), "{e}");
    calls = 0;
    let by_cves = Bounds {
        pages: 1000,
        cves: 7,
    };
    let e = page_through("http://h/c", by_cves, |_| Ok(endless(&mut calls)), None)
        .err()
        .expect("bounded");
    assert_eq!(calls, 4);
    assert!(e.to_string().contains("after 4 pages and 8 CVEs"), "{e}");
}

/// The copy written while paging is one listing that reads as the pages did: the later
/// listing of CVE-2099-1 wins again, and `total_results` is the API's.
#[test]
fn the_merged_copy_reads_as_the_pages() {
    let dir = tempfile::tempdir().expect("tmp");
    let (tmp, copy) = (dir.path().join("c.tmp"), dir.path().join("c.json"));
    let pages = vec![
        page(&[("CVE-2099-1", "needed"), ("CVE-2099-2", "deferred")], 3),
        page(&[("CVE-2099-1", "released")], 3),
    ];
    let mut asked = Vec::new();
    let sink = Sink::create(&tmp).expect("sink");
    let p = page_through(
        "http://h/c",
        Bounds::API,
        serving(pages, &mut asked),
        Some(sink),
    )
    .expect("paged");
    assert_eq!(asked.len(), 2);
    p.sink.expect("sink").finish(p.total, &copy).expect("kept");
    assert!(!tmp.exists());
    let (parsed, kept) = parse_cves(&std::fs::read(&copy).expect("copy"), &Location::parse("c"))
        .expect("the copy parses");
    assert_eq!(states(&kept), states(&p.tracker));
    assert_eq!(states(&kept).len(), 2);
    assert_eq!(parsed.date.as_deref(), Some("2099-03-04"));
    assert_eq!(kept.cves["CVE-2099-1"].priority.as_deref(), Some("low"));
    assert_eq!(kept.partial, None);
}

/// A page that does not parse fails the paging, naming that page, and removes the
/// unfinished copy.
#[test]
fn a_bad_page_fails_the_paging_and_leaves_no_copy() {
    let dir = tempfile::tempdir().expect("tmp");
    let tmp = dir.path().join("c.tmp");
    let pages = vec![
        page(&[("CVE-2099-1", "needed")], 3),
        b"{\"cves\": [".to_vec(),
    ];
    let mut asked = Vec::new();
    let sink = Sink::create(&tmp).expect("sink");
    let e = page_through(
        "http://h/c",
        Bounds::API,
        serving(pages, &mut asked),
        Some(sink),
    )
    .err()
    .expect("fails");
    assert!(
        e.to_string().contains("http://h/c?limit=100&offset=1"),
        "{e}"
    );
    assert!(!tmp.exists());
}
