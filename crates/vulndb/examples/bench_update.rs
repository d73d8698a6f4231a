//! Benchmark: full and no-change incremental update of the real shared data served
//! over loopback HTTP, then 10,000 package lookups.
//!
//! Run: `cargo build --release -p drydock-vulndb --example bench_update &&
//!       /usr/bin/time -v target/release/examples/bench_update [VULNDATA]`
//! (`/usr/bin/time -v` reports the peak RSS as "Maximum resident set size"). VULNDATA
//! defaults to `$DRYDOCK_SHARED/vulndata`, else `../shared/vulndata` beside the repository.

#[path = "../tests/support/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::time::Instant;

use drydock_vulndb::{Db, UpdateOptions, update};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).map_or_else(
        || drydock_testkit::shared_dir().join("vulndata"),
        PathBuf::from,
    );
    if !root.join("osv").is_dir() {
        return Err(format!(
            "{}: no osv/ folder (pass the vulndata folder)",
            root.display()
        )
        .into());
    }
    let mut ecosystems: Vec<String> = std::fs::read_dir(root.join("osv"))?
        .flatten()
        .filter(|e| e.path().join("all.zip").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    ecosystems.sort();
    let srv = server::Server::start(&root);
    // Optional second argument: cache dir to keep the built DB in (else a temp dir).
    let keep = std::env::args().nth(2).map(PathBuf::from);
    let cache = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("drydock-bench-{}", std::process::id()))
    });
    let mut opts = UpdateOptions::new(srv.url("osv"), &cache);
    opts.ecosystems = Some(ecosystems);

    // Third argument `lookups`: only benchmark lookups against the kept DB.
    if std::env::args().nth(3).as_deref() != Some("lookups") {
        run_updates(&opts, &cache)?;
    }
    lookups(&cache)?;
    if keep.is_none() {
        std::fs::remove_dir_all(&cache)?;
    }
    Ok(())
}

fn run_updates(opts: &UpdateOptions, cache: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let full = update(opts)?;
    let full_time = t.elapsed();
    let records: usize = full.ecosystems.iter().map(|e| e.records).sum();
    let size = std::fs::metadata(drydock_vulndb::db_path(cache))?.len();
    println!(
        "full update: {:.2} s, {} ecosystems, {records} records, {} bad, secdb added {}, db {:.1} MB",
        full_time.as_secs_f64(),
        full.ecosystems.len(),
        full.bad_records.len(),
        full.feeds.secdb_added,
        size as f64 / 1e6
    );

    let t = Instant::now();
    let inc = update(opts)?;
    println!(
        "incremental (no change): {:.3} s, mode {:?}",
        t.elapsed().as_secs_f64(),
        inc.mode
    );

    Ok(())
}

fn lookups(cache: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // 10,000 lookups: every distinct (ecosystem, package) in the DB, cycled, half of
    // them spelled as an unknown package to include misses.
    let db = Db::open_cache(cache)?;
    let pairs: Vec<(String, String)> = {
        let conn = rusqlite::Connection::open(drydock_vulndb::db_path(cache))?;
        let mut st = conn.prepare("SELECT DISTINCT ecosystem, package FROM affected")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let queries: Vec<(String, String)> = (0..10_000)
        .map(|i| {
            let (e, p) = &pairs[i % pairs.len()];
            if i % 2 == 0 {
                (e.clone(), p.clone())
            } else {
                (e.clone(), format!("{p}-nope"))
            }
        })
        .collect();
    // First round right after opening (what one scan pays), then a warm round.
    for round in ["first", "second"] {
        let t = Instant::now();
        let mut hits = 0;
        for (e, p) in &queries {
            hits += db.advisories_for(e, p)?.len();
        }
        println!(
            "10000 lookups ({round} round): {:.1} ms, {hits} affected entries returned \
             ({} distinct packages in db)",
            t.elapsed().as_secs_f64() * 1e3,
            pairs.len()
        );
    }
    Ok(())
}
