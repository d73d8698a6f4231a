//! Matches installed packages against advisory data.
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
//!
//! A [`Matcher`] lives as long as its advisory data: the entry lists it prepares, the
//! verdicts per (package, version) and the advisory details are kept across calls, so a
//! server re-matching thousands of stored inventories after a DB update pays for each
//! distinct package once.

mod cvss;
mod ecosystem;
mod finding;
mod prepared;
mod remediation;
mod risk;
mod source;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use drydock_model::{NotCovered, OsInfo, Package, PackageKind};
use drydock_versions::{Scheme, Version};
use drydock_vulndb::RangeKind;
use rayon::prelude::*;

pub use cvss::v3_base_score;
pub use drydock_model::{CvssScore, EpssScore, Finding, KevEntry, Severity, Status, Upgrade};
pub use ecosystem::{os_ecosystem, os_ecosystem_candidates};
pub use risk::{Presence, assess as assess_risk};
pub use source::AdvisorySource;

use finding::{AdvisoryInfo, Hit};
use prepared::{Entry, EntryList, PreparedRange, convert_event, evaluate};

/// Errors that stop matching altogether (per-package problems become warnings).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("vulnerability database query failed: {0}")]
    Db(#[from] drydock_vulndb::Error),
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything one [`Matcher::match_packages`] call found out.
#[derive(Debug, Clone)]
pub struct MatchResult {
    /// Sorted: severity (critical first), then KEV, then EPSS, then package name.
    pub findings: Vec<Finding>,
    pub not_covered: Vec<NotCovered>,
    /// Problems with single packages or advisories (unparseable versions, ...), sorted.
    pub warnings: Vec<String>,
    /// One per vulnerable package: the upgrade that removes the most risk first.
    pub upgrades: Vec<Upgrade>,
}

/// Matches inventories against one advisory source, keeping what it prepared.
pub struct Matcher {
    state: Mutex<State>,
}

impl Matcher {
    pub fn new(source: impl AdvisorySource + Send + 'static) -> Self {
        Matcher {
            state: Mutex::new(State {
                source: Box::new(source),
                ecosystems: HashMap::new(),
                entries: Vec::new(),
                memos: Vec::new(),
                choices: Vec::new(),
                index: HashMap::new(),
                advisories: HashMap::new(),
            }),
        }
    }

    /// Matches `packages`. `os` selects the distribution ecosystem for the OS packages
    /// (dpkg/apk/rpm); application packages do not depend on it.
    pub fn match_packages(&self, os: Option<&OsInfo>, packages: &[Package]) -> Result<MatchResult> {
        // A panic in another call leaves only complete cache entries behind.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.match_packages(os, packages)
    }
}

/// Matches `packages` against `source` once (a [`Matcher`] used for one inventory).
pub fn match_packages(
    source: impl AdvisorySource + Send + 'static,
    os: Option<&OsInfo>,
    packages: &[Package],
) -> Result<MatchResult> {
    Matcher::new(source).match_packages(os, packages)
}

/// Name and version to look up for an OS package. Debian and Alpine advisories (and
/// Wolfi's, Chainguard's: apk origins) are keyed on the source package and its version (a
/// binNMU `+b1` binary is built from the same source). RPM distributions differ: AlmaLinux,
/// Rocky Linux and Photon OS publish one entry per binary package, while SUSE, openSUSE,
/// Mageia, openEuler and Azure Linux key their records on the source rpm (the binaries
/// are listed in `ecosystem_specific`, if at all) — see [`ecosystem::rpm_keyed_by_source`].
fn os_query<'p>(pkg: &'p Package, eco: &str) -> (&'p Arc<str>, &'p Arc<str>) {
    let by_source = match pkg.kind {
        PackageKind::Dpkg | PackageKind::Apk => true,
        PackageKind::Rpm => ecosystem::rpm_keyed_by_source(eco),
        _ => false,
    };
    if by_source {
        (
            pkg.source_name.as_ref().unwrap_or(&pkg.name),
            pkg.source_version.as_ref().unwrap_or(&pkg.version),
        )
    } else {
        (&pkg.name, &pkg.version)
    }
}

/// The outcome of evaluating one installed version against one entry list.
struct Evaluated {
    hits: Vec<Hit>,
    warnings: BTreeSet<String>,
}

/// Caches that make matching many packages cheap: ecosystem presence, DB queries per
/// (ecosystem, name), verdicts per (entry list, version string) and advisory details.
struct State {
    source: Box<dyn AdvisorySource + Send>,
    ecosystems: HashMap<String, bool>,
    /// Entry lists, shared read-only with the evaluation threads.
    entries: Vec<EntryList>,
    /// Per entry list: the evaluation per installed version string.
    memos: Vec<HashMap<String, Arc<Evaluated>>>,
    /// Per entry list: the upgrade chosen per installed version string.
    choices: Vec<HashMap<String, Arc<remediation::Choice>>>,
    /// ecosystem -> package name -> index into `entries`, for names some advisory names.
    /// Most names have none: those are not kept, only looked up once per call (an image
    /// of 1,000,000 packages kept 750 MB of empty lists once, then 137 MB of names).
    index: HashMap<String, HashMap<String, usize>>,
    advisories: HashMap<String, Arc<AdvisoryInfo>>,
}

impl State {
    fn match_packages<'p>(
        &mut self,
        os: Option<&OsInfo>,
        packages: &'p [Package],
    ) -> Result<MatchResult> {
        let mut not_covered = Vec::new();
        let mut warnings = BTreeSet::new();
        let os_eco = self.resolve_os(os, packages, &mut not_covered, &mut warnings)?;

        // Ecosystem -> how many packages went unchecked for lack of data.
        let mut unchecked: HashMap<&'static str, usize> = HashMap::new();
        let os_eco = os_eco.as_deref();
        // Where the OS ecosystem's parts key differently, an rpm is looked up by its own
        // name in the parts keyed by binary and by its source rpm's in those keyed by
        // source (see `load_entries`).
        let mixed = os_eco.is_some_and(ecosystem::mixed_keys);
        // The ecosystem, name and version a package is looked up by, and that source name.
        let key = |pkg: &'p Package| match pkg.kind.osv_ecosystem() {
            None => os_eco.map(|eco| {
                let (name, version) = os_query(pkg, eco);
                let mixed_rpm = mixed && pkg.kind == PackageKind::Rpm;
                let name = if mixed_rpm { &pkg.name } else { name };
                let source = mixed_rpm.then_some(pkg.source_name.as_ref()).flatten();
                (eco, name, version, source)
            }),
            Some(eco) => Some((eco, &pkg.name, &pkg.version, None)),
        };
        // The packages to look up, sorted by (ecosystem, name) so each name is queried
        // once without a set of every name (a million names no advisory names are most
        // of a large image): one index a package instead of a hash set entry.
        let mut order: Vec<usize> = Vec::new();
        for (i, pkg) in packages.iter().enumerate() {
            if let Some(eco) = pkg.kind.osv_ecosystem()
                && !self.has_ecosystem(eco)?
            {
                *unchecked.entry(eco).or_default() += 1;
                continue;
            }
            if key(pkg).is_some() {
                order.push(i);
            }
        }
        let name_of = |i: usize| key(&packages[i]).map(|(eco, name, _, src)| (eco, name, src));
        order.sort_unstable_by(|&a, &b| name_of(a).cmp(&name_of(b)));
        // (package index, entry list) of the packages some advisory names.
        let mut listed = Vec::new();
        for group in order.chunk_by(|&a, &b| name_of(a) == name_of(b)) {
            if let Some((eco, name, source)) = name_of(group[0])
                && let Some(list) = self.list_index(eco, name, source.map(|s| &**s))?
            {
                listed.extend(group.iter().map(|&i| (i, list)));
            }
        }
        drop(order);
        listed.sort_unstable();
        // (package, entry list, ecosystem, name and version looked up), in package order.
        let mut queries = Vec::new();
        for (i, list) in listed {
            let pkg = &packages[i];
            // A source rpm asked for is the findings' source package.
            if let Some((eco, name, version, source)) = key(pkg) {
                let name = source.unwrap_or(name);
                queries.push((pkg, list, eco, &**name, &**version));
            }
        }
        self.evaluate_all(
            queries
                .iter()
                .map(|&(_, list, _, _, version)| (list, version)),
        );

        let mut findings = Vec::new();
        // Per vulnerable package: entry list, ecosystem, installed version, its findings'
        // range, and the candidates to try when no upgrade was chosen for that version yet.
        let mut vulnerable = Vec::new();
        for (pkg, list, eco, name, version) in queries {
            let Some(done) = self.memos[list].get(version).cloned() else {
                continue;
            };
            warnings.extend(done.warnings.iter().cloned());
            if !done.hits.is_empty() {
                let found = self.findings_for(pkg, eco, name, version, &done.hits)?;
                let range = findings.len()..findings.len() + found.len();
                let candidates = if self.choices[list].contains_key(version) {
                    remediation::Candidates::default()
                } else {
                    remediation::Candidates::new(&found, eco)
                };
                vulnerable.push((list, eco, version, range, candidates));
                findings.extend(found);
            }
        }
        // The highest candidate of each package is evaluated like installed versions (in
        // parallel, memoised); lower ones only when their bound says they could do as well.
        self.evaluate_all(
            vulnerable
                .iter()
                .filter_map(|(list, _, _, _, c)| c.highest().map(|v| (*list, v))),
        );
        let mut upgrades = Vec::with_capacity(vulnerable.len());
        for (list, eco, version, range, candidates) in vulnerable {
            let package_findings = &findings[range];
            let choice = match self.choices[list].get(version) {
                Some(c) => c.clone(),
                None => {
                    let (memo, entries) = (&self.memos[list], &self.entries[list]);
                    let still_at = |v: &str| match memo.get(v) {
                        Some(e) => e.hits.iter().map(|h| h.advisory_id.clone()).collect(),
                        None => evaluate(v, entries, &mut BTreeSet::new())
                            .into_iter()
                            .map(|h| h.advisory_id)
                            .collect(),
                    };
                    let c = Arc::new(remediation::choose(package_findings, &candidates, still_at));
                    self.choices[list].insert(version.to_owned(), c.clone());
                    c
                }
            };
            upgrades.push(remediation::upgrade(package_findings, eco, &choice));
        }
        upgrades.sort_by(|a, b| {
            b.risk_removed
                .total_cmp(&a.risk_removed)
                .then_with(|| a.package.cmp(&b.package))
                .then_with(|| a.location.cmp(&b.location))
        });

        let mut unchecked: Vec<_> = unchecked.into_iter().collect();
        unchecked.sort();
        not_covered.extend(unchecked.into_iter().map(|(eco, n)| {
            NotCovered::new(
                eco,
                format!(
                    "no advisory data in the database; {n} package{} not checked for vulnerabilities",
                    if n == 1 { "" } else { "s" }
                ),
            )
        }));

        finding::sort_for_report(&mut findings);
        Ok(MatchResult {
            findings,
            not_covered,
            warnings: warnings.into_iter().collect(),
            upgrades,
        })
    }

    /// Whether the source has data for `eco`; for several ecosystems searched together
    /// (Red Hat's repositories), whether it has any of them.
    fn has_ecosystem(&mut self, eco: &str) -> Result<bool> {
        if let Some(&has) = self.ecosystems.get(eco) {
            return Ok(has);
        }
        let mut has = false;
        for part in eco.split(ecosystem::COMPOSITE) {
            has = has || self.source.has_ecosystem(part)?;
        }
        self.ecosystems.insert(eco.to_owned(), has);
        Ok(has)
    }

    /// `eco` without the VEX parts (`Red Hat VEX:`, `SUSE VEX:`) the source has no data
    /// for: those are the product spellings the vendors' VEX files might use
    /// ([`ecosystem::os_ecosystem_candidates`]), not repositories the image names, and a
    /// report lists only the ones searched.
    fn without_absent_vex(&mut self, eco: &str) -> Result<String> {
        let mut kept = Vec::new();
        for part in eco.split(ecosystem::COMPOSITE) {
            if !ecosystem::is_vex(part) || self.source.has_ecosystem(part)? {
                kept.push(part);
            }
        }
        Ok(kept.join(ecosystem::COMPOSITE))
    }

    /// Picks the OS ecosystem to query, recording why OS packages are not (fully) covered.
    fn resolve_os(
        &mut self,
        os: Option<&OsInfo>,
        packages: &[Package],
        not_covered: &mut Vec<NotCovered>,
        warnings: &mut BTreeSet<String>,
    ) -> Result<Option<String>> {
        let os_pkgs = packages.iter().filter(|p| p.kind.is_os()).count();
        let Some(os) = os else {
            if os_pkgs > 0 {
                not_covered.push(NotCovered::new(
                    "os",
                    format!(
                        "operating system not identified; {os_pkgs} OS packages not checked for vulnerabilities"
                    ),
                ));
            }
            return Ok(None);
        };
        let candidates = os_ecosystem_candidates(os);
        if os.family == "rhel" {
            let r = ecosystem::red_hat(os);
            if !r.unmapped.is_empty() {
                warnings.insert(format!(
                    "content sets with no Red Hat advisory repository: {}",
                    r.unmapped.join(", ")
                ));
            }
            if !r.from_manifest && !r.ecosystems.is_empty() {
                warnings.insert(format!(
                    "rhel {}: no Red Hat content manifest naming its repositories; OS packages matched against the release's default repositories ({})",
                    os.version,
                    r.ecosystems.join(", ")
                ));
            }
        }
        if let Some(services) = ecosystem::ubuntu_pro(os) {
            warnings.insert(format!(
                "ubuntu {}: Ubuntu Pro enabled ({services} in var/lib/ubuntu-advantage/status.json); OS packages matched against its ESM fixes (Ubuntu:Pro) too",
                os.version
            ));
        }
        if os.family == "sles" {
            let e = ecosystem::suse_enterprise(os);
            // SLE 16 has no modules to guess; LTSS streams are left out as for 15.
            if !e.is_empty() && !os.version.starts_with("16") {
                warnings.insert(format!(
                    "sles {}: os-release does not name the modules or support stream (LTSS) the image uses; OS packages matched against {}",
                    os.version,
                    e.join(", ")
                ));
            }
        }
        let mut chosen = None;
        for c in &candidates {
            if self.has_ecosystem(c)? {
                chosen = Some(self.without_absent_vex(c)?);
                break;
            }
        }
        if chosen.is_some() && ecosystem::centos_linux(os) {
            warnings.insert(ecosystem::centos_warning(os));
        }
        let label = format!("{} {}", os.family, os.version);
        match (&chosen, candidates.first()) {
            (None, Some(first)) => not_covered.push(NotCovered::new(
                self.without_absent_vex(first)?,
                "no advisory data in the database; OS packages not checked for vulnerabilities",
            )),
            (None, None) => not_covered.push(NotCovered::new(
                label.clone(),
                "no vulnerability data source for this distribution; OS packages not checked for vulnerabilities",
            )),
            (Some(_), _) => {}
        }
        if os.eol == Some(true) {
            let since = os
                .eol_date
                .as_deref()
                .map(|d| format!(" since {d}"))
                .unwrap_or_default();
            not_covered.push(NotCovered::scanned_incomplete(
                chosen
                    .clone()
                    .or_else(|| candidates.first().cloned())
                    .unwrap_or(label),
                format!(
                    "end of life{since}: vendor no longer publishes fixes, so vulnerabilities disclosed later are missing"
                ),
            ));
        }
        Ok(chosen)
    }

    /// Index of the entry list for `name` (and `source`, see `load_entries`) in `eco`,
    /// loading it on first use; `None` when no advisory applies to the name (the caller
    /// remembers that, not the state).
    fn list_index(&mut self, eco: &str, name: &str, source: Option<&str>) -> Result<Option<usize>> {
        let keyed;
        let lookup = match source {
            Some(src) => {
                keyed = format!("{name}\u{1f}{src}");
                &keyed
            }
            None => name,
        };
        if let Some(&i) = self.index.get(eco).and_then(|m| m.get(lookup)) {
            return Ok(Some(i));
        }
        let list = self.load_entries(eco, name, source)?;
        if list.entries.is_empty() {
            return Ok(None);
        }
        self.entries.push(list);
        self.memos.push(HashMap::new());
        self.choices.push(HashMap::new());
        let i = self.entries.len() - 1;
        self.index
            .entry(eco.to_owned())
            .or_default()
            .insert(lookup.to_owned(), i);
        Ok(Some(i))
    }

    /// Evaluates every distinct (entry list, version) not evaluated yet. This is most of
    /// the matching work for a large image and needs no database access, so it runs on
    /// all cores; results go to the memos in a fixed order, keeping output deterministic.
    fn evaluate_all<'v>(&mut self, queries: impl Iterator<Item = (usize, &'v str)>) {
        let mut seen: HashSet<(usize, &str)> = HashSet::new();
        let jobs: Vec<(usize, &str)> = queries
            .filter(|&(list, version)| {
                !self.memos[list].contains_key(version) && seen.insert((list, version))
            })
            .collect();
        let lists = &self.entries;
        let results: Vec<Evaluated> = jobs
            .par_iter()
            .map(|&(list, version)| {
                let mut warnings = BTreeSet::new();
                let hits = evaluate(version, &lists[list], &mut warnings);
                Evaluated { hits, warnings }
            })
            .collect();
        for ((list, version), done) in jobs.into_iter().zip(results) {
            self.memos[list].insert(version.to_owned(), Arc::new(done));
        }
    }

    /// The entries for `name` in every part of `eco`; parts keyed by source rpm are
    /// asked for `source` when one is given (a composite of mixed keys).
    fn load_entries(&self, eco: &str, name: &str, source: Option<&str>) -> Result<EntryList> {
        let Some(scheme) = Scheme::for_osv_ecosystem(eco) else {
            return Ok(EntryList::new(eco, name, Vec::new(), Vec::new()));
        };
        let mut entries: Vec<Entry> = Vec::new();
        let mut listed = Vec::new();
        let mut found = Vec::new();
        for part in eco.split(ecosystem::COMPOSITE) {
            let asked = match source {
                Some(src) if ecosystem::rpm_keyed_by_source(part) => src,
                _ => name,
            };
            found.extend(self.source.advisories_for(part, asked)?);
        }
        for e in found {
            if e.withdrawn {
                continue;
            }
            let vendor_status = e.vendor_status.as_deref().and_then(Status::from_name);
            // One advisory filed under several searched repositories is one entry whose
            // ranges are all of theirs (any of them containing the version affects it).
            let i = entries
                .iter()
                .position(|x| x.advisory_id == e.advisory_id)
                .unwrap_or(entries.len());
            listed.extend(
                e.versions
                    .iter()
                    .filter_map(|l| Version::parse(scheme, l).ok())
                    .map(|v| (v, i)),
            );
            let ranges = e
                .ranges
                .into_iter()
                // GIT ranges are dropped at import; the kind check keeps that explicit.
                .filter(|r| matches!(r.kind, RangeKind::Ecosystem | RangeKind::Semver))
                .map(|r| {
                    PreparedRange::new(scheme, r.events.into_iter().map(convert_event).collect())
                });
            match entries.get_mut(i) {
                Some(known) => {
                    known.ranges.extend(ranges);
                    known.vendor_rating = known.vendor_rating.take().or(e.vendor_rating);
                    known.vendor_status = known.vendor_status.or(vendor_status);
                }
                None => entries.push(Entry {
                    advisory_id: e.advisory_id,
                    vendor_rating: e.vendor_rating,
                    vendor_status,
                    ranges: ranges.collect(),
                }),
            }
        }
        Ok(EntryList::new(eco, name, entries, listed))
    }

    fn advisory(&mut self, id: &str) -> Result<Arc<AdvisoryInfo>> {
        if let Some(a) = self.advisories.get(id) {
            return Ok(a.clone());
        }
        let mut info = match self.source.advisory(id)? {
            Some(a) => AdvisoryInfo::from_advisory(a),
            None => AdvisoryInfo::bare(id),
        };
        if info.unrated() {
            let mut others = Vec::new();
            for cve in info.cve_ids() {
                others.extend(self.source.cve_severities(cve)?);
            }
            info.borrow_severity(&others);
        }
        let info = Arc::new(info);
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
