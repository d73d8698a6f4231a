//! Per installed package: the smallest upgrade that fixes the most of its findings.
//!
//! Candidates are the fixed versions the findings name, in the package manager's order.
//! A candidate fixes a finding when none of the finding's advisories affects it any
//! more, checked against the advisories' ranges (not by comparing with one fixed
//! version), so a fix on another release line is not mistaken for an upgrade path.

use std::collections::{BTreeSet, HashSet};

use drydock_model::{Finding, Upgrade};
use drydock_versions::{Scheme, Version};

use crate::prepared::{EntryList, evaluate};

/// The upgrade for one package whose findings are `findings` (all of one installed
/// package, matched against `list` in `eco`; never empty).
pub(crate) fn upgrade(findings: &[Finding], eco: &str, list: &EntryList) -> Upgrade {
    let mut candidates: Vec<Version> = Scheme::for_osv_ecosystem(eco)
        .map(|scheme| {
            findings
                .iter()
                .flat_map(|f| &f.fixed_versions)
                .filter_map(|v| Version::parse(scheme, v).ok())
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    candidates.dedup_by(|a, b| a.as_str() == b.as_str());

    let current: HashSet<&str> = findings
        .iter()
        .flat_map(|f| f.advisory_ids.iter().map(String::as_str))
        .collect();
    // (version, indices of the findings it fixes, advisories new at that version).
    let mut best: Option<(&str, Vec<usize>, Vec<String>)> = None;
    for candidate in &candidates {
        // Warnings about a candidate version are not the installed package's problem.
        let still: HashSet<String> = evaluate(candidate.as_str(), list, &mut BTreeSet::new())
            .into_iter()
            .map(|h| h.advisory_id)
            .collect();
        let fixed: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.advisory_ids.iter().any(|a| still.contains(a)))
            .map(|(i, _)| i)
            .collect();
        // Ascending order: only a strictly better count replaces the smaller version.
        if fixed.len() > best.as_ref().map_or(0, |(_, b, _)| b.len()) {
            let mut new: Vec<String> = still
                .into_iter()
                .filter(|a| !current.contains(a.as_str()))
                .collect();
            new.sort();
            best = Some((candidate.as_str(), fixed, new));
        }
    }
    let first = &findings[0];
    let fixed = best
        .as_ref()
        .map(|(_, f, _)| f.as_slice())
        .unwrap_or_default();
    // Most urgent first, so the ids read in the order the table lists them.
    let mut by_risk: Vec<(usize, &Finding)> = findings.iter().enumerate().collect();
    let score = |f: &Finding| f.risk.as_ref().map_or(0.0, |r| r.score);
    by_risk.sort_by(|(_, a), (_, b)| score(b).total_cmp(&score(a)).then_with(|| a.id.cmp(&b.id)));
    let (fixes, remaining): (Vec<_>, Vec<_>) =
        by_risk.into_iter().partition(|(i, _)| fixed.contains(i));
    Upgrade {
        package: first.package.clone(),
        installed_version: first.installed_version.clone(),
        ecosystem: eco.to_owned(),
        location: first.location.clone(),
        upgrade_to: best.as_ref().map(|(v, _, _)| (*v).to_owned()),
        risk_removed: round1(
            fixes
                .iter()
                .filter_map(|(_, f)| f.risk.as_ref().map(|r| r.score))
                .sum(),
        ),
        fixes: fixes.into_iter().map(|(_, f)| f.id.clone()).collect(),
        remaining: remaining.into_iter().map(|(_, f)| f.id.clone()).collect(),
        affected_at_target: best.map(|(_, _, new)| new).unwrap_or_default(),
        layer: first.layer.as_ref().map(|l| l.index),
        from_base_image: None,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
