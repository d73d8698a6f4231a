//! Advisory entries prepared once for evaluating many installed versions: ranges with
//! their versions parsed and sorted, and every entry's explicit `versions` list merged
//! into one sorted index.

use std::collections::BTreeSet;

use drydock_versions::{Scheme, Version, osv_range_affected_parsed};

use drydock_model::Status;

use crate::finding::Hit;

/// One affected-package entry prepared for repeated evaluation.
pub(crate) struct Entry {
    pub(crate) advisory_id: String,
    pub(crate) ranges: Vec<PreparedRange>,
    /// The distribution's own rating of this advisory for this package.
    pub(crate) vendor_rating: Option<String>,
    /// The vendor's no-fix status for this package (a tracker's `will_not_fix`, ...).
    pub(crate) vendor_status: Option<Status>,
}

/// The advisory entries of one (ecosystem, package name), prepared for evaluating many
/// installed versions.
pub(crate) struct EntryList {
    eco: String,
    name: String,
    pub(crate) entries: Vec<Entry>,
    /// Every entry's explicit `versions` list merged into one list of (version, entry
    /// index), sorted: PyPI records list hundreds of versions each and a popular package
    /// has hundreds of records, so one binary search here replaces one per entry.
    /// Listed versions that do not parse cannot equal a parsed version and are left out.
    listed: Vec<(Version, usize)>,
}

impl EntryList {
    pub(crate) fn new(
        eco: &str,
        name: &str,
        entries: Vec<Entry>,
        listed: Vec<(Version, usize)>,
    ) -> Self {
        let mut listed = listed;
        listed.sort();
        EntryList {
            eco: eco.to_owned(),
            name: name.to_owned(),
            entries,
            listed,
        }
    }

    /// Indices of the entries whose `versions` list contains `v`, ascending.
    fn listing(&self, v: &Version) -> Vec<usize> {
        let start = self.listed.partition_point(|(x, _)| x < v);
        let mut idx: Vec<usize> = self.listed[start..]
            .iter()
            .take_while(|(x, _)| x == v)
            .map(|&(_, i)| i)
            .collect();
        idx.dedup();
        idx
    }
}

/// A range with its versions parsed once, so that evaluating thousands of installed
/// versions costs comparisons only.
pub(crate) struct PreparedRange {
    /// The events sorted as the OSV evaluation algorithm requires, all parsed; `None`
    /// when one does not parse, and then `events` goes through
    /// [`osv_range_affected_parsed`], which reports the error.
    sorted: Option<Vec<(Bound, EventKind)>>,
    events: Vec<drydock_versions::Event>,
    /// Parsed `fixed` events (upgrade targets).
    fixed: Vec<Version>,
}

/// Position of an event in the OSV `sorted(range.events)` order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    /// `introduced: "0"`, before every version.
    Min,
    At(Version),
    /// A `limit` containing `*`, after every version.
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

impl PreparedRange {
    pub(crate) fn new(scheme: Scheme, events: Vec<drydock_versions::Event>) -> PreparedRange {
        use drydock_versions::Event as E;
        let parse = |v: &str| Version::parse(scheme, v).ok();
        let fixed = events
            .iter()
            .filter_map(|e| match e {
                E::Fixed(f) => parse(f),
                _ => None,
            })
            .collect();
        let sorted = events
            .iter()
            .map(|e| {
                Some(match e {
                    E::Introduced(v) if v == "0" => (Bound::Min, EventKind::Introduced),
                    E::Limit(v) if v.contains('*') => (Bound::Max, EventKind::Limit),
                    E::Introduced(v) => (Bound::At(parse(v)?), EventKind::Introduced),
                    E::Fixed(v) => (Bound::At(parse(v)?), EventKind::Fixed),
                    E::LastAffected(v) => (Bound::At(parse(v)?), EventKind::LastAffected),
                    E::Limit(v) => (Bound::At(parse(v)?), EventKind::Limit),
                })
            })
            .collect::<Option<Vec<_>>>()
            .map(|mut s| {
                // Stable: events at equal versions keep the record's order, as in the spec.
                s.sort_by(|a, b| a.0.cmp(&b.0));
                s
            });
        PreparedRange {
            sorted,
            events,
            fixed,
        }
    }

    /// The OSV schema's `IncludedInRanges` evaluation, as in
    /// [`osv_range_affected_parsed`] but over the pre-parsed events.
    fn affected(&self, v: &Version) -> Result<bool, drydock_versions::VersionError> {
        let Some(sorted) = &self.sorted else {
            return osv_range_affected_parsed(v, &self.events);
        };
        let at_or_after = |b: &Bound| match b {
            Bound::Min => true,
            Bound::At(x) => v >= x,
            Bound::Max => false,
        };
        let mut limits = sorted
            .iter()
            .filter(|(_, k)| *k == EventKind::Limit)
            .peekable();
        if limits.peek().is_some() && limits.all(|(b, _)| at_or_after(b)) {
            return Ok(false);
        }
        let mut vulnerable = false;
        for (b, k) in sorted {
            match k {
                EventKind::Introduced if at_or_after(b) => vulnerable = true,
                EventKind::Fixed if at_or_after(b) => vulnerable = false,
                EventKind::LastAffected if matches!(b, Bound::At(x) if v > x) => {
                    vulnerable = false;
                }
                _ => {}
            }
        }
        Ok(vulnerable)
    }

    /// `fixed` values above `v` (upgrade targets, not fixes of older branches).
    fn fixes_after<'a>(&'a self, v: &'a Version) -> impl Iterator<Item = &'a Version> + 'a {
        self.fixed.iter().filter(move |f| *f > v)
    }
}

pub(crate) fn convert_event(e: drydock_vulndb::Event) -> drydock_versions::Event {
    use drydock_versions::Event as V;
    use drydock_vulndb::Event as D;
    match e {
        D::Introduced(v) => V::Introduced(v),
        D::Fixed(v) => V::Fixed(v),
        D::LastAffected(v) => V::LastAffected(v),
        D::Limit(v) => V::Limit(v),
    }
}

/// Evaluates every entry for one version. Parse problems become warnings: an
/// unparseable installed version is reported once and matches nothing; an advisory
/// range that cannot be evaluated is skipped (its other ranges still count).
pub(crate) fn evaluate(
    version: &str,
    list: &EntryList,
    warnings: &mut BTreeSet<String>,
) -> Vec<Hit> {
    let (eco, name) = (list.eco.as_str(), list.name.as_str());
    let Some(scheme) = Scheme::for_osv_ecosystem(eco) else {
        warnings.insert(format!(
            "{eco}: no version ordering known; {name} {version} not checked"
        ));
        return Vec::new();
    };
    let v = match Version::parse(scheme, version) {
        Ok(v) => v,
        Err(e) => {
            warnings.insert(format!(
                "{name} {version}: version not understood ({e}); not checked for vulnerabilities"
            ));
            return Vec::new();
        }
    };
    let listing = list.listing(&v);
    let mut listing = listing.iter().peekable();
    let mut hits = Vec::new();
    for (i, e) in list.entries.iter().enumerate() {
        let is_listed = listing.next_if(|&&l| l == i).is_some();
        let mut affected = false;
        let mut fixed: Vec<&Version> = Vec::new();
        for r in &e.ranges {
            match r.affected(&v) {
                Ok(true) => {
                    affected = true;
                    fixed.extend(r.fixes_after(&v));
                }
                Ok(false) => {}
                Err(err) => {
                    warnings.insert(format!(
                        "{}: a range for {name} in {eco} could not be evaluated ({err}); {name} {version} checked against its other ranges only",
                        e.advisory_id
                    ));
                }
            }
        }
        if !affected && is_listed {
            affected = true;
            // The list says nothing about fixes; the ranges' fixes above this version do.
            fixed.extend(e.ranges.iter().flat_map(|r| r.fixes_after(&v)));
        }
        if affected {
            fixed.sort();
            fixed.dedup_by(|a, b| a.as_str() == b.as_str());
            hits.push(Hit {
                advisory_id: e.advisory_id.clone(),
                fixed: fixed.into_iter().map(|f| f.as_str().to_owned()).collect(),
                vendor_rating: e.vendor_rating.clone(),
                vendor_status: e.vendor_status,
            });
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use drydock_versions::Event;

    use super::*;

    /// The pre-parsed evaluation must agree with the versions crate's reference
    /// implementation on every range shape, including unsorted events, limits,
    /// `last_affected` and ties. Deterministic pseudo-random ranges over a small pool.
    #[test]
    fn prepared_range_agrees_with_reference() {
        let pool = [
            "0",
            "0.5.0",
            "1.0.0",
            "1.0.1",
            "1.1.0-rc.1",
            "1.1.0",
            "2.0.0",
            "3.0.0",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        let mut checked = 0;
        for _ in 0..3000 {
            let events: Vec<Event> = (0..1 + next(5))
                .map(|_| {
                    let v = pool[next(pool.len())].to_owned();
                    // `"0"` is special only for `introduced`; elsewhere use its SemVer spelling.
                    let v0 = if v == "0" {
                        "0.0.0".to_owned()
                    } else {
                        v.clone()
                    };
                    match next(5) {
                        0 | 1 => Event::Introduced(v),
                        2 => Event::Fixed(v0),
                        3 => Event::LastAffected(v0),
                        _ if next(3) == 0 => Event::Limit("*".into()),
                        _ => Event::Limit(v0),
                    }
                })
                .collect();
            let r = PreparedRange::new(Scheme::Semver, events.clone());
            assert!(r.sorted.is_some());
            for s in &pool[1..] {
                let v = Version::parse(Scheme::Semver, s).expect("pool version");
                let want = osv_range_affected_parsed(&v, &events).expect("reference");
                assert_eq!(r.affected(&v).expect("prepared"), want, "{s} in {events:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000);
    }

    /// The merged `versions` index must find every entry listing a version, by version
    /// equality rather than spelling (PEP 440 `1.0` == `1.0.0`), each entry once.
    #[test]
    fn merged_versions_index_finds_every_listing_entry() {
        let v = |s: &str| Version::parse(Scheme::Pep440, s).expect("valid");
        let entry = |id: &str| Entry {
            advisory_id: id.into(),
            ranges: Vec::new(),
            vendor_rating: None,
            vendor_status: None,
        };
        let list = EntryList::new(
            "PyPI",
            "pkg",
            vec![entry("A"), entry("B"), entry("C")],
            vec![
                (v("2.0"), 1),
                (v("1.0"), 2),
                (v("1.0"), 0),
                (v("1.0.0"), 2),
                (v("0.9"), 1),
            ],
        );
        assert_eq!(list.listing(&v("1.0.0")), [0, 2]);
        assert_eq!(list.listing(&v("2")), [1]);
        assert!(list.listing(&v("1.5")).is_empty());
        let mut warnings = BTreeSet::new();
        let hits: Vec<String> = evaluate("1.0", &list, &mut warnings)
            .into_iter()
            .map(|h| h.advisory_id)
            .collect();
        assert_eq!(hits, ["A", "C"]);
        assert!(warnings.is_empty());
    }

    /// BIT-postgresql-2025-1094's events (testdata/distro-advisories/osv/Bitnami), in the
    /// record's order: the ranges are over upstream releases, the versions Bitnami's
    /// revisions of them, each newer than its release.
    #[test]
    fn bitnami_revisions_sort_after_their_release() {
        let events: Vec<Event> = [
            ("i", "17.0.0"),
            ("f", "17.3.0"),
            ("i", "16.0.0"),
            ("f", "16.7.0"),
            ("i", "15.0.0"),
            ("f", "15.11.0"),
            ("i", "14.0.0"),
            ("f", "14.16.0"),
            ("i", "0"),
            ("f", "13.19.0"),
        ]
        .into_iter()
        .map(|(k, v)| match k {
            "i" => Event::Introduced(v.into()),
            _ => Event::Fixed(v.into()),
        })
        .collect();
        let r = PreparedRange::new(Scheme::Bitnami, events);
        for (version, want) in [
            ("17.2.0-8", true),
            ("17.0.0-0", true),
            ("17.3.0-0", false),
            ("17.3.0", false),
            ("16.6.0-3", true),
            ("16.7.0-1", false),
            ("13.18.0-2", true),
            ("13.19.0-0", false),
        ] {
            let v = Version::parse(Scheme::Bitnami, version).expect("valid");
            assert_eq!(r.affected(&v).expect("verdict"), want, "{version}");
        }
    }

    #[test]
    fn unparseable_event_is_an_error_not_a_verdict() {
        let events = vec![
            Event::Introduced("0".into()),
            Event::Fixed("not-semver".into()),
        ];
        let r = PreparedRange::new(Scheme::Semver, events);
        let v = Version::parse(Scheme::Semver, "1.0.0").expect("valid");
        assert!(r.affected(&v).is_err());
    }
}
