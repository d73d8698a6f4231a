//! Faults `db update` must survive with the database intact: a kill mid-update, a
//! database from a newer schema, and HTTP failures (each names the URL and keeps the DB).
//! Same mini mirror as vulndb.rs.

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::Path;
use std::time::Duration;

use drydock_vulndb::{Db, Error, UpdateMode, update};
use mirror::{copy_dir, ecosystems, mini, opts};
use server::{Rule, Server};

/// Child half of `kill_during_update_keeps_old_db`: runs an update from env settings.
#[test]
#[ignore = "helper: spawned as a child process by kill_during_update_keeps_old_db"]
fn child_update_entry() {
    let base = std::env::var("DRYDOCK_VULNDB_CHILD_BASE").expect("base env");
    let cache = std::env::var("DRYDOCK_VULNDB_CHILD_CACHE").expect("cache env");
    let mut o = opts(base, Path::new(&cache));
    o.full = true;
    o.timeout = Duration::from_secs(600);
    update(&o).expect("child update");
}

#[test]
fn kill_during_update_keeps_old_db() {
    let srv = Server::start(&mini());
    let cache = tempfile::tempdir().expect("tmp");
    update(&opts(srv.url("osv"), cache.path())).expect("initial");
    let before = Db::open_cache(cache.path())
        .expect("open")
        .ecosystems()
        .expect("ecos");
    let db_bytes = std::fs::read(drydock_vulndb::db_path(cache.path())).expect("read db");

    // Ecosystems are imported in ecosystems.txt order; hang on a later one's zip so the
    // child has already written earlier ecosystems into its temp file.
    let ecos = ecosystems(&mini().join("osv"));
    let late = &ecos[ecos.len() - 2];
    srv.rule(&format!("/osv/{late}/all.zip"), Rule::Hang);
    srv.clear_log();
    let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args([
            "--exact",
            "child_update_entry",
            "--include-ignored",
            "--nocapture",
        ])
        .env("DRYDOCK_VULNDB_CHILD_BASE", srv.url("osv"))
        .env("DRYDOCK_VULNDB_CHILD_CACHE", cache.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn child");
    let want = format!("/osv/{late}/all.zip");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !srv.requests().contains(&want) {
        assert!(
            std::time::Instant::now() < deadline,
            "child never reached {want}"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "child exited early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let tmp = cache.path().join(format!("db.sqlite.tmp-{}", child.id()));
    assert!(tmp.exists(), "child was mid-build");
    child.kill().expect("kill");
    child.wait().expect("reap");

    assert_eq!(
        std::fs::read(drydock_vulndb::db_path(cache.path())).expect("read db"),
        db_bytes,
        "old db untouched"
    );
    let db = Db::open_cache(cache.path()).expect("old db opens");
    assert_eq!(db.ecosystems().expect("ecos"), before);
    drop(db);
    // The next update clears the dead process's temp file.
    srv.clear_rules();
    update(&opts(srv.url("osv"), cache.path())).expect("after kill");
    assert!(!tmp.exists(), "stale temp removed");
}

#[test]
fn schema_too_new_is_rejected() {
    let cache = tempfile::tempdir().expect("tmp");
    let base = mini().join("osv").display().to_string();
    update(&opts(base.clone(), cache.path())).expect("build");
    let path = drydock_vulndb::db_path(cache.path());
    {
        let c = rusqlite::Connection::open(&path).expect("open rw");
        c.execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .expect("bump");
    }
    let bytes = std::fs::read(&path).expect("read");
    let msg = match Db::open(&path) {
        Err(e @ Error::SchemaTooNew { .. }) => e.to_string(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("opened a v99 database"),
    };
    assert!(msg.contains("schema v99 is newer"), "{msg}");
    assert!(msg.contains("drydock db update --full"), "{msg}");
    assert!(matches!(
        update(&opts(base.clone(), cache.path())),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "not touched");
    let mut full = opts(base, cache.path());
    full.full = true;
    assert_eq!(update(&full).expect("full rebuild").mode, UpdateMode::Full);
    Db::open(&path).expect("rebuilt db opens");
}

#[test]
fn http_failures_name_the_url_and_keep_the_db() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    std::fs::write(
        mirror.path().join("osv/npm/all.zip"),
        b"PK\x03\x04 not really a zip",
    )
    .expect("corrupt");
    let srv = Server::start(mirror.path());
    let cache = tempfile::tempdir().expect("tmp");
    // First a good DB from the pristine mirror.
    let good = Server::start(&mini());
    update(&opts(good.url("osv"), cache.path())).expect("build");
    let path = drydock_vulndb::db_path(cache.path());
    let bytes = std::fs::read(&path).expect("read");

    let mut o = opts(srv.url("osv"), cache.path());
    o.full = true;
    type Expect = Box<dyn Fn(&Error) -> bool>;
    let cases: Vec<(&str, Option<Rule>, Expect)> = vec![
        (
            "Go/all.zip",
            Some(Rule::Status(404)),
            Box::new(|e| matches!(e, Error::NotFound { .. })),
        ),
        (
            "crates.io/modified_id.csv",
            Some(Rule::Status(500)),
            Box::new(|e| matches!(e, Error::HttpStatus { status: 500, .. })),
        ),
        (
            "PyPI/all.zip",
            Some(Rule::Truncate),
            Box::new(|e| matches!(e, Error::Transport { .. })),
        ),
        (
            "npm/all.zip",
            None,
            Box::new(|e| matches!(e, Error::CorruptZip { .. })),
        ),
    ];
    for (suffix, rule, pred) in cases {
        srv.clear_rules();
        srv.clear_log();
        if let Some(r) = rule.clone() {
            srv.rule(suffix, r);
        }
        let err = update(&o).expect_err(suffix);
        assert!(pred(&err), "{suffix}: {err:?}");
        let url = srv.url(&format!("osv/{}", suffix.replace(':', "%3A")));
        assert!(
            err.to_string().contains(&url),
            "{suffix}: {err} lacks {url}"
        );
        if matches!(rule, Some(Rule::Status(500))) {
            let tries = srv
                .requests()
                .iter()
                .filter(|p| p.ends_with(suffix))
                .count();
            assert_eq!(tries, 2, "one retry for a 5xx");
        }
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{suffix}: db untouched"
        );
        let leftovers: Vec<_> = std::fs::read_dir(cache.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n != "db.sqlite")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
