//! Policy: turns a [`Report`] into a [`Verdict`], the answer to "may this image ship?",
//! and rewrites the report to show what the policy did (filtered, suppressed, due).
//!
//! Evaluation is a pure function of the report, the policy and a [`Context`] (the date,
//! a baseline report, VEX statements, ignore entries — all loaded beforehand, see
//! [`load`]), so the CLI gate and the server give the same answer for the same stored
//! report, and deadlines and expiries are testable with any date.

mod date;
mod ignore;
pub mod load;
mod pattern;
mod policy;
mod purl;
mod rules;
mod triage;
mod vex;

pub use date::Date;
pub use ignore::{Ignore, Section, parse_trivyignore, parse_yaml as parse_ignore_yaml};
pub use policy::{Coverage, MustPass, PkgType, Policy, parse_severity};
pub use vex::{Product, VexDocument, VexStatement, VexStatus, parse as parse_vex};

use drydock_model::{
    Finding, PackageKind, Report, Suppressed, SuppressedItem, Verdict, VerdictFailure,
};
use std::collections::HashMap;
use triage::Decision;

/// Everything besides the report and the policy that the verdict depends on.
#[derive(Debug, Clone)]
pub struct Context {
    /// The evaluation date (injected so deadlines and expiries are testable).
    pub today: Date,
    /// First sightings from a previous report (`--baseline`).
    pub baseline: Option<Baseline>,
    /// Statements from every `--vex` document, in the order given.
    pub vex: VexDocument,
    /// Entries of the ignore files (the policy's own `ignores` are added to these).
    pub ignores: Vec<Ignore>,
}

impl Context {
    pub fn new(today: Date) -> Context {
        Context {
            today,
            baseline: None,
            vex: VexDocument::default(),
            ignores: Vec::new(),
        }
    }
}

/// When each finding of an earlier report was first seen, so remediation deadlines
/// count from then instead of restarting with every scan.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    first_seen: HashMap<FindingKey, Date>,
}

/// A finding's identity across scans: the version may change (an upgrade that did not
/// fix it) and the finding is still the same one.
type FindingKey = (String, PackageKind, String, String);

fn key(f: &Finding) -> FindingKey {
    (
        f.id.clone(),
        f.package_kind,
        f.package.clone(),
        f.location.clone(),
    )
}

impl Baseline {
    /// Reads first sightings from `report`: each finding's own `first_seen`, else the date
    /// the report was evaluated on, else `fallback` (when the report says neither).
    /// Suppressed findings count: they were seen too.
    pub fn from_report(report: &Report, fallback: Date) -> Baseline {
        let scanned = report
            .verdict
            .as_ref()
            .and_then(|v| v.evaluated_on.as_deref())
            .and_then(Date::parse)
            .unwrap_or(fallback);
        let suppressed = report.suppressed.iter().filter_map(|s| match &s.item {
            SuppressedItem::Vulnerability(f) => Some(f.as_ref()),
            _ => None,
        });
        let first_seen = report
            .vulnerabilities
            .iter()
            .flatten()
            .chain(suppressed)
            .map(|f| {
                let seen = f
                    .first_seen
                    .as_deref()
                    .and_then(Date::parse)
                    .unwrap_or(scanned);
                (key(f), seen)
            })
            .collect();
        Baseline { first_seen }
    }

    fn first_seen(&self, f: &Finding) -> Option<Date> {
        self.first_seen.get(&key(f)).copied()
    }
}

/// Evaluates `policy` against `report`: each rule that fails, with its reason, and the
/// warnings (deadlines running, expired ignores, unusable VEX statements).
pub fn evaluate(report: &Report, policy: &Policy, ctx: &Context) -> Verdict {
    let triage = triage::triage(report, policy, ctx);
    let mut outcome = rules::Outcome::default();
    rules::check(report, &triage, policy, ctx, &mut outcome);
    let mut warnings = triage.warnings;
    warnings.extend(outcome.warnings);
    Verdict {
        pass: outcome.failures.is_empty(),
        failures: outcome.failures,
        warnings,
        evaluated_on: Some(ctx.today.to_string()),
    }
}

/// Evaluates `policy` and returns the report as the policy sees it: filtered findings
/// left out (counted in `filtered`), suppressed ones moved to `suppressed` with their
/// reason, due dates (and, with a baseline, first sightings) on the findings, and the
/// verdict.
pub fn apply(mut report: Report, policy: &Policy, ctx: &Context) -> Report {
    let triage = triage::triage(&report, policy, ctx);
    let mut suppressed = std::mem::take(&mut report.suppressed);
    report.filtered = triage.filtered(policy);
    report.vulnerabilities = report.vulnerabilities.take().map(|vulns| {
        let dated = vulns.into_iter().map(|mut f| {
            if let Some(b) = &ctx.baseline {
                f.first_seen = Some(b.first_seen(&f).unwrap_or(ctx.today).to_string());
            }
            f.due = rules::vulns::deadline(&f, policy, ctx).map(|d| d.due.to_string());
            f
        });
        split(
            dated,
            &triage.vulnerabilities,
            |f| SuppressedItem::Vulnerability(Box::new(f)),
            &mut suppressed,
        )
    });
    report.secrets = report.secrets.take().map(|secrets| {
        split(
            secrets,
            &triage.secrets,
            SuppressedItem::Secret,
            &mut suppressed,
        )
    });
    report.misconfigurations = report.misconfigurations.take().map(|m| {
        split(
            m,
            &triage.misconfigurations,
            SuppressedItem::Misconfiguration,
            &mut suppressed,
        )
    });
    report.suppressed = suppressed;
    report.verdict = Some(evaluate(&report, policy, ctx));
    report
}

/// Keeps the items their decision keeps, moves suppressed ones (with why) to
/// `suppressed`, and drops filtered ones.
fn split<T>(
    items: impl IntoIterator<Item = T>,
    decisions: &[Decision],
    wrap: fn(T) -> SuppressedItem,
    suppressed: &mut Vec<Suppressed>,
) -> Vec<T> {
    let mut kept = Vec::new();
    for (item, decision) in items.into_iter().zip(decisions) {
        match decision {
            Decision::Keep => kept.push(item),
            Decision::Filter => {}
            Decision::Suppress(s) => suppressed.push(Suppressed {
                by: s.by,
                reason: s.reason.clone(),
                source: s.source.clone(),
                expires: s.expires.clone(),
                item: wrap(item),
            }),
        }
    }
    kept
}

/// A rule result line: `rule: reason`.
fn line(rule: &str, reason: String) -> VerdictFailure {
    VerdictFailure {
        rule: rule.into(),
        reason,
    }
}
