//! The vulnerability and remediation sections of the table output: findings in risk
//! order with their reasons in words, then the upgrades that remove the most risk.

use crate::grid::{self, Layout};
use drydock_model::{BaseImage, Finding, Remediation, Severity, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A summary line of counts by severity, then one row per finding, riskiest first.
pub(crate) fn render_vulnerabilities(out: &mut String, vulns: &[Finding], layout: Layout) {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for v in vulns {
        *counts.entry(v.severity).or_default() += 1;
    }
    let by_level: Vec<String> = counts
        .iter()
        .rev()
        .map(|(level, n)| format!("{}: {n}", level_name(*level)))
        .collect();
    let kev = vulns.iter().filter(|v| v.kev.is_some()).count();
    let fixable = vulns.iter().filter(|v| v.status == Status::Fixed).count();
    let _ = writeln!(
        out,
        "Vulnerabilities: {} ({}){}; {fixable} fixable",
        vulns.len(),
        if by_level.is_empty() {
            "none".to_owned()
        } else {
            by_level.join(", ")
        },
        if kev > 0 {
            format!("; {kev} known exploited (KEV)")
        } else {
            String::new()
        },
    );
    if vulns.is_empty() {
        return;
    }
    let mut header = vec![
        "Risk",
        "Package",
        "Installed",
        "Vulnerability",
        "Severity",
        "Why",
    ];
    // Seven whole-word columns do not fit 80 columns; the layer is also in the package
    // list and the JSON report, so a narrow terminal goes without it.
    let show_layer = layout.width.is_none_or(|w| w >= 100);
    if show_layer {
        header.push("Layer");
    }
    // Deadlines exist only under a policy with an `sla`.
    let due = vulns.iter().any(|v| v.due.is_some());
    if due {
        header.push("Due");
    }
    let mut table = grid::new_table(&header, layout);
    for f in risk_order(vulns) {
        let (score, why) = match &f.risk {
            // The first reason is the base, which the Severity column already shows.
            Some(r) => (
                format!("{:.1}", r.score),
                r.reasons[1.min(r.reasons.len())..].join("; "),
            ),
            None => (String::new(), String::new()),
        };
        let mut row = vec![
            score,
            f.package.clone(),
            f.installed_version.clone(),
            f.id.clone(),
            severity_cell(f),
            why,
        ];
        if show_layer {
            row.push(
                f.layer
                    .as_ref()
                    .map(|l| l.index.to_string())
                    .unwrap_or_default(),
            );
        }
        if due {
            row.push(f.due.clone().unwrap_or_default());
        }
        grid::add_row_with_severity(&mut table, row, 4, f.severity);
    }
    let _ = writeln!(out, "{}", grid::render(table, layout));
    explain_exploit_signals(out, vulns);
    if counts.contains_key(&Severity::Unknown) {
        let _ = writeln!(
            out,
            "not rated: neither the advisory nor the loaded CVE feeds give a CVSS or severity; risk counts them as 5.0 of 10"
        );
    }
}

/// Says once what the exploit signals in the Why column mean, when any finding has one.
fn explain_exploit_signals(out: &mut String, vulns: &[Finding]) {
    if vulns.iter().any(|v| v.kev.is_some()) {
        let _ = writeln!(
            out,
            "KEV: listed in CISA's Known Exploited Vulnerabilities catalog (exploited in the wild)"
        );
    }
    if vulns.iter().any(|v| v.epss.is_some()) {
        let _ = writeln!(
            out,
            "EPSS 0.53: FIRST's estimate of a 53% probability that the CVE is exploited in the next 30 days"
        );
    }
}

/// Highest risk first; at equal risk what can be fixed now first; otherwise the
/// report's order (severity, KEV, EPSS, package), which the sort keeps.
fn risk_order(vulns: &[Finding]) -> Vec<&Finding> {
    let score = |f: &Finding| f.risk.as_ref().map_or(0.0, |r| r.score);
    let mut rows: Vec<&Finding> = vulns.iter().collect();
    rows.sort_by(|a, b| {
        score(b)
            .total_cmp(&score(a))
            .then_with(|| (b.status == Status::Fixed).cmp(&(a.status == Status::Fixed)))
    });
    rows
}

fn level_name(s: Severity) -> &'static str {
    match s {
        Severity::Unknown => "not rated",
        other => other.as_str(),
    }
}

/// `HIGH 7.5`, `MEDIUM`, `not rated`, with the distribution's own rating after it.
fn severity_cell(f: &Finding) -> String {
    let mut cell = match (f.severity, &f.cvss) {
        (Severity::Unknown, _) => level_name(Severity::Unknown).to_owned(),
        (level, Some(c)) => format!("{level} {:.1}", c.score),
        (level, None) => level.as_str().to_owned(),
    };
    if let Some(v) = &f.vendor_severity {
        let _ = write!(cell, "; {}: {}", v.source, v.rating);
    }
    cell
}

/// Where findings came from, then one row per package: the upgrade and what it fixes.
/// What the remediation section knows of the image: `base` is `Artifact::base_image`.
/// Root filesystems and source trees have no image and so no origin line.
pub(crate) struct Origin<'a> {
    pub base: Option<&'a BaseImage>,
}

pub(crate) fn render_remediation(
    out: &mut String,
    plan: &Remediation,
    base: Option<Origin<'_>>,
    layout: Layout,
) {
    if plan.upgrades.is_empty() {
        return;
    }
    if let Some(origin) = base {
        let named = origin.base.map(|b| match (&b.name, &b.digest) {
            (Some(n), Some(d)) => format!(" ({n}@{d})"),
            (Some(n), None) => format!(" ({n})"),
            _ => String::new(),
        });
        let line = match (plan.from_base_image, plan.added_by_image, origin.base) {
            (Some(from), Some(added), Some(b)) => format!(
                "{from} from the base image layers{}, {added} added by this image (base layers 0-{} from the {})",
                named.unwrap_or_default(),
                b.layers.unwrap_or(1).saturating_sub(1),
                b.source
            ),
            _ => format!(
                "unknown{} (no CMD/ENTRYPOINT followed by more layers in the history tells where the base image ends)",
                named.unwrap_or_default()
            ),
        };
        let _ = writeln!(out, "Findings by origin: {line}");
    }
    let fixable: Vec<_> = plan
        .upgrades
        .iter()
        .filter(|u| u.upgrade_to.is_some())
        .collect();
    let fixed: usize = fixable.iter().map(|u| u.fixes.len()).sum();
    let total: usize = plan
        .upgrades
        .iter()
        .map(|u| u.fixes.len() + u.remaining.len())
        .sum();
    let _ = writeln!(
        out,
        "Remediation: {} upgrade{} fix{} {fixed} of {total} findings",
        fixable.len(),
        if fixable.len() == 1 { "" } else { "s" },
        if fixable.len() == 1 { "es" } else { "" }
    );
    let mut table = grid::new_table(
        &[
            "Package",
            "Installed",
            "Upgrade to",
            "Fixes",
            "Risk removed",
            "Still open",
            "Layer",
        ],
        layout,
    );
    for u in &plan.upgrades {
        let layer = match (u.layer, u.from_base_image) {
            (Some(l), Some(true)) => format!("{l} (base)"),
            (Some(l), _) => l.to_string(),
            (None, _) => String::new(),
        };
        grid::add_row(
            &mut table,
            vec![
                u.package.clone(),
                u.installed_version.clone(),
                u.upgrade_to.clone().unwrap_or_else(|| "no fix yet".into()),
                format!("{} of {}", u.fixes.len(), u.fixes.len() + u.remaining.len()),
                format!("{:.1}", u.risk_removed),
                still_open(u),
                layer,
            ],
        );
    }
    let _ = writeln!(out, "{}", grid::render(table, layout));
}

/// The findings the upgrade leaves, and advisories that affect the target version only.
fn still_open(u: &drydock_model::Upgrade) -> String {
    let mut cell = u.remaining.join(", ");
    if let (Some(to), n @ 1..) = (&u.upgrade_to, u.affected_at_target.len()) {
        if !cell.is_empty() {
            cell.push_str("; ");
        }
        let _ = write!(
            cell,
            "{n} other advisor{} affect{} {to}",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "s" } else { "" }
        );
    }
    cell
}
