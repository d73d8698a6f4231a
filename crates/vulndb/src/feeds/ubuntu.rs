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

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::debian::TrackerState;
use super::parse::{Parsed, bad, date_prefix};
use super::{FeedState, Reader};
use crate::error::Result;
use crate::fetch::Location;

/// The feed's name in `db status`.
pub(crate) const NAME: &str = "Ubuntu tracker";

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
    /// of the API rather than the pages merged.
    pub partial: Option<(u64, u64)>,
}

#[derive(Deserialize)]
struct RawCve {
    id: Option<String>,
    priority: Option<String>,
    published: Option<String>,
    updated_at: Option<String>,
    description: Option<String>,
    ubuntu_description: Option<String>,
    impact: Option<Impact>,
    packages: Option<Vec<RawPackage>>,
}

#[derive(Deserialize)]
struct Impact {
    #[serde(rename = "baseMetricV3")]
    v3: Option<BaseMetric>,
}

#[derive(Deserialize)]
struct BaseMetric {
    #[serde(rename = "cvssV3")]
    cvss: Option<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    #[serde(rename = "vectorString")]
    vector: Option<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Option<String>,
    statuses: Option<Vec<RawStatus>>,
}

#[derive(Deserialize)]
struct RawStatus {
    release_codename: Option<String>,
    status: Option<String>,
    description: Option<String>,
    pocket: Option<String>,
}

/// Reads one listing; an unreadable document is an error naming `loc`.
pub(crate) fn parse_cves(b: &[u8], loc: &Location) -> Result<(Parsed, UbuntuTracker)> {
    let mut read = Read::default();
    let mut de = serde_json::Deserializer::from_slice(b);
    ListingSeed(&mut read)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| bad("Ubuntu CVE tracker", loc, e))?;
    if let Some(total) = read.total.filter(|&t| t > read.listed) {
        read.tracker.partial = Some((read.listed, total));
    }
    let parsed = Parsed {
        entries: read.tracker.entries.len(),
        date: read.newest,
    };
    Ok((parsed, read.tracker))
}

#[derive(Default)]
struct Read {
    tracker: UbuntuTracker,
    /// The newest `updated_at` day: the listing's own date.
    newest: Option<String>,
    /// CVEs read, and how many the listing says there are.
    listed: u64,
    total: Option<u64>,
}

/// The top-level object: its `cves` array, one CVE at a time; the paging fields ignored.
struct ListingSeed<'r>(&'r mut Read);

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
                self.0.total = map.next_value::<Option<u64>>()?;
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

struct CvesSeed<'r>(&'r mut Read);

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
            self.0.listed += 1;
            keep(self.0, raw);
        }
        Ok(())
    }
}

fn keep(r: &mut Read, raw: RawCve) {
    if let Some(d) = raw.updated_at.as_deref().and_then(date_prefix) {
        r.newest = r.newest.take().max(Some(d));
    }
    let Some(cve) = raw.id.filter(|id| id.starts_with("CVE-")) else {
        return;
    };
    let before = r.tracker.entries.len();
    for p in raw.packages.unwrap_or_default() {
        let Some(package) = p.name.filter(|n| !n.is_empty()) else {
            continue;
        };
        for s in p.statuses.unwrap_or_default() {
            for (ecosystem, state) in states(&s) {
                r.tracker.entries.push(UbuntuEntry {
                    ecosystem,
                    package: package.clone(),
                    cve: cve.clone(),
                    state,
                });
            }
        }
    }
    if r.tracker.entries.len() == before {
        return;
    }
    let text = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let details = UbuntuCve {
        priority: text(raw.priority).map(|p| p.to_lowercase()),
        summary: text(raw.ubuntu_description).or_else(|| text(raw.description)),
        published: text(raw.published),
        cvss3: text(raw.impact.and_then(|i| i.v3?.cvss?.vector)),
    };
    r.tracker.cves.insert(cve, details);
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

    /// A listing at a URL or path, kept as the fallback copy.
    pub(super) fn ubuntu_published(&mut self, at: &str) {
        let got = self.published_as(NAME, at, "ubuntu-tracker.json", parse_cves);
        self.keep_ubuntu(got.unwrap_or_default(), at);
    }

    /// Keeps a listing, saying so when it is one page of the API: `cves.json` itself
    /// answers 20 CVEs of its `total_results`, and the others' statuses are then unknown.
    fn keep_ubuntu(&mut self, tracker: UbuntuTracker, at: &str) {
        if let Some((listed, total)) = tracker.partial {
            self.feeds.warnings.push(format!(
                "{NAME}: {at} holds {listed} of the {total} CVEs it lists (one page of the API?); \
                 the others' statuses are not known"
            ));
        }
        self.feeds.ubuntu = tracker;
    }
}

#[cfg(test)]
#[path = "ubuntu_tests.rs"]
mod tests;
