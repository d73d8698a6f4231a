//! A size-bounded store of per-layer scan results on disk, shared by every scan that
//! points at the same directory, and by several of them at once.
//!
//! Each entry is one file named by its key. It is written to a temporary file in the
//! same directory and renamed into place, so a reader sees a whole entry or none,
//! whatever happens to the writer: a `kill -9` leaves at most a stray temporary file,
//! which a later scan removes. Entries are a magic header and one zstd frame with a
//! content checksum; one that does not decode (a torn write after a power cut, disk
//! corruption, a foreign file) is a miss and is deleted. No fsync: losing an entry
//! costs one re-analysis, while syncing would cost every cold scan.
//!
//! Recency is the file's modification time, refreshed on every hit; when the total
//! size passes the bound, the least recently used entries go first.

mod evict;

pub use evict::{Cleaned, Status};

use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// Starts every entry; the last byte is the entry format's version.
const MAGIC: &[u8; 8] = b"drydock\x01";
const ENTRY_SUFFIX: &str = ".entry";
const TEMP_PREFIX: &str = ".tmp-";
const LAST_SCAN: &str = "last-scan.json";
/// zstd's default level: the encoded results of a large layer compress ~10x at a few
/// hundred MB/s, far faster than the layer's own decompression.
const LEVEL: i32 = 3;

/// A cache directory opened for one process; cheap to share between threads.
pub struct LayerCache {
    dir: PathBuf,
    max_bytes: u64,
    counters: Mutex<ScanStats>,
    /// Bytes of entries as of this process's last look over the directory, plus what it
    /// stored since (`None` before the first store). While that stays under the bound,
    /// storing needs no listing: listing after every store made a cold scan of a
    /// 2,000-layer image quadratic. Other processes enforce the bound on their own stores.
    known_bytes: Mutex<Option<u64>>,
}

/// What this process did with the cache, kept for `cache status` after a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStats {
    pub hits: u64,
    pub misses: u64,
    /// Entries found unreadable or corrupt (each also a miss), deleted.
    pub corrupt: u64,
    pub stored: u64,
    /// Why entries could not be written (a full disk, a read-only directory); the scan
    /// goes on without them.
    pub write_errors: Vec<String>,
}

impl LayerCache {
    /// Opens (creating it if needed) the cache directory; at most `max_bytes` of entries
    /// are kept.
    pub fn open(dir: &Path, max_bytes: u64) -> io::Result<LayerCache> {
        fs::create_dir_all(dir)?;
        Ok(LayerCache {
            dir: dir.to_owned(),
            max_bytes,
            counters: Mutex::default(),
            known_bytes: Mutex::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry stored under `key`, or None when there is none or it is corrupt.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let Some(path) = entry_path(&self.dir, key) else {
            self.count(|s| s.misses += 1);
            return None;
        };
        let Ok(mut file) = File::open(&path) else {
            self.count(|s| s.misses += 1);
            return None;
        };
        match decode(&mut file) {
            Ok(data) => {
                // Opened for writing only to refresh the time; a read-only cache still
                // serves hits, it just forgets their recency.
                if let Ok(f) = File::options().write(true).open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                self.count(|s| s.hits += 1);
                Some(data)
            }
            Err(_) => {
                let _ = fs::remove_file(&path);
                self.count(|s| {
                    s.misses += 1;
                    s.corrupt += 1;
                });
                None
            }
        }
    }

    /// Drops an entry [`LayerCache::get`] returned but the caller could not use (its
    /// content does not parse): it counts as a corrupt miss instead of a hit.
    pub fn discard(&self, key: &str) {
        if let Some(path) = entry_path(&self.dir, key) {
            let _ = fs::remove_file(path);
        }
        self.count(|s| {
            s.hits = s.hits.saturating_sub(1);
            s.misses += 1;
            s.corrupt += 1;
        });
    }

    /// Stores what `write` produces under `key`, replacing any entry there, then evicts
    /// least recently used entries past the size bound. A failure is recorded in
    /// [`LayerCache::stats`], never returned: a scan does not depend on its cache.
    /// The directory is looked over (stale temporaries removed, the bound enforced) on
    /// the first store of the process and whenever the known total passes the bound.
    pub fn put(&self, key: &str, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        let written = match self.write_entry(key, write) {
            Ok(bytes) => {
                self.count(|s| s.stored += 1);
                bytes
            }
            Err(e) => {
                self.count(|s| s.write_errors.push(format!("{key}: {e}")));
                0
            }
        };
        let mut known = self
            .known_bytes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match known.map(|k| k.saturating_add(written)) {
            Some(total) if total <= self.max_bytes => *known = Some(total),
            _ => match evict::enforce(&self.dir, self.max_bytes) {
                Ok(total) => *known = Some(total),
                Err(e) => {
                    *known = None;
                    self.count(|s| s.write_errors.push(format!("evicting: {e}")));
                }
            },
        }
    }

    fn write_entry(
        &self,
        key: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let path = entry_path(&self.dir, key)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a valid key"))?;
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)?;
        {
            let mut out = BufWriter::with_capacity(256 << 10, temp.as_file_mut());
            out.write_all(MAGIC)?;
            let mut encoder = zstd::Encoder::new(out, LEVEL)?;
            encoder.include_checksum(true)?;
            write(&mut encoder)?;
            encoder.finish()?.flush()?;
        }
        let bytes = temp.as_file().metadata()?.len();
        temp.persist(path).map_err(|e| e.error)?;
        Ok(bytes)
    }

    /// What this process has done with the cache so far.
    pub fn stats(&self) -> ScanStats {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Keeps this process's [`ScanStats`] for `cache status` (the last scan to finish
    /// wins when several share the directory).
    pub fn record_scan(&self) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(&self.stats())?;
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)?;
        temp.write_all(&json)?;
        temp.persist(self.dir.join(LAST_SCAN))
            .map_err(|e| e.error)?;
        Ok(())
    }

    /// Entries, their total size and the last scan's figures.
    pub fn status(&self) -> io::Result<Status> {
        evict::status(&self.dir, self.max_bytes)
    }

    /// Removes every entry, stray temporary file and the last scan's figures.
    pub fn clean(&self) -> io::Result<Cleaned> {
        evict::clean(&self.dir)
    }

    fn count(&self, f: impl FnOnce(&mut ScanStats)) {
        f(&mut self.counters.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// Reads an entry whole, checking the header and the frame's checksum.
fn decode(file: &mut File) -> io::Result<Vec<u8>> {
    let mut magic = [0u8; MAGIC.len()];
    file.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not an entry"));
    }
    let mut data = Vec::new();
    zstd::Decoder::new(file)?
        .single_frame()
        .read_to_end(&mut data)?;
    Ok(data)
}

/// Where the entry for `key` lives. Keys name files, so only plain names are keys:
/// letters, digits, `-` and `_` (digests in hex), nothing that could leave the
/// directory or look like one of the store's own files.
fn entry_path(dir: &Path, key: &str) -> Option<PathBuf> {
    let plain = !key.is_empty()
        && key.len() <= 200
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plain.then(|| dir.join(format!("{key}{ENTRY_SUFFIX}")))
}

#[cfg(test)]
mod tests;
