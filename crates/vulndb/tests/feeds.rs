//! Feeds beside OSV (KEV, CVSS, EPSS, Alpine secdb gap-fill, Amazon ALAS) imported from
//! the mini mirror; expected values are read from the feed files and zips directly.

#[path = "support/mirror.rs"]
mod mirror;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use drydock_vulndb::{Db, Event, RangeKind, UpdateMode, update};
use mirror::{add_feed, copy_dir, ecosystems, mini, opts, zip_records};
use serde_json::Value;

fn referenced_cves(osv: &Path) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for eco in ecosystems(osv) {
        for (id, rec) in zip_records(&osv.join(&eco).join("all.zip")) {
            let Some(rec) = rec else { continue };
            let mut names: Vec<String> = vec![id.clone()];
            for k in ["aliases", "upstream", "related"] {
                names.extend(
                    rec[k]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_owned)),
                );
            }
            for n in names {
                if let Some(i) = n.find("CVE-") {
                    out.entry(n[i..].to_owned()).or_insert_with(|| id.clone());
                }
            }
        }
    }
    out
}

#[test]
fn feeds_join_kev_cvss_epss_and_secdb_gap_fill() {
    let cache = tempfile::tempdir().expect("tmp");
    let root = mini();
    let r = update(&opts(root.join("osv").display().to_string(), cache.path())).expect("build");
    let db = Db::open_cache(cache.path()).expect("open");

    let kev: Value = serde_json::from_slice(
        &std::fs::read(root.join("kev/known_exploited_vulnerabilities.json")).expect("kev"),
    )
    .expect("kev json");
    let kev: HashMap<String, Value> = kev["vulnerabilities"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| (v["cveID"].as_str().expect("id").to_owned(), v.clone()))
        .collect();
    let cvss: HashMap<String, Value> = std::fs::read_to_string(root.join("cvss/cvss.jsonl"))
        .expect("cvss")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("line"))
        .map(|v| (v["cve"].as_str().expect("cve").to_owned(), v))
        .collect();
    let epss: HashMap<String, (f64, f64)> =
        std::fs::read_to_string(root.join("epss/epss_mini.csv"))
            .expect("epss")
            .lines()
            .filter(|l| l.starts_with("CVE-"))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    f[0].to_owned(),
                    (f[1].parse().expect("f"), f[2].parse().expect("f")),
                )
            })
            .collect();
    let refs = referenced_cves(&root.join("osv"));
    let mut joined = 0;
    for (cve, adv_id) in &refs {
        let (Some(k), Some(c), Some(e)) = (kev.get(cve), cvss.get(cve), epss.get(cve)) else {
            continue;
        };
        let adv = db.advisory(adv_id).expect("q").expect("advisory exists");
        let info = adv.cves.iter().find(|i| &i.cve == cve).expect("cve joined");
        let kv = info.kev.as_ref().expect("kev");
        assert_eq!(Some(kv.date_added.as_str()), k["dateAdded"].as_str());
        assert_eq!(kv.due_date.as_deref(), k["dueDate"].as_str());
        let c3 = info.cvss3.as_ref().expect("cvss3");
        assert_eq!(Some(c3.vector.as_str()), c["cvss3_vector"].as_str());
        assert_eq!(Some(c3.score), c["cvss3_score"].as_f64());
        assert_eq!(c3.source.as_deref(), c["cvss3_source"].as_str());
        let ep = info.epss.expect("epss");
        assert_eq!((ep.score, ep.percentile), *e);
        assert!(adv.known_exploited());
        joined += 1;
    }
    assert!(joined >= 1, "fixture has a CVE in all three feeds");
    // Feed counters equal the file contents.
    assert_eq!(r.feeds.kev, kev.len());
    assert_eq!(r.feeds.cvss, cvss.len());
    assert_eq!(r.feeds.epss, epss.len());

    // Secdb gap-fill: (package, CVE) pairs in secdb that no mini Alpine record covers.
    let secdb: Value = serde_json::from_slice(
        &std::fs::read(root.join("alpine-secdb/v3.20/main.json")).expect("secdb"),
    )
    .expect("json");
    let mut covered = HashSet::new();
    for (_, rec) in zip_records(&root.join("osv/Alpine:v3.20/all.zip")) {
        let Some(rec) = rec else { continue };
        let cve = rec["upstream"][0].as_str().expect("upstream").to_owned();
        for a in rec["affected"].as_array().expect("affected") {
            if a["package"]["ecosystem"] == "Alpine:v3.20" {
                covered.insert((
                    a["package"]["name"].as_str().expect("n").to_owned(),
                    cve.clone(),
                ));
            }
        }
    }
    let mut gaps = Vec::new();
    for p in secdb["packages"].as_array().expect("packages") {
        let name = p["pkg"]["name"].as_str().expect("name");
        for (ver, items) in p["pkg"]["secfixes"].as_object().expect("fixes") {
            for it in items.as_array().expect("items") {
                let cve = it.as_str().expect("item");
                if ver != "0" && !covered.contains(&(name.to_owned(), cve.to_owned())) {
                    gaps.push((name.to_owned(), cve.to_owned(), ver.clone()));
                }
            }
        }
    }
    assert_eq!(gaps.len(), 1, "fixture has exactly one gap: {gaps:?}");
    assert_eq!(r.feeds.secdb_added, gaps.len());
    let (pkg, cve, fixed) = &gaps[0];
    let hits = db.advisories_for("Alpine:v3.20", pkg).expect("lookup");
    let hit = hits
        .iter()
        .find(|h| h.advisory_id == format!("ALPINE-SECDB-{cve}"))
        .expect("secdb advisory");
    assert_eq!(hit.ranges[0].kind, RangeKind::Ecosystem);
    assert_eq!(
        hit.ranges[0].events,
        vec![Event::Introduced("0".into()), Event::Fixed(fixed.clone())]
    );
}

/// Alpine edge has no OSV ecosystem: its advisories are derived from the mirror's
/// `alpine-secdb/edge/` alone, under `Alpine:edge`, whatever OSV's releases cover, and
/// vanish with those files. Expected values are read off the trimmed real files
/// (testdata/distro-advisories/README.md): busybox has 25 distinct CVEs under versions
/// other than "0" (counted with Python's json and re).
#[test]
fn alpine_edge_is_derived_from_secdb_alone() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    for f in ["main.json", "community.json"] {
        add_feed(
            mirror.path(),
            "alpine-secdb/edge",
            &format!("alpine-secdb/edge/{f}"),
        );
    }
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(
        mirror.path().join("osv").display().to_string(),
        cache.path(),
    );
    let r = update(&o).expect("full");
    assert!(
        !r.feeds.missing.iter().any(|m| m.contains("edge")),
        "{:?}",
        r.feeds.missing
    );
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(db.has_ecosystem("Alpine:edge").expect("q"));
    let busybox = db.advisories_for("Alpine:edge", "busybox").expect("q");
    assert_eq!(busybox.len(), 25);
    let fixed = |id: &str| {
        busybox
            .iter()
            .find(|e| e.advisory_id == id)
            .map(|e| e.ranges[0].events.clone())
    };
    // Listed under "1.35.0-r17" before "1.35.0-r7": the version it is listed under.
    assert_eq!(
        fixed("ALPINE-SECDB-CVE-2022-30065"),
        Some(vec![
            Event::Introduced("0".into()),
            Event::Fixed("1.35.0-r17".into())
        ])
    );
    // Only under "0" (never affected): no advisory.
    assert_eq!(fixed("ALPINE-SECDB-CVE-2021-42373"), None);
    drop(db);

    // Without the files, edge is no longer covered.
    std::fs::remove_dir_all(mirror.path().join("alpine-secdb/edge")).expect("rm");
    let r = update(&o).expect("second update");
    assert!(
        r.feeds
            .missing
            .iter()
            .any(|m| m.ends_with("edge/main.json"))
    );
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(!db.has_ecosystem("Alpine:edge").expect("q"));
    assert!(
        db.advisories_for("Alpine:edge", "busybox")
            .expect("q")
            .is_empty()
    );
}

/// Amazon Linux advisories come from the mirror's `alas/` folder, not from OSV records, so
/// an incremental update that prunes records OSV no longer lists must still have them.
#[test]
fn alas_advisories_are_imported_and_survive_incremental_updates() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    add_feed(mirror.path(), "alas/2023", "alas/2023/updateinfo.xml");
    let osv = mirror.path().join("osv");
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(osv.display().to_string(), cache.path());
    let r = update(&o).expect("full");
    assert_eq!(r.mode, UpdateMode::Full);
    let curl = |db: &Db| -> Vec<String> {
        db.advisories_for("Amazon Linux:2023", "libcurl-minimal")
            .expect("q")
            .into_iter()
            .map(|e| {
                format!(
                    "{} {:?} {:?}",
                    e.advisory_id, e.ranges[0].events, e.vendor_rating
                )
            })
            .collect()
    };
    let want =
        [r#"ALAS2023-2024-550 [Introduced("0"), Fixed("0:8.5.0-1.amzn2023.0.4")] Some("medium")"#];
    let db = Db::open_cache(cache.path()).expect("open");
    assert_eq!(curl(&db), want);
    assert!(db.has_ecosystem("Amazon Linux:2023").expect("q"));
    assert!(
        !db.has_ecosystem("Amazon Linux:2").expect("q"),
        "no alas/2 in the mirror"
    );
    let adv = db
        .advisory("ALAS2023-2024-550")
        .expect("q")
        .expect("stored");
    assert_eq!(adv.published.as_deref(), Some("2024-03-13T22:10:00Z"));
    drop(db);

    // Drop one Go record from the listing: an incremental update that prunes.
    let csv_path = osv.join("Go").join("modified_id.csv");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let mut lines: Vec<&str> = csv.lines().collect();
    lines.remove(0);
    std::fs::write(&csv_path, lines.join("\n") + "\n").expect("write csv");
    let r = update(&o).expect("incremental");
    assert_eq!(r.mode, UpdateMode::Incremental);
    let db = Db::open_cache(cache.path()).expect("open");
    assert_eq!(curl(&db), want);
}

/// Oracle Linux advisories come from the mirror's `oval/oracle/` ELSA OVAL file; each
/// definition's tests are resolved through their objects and states by id. Expected
/// values are read off the hand-written fixture (testdata/distro-advisories/README.md).
#[test]
fn elsa_oval_advisories_are_imported_per_release() {
    let mirror = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), mirror.path());
    let osv = mirror.path().join("osv");
    let cache = tempfile::tempdir().expect("tmp");
    let o = opts(osv.display().to_string(), cache.path());
    update(&o).expect("without the feed");
    let db = Db::open_cache(cache.path()).expect("open");
    assert!(!db.has_ecosystem("Oracle Linux:9").expect("q"), "no oval/");
    drop(db);

    add_feed(
        mirror.path(),
        "oval/oracle",
        "oval/oracle/com.oracle.elsa-all.xml",
    );
    let oval = mirror.path().join("oval/oracle");
    update(&o).expect("with the feed");
    let db = Db::open_cache(cache.path()).expect("open");
    let bash = |eco: &str| -> Vec<String> {
        let mut v: Vec<String> = db
            .advisories_for(eco, "bash")
            .expect("q")
            .into_iter()
            .map(|e| {
                format!(
                    "{} {:?} {:?}",
                    e.advisory_id, e.ranges[0].events, e.vendor_rating
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        bash("Oracle Linux:9"),
        [
            r#"ELSA-2023-0202 [Introduced("0"), Fixed("0:5.1.8-9.el9")] Some("moderate")"#,
            r#"ELSA-2024-0101 [Introduced("0"), Fixed("0:5.1.8-10.el9")] Some("important")"#,
            r#"ELSA-2024-0404 [Introduced("0"), Fixed("1:5.0-1.el9")] Some("low")"#,
        ]
    );
    assert_eq!(
        bash("Oracle Linux:8"),
        [r#"ELSA-2024-0303 [Introduced("0"), Fixed("0:5.1.8-99.el8")] Some("important")"#]
    );
    assert!(db.has_ecosystem("Oracle Linux:9").expect("q"));
    assert!(!db.has_ecosystem("Oracle Linux:7").expect("q"));
    let adv = db.advisory("ELSA-2024-0101").expect("q").expect("stored");
    assert_eq!(adv.published.as_deref(), Some("2024-01-04T00:00:00Z"));
    assert_eq!(
        adv.url.as_deref(),
        Some("https://linux.oracle.com/errata/ELSA-2024-0101.html")
    );
    assert_eq!(
        adv.summary.as_deref(),
        Some("ELSA-2024-0101:  bash security update (IMPORTANT)")
    );

    // A broken mirror file fails the update with one line naming it.
    std::fs::write(
        oval.join("com.oracle.elsa-all.xml"),
        "<oval_definitions><definitions></x>",
    )
    .expect("write");
    let e = update(&o).expect_err("malformed").to_string();
    assert!(e.contains("oval/oracle/com.oracle.elsa-all.xml"), "{e}");
    assert!(!e.contains('\n'), "{e}");
}
