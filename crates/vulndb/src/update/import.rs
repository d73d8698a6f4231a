//! Reading records from the mirror: whole `all.zip` archives streamed to the writer,
//! and changed records fetched one by one for incremental updates.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};

use rayon::prelude::*;
use zip::ZipArchive;
use zip::result::ZipError;

use super::Ctx;
use super::write::{Msg, Writer};
use crate::error::{Error, Result};
use crate::fetch::Location;
use crate::osv::{Parsed, parse_record};

/// Largest decompressed size accepted for one record (guards against zip bombs).
const MAX_RECORD: u64 = 64 * 1024 * 1024;

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Maps a zip error to [`Error::CorruptZip`] naming the archive at `loc`.
fn corrupt(loc: &Location) -> impl Fn(ZipError) -> Error + Copy + '_ {
    move |e| Error::CorruptZip {
        url: loc.display(),
        msg: e.to_string(),
    }
}

/// Downloads `all.zip` for each ecosystem index in `jobs` and streams its records to
/// the writer: one thread fetches and fans entries out to rayon for JSON parsing while
/// the calling thread writes to SQLite, so memory holds one zip plus a bounded queue.
pub(super) fn import_zips(ctx: &Ctx, jobs: &[usize], w: &mut Writer) -> Result<()> {
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

/// An archive entry still to be parsed: index, record id and its csv `modified`.
type Todo = (usize, String, Option<String>);

/// Sends one ecosystem's zip to the writer. `sent` (id -> modified) spans ecosystems so
/// records shared between them (Alpine, Debian, AlmaLinux) are parsed once.
fn produce_zip(
    ctx: &Ctx,
    eco: usize,
    sent: &mut HashMap<String, String>,
    tx: &SyncSender<Msg>,
    stop: &AtomicBool,
) -> Result<()> {
    let name = ctx.eco_name(eco)?;
    let csv = ctx.csv(name)?;
    let modified: HashMap<&str, &str> = csv
        .iter()
        .flatten()
        .map(|(id, m)| (id.as_str(), m.as_str()))
        .collect();
    let loc = ctx.zip_loc(name);
    let bytes = ctx.fetcher.get(&loc)?;
    let archive = ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(corrupt(&loc))?;
    let newest = csv.as_ref().and_then(|c| c.first()).map(|(_, m)| m.clone());
    if tx.send(Msg::EcoStart { eco, newest }).is_err() {
        return Ok(());
    }
    let Some(todo) = send_duplicates(&archive, &loc, eco, &modified, sent, tx)? else {
        return Ok(());
    };
    parse_entries(&archive, &loc, eco, todo, tx, stop)
}

/// Sends a [`Msg::Duplicate`] for each entry already sent with the same `modified` and
/// returns the others; `None` once the writer has hung up.
fn send_duplicates(
    archive: &Archive,
    loc: &Location,
    eco: usize,
    modified: &HashMap<&str, &str>,
    sent: &mut HashMap<String, String>,
    tx: &SyncSender<Msg>,
) -> Result<Option<Vec<Todo>>> {
    let mut todo = Vec::new();
    for i in 0..archive.len() {
        let Some(entry) = archive.name_for_index(i) else {
            continue;
        };
        let entry = entry.map_err(corrupt(loc))?;
        let file = entry.rsplit('/').next().unwrap_or(&entry);
        let Some(id) = file.strip_suffix(".json") else {
            continue;
        };
        match modified.get(id) {
            Some(m) if sent.get(id).map(String::as_str) == Some(*m) => {
                let id = id.to_owned();
                if tx.send(Msg::Duplicate { eco, id }).is_err() {
                    return Ok(None);
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
    Ok(Some(todo))
}

/// Parses `todo` on rayon threads, each with its own archive handle, and sends the
/// results; stops early when `stop` is set or the writer has hung up.
fn parse_entries(
    archive: &Archive,
    loc: &Location,
    eco: usize,
    todo: Vec<Todo>,
    tx: &SyncSender<Msg>,
    stop: &AtomicBool,
) -> Result<()> {
    let corrupt = corrupt(loc);
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
fn read_entry(ar: &mut Archive, i: usize) -> Result<Result<Vec<u8>, String>, ZipError> {
    let mut f = ar.by_index(i)?;
    let mut buf = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0).min(1 << 20));
    (&mut f)
        .take(MAX_RECORD + 1)
        .read_to_end(&mut buf)
        .map_err(ZipError::Io)?;
    if buf.len() as u64 > MAX_RECORD {
        return Ok(Err(format!("record larger than {MAX_RECORD} bytes")));
    }
    Ok(Ok(buf))
}

pub(super) type Fetched = Vec<(String, Result<Parsed, String>)>;

/// Fetches changed records one by one as `<base>/<ECO>/<ID>.json`; records the mirror
/// does not serve individually (e.g. a plain directory mirror) are read from `all.zip`.
/// Returns the parsed records and how many came from the zip.
pub(super) fn fetch_records(
    ctx: &Ctx,
    eco: &str,
    ids: &[(String, String)],
) -> Result<(Fetched, usize)> {
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
        read_from_zip(ctx, eco, missing, &mut out)?;
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

/// Appends the raw bytes of each of `ids` from the ecosystem's `all.zip` to `out`; an
/// oversized entry is appended as its error text, which then fails to parse as a bad
/// record.
fn read_from_zip(
    ctx: &Ctx,
    eco: &str,
    ids: Vec<String>,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let loc = ctx.zip_loc(eco);
    let bytes = ctx.fetcher.get(&loc)?;
    let mut ar = ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(corrupt(&loc))?;
    for id in ids {
        let name = format!("{id}.json");
        let Some(i) = ar.index_for_name(&name) else {
            return Err(Error::NotFound {
                url: format!("{} (entry {name})", loc.display()),
            });
        };
        match read_entry(&mut ar, i).map_err(corrupt(&loc))? {
            Ok(b) => out.push((id, b)),
            Err(e) => out.push((id, e.into_bytes())),
        }
    }
    Ok(())
}
