//! The table's closing sections: what the policy suppressed and why, what filters and
//! skip flags left out, the verdict, and which scanners ran — so a reader of the table
//! knows what it does not show.

use crate::grid::{self, Layout};
use drydock_model::{Report, SuppressedBy, SuppressedItem};
use std::fmt::Write;

/// Suppressed findings, one row each, with who suppressed them and why.
pub(crate) fn suppressed(out: &mut String, report: &Report, layout: Layout) {
    if report.suppressed.is_empty() {
        return;
    }
    let _ = writeln!(out, "Suppressed: {}", report.suppressed.len());
    let mut table = grid::new_table(&["Finding", "In", "By", "Reason", "Expires"], layout);
    for s in &report.suppressed {
        let (id, place) = match &s.item {
            SuppressedItem::Vulnerability(f) => (
                f.id.clone(),
                format!("{} {}", f.package, f.installed_version),
            ),
            SuppressedItem::Secret(x) => (
                x.finding.rule_id.clone(),
                format!(
                    "/{}:{}",
                    x.finding.path.trim_start_matches('/'),
                    x.finding.line
                ),
            ),
            SuppressedItem::Misconfiguration(m) => (
                m.id.to_string(),
                m.path
                    .as_deref()
                    .map(|p| format!("/{}", p.trim_start_matches('/')))
                    .unwrap_or_default(),
            ),
        };
        let by = match s.by {
            SuppressedBy::Ignore => "ignore",
            SuppressedBy::Vex => "VEX",
        };
        grid::add_row(
            &mut table,
            vec![
                id,
                place,
                format!("{by} ({})", s.source),
                s.reason.clone(),
                s.expires.clone().unwrap_or_default(),
            ],
        );
    }
    let _ = writeln!(out, "{}", grid::render(table, layout));
}

/// Skip flags, filters, the verdict and the scanners that ran.
pub(crate) fn footer(out: &mut String, report: &Report) {
    for s in &report.skipped_by_request {
        let shown: Vec<&str> = s.paths.iter().take(3).map(String::as_str).collect();
        let more = s.paths.len().saturating_sub(shown.len());
        let _ = writeln!(
            out,
            "Skipped by request (--{} {}): {} file{}{}{}",
            s.flag,
            s.pattern,
            s.files,
            if s.files == 1 { "" } else { "s" },
            if shown.is_empty() {
                String::new()
            } else {
                format!(" in /{}", shown.join(", /"))
            },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        );
    }
    if let Some(f) = &report.filtered {
        let mut why = Vec::new();
        if !f.severities.is_empty() {
            let names: Vec<&str> = f.severities.iter().map(|s| s.as_str()).collect();
            why.push(format!("severity {}", names.join(",")));
        }
        if f.ignore_unfixed {
            why.push("ignore unfixed".to_owned());
        }
        if !f.pkg_types.is_empty() {
            why.push(format!("package types {}", f.pkg_types.join(",")));
        }
        let _ = writeln!(
            out,
            "Filtered out ({}): {} vulnerabilities, {} secrets, {} misconfigurations",
            why.join("; "),
            f.vulnerabilities,
            f.secrets,
            f.misconfigurations
        );
    }
    if let Some(v) = &report.verdict {
        let _ = writeln!(
            out,
            "Policy: {}",
            if v.pass {
                "PASS".to_owned()
            } else {
                format!(
                    "FAIL ({} rule{} failed)",
                    v.failures.len(),
                    if v.failures.len() == 1 { "" } else { "s" }
                )
            }
        );
        for f in &v.failures {
            let _ = writeln!(out, "  FAIL {}: {}", f.rule, f.reason);
        }
        for w in &v.warnings {
            let _ = writeln!(out, "  WARN {}: {}", w.rule, w.reason);
        }
    }
    let ran: Vec<&str> = [
        (report.vulnerabilities.is_some(), "vuln"),
        (report.secrets.is_some(), "secret"),
        (report.misconfigurations.is_some(), "misconfig"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    let _ = writeln!(
        out,
        "Scanners: {}",
        if ran.is_empty() {
            "none (inventory only)".to_owned()
        } else {
            ran.join(", ")
        }
    );
}
