//! Looking over the directory: the size bound (least recently used first), stray
//! temporary files of writers that died, status and cleaning.

use crate::{ENTRY_SUFFIX, LAST_SCAN, ScanStats, TEMP_PREFIX};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A writer streams its entry continuously, so a temporary file untouched for this long
/// belongs to a process that is gone.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// What `cache status` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub entries: u64,
    pub bytes: u64,
    pub max_bytes: u64,
    /// Temporary files of writers that died mid-write (removed by the next write).
    pub stale_temp_files: u64,
    /// The figures the last scan recorded, if one did.
    pub last_scan: Option<ScanStats>,
}

/// What `cache clean` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cleaned {
    pub entries: u64,
    pub bytes: u64,
}

struct Entry {
    path: PathBuf,
    used: SystemTime,
    bytes: u64,
}

struct Listing {
    entries: Vec<Entry>,
    stale_temps: Vec<PathBuf>,
}

/// Files vanish while we look (other scans evict too): those are skipped, not errors.
fn list(dir: &Path) -> io::Result<Listing> {
    let now = SystemTime::now();
    let mut listing = Listing {
        entries: Vec::new(),
        stale_temps: Vec::new(),
    };
    for item in fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name();
        let name = name.to_string_lossy();
        let Ok(meta) = item.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified()?;
        if name.starts_with(TEMP_PREFIX) {
            if now.duration_since(modified).unwrap_or_default() > STALE_TEMP {
                listing.stale_temps.push(item.path());
            }
        } else if name.ends_with(ENTRY_SUFFIX) {
            listing.entries.push(Entry {
                path: item.path(),
                used: modified,
                bytes: meta.len(),
            });
        }
    }
    Ok(listing)
}

/// Deletes stale temporary files, then the least recently used entries until the rest
/// fit in `max_bytes`; returns the bytes of entries left.
pub(crate) fn enforce(dir: &Path, max_bytes: u64) -> io::Result<u64> {
    let Listing {
        mut entries,
        stale_temps,
    } = list(dir)?;
    for temp in stale_temps {
        remove(&temp)?;
    }
    let mut total: u64 = entries.iter().map(|e| e.bytes).sum();
    if total <= max_bytes {
        return Ok(total);
    }
    entries.sort_by_key(|e| e.used);
    for entry in entries {
        if total <= max_bytes {
            break;
        }
        remove(&entry.path)?;
        total -= entry.bytes;
    }
    Ok(total)
}

pub(crate) fn status(dir: &Path, max_bytes: u64) -> io::Result<Status> {
    let listing = list(dir)?;
    let last_scan = match fs::read(dir.join(LAST_SCAN)) {
        Ok(raw) => serde_json::from_slice(&raw).ok(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    Ok(Status {
        entries: listing.entries.len() as u64,
        bytes: listing.entries.iter().map(|e| e.bytes).sum(),
        max_bytes,
        stale_temp_files: listing.stale_temps.len() as u64,
        last_scan,
    })
}

pub(crate) fn clean(dir: &Path) -> io::Result<Cleaned> {
    let mut cleaned = Cleaned {
        entries: 0,
        bytes: 0,
    };
    for item in fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name();
        let name = name.to_string_lossy();
        let entry = name.ends_with(ENTRY_SUFFIX);
        if !(entry || name.starts_with(TEMP_PREFIX) || name == LAST_SCAN) {
            continue;
        }
        let bytes = item.metadata().map(|m| m.len()).unwrap_or(0);
        remove(&item.path())?;
        if entry {
            cleaned.entries += 1;
            cleaned.bytes += bytes;
        }
    }
    Ok(cleaned)
}

/// Removes a file another scan may have removed first.
fn remove(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
