//! Status, export and import of the database file.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::feeds::FeedStatus;
use crate::query::{Db, EcosystemInfo};
use crate::schema;

/// Summary of the installed database.
#[derive(Debug, Clone)]
pub struct DbStatus {
    pub path: PathBuf,
    pub schema_version: u32,
    /// Unix seconds of the last build or applied update.
    pub built_at: u64,
    pub age: Duration,
    /// Mirror the data came from.
    pub source: String,
    pub ecosystems: Vec<EcosystemInfo>,
    pub size_bytes: u64,
    /// Each CVE feed of the last build: source, date, entries, whether it was fresh.
    pub feeds: Vec<FeedStatus>,
    /// Mirror feed files the last build did not find.
    pub feeds_missing: Vec<String>,
}

/// Reads the status of `<cache_dir>/db.sqlite`.
pub fn status(cache_dir: &Path) -> Result<DbStatus> {
    let path = crate::db_path(cache_dir);
    let db = Db::open(&path)?;
    let conn = schema::open_checked(&path)?;
    let built_at: u64 = schema::get_meta(&conn, "built_at")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let size_bytes = std::fs::metadata(&path)
        .map_err(|e| Error::io(&path, e))?
        .len();
    let stored = |key: &str| -> Result<Option<String>> { schema::get_meta(&conn, key) };
    let feeds = stored("feeds")?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let feeds_missing = stored("feeds_missing")?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    Ok(DbStatus {
        feeds,
        feeds_missing,
        schema_version: schema::SCHEMA_VERSION,
        built_at,
        age: Duration::from_secs(now.saturating_sub(built_at)),
        source: schema::get_meta(&conn, "source")?.unwrap_or_default(),
        ecosystems: db.ecosystems()?,
        size_bytes,
        path,
    })
}

/// Writes a consistent, compacted copy of the database to `file` (for air-gapped use).
pub fn export(cache_dir: &Path, file: &Path) -> Result<()> {
    let conn = schema::open_checked(&crate::db_path(cache_dir))?;
    let tmp = sibling_tmp(file);
    let _ = std::fs::remove_file(&tmp);
    let tmp_str = tmp
        .to_str()
        .ok_or_else(|| Error::Config(format!("non-UTF-8 path {}", tmp.display())))?;
    let r = conn
        .execute("VACUUM INTO ?1", [tmp_str])
        .map_err(Error::from)
        .and_then(|_| {
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(&tmp, e))
        })
        .and_then(|()| std::fs::rename(&tmp, file).map_err(|e| Error::io(file, e)));
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

/// Validates `file` (schema version, integrity) and atomically installs it as the
/// database in `cache_dir`. The current database is untouched if validation fails.
pub fn import(cache_dir: &Path, file: &Path) -> Result<()> {
    {
        let conn =
            Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
                Error::NotADb {
                    path: file.to_path_buf(),
                    msg: e.to_string(),
                }
            })?;
        schema::check_version(&conn, file)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| Error::NotADb {
                path: file.to_path_buf(),
                msg: e.to_string(),
            })?;
        if check != "ok" {
            return Err(Error::NotADb {
                path: file.to_path_buf(),
                msg: format!("integrity check: {check}"),
            });
        }
    }
    std::fs::create_dir_all(cache_dir).map_err(|e| Error::io(cache_dir, e))?;
    let dest = crate::db_path(cache_dir);
    let tmp = sibling_tmp(&dest);
    let r = std::fs::copy(file, &tmp)
        .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
        .map_err(|e| Error::io(&tmp, e))
        .and_then(|()| std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e)));
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

fn sibling_tmp(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    file.with_file_name(name)
}
