//! rpm's SQLite database (`rpmdb.sqlite`): header blobs in `Packages.blob`.
//!
//! The file is the image's, so the SQL it holds is hostile input: `SELECT … FROM Packages`
//! runs whatever `Packages` is, and a VIEW (or a generated column) can compute rows forever
//! or stream megabyte blobs without end. So `Packages` must be a stored table whose `blob`
//! column is stored; the bytes are deserialized into a read-only in-memory database (nothing
//! touches the disk, no WAL/journal files, `query_only`, untrusted schema); a progress
//! handler bounds the work, and rows and bytes read are capped by what the file can hold.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, MAIN_DB, OpenFlags, OptionalExtension};

const MAGIC: &[u8] = b"SQLite format 3\0";
/// The progress handler runs every this many SQLite VM instructions.
const STEP_GRANULE: i32 = 1000;

/// Work and output bounds for one database.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    /// Progress-handler calls (of [`STEP_GRANULE`] VM steps) before the query is stopped.
    pub(super) granules: u64,
}

impl Budget {
    /// Reading a stored table costs a few dozen VM steps per row and per overflow page, so
    /// 64 steps per file byte (plus a floor for the schema) is far above any real database
    /// (the 3.6 MB CBL-Mariner one needs under 1%) and still ends in seconds.
    pub(super) fn for_size(len: usize) -> Self {
        Self {
            granules: (len as u64).saturating_mul(64) / STEP_GRANULE as u64 + 10_000,
        }
    }
}

/// Checks the 100-byte file header (sqlite.org/fileformat.html section 1.3) for truncation.
fn check_header(db: &[u8]) -> Result<(), String> {
    let (Some(head), true) = (db.get(..100), db.starts_with(MAGIC)) else {
        return Err("not an SQLite database (bad magic)".into());
    };
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65536,
        n => usize::from(n),
    };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("invalid page size {page_size}"));
    }
    // The in-header page count is only authoritative while the change counter (offset 24)
    // equals "version-valid-for" (offset 92); older writers did not maintain it.
    let pages = be32(28) as usize;
    if pages != 0 && be32(24) == be32(92) && pages.saturating_mul(page_size) > db.len() {
        return Err(format!(
            "file truncated: {pages} pages of {page_size} bytes expected"
        ));
    }
    Ok(())
}

pub(super) fn blobs(db: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    blobs_within(db, Budget::for_size(db.len()))
}

pub(super) fn blobs_within(db: &[u8], budget: Budget) -> Result<Vec<Vec<u8>>, String> {
    check_header(db)?;
    let used = Arc::new(AtomicU64::new(0));
    let sql_err = |e: rusqlite::Error| {
        if used.load(Ordering::Relaxed) > budget.granules {
            format!(
                "sqlite: stopped after {} VM steps (work budget for a {} byte file; hostile schema?)",
                budget.granules * STEP_GRANULE as u64,
                db.len()
            )
        } else {
            format!("sqlite: {e}")
        }
    };
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err)?;
    // Stored values are never longer than the file, so no computed one may be either.
    let max_value = i32::try_from(db.len()).unwrap_or(i32::MAX).max(1);
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, max_value)
        .map_err(sql_err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(sql_err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(sql_err)?;
    let counter = Arc::clone(&used);
    conn.progress_handler(
        STEP_GRANULE,
        Some(move || counter.fetch_add(1, Ordering::Relaxed) >= budget.granules),
    )
    .map_err(sql_err)?;
    // rpm keeps the database in WAL mode (header bytes 18/19 = 2), which an in-memory database
    // cannot open; rewriting them to 1 (rollback journal) reads the same pages. Pages still in
    // a `-wal` side file are not seen, as with any copy of the main file alone.
    let (head, rest) = db.split_at_checked(18).ok_or("header truncated")?;
    let reader = head
        .chain(&[1u8, 1][..])
        .chain(rest.get(2..).unwrap_or_default());
    conn.deserialize_read_exact(MAIN_DB, reader, db.len(), true)
        .map_err(sql_err)?;
    conn.pragma_update(None, "query_only", true)
        .map_err(sql_err)?;
    check_schema(&conn).map_err(sql_err)??;

    let mut stmt = conn
        .prepare("SELECT blob FROM main.Packages")
        .map_err(sql_err)?;
    let mut rows = stmt.query([]).map_err(sql_err)?;
    let mut out = Vec::new();
    let mut total = 0usize;
    while let Some(row) = rows.next().map_err(sql_err)? {
        let blob: Vec<u8> = row.get(0).map_err(sql_err)?;
        total += blob.len();
        // A stored table cannot hold more blob bytes than the file has.
        if total > db.len() {
            return Err(format!(
                "sqlite: Packages returned more than the file's {} bytes; refused",
                db.len()
            ));
        }
        out.push(blob);
    }
    Ok(out)
}

/// `Packages` must be an ordinary stored table with a stored `blob` column: a view, a
/// virtual table or a generated column is SQL the image chose to run. The outer error is
/// SQLite's own, the inner one the refusal.
fn check_schema(conn: &Connection) -> rusqlite::Result<Result<(), String>> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT type, coalesce(sql, '') FROM main.sqlite_schema \
             WHERE name = 'Packages' COLLATE NOCASE AND type IN ('table', 'view')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => return Ok(Err("sqlite: no Packages table".into())),
        Some((ty, _)) if ty != "table" => {
            return Ok(Err(format!(
                "sqlite: Packages is a {ty}, not a table (SQL the image defines is not run)"
            )));
        }
        Some((_, sql))
            if sql
                .trim_start()
                .get(..14)
                .is_some_and(|h| h.eq_ignore_ascii_case("CREATE VIRTUAL")) =>
        {
            return Ok(Err(
                "sqlite: Packages is a virtual table, not a table".into()
            ));
        }
        Some(_) => {}
    }
    // table_xinfo's `hidden`: 0 stored, 1 hidden (virtual tables), 2/3 generated.
    let hidden: Option<i64> = conn
        .query_row(
            "SELECT hidden FROM pragma_table_xinfo('Packages', 'main') WHERE name = 'blob' COLLATE NOCASE",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match hidden {
        None => Err("sqlite: Packages has no blob column".into()),
        Some(0) => Ok(()),
        Some(_) => Err("sqlite: Packages.blob is a generated column, not stored data".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored table of 100,000 empty blobs is legitimate work, so a small budget (10
    /// progress calls, 10,000 VM steps) must stop it and say so; the default budget for
    /// the same file reads it all.
    #[test]
    fn step_budget_stops_the_query() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);
             WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100000)
             INSERT INTO Packages SELECT i, x'' FROM r;",
        )
        .unwrap();
        let db = conn.serialize(MAIN_DB).unwrap().to_vec();
        match blobs_within(&db, Budget { granules: 10 }) {
            Ok(rows) => panic!("{} rows read past the budget", rows.len()),
            Err(e) => assert_eq!(
                e,
                format!(
                    "sqlite: stopped after 10000 VM steps (work budget for a {} byte file; hostile schema?)",
                    db.len()
                )
            ),
        }
        assert_eq!(blobs(&db).map(|b| b.len()), Ok(100_000));
    }
}
