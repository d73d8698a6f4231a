//! Full and incremental database builds: what to update from, the build entry point
//! and the steps every build ends with.

mod derive;
mod import;
mod incremental;
mod install;
mod oval;
mod tracker;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::clock::unix_now;
use crate::error::{Error, Result};
use crate::feeds::{FeedLocation, FeedPlan, FeedStatus, Feeds, fetch_feeds};
use crate::fetch::{Fetcher, Location};
use crate::schema;
use derive::{derive, index_cve_severities};
use import::import_zips;
use incremental::incremental;
use install::{TempDb, install, open_for_build, remove_stale_temps, temp_db};
use write::{Writer, write_eco_state};

/// What to update from and where.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// OSV mirror: http(s) URL or local directory holding `<ECOSYSTEM>/all.zip`.
    pub base: String,
    /// Directory holding `db.sqlite`; created if missing.
    pub cache_dir: PathBuf,
    /// Ecosystems to import; `None` reads `<base>/ecosystems.txt`, else lists a
    /// directory mirror's subfolders.
    pub ecosystems: Option<Vec<String>>,
    /// Root holding `kev/`, `cvss/`, `epss/`, `nvd/`, `alpine-secdb/`, `alas/`, `oval/`; default: parent of
    /// `base`.
    pub feeds_root: Option<String>,
    /// Where CISA's KEV catalog, FIRST's EPSS scores and NVD's CVSS feeds come from.
    pub kev: FeedLocation,
    pub epss: FeedLocation,
    pub nvd: FeedLocation,
    /// The Debian security tracker's JSON export (statuses of unfixed issues).
    pub debian_tracker: FeedLocation,
    /// Amazon's ALAS: the CDN holding each release's `mirror.list` (or `Mirror`: the
    /// feeds root's `alas/`).
    pub alas: FeedLocation,
    /// Oracle's ELSA OVAL file, bzip2 or plain (or `Mirror`: the feeds root's `oval/oracle/`).
    pub elsa: FeedLocation,
    /// Bottlerocket's `updateinfo.xml.gz` (or `Mirror`: the feeds root's `bottlerocket/`).
    pub bottlerocket: FeedLocation,
    /// Fedora's `updates` folder, one numbered folder per release in Fedora's repository
    /// layout (or `Mirror`: the feeds root's `fedora/`, laid out alike).
    pub fedora: FeedLocation,
    /// The folder of Microsoft's Azure Linux OVAL files (`azurelinux-3.0-oval.xml`,
    /// `cbl-mariner-2.0-oval.xml`; or `Mirror`: the feeds root's `oval/azurelinux/`).
    pub azure_linux: FeedLocation,
    /// The folder of Broadcom's Photon OS OVAL files (`com.vmware.phsa-photon<N>.xml.gz`
    /// for 3, 4, 5; or `Mirror`: the feeds root's `oval/photon/`).
    pub photon_oval: FeedLocation,
    /// Red Hat's CSAF VEX archive: its folder (holding `archive_latest.txt`) or the
    /// `.tar.zst` itself (or `Mirror`: the feeds root's `redhat-vex/`).
    pub redhat_vex: FeedLocation,
    /// Canonical's Ubuntu CVE tracker listing, the Security API's `cves.json` pages
    /// merged (or `Mirror`: the feeds root's `ubuntu-tracker/cves.json`).
    pub ubuntu_tracker: FeedLocation,
    /// SUSE's CSAF VEX archive: its folder (holding `csaf-vex.tar.bz2`) or the archive
    /// itself (or `Mirror`: the feeds root's `suse-vex/`).
    pub suse_vex: FeedLocation,
    /// Alpine secdb's edge folder (holding `main.json`, `community.json`), the only source
    /// of `Alpine:edge`; read when the build has Alpine releases (or `Mirror`: the feeds
    /// root's `alpine-secdb/edge/`).
    pub alpine_edge: FeedLocation,
    /// Rebuild from scratch even when an incremental update is possible.
    pub full: bool,
    /// Connect/response/read timeout per request.
    pub timeout: Duration,
    /// Retries (with exponential backoff) for 5xx answers and transport errors.
    pub retries: u32,
}

impl UpdateOptions {
    pub fn new(base: impl Into<String>, cache_dir: impl Into<PathBuf>) -> Self {
        UpdateOptions {
            base: base.into(),
            cache_dir: cache_dir.into(),
            ecosystems: None,
            feeds_root: None,
            kev: FeedLocation::Mirror,
            epss: FeedLocation::Mirror,
            nvd: FeedLocation::Mirror,
            debian_tracker: FeedLocation::Mirror,
            alas: FeedLocation::Mirror,
            elsa: FeedLocation::Mirror,
            bottlerocket: FeedLocation::Mirror,
            fedora: FeedLocation::Mirror,
            azure_linux: FeedLocation::Mirror,
            photon_oval: FeedLocation::Mirror,
            redhat_vex: FeedLocation::Mirror,
            ubuntu_tracker: FeedLocation::Mirror,
            suse_vex: FeedLocation::Mirror,
            alpine_edge: FeedLocation::Mirror,
            full: false,
            timeout: Duration::from_secs(30),
            retries: 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    Full,
    Incremental,
    /// Nothing changed; the database file was not rewritten.
    UpToDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EcosystemReport {
    pub name: String,
    /// Valid records stored for this ecosystem after the update.
    pub records: usize,
    /// Records read (from the zip or one by one) during this update.
    pub fetched: usize,
    pub removed: usize,
    /// Records that could not be parsed (skipped).
    pub bad: usize,
    pub zip_downloaded: bool,
}

/// A record skipped because it could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub ecosystem: String,
    pub id: String,
    pub error: String,
}

#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    pub kev: usize,
    /// Lines of the mirror's `cvss/cvss.jsonl`.
    pub cvss: usize,
    pub epss: usize,
    /// CVEs with a CVSS v3 or v4 score in NVD's feeds.
    pub nvd: usize,
    /// Amazon Linux and Oracle Linux advisories read from ALAS and ELSA.
    pub alas: usize,
    pub elsa: usize,
    /// Azure Linux / CBL-Mariner OVAL definitions read (one per CVE and package).
    pub azure_linux: usize,
    /// Photon OS OVAL entries read (one per PHSA definition, CVE and binary package).
    pub photon_oval: usize,
    /// Fedora security updates read, every release's.
    pub fedora: usize,
    /// Alpine secdb fixes that OSV lacked and were added.
    pub secdb_added: usize,
    /// Feed files that were absent (feeds are optional).
    pub missing: Vec<String>,
    /// Each feed: where it came from, its date and size.
    pub statuses: Vec<FeedStatus>,
    /// One line per published feed that could not be read.
    pub warnings: Vec<String>,
    pub changed: bool,
}

#[derive(Debug, Clone)]
pub struct UpdateReport {
    pub mode: UpdateMode,
    pub ecosystems: Vec<EcosystemReport>,
    pub bad_records: Vec<BadRecord>,
    /// Records downloaded individually as `<base>/<ECOSYSTEM>/<ID>.json`.
    pub records_fetched: usize,
    pub zips_downloaded: usize,
    pub feeds: FeedReport,
    pub db_path: PathBuf,
    pub elapsed: Duration,
}

/// Builds or refreshes `<cache_dir>/db.sqlite`.
///
/// The existing database is never modified in place: changes go to a temporary copy
/// that is fsynced and renamed over it, so on any error the old file stays valid.
pub fn update(opts: &UpdateOptions) -> Result<UpdateReport> {
    let start = Instant::now();
    std::fs::create_dir_all(&opts.cache_dir).map_err(|e| Error::io(&opts.cache_dir, e))?;
    remove_stale_temps(&opts.cache_dir);
    let ctx = Ctx::new(opts)?;
    let dest = crate::db_path(&opts.cache_dir);
    let existing = if opts.full || !dest.exists() {
        None
    } else {
        match schema::open_checked(&dest) {
            Ok(c) => {
                let same_source =
                    schema::get_meta(&c, "source")?.as_deref() == Some(&ctx.base.display());
                same_source.then_some(c)
            }
            Err(e @ Error::SchemaTooNew { .. }) => return Err(e),
            // Unreadable or older layout: rebuild from scratch.
            Err(_) => None,
        }
    };
    let mut report = match existing {
        Some(conn) => incremental(&ctx, conn, &dest)?,
        None => full(&ctx, &dest)?,
    };
    report.elapsed = start.elapsed();
    Ok(report)
}

struct Ctx {
    fetcher: Fetcher,
    base: Location,
    root: Option<Location>,
    ecosystems: Vec<String>,
    /// `Alpine:edge` was named: drydock builds it from secdb's edge files, it has no OSV zip.
    edge_named: bool,
    cache_dir: PathBuf,
    kev: FeedLocation,
    epss: FeedLocation,
    nvd: FeedLocation,
    debian_tracker: FeedLocation,
    alas: FeedLocation,
    elsa: FeedLocation,
    bottlerocket: FeedLocation,
    fedora: FeedLocation,
    azure_linux: FeedLocation,
    photon_oval: FeedLocation,
    redhat_vex: FeedLocation,
    ubuntu_tracker: FeedLocation,
    suse_vex: FeedLocation,
    alpine_edge: FeedLocation,
}

impl Ctx {
    fn new(opts: &UpdateOptions) -> Result<Ctx> {
        let fetcher = Fetcher::new(opts.timeout, opts.retries);
        let base = Location::parse(&opts.base);
        let root = match &opts.feeds_root {
            Some(r) => Some(Location::parse(r)),
            None => base.parent(),
        };
        let mut ecosystems = match &opts.ecosystems {
            Some(list) => list.clone(),
            None => list_ecosystems(&fetcher, &base)?,
        };
        let edge_named = ecosystems.iter().any(|e| e == schema::ALPINE_EDGE);
        ecosystems.retain(|e| e != schema::ALPINE_EDGE);
        if ecosystems.is_empty() && !edge_named {
            return Err(Error::Config(format!(
                "no ecosystems found at {}",
                base.display()
            )));
        }
        Ok(Ctx {
            fetcher,
            base,
            root,
            ecosystems,
            edge_named,
            cache_dir: opts.cache_dir.clone(),
            kev: opts.kev.clone(),
            epss: opts.epss.clone(),
            nvd: opts.nvd.clone(),
            debian_tracker: opts.debian_tracker.clone(),
            alas: opts.alas.clone(),
            elsa: opts.elsa.clone(),
            bottlerocket: opts.bottlerocket.clone(),
            fedora: opts.fedora.clone(),
            azure_linux: opts.azure_linux.clone(),
            photon_oval: opts.photon_oval.clone(),
            redhat_vex: opts.redhat_vex.clone(),
            ubuntu_tracker: opts.ubuntu_tracker.clone(),
            suse_vex: opts.suse_vex.clone(),
            alpine_edge: opts.alpine_edge.clone(),
        })
    }

    fn alpine_releases(&self) -> Vec<String> {
        self.ecosystems
            .iter()
            .filter_map(|e| e.strip_prefix("Alpine:"))
            .map(str::to_owned)
            .collect()
    }

    fn feeds(&self) -> Result<Feeds> {
        let plan = FeedPlan {
            root: self.root.as_ref(),
            kev: &self.kev,
            epss: &self.epss,
            nvd: &self.nvd,
            debian_tracker: self
                .ecosystems
                .iter()
                .any(|e| e.starts_with("Debian:"))
                .then_some(&self.debian_tracker),
            alas: &self.alas,
            elsa: &self.elsa,
            bottlerocket: &self.bottlerocket,
            fedora: &self.fedora,
            azure_linux: &self.azure_linux,
            photon_oval: &self.photon_oval,
            redhat_vex: &self.redhat_vex,
            ubuntu_tracker: &self.ubuntu_tracker,
            suse_vex: &self.suse_vex,
            alpine_edge: (self.edge_named || !self.alpine_releases().is_empty())
                .then_some(&self.alpine_edge),
            alpine_edge_named: self.edge_named,
            alpine_releases: self.alpine_releases(),
            cache_dir: &self.cache_dir,
            now: unix_now(),
        };
        fetch_feeds(&self.fetcher, &plan)
    }

    fn eco_name(&self, i: usize) -> Result<&str> {
        self.ecosystems
            .get(i)
            .map(String::as_str)
            .ok_or_else(|| Error::Config(format!("ecosystem index {i} out of range")))
    }

    fn zip_loc(&self, eco: &str) -> Location {
        self.base.join(&[eco, "all.zip"])
    }

    fn csv(&self, eco: &str) -> Result<Option<Vec<(String, String)>>> {
        let loc = self.base.join(&[eco, "modified_id.csv"]);
        self.fetcher
            .get_optional(&loc)?
            .map(|b| parse_modified_csv(&b, &loc))
            .transpose()
    }
}

fn list_ecosystems(f: &Fetcher, base: &Location) -> Result<Vec<String>> {
    if let Some(b) = f.get_optional(&base.join(&["ecosystems.txt"]))? {
        return Ok(String::from_utf8_lossy(&b)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect());
    }
    match base {
        Location::Dir(p) => {
            let mut v: Vec<String> = f
                .list(base)?
                .into_iter()
                .filter(|n| p.join(n).join("all.zip").is_file())
                .collect();
            v.sort();
            Ok(v)
        }
        Location::Http(u) => Err(Error::Config(format!(
            "{u}/ecosystems.txt not found; pass the ecosystem list explicitly"
        ))),
    }
}

/// Parses `<modified>,<ID>` lines (newest first).
fn parse_modified_csv(b: &[u8], loc: &Location) -> Result<Vec<(String, String)>> {
    let text = std::str::from_utf8(b).map_err(|e| Error::BadData {
        what: "modified_id.csv",
        url: loc.display(),
        msg: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once(',') {
            Some((m, id)) if !m.is_empty() && !id.is_empty() => {
                out.push((id.to_owned(), m.to_owned()))
            }
            _ => {
                return Err(Error::BadData {
                    what: "modified_id.csv",
                    url: loc.display(),
                    msg: format!("line {}: {line:?}", n + 1),
                });
            }
        }
    }
    Ok(out)
}

fn full(ctx: &Ctx, dest: &Path) -> Result<UpdateReport> {
    let feeds = ctx.feeds()?;
    let tmp = temp_db(&ctx.cache_dir);
    let conn = open_for_build(&tmp.path)?;
    schema::create(&conn)?;
    conn.execute_batch("BEGIN")?;
    let mut w = Writer::new(conn);
    let jobs: Vec<usize> = (0..ctx.ecosystems.len()).collect();
    import_zips(ctx, &jobs, &mut w)?;
    let outcomes: Vec<EcoOutcome> = ctx
        .ecosystems
        .iter()
        .enumerate()
        .map(|(eco, name)| EcoOutcome {
            eco,
            newest: w.newest.get(name).cloned(),
            removed: 0,
            zip_downloaded: true,
        })
        .collect();
    let done = finish_build(ctx, w, tmp, dest, &feeds, outcomes)?;
    Ok(UpdateReport {
        mode: UpdateMode::Full,
        zips_downloaded: done.ecosystems.len(),
        ecosystems: done.ecosystems,
        bad_records: done.bad_records,
        records_fetched: 0,
        feeds: feed_report(&feeds, done.secdb_added, true),
        db_path: dest.to_path_buf(),
        elapsed: Duration::ZERO,
    })
}

/// How the build went for one ecosystem, beyond what [`Writer`] counted.
struct EcoOutcome {
    eco: usize,
    /// Newest `modified` in the ecosystem's csv; else the newest stored one is used.
    newest: Option<String>,
    removed: usize,
    zip_downloaded: bool,
}

/// What [`finish_build`] hands back for the report.
struct Finished {
    secdb_added: usize,
    ecosystems: Vec<EcosystemReport>,
    bad_records: Vec<BadRecord>,
}

/// The steps every build ends with once its records are stored: derive feed data,
/// record per-ecosystem state and build metadata, commit, and install the temp file
/// over `dest`.
fn finish_build(
    ctx: &Ctx,
    w: Writer,
    tmp: TempDb,
    dest: &Path,
    feeds: &Feeds,
    outcomes: Vec<EcoOutcome>,
) -> Result<Finished> {
    let secdb_added = derive(&w.conn, feeds)?;
    index_cve_severities(&w.conn)?;
    let mut ecosystems = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        let name = ctx.eco_name(o.eco)?;
        let (records, bad) = write_eco_state(&w.conn, name, o.newest.as_ref())?;
        ecosystems.push(EcosystemReport {
            name: name.to_owned(),
            records,
            fetched: w.fetched.get(&o.eco).copied().unwrap_or(0),
            removed: o.removed,
            bad,
            zip_downloaded: o.zip_downloaded,
        });
    }
    write_build_meta(&w.conn, ctx, feeds)?;
    w.conn.execute_batch("COMMIT")?;
    install(w.conn, tmp, dest)?;
    Ok(Finished {
        secdb_added,
        ecosystems,
        bad_records: w.bad_records,
    })
}

fn feed_report(feeds: &Feeds, secdb_added: usize, changed: bool) -> FeedReport {
    FeedReport {
        kev: feeds.entries("KEV"),
        cvss: feeds.entries("CVSS"),
        epss: feeds.entries("EPSS"),
        nvd: feeds.entries("NVD CVSS"),
        alas: feeds.entries("Amazon ALAS"),
        elsa: feeds.entries("Oracle ELSA"),
        azure_linux: feeds.entries(crate::feeds::azure::NAME),
        photon_oval: feeds.entries(crate::feeds::photon::NAME),
        fedora: feeds.entries(crate::feeds::FEDORA_NAME),
        secdb_added,
        missing: feeds.missing.clone(),
        statuses: feeds.statuses.clone(),
        warnings: feeds.warnings.clone(),
        changed,
    }
}

fn write_build_meta(conn: &Connection, ctx: &Ctx, feeds: &Feeds) -> Result<()> {
    schema::set_meta(conn, "source", &ctx.base.display())?;
    schema::set_meta(conn, "built_at", &unix_now().to_string())?;
    schema::set_meta(conn, "feeds_digest", &feeds.digest)?;
    let statuses =
        serde_json::to_string(&feeds.statuses).map_err(|e| Error::Config(e.to_string()))?;
    let missing =
        serde_json::to_string(&feeds.missing).map_err(|e| Error::Config(e.to_string()))?;
    schema::set_meta(conn, "feeds", &statuses)?;
    schema::set_meta(conn, "feeds_missing", &missing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_csv_parsing() {
        let loc = Location::parse("x");
        let v = parse_modified_csv(b"2024-01-02T00:00:00Z,A\n2023-01-01T00:00:00Z,B\n", &loc)
            .expect("valid csv");
        assert_eq!(v[0], ("A".to_owned(), "2024-01-02T00:00:00Z".to_owned()));
        assert!(parse_modified_csv(b"garbage\n", &loc).is_err());
    }
}
