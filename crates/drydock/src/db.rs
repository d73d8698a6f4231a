//! `drydock db ...`: the local vulnerability database.

use crate::cli::DbCommand;
use anyhow::{Context, Result};
use drydock_vulndb::{UpdateMode, UpdateOptions};
use std::path::{Path, PathBuf};

/// `--cache-dir`, else `$XDG_CACHE_HOME/drydock`, else `~/.cache/drydock`.
pub fn cache_dir(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_owned());
    }
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("drydock"));
    }
    let home = std::env::var_os("HOME")
        .context("cannot find a cache directory: set --cache-dir or DRYDOCK_CACHE_DIR")?;
    Ok(PathBuf::from(home).join(".cache/drydock"))
}

pub fn run(command: DbCommand, cache_dir: &Path) -> Result<u8> {
    match command {
        DbCommand::Update {
            source,
            feeds,
            ecosystems,
            full,
        } => {
            let mut opts = UpdateOptions::new(source.trim_end_matches('/'), cache_dir);
            opts.feeds_root = feeds;
            opts.ecosystems = ecosystems;
            opts.full = full;
            let report = drydock_vulndb::update(&opts)
                .with_context(|| format!("updating the database from {source}"))?;
            let mode = match report.mode {
                UpdateMode::Full => "full rebuild",
                UpdateMode::Incremental => "incremental update",
                UpdateMode::UpToDate => "already up to date",
            };
            let records: usize = report.ecosystems.iter().map(|e| e.records).sum();
            println!(
                "{mode}: {records} advisories in {} ecosystems ({} records fetched one by one, {} archives) in {:.1}s",
                report.ecosystems.len(),
                report.records_fetched,
                report.zips_downloaded,
                report.elapsed.as_secs_f64()
            );
            println!(
                "feeds: {} KEV, {} CVSS, {} EPSS entries; {} Alpine secdb fixes added",
                report.feeds.kev, report.feeds.cvss, report.feeds.epss, report.feeds.secdb_added
            );
            for missing in &report.feeds.missing {
                println!("feed not found (skipped): {missing}");
            }
            for bad in &report.bad_records {
                println!(
                    "skipped bad record {} / {}: {}",
                    bad.ecosystem, bad.id, bad.error
                );
            }
            println!("database: {}", report.db_path.display());
            Ok(0)
        }
        DbCommand::Status => {
            let status = drydock_vulndb::status(cache_dir)?;
            println!("database: {}", status.path.display());
            println!("schema:   v{}", status.schema_version);
            println!("source:   {}", status.source);
            println!("age:      {}", human_age(status.age.as_secs()));
            println!("size:     {:.1} MB", status.size_bytes as f64 / 1e6);
            for e in &status.ecosystems {
                println!("  {:<24} {:>7} advisories", e.name, e.records);
            }
            Ok(0)
        }
        DbCommand::Export { file } => {
            drydock_vulndb::export(cache_dir, &file)?;
            println!("exported to {}", file.display());
            Ok(0)
        }
        DbCommand::Import { file } => {
            drydock_vulndb::import(cache_dir, &file)?;
            println!("imported {} into {}", file.display(), cache_dir.display());
            Ok(0)
        }
    }
}

pub fn human_age(secs: u64) -> String {
    match secs {
        s if s < 3600 => format!("{} minutes", s / 60),
        s if s < 86_400 * 2 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}
