//! Private temporary database files and their atomic installation: a build writes a
//! temp file next to `db.sqlite` and only a finished, fsynced file is renamed over it,
//! so a crash or error at any point leaves the old database intact.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::schema;

/// Deletes the temporary file on drop unless the build succeeded.
pub(super) struct TempDb {
    pub(super) path: PathBuf,
    keep: bool,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A fresh temp file name in `cache_dir`, unique to this process.
pub(super) fn temp_db(cache_dir: &Path) -> TempDb {
    let path = cache_dir.join(format!("{}.tmp-{}", crate::DB_FILE, std::process::id()));
    let _ = std::fs::remove_file(&path);
    TempDb { path, keep: false }
}

/// Removes temp files left by killed updates (their pid no longer exists).
pub(super) fn remove_stale_temps(cache_dir: &Path) {
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

pub(super) fn open_for_build(path: &Path) -> Result<Connection> {
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
pub(super) fn install(conn: Connection, mut tmp: TempDb, dest: &Path) -> Result<()> {
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
