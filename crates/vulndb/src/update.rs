//! Full and incremental database builds.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::feeds::{Feeds, cve_ids, fetch_feeds};
use crate::fetch::{Fetcher, Location};
use crate::osv::{
    Event, Parsed, Range, RangeKind, decode_list, encode_list, encode_ranges, parse_record,
};
use crate::schema::{self, SECDB_PREFIX};

/// Largest decompressed size accepted for one record (guards against zip bombs).
const MAX_RECORD: u64 = 64 * 1024 * 1024;
/// Above this many changed records in one ecosystem, re-reading `all.zip` is cheaper
/// than fetching records one by one.
const PER_RECORD_LIMIT: usize = 300;

/// What to update from and where.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// OSV mirror: http(s) URL or local directory holding `<ECOSYSTEM>/all.zip`.
    pub base: String,
    /// Directory holding `db.sqlite`; created if missing.
    pub cache_dir: PathBuf,
    /// Ecosystems to import; `None` reads `<base>/ecosystems.txt`, else lists a
    /// directory mirror's subfolders.
    pub ecosystems: Option<Vec<String>>,
    /// Root holding `kev/`, `cvss/`, `epss/`, `alpine-secdb/`; default: parent of `base`.
    pub feeds_root: Option<String>,
    /// Rebuild from scratch even when an incremental update is possible.
    pub full: bool,
    /// Connect/response/read timeout per request.
    pub timeout: Duration,
    /// Retries (with exponential backoff) for 5xx answers and transport errors.
    pub retries: u32,
}

impl UpdateOptions {
    pub fn new(base: impl Into<String>, cache_dir: impl Into<PathBuf>) -> Self {
        UpdateOptions {
            base: base.into(),
            cache_dir: cache_dir.into(),
            ecosystems: None,
            feeds_root: None,
            full: false,
            timeout: Duration::from_secs(30),
            retries: 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    Full,
    Incremental,
    /// Nothing changed; the database file was not rewritten.
    UpToDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EcosystemReport {
    pub name: String,
    /// Valid records stored for this ecosystem after the update.
    pub records: usize,
    /// Records read (from the zip or one by one) during this update.
    pub fetched: usize,
    pub removed: usize,
    /// Records that could not be parsed (skipped).
    pub bad: usize,
    pub zip_downloaded: bool,
}

/// A record skipped because it could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub ecosystem: String,
    pub id: String,
    pub error: String,
}

#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    pub kev: usize,
    pub cvss: usize,
    pub epss: usize,
    /// Alpine secdb fixes that OSV lacked and were added.
    pub secdb_added: usize,
    /// Feed files that were absent (feeds are optional).
    pub missing: Vec<String>,
    pub changed: bool,
}

#[derive(Debug, Clone)]
pub struct UpdateReport {
    pub mode: UpdateMode,
    pub ecosystems: Vec<EcosystemReport>,
    pub bad_records: Vec<BadRecord>,
    /// Records downloaded individually as `<base>/<ECOSYSTEM>/<ID>.json`.
    pub records_fetched: usize,
    pub zips_downloaded: usize,
    pub feeds: FeedReport,
    pub db_path: PathBuf,
    pub elapsed: Duration,
}

/// Builds or refreshes `<cache_dir>/db.sqlite`.
///
/// The existing database is never modified in place: changes go to a temporary copy
/// that is fsynced and renamed over it, so on any error the old file stays valid.
pub fn update(opts: &UpdateOptions) -> Result<UpdateReport> {
    let start = Instant::now();
    std::fs::create_dir_all(&opts.cache_dir).map_err(|e| Error::io(&opts.cache_dir, e))?;
    remove_stale_temps(&opts.cache_dir);
    let ctx = Ctx::new(opts)?;
    let dest = crate::db_path(&opts.cache_dir);
    let existing = if opts.full || !dest.exists() {
        None
    } else {
        match schema::open_checked(&dest) {
            Ok(c) => {
                let same_source =
                    schema::get_meta(&c, "source")?.as_deref() == Some(&ctx.base.display());
                same_source.then_some(c)
            }
            Err(e @ Error::SchemaTooNew { .. }) => return Err(e),
            // Unreadable or older layout: rebuild from scratch.
            Err(_) => None,
        }
    };
    let mut report = match existing {
        Some(conn) => incremental(&ctx, conn, &dest)?,
        None => full(&ctx, &dest)?,
    };
    report.elapsed = start.elapsed();
    Ok(report)
}

struct Ctx {
    fetcher: Fetcher,
    base: Location,
    root: Option<Location>,
    ecosystems: Vec<String>,
    cache_dir: PathBuf,
}

impl Ctx {
    fn new(opts: &UpdateOptions) -> Result<Ctx> {
        let fetcher = Fetcher::new(opts.timeout, opts.retries);
        let base = Location::parse(&opts.base);
        let root = match &opts.feeds_root {
            Some(r) => Some(Location::parse(r)),
            None => base.parent(),
        };
        let ecosystems = match &opts.ecosystems {
            Some(list) => list.clone(),
            None => list_ecosystems(&fetcher, &base)?,
        };
        if ecosystems.is_empty() {
            return Err(Error::Config(format!(
                "no ecosystems found at {}",
                base.display()
            )));
        }
        Ok(Ctx {
            fetcher,
            base,
            root,
            ecosystems,
            cache_dir: opts.cache_dir.clone(),
        })
    }

    fn alpine_releases(&self) -> Vec<String> {
        self.ecosystems
            .iter()
            .filter_map(|e| e.strip_prefix("Alpine:"))
            .map(str::to_owned)
            .collect()
    }

    fn feeds(&self) -> Result<Feeds> {
        match &self.root {
            Some(root) => fetch_feeds(&self.fetcher, root, &self.alpine_releases()),
            None => Ok(Feeds::default()),
        }
    }

    fn zip_loc(&self, eco: &str) -> Location {
        self.base.join(&[eco, "all.zip"])
    }

    fn csv(&self, eco: &str) -> Result<Option<Vec<(String, String)>>> {
        let loc = self.base.join(&[eco, "modified_id.csv"]);
        self.fetcher
            .get_optional(&loc)?
            .map(|b| parse_modified_csv(&b, &loc))
            .transpose()
    }
}

fn list_ecosystems(f: &Fetcher, base: &Location) -> Result<Vec<String>> {
    if let Some(b) = f.get_optional(&base.join(&["ecosystems.txt"]))? {
        return Ok(String::from_utf8_lossy(&b)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect());
    }
    match base {
        Location::Dir(p) => {
            let mut v: Vec<String> = f
                .list(base)?
                .into_iter()
                .filter(|n| p.join(n).join("all.zip").is_file())
                .collect();
            v.sort();
            Ok(v)
        }
        Location::Http(u) => Err(Error::Config(format!(
            "{u}/ecosystems.txt not found; pass the ecosystem list explicitly"
        ))),
    }
}

/// Parses `<modified>,<ID>` lines (newest first).
fn parse_modified_csv(b: &[u8], loc: &Location) -> Result<Vec<(String, String)>> {
    let text = std::str::from_utf8(b).map_err(|e| Error::BadData {
        what: "modified_id.csv",
        url: loc.display(),
        msg: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once(',') {
            Some((m, id)) if !m.is_empty() && !id.is_empty() => {
                out.push((id.to_owned(), m.to_owned()))
            }
            _ => {
                return Err(Error::BadData {
                    what: "modified_id.csv",
                    url: loc.display(),
                    msg: format!("line {}: {line:?}", n + 1),
                });
            }
        }
    }
    Ok(out)
}

/// Deletes the temporary file on drop unless the build succeeded.
struct TempDb {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_db(cache_dir: &Path) -> TempDb {
    let path = cache_dir.join(format!("{}.tmp-{}", crate::DB_FILE, std::process::id()));
    let _ = std::fs::remove_file(&path);
    TempDb { path, keep: false }
}

/// Removes temp files left by killed updates (their pid no longer exists).
fn remove_stale_temps(cache_dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!("{}.tmp-", crate::DB_FILE);
    let Ok(rd) = std::fs::read_dir(cache_dir) else {
        return;
    };
    for ent in rd.flatten() {
        let name = ent.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(ent.path());
        }
    }
}

fn open_for_build(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    schema::stable_plans(&conn)?;
    // The file is private until renamed and gets one fsync at the end, so skip journaling.
    conn.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;
         PRAGMA temp_store=MEMORY;",
    )?;
    Ok(conn)
}

/// fsyncs the finished temp file and atomically renames it over `dest`.
fn install(conn: Connection, mut tmp: TempDb, dest: &Path) -> Result<()> {
    conn.close().map_err(|(_, e)| e)?;
    let f = std::fs::File::open(&tmp.path).map_err(|e| Error::io(&tmp.path, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp.path, e))?;
    std::fs::rename(&tmp.path, dest).map_err(|e| Error::io(dest, e))?;
    tmp.keep = true;
    if let Some(dir) = dest.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        // Persist the rename itself; not supported everywhere, hence ignored on error.
        let _ = d.sync_all();
    }
    Ok(())
}

fn full(ctx: &Ctx, dest: &Path) -> Result<UpdateReport> {
    let feeds = ctx.feeds()?;
    let tmp = temp_db(&ctx.cache_dir);
    let conn = open_for_build(&tmp.path)?;
    schema::create(&conn)?;
    conn.execute_batch("BEGIN")?;
    let mut w = Writer::new(&conn);
    let jobs: Vec<usize> = (0..ctx.ecosystems.len()).collect();
    import_zips(ctx, &jobs, &mut w)?;
    let bad_records = std::mem::take(&mut w.bad_records);
    let fetched = std::mem::take(&mut w.fetched);
    let secdb_added = derive(&conn, &feeds)?;
    index_cve_severities(&conn)?;
    let mut ecosystems = Vec::new();
    for (i, eco) in ctx.ecosystems.iter().enumerate() {
        let (records, bad) = write_eco_state(&conn, eco, w.newest.get(eco))?;
        ecosystems.push(EcosystemReport {
            name: eco.clone(),
            records,
            fetched: fetched.get(&i).copied().unwrap_or(0),
            removed: 0,
            bad,
            zip_downloaded: true,
        });
    }
    write_build_meta(&conn, ctx, &feeds)?;
    conn.execute_batch("COMMIT")?;
    install(conn, tmp, dest)?;
    Ok(UpdateReport {
        mode: UpdateMode::Full,
        zips_downloaded: ecosystems.len(),
        ecosystems,
        bad_records,
        records_fetched: 0,
        feeds: feed_report(&feeds, secdb_added, true),
        db_path: dest.to_path_buf(),
        elapsed: Duration::ZERO,
    })
}

fn feed_report(feeds: &Feeds, secdb_added: usize, changed: bool) -> FeedReport {
    FeedReport {
        kev: feeds.kev,
        cvss: feeds.cvss,
        epss: feeds.epss,
        secdb_added,
        missing: feeds.missing.clone(),
        changed,
    }
}

fn write_build_meta(conn: &Connection, ctx: &Ctx, feeds: &Feeds) -> Result<()> {
    schema::set_meta(conn, "source", &ctx.base.display())?;
    schema::set_meta(conn, "built_at", &unix_now().to_string())?;
    schema::set_meta(conn, "feeds_digest", &feeds.digest)?;
    Ok(())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Recomputes the per-ecosystem counters from `eco_record`.
fn write_eco_state(
    conn: &Connection,
    eco: &str,
    newest: Option<&String>,
) -> Result<(usize, usize)> {
    let (ok, bad, max_mod): (i64, i64, Option<String>) = conn.query_row(
        "SELECT COALESCE(SUM(ok),0), COALESCE(SUM(1-ok),0), MAX(modified)
         FROM eco_record WHERE ecosystem = ?1",
        [eco],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let last = newest.cloned().or(max_mod);
    conn.execute(
        "INSERT OR REPLACE INTO eco_state(ecosystem, last_modified, records, bad)
         VALUES(?1, ?2, ?3, ?4)",
        params![eco, last, ok, bad],
    )?;
    Ok((
        usize::try_from(ok).unwrap_or(0),
        usize::try_from(bad).unwrap_or(0),
    ))
}

/// Message from the parsing side to the single SQLite writer.
enum Msg {
    Record {
        eco: usize,
        id: String,
        /// `modified` from `modified_id.csv`, kept for unparseable records.
        listed: Option<String>,
        result: Result<Box<Parsed>, String>,
    },
    /// Same id and `modified` as a record already sent for another ecosystem.
    Duplicate {
        eco: usize,
        id: String,
    },
    EcoStart {
        eco: usize,
        newest: Option<String>,
    },
    Fail(Error),
}

/// Owns all writes; parsing happens on rayon threads and arrives over a channel.
struct Writer<'c> {
    conn: &'c Connection,
    /// Ids written during this run (for cross-ecosystem duplicates) and their modified.
    written: HashMap<String, String>,
    /// Ids that failed to parse during this run: listed modified and the error.
    failed: HashMap<String, (String, String)>,
    bad_records: Vec<BadRecord>,
    fetched: HashMap<usize, usize>,
    newest: HashMap<String, String>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> Self {
        Writer {
            conn,
            written: HashMap::new(),
            failed: HashMap::new(),
            bad_records: Vec::new(),
            fetched: HashMap::new(),
            newest: HashMap::new(),
        }
    }

    fn record(
        &mut self,
        eco: &str,
        id: String,
        listed: Option<&str>,
        result: Result<Parsed, String>,
    ) -> Result<()> {
        match result {
            Ok(p) => {
                if self.written.get(&p.id) != Some(&p.modified) {
                    upsert(self.conn, &p)?;
                    self.written.insert(p.id.clone(), p.modified.clone());
                }
                self.member(eco, &id, &p.modified, true)
            }
            Err(error) => {
                let listed = listed.unwrap_or_default().to_owned();
                self.failed
                    .insert(id.clone(), (listed.clone(), error.clone()));
                self.bad(eco, id, &listed, error)
            }
        }
    }

    fn bad(&mut self, eco: &str, id: String, listed: &str, error: String) -> Result<()> {
        self.member(eco, &id, listed, false)?;
        self.bad_records.push(BadRecord {
            ecosystem: eco.to_owned(),
            id,
            error,
        });
        Ok(())
    }

    fn duplicate(&mut self, eco: &str, id: String) -> Result<()> {
        if let Some((listed, err)) = self.failed.get(&id).cloned() {
            return self.bad(eco, id, &listed, err);
        }
        match self.written.get(&id).cloned() {
            Some(m) => self.member(eco, &id, &m, true),
            None => self.bad(
                eco,
                id,
                "",
                "duplicate of a record that was not stored".into(),
            ),
        }
    }

    fn member(&self, eco: &str, id: &str, modified: &str, ok: bool) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO eco_record(ecosystem, id, modified, ok)
                 VALUES(?1, ?2, ?3, ?4)",
            )?
            .execute(params![eco, id, modified, ok])?;
        Ok(())
    }

    /// Consumes messages until the channel closes or a failure arrives.
    fn consume(&mut self, ctx: &Ctx, rx: Receiver<Msg>) -> Result<()> {
        for msg in rx {
            match msg {
                Msg::Record {
                    eco,
                    id,
                    listed,
                    result,
                } => {
                    let name = eco_name(ctx, eco)?;
                    *self.fetched.entry(eco).or_default() += 1;
                    self.record(name, id, listed.as_deref(), result.map(|p| *p))?;
                }
                Msg::Duplicate { eco, id } => {
                    *self.fetched.entry(eco).or_default() += 1;
                    self.duplicate(eco_name(ctx, eco)?, id)?;
                }
                Msg::EcoStart { eco, newest } => {
                    let name = eco_name(ctx, eco)?;
                    // The zip is the complete list: forget what the ecosystem had before.
                    self.conn
                        .execute("DELETE FROM eco_record WHERE ecosystem = ?1", [name])?;
                    if let Some(n) = newest {
                        self.newest.insert(name.to_owned(), n);
                    }
                }
                Msg::Fail(e) => return Err(e),
            }
        }
        Ok(())
    }
}

fn eco_name(ctx: &Ctx, i: usize) -> Result<&str> {
    ctx.ecosystems
        .get(i)
        .map(String::as_str)
        .ok_or_else(|| Error::Config(format!("ecosystem index {i} out of range")))
}

fn upsert(conn: &Connection, p: &Parsed) -> Result<()> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT rid FROM advisory WHERE id = ?1")?
        .query_row([&p.id], |r| r.get(0))
        .optional()?;
    let (sev, sev_src) = match &p.severity {
        Some((s, src)) => (Some(s.as_str()), Some(src.as_str())),
        None => (None, None),
    };
    let values = params![
        p.id,
        p.modified,
        p.published,
        p.withdrawn,
        p.summary,
        sev,
        sev_src,
        encode_list(&p.aliases),
        encode_list(&p.related_cves),
        p.url
    ];
    let rid = match existing {
        Some(rid) => {
            conn.prepare_cached("DELETE FROM affected WHERE adv = ?1")?
                .execute([rid])?;
            conn.prepare_cached(
                "UPDATE advisory SET id=?1, modified=?2, published=?3, withdrawn=?4, summary=?5,
                 severity=?6, severity_source=?7, aliases=?8, related_cves=?9, url=?10
                 WHERE rid = ?11",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain([&rid as &dyn rusqlite::ToSql]),
            ))?;
            rid
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO advisory(id, modified, published, withdrawn, summary, severity,
                 severity_source, aliases, related_cves, url) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            )?
            .execute(values)?;
            conn.last_insert_rowid()
        }
    };
    let mut ins = conn.prepare_cached(
        "INSERT INTO affected(adv, ecosystem, package, name, ranges, versions)
         VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in &p.affected {
        let ranges = encode_ranges(&a.ranges);
        ins.execute(params![
            rid,
            a.ecosystem,
            a.package,
            a.name,
            ranges,
            encode_list(&a.versions)
        ])?;
    }
    Ok(())
}

/// Downloads `all.zip` for each ecosystem index in `jobs` and streams its records to
/// the writer: one thread fetches and fans entries out to rayon for JSON parsing while
/// the calling thread writes to SQLite, so memory holds one zip plus a bounded queue.
fn import_zips(ctx: &Ctx, jobs: &[usize], w: &mut Writer) -> Result<()> {
    let (tx, rx) = sync_channel::<Msg>(1024);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let stop = &stop;
        s.spawn(move || {
            let mut sent: HashMap<String, String> = HashMap::new();
            for &eco in jobs {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if let Err(e) = produce_zip(ctx, eco, &mut sent, &tx, stop) {
                    let _ = tx.send(Msg::Fail(e));
                    return;
                }
            }
        });
        let r = w.consume(ctx, rx);
        if r.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        r
    })
}

fn produce_zip(
    ctx: &Ctx,
    eco: usize,
    sent: &mut HashMap<String, String>,
    tx: &SyncSender<Msg>,
    stop: &AtomicBool,
) -> Result<()> {
    let name = eco_name(ctx, eco)?;
    let csv = ctx.csv(name)?;
    let modified: HashMap<&str, &str> = csv
        .iter()
        .flatten()
        .map(|(id, m)| (id.as_str(), m.as_str()))
        .collect();
    let loc = ctx.zip_loc(name);
    let bytes = ctx.fetcher.get(&loc)?;
    let corrupt = |e: zip::result::ZipError| Error::CorruptZip {
        url: loc.display(),
        msg: e.to_string(),
    };
    let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(corrupt)?;
    let newest = csv.as_ref().and_then(|c| c.first()).map(|(_, m)| m.clone());
    if tx.send(Msg::EcoStart { eco, newest }).is_err() {
        return Ok(());
    }
    let mut todo = Vec::new();
    for i in 0..archive.len() {
        let Some(entry) = archive.name_for_index(i) else {
            continue;
        };
        let entry = entry.map_err(corrupt)?;
        let file = entry.rsplit('/').next().unwrap_or(&entry);
        let Some(id) = file.strip_suffix(".json") else {
            continue;
        };
        // Records shared between ecosystems (Alpine, Debian, AlmaLinux) are parsed once.
        match modified.get(id) {
            Some(m) if sent.get(id).map(String::as_str) == Some(*m) => {
                if tx
                    .send(Msg::Duplicate {
                        eco,
                        id: id.to_owned(),
                    })
                    .is_err()
                {
                    return Ok(());
                }
            }
            m => {
                if let Some(m) = m {
                    sent.insert(id.to_owned(), (*m).to_owned());
                }
                todo.push((i, id.to_owned(), m.map(|m| (*m).to_owned())));
            }
        }
    }
    todo.into_par_iter()
        .try_for_each_init(
            || archive.clone(),
            |ar, (i, id, listed)| {
                if stop.load(Ordering::Relaxed) {
                    return Err(None);
                }
                let result = read_entry(ar, i)
                    .map_err(|e| Some(corrupt(e)))?
                    .map(|b| parse_record(&b).map(Box::new))
                    .unwrap_or_else(Err);
                tx.send(Msg::Record {
                    eco,
                    id,
                    listed,
                    result,
                })
                .map_err(|_| None)
            },
        )
        .or_else(|e: Option<Error>| e.map_or(Ok(()), Err))
}

/// Reads one zip entry; an oversized record is reported as a bad record, a damaged
/// archive as an error.
fn read_entry(
    ar: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
) -> Result<Result<Vec<u8>, String>, zip::result::ZipError> {
    let mut f = ar.by_index(i)?;
    let mut buf = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0).min(1 << 20));
    (&mut f)
        .take(MAX_RECORD + 1)
        .read_to_end(&mut buf)
        .map_err(zip::result::ZipError::Io)?;
    if buf.len() as u64 > MAX_RECORD {
        return Ok(Err(format!("record larger than {MAX_RECORD} bytes")));
    }
    Ok(Ok(buf))
}

/// What an incremental update must do for one ecosystem.
struct Plan {
    eco: usize,
    zip: bool,
    changed: Vec<(String, String)>,
    removed: Vec<String>,
    newest: Option<String>,
}

fn incremental(ctx: &Ctx, old: Connection, dest: &Path) -> Result<UpdateReport> {
    let mut plans = Vec::new();
    for (i, eco) in ctx.ecosystems.iter().enumerate() {
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
        let zip = !known || changed.len() > PER_RECORD_LIMIT;
        plans.push(Plan {
            eco: i,
            zip,
            changed,
            removed,
            newest,
        });
    }
    let dropped: Vec<String> = {
        let wanted: HashSet<&str> = ctx.ecosystems.iter().map(String::as_str).collect();
        let mut st = old.prepare("SELECT ecosystem FROM eco_state")?;
        let all = st.query_map([], |r| r.get::<_, String>(0))?;
        all.collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|e| !wanted.contains(e.as_str()))
            .collect()
    };
    let feeds = ctx.feeds()?;
    let feeds_changed = schema::get_meta(&old, "feeds_digest")?.as_deref() != Some(&feeds.digest);
    let records_changed = plans
        .iter()
        .any(|p| p.zip || !p.changed.is_empty() || !p.removed.is_empty())
        || !dropped.is_empty();

    if !records_changed && !feeds_changed {
        let ecosystems = ctx
            .ecosystems
            .iter()
            .map(|eco| eco_report_from_state(&old, eco))
            .collect::<Result<Vec<_>>>()?;
        let secdb_added: i64 = old.query_row(
            "SELECT COUNT(*) FROM advisory WHERE id LIKE ?1",
            [format!("{SECDB_PREFIX}%")],
            |r| r.get(0),
        )?;
        return Ok(UpdateReport {
            mode: UpdateMode::UpToDate,
            ecosystems,
            bad_records: Vec::new(),
            records_fetched: 0,
            zips_downloaded: 0,
            feeds: feed_report(&feeds, usize::try_from(secdb_added).unwrap_or(0), false),
            db_path: dest.to_path_buf(),
            elapsed: Duration::ZERO,
        });
    }
    drop(old);

    let tmp = temp_db(&ctx.cache_dir);
    std::fs::copy(dest, &tmp.path).map_err(|e| Error::io(&tmp.path, e))?;
    let conn = open_for_build(&tmp.path)?;
    conn.execute_batch("BEGIN")?;
    let mut w = Writer::new(&conn);

    let zip_jobs: Vec<usize> = plans.iter().filter(|p| p.zip).map(|p| p.eco).collect();
    import_zips(ctx, &zip_jobs, &mut w)?;
    let mut records_fetched = 0;
    let mut zips_downloaded = zip_jobs.len();
    for p in plans.iter().filter(|p| !p.zip) {
        let eco = eco_name(ctx, p.eco)?;
        for id in &p.removed {
            conn.execute(
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
    for eco in &dropped {
        conn.execute("DELETE FROM eco_record WHERE ecosystem = ?1", [eco])?;
        conn.execute("DELETE FROM eco_state WHERE ecosystem = ?1", [eco])?;
    }
    // Drop advisories no ecosystem lists any more.
    conn.execute(
        "DELETE FROM advisory WHERE id NOT LIKE ?1 AND id NOT IN (SELECT id FROM eco_record)",
        [format!("{SECDB_PREFIX}%")],
    )?;
    conn.execute(
        "DELETE FROM affected WHERE adv NOT IN (SELECT rid FROM advisory)",
        [],
    )?;
    let secdb_added = derive(&conn, &feeds)?;
    index_cve_severities(&conn)?;
    let mut ecosystems = Vec::new();
    for p in &plans {
        let eco = eco_name(ctx, p.eco)?;
        let (records, bad) = write_eco_state(&conn, eco, p.newest.as_ref())?;
        ecosystems.push(EcosystemReport {
            name: eco.to_owned(),
            records,
            fetched: w.fetched.get(&p.eco).copied().unwrap_or(0),
            removed: p.removed.len(),
            bad,
            zip_downloaded: p.zip,
        });
    }
    write_build_meta(&conn, ctx, &feeds)?;
    conn.execute_batch("COMMIT")?;
    let bad_records = std::mem::take(&mut w.bad_records);
    install(conn, tmp, dest)?;
    Ok(UpdateReport {
        mode: UpdateMode::Incremental,
        ecosystems,
        bad_records,
        records_fetched,
        zips_downloaded,
        feeds: feed_report(&feeds, secdb_added, feeds_changed),
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

type Fetched = Vec<(String, Result<Parsed, String>)>;

/// Fetches changed records one by one as `<base>/<ECO>/<ID>.json`; records the mirror
/// does not serve individually (e.g. a plain directory mirror) are read from `all.zip`.
/// Returns the parsed records and how many came from the zip.
fn fetch_records(ctx: &Ctx, eco: &str, ids: &[(String, String)]) -> Result<(Fetched, usize)> {
    let results: Vec<(String, Result<Option<Vec<u8>>>)> = ids
        .par_iter()
        .map(|(id, _)| {
            let loc = ctx.base.join(&[eco, &format!("{id}.json")]);
            (id.clone(), ctx.fetcher.get_optional(&loc))
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    let mut missing = Vec::new();
    for (id, r) in results {
        match r? {
            Some(b) => out.push((id, b)),
            None => missing.push(id),
        }
    }
    let from_zip = missing.len();
    if !missing.is_empty() {
        let loc = ctx.zip_loc(eco);
        let bytes = ctx.fetcher.get(&loc)?;
        let corrupt = |e: zip::result::ZipError| Error::CorruptZip {
            url: loc.display(),
            msg: e.to_string(),
        };
        let mut ar = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(corrupt)?;
        for id in missing {
            let name = format!("{id}.json");
            let Some(i) = ar.index_for_name(&name) else {
                return Err(Error::NotFound {
                    url: format!("{} (entry {name})", loc.display()),
                });
            };
            match read_entry(&mut ar, i).map_err(corrupt)? {
                Ok(b) => out.push((id, b)),
                Err(e) => out.push((id, e.into_bytes())),
            }
        }
    }
    let parsed = out
        .into_par_iter()
        .map(|(id, b)| {
            let r = parse_record(&b);
            (id, r)
        })
        .collect();
    Ok((parsed, from_zip))
}

/// Rebuilds data derived from the feeds: Alpine secdb gap-fill advisories and the CVE
/// extras table (only CVEs some advisory mentions). Returns the number of secdb fixes
/// added.
fn derive(conn: &Connection, feeds: &Feeds) -> Result<usize> {
    let like = format!("{SECDB_PREFIX}%");
    conn.execute(
        "DELETE FROM affected WHERE adv IN (SELECT rid FROM advisory WHERE id LIKE ?1)",
        [&like],
    )?;
    conn.execute("DELETE FROM advisory WHERE id LIKE ?1", [&like])?;

    let mut by_release: HashMap<&str, Vec<&crate::feeds::SecdbFix>> = HashMap::new();
    for f in &feeds.secdb {
        by_release.entry(f.release.as_str()).or_default().push(f);
    }
    // CVE -> (ecosystem, package, fixed) that OSV does not cover.
    let mut missing: HashMap<&str, Vec<(String, &str, &str)>> = HashMap::new();
    for (release, fixes) in by_release {
        let eco = format!("Alpine:{release}");
        let mut covered: HashSet<(String, String)> = HashSet::new();
        let mut st = conn.prepare(
            "SELECT f.package, a.id, a.aliases, a.related_cves FROM affected f
             JOIN advisory a ON a.rid = f.adv WHERE f.ecosystem = ?1",
        )?;
        let mut rows = st.query([&eco])?;
        while let Some(r) = rows.next()? {
            let pkg: String = r.get(0)?;
            for cve in advisory_cves(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?) {
                covered.insert((pkg.clone(), cve));
            }
        }
        for f in fixes {
            if !covered.contains(&(f.package.clone(), f.cve.clone())) {
                missing.entry(f.cve.as_str()).or_default().push((
                    eco.clone(),
                    f.package.as_str(),
                    f.fixed.as_str(),
                ));
            }
        }
    }
    let mut added = 0;
    let now = rfc3339(unix_now());
    for (cve, entries) in missing {
        let p = Parsed {
            id: format!("{SECDB_PREFIX}{cve}"),
            modified: now.clone(),
            published: None,
            withdrawn: None,
            summary: Some(format!("{cve} (from Alpine secdb)")),
            severity: None,
            aliases: Vec::new(),
            related_cves: vec![cve.to_owned()],
            url: Some(format!("https://security.alpinelinux.org/vuln/{cve}")),
            affected: entries
                .into_iter()
                .map(|(ecosystem, package, fixed)| crate::osv::ParsedAffected {
                    ecosystem,
                    package: package.to_owned(),
                    name: None,
                    ranges: vec![Range {
                        kind: RangeKind::Ecosystem,
                        events: vec![
                            Event::Introduced("0".into()),
                            Event::Fixed(fixed.to_owned()),
                        ],
                    }],
                    versions: Vec::new(),
                })
                .collect(),
        };
        added += p.affected.len();
        upsert(conn, &p)?;
    }

    conn.execute("DELETE FROM cve", [])?;
    let mut referenced: HashSet<String> = HashSet::new();
    {
        let mut st = conn.prepare("SELECT id, aliases, related_cves FROM advisory")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            referenced.extend(advisory_cves(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?));
        }
    }
    let mut ins = conn.prepare(
        "INSERT INTO cve(cve, kev_added, kev_due, cvss3_vector, cvss3_score, cvss3_source,
         cvss4_vector, cvss4_score, epss, epss_percentile) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    )?;
    for (cve, x) in &feeds.cve {
        if !referenced.contains(cve) {
            continue;
        }
        let (v3, s3, src3) = match &x.cvss3 {
            Some((v, s, src)) => (Some(v), Some(*s), src.as_ref()),
            None => (None, None, None),
        };
        let (v4, s4) = match &x.cvss4 {
            Some((v, s)) => (Some(v), Some(*s)),
            None => (None, None),
        };
        ins.execute(params![
            cve,
            x.kev_added,
            x.kev_due,
            v3,
            s3,
            src3,
            v4,
            s4,
            x.epss.map(|e| e.0),
            x.epss.map(|e| e.1)
        ])?;
    }
    Ok(added)
}

/// CVE ids an advisory refers to: in its id (`ALPINE-CVE-…`), aliases and
/// upstream/related lists.
pub(crate) fn advisory_cves(
    id: &str,
    aliases: Option<String>,
    related: Option<String>,
) -> Vec<String> {
    let mut out = cve_ids(id);
    for list in [aliases, related] {
        out.extend(
            decode_list(list.as_deref())
                .into_iter()
                .filter(|c| c.starts_with("CVE-")),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// Rebuilds `cve_ref` from the advisories that carry a severity. Done whole on every
/// update (a few thousand rows) rather than per record, so it can never drift.
fn index_cve_severities(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM cve_ref", [])?;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare("SELECT rid, id, aliases, related_cves FROM advisory WHERE severity IS NOT NULL AND withdrawn IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut ins = conn.prepare_cached("INSERT OR IGNORE INTO cve_ref(cve, adv) VALUES(?1, ?2)")?;
    for (rid, id, aliases, related) in rows {
        for cve in advisory_cves(&id, aliases, related) {
            ins.execute(params![cve, rid])?;
        }
    }
    Ok(())
}

/// Formats unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days, proleptic Gregorian).
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // `date -u -d @1709251199` = Thu Feb 29 23:59:59 UTC 2024
        assert_eq!(rfc3339(1_709_251_199), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn modified_csv_parsing() {
        let loc = Location::parse("x");
        let v = parse_modified_csv(b"2024-01-02T00:00:00Z,A\n2023-01-01T00:00:00Z,B\n", &loc)
            .expect("valid csv");
        assert_eq!(v[0], ("A".to_owned(), "2024-01-02T00:00:00Z".to_owned()));
        assert!(parse_modified_csv(b"garbage\n", &loc).is_err());
    }
}
