//! The Debian security tracker's JSON export (`security-tracker.debian.org/tracker/data/json`):
//! `{ "<source package>": { "<CVE>": { "description", "releases": { "<codename>":
//! { "status", "fixed_version", "urgency", "nodsa", "nodsa_reason", ... } } } } }`.
//!
//! OSV's Debian records say "fixed in X" or nothing; the tracker also says *why* a
//! release has no fix, which is what this feed is read for. Statuses map as Trivy maps
//! the tracker's tags: `open` is affected, or `will_not_fix` when `nodsa_reason` is
//! `ignored`, `fix_deferred` when `postponed`, `end_of_life` when the urgency is
//! `end-of-life`; `undetermined` is `under_investigation`; `resolved` with
//! `fixed_version` `0` means the release was never affected.
//!
//! The export is tens of megabytes, so it is read one source package at a time and
//! only the entries of known Debian releases are kept.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::Result;
use crate::fetch::Location;

use super::parse::{Parsed, bad};

/// The tracker's published export.
pub const DEBIAN_TRACKER_URL: &str = "https://security-tracker.debian.org/tracker/data/json";

/// Codenames the tracker uses -> the `Debian:<N>` release they are. Testing and sid
/// have no release number and are not scanned as releases.
const RELEASES: [(&str, &str); 7] = [
    ("wheezy", "7"),
    ("jessie", "8"),
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
];

/// What the tracker says of one CVE in one source package of one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TrackerState {
    /// Fixed in this version of the source package.
    Fixed(String),
    /// Not fixed; the model `Status` name (`affected`, `will_not_fix`, ...).
    Unfixed(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrackerEntry {
    /// `12` for bookworm.
    pub release: &'static str,
    pub package: String,
    pub cve: String,
    pub state: TrackerState,
    /// The urgency as published without NVD's `**` marker (`low`, `unimportant`,
    /// `not yet assigned`); `None` for `end-of-life`, which is a status, not a rating.
    pub urgency: Option<String>,
}

/// The entries kept from one export, and each CVE's description.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    pub entries: Vec<TrackerEntry>,
    pub descriptions: HashMap<String, String>,
}

#[derive(Deserialize)]
struct RawCve {
    description: Option<String>,
    /// An object by codename, or `[]` for an issue no release carries.
    #[serde(default, deserialize_with = "releases")]
    releases: BTreeMap<String, RawRelease>,
}

fn releases<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, RawRelease>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Map(BTreeMap<String, RawRelease>),
        Empty([IgnoredAny; 0]),
    }
    Ok(match Shape::deserialize(d)? {
        Shape::Map(m) => m,
        Shape::Empty([]) => BTreeMap::new(),
    })
}

#[derive(Deserialize)]
struct RawRelease {
    status: Option<String>,
    fixed_version: Option<String>,
    urgency: Option<String>,
    nodsa_reason: Option<String>,
}

/// Reads one export; an unreadable document is an error naming `loc`.
pub(crate) fn parse_tracker(b: &[u8], loc: &Location) -> Result<(Parsed, Tracker)> {
    let mut tracker = Tracker::default();
    let mut de = serde_json::Deserializer::from_slice(b);
    PackagesSeed(&mut tracker)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| bad("Debian security tracker", loc, e))?;
    let parsed = Parsed {
        entries: tracker.entries.len(),
        date: None,
    };
    Ok((parsed, tracker))
}

/// Walks the top-level object one source package at a time.
struct PackagesSeed<'t>(&'t mut Tracker);

impl<'de> DeserializeSeed<'de> for PackagesSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PackagesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of source packages")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(package) = map.next_key::<String>()? {
            let cves: BTreeMap<String, RawCve> = map.next_value()?;
            for (cve, raw) in cves {
                keep(self.0, &package, cve, raw);
            }
        }
        Ok(())
    }
}

fn keep(t: &mut Tracker, package: &str, cve: String, raw: RawCve) {
    // Tracker-internal names (`TEMP-0000000-1F2E3D`) are not vulnerabilities of record.
    if !cve.starts_with("CVE-") || package.is_empty() {
        return;
    }
    let before = t.entries.len();
    for (codename, r) in raw.releases {
        let Some(&(_, release)) = RELEASES.iter().find(|(c, _)| *c == codename) else {
            continue;
        };
        let urgency = r
            .urgency
            .as_deref()
            .map(|u| u.trim().trim_end_matches('*').to_lowercase())
            .filter(|u| !u.is_empty());
        let Some(state) = state(&r, urgency.as_deref()) else {
            continue;
        };
        t.entries.push(TrackerEntry {
            release,
            package: package.to_owned(),
            cve: cve.clone(),
            state,
            urgency: urgency.filter(|u| u != "end-of-life"),
        });
    }
    if t.entries.len() > before
        && let Some(d) = raw.description.filter(|d| !d.trim().is_empty())
    {
        t.descriptions.insert(cve, d);
    }
}

/// The state of one release entry; `None` when it says the release is not affected or
/// says nothing usable.
fn state(r: &RawRelease, urgency: Option<&str>) -> Option<TrackerState> {
    match r.status.as_deref()? {
        "resolved" => {
            let v = r.fixed_version.as_deref()?.trim();
            // `0`: never affected. The version must look like one (it is compared).
            let usable = v != "0" && v.starts_with(|c: char| c.is_ascii_digit());
            usable.then(|| TrackerState::Fixed(v.to_owned()))
        }
        "open" if urgency == Some("end-of-life") => Some(TrackerState::Unfixed("end_of_life")),
        "open" => Some(TrackerState::Unfixed(match r.nodsa_reason.as_deref() {
            Some("ignored") => "will_not_fix",
            Some("postponed") => "fix_deferred",
            _ => "affected",
        })),
        "undetermined" => Some(TrackerState::Unfixed("under_investigation")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Tracker {
        parse_tracker(json.as_bytes(), &Location::parse("t.json"))
            .expect("valid")
            .1
    }

    #[test]
    fn statuses_from_the_tracker_tags() {
        let t = parse(
            r#"{"p":{"CVE-1-1":{"description":"d","releases":{
              "bookworm":{"status":"open","urgency":"low**","nodsa":"Minor issue","nodsa_reason":"ignored"},
              "bullseye":{"status":"open","urgency":"unimportant","nodsa_reason":"postponed"},
              "buster":{"status":"open","urgency":"end-of-life"},
              "trixie":{"status":"undetermined"},
              "stretch":{"status":"open","urgency":"not yet assigned","nodsa":"Minor issue","nodsa_reason":""},
              "jessie":{"status":"resolved","fixed_version":"0"},
              "wheezy":{"status":"resolved","fixed_version":"1.2-1","urgency":"high"},
              "sid":{"status":"open"}}}},
             "q":{"CVE-1-2":{"releases":[]},"TEMP-0000000-AB":{"releases":{"bookworm":{"status":"open"}}}}}"#,
        );
        let got: Vec<(&str, TrackerState, Option<&str>)> = t
            .entries
            .iter()
            .map(|e| (e.release, e.state.clone(), e.urgency.as_deref()))
            .collect();
        use TrackerState::*;
        assert_eq!(
            got,
            vec![
                ("12", Unfixed("will_not_fix"), Some("low")),
                ("11", Unfixed("fix_deferred"), Some("unimportant")),
                ("10", Unfixed("end_of_life"), None),
                ("9", Unfixed("affected"), Some("not yet assigned")),
                ("13", Unfixed("under_investigation"), None),
                ("7", Fixed("1.2-1".into()), Some("high")),
            ]
        );
        assert_eq!(t.descriptions.len(), 1);
    }

    #[test]
    fn a_broken_export_names_the_file() {
        let e = parse_tracker(b"{\"p\": {\"CVE-1-1\": 3}}", &Location::parse("t.json"))
            .expect_err("not the tracker shape");
        assert!(e.to_string().contains("t.json"), "{e}");
    }
}
