//! rpm's SQLite database (`rpmdb.sqlite`): header blobs in `Packages.blob`.
//!
//! The bytes are deserialized into a read-only in-memory database, so nothing touches the disk
//! and a hostile file cannot make SQLite write (no WAL/journal files next to it).

use rusqlite::{Connection, MAIN_DB, OpenFlags};

const MAGIC: &[u8] = b"SQLite format 3\0";

pub(super) fn blobs(db: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if !db.starts_with(MAGIC) {
        return Err("not an SQLite database (bad magic)".into());
    }
    let sql_err = |e: rusqlite::Error| format!("sqlite: {e}");
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err)?;
    conn.deserialize_read_exact(MAIN_DB, db, db.len(), true).map_err(sql_err)?;
    let mut stmt = conn.prepare("SELECT blob FROM Packages").map_err(sql_err)?;
    let rows = stmt.query_map([], |row| row.get::<_, Vec<u8>>(0)).map_err(sql_err)?;
    rows.map(|r| r.map_err(sql_err)).collect()
}
