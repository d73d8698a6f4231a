//! Findings: what is reported per (package, vulnerability), and how advisories that
//! describe the same vulnerability are merged.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use drydock_inventory::{LayerRef, Package, PackageKind};
use drydock_vulndb::Advisory;
use serde::Serialize;

use crate::cvss::v3_base_score;

/// Qualitative severity, ordered so that `Critical` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SeverityLevel {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl SeverityLevel {
    /// CVSS v3 qualitative rating bands.
    pub fn from_score(score: f64) -> SeverityLevel {
        match score {
            s if s >= 9.0 => SeverityLevel::Critical,
            s if s >= 7.0 => SeverityLevel::High,
            s if s >= 4.0 => SeverityLevel::Medium,
            s if s > 0.0 => SeverityLevel::Low,
            _ => SeverityLevel::Unknown,
        }
    }

    /// Textual levels used by GHSA-style `database_specific.severity` and distro feeds.
    pub fn from_text(text: &str) -> Option<SeverityLevel> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => SeverityLevel::Critical,
            "HIGH" | "IMPORTANT" => SeverityLevel::High,
            "MEDIUM" | "MODERATE" => SeverityLevel::Medium,
            "LOW" | "NEGLIGIBLE" => SeverityLevel::Low,
            _ => return None,
        })
    }
}

/// Whether a fixed version exists. (OSV data as stored carries no "will not fix" marker,
/// so that state cannot be told apart from `Affected`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Upgrading to one of `fixed_versions` removes the vulnerability.
    Fixed,
    /// No fixed version published yet.
    Affected,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvssScore {
    pub score: f64,
    pub vector: String,
    /// `advisory` when taken from the record, else who scored the CVE (`cna`, `CISA-ADP`).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevEntry {
    pub cve: String,
    pub date_added: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EpssScore {
    pub score: f64,
    pub percentile: f64,
}

/// One vulnerability in one installed package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// CVE id when any merged advisory names one, else the advisory id.
    pub id: String,
    /// Every other id of the merged advisories (advisory ids, aliases, CVEs).
    pub aliases: Vec<String>,
    /// Ids of the database records that matched (several after an alias merge).
    pub advisory_ids: Vec<String>,
    pub package: String,
    pub package_kind: PackageKind,
    pub installed_version: String,
    /// Ecosystem the advisories came from (`Debian:12`, `PyPI`).
    pub ecosystem: String,
    /// Source package looked up, when it differs from `package`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    /// Version compared, when it differs from `installed_version` (dpkg source version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_version: Option<String>,
    /// Fixed versions above the installed one, lowest first.
    pub fixed_versions: Vec<String>,
    pub status: Status,
    pub severity: SeverityLevel,
    /// `advisory` (textual level in the record), `advisory-cvss` (the record's CVSS
    /// vector), `cve-cvss` (CVE enrichment feed), `cve-other-advisory` (another feed's
    /// record for the same CVE, named in `cvss.source`) or `none`.
    pub severity_source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<CvssScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kev: Option<KevEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epss: Option<EpssScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    /// File the package was read from.
    pub location: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// One matching advisory entry for one package version.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub advisory_id: String,
    pub fixed: Vec<String>,
}

/// The parts of an advisory a finding needs, precomputed once per advisory id.
#[derive(Debug, Clone)]
pub(crate) struct AdvisoryInfo {
    id: String,
    /// Ids that identify the same vulnerability: id, aliases, and the upstream CVE when
    /// the record names exactly one (Alpine/Debian records list it only as upstream).
    same_as: BTreeSet<String>,
    /// CVEs the record refers to (for aliases in reports).
    cves: Vec<String>,
    severity: SeverityLevel,
    severity_source: &'static str,
    cvss: Option<CvssScore>,
    kev: Option<KevEntry>,
    epss: Option<EpssScore>,
    url: String,
    published: Option<String>,
    summary: Option<String>,
}

fn osv_url(id: &str) -> String {
    format!("https://osv.dev/vulnerability/{id}")
}

impl AdvisoryInfo {
    pub(crate) fn bare(id: &str) -> AdvisoryInfo {
        AdvisoryInfo {
            id: id.to_owned(),
            same_as: BTreeSet::from([id.to_owned()]),
            cves: Vec::new(),
            severity: SeverityLevel::Unknown,
            severity_source: "none",
            cvss: None,
            kev: None,
            epss: None,
            url: osv_url(id),
            published: None,
            summary: None,
        }
    }

    /// Whether no source rated this advisory (neither its record nor the CVE feeds).
    pub(crate) fn unrated(&self) -> bool {
        self.severity == SeverityLevel::Unknown
    }

    /// CVEs this advisory refers to.
    pub(crate) fn cve_ids(&self) -> &[String] {
        &self.cves
    }

    /// Takes the highest severity that other advisories publish for the same CVE (e.g. a
    /// RUSTSEC record for a vendored OpenSSL rating the CVE an Alpine record leaves
    /// unrated). The CVE is the same flaw, so its rating carries over; the source says
    /// where it came from.
    pub(crate) fn borrow_severity(&mut self, others: &[(String, drydock_vulndb::Severity)]) {
        let rated = others
            .iter()
            .filter(|(id, _)| *id != self.id)
            .filter_map(|(id, s)| {
                let cvss = v3_base_score(&s.value).map(|score| CvssScore {
                    score,
                    vector: s.value.clone(),
                    source: format!("advisory {id}"),
                });
                let level = SeverityLevel::from_text(&s.value)
                    .or_else(|| cvss.as_ref().map(|c| SeverityLevel::from_score(c.score)))?;
                Some((level, cvss))
            });
        if let Some((level, cvss)) = rated.max_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| score(&a.1).total_cmp(&score(&b.1)))
        }) {
            self.severity = level;
            self.severity_source = "cve-other-advisory";
            if self.cvss.is_none() {
                self.cvss = cvss;
            }
        }
    }

    pub(crate) fn from_advisory(a: Advisory) -> AdvisoryInfo {
        let mut same_as: BTreeSet<String> = a.aliases.iter().cloned().collect();
        same_as.insert(a.id.clone());
        if let [only] = a.cves.as_slice() {
            same_as.insert(only.cve.clone());
        }
        // The record's own vector first: it is the publisher's assessment of this
        // package; the CVE feed (max over referenced CVEs) fills in when it has none.
        let record_cvss = a.severity.as_ref().and_then(|s| {
            v3_base_score(&s.value).map(|score| CvssScore {
                score,
                vector: s.value.clone(),
                source: "advisory".into(),
            })
        });
        let feed_cvss = a
            .cves
            .iter()
            .filter_map(|c| c.cvss3.as_ref().or(c.cvss4.as_ref()))
            .max_by(|x, y| x.score.total_cmp(&y.score))
            .map(|c| CvssScore {
                score: c.score,
                vector: c.vector.clone(),
                source: c.source.clone().unwrap_or_else(|| "cve".into()),
            });
        let text = a
            .severity
            .as_ref()
            .and_then(|s| SeverityLevel::from_text(&s.value));
        let (severity, severity_source) = match (text, &record_cvss, &feed_cvss) {
            (Some(l), _, _) => (l, "advisory"),
            (None, Some(c), _) => (SeverityLevel::from_score(c.score), "advisory-cvss"),
            (None, None, Some(c)) => (SeverityLevel::from_score(c.score), "cve-cvss"),
            (None, None, None) => (SeverityLevel::Unknown, "none"),
        };
        let kev = a.cves.iter().find_map(|c| {
            c.kev.as_ref().map(|k| KevEntry {
                cve: c.cve.clone(),
                date_added: k.date_added.clone(),
                due_date: k.due_date.clone(),
            })
        });
        let epss = a.max_epss().map(|e| EpssScore {
            score: e.score,
            percentile: e.percentile,
        });
        AdvisoryInfo {
            url: a.url.clone().unwrap_or_else(|| osv_url(&a.id)),
            cves: a.cves.iter().map(|c| c.cve.clone()).collect(),
            id: a.id,
            same_as,
            severity,
            severity_source,
            cvss: record_cvss.or(feed_cvss),
            kev,
            epss,
            published: a.published,
            summary: a.summary,
        }
    }
}

fn score(c: &Option<CvssScore>) -> f64 {
    c.as_ref().map_or(0.0, |c| c.score)
}

/// Groups the hits of one package into findings: advisories sharing any id are one
/// vulnerability, reported once (as Trivy does) under its CVE id when there is one.
pub(crate) fn merge(
    pkg: &Package,
    eco: &str,
    name: &str,
    version: &str,
    hits: &[(&Hit, Rc<AdvisoryInfo>)],
) -> Vec<Finding> {
    // Union-find over hit indices, joined through the first hit that named each id.
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (_, a)) in hits.iter().enumerate() {
        for id in &a.same_as {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri] = rj;
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&(&Hit, Rc<AdvisoryInfo>)>> = BTreeMap::new();
    for (i, hit) in hits.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(hit);
    }
    groups
        .into_values()
        .map(|mut g| {
            g.sort_by(|a, b| a.1.id.cmp(&b.1.id));
            build(pkg, eco, name, version, &g)
        })
        .collect()
}

fn build(
    pkg: &Package,
    eco: &str,
    name: &str,
    version: &str,
    group: &[&(&Hit, Rc<AdvisoryInfo>)],
) -> Finding {
    let all_ids: BTreeSet<&String> = group
        .iter()
        .flat_map(|(_, a)| a.same_as.iter().chain(&a.cves))
        .collect();
    let merged_cves: BTreeSet<&String> = group
        .iter()
        .flat_map(|(_, a)| a.same_as.iter())
        .filter(|i| i.starts_with("CVE-"))
        .collect();
    // `group` is non-empty by construction; the fallback only keeps this panic-free.
    let primary = group.first().map(|(_, a)| &**a);
    let id = merged_cves
        .first()
        .map(|c| (*c).clone())
        .or_else(|| primary.map(|a| a.id.clone()))
        .unwrap_or_default();
    // Highest severity wins; the record it came from also supplies the CVSS shown.
    let worst = group
        .iter()
        .map(|(_, a)| &**a)
        .max_by(|x, y| {
            x.severity.cmp(&y.severity).then_with(|| {
                let s = |a: &AdvisoryInfo| a.cvss.as_ref().map_or(-1.0, |c| c.score);
                s(x).total_cmp(&s(y))
            })
        })
        .or(primary);
    let mut fixed: Vec<String> = Vec::new();
    for (h, _) in group {
        for f in &h.fixed {
            if !fixed.contains(f) {
                fixed.push(f.clone());
            }
        }
    }
    let epss = group
        .iter()
        .filter_map(|(_, a)| a.epss)
        .max_by(|x, y| x.score.total_cmp(&y.score));
    Finding {
        aliases: all_ids.into_iter().filter(|i| **i != id).cloned().collect(),
        advisory_ids: group.iter().map(|(_, a)| a.id.clone()).collect(),
        id,
        package: pkg.name.clone(),
        package_kind: pkg.kind,
        installed_version: pkg.version.clone(),
        ecosystem: eco.to_owned(),
        source_package: (name != pkg.name).then(|| name.to_owned()),
        compared_version: (version != pkg.version).then(|| version.to_owned()),
        status: if fixed.is_empty() {
            Status::Affected
        } else {
            Status::Fixed
        },
        fixed_versions: fixed,
        severity: worst.map_or(SeverityLevel::Unknown, |a| a.severity),
        severity_source: worst.map_or("none", |a| a.severity_source),
        cvss: worst.and_then(|a| a.cvss.clone()),
        kev: group.iter().find_map(|(_, a)| a.kev.clone()),
        epss,
        layer: pkg.layer.clone(),
        location: pkg.location.clone(),
        url: primary.map_or_else(String::new, |a| a.url.clone()),
        published: group.iter().filter_map(|(_, a)| a.published.clone()).min(),
        summary: primary.and_then(|a| a.summary.clone()),
    }
}

/// Sorts into [`report_order`] by permuting indices: findings are large, and moving
/// them during the comparison sort dominated the cost for big results.
pub(crate) fn sort_for_report(findings: &mut Vec<Finding>) {
    let mut idx: Vec<usize> = (0..findings.len()).collect();
    idx.sort_by(|&a, &b| report_order(&findings[a], &findings[b]));
    let mut slots: Vec<Option<Finding>> = findings.drain(..).map(Some).collect();
    findings.extend(idx.into_iter().filter_map(|i| slots[i].take()));
}

/// Report order: severity (critical first), known exploited first, higher EPSS first,
/// then package name, id and location for a stable result.
fn report_order(a: &Finding, b: &Finding) -> Ordering {
    let epss = |f: &Finding| f.epss.map_or(-1.0, |e| e.score);
    Reverse(a.severity)
        .cmp(&Reverse(b.severity))
        .then_with(|| b.kev.is_some().cmp(&a.kev.is_some()))
        .then_with(|| epss(b).total_cmp(&epss(a)))
        .then_with(|| a.package.cmp(&b.package))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.installed_version.cmp(&b.installed_version))
        .then_with(|| a.location.cmp(&b.location))
}
