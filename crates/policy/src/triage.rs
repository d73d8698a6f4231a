//! Which findings count: the report filters (`severity`, `ignore_unfixed`, `pkg_types`)
//! leave some out, then ignores and VEX statements suppress some of the rest (with a
//! reason). Both the verdict and the rewritten report are built from one triage.

use crate::ignore::Compiled;
use crate::policy::PkgType;
use crate::purl::Purl;
use crate::vex::{self, ArtifactIds};
use crate::{Context, Policy};
use drydock_model::{
    Filtered, Finding, PackageKind, Report, Severity, Status, SuppressedBy, VerdictFailure,
};
use std::collections::HashMap;

/// What happens to one finding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    Keep,
    /// Left out by a report filter.
    Filter,
    Suppress(Suppression),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suppression {
    pub(crate) by: SuppressedBy,
    pub(crate) reason: String,
    pub(crate) source: String,
    pub(crate) expires: Option<String>,
}

/// One decision per entry of each report section, in report order.
pub(crate) struct Triage {
    pub(crate) vulnerabilities: Vec<Decision>,
    pub(crate) secrets: Vec<Decision>,
    pub(crate) misconfigurations: Vec<Decision>,
    /// Expired ignores and unusable VEX statements.
    pub(crate) warnings: Vec<VerdictFailure>,
}

impl Triage {
    /// The filter summary for the report, when any filter is set.
    pub(crate) fn filtered(&self, policy: &Policy) -> Option<Filtered> {
        let set =
            !policy.severity.is_empty() || policy.ignore_unfixed || !policy.pkg_types.is_empty();
        let count = |d: &[Decision]| d.iter().filter(|d| **d == Decision::Filter).count();
        set.then(|| Filtered {
            severities: policy.severity.clone(),
            ignore_unfixed: policy.ignore_unfixed,
            pkg_types: policy
                .pkg_types
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            vulnerabilities: count(&self.vulnerabilities),
            secrets: count(&self.secrets),
            misconfigurations: count(&self.misconfigurations),
        })
    }
}

fn severity_shown(policy: &Policy, s: Severity) -> bool {
    policy.severity.is_empty() || policy.severity.contains(&s)
}

fn kind_shown(policy: &Policy, kind: PackageKind) -> bool {
    let ty = if kind.is_os() {
        PkgType::Os
    } else {
        PkgType::Library
    };
    policy.pkg_types.is_empty() || policy.pkg_types.contains(&ty)
}

/// Package purls by (kind, name, version, location): the package identity a finding
/// keeps, so a finding's purl is its package's.
pub(crate) struct Purls<'r>(HashMap<(PackageKind, &'r str, &'r str, &'r str), Purl>);

impl<'r> Purls<'r> {
    pub(crate) fn new(report: &'r Report) -> Purls<'r> {
        Purls(
            report
                .packages
                .iter()
                .filter_map(|p| {
                    let purl = Purl::parse(&p.purl()?)?;
                    Some(((p.kind, &*p.name, &*p.version, &*p.location), purl))
                })
                .collect(),
        )
    }

    pub(crate) fn of(&self, f: &'r Finding) -> Option<&Purl> {
        self.0.get(&(
            f.package_kind,
            f.package.as_str(),
            f.installed_version.as_str(),
            f.location.as_str(),
        ))
    }
}

fn ignored(c: &Compiled<'_>) -> Decision {
    Decision::Suppress(Suppression {
        by: SuppressedBy::Ignore,
        reason: c.ignore.reason.clone(),
        source: c.ignore.source.clone(),
        expires: c.ignore.expires.map(|d| d.to_string()),
    })
}

pub(crate) fn triage(report: &Report, policy: &Policy, ctx: &Context) -> Triage {
    let all: Vec<&crate::Ignore> = policy.ignores.iter().chain(&ctx.ignores).collect();
    let (active, expired): (Vec<_>, Vec<_>) = all.into_iter().partition(|i| i.active_on(ctx.today));
    let active: Vec<Compiled<'_>> = active.into_iter().map(Compiled::new).collect();
    let purls = Purls::new(report);
    let image = ArtifactIds::new(&report.artifact);

    let vulnerabilities: Vec<Decision> = report
        .vulnerabilities
        .iter()
        .flatten()
        .map(|f| {
            if !severity_shown(policy, f.severity)
                || (policy.ignore_unfixed && f.status != Status::Fixed)
                || !kind_shown(policy, f.package_kind)
            {
                return Decision::Filter;
            }
            let purl = purls.of(f);
            if let Some(c) = active.iter().find(|c| c.vulnerability(f, purl)) {
                return ignored(c);
            }
            match vex::deciding(&ctx.vex.statements, f, purl, &image) {
                Some(s) => Decision::Suppress(Suppression {
                    by: SuppressedBy::Vex,
                    reason: s.reason(),
                    source: s.source.clone(),
                    expires: None,
                }),
                None => Decision::Keep,
            }
        })
        .collect();
    let secrets = report
        .secrets
        .iter()
        .flatten()
        .map(|s| {
            if !severity_shown(policy, s.finding.severity) {
                return Decision::Filter;
            }
            active
                .iter()
                .find(|c| c.secret(s))
                .map_or(Decision::Keep, ignored)
        })
        .collect();
    let misconfigurations = report
        .misconfigurations
        .iter()
        .flatten()
        .map(|m| {
            if !severity_shown(policy, m.severity) {
                return Decision::Filter;
            }
            active
                .iter()
                .find(|c| c.misconfig(m))
                .map_or(Decision::Keep, ignored)
        })
        .collect();

    let mut warnings: Vec<VerdictFailure> = expired
        .iter()
        .map(|i| {
            let hits = expired_hits(report, i, &purls);
            VerdictFailure {
                rule: "ignores".into(),
                reason: format!(
                    "ignore of {} expired on {} ({}; {}): {}",
                    i.describe(),
                    i.expires.map(|d| d.to_string()).unwrap_or_default(),
                    i.reason,
                    i.source,
                    match hits {
                        0 => "it matches nothing now".to_owned(),
                        1 => "1 finding counts again".to_owned(),
                        n => format!("{n} findings count again"),
                    }
                ),
            }
        })
        .collect();
    warnings.extend(ctx.vex.rejected.iter().map(|r| VerdictFailure {
        rule: "vex".into(),
        reason: r.clone(),
    }));
    Triage {
        vulnerabilities,
        secrets,
        misconfigurations,
        warnings,
    }
}

/// Findings an expired ignore would still match.
fn expired_hits(report: &Report, ignore: &crate::Ignore, purls: &Purls<'_>) -> usize {
    let c = Compiled::new(ignore);
    report
        .vulnerabilities
        .iter()
        .flatten()
        .filter(|f| c.vulnerability(f, purls.of(f)))
        .count()
        + report
            .secrets
            .iter()
            .flatten()
            .filter(|s| c.secret(s))
            .count()
        + report
            .misconfigurations
            .iter()
            .flatten()
            .filter(|m| c.misconfig(m))
            .count()
}
