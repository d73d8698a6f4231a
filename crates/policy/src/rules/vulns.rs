//! Vulnerability rules: severity, KEV, EPSS thresholds, and remediation deadlines.

use super::{Counted, Outcome, count};
use crate::date::Date;
use crate::{Context, Policy};
use drydock_model::{Finding, Status};

/// A finding's remediation deadline under the policy's `sla`.
pub(crate) struct Deadline {
    pub(crate) due: Date,
    /// What the clock started from: `published` or `first seen` (and that date).
    pub(crate) from: String,
}

/// The deadline for `f`: the SLA days for its severity, counted from when a baseline
/// first saw it (a finding new since the baseline: today), else from the advisory's
/// publication, else (no date, or a placeholder such as year 1) from today.
pub(crate) fn deadline(f: &Finding, policy: &Policy, ctx: &Context) -> Option<Deadline> {
    let days = *policy.sla.get(&f.severity)?;
    let published = f
        .published
        .as_deref()
        .and_then(Date::parse)
        .filter(|d| d.is_plausible());
    let (start, basis) = match (&ctx.baseline, published) {
        (Some(b), _) => (b.first_seen(f).unwrap_or(ctx.today), "first seen"),
        (None, Some(p)) => (p, "published"),
        (None, None) => (ctx.today, "first seen"),
    };
    Some(Deadline {
        due: start.plus_days(days),
        from: format!("{days} days from {basis} {start}"),
    })
}

pub(crate) fn check(counted: &Counted<'_>, policy: &Policy, ctx: &Context, out: &mut Outcome) {
    let rules = [
        ("fail_on_severity", policy.fail_on_severity.is_some()),
        ("fail_on_kev", policy.fail_on_kev),
        ("fail_on_epss", policy.fail_on_epss.is_some()),
        ("sla", !policy.sla.is_empty()),
    ];
    let Some(vulns) = &counted.vulnerabilities else {
        for (rule, on) in rules {
            if on {
                out.fail(rule, "the vulnerability scanner did not run".into());
            }
        }
        return;
    };
    let gated: Vec<&Finding> = vulns
        .iter()
        .copied()
        .filter(|f| !policy.fixable_only || f.status == Status::Fixed)
        .collect();
    let with_fix = if policy.fixable_only {
        " with a fix"
    } else {
        ""
    };
    if let Some(threshold) = policy.fail_on_severity {
        let over: Vec<&&Finding> = gated.iter().filter(|f| f.severity >= threshold).collect();
        if let Some(first) = over.first() {
            out.fail(
                "fail_on_severity",
                format!(
                    "{} at {threshold} or above{with_fix} (first: {})",
                    count(over.len(), "vulnerability", "vulnerabilities"),
                    first.id
                ),
            );
        }
    }
    if policy.fail_on_kev {
        let listed: Vec<&&Finding> = gated.iter().filter(|f| f.kev.is_some()).collect();
        if let Some(first) = listed.first() {
            out.fail(
                "fail_on_kev",
                format!(
                    "{} in CISA's Known Exploited Vulnerabilities catalog{with_fix} (first: {} in {}, listed {})",
                    count(listed.len(), "vulnerability", "vulnerabilities"),
                    first.id,
                    first.package,
                    first.kev.as_ref().map_or("", |k| k.date_added.as_str())
                ),
            );
        }
    }
    if let Some(p) = policy.fail_on_epss {
        let likely: Vec<&&Finding> = gated
            .iter()
            .filter(|f| f.epss.is_some_and(|e| e.score >= p))
            .collect();
        if let Some(first) = likely.first() {
            out.fail(
                "fail_on_epss",
                format!(
                    "{} with EPSS >= {p}{with_fix} (first: {} in {}, EPSS {:.3})",
                    count(likely.len(), "vulnerability", "vulnerabilities"),
                    first.id,
                    first.package,
                    first.epss.map_or(0.0, |e| e.score)
                ),
            );
        }
    }
    sla(vulns, policy, ctx, out);
}

/// Past the deadline fails; inside it warns, naming the next one due.
fn sla(vulns: &[&Finding], policy: &Policy, ctx: &Context, out: &mut Outcome) {
    let mut overdue = Vec::new();
    let mut running = Vec::new();
    for f in vulns {
        if let Some(d) = deadline(f, policy, ctx) {
            if ctx.today > d.due {
                overdue.push((f, d));
            } else {
                running.push((f, d));
            }
        }
    }
    if let Some((f, d)) = overdue.iter().min_by_key(|(_, d)| d.due) {
        out.fail(
            "sla",
            format!(
                "{} past the remediation deadline (most overdue: {} {} in {}, due {}, {})",
                count(overdue.len(), "vulnerability", "vulnerabilities"),
                f.id,
                f.severity,
                f.package,
                d.due,
                d.from
            ),
        );
    }
    if let Some((f, d)) = running.iter().min_by_key(|(_, d)| d.due) {
        out.warn(
            "sla",
            format!(
                "{} to remediate within the deadline (next: {} {} in {}, due {}, {} days left)",
                count(running.len(), "vulnerability", "vulnerabilities"),
                f.id,
                f.severity,
                f.package,
                d.due,
                d.due.days_since(ctx.today)
            ),
        );
    }
}
