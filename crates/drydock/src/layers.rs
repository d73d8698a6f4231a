//! The per-layer result cache from the command line: where it lives, `drydock cache
//! status|clean`, and what a scan did with it.

use crate::cli::{CacheCommand, LayerCacheArgs};
use anyhow::{Context, Result};
use drydock_scanner::LayerCache;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Beside the vulnerability database, so `--cache-dir` moves both.
fn dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join("layers")
}

/// The cache a scan uses, or None when switched off or it cannot be opened (a read-only
/// home, say): a scan never fails because of its cache, it says so and goes on.
pub fn open(args: &LayerCacheArgs, cache_dir: &Path) -> Option<LayerCache> {
    if args.no_layer_cache {
        return None;
    }
    let dir = dir(cache_dir);
    match LayerCache::open(&dir, args.layer_cache_mib.saturating_mul(1 << 20)) {
        Ok(cache) => Some(cache),
        Err(e) => {
            warn(&format!(
                "layer cache {}: {e}; scanning without it",
                dir.display()
            ));
            None
        }
    }
}

/// Keeps the scan's hit/miss figures for `cache status` and warns about entries that
/// could not be written.
pub fn after_scan(cache: &LayerCache) {
    let stats = cache.stats();
    if let Some(first) = stats.write_errors.first() {
        warn(&format!(
            "layer cache {}: {} entries not stored ({first})",
            cache.dir().display(),
            stats.write_errors.len()
        ));
    }
    let _ = cache.record_scan();
}

pub fn command(command: &CacheCommand, args: &LayerCacheArgs, cache_dir: &Path) -> Result<u8> {
    let dir = dir(cache_dir);
    let shown = dir.display();
    let cache = LayerCache::open(&dir, args.layer_cache_mib.saturating_mul(1 << 20))
        .with_context(|| format!("layer cache {shown}"))?;
    match command {
        CacheCommand::Status => {
            let s = cache
                .status()
                .with_context(|| format!("layer cache {shown}"))?;
            say!("layer cache: {shown}");
            say!("entries: {}", s.entries);
            say!("size: {} of {} MiB", mib(s.bytes), mib(s.max_bytes));
            say!("stale temporary files: {}", s.stale_temp_files);
            match s.last_scan {
                Some(l) => say!(
                    "last scan: {} hits, {} misses ({} corrupt), {} stored",
                    l.hits,
                    l.misses,
                    l.corrupt,
                    l.stored
                ),
                None => say!("last scan: none recorded"),
            }
        }
        CacheCommand::Clean => {
            let c = cache
                .clean()
                .with_context(|| format!("layer cache {shown}"))?;
            say!(
                "removed {} entries ({} MiB) from {shown}",
                c.entries,
                mib(c.bytes)
            );
        }
    }
    Ok(0)
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / f64::from(1 << 20))
}

fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}
