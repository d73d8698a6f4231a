//! Matches installed packages against the local vulnerability database.
//!
//! OS packages are looked up in their distribution's OSV ecosystem (`Debian:12`,
//! `Alpine:v3.10`, ...) and application packages in their language ecosystem (`PyPI`,
//! `npm`, ...). A package is affected when one of an advisory's `ECOSYSTEM`/`SEMVER`
//! ranges contains its version, ordered the way its package manager orders versions, or
//! when the advisory lists the version explicitly.
//!
//! Two guarantees drive the design:
//! - never a false positive from bad input: a version that cannot be parsed yields a
//!   warning, not a finding (and never a panic);
//! - never a silent "clean": whatever could not be checked (no data for the distribution
//!   or ecosystem, unidentified OS, end-of-life release) is listed in
//!   [`MatchResult::not_covered`].

mod cvss;
mod ecosystem;
mod finding;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use drydock_inventory::{OsInfo, Package, PackageKind};
use drydock_versions::{Scheme, Version, osv_range_affected_parsed};
use drydock_vulndb::{Db, RangeKind};
use rayon::prelude::*;
use serde::Serialize;

pub use cvss::v3_base_score;
pub use ecosystem::{app_ecosystem, is_os_kind, os_ecosystem, os_ecosystem_candidates};
pub use finding::{CvssScore, EpssScore, Finding, KevEntry, SeverityLevel, Status};

use finding::{AdvisoryInfo, Hit};

/// Errors that stop matching altogether (per-package problems become warnings).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("vulnerability database query failed: {0}")]
    Db(#[from] drydock_vulndb::Error),
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something that was not (fully) checked, so a report never reads "clean" for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCovered {
    /// Ecosystem (`Debian:12`, `Maven`) or `os` when the OS is unknown.
    pub scope: String,
    pub reason: String,
}

/// Everything [`match_packages`] found out.
#[derive(Debug, Clone, Serialize)]
pub struct MatchResult {
    /// Sorted: severity (critical first), then KEV, then EPSS, then package name.
    pub findings: Vec<Finding>,
    pub not_covered: Vec<NotCovered>,
    /// Problems with single packages or advisories (unparseable versions, ...), sorted.
    pub warnings: Vec<String>,
}

/// Matches `packages` against `db`. `os` selects the distribution ecosystem for the OS
/// packages (dpkg/apk/rpm); application packages do not depend on it.
pub fn match_packages(db: &Db, os: Option<&OsInfo>, packages: &[Package]) -> Result<MatchResult> {
    let mut m = Matcher {
        db,
        entries: Vec::new(),
        memos: Vec::new(),
        index: HashMap::new(),
        advisories: HashMap::new(),
        warnings: BTreeSet::new(),
    };
    let mut not_covered = Vec::new();
    let os_eco = m.resolve_os(os, packages, &mut not_covered)?;

    // Ecosystem -> whether the DB has it, and how many packages went unchecked.
    let mut app_coverage: HashMap<&'static str, (bool, usize)> = HashMap::new();
    // (package, entry list, ecosystem, name and version looked up), in package order.
    let mut queries = Vec::new();
    for pkg in packages {
        let (eco, name, version) = if is_os_kind(pkg.kind) {
            let Some(eco) = os_eco.as_deref() else {
                continue;
            };
            let (name, version) = os_query(pkg);
            (eco, name, version)
        } else {
            let Some(eco) = app_ecosystem(pkg.kind) else {
                continue;
            };
            let cov = match app_coverage.get_mut(eco) {
                Some(c) => c,
                None => app_coverage
                    .entry(eco)
                    .or_insert((db.has_ecosystem(eco)?, 0)),
            };
            if !cov.0 {
                cov.1 += 1;
                continue;
            }
            (eco, pkg.name.as_str(), pkg.version.as_str())
        };
        let list = m.list_index(eco, name)?;
        queries.push((pkg, list, eco, name, version));
    }
    m.evaluate_all(
        queries
            .iter()
            .map(|&(_, list, _, _, version)| (list, version)),
    );

    let mut findings = Vec::new();
    for (pkg, list, eco, name, version) in queries {
        let hits = m.memo_hits(list, version);
        if hits.is_empty() {
            continue;
        }
        findings.extend(m.findings_for(pkg, eco, name, version, &hits)?);
    }

    let mut uncovered: Vec<_> = app_coverage
        .into_iter()
        .filter(|(_, (has, n))| !has && *n > 0)
        .collect();
    uncovered.sort();
    not_covered.extend(uncovered.into_iter().map(|(eco, (_, n))| NotCovered {
        scope: eco.to_owned(),
        reason: format!(
            "no advisory data in the database; {n} package{} not checked for vulnerabilities",
            if n == 1 { "" } else { "s" }
        ),
    }));

    finding::sort_for_report(&mut findings);
    Ok(MatchResult {
        findings,
        not_covered,
        warnings: m.warnings.into_iter().collect(),
    })
}

/// Name and version to look up for an OS package. Debian and Alpine advisories are keyed
/// on the source package and its version (a binNMU `+b1` binary is built from the same
/// source); RPM distributions (AlmaLinux, Rocky) publish per binary package.
fn os_query(pkg: &Package) -> (&str, &str) {
    match pkg.kind {
        PackageKind::Dpkg | PackageKind::Apk => (
            pkg.source_name.as_deref().unwrap_or(&pkg.name),
            pkg.source_version.as_deref().unwrap_or(&pkg.version),
        ),
        _ => (&pkg.name, &pkg.version),
    }
}

/// One affected-package entry prepared for repeated evaluation.
struct Entry {
    advisory_id: String,
    ranges: Vec<PreparedRange>,
}

/// The advisory entries of one (ecosystem, package name), prepared for evaluating many
/// installed versions.
struct EntryList {
    eco: String,
    name: String,
    entries: Vec<Entry>,
    /// Every entry's explicit `versions` list merged into one list of (version, entry
    /// index), sorted: PyPI records list hundreds of versions each and a popular package
    /// has hundreds of records, so one binary search here replaces one per entry.
    /// Listed versions that do not parse cannot equal a parsed version and are left out.
    listed: Vec<(Version, usize)>,
}

impl EntryList {
    fn new(eco: &str, name: &str, entries: Vec<Entry>, listed: Vec<(Version, usize)>) -> Self {
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
struct PreparedRange {
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
    fn new(scheme: Scheme, events: Vec<drydock_versions::Event>) -> PreparedRange {
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

/// Caches that make matching many packages cheap: DB queries per (ecosystem, name),
/// verdicts per (entry list, version string) and advisory details per id.
struct Matcher<'a> {
    db: &'a Db,
    /// Entry lists, shared read-only with the evaluation threads.
    entries: Vec<EntryList>,
    /// Per entry list: hits per installed version string.
    memos: Vec<HashMap<String, Rc<[Hit]>>>,
    /// ecosystem -> package name -> index into `entries`.
    index: HashMap<String, HashMap<String, usize>>,
    advisories: HashMap<String, Rc<AdvisoryInfo>>,
    warnings: BTreeSet<String>,
}

impl Matcher<'_> {
    /// Picks the OS ecosystem to query, recording why OS packages are not (fully) covered.
    fn resolve_os(
        &mut self,
        os: Option<&OsInfo>,
        packages: &[Package],
        not_covered: &mut Vec<NotCovered>,
    ) -> Result<Option<String>> {
        let os_pkgs = packages.iter().filter(|p| is_os_kind(p.kind)).count();
        let Some(os) = os else {
            if os_pkgs > 0 {
                not_covered.push(NotCovered {
                    scope: "os".into(),
                    reason: format!(
                        "operating system not identified; {os_pkgs} OS packages not checked for vulnerabilities"
                    ),
                });
            }
            return Ok(None);
        };
        let candidates = os_ecosystem_candidates(os);
        let mut chosen = None;
        for c in &candidates {
            if self.db.has_ecosystem(c)? {
                chosen = Some(c.clone());
                break;
            }
        }
        let label = format!("{} {}", os.family, os.version);
        match (&chosen, candidates.first()) {
            (None, Some(first)) => not_covered.push(NotCovered {
                scope: first.clone(),
                reason: "no advisory data in the database; OS packages not checked for vulnerabilities".into(),
            }),
            (None, None) => not_covered.push(NotCovered {
                scope: label.clone(),
                reason: "no vulnerability data source for this distribution; OS packages not checked for vulnerabilities".into(),
            }),
            (Some(_), _) => {}
        }
        if os.eol == Some(true) {
            let since = os
                .eol_date
                .as_deref()
                .map(|d| format!(" since {d}"))
                .unwrap_or_default();
            not_covered.push(NotCovered {
                scope: chosen
                    .clone()
                    .or_else(|| candidates.first().cloned())
                    .unwrap_or(label),
                reason: format!(
                    "end of life{since}: vendor no longer publishes fixes, so vulnerabilities disclosed later are missing"
                ),
            });
        }
        Ok(chosen)
    }

    /// Index of the entry list for `name` in `eco`, loading it on first use.
    fn list_index(&mut self, eco: &str, name: &str) -> Result<usize> {
        if let Some(&i) = self.index.get(eco).and_then(|m| m.get(name)) {
            return Ok(i);
        }
        let list = self.load_entries(eco, name)?;
        self.entries.push(list);
        self.memos.push(HashMap::new());
        let i = self.entries.len() - 1;
        self.index
            .entry(eco.to_owned())
            .or_default()
            .insert(name.to_owned(), i);
        Ok(i)
    }

    /// Evaluates every distinct (entry list, version) not evaluated yet. This is most of
    /// the matching work for a large image and needs no database access, so it runs on
    /// all cores; results go to the memos in a fixed order, keeping output deterministic.
    fn evaluate_all<'v>(&mut self, queries: impl Iterator<Item = (usize, &'v str)>) {
        let mut seen: HashSet<(usize, &str)> = HashSet::new();
        let jobs: Vec<(usize, &str)> = queries
            .filter(|&(list, version)| {
                !self.entries[list].entries.is_empty()
                    && !self.memos[list].contains_key(version)
                    && seen.insert((list, version))
            })
            .collect();
        let lists = &self.entries;
        let results: Vec<(Vec<Hit>, BTreeSet<String>)> = jobs
            .par_iter()
            .map(|&(list, version)| {
                let mut warnings = BTreeSet::new();
                let hits = evaluate(version, &lists[list], &mut warnings);
                (hits, warnings)
            })
            .collect();
        for ((list, version), (hits, warnings)) in jobs.into_iter().zip(results) {
            self.memos[list].insert(version.to_owned(), hits.into());
            self.warnings.extend(warnings);
        }
    }

    /// Hits of an evaluated (entry list, version); empty for lists without entries.
    fn memo_hits(&self, list: usize, version: &str) -> Rc<[Hit]> {
        self.memos
            .get(list)
            .and_then(|m| m.get(version))
            .cloned()
            .unwrap_or_else(|| Rc::new([]))
    }

    fn load_entries(&self, eco: &str, name: &str) -> Result<EntryList> {
        let Some(scheme) = Scheme::for_osv_ecosystem(eco) else {
            return Ok(EntryList::new(eco, name, Vec::new(), Vec::new()));
        };
        let mut entries = Vec::new();
        let mut listed = Vec::new();
        for e in self.db.advisories_for(eco, name)? {
            if e.withdrawn {
                continue;
            }
            let i = entries.len();
            listed.extend(
                e.versions
                    .iter()
                    .filter_map(|l| Version::parse(scheme, l).ok())
                    .map(|v| (v, i)),
            );
            entries.push(Entry {
                advisory_id: e.advisory_id,
                ranges: e
                    .ranges
                    .into_iter()
                    // GIT ranges are dropped at import; the kind check keeps that explicit.
                    .filter(|r| matches!(r.kind, RangeKind::Ecosystem | RangeKind::Semver))
                    .map(|r| {
                        PreparedRange::new(
                            scheme,
                            r.events.into_iter().map(convert_event).collect(),
                        )
                    })
                    .collect(),
            });
        }
        Ok(EntryList::new(eco, name, entries, listed))
    }

    fn advisory(&mut self, id: &str) -> Result<Rc<AdvisoryInfo>> {
        if let Some(a) = self.advisories.get(id) {
            return Ok(a.clone());
        }
        let mut info = match self.db.advisory(id)? {
            Some(a) => AdvisoryInfo::from_advisory(a),
            None => AdvisoryInfo::bare(id),
        };
        if info.unrated() {
            let mut others = Vec::new();
            for cve in info.cve_ids() {
                others.extend(self.db.cve_severities(cve)?);
            }
            info.borrow_severity(&others);
        }
        let info = Rc::new(info);
        self.advisories.insert(id.to_owned(), info.clone());
        Ok(info)
    }

    /// Turns one package's hits into findings, merging advisories that are aliases of
    /// each other (e.g. a PYSEC and a GHSA record for the same CVE).
    fn findings_for(
        &mut self,
        pkg: &Package,
        eco: &str,
        name: &str,
        version: &str,
        hits: &[Hit],
    ) -> Result<Vec<Finding>> {
        let mut infos = Vec::with_capacity(hits.len());
        for h in hits {
            infos.push((h, self.advisory(&h.advisory_id)?));
        }
        Ok(finding::merge(pkg, eco, name, version, &infos))
    }
}

fn convert_event(e: drydock_vulndb::Event) -> drydock_versions::Event {
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
fn evaluate(version: &str, list: &EntryList, warnings: &mut BTreeSet<String>) -> Vec<Hit> {
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
