//! Findings: what is reported per (package, vulnerability), and how advisories that
//! describe the same vulnerability are merged.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use drydock_model::{
    CvssScore, EpssScore, Finding, KevEntry, Package, Severity, Status, VendorRating,
};
use drydock_vulndb::Advisory;

use crate::cvss::v3_base_score;
use crate::risk::{self, Presence};

/// One matching advisory entry for one package version.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub advisory_id: String,
    pub fixed: Vec<String>,
    /// The distribution's own rating of the advisory for this package.
    pub vendor_rating: Option<String>,
    /// The vendor's no-fix status for the package, when its tracker gives one.
    pub vendor_status: Option<Status>,
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
    severity: Severity,
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
            severity: Severity::Unknown,
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
        self.severity == Severity::Unknown
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
                let level = Severity::from_text(&s.value)
                    .or_else(|| cvss.as_ref().map(|c| Severity::from_score(c.score)))?;
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
            .and_then(|s| Severity::from_text(&s.value));
        let (severity, severity_source) = match (text, &record_cvss, &feed_cvss) {
            (Some(l), _, _) => (l, "advisory"),
            (None, Some(c), _) => (Severity::from_score(c.score), "advisory-cvss"),
            (None, None, Some(c)) => (Severity::from_score(c.score), "cve-cvss"),
            (None, None, None) => (Severity::Unknown, "none"),
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
    hits: &[(&Hit, Arc<AdvisoryInfo>)],
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
    let mut groups: BTreeMap<usize, Vec<&(&Hit, Arc<AdvisoryInfo>)>> = BTreeMap::new();
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
    group: &[&(&Hit, Arc<AdvisoryInfo>)],
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
    let mut finding = Finding {
        aliases: all_ids.into_iter().filter(|i| **i != id).cloned().collect(),
        advisory_ids: group.iter().map(|(_, a)| a.id.clone()).collect(),
        id,
        package: pkg.name.to_string(),
        package_kind: pkg.kind,
        installed_version: pkg.version.to_string(),
        ecosystem: eco.to_owned(),
        source_package: (*name != *pkg.name).then(|| name.to_owned()),
        compared_version: (*version != *pkg.version).then(|| version.to_owned()),
        status: if fixed.is_empty() {
            no_fix_status(group)
        } else {
            Status::Fixed
        },
        fixed_versions: fixed,
        severity: worst.map_or(Severity::Unknown, |a| a.severity),
        severity_source: worst.map_or("none", |a| a.severity_source).to_owned(),
        cvss: worst.and_then(|a| a.cvss.clone()),
        kev: group.iter().find_map(|(_, a)| a.kev.clone()),
        epss,
        layer: pkg.layer.clone(),
        location: pkg.location.to_string(),
        url: primary.map_or_else(String::new, |a| a.url.clone()),
        published: group.iter().filter_map(|(_, a)| a.published.clone()).min(),
        summary: primary.and_then(|a| a.summary.clone()),
        vendor_severity: vendor_rating(eco, group),
        risk: None,
        due: None,
        first_seen: None,
    };
    // Every package reported is in the final filesystem (see `Presence`).
    finding.risk = Some(risk::assess(&finding, Presence::FinalFilesystem));
    finding
}

/// Why nothing fixes it: a vendor's own word (the first by advisory id) beats the
/// plain `affected` of records that only lack a fixed version.
fn no_fix_status(group: &[&(&Hit, Arc<AdvisoryInfo>)]) -> Status {
    group
        .iter()
        .find_map(|(h, _)| h.vendor_status)
        .unwrap_or(Status::Affected)
}

/// The distribution's rating from the merged hits: the first (by advisory id) that
/// names a severity level, else the first at all (`not yet assigned` still tells the
/// reader the distribution has looked).
fn vendor_rating(eco: &str, group: &[&(&Hit, Arc<AdvisoryInfo>)]) -> Option<VendorRating> {
    let ratings: Vec<&String> = group
        .iter()
        .filter_map(|(h, _)| h.vendor_rating.as_ref())
        .collect();
    let rating = ratings
        .iter()
        .find(|r| Severity::from_text(r).is_some())
        .or(ratings.first())?;
    let source = match eco.split(':').next() {
        Some("Debian") => "Debian urgency",
        Some("Ubuntu") => "Ubuntu priority",
        // Red Hat's level, as the rebuilds publish it with their errata.
        Some("AlmaLinux") => "AlmaLinux severity",
        Some("Rocky Linux") => "Rocky Linux severity",
        Some("Red Hat") => "Red Hat severity",
        Some("openEuler") => "openEuler severity",
        Some("Bitnami") => "Bitnami severity",
        Some("Amazon Linux") => "Amazon severity",
        Some("Oracle Linux") => "Oracle severity",
        Some("Bottlerocket") => "Bottlerocket severity",
        Some("Fedora") => "Fedora severity",
        // Microsoft's, from its OVAL files' `<severity>`.
        Some("Azure Linux") => "Azure Linux severity",
        // VMware's, from its Photon OS OVAL files' `<severity>`.
        Some("Photon OS") => "Photon OS severity",
        // SUSE's own rating (its VEX files' `impact`), beside the modules' records; for
        // Leap too, beside openSUSE's records (SUSE rates its `openSUSE Leap` product).
        Some("SUSE" | "openSUSE") => "SUSE rating",
        _ => "vendor rating",
    };
    Some(VendorRating {
        source: source.to_owned(),
        rating: (*rating).clone(),
    })
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
