//! The rules, one file per subject: vulnerabilities, the image itself, its contents.
//! Each rule reads only what the triage kept, and adds at most one failure line (and
//! one warning line), so every failing rule prints as exactly one line.

mod content;
mod image;
pub(crate) mod vulns;

use crate::triage::{Decision, Triage};
use crate::{Context, Policy};
use drydock_model::{Finding, Misconfig, Report, SecretReport, VerdictFailure};

#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) failures: Vec<VerdictFailure>,
    pub(crate) warnings: Vec<VerdictFailure>,
}

impl Outcome {
    fn fail(&mut self, rule: &str, reason: String) {
        self.failures.push(crate::line(rule, reason));
    }

    fn warn(&mut self, rule: &str, reason: String) {
        self.warnings.push(crate::line(rule, reason));
    }
}

/// The findings that count (`None`: that scanner did not run).
pub(crate) struct Counted<'r> {
    pub(crate) vulnerabilities: Option<Vec<&'r Finding>>,
    pub(crate) secrets: Option<Vec<&'r SecretReport>>,
    pub(crate) misconfigurations: Option<Vec<&'r Misconfig>>,
}

fn kept<'r, T>(items: Option<&'r Vec<T>>, decisions: &[Decision]) -> Option<Vec<&'r T>> {
    items.map(|items| {
        items
            .iter()
            .zip(decisions)
            .filter(|(_, d)| **d == Decision::Keep)
            .map(|(i, _)| i)
            .collect()
    })
}

pub(crate) fn check(
    report: &Report,
    triage: &Triage,
    policy: &Policy,
    ctx: &Context,
    out: &mut Outcome,
) {
    let counted = Counted {
        vulnerabilities: kept(report.vulnerabilities.as_ref(), &triage.vulnerabilities),
        secrets: kept(report.secrets.as_ref(), &triage.secrets),
        misconfigurations: kept(report.misconfigurations.as_ref(), &triage.misconfigurations),
    };
    vulns::check(&counted, policy, ctx, out);
    image::check(report, policy, ctx, out);
    content::check(report, &counted, policy, out);
}

/// `N things` with the right plural.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first few items of a list, then how many more.
fn some_of(items: &[String], shown: usize) -> String {
    let mut out = items
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > shown {
        out.push_str(&format!(" and {} more", items.len() - shown));
    }
    out
}
