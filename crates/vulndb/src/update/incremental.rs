//! Incremental update: compare the mirror's `modified_id.csv` lists with what the
//! database holds, then re-read only what changed (per record, or the whole zip when
//! that is cheaper) into a copy of the database.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::import::{fetch_records, import_zips};
use super::install::{open_for_build, temp_db};
use super::write::Writer;
use super::{
    Ctx, EcoOutcome, EcosystemReport, UpdateMode, UpdateReport, feed_report, finish_build,
};
use crate::error::{Error, Result};
use crate::feeds::Feeds;
use crate::schema::{self, SECDB_PREFIX};

/// Above this many changed records in one ecosystem, re-reading `all.zip` is cheaper
/// than fetching records one by one.
const PER_RECORD_LIMIT: usize = 300;

/// What an incremental update must do for one ecosystem.
struct Plan {
    eco: usize,
    /// Re-read the whole `all.zip` instead of `changed` one by one.
    zip: bool,
    /// (id, modified) listed in the csv that the database lacks or has older.
    changed: Vec<(String, String)>,
    /// Stored ids the csv no longer lists.
    removed: Vec<String>,
    newest: Option<String>,
}

pub(super) fn incremental(ctx: &Ctx, old: Connection, dest: &Path) -> Result<UpdateReport> {
    let plans = ctx
        .ecosystems
        .iter()
        .enumerate()
        .map(|(i, eco)| plan(ctx, &old, i, eco))
        .collect::<Result<Vec<_>>>()?;
    let dropped = dropped_ecosystems(ctx, &old)?;
    let feeds = ctx.feeds()?;
    let feeds_changed = schema::get_meta(&old, "feeds_digest")?.as_deref() != Some(&feeds.digest);
    let records_changed = plans
        .iter()
        .any(|p| p.zip || !p.changed.is_empty() || !p.removed.is_empty())
        || !dropped.is_empty();
    if !records_changed && !feeds_changed {
        return up_to_date(ctx, &old, &feeds, dest);
    }
    drop(old);

    let tmp = temp_db(&ctx.cache_dir);
    std::fs::copy(dest, &tmp.path).map_err(|e| Error::io(&tmp.path, e))?;
    let conn = open_for_build(&tmp.path)?;
    conn.execute_batch("BEGIN")?;
    let mut w = Writer::new(conn);
    let (records_fetched, zips_downloaded) = apply(ctx, &mut w, &plans, &dropped)?;
    let outcomes: Vec<EcoOutcome> = plans
        .into_iter()
        .map(|p| EcoOutcome {
            eco: p.eco,
            newest: p.newest,
            removed: p.removed.len(),
            zip_downloaded: p.zip,
        })
        .collect();
    let done = finish_build(ctx, w, tmp, dest, &feeds, outcomes)?;
    Ok(UpdateReport {
        mode: UpdateMode::Incremental,
        ecosystems: done.ecosystems,
        bad_records: done.bad_records,
        records_fetched,
        zips_downloaded,
        feeds: feed_report(&feeds, done.secdb_added, feeds_changed),
        db_path: dest.to_path_buf(),
        elapsed: Duration::ZERO,
    })
}

/// Compares ecosystem `i`'s csv with its stored records.
fn plan(ctx: &Ctx, old: &Connection, i: usize, eco: &str) -> Result<Plan> {
    let loc = ctx.base.join(&[eco, "modified_id.csv"]);
    let csv = ctx
        .csv(eco)?
        .ok_or(Error::NotFound { url: loc.display() })?;
    let known = old
        .prepare_cached("SELECT 1 FROM eco_state WHERE ecosystem = ?1")?
        .exists([eco])?;
    let mut stored: HashMap<String, String> = HashMap::new();
    {
        let mut st =
            old.prepare_cached("SELECT id, modified FROM eco_record WHERE ecosystem = ?1")?;
        let mut rows = st.query([eco])?;
        while let Some(r) = rows.next()? {
            // Bad records carry the csv `modified` they were listed with, so they
            // are retried only once the mirror changes them.
            stored.insert(r.get(0)?, r.get(1)?);
        }
    }
    let newest = csv.first().map(|(_, m)| m.clone());
    let listed: HashSet<&str> = csv.iter().map(|(id, _)| id.as_str()).collect();
    let removed: Vec<String> = stored
        .keys()
        .filter(|id| !listed.contains(id.as_str()))
        .cloned()
        .collect();
    let changed: Vec<(String, String)> = csv
        .into_iter()
        .filter(|(id, m)| stored.get(id) != Some(m))
        .collect();
    Ok(Plan {
        eco: i,
        zip: !known || changed.len() > PER_RECORD_LIMIT,
        changed,
        removed,
        newest,
    })
}

/// Ecosystems the database holds that this update no longer asks for.
fn dropped_ecosystems(ctx: &Ctx, old: &Connection) -> Result<Vec<String>> {
    let wanted: HashSet<&str> = ctx.ecosystems.iter().map(String::as_str).collect();
    let mut st = old.prepare("SELECT ecosystem FROM eco_state")?;
    let all = st.query_map([], |r| r.get::<_, String>(0))?;
    Ok(all
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|e| !wanted.contains(e.as_str()))
        .collect())
}

/// The report when nothing changed: counters as stored, database untouched.
fn up_to_date(ctx: &Ctx, old: &Connection, feeds: &Feeds, dest: &Path) -> Result<UpdateReport> {
    let ecosystems = ctx
        .ecosystems
        .iter()
        .map(|eco| eco_report_from_state(old, eco))
        .collect::<Result<Vec<_>>>()?;
    let secdb_added: i64 = old.query_row(
        "SELECT COUNT(*) FROM advisory WHERE id LIKE ?1",
        [format!("{SECDB_PREFIX}%")],
        |r| r.get(0),
    )?;
    Ok(UpdateReport {
        mode: UpdateMode::UpToDate,
        ecosystems,
        bad_records: Vec::new(),
        records_fetched: 0,
        zips_downloaded: 0,
        feeds: feed_report(feeds, usize::try_from(secdb_added).unwrap_or(0), false),
        db_path: dest.to_path_buf(),
        elapsed: Duration::ZERO,
    })
}

fn eco_report_from_state(conn: &Connection, eco: &str) -> Result<EcosystemReport> {
    let (records, bad): (i64, i64) = conn
        .query_row(
            "SELECT records, bad FROM eco_state WHERE ecosystem = ?1",
            [eco],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, 0));
    Ok(EcosystemReport {
        name: eco.to_owned(),
        records: usize::try_from(records).unwrap_or(0),
        bad: usize::try_from(bad).unwrap_or(0),
        ..EcosystemReport::default()
    })
}

/// Applies the plans to the copied database; returns (records fetched one by one,
/// zips downloaded).
fn apply(ctx: &Ctx, w: &mut Writer, plans: &[Plan], dropped: &[String]) -> Result<(usize, usize)> {
    let zip_jobs: Vec<usize> = plans.iter().filter(|p| p.zip).map(|p| p.eco).collect();
    import_zips(ctx, &zip_jobs, w)?;
    let mut records_fetched = 0;
    let mut zips_downloaded = zip_jobs.len();
    for p in plans.iter().filter(|p| !p.zip) {
        let eco = ctx.eco_name(p.eco)?;
        for id in &p.removed {
            w.conn.execute(
                "DELETE FROM eco_record WHERE ecosystem = ?1 AND id = ?2",
                [eco, id],
            )?;
        }
        if p.changed.is_empty() {
            continue;
        }
        let (fetched, from_zip) = fetch_records(ctx, eco, &p.changed)?;
        records_fetched += fetched.len() - from_zip;
        zips_downloaded += usize::from(from_zip > 0);
        *w.fetched.entry(p.eco).or_default() += fetched.len();
        let listed: HashMap<&str, &str> = p
            .changed
            .iter()
            .map(|(id, m)| (id.as_str(), m.as_str()))
            .collect();
        for (id, result) in fetched {
            let l = listed.get(id.as_str()).copied();
            w.record(eco, id, l, result)?;
        }
    }
    prune(&w.conn, dropped)?;
    Ok((records_fetched, zips_downloaded))
}

/// Deletes dropped ecosystems and the advisories no ecosystem lists any more.
fn prune(conn: &Connection, dropped: &[String]) -> Result<()> {
    for eco in dropped {
        conn.execute("DELETE FROM eco_record WHERE ecosystem = ?1", [eco])?;
        conn.execute("DELETE FROM eco_state WHERE ecosystem = ?1", [eco])?;
    }
    conn.execute(
        "DELETE FROM advisory WHERE id NOT LIKE ?1 AND id NOT IN (SELECT id FROM eco_record)",
        [format!("{SECDB_PREFIX}%")],
    )?;
    conn.execute(
        "DELETE FROM affected WHERE adv NOT IN (SELECT rid FROM advisory)",
        [],
    )?;
    Ok(())
}
