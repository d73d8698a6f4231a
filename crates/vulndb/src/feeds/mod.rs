//! The CVE feeds joined onto advisories (CISA KEV, FIRST EPSS, CVSS from a mirror file
//! and from NVD), Alpine secdb (`secdb.rs`), Amazon's ALAS and Oracle's ELSA: where each
//! is read from, and what `db status` says about each.
//!
//! A mirror keeps them in folders beside the OSV data (`kev/`, `epss/`, `cvss/`,
//! `nvd/`, `alpine-secdb/`, `alas/<release>/updateinfo.xml[.gz]`,
//! `oval/oracle/com.oracle.elsa-all.xml[.bz2]`, `oval/azurelinux/<release>-oval.xml`,
//! `oval/photon/com.vmware.phsa-photon<N>.xml[.gz]`); a file it
//! lacks is skipped and listed as absent (ALAS and ELSA files are not listed: without
//! them Amazon and Oracle Linux are reported as not covered when scanned). A feed
//! pointed at its publisher (the default with the public OSV bucket) is optional in
//! another way: when it cannot be fetched or read, the update warns in one line and uses
//! the copy fetched last time, kept in `<cache>/feeds/`, if there is one.

pub(crate) mod alas;
pub(crate) mod azure;
mod csaf;
mod debian;
pub(crate) mod elsa;
mod fedora;
mod inflate;
mod nvd;
mod oval;
mod parse;
pub(crate) mod photon;
mod redhat_vex;
mod redhat_vex_changes;
mod redhat_vex_listing;
mod secdb;
mod suse_vex;
mod ubuntu;
mod vendor;
mod xml;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::fetch::{Fetcher, Location};
pub(crate) use alas::AlasUpdate;
pub(crate) use azure::AzureDef;
pub(crate) use csaf::Vex;
pub use debian::DEBIAN_TRACKER_URL;
pub(crate) use debian::{Tracker, TrackerState, parse_tracker as parse_debian_tracker};
pub use fedora::FEDORA_UPDATES_URL;
pub(crate) use fedora::{NAME as FEDORA_NAME, parse_fedora};
use parse::{CveMap, Parsed, parse_cvss, parse_epss, parse_kev};
pub(crate) use parse::{SecdbFix, cve_ids};
pub(crate) use photon::PhotonDef;
pub(crate) use redhat_vex::{VEX_FAMILY, parse_document as parse_redhat_vex_document};
pub(crate) use redhat_vex_listing::parse_listing as parse_redhat_vex_listing;
pub use secdb::ALPINE_EDGE_SECDB_URL;
pub(crate) use suse_vex::{SUSE_VEX_FAMILY, parse_document as parse_suse_vex_document};
pub(crate) use ubuntu::{UbuntuTracker, parse_cves as parse_ubuntu_tracker};
pub use vendor::{
    AMAZON_LINUX_CDN_URL, AZURE_LINUX_OVAL_URL, BOTTLEROCKET_ADVISORIES_URL, ORACLE_ELSA_URL,
    PHOTON_OVAL_URL,
};

/// CISA's Known Exploited Vulnerabilities catalog.
pub const CISA_KEV_URL: &str =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
/// FIRST's daily EPSS scores (served by Empirical Security for FIRST).
pub const FIRST_EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
/// The folder of NVD's JSON 2.0 yearly and `modified` feeds.
pub const NVD_FEEDS_URL: &str = "https://nvd.nist.gov/feeds/json/cve/2.0";

/// Where one CVE feed is read from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FeedLocation {
    /// Its folder under the feeds root; skipped quietly when absent.
    #[default]
    Mirror,
    /// A URL or path of the published file (for NVD, of the folder of its feeds; for
    /// ALAS, of the CDN folder holding each release's `mirror.list`); when it cannot be
    /// read: a warning and the copy fetched last time.
    At(String),
    /// Not read.
    Off,
}

/// One feed as `db status` reports it (stored with the database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedStatus {
    /// `KEV`, `EPSS`, `CVSS`, `NVD CVSS`, `Alpine secdb`, `Alpine edge secdb (main)` and
    /// `(community)`, `Amazon ALAS`, `Oracle ELSA`.
    pub name: String,
    /// Where it was read from.
    pub source: String,
    /// The date the feed states for itself (KEV release, EPSS score date, NVD timestamp).
    pub date: Option<String>,
    pub entries: usize,
    pub state: FeedState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeedState {
    /// Read during this build.
    Fresh,
    /// The source could not be read; the copy fetched last time was used.
    Cached,
    /// Not found where the mirror layout puts it.
    Absent,
    /// The source could not be read and no earlier copy exists.
    Unavailable,
    Off,
}

/// Which feeds to read for one build.
pub(crate) struct FeedPlan<'a> {
    pub root: Option<&'a Location>,
    pub kev: &'a FeedLocation,
    pub epss: &'a FeedLocation,
    pub nvd: &'a FeedLocation,
    /// Read only when the build has Debian releases to annotate.
    pub debian_tracker: Option<&'a FeedLocation>,
    /// Amazon's CDN (the folder of each release's `mirror.list`) and Oracle's OVAL file.
    pub alas: &'a FeedLocation,
    pub elsa: &'a FeedLocation,
    pub bottlerocket: &'a FeedLocation,
    /// Fedora's `updates` folder (one numbered folder per release).
    pub fedora: &'a FeedLocation,
    /// The folder holding Microsoft's per-release OVAL files.
    pub azure_linux: &'a FeedLocation,
    /// The folder holding Broadcom's per-release Photon OS OVAL files.
    pub photon_oval: &'a FeedLocation,
    /// Red Hat's CSAF VEX archive (statuses of unfixed components).
    pub redhat_vex: &'a FeedLocation,
    /// SUSE's CSAF VEX archive (likewise).
    pub suse_vex: &'a FeedLocation,
    /// Canonical's CVE tracker listing (statuses per release and pocket).
    pub ubuntu_tracker: &'a FeedLocation,
    pub alpine_releases: Vec<String>,
    /// Alpine secdb's edge folder (`main.json`, `community.json`); `None` when the build
    /// has neither Alpine releases nor `Alpine:edge` (then nothing would use it).
    pub alpine_edge: Option<&'a FeedLocation>,
    /// `Alpine:edge` was asked for by name: a mirror without its files is an error, not
    /// an optional feed skipped.
    pub alpine_edge_named: bool,
    pub cache_dir: &'a Path,
    pub now: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Feeds {
    pub cve: CveMap,
    pub secdb: Vec<SecdbFix>,
    pub alas: Vec<AlasUpdate>,
    /// Oracle Linux ELSA advisories (same shape; `release` is the major version).
    pub elsa: Vec<AlasUpdate>,
    /// Bottlerocket's advisories (same shape; no release).
    pub bottlerocket: Vec<AlasUpdate>,
    /// Fedora's security updates (same shape; `release` is the Fedora release).
    pub fedora: Vec<AlasUpdate>,
    /// Azure Linux / CBL-Mariner OVAL definitions, one per CVE and package.
    pub azure: Vec<AzureDef>,
    /// Photon OS OVAL entries, one per PHSA definition, CVE and binary package.
    pub photon: Vec<PhotonDef>,
    /// The Debian security tracker's per-release statuses.
    pub debian: Tracker,
    /// Red Hat's unfixed components per CVE, from its VEX files.
    pub redhat_vex: Vex,
    /// SUSE's unfixed components per CVE, from its VEX files.
    pub suse_vex: Vex,
    /// The Ubuntu CVE tracker's per-release statuses.
    pub ubuntu: UbuntuTracker,
    /// Digest over every feed read; unchanged digest means nothing to re-derive.
    pub digest: String,
    pub statuses: Vec<FeedStatus>,
    /// Mirror files that were not there (feeds are optional).
    pub missing: Vec<String>,
    /// One line per feed that could not be read from its publisher.
    pub warnings: Vec<String>,
}

impl Feeds {
    /// Entries read from the feed called `name` (0 when it was not read).
    pub(crate) fn entries(&self, name: &str) -> usize {
        self.statuses
            .iter()
            .filter(|s| s.name == name)
            .map(|s| s.entries)
            .sum()
    }
}

/// The Debian security tracker's name in `db status`.
const DEBIAN_TRACKER: &str = "Debian tracker";

/// Amazon Linux releases whose ALAS `updateinfo.xml` a mirror may hold.
pub(crate) const ALAS_RELEASES: [&str; 2] = ["2", "2023"];

type Parser = fn(&[u8], &Location, &mut CveMap) -> Result<Parsed>;

/// Reads every feed of `plan`. Mirror files that exist but do not parse are errors
/// (the mirror is broken); published feeds never fail the build.
pub(crate) fn fetch_feeds(f: &Fetcher, plan: &FeedPlan) -> Result<Feeds> {
    let mut r = Reader {
        f,
        cache: plan.cache_dir.join("feeds"),
        feeds: Feeds::default(),
        hasher: Sha256::new(),
    };
    let root = plan.root;
    let mirror = |segs: &[&str]| root.map(|r| r.join(segs));
    match plan.kev {
        FeedLocation::Mirror => {
            let loc = mirror(&["kev", "known_exploited_vulnerabilities.json"]);
            r.mirror_file("KEV", loc, parse_kev)?;
        }
        FeedLocation::At(at) => r.published("KEV", at, "kev.json", parse_kev),
        FeedLocation::Off => r.off("KEV"),
    }
    // Before NVD: CVSS lines only fill what is still empty, so the mirror's file wins.
    r.mirror_file("CVSS", mirror(&["cvss", "cvss.jsonl"]), parse_cvss)?;
    match plan.epss {
        FeedLocation::Mirror => {
            let loc = root.map(|root| find_epss(f, root));
            r.mirror_file("EPSS", loc, parse_epss)?;
        }
        FeedLocation::At(at) => r.published("EPSS", at, "epss.csv.gz", parse_epss),
        FeedLocation::Off => r.off("EPSS"),
    }
    match plan.nvd {
        FeedLocation::Mirror => {
            if let Some(loc) = mirror(&["nvd"]) {
                r.nvd(&loc, false, plan.now)?;
            }
        }
        FeedLocation::At(at) => r.nvd(&Location::parse(at), true, plan.now)?,
        FeedLocation::Off => r.off("NVD CVSS"),
    }
    match plan.debian_tracker {
        None => {}
        Some(FeedLocation::Mirror) => {
            let loc = mirror(&["debian-tracker", "tracker.json"]);
            r.mirror_tracker(loc)?;
        }
        Some(FeedLocation::At(at)) => {
            let t = r.published_as(
                DEBIAN_TRACKER,
                at,
                "debian-tracker.json",
                debian::parse_tracker,
            );
            r.feeds.debian = t.unwrap_or_default();
        }
        Some(FeedLocation::Off) => r.off(DEBIAN_TRACKER),
    }
    if let Some(root) = root {
        r.secdb(root, &plan.alpine_releases)?;
    }
    if let Some(edge) = plan.alpine_edge {
        r.secdb_edge(edge, root, plan.alpine_edge_named)?;
    }
    match (plan.alas, root) {
        (FeedLocation::Mirror, Some(root)) => r.alas_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.alas_published(&Location::parse(at)),
        (FeedLocation::Off, _) => r.off("Amazon ALAS"),
    }
    match (plan.elsa, root) {
        (FeedLocation::Mirror, Some(root)) => r.elsa_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.elsa_published(at),
        (FeedLocation::Off, _) => r.off("Oracle ELSA"),
    }
    match (plan.bottlerocket, root) {
        (FeedLocation::Mirror, Some(root)) => r.bottlerocket_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.bottlerocket_published(at),
        (FeedLocation::Off, _) => r.off("Bottlerocket advisories"),
    }
    match (plan.fedora, root) {
        (FeedLocation::Mirror, Some(root)) => r.fedora_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.fedora_published(&Location::parse(at)),
        (FeedLocation::Off, _) => r.off(fedora::NAME),
    }
    match (plan.azure_linux, root) {
        (FeedLocation::Mirror, Some(root)) => r.azure_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.azure_published(&Location::parse(at)),
        (FeedLocation::Off, _) => r.off(azure::NAME),
    }
    match (plan.photon_oval, root) {
        (FeedLocation::Mirror, Some(root)) => r.photon_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.photon_published(&Location::parse(at)),
        (FeedLocation::Off, _) => r.off(photon::NAME),
    }
    match (plan.redhat_vex, root) {
        (FeedLocation::Mirror, Some(root)) => r.redhat_vex_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.redhat_vex_published(at, plan.now),
        (FeedLocation::Off, _) => r.off(redhat_vex::NAME),
    }
    match (plan.ubuntu_tracker, root) {
        (FeedLocation::Mirror, Some(root)) => r.ubuntu_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.ubuntu_published(at),
        (FeedLocation::Off, _) => r.off(ubuntu::NAME),
    }
    match (plan.suse_vex, root) {
        (FeedLocation::Mirror, Some(root)) => r.suse_vex_mirror(root)?,
        (FeedLocation::Mirror, None) => {}
        (FeedLocation::At(at), _) => r.suse_vex_published(at),
        (FeedLocation::Off, _) => r.off(suse_vex::NAME),
    }
    let mut feeds = r.feeds;
    feeds.digest = hex::encode(r.hasher.finalize());
    Ok(feeds)
}

/// EPSS files carry their date in the name, so take the newest `*.csv` or `*.csv.gz`
/// in the folder; FIRST's `epss_scores-current.csv.gz` when it cannot be listed.
fn find_epss(f: &Fetcher, root: &Location) -> Location {
    let dir = root.join(&["epss"]);
    let newest = f.list(&dir).ok().and_then(|names| {
        names
            .into_iter()
            .filter(|n| n.ends_with(".csv") || n.ends_with(".csv.gz"))
            .max()
    });
    dir.join(&[newest.as_deref().unwrap_or("epss_scores-current.csv.gz")])
}

struct Reader<'a> {
    f: &'a Fetcher,
    /// Last good copies of published feeds.
    cache: PathBuf,
    feeds: Feeds,
    hasher: Sha256,
}

impl Reader<'_> {
    fn hash(&mut self, what: &str, bytes: &[u8]) {
        self.hasher.update(what.as_bytes());
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }

    /// [`Self::hash`] of a file read in pieces, for feeds too large to hold.
    fn hash_file(&mut self, what: &str, path: &Path) -> Result<()> {
        let io = |e| crate::error::Error::io(path, e);
        let mut f = std::fs::File::open(path).map_err(io)?;
        self.hasher.update(what.as_bytes());
        self.hasher
            .update(f.metadata().map_err(io)?.len().to_le_bytes());
        let mut buf = vec![0; 1 << 20];
        loop {
            match std::io::Read::read(&mut f, &mut buf).map_err(io)? {
                0 => return Ok(()),
                n => self.hasher.update(&buf[..n]),
            }
        }
    }

    /// A published feed that failed to read but whose last good copy (of `parsed`'s
    /// date) is used instead.
    fn stale(&mut self, name: &str, e: &crate::error::Error, parsed: &Parsed) {
        let of = parsed.date.as_deref().unwrap_or("an unknown date");
        self.feeds.warnings.push(format!(
            "{name} feed not updated ({e}); using the copy of {of}"
        ));
    }

    /// A published feed that failed to read and has no usable copy.
    fn unavailable(&mut self, name: &str, at: &str, e: &crate::error::Error) {
        self.feeds.warnings.push(format!(
            "{name} feed unavailable ({e}); continuing without it"
        ));
        self.status(
            name,
            at.to_owned(),
            Parsed::default(),
            FeedState::Unavailable,
        );
    }

    fn status(&mut self, name: &str, source: String, parsed: Parsed, state: FeedState) {
        self.feeds.statuses.push(FeedStatus {
            name: name.to_owned(),
            source,
            date: parsed.date,
            entries: parsed.entries,
            state,
        });
    }

    fn off(&mut self, name: &str) {
        self.status(name, String::new(), Parsed::default(), FeedState::Off);
    }

    /// A feed file of the mirror layout (`None`: no feeds root).
    fn mirror_file(&mut self, name: &str, loc: Option<Location>, parse: Parser) -> Result<()> {
        let Some(loc) = loc else { return Ok(()) };
        match self.f.get_optional(&loc)? {
            Some(b) => {
                self.hash(&loc.display(), &b);
                let parsed = parse(&b, &loc, &mut self.feeds.cve)?;
                self.status(name, loc.display(), parsed, FeedState::Fresh);
            }
            None => {
                self.feeds.missing.push(loc.display());
                self.status(name, loc.display(), Parsed::default(), FeedState::Absent);
            }
        }
        Ok(())
    }

    /// A per-CVE feed at its publisher's URL, merged into the CVE map.
    fn published(&mut self, name: &str, at: &str, copy: &str, parse: Parser) {
        let read = |b: &[u8], loc: &Location| {
            let mut cve = CveMap::new();
            parse(b, loc, &mut cve).map(|parsed| (parsed, cve))
        };
        if let Some(cve) = self.published_as(name, at, copy, read) {
            merge(&mut self.feeds.cve, cve);
        }
    }

    /// A feed file at its publisher's URL (or a path): parsed apart first, so a bad
    /// download leaves nothing behind; the last good copy is the fallback. `None` when
    /// neither can be read (a warning says so).
    fn published_as<T>(
        &mut self,
        name: &str,
        at: &str,
        copy: &str,
        parse: impl Fn(&[u8], &Location) -> Result<(Parsed, T)>,
    ) -> Option<T> {
        let loc = Location::parse(at);
        let fresh = self.f.get(&loc).map(|b| (b, loc));
        self.published_bytes(name, at, copy, fresh, parse)
    }

    /// [`Self::published_as`] for a file already fetched (or not) as `fresh`, with where
    /// it was read from.
    fn published_bytes<T>(
        &mut self,
        name: &str,
        at: &str,
        copy: &str,
        fresh: Result<(Vec<u8>, Location)>,
        parse: impl Fn(&[u8], &Location) -> Result<(Parsed, T)>,
    ) -> Option<T> {
        let copy = self.cache.join(copy);
        let fresh = fresh.and_then(|(b, loc)| {
            let (parsed, cve) = parse(&b, &loc)?;
            Ok((b, parsed, cve))
        });
        let (bytes, parsed, cve, state) = match fresh {
            Ok((b, parsed, cve)) => {
                let saved = std::fs::create_dir_all(&self.cache)
                    .map_err(|e| crate::error::Error::io(&self.cache, e))
                    .and_then(|()| nvd::write_atomic(&copy, &b));
                if let Err(e) = saved {
                    self.feeds
                        .warnings
                        .push(format!("{name}: could not keep a copy: {e}"));
                }
                (b, parsed, cve, FeedState::Fresh)
            }
            Err(e) => {
                let last = std::fs::read(&copy).ok().and_then(|b| {
                    let (parsed, cve) =
                        parse(&b, &Location::parse(&copy.display().to_string())).ok()?;
                    Some((b, parsed, cve))
                });
                let Some((b, parsed, cve)) = last else {
                    self.unavailable(name, at, &e);
                    return None;
                };
                self.stale(name, &e, &parsed);
                (b, parsed, cve, FeedState::Cached)
            }
        };
        self.hash(at, &bytes);
        self.status(name, at.to_owned(), parsed, state);
        Some(cve)
    }

    /// The tracker export of the mirror layout (`None`: no feeds root).
    fn mirror_tracker(&mut self, loc: Option<Location>) -> Result<()> {
        let Some(loc) = loc else { return Ok(()) };
        match self.f.get_optional(&loc)? {
            Some(b) => {
                self.hash(&loc.display(), &b);
                let (parsed, tracker) = debian::parse_tracker(&b, &loc)?;
                self.feeds.debian = tracker;
                self.status(DEBIAN_TRACKER, loc.display(), parsed, FeedState::Fresh);
            }
            None => {
                self.feeds.missing.push(loc.display());
                self.status(
                    DEBIAN_TRACKER,
                    loc.display(),
                    Parsed::default(),
                    FeedState::Absent,
                );
            }
        }
        Ok(())
    }

    /// NVD's feeds at `base`, synced into `<cache>/nvd/`.
    fn nvd(&mut self, base: &Location, published: bool, now: u64) -> Result<()> {
        let dir = self.cache.join("nvd");
        let (data, state) = match nvd::sync(self.f, base, &dir, now) {
            Ok(Some(d)) => (d, FeedState::Fresh),
            Ok(None) if published => {
                self.feeds.warnings.push(format!(
                    "NVD CVSS feed unavailable (no nvdcve-2.0-modified.meta at {}); continuing without it",
                    base.display()
                ));
                self.status(
                    "NVD CVSS",
                    base.display(),
                    Parsed::default(),
                    FeedState::Unavailable,
                );
                return Ok(());
            }
            Ok(None) => {
                let meta = base.join(&["nvdcve-2.0-modified.meta"]);
                self.feeds.missing.push(meta.display());
                self.status(
                    "NVD CVSS",
                    base.display(),
                    Parsed::default(),
                    FeedState::Absent,
                );
                return Ok(());
            }
            Err(e) if !published => return Err(e),
            Err(e) => match nvd::last_synced(&dir, base) {
                Some(d) => {
                    let of = d.date.clone().unwrap_or_else(|| "an unknown date".into());
                    self.feeds.warnings.push(format!(
                        "NVD CVSS feed not updated ({e}); using the copy of {of}"
                    ));
                    (d, FeedState::Cached)
                }
                None => {
                    self.feeds.warnings.push(format!(
                        "NVD CVSS feed unavailable ({e}); continuing without it"
                    ));
                    self.status(
                        "NVD CVSS",
                        base.display(),
                        Parsed::default(),
                        FeedState::Unavailable,
                    );
                    return Ok(());
                }
            },
        };
        self.hash("nvd", data.digest.as_bytes());
        let entries = data.lines.len();
        for line in data.lines {
            line.fill(&mut self.feeds.cve);
        }
        let parsed = Parsed {
            entries,
            date: data.date,
        };
        self.status("NVD CVSS", base.display(), parsed, state);
        Ok(())
    }
}

/// Adds one feed's per-CVE data: KEV and EPSS replace, CVSS fills only what is empty.
fn merge(into: &mut CveMap, from: CveMap) {
    for (cve, x) in from {
        let e = into.entry(cve).or_default();
        if x.kev_added.is_some() {
            e.kev_added = x.kev_added;
            e.kev_due = x.kev_due;
        }
        if x.epss.is_some() {
            e.epss = x.epss;
        }
        if e.cvss3.is_none() {
            e.cvss3 = x.cvss3;
        }
        if e.cvss4.is_none() {
            e.cvss4 = x.cvss4;
        }
    }
}
