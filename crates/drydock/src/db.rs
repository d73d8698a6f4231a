//! `drydock db ...`: the local vulnerability database.

use crate::cli::{DEFAULT_OSV_SOURCE, DbCommand, DbUpdateArgs};
use anyhow::{Context, Result};
use drydock_vulndb::{FeedLocation, FeedState, FeedStatus, UpdateMode, UpdateOptions};
use std::io::Write;
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
        DbCommand::Update(args) => {
            let DbUpdateArgs {
                source,
                feeds,
                kev,
                epss,
                nvd,
                debian_tracker,
                alas,
                elsa,
                bottlerocket,
                fedora,
                azure_linux,
                photon_oval,
                redhat_vex,
                ubuntu_tracker,
                suse_vex,
                alpine_edge,
                ecosystems,
                full,
            } = *args;
            // The public bucket has no feed folders beside it: read the publishers'.
            let published = feeds.is_none() && source.trim_end_matches('/') == DEFAULT_OSV_SOURCE;
            // `url`: the publisher's, read by default with the public bucket (none: not read).
            let location = |flag: Option<String>, url: Option<&str>| match flag.as_deref() {
                Some("off") => FeedLocation::Off,
                Some(at) => FeedLocation::At(at.to_owned()),
                None if published => {
                    url.map_or(FeedLocation::Off, |u| FeedLocation::At(u.to_owned()))
                }
                None => FeedLocation::Mirror,
            };
            let mut opts = UpdateOptions::new(source.trim_end_matches('/'), cache_dir);
            opts.kev = location(kev, Some(drydock_vulndb::CISA_KEV_URL));
            opts.epss = location(epss, Some(drydock_vulndb::FIRST_EPSS_URL));
            opts.nvd = location(nvd, Some(drydock_vulndb::NVD_FEEDS_URL));
            opts.debian_tracker =
                location(debian_tracker, Some(drydock_vulndb::DEBIAN_TRACKER_URL));
            opts.alas = location(alas, Some(drydock_vulndb::AMAZON_LINUX_CDN_URL));
            opts.elsa = location(elsa, Some(drydock_vulndb::ORACLE_ELSA_URL));
            opts.bottlerocket = location(
                bottlerocket,
                Some(drydock_vulndb::BOTTLEROCKET_ADVISORIES_URL),
            );
            opts.fedora = location(fedora, Some(drydock_vulndb::FEDORA_UPDATES_URL));
            opts.azure_linux = location(azure_linux, Some(drydock_vulndb::AZURE_LINUX_OVAL_URL));
            opts.photon_oval = location(photon_oval, Some(drydock_vulndb::PHOTON_OVAL_URL));
            // Not from Red Hat by default: its archive is large and read whole each time.
            opts.redhat_vex = location(redhat_vex, None);
            // Nor from Canonical: paging its API through hundreds of thousands of CVEs is
            // thousands of requests.
            opts.ubuntu_tracker = location(ubuntu_tracker, None);
            // Nor from SUSE, for the same reason.
            opts.suse_vex = location(suse_vex, None);
            // Edge's secdb is its only source (OSV has no edge ecosystem); the releases'
            // secdb files are not read from Alpine, OSV carrying what they say.
            opts.alpine_edge = location(alpine_edge, Some(drydock_vulndb::ALPINE_EDGE_SECDB_URL));
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
            say!(
                "{mode}: {records} advisories in {} ecosystems ({} records fetched one by one, {} archives) in {:.1}s",
                report.ecosystems.len(),
                report.records_fetched,
                report.zips_downloaded,
                report.elapsed.as_secs_f64()
            );
            let f = &report.feeds;
            say!(
                "feeds: {} KEV, {} CVSS, {} NVD CVSS, {} EPSS entries; {} Alpine secdb fixes added; {} Amazon ALAS, {} Oracle ELSA advisories; {} Azure Linux OVAL definitions; {} Photon OS OVAL entries; {} Fedora updates",
                f.kev,
                f.cvss,
                f.nvd,
                f.epss,
                f.secdb_added,
                f.alas,
                f.elsa,
                f.azure_linux,
                f.photon_oval,
                f.fedora
            );
            for w in &f.warnings {
                let _ = writeln!(std::io::stderr(), "warning: {w}");
            }
            if !f.missing.is_empty() {
                say!(
                    "optional feeds not found, skipped ({}; `drydock db status` lists them)",
                    short_names(&f.missing)
                );
            }
            for bad in &report.bad_records {
                say!(
                    "skipped bad record {} / {}: {}",
                    bad.ecosystem,
                    bad.id,
                    bad.error
                );
            }
            say!("database: {}", report.db_path.display());
            Ok(0)
        }
        DbCommand::Status => {
            let status = drydock_vulndb::status(cache_dir)?;
            say!("database: {}", status.path.display());
            say!("schema:   v{}", status.schema_version);
            say!("source:   {}", status.source);
            say!("age:      {}", human_age(status.age.as_secs()));
            say!("size:     {:.1} MB", status.size_bytes as f64 / 1e6);
            for e in &status.ecosystems {
                say!("  {:<24} {:>7} advisories", e.name, e.records);
            }
            if !status.feeds.is_empty() {
                say!("feeds:");
            }
            for feed in &status.feeds {
                say!("  {}", feed_line(feed));
            }
            for missing in &status.feeds_missing {
                say!("  not found: {missing}");
            }
            Ok(0)
        }
        DbCommand::Export { file } => {
            drydock_vulndb::export(cache_dir, &file)?;
            say!("exported to {}", file.display());
            Ok(0)
        }
        DbCommand::Import { file } => {
            drydock_vulndb::import(cache_dir, &file)?;
            say!("imported {} into {}", file.display(), cache_dir.display());
            Ok(0)
        }
    }
}

/// `KEV  2025-08-25  1404 entries  https://…`, with why a feed is not fresh.
fn feed_line(f: &FeedStatus) -> String {
    let state = match f.state {
        FeedState::Fresh => "",
        FeedState::Cached => "  (source unreachable at the last update: copy fetched earlier)",
        FeedState::Absent => "  (not found)",
        FeedState::Unavailable => "  (source unreachable, no earlier copy)",
        FeedState::Off => "  (off)",
    };
    format!(
        "{:<13} {:<10} {:>7} entries  {}{state}",
        f.name,
        f.date.as_deref().unwrap_or("-"),
        f.entries,
        f.source
    )
}

/// The missing files named relative to the folder they share, in one line.
fn short_names(paths: &[String]) -> String {
    let common = paths.iter().skip(1).fold(paths[0].as_str(), |acc, p| {
        let n = acc
            .char_indices()
            .zip(p.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, c), _)| i + c.len_utf8());
        &acc[..n]
    });
    let root = common.rfind('/').map_or("", |i| &common[..=i]);
    let names: Vec<&str> = paths.iter().map(|p| &p[root.len()..]).collect();
    if root.is_empty() {
        names.join(", ")
    } else {
        format!("under {root}: {}", names.join(", "))
    }
}

pub fn human_age(secs: u64) -> String {
    match secs {
        s if s < 3600 => format!("{} minutes", s / 60),
        s if s < 86_400 * 2 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}
