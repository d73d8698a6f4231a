//! Integration tests against the mini mirror in testdata/vulndb/mini (built from the
//! real data by testdata/vulndb/make_mini.py). Expected values are computed here
//! independently: by opening the zips and feed files directly.

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use drydock_vulndb::{Db, Error, UpdateMode, update};
use mirror::{copy_dir, ecosystems, mini, opts, zip_records};
use serde_json::Value;
use server::Server;

fn check_counts(osv: &Path, cache: &Path, report: &drydock_vulndb::UpdateReport) {
    let db = Db::open_cache(cache).expect("open db");
    let infos: HashMap<String, usize> = db
        .ecosystems()
        .expect("ecosystems")
        .into_iter()
        .map(|e| (e.name, e.records))
        .collect();
    let mut expected_bad = Vec::new();
    for eco in ecosystems(osv) {
        let recs = zip_records(&osv.join(&eco).join("all.zip"));
        let good = recs.values().filter(|v| v.is_some()).count();
        expected_bad.extend(
            recs.iter()
                .filter(|(_, v)| v.is_none())
                .map(|(id, _)| (eco.clone(), id.clone())),
        );
        assert!(good > 0, "{eco} has records");
        assert_eq!(infos.get(&eco), Some(&good), "db count for {eco}");
        let rep = report
            .ecosystems
            .iter()
            .find(|e| e.name == eco)
            .expect("eco in report");
        assert_eq!(rep.records, good, "report count for {eco}");
    }
    let mut got_bad: Vec<(String, String)> = report
        .bad_records
        .iter()
        .map(|b| (b.ecosystem.clone(), b.id.clone()))
        .collect();
    got_bad.sort();
    expected_bad.sort();
    assert_eq!(got_bad, expected_bad);
    assert!(
        expected_bad.contains(&("PyPI".to_owned(), "PYSEC-0000-BAD".to_owned())),
        "fixture has the bad record"
    );
}

#[test]
fn full_import_over_http_matches_zip_counts() {
    let srv = Server::start(&mini());
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&opts(srv.url("osv"), cache.path())).expect("update");
    assert_eq!(r.mode, UpdateMode::Full);
    check_counts(&mini().join("osv"), cache.path(), &r);
    let st = drydock_vulndb::status(cache.path()).expect("status");
    assert_eq!(st.source, srv.url("osv"));
    assert_eq!(st.schema_version, drydock_vulndb::SCHEMA_VERSION);
    assert!(st.age < Duration::from_secs(60));
    // Ecosystem names with ':' were requested URL-encoded and decoded by the server.
    assert!(
        srv.requests()
            .contains(&"/osv/Alpine:v3.20/all.zip".to_owned())
    );
    // The mini mirror ships only Alpine's main repo, no edge secdb (named since the build
    // has an Alpine release), no NVD feeds and no Debian tracker export (it has Debian
    // records); absent feeds are reported, not fatal.
    assert_eq!(
        r.feeds.missing,
        vec![
            srv.url("nvd/nvdcve-2.0-modified.meta"),
            srv.url("debian-tracker/tracker.json"),
            srv.url("alpine-secdb/v3.20/community.json"),
            srv.url("alpine-secdb/edge/main.json"),
            srv.url("alpine-secdb/edge/community.json")
        ]
    );
}

#[test]
fn full_import_from_directory_matches_zip_counts() {
    let cache = tempfile::tempdir().expect("tmp");
    let base = mini().join("osv");
    let r = update(&opts(base.display().to_string(), cache.path())).expect("update");
    check_counts(&base, cache.path(), &r);
}

#[test]
fn lookups_return_every_zip_record() {
    let cache = tempfile::tempdir().expect("tmp");
    let base = mini().join("osv");
    update(&opts(base.display().to_string(), cache.path())).expect("update");
    let db = Db::open_cache(cache.path()).expect("open");
    let mut checked = 0;
    let mut withdrawn_seen = 0;
    for eco in ecosystems(&base) {
        for (id, rec) in zip_records(&base.join(&eco).join("all.zip")) {
            let Some(rec) = rec else { continue };
            for a in rec["affected"].as_array().into_iter().flatten() {
                let (Some(e), Some(name)) = (
                    a["package"]["ecosystem"].as_str(),
                    a["package"]["name"].as_str(),
                ) else {
                    continue;
                };
                let hits = db.advisories_for(e, name).expect("lookup");
                let hit = hits
                    .iter()
                    .find(|h| {
                        h.advisory_id == id && {
                            // several entries can name the same package; match on ranges count
                            let want = a["ranges"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter(|r| r["type"] != "GIT")
                                .count();
                            h.ranges.len() == want
                        }
                    })
                    .unwrap_or_else(|| panic!("{id} for {e}/{name}"));
                assert_eq!(hit.withdrawn, rec.get("withdrawn").is_some());
                withdrawn_seen += usize::from(hit.withdrawn);
                let want_versions: Vec<&str> = a["versions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(hit.versions, want_versions, "{id}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked}");
    assert!(withdrawn_seen > 0, "fixture includes withdrawn records");

    // A hand-checked record: PYSEC with a name needing PEP 503 normalization.
    let pypi = zip_records(&base.join("PyPI").join("all.zip"));
    let (id, name) = pypi
        .iter()
        .filter_map(|(id, v)| Some((id, v.as_ref()?)))
        .find_map(|(id, v)| {
            v["affected"].as_array()?.iter().find_map(|a| {
                let n = a["package"]["name"].as_str()?;
                n.contains(|c: char| c.is_ascii_uppercase() || c == '_' || c == '.')
                    .then(|| (id.clone(), n.to_owned()))
            })
        })
        .expect("fixture has an oddly spelled PyPI name");
    let variant = name.to_ascii_uppercase().replace(['_', '.'], "-");
    let hits = db.advisories_for("PyPI", &variant).expect("lookup");
    assert!(
        hits.iter().any(|h| h.advisory_id == id),
        "{variant} -> {id}"
    );
    assert!(
        db.advisories_for("PyPI", "no-such-package")
            .expect("lookup")
            .is_empty()
    );
}

/// Writes `rec` with a new `modified` as a per-record file and moves its csv line to the top.
fn touch_record(osv: &Path, eco: &str, id: &str, summary: &str) -> Value {
    let recs = zip_records(&osv.join(eco).join("all.zip"));
    let mut rec = recs[id].clone().expect("good record");
    rec["modified"] = Value::from("2030-01-01T00:00:00Z");
    rec["summary"] = Value::from(summary);
    let csv_path = osv.join(eco).join("modified_id.csv");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let rest: String = csv
        .lines()
        .filter(|l| !l.ends_with(&format!(",{id}")))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&csv_path, format!("2030-01-01T00:00:00Z,{id}\n{rest}")).expect("write csv");
    rec
}

fn first_good(osv: &Path, eco: &str) -> String {
    zip_records(&osv.join(eco).join("all.zip"))
        .into_iter()
        .find(|(_, v)| v.as_ref().is_some_and(|v| v.get("withdrawn").is_none()))
        .map(|(id, _)| id)
        .expect("a good record")
}

#[test]
fn incremental_over_http_fetches_exactly_one_record() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    let osv = mirror.path().join("osv");
    let srv = Server::start(mirror.path());
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(srv.url("osv"), cache.path());
    update(&o).expect("full");
    let before = Db::open_cache(cache.path())
        .expect("open")
        .ecosystems()
        .expect("ecos");

    let id = first_good(&osv, "crates.io");
    let rec = touch_record(&osv, "crates.io", &id, "changed summary");
    std::fs::write(
        osv.join("crates.io").join(format!("{id}.json")),
        serde_json::to_vec(&rec).expect("json"),
    )
    .expect("write record");
    srv.clear_log();
    let r = update(&o).expect("incremental");
    assert_eq!(r.mode, UpdateMode::Incremental);
    assert_eq!(r.records_fetched, 1);
    assert_eq!(r.zips_downloaded, 0);
    let reqs = srv.requests();
    let json_reqs: Vec<_> = reqs
        .iter()
        .filter(|p| p.starts_with("/osv/") && p.ends_with(".json"))
        .collect();
    assert_eq!(json_reqs, vec![&format!("/osv/crates.io/{id}.json")]);
    assert!(!reqs.iter().any(|p| p.ends_with("all.zip")), "{reqs:?}");
    let db = Db::open_cache(cache.path()).expect("open");
    let adv = db.advisory(&id).expect("query").expect("present");
    assert_eq!(adv.summary.as_deref(), Some("changed summary"));
    assert_eq!(adv.modified, "2030-01-01T00:00:00Z");
    assert_eq!(db.ecosystems().expect("ecos"), {
        let mut b = before.clone();
        for e in &mut b {
            if e.name == "crates.io" {
                e.last_modified = Some("2030-01-01T00:00:00Z".into());
            }
        }
        b
    });
    drop(db);

    // No changes: nothing rewritten, no record or zip fetched.
    let path = drydock_vulndb::db_path(cache.path());
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    srv.clear_log();
    let r = update(&o).expect("no-op");
    assert_eq!(r.mode, UpdateMode::UpToDate);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        mtime
    );
    assert!(!srv.requests().iter().any(|p| p.ends_with("all.zip")));
    // The bad record is not retried while unchanged.
    assert!(r.bad_records.is_empty());
}

#[test]
fn incremental_directory_mirror_reads_zip_and_handles_removal() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    let osv = mirror.path().join("osv");
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(osv.display().to_string(), cache.path());
    update(&o).expect("full");

    // Rewrite Go/all.zip with one record changed; no per-record file exists.
    let id = first_good(&osv, "Go");
    let rec = touch_record(&osv, "Go", &id, "zip-only change");
    let zpath = osv.join("Go").join("all.zip");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&zpath).expect("open")).expect("zip");
        for i in 0..z.len() {
            let mut e = z.by_index(i).expect("entry");
            let mut b = Vec::new();
            e.read_to_end(&mut b).expect("read");
            entries.push((e.name().expect("name").into_owned(), b));
        }
    }
    // Also remove another record from the ecosystem entirely.
    let removed = entries
        .iter()
        .map(|(n, _)| n.trim_end_matches(".json").to_owned())
        .find(|n| *n != id)
        .expect("second record");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zpath).expect("create"));
        for (name, b) in &entries {
            if name.trim_end_matches(".json") == removed {
                continue;
            }
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .expect("start");
            if name == &format!("{id}.json") {
                w.write_all(&serde_json::to_vec(&rec).expect("json"))
                    .expect("write");
            } else {
                w.write_all(b).expect("write");
            }
        }
        w.finish().expect("finish");
    }
    let csv_path = osv.join("Go").join("modified_id.csv");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let kept: String = csv
        .lines()
        .filter(|l| !l.ends_with(&format!(",{removed}")))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&csv_path, kept).expect("write csv");

    let r = update(&o).expect("incremental");
    assert_eq!(r.mode, UpdateMode::Incremental);
    let go = r.ecosystems.iter().find(|e| e.name == "Go").expect("Go");
    assert_eq!((go.fetched, go.removed), (1, 1));
    assert_eq!(
        r.records_fetched, 0,
        "served from all.zip, not as a per-record file"
    );
    let expected = zip_records(&zpath).values().filter(|v| v.is_some()).count();
    assert_eq!(go.records, expected);
    let db = Db::open_cache(cache.path()).expect("open");
    assert_eq!(
        db.advisory(&id)
            .expect("q")
            .and_then(|a| a.summary)
            .as_deref(),
        Some("zip-only change")
    );
    assert!(
        db.advisory(&removed).expect("q").is_none(),
        "{removed} removed"
    );
}

#[test]
fn export_import_roundtrip_and_validation() {
    let cache = tempfile::tempdir().expect("tmp");
    update(&opts(
        mini().join("osv").display().to_string(),
        cache.path(),
    ))
    .expect("build");
    let out = tempfile::tempdir().expect("tmp");
    let file = out.path().join("export.sqlite");
    drydock_vulndb::export(cache.path(), &file).expect("export");

    let other = tempfile::tempdir().expect("tmp");
    drydock_vulndb::import(other.path(), &file).expect("import");
    let a = drydock_vulndb::status(cache.path()).expect("status");
    let b = drydock_vulndb::status(other.path()).expect("status");
    assert_eq!(a.ecosystems, b.ecosystems);
    assert_eq!(a.built_at, b.built_at);

    let before = std::fs::read(drydock_vulndb::db_path(other.path())).expect("read");
    let junk = out.path().join("junk.sqlite");
    std::fs::write(&junk, b"definitely not sqlite").expect("write");
    assert!(drydock_vulndb::import(other.path(), &junk).is_err());
    {
        let c = rusqlite::Connection::open(&file).expect("open");
        c.execute(
            "UPDATE meta SET value = '7' WHERE key = 'schema_version'",
            [],
        )
        .expect("bump");
    }
    assert!(matches!(
        drydock_vulndb::import(other.path(), &file),
        Err(Error::SchemaTooNew { found: 7, .. })
    ));
    assert_eq!(
        std::fs::read(drydock_vulndb::db_path(other.path())).expect("read"),
        before
    );
}

/// Full import of the real shared data (`../shared/vulndata`). Counts are the ones in
/// its MANIFEST.md.
#[test]
fn shared_data_full_import_matches_manifest() {
    let Some(shared) = drydock_testkit::need(drydock_testkit::Need::SharedVulndata) else {
        return;
    };
    let cache = tempfile::tempdir().expect("tmp");
    let r = update(&opts(
        shared.join("osv").display().to_string(),
        cache.path(),
    ))
    .expect("build");
    let counts: HashMap<&str, usize> = r
        .ecosystems
        .iter()
        .map(|e| (e.name.as_str(), e.records))
        .collect();
    for (eco, n) in [
        ("AlmaLinux:8", 3237),
        ("AlmaLinux:9", 1783),
        ("AlmaLinux:10", 660),
        ("Alpine:v3.9", 1954),
        ("Alpine:v3.20", 6525),
        ("Alpine:v3.21", 6307),
        ("Debian:3.0", 724),
        ("Debian:11", 410),
        ("Go", 4291),
        ("crates.io", 1206),
        ("PyPI", 2661),
        ("npm", 461),
        ("RubyGems", 1200),
        ("Packagist", 1585),
    ] {
        assert_eq!(counts.get(eco), Some(&n), "{eco}");
    }
    assert_eq!(counts.values().sum::<usize>(), 92837);
    assert!(r.bad_records.is_empty());
    // The converted Alpine data came from this secdb, so nothing is missing.
    assert_eq!(r.feeds.secdb_added, 0);
    // EPSS here has no '#model_version' line; check one value against the file.
    let epss =
        std::fs::read_to_string(shared.join("epss/epss_subset_emba_2026-08-16.csv")).expect("epss");
    assert!(!epss.starts_with('#'));
    let db = Db::open_cache(cache.path()).expect("open");
    let adv = db
        .advisory("ALPINE-CVE-2021-30473")
        .expect("q")
        .expect("exists");
    let line = epss
        .lines()
        .find(|l| l.starts_with("CVE-2021-30473,"))
        .expect("epss row");
    let f: Vec<f64> = line
        .split(',')
        .skip(1)
        .map(|v| v.parse().expect("num"))
        .collect();
    let ep = adv.cves[0].epss.expect("epss joined");
    assert_eq!(vec![ep.score, ep.percentile], f);
}
