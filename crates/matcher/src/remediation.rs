//! Per installed package: the smallest upgrade that fixes the most of its findings.
//!
//! Candidates are the fixed versions the findings name, in the package manager's order.
//! A candidate fixes a finding when none of the finding's advisories affects it any
//! more, checked against the advisories' ranges (not by comparing with one fixed
//! version), so a fix on another release line is not mistaken for an upgrade path.

use std::collections::HashSet;

use drydock_model::{Finding, Upgrade};
use drydock_versions::{Scheme, Version};

/// The versions worth trying for one package, ascending in the package manager's order:
/// its findings' fixed versions, each once.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    pub versions: Vec<String>,
    /// Per version: how many findings it could fix at most. A finding whose ranges
    /// around the installed version end at fix F stays affected below F, so only
    /// findings without a fix or with their lowest fix at or below the version count.
    bound: Vec<usize>,
}

impl Candidates {
    pub(crate) fn new(findings: &[Finding], eco: &str) -> Candidates {
        let Some(scheme) = Scheme::for_osv_ecosystem(eco) else {
            return Candidates::default();
        };
        let parse = |v: &String| Version::parse(scheme, v).ok();
        let lowest: Vec<Option<Version>> = findings
            .iter()
            .map(|f| f.fixed_versions.iter().filter_map(parse).min())
            .collect();
        let mut versions: Vec<Version> = findings
            .iter()
            .flat_map(|f| f.fixed_versions.iter().filter_map(parse))
            .collect();
        versions.sort();
        versions.dedup_by(|a, b| a.as_str() == b.as_str());
        let bound = versions
            .iter()
            .map(|v| {
                lowest
                    .iter()
                    .filter(|l| l.as_ref().is_none_or(|l| l <= v))
                    .count()
            })
            .collect();
        Candidates {
            versions: versions
                .into_iter()
                .map(|v| v.as_str().to_owned())
                .collect(),
            bound,
        }
    }

    /// The highest candidate: evaluated first, as it usually fixes the most.
    pub(crate) fn highest(&self) -> Option<&str> {
        self.versions.last().map(String::as_str)
    }
}

/// What upgrading one installed version to the best candidate does. It depends only on
/// the entry list and installed version (findings come out of the same hits in the same
/// order), so one choice serves every package at that version.
#[derive(Debug, Default)]
pub(crate) struct Choice {
    upgrade_to: Option<String>,
    /// Indices (into the package's findings) of those the upgrade fixes, ascending.
    fixed: Vec<usize>,
    /// Advisories affecting `upgrade_to` but not the installed version.
    new_at_target: Vec<String>,
}

/// The smallest candidate among those that fix the most `findings`; `still_at(v)` gives
/// the ids of this package's advisories that affect version `v`. The highest candidate
/// goes first; a lower one is evaluated only if its bound could match that count.
pub(crate) fn choose(
    findings: &[Finding],
    candidates: &Candidates,
    mut still_at: impl FnMut(&str) -> HashSet<String>,
) -> Choice {
    let current: HashSet<&str> = findings
        .iter()
        .flat_map(|f| f.advisory_ids.iter().map(String::as_str))
        .collect();
    let mut try_version = |v: &str| {
        let still = still_at(v);
        let fixed: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.advisory_ids.iter().any(|a| still.contains(a)))
            .map(|(i, _)| i)
            .collect();
        let mut new_at_target: Vec<String> = still
            .into_iter()
            .filter(|a| !current.contains(a.as_str()))
            .collect();
        new_at_target.sort();
        Choice {
            upgrade_to: Some(v.to_owned()),
            fixed,
            new_at_target,
        }
    };
    let Some(highest) = candidates.highest() else {
        return Choice::default();
    };
    let mut best = try_version(highest);
    let mut best_at = candidates.versions.len() - 1;
    let lower = candidates.versions.iter().zip(&candidates.bound);
    for (i, (v, &bound)) in lower.enumerate().take(best_at) {
        if bound == 0 || bound < best.fixed.len() {
            continue;
        }
        let c = try_version(v);
        // Ascending: a lower version replaces the best on a greater count, or on an equal
        // count while the best is still a higher version.
        if c.fixed.len() > best.fixed.len() || (c.fixed.len() == best.fixed.len() && i < best_at) {
            best = c;
            best_at = i;
            if best.fixed.len() == findings.len() {
                break;
            }
        }
    }
    if best.fixed.is_empty() {
        return Choice::default();
    }
    best
}

/// The report's entry for one package's `findings` (never empty) and its choice.
pub(crate) fn upgrade(findings: &[Finding], eco: &str, choice: &Choice) -> Upgrade {
    let first = &findings[0];
    // Most urgent first, so the ids read in the order the table lists them.
    let mut by_risk: Vec<(usize, &Finding)> = findings.iter().enumerate().collect();
    let score = |f: &Finding| f.risk.as_ref().map_or(0.0, |r| r.score);
    by_risk.sort_by(|(_, a), (_, b)| score(b).total_cmp(&score(a)).then_with(|| a.id.cmp(&b.id)));
    let (fixes, remaining): (Vec<_>, Vec<_>) = by_risk
        .into_iter()
        .partition(|(i, _)| choice.fixed.binary_search(i).is_ok());
    Upgrade {
        package: first.package.clone(),
        installed_version: first.installed_version.clone(),
        ecosystem: eco.to_owned(),
        location: first.location.clone(),
        upgrade_to: choice.upgrade_to.clone(),
        risk_removed: round1(fixes.iter().map(|(_, f)| score(f)).sum()),
        fixes: fixes.into_iter().map(|(_, f)| f.id.clone()).collect(),
        remaining: remaining.into_iter().map(|(_, f)| f.id.clone()).collect(),
        affected_at_target: choice.new_at_target.clone(),
        layer: first.layer.as_ref().map(|l| l.index),
        from_base_image: None,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, advisory: &str, fixed: &[&str]) -> Finding {
        let fixed: Vec<String> = fixed.iter().map(|f| format!("\"{f}\"")).collect();
        serde_json::from_str(&format!(
            r#"{{"id":"{id}","aliases":[],"advisory_ids":["{advisory}"],"package":"p",
            "package_kind":"python","installed_version":"1.0","ecosystem":"PyPI",
            "fixed_versions":[{}],"status":"fixed","severity":"LOW","severity_source":"none",
            "location":"l","url":""}}"#,
            fixed.join(",")
        ))
        .expect("finding")
    }

    /// A fix on another release line can fix fewer than a lower version: A1 and A2 have
    /// second ranges that cover the 2.0 line, so 2.0.1 (the highest candidate) fixes
    /// only CVE-3, while 1.2.6 fixes CVE-1 and CVE-2.
    #[test]
    fn a_lower_line_can_beat_the_highest_candidate() {
        let findings = [
            finding("CVE-1", "A1", &["1.2.5"]),
            finding("CVE-2", "A2", &["1.2.6"]),
            finding("CVE-3", "A3", &["2.0.1"]),
        ];
        let c = Candidates::new(&findings, "PyPI");
        assert_eq!(c.versions, ["1.2.5", "1.2.6", "2.0.1"]);
        assert_eq!(c.bound, [1, 2, 3]);
        let mut asked = Vec::new();
        let choice = choose(&findings, &c, |v| {
            asked.push(v.to_owned());
            let still: &[&str] = match v {
                "1.2.5" => &["A2", "A3"],
                "1.2.6" => &["A3", "B9"],
                _ => &["A1", "A2"],
            };
            still.iter().map(|s| s.to_string()).collect()
        });
        assert_eq!(asked, ["2.0.1", "1.2.5", "1.2.6"]);
        assert_eq!(choice.upgrade_to.as_deref(), Some("1.2.6"));
        assert_eq!(choice.fixed, [0, 1]);
        assert_eq!(choice.new_at_target, ["B9"]);
    }

    /// The usual case: the highest fixes everything and no lower one can (by its bound),
    /// so it is the only version evaluated.
    #[test]
    fn highest_fixing_all_is_evaluated_alone() {
        let findings = [
            finding("CVE-1", "A1", &["1.1"]),
            finding("CVE-2", "A2", &["1.3"]),
        ];
        let c = Candidates::new(&findings, "PyPI");
        let mut asked = Vec::new();
        let choice = choose(&findings, &c, |v| {
            asked.push(v.to_owned());
            HashSet::new()
        });
        assert_eq!(asked, ["1.3"]);
        assert_eq!(choice.upgrade_to.as_deref(), Some("1.3"));
        // Nothing fixes a finding without any fixed version here: no upgrade.
        let none = [finding("CVE-9", "A9", &[])];
        let c = Candidates::new(&none, "PyPI");
        assert!(choose(&none, &c, |_| HashSet::new()).upgrade_to.is_none());
    }
}
