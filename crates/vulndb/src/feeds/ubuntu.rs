//! Canonical's Ubuntu CVE tracker as its Security API serves it
//! (`ubuntu.com/security/cves.json`): `{"cves": [{ "id", "priority", "published",
//! "updated_at", "description", "impact", "packages": [{ "name": <source package>,
//! "statuses": [{ "release_codename", "status", "description", "pocket", "component" }] }]
//! }], "offset", "limit", "total_results" }`. The API pages (`limit`/`offset`); a mirror
//! keeps the pages merged into one such object.
//!
//! OSV's Ubuntu records say "fixed in X" or "no fix yet"; the tracker also says why a
//! release has no fix, which is what this feed is read for, and in which pocket a fix
//! ships. Statuses map as Canonical documents them (the Security API's status enum, the
//! Pro client's messages, people.canonical.com/~ubuntu-security/priority.html):
//! - `released`: fixed in the version `description` gives. A fix in an `esm-*` pocket
//!   (or, with no pocket, a `+esm` version, as the Pro client reads it) needs Ubuntu Pro:
//!   it goes to `Ubuntu:Pro:<release>:LTS` and the free stream stays `affected`. A fix in
//!   a pocket drydock does not model (`fips`, `fips-updates`, `soss`, `ros-esm`,
//!   `realtime`) leaves the release `affected`: a plain image does not get it.
//! - `needed` → `affected`; `pending` → `affected` too: Canonical's "a fix has been
//!   applied and updated packages are awaiting arrival into the archive" is a fix on its
//!   way, not a deferral, and its version cannot be installed yet.
//! - `deferred` → `fix_deferred`.
//! - `ignored` → `end_of_life` when the reason is the release's (or its standard
//!   support's) end — "end-of-life", "end of life", "end of standard support" —
//!   else `will_not_fix` ("code-not-compiled", "abandoned", "ESM criteria", none given).
//! - `needs-triage` → `under_investigation`.
//! - `not-affected`, `DNE` (no such package in the release): no record.
//!
//! The CVE's `priority` (negligible, low, medium, high, critical, unknown) is Ubuntu's
//! rating for every package of it. Canonical's whole history is hundreds of thousands of
//! CVEs, so the `cves` array is read one CVE at a time, keeping only the fields used.
//!
//! A CVE listed twice (pages merged while the API's listing shifted under them) is read
//! as its later listing alone: both are the same tracker record, the later one read no
//! earlier than the other, and mixing two versions' statuses would invent a third.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::debian::TrackerState;
use super::parse::{Parsed, bad, date_prefix};
use super::{FeedState, Reader};
use crate::error::Result;
use crate::fetch::Location;

/// The feed's name in `db status`.
pub(crate) const NAME: &str = "Ubuntu tracker";

/// The last listing read (the merged pages, for the API) in the feeds cache.
const COPY: &str = "ubuntu-tracker.json";

/// Codename → (version, LTS): the releases whose statuses are kept. Others in the
/// tracker (`upstream`, `devel`, long-gone releases) are not scanned as releases.
const RELEASES: [(&str, &str, bool); 18] = [
    ("trusty", "14.04", true),
    ("xenial", "16.04", true),
    ("bionic", "18.04", true),
    ("cosmic", "18.10", false),
    ("disco", "19.04", false),
    ("eoan", "19.10", false),
    ("focal", "20.04", true),
    ("groovy", "20.10", false),
    ("hirsute", "21.04", false),
    ("impish", "21.10", false),
    ("jammy", "22.04", true),
    ("kinetic", "22.10", false),
    ("lunar", "23.04", false),
    ("mantic", "23.10", false),
    ("noble", "24.04", true),
    ("oracular", "24.10", false),
    ("plucky", "25.04", false),
    ("questing", "25.10", false),
];

/// What the tracker says of one CVE in one source package of one release stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UbuntuEntry {
    /// The OSV spelling: `Ubuntu:22.04:LTS`, `Ubuntu:24.10`, `Ubuntu:Pro:18.04:LTS`.
    pub ecosystem: String,
    pub package: String,
    pub cve: String,
    pub state: TrackerState,
}

/// What is kept of one CVE besides its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UbuntuCve {
    /// Ubuntu's priority, lowercase.
    pub priority: Option<String>,
    pub summary: Option<String>,
    pub published: Option<String>,
    /// NVD's CVSS v3 vector as the tracker republishes it.
    pub cvss3: Option<String>,
}

/// The entries kept from one listing, and each CVE's details.
#[derive(Debug, Default)]
pub(crate) struct UbuntuTracker {
    pub entries: Vec<UbuntuEntry>,
    pub cves: HashMap<String, UbuntuCve>,
    /// (CVEs in the listing, the `total_results` it states) when it holds fewer: one page
    /// of the API rather than the pages merged, or a server that stopped short.
    pub partial: Option<(u64, u64)>,
}

/// The fields read of one CVE; written back as read (absent fields left out) into the
/// merged copy of a paged listing, so that copy reads as the pages did.
#[derive(Deserialize, Serialize)]
struct RawCve {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ubuntu_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    impact: Option<Impact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    packages: Option<Vec<RawPackage>>,
}

#[derive(Deserialize, Serialize)]
struct Impact {
    #[serde(rename = "baseMetricV3")]
    #[serde(skip_serializing_if = "Option::is_none")]
    v3: Option<BaseMetric>,
}

#[derive(Deserialize, Serialize)]
struct BaseMetric {
    #[serde(rename = "cvssV3")]
    #[serde(skip_serializing_if = "Option::is_none")]
    cvss: Option<Vector>,
}

#[derive(Deserialize, Serialize)]
struct Vector {
    #[serde(rename = "vectorString")]
    #[serde(skip_serializing_if = "Option::is_none")]
    vector: Option<String>,
}

#[derive(Deserialize, Serialize)]
struct RawPackage {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statuses: Option<Vec<RawStatus>>,
}

#[derive(Deserialize, Serialize)]
struct RawStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    release_codename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pocket: Option<String>,
}

/// Reads one listing; an unreadable document is an error naming `loc`.
pub(crate) fn parse_cves(b: &[u8], loc: &Location) -> Result<(Parsed, UbuntuTracker)> {
    let mut read = Merged::default();
    let page = read.page(b, loc)?;
    let (parsed, mut tracker) = read.finish();
    if let Some(total) = page.total.filter(|&t| t > page.listed) {
        tracker.partial = Some((page.listed, total));
    }
    Ok((parsed, tracker))
}

/// One listing read into [`Merged`]: its CVEs, how many were not read before, and the
/// `total_results` it states.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub listed: u64,
    pub new: u64,
    pub total: Option<u64>,
}

/// Listings (the API's pages) read one after another into one tracker, a CVE listed
/// again replacing what was read of it before.
#[derive(Default)]
pub(crate) struct Merged {
    /// Each entry with the number of the listing of its CVE that made it.
    entries: Vec<(u64, UbuntuEntry)>,
    cves: HashMap<String, UbuntuCve>,
    /// CVE id → the number of its latest listing.
    last: HashMap<String, u64>,
    /// CVEs read so far, over every page.
    seen: u64,
    /// The newest `updated_at` day: the listing's own date.
    newest: Option<String>,
    page: Page,
    /// Where the CVEs read are written as they are read, if anywhere.
    sink: Option<Sink>,
}

impl Merged {
    /// Also writes every CVE read to `sink`.
    pub(crate) fn with_sink(sink: Option<Sink>) -> Merged {
        Merged {
            sink,
            ..Merged::default()
        }
    }

    /// Reads one more listing; an unreadable one is an error naming `loc` (what was read
    /// of it is then kept: the caller drops the whole merge).
    pub(crate) fn page(&mut self, b: &[u8], loc: &Location) -> Result<Page> {
        self.page = Page::default();
        let mut de = serde_json::Deserializer::from_slice(b);
        ListingSeed(self)
            .deserialize(&mut de)
            .and_then(|()| de.end())
            .map_err(|e| bad("Ubuntu CVE tracker", loc, e))?;
        Ok(self.page)
    }

    /// Different CVEs read so far.
    pub(crate) fn distinct(&self) -> u64 {
        self.last.len() as u64
    }

    /// The sink given to [`Merged::with_sink`], to be finished or dropped.
    pub(crate) fn take_sink(&mut self) -> Option<Sink> {
        self.sink.take()
    }

    /// The tracker: each CVE's entries from its latest listing only.
    pub(crate) fn finish(self) -> (Parsed, UbuntuTracker) {
        let last = self.last;
        let entries: Vec<UbuntuEntry> = (self.entries.into_iter())
            .filter(|(n, e)| last.get(&e.cve) == Some(n))
            .map(|(_, e)| e)
            .collect();
        let parsed = Parsed {
            entries: entries.len(),
            date: self.newest,
        };
        let tracker = UbuntuTracker {
            entries,
            cves: self.cves,
            partial: None,
        };
        (parsed, tracker)
    }
}

/// The merged copy of a paged listing, written one CVE at a time as the pages are read
/// (Canonical's history is too large to hold as one document): `{"cves": [...],
/// "total_results": N}`, the shape a mirror keeps. Written beside its destination and
/// renamed there only once every page was read.
pub(crate) struct Sink {
    out: std::io::BufWriter<std::fs::File>,
    tmp: PathBuf,
    written: u64,
    /// The first write that failed; later CVEs are not written.
    failed: Option<std::io::Error>,
}

impl Sink {
    pub(crate) fn create(tmp: &Path) -> std::io::Result<Sink> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(tmp)?);
        out.write_all(b"{\"cves\":[")?;
        Ok(Sink {
            out,
            tmp: tmp.to_owned(),
            written: 0,
            failed: None,
        })
    }

    fn cve(&mut self, raw: &RawCve) {
        if self.failed.is_some() {
            return;
        }
        let comma: &[u8] = if self.written == 0 { b"" } else { b"," };
        let wrote = self.out.write_all(comma).and_then(|()| {
            serde_json::to_writer(&mut self.out, raw).map_err(std::io::Error::other)
        });
        match wrote {
            Ok(()) => self.written += 1,
            Err(e) => self.failed = Some(e),
        }
    }

    /// Ends the document with the `total_results` the API stated (the CVEs written when
    /// it stated none) and puts it at `dest`.
    pub(crate) fn finish(mut self, total: Option<u64>, dest: &Path) -> Result<()> {
        let io = |e| crate::error::Error::io(dest, e);
        let tail = format!("],\"total_results\":{}}}", total.unwrap_or(self.written));
        let done = match self.failed.take() {
            Some(e) => Err(e),
            None => (self.out.write_all(tail.as_bytes()))
                .and_then(|()| self.out.flush())
                .and_then(|()| self.out.get_ref().sync_all())
                .and_then(|()| std::fs::rename(&self.tmp, dest)),
        };
        done.map_err(|e| {
            let _ = std::fs::remove_file(&self.tmp);
            io(e)
        })
    }

    /// Removes the unfinished copy.
    pub(crate) fn discard(self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// The top-level object: its `cves` array, one CVE at a time, and `total_results`.
struct ListingSeed<'r>(&'r mut Merged);

impl<'de> DeserializeSeed<'de> for ListingSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ListingSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a `cves` array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "cves" {
                map.next_value_seed(CvesSeed(&mut *self.0))?;
                seen = true;
            } else if key == "total_results" {
                self.0.page.total = map.next_value::<Option<u64>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !seen {
            return Err(serde::de::Error::missing_field("cves"));
        }
        Ok(())
    }
}

struct CvesSeed<'r>(&'r mut Merged);

impl<'de> DeserializeSeed<'de> for CvesSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CvesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of CVEs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<RawCve>()? {
            self.0.page.listed += 1;
            if let Some(sink) = &mut self.0.sink {
                sink.cve(&raw);
            }
            keep(self.0, raw);
        }
        Ok(())
    }
}

fn keep(r: &mut Merged, raw: RawCve) {
    if let Some(d) = raw.updated_at.as_deref().and_then(date_prefix) {
        r.newest = r.newest.take().max(Some(d));
    }
    let Some(cve) = raw.id.filter(|id| id.starts_with("CVE-")) else {
        return;
    };
    r.seen += 1;
    if r.last.insert(cve.clone(), r.seen).is_none() {
        r.page.new += 1;
    }
    let before = r.entries.len();
    for p in raw.packages.unwrap_or_default() {
        let Some(package) = p.name.filter(|n| !n.is_empty()) else {
            continue;
        };
        for s in p.statuses.unwrap_or_default() {
            for (ecosystem, state) in states(&s) {
                let entry = UbuntuEntry {
                    ecosystem,
                    package: package.clone(),
                    cve: cve.clone(),
                    state,
                };
                r.entries.push((r.seen, entry));
            }
        }
    }
    if r.entries.len() == before {
        // Listed again with nothing kept: what an earlier listing said is gone too.
        r.cves.remove(&cve);
        return;
    }
    let text = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let details = UbuntuCve {
        priority: text(raw.priority).map(|p| p.to_lowercase()),
        summary: text(raw.ubuntu_description).or_else(|| text(raw.description)),
        published: text(raw.published),
        cvss3: text(raw.impact.and_then(|i| i.v3?.cvss?.vector)),
    };
    r.cves.insert(cve, details);
}

/// The records one status makes: (ecosystem, state) for the release's free stream and,
/// for a fix that needs Ubuntu Pro, its Pro stream; none for an unknown release or a
/// status that says the release is not affected.
fn states(s: &RawStatus) -> Vec<(String, TrackerState)> {
    let Some(&(_, version, lts)) = RELEASES
        .iter()
        .find(|(c, _, _)| Some(*c) == s.release_codename.as_deref())
    else {
        return Vec::new();
    };
    let free = if lts {
        format!("Ubuntu:{version}:LTS")
    } else {
        format!("Ubuntu:{version}")
    };
    let note = s.description.as_deref().unwrap_or_default().trim();
    let unfixed = |status: &'static str| vec![(free.clone(), TrackerState::Unfixed(status))];
    match s.status.as_deref().unwrap_or_default() {
        "released" => {
            // The version is compared, so it must look like one.
            if !note.starts_with(|c: char| c.is_ascii_digit()) {
                return Vec::new();
            }
            let fixed = TrackerState::Fixed(note.to_owned());
            match s.pocket.as_deref() {
                None | Some("") if !note.contains("+esm") => vec![(free, fixed)],
                Some("security" | "updates") => vec![(free, fixed)],
                None | Some("") => pro(&free, version, lts, fixed),
                Some(p) if p.starts_with("esm-") => pro(&free, version, lts, fixed),
                Some(_) => unfixed("affected"),
            }
        }
        "needed" | "pending" => unfixed("affected"),
        "deferred" => unfixed("fix_deferred"),
        "ignored" => {
            let why = note.to_ascii_lowercase();
            let eol = ["end-of-life", "end of life", "end of standard support"]
                .iter()
                .any(|m| why.contains(m));
            unfixed(if eol { "end_of_life" } else { "will_not_fix" })
        }
        "needs-triage" => unfixed("under_investigation"),
        _ => Vec::new(),
    }
}

/// A fix shipped in Ubuntu Pro's ESM: fixed in the Pro stream (LTS releases have one),
/// not in the free stream.
fn pro(free: &str, version: &str, lts: bool, fixed: TrackerState) -> Vec<(String, TrackerState)> {
    let mut out = vec![(free.to_owned(), TrackerState::Unfixed("affected"))];
    if lts {
        out.push((format!("Ubuntu:Pro:{version}:LTS"), fixed));
    }
    out
}

impl Reader<'_> {
    /// The mirror's `ubuntu-tracker/cves.json`; skipped quietly when the mirror has none
    /// (it is not part of a default download, see `db update --ubuntu-tracker`).
    pub(super) fn ubuntu_mirror(&mut self, root: &Location) -> Result<()> {
        let loc = root.join(&["ubuntu-tracker", "cves.json"]);
        let Some(b) = self.f.get_optional(&loc)? else {
            return Ok(());
        };
        self.hash(&loc.display(), &b);
        let (parsed, tracker) = parse_cves(&b, &loc)?;
        self.status(NAME, loc.display(), parsed, FeedState::Fresh);
        self.keep_ubuntu(tracker, &loc.display());
        Ok(())
    }

    /// A listing at a URL (the API, paged: see [`pages`]) or a path, kept as the fallback
    /// copy.
    pub(super) fn ubuntu_published(&mut self, at: &str) {
        let got = match Location::parse(at) {
            Location::Http(url) => self.ubuntu_paged(at, &url),
            Location::Dir(_) => self.published_as(NAME, at, COPY, parse_cves),
        };
        self.keep_ubuntu(got.unwrap_or_default(), at);
    }

    /// Keeps a listing, saying so when it holds fewer CVEs than it lists: a file of one
    /// page of the API (`cves.json` answers 20 of its `total_results`), or a server that
    /// stopped short; the others' statuses are then unknown.
    fn keep_ubuntu(&mut self, tracker: UbuntuTracker, at: &str) {
        if let Some((listed, total)) = tracker.partial {
            self.feeds.warnings.push(format!(
                "{NAME}: {at} holds {listed} of the {total} CVEs it lists; \
                 the others' statuses are not known"
            ));
        }
        self.feeds.ubuntu = tracker;
    }
}

#[path = "ubuntu_pages.rs"]
mod pages;

#[cfg(test)]
#[path = "ubuntu_tests.rs"]
mod tests;
