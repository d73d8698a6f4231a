//! `db update --redhat-vex FOLDER` kept current the way Red Hat publishes its VEX folder:
//! the archive `archive_latest.txt` names, read once, then only the documents
//! `changes.csv` lists as newer, without those `deletions.csv` lists. Served from
//! 127.0.0.1: the archive is testdata/distro-advisories/redhat-vex packed as
//! `csaf_vex_2099-04-01.tar.zst`, the changed documents and listings are
//! testdata/distro-advisories/redhat-vex-changes (hand-written, see its README entry).
//! Expected values are a fresh full read of an archive already holding the same
//! documents, and the statuses the fixtures' README states.

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::{Path, PathBuf};

use drydock_vulndb::{Db, FeedLocation, FeedState, UpdateOptions, UpdateReport, update};
use mirror::served_opts;
use server::{Rule, Server};

const VEX: &str = "data/csaf/v2/vex";
const ARCHIVE: &str = "csaf_vex_2099-04-01.tar.zst";

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// Red Hat's folder under a served root: `archive` packing the documents of `docs`
/// (year folders), named in `archive_latest.txt`, those documents beside it too.
struct Folder {
    root: tempfile::TempDir,
}

impl Folder {
    fn new(archive: &str, docs: &[&Path]) -> Folder {
        let f = Folder {
            root: tempfile::tempdir().expect("tmp"),
        };
        let mut tar = tar::Builder::new(Vec::new());
        for d in docs {
            tar.append_dir_all(".", d).expect("tar");
            mirror::copy_dir(d, &f.dir());
        }
        let zst = zstd::encode_all(&tar.into_inner().expect("tar")[..], 3).expect("zstd");
        std::fs::write(f.dir().join(archive), zst).expect("write");
        std::fs::write(f.dir().join("archive_latest.txt"), format!("{archive}\n")).expect("w");
        f
    }

    fn dir(&self) -> PathBuf {
        self.root.path().join(VEX)
    }

    /// Writes `name` (`changes.csv`, `deletions.csv`, `2099/cve-….json`) in the folder.
    fn put(&self, name: &str, body: &[u8]) {
        let to = self.dir().join(name);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(to, body).expect("write");
    }
}

fn changes(rel: &str) -> PathBuf {
    testdata("distro-advisories/redhat-vex-changes").join(rel)
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read")
}

/// The requests made under the VEX folder, without it (`archive_latest.txt`, ...).
fn requests(srv: &Server) -> Vec<String> {
    let prefix = format!("/{VEX}/");
    let got = srv
        .requests()
        .into_iter()
        .filter_map(|p| p.strip_prefix(&prefix).map(str::to_owned));
    let got = got.collect();
    srv.clear_log();
    got
}

/// Red Hat's folder serving the fixture archive and an empty changes.csv, and a cache
/// that has read it once.
fn first_update(base: &Path) -> (Folder, Server, tempfile::TempDir, UpdateOptions) {
    let folder = Folder::new(ARCHIVE, &[base]);
    folder.put("changes.csv", b"");
    let srv = Server::start(folder.root.path());
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(&srv, cache.path());
    run(&o);
    (folder, srv, cache, o)
}

fn run(o: &UpdateOptions) -> UpdateReport {
    update(o).expect("update")
}

fn vex_state(r: &UpdateReport) -> (usize, FeedState) {
    let s = (r.feeds.statuses.iter())
        .find(|s| s.name == "Red Hat VEX")
        .expect("status");
    (s.entries, s.state)
}

/// Every Red Hat VEX entry of the fixtures' ecosystems and packages, as stored.
fn stored(cache: &Path) -> Vec<String> {
    let db = Db::open_cache(cache).expect("open");
    let ecosystems = [
        "enterprise_linux:7",
        "enterprise_linux:8",
        "enterprise_linux:9",
        "enterprise_linux:9::appstream",
        "rhel_eus:9.2",
    ];
    let mut out = Vec::new();
    for eco in ecosystems {
        for pkg in ["bash", "curl", "openssl", "python3.12", "nodejs", "wget"] {
            let eco = format!("Red Hat VEX:{eco}");
            for e in db.advisories_for(&eco, pkg).expect("query") {
                out.push(format!("{eco} {pkg} {e:?}"));
            }
        }
    }
    out
}

/// (advisory, status) of one package on RHEL 9.
fn rhel9(cache: &Path, pkg: &str) -> Vec<(String, Option<String>)> {
    let db = Db::open_cache(cache).expect("open");
    let got = db.advisories_for("Red Hat VEX:enterprise_linux:9", pkg);
    let got = got.expect("query").into_iter();
    got.map(|e| (e.advisory_id, e.vendor_status)).collect()
}

fn opts(srv: &Server, cache: &Path) -> UpdateOptions {
    let mut o = served_opts(cache);
    o.redhat_vex = FeedLocation::At(srv.url(VEX));
    o
}

/// The stored entries of a fresh full read of an archive holding `docs` (year folders,
/// later ones replacing earlier ones' files) minus the `without` files.
fn full_read(docs: &[&Path], without: &[&str]) -> Vec<String> {
    let merged = tempfile::tempdir().expect("tmp");
    for d in docs {
        mirror::copy_dir(d, merged.path());
    }
    for w in without {
        std::fs::remove_file(merged.path().join(w)).expect("rm");
    }
    for listing in ["changes.csv", "deletions.csv"] {
        let _ = std::fs::remove_file(merged.path().join(listing));
    }
    let folder = Folder::new(ARCHIVE, &[merged.path()]);
    let srv = Server::start(folder.root.path());
    let cache = tempfile::tempdir().expect("tmp");
    let r = run(&opts(&srv, cache.path()));
    assert_eq!(vex_state(&r).1, FeedState::Fresh);
    stored(cache.path())
}

/// First update: the archive (7 entries), no document (the one changes.csv line is older
/// than the archive). Second, with changes.csv naming 1001 (revised: RHEL 9's fix now
/// deferred) and 1005 (new: curl) after it: exactly those two are fetched, not the
/// archive, and what is stored is a full read of an archive already holding them. A
/// third update with nothing newer fetches no document.
#[test]
fn changes_csv_fetches_only_the_documents_changed_since_the_archive() {
    let base = testdata("distro-advisories/redhat-vex");
    let folder = Folder::new(ARCHIVE, &[&base]);
    folder.put(
        "changes.csv",
        b"\"2099/cve-2099-1003.json\",\"2099-03-30T08:15:42+00:00\"\n",
    );
    let srv = Server::start(folder.root.path());
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(&srv, cache.path());
    let r = run(&o);
    assert_eq!(vex_state(&r), (7, FeedState::Fresh));
    let first = requests(&srv);
    assert_eq!(
        first,
        [
            "archive_latest.txt",
            ARCHIVE,
            "changes.csv",
            "deletions.csv"
        ]
    );
    let want = [(
        "REDHAT-VEX-CVE-2099-1001".to_owned(),
        Some("will_not_fix".into()),
    )];
    assert_eq!(rhel9(cache.path(), "openssl"), want);

    folder.put("changes.csv", &read(&changes("changes.csv")));
    for doc in ["2099/cve-2099-1001.json", "2099/cve-2099-1005.json"] {
        folder.put(doc, &read(&changes(doc)));
    }
    let r = run(&o);
    assert_eq!(
        vex_state(&r),
        (9, FeedState::Fresh),
        "{:?}",
        r.feeds.warnings
    );
    let second = requests(&srv);
    let want = [
        "archive_latest.txt",
        "changes.csv",
        "deletions.csv",
        "2099/cve-2099-1001.json",
        "2099/cve-2099-1005.json",
    ];
    assert_eq!(second, want);
    let deferred = [(
        "REDHAT-VEX-CVE-2099-1001".to_owned(),
        Some("fix_deferred".into()),
    )];
    assert_eq!(rhel9(cache.path(), "openssl"), deferred);
    let got = stored(cache.path());
    assert_eq!(got, full_read(&[&base, &changes("")], &[]));

    let r = run(&o);
    assert_eq!(vex_state(&r), (9, FeedState::Fresh));
    assert_eq!(
        requests(&srv),
        ["archive_latest.txt", "changes.csv", "deletions.csv"]
    );
    assert_eq!(stored(cache.path()), got);
}

/// deletions.csv naming 1002 after the archive: its curl and python3.12 entries are
/// gone, as in a full read of an archive without it.
#[test]
fn a_deleted_documents_entries_disappear() {
    let base = testdata("distro-advisories/redhat-vex");
    let (folder, srv, cache, o) = first_update(&base);
    requests(&srv);
    let curl = rhel9(cache.path(), "curl");
    assert_eq!(
        curl,
        [(
            "REDHAT-VEX-CVE-2099-1002".into(),
            Some("fix_deferred".into())
        )]
    );

    folder.put("deletions.csv", &read(&changes("deletions.csv")));
    let r = run(&o);
    assert_eq!(vex_state(&r), (5, FeedState::Fresh));
    assert_eq!(rhel9(cache.path(), "curl"), []);
    let without = full_read(&[&base], &["2099/cve-2099-1002.json"]);
    assert_eq!(stored(cache.path()), without);
    let got = requests(&srv);
    assert_eq!(got, ["archive_latest.txt", "changes.csv", "deletions.csv"]);
}

/// A changed document answering HTTP 500, then one cut off mid-JSON: none of the step is
/// applied (1005, which read, is not stored either), one warning names the document, the
/// state before is read (Cached); once it reads, both are applied.
#[test]
fn a_failing_changed_document_keeps_the_state_before_with_one_warning() {
    let base = testdata("distro-advisories/redhat-vex");
    let (folder, srv, cache, o) = first_update(&base);
    let before = stored(cache.path());

    folder.put("changes.csv", &read(&changes("changes.csv")));
    for doc in ["2099/cve-2099-1001.json", "2099/cve-2099-1005.json"] {
        folder.put(doc, &read(&changes(doc)));
    }
    srv.rule("cve-2099-1001.json", Rule::Status(500));
    let r = run(&o);
    assert_eq!(vex_state(&r), (7, FeedState::Cached));
    let warned: Vec<&String> = (r.feeds.warnings.iter())
        .filter(|w| w.starts_with("Red Hat VEX"))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].contains("2099/cve-2099-1001.json"), "{warned:?}");
    assert_eq!(stored(cache.path()), before);
    assert_eq!(rhel9(cache.path(), "curl").len(), 1);

    srv.clear_rules();
    folder.put("2099/cve-2099-1001.json", b"{\"document\": ");
    let r = run(&o);
    assert_eq!(vex_state(&r), (7, FeedState::Cached));
    let warned: Vec<&String> = (r.feeds.warnings.iter())
        .filter(|w| w.starts_with("Red Hat VEX"))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].contains("2099/cve-2099-1001.json: EOF"),
        "{warned:?}"
    );
    assert_eq!(stored(cache.path()), before);

    folder.put(
        "2099/cve-2099-1001.json",
        &read(&changes("2099/cve-2099-1001.json")),
    );
    let r = run(&o);
    assert_eq!(vex_state(&r), (9, FeedState::Fresh));
    assert_eq!(stored(cache.path()), full_read(&[&base, &changes("")], &[]));
}

/// A kept archive over 30 days old (2020-01-01) is downloaded again on the next update
/// though changes.csv reads, and its documents are fetched again on top; so is one
/// whose changes.csv lists more than 5,000 newer documents (none of which is fetched).
#[test]
fn an_old_archive_or_too_many_changes_download_the_archive_again() {
    let base = testdata("distro-advisories/redhat-vex");
    let old = "csaf_vex_2020-01-01.tar.zst";
    let folder = Folder::new(old, &[&base]);
    folder.put(
        "changes.csv",
        b"\"2099/cve-2099-1005.json\",\"2020-01-02T10:00:00+00:00\"\n",
    );
    folder.put(
        "2099/cve-2099-1005.json",
        &read(&changes("2099/cve-2099-1005.json")),
    );
    let srv = Server::start(folder.root.path());
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(&srv, cache.path());
    let full = [
        "archive_latest.txt",
        old,
        "changes.csv",
        "deletions.csv",
        "2099/cve-2099-1005.json",
    ];
    assert_eq!(vex_state(&run(&o)), (9, FeedState::Fresh));
    assert_eq!(requests(&srv), full);
    assert_eq!(vex_state(&run(&o)), (9, FeedState::Fresh));
    assert_eq!(requests(&srv), full);

    let (folder, srv, _cache, o) = first_update(&base);
    let many: String = (0..5_001)
        .map(|n| {
            format!(
                "\"2099/cve-2099-{:05}.json\",\"2099-04-03T00:00:00+00:00\"\n",
                n + 20_000
            )
        })
        .collect();
    folder.put("changes.csv", many.as_bytes());
    requests(&srv);
    assert_eq!(vex_state(&run(&o)), (7, FeedState::Fresh));
    let got = requests(&srv);
    let want = [
        "archive_latest.txt",
        "changes.csv",
        "deletions.csv",
        ARCHIVE,
        "changes.csv",
        "deletions.csv",
    ];
    assert_eq!(got, want);
}
