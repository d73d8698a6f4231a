//! rpm's SQLite database (`rpmdb.sqlite`): header blobs in `Packages.blob`.
//!
//! The bytes are deserialized into a read-only in-memory database, so nothing touches the disk
//! and a hostile file cannot make SQLite write (no WAL/journal files next to it).

use std::io::Read;

use rusqlite::{Connection, MAIN_DB, OpenFlags};

const MAGIC: &[u8] = b"SQLite format 3\0";

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
    check_header(db)?;
    let sql_err = |e: rusqlite::Error| format!("sqlite: {e}");
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
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
    let mut stmt = conn.prepare("SELECT blob FROM Packages").map_err(sql_err)?;
    let rows = stmt
        .query_map([], |row| row.get::<_, Vec<u8>>(0))
        .map_err(sql_err)?;
    rows.map(|r| r.map_err(sql_err)).collect()
}
