//! Rules about what the image contains: banned packages and licenses, checks that must
//! pass, and whether everything could be matched at all.

use super::{Counted, Outcome, count, some_of};
use crate::Policy;
use crate::pattern::Glob;
use crate::policy::Coverage;
use crate::purl::Purl;
use drydock_model::{NotCovered, Package, PackageKind, Report};

pub(crate) fn check(report: &Report, counted: &Counted<'_>, policy: &Policy, out: &mut Outcome) {
    if !policy.banned_packages.is_empty() {
        banned_packages(&report.packages, &policy.banned_packages, out);
    }
    if !policy.banned_licenses.is_empty() {
        banned_licenses(&report.packages, &policy.banned_licenses, out);
    }
    if !policy.must_pass.misconfig.is_empty() {
        let rule = "must_pass.misconfig";
        match &counted.misconfigurations {
            None => out.fail(rule, "the misconfiguration scanner did not run".into()),
            Some(found) => {
                let failed: Vec<String> = found
                    .iter()
                    .filter(|m| listed(&policy.must_pass.misconfig, &m.id))
                    .map(|m| format!("{} {} ({})", m.id, m.title, m.message))
                    .collect();
                if !failed.is_empty() {
                    out.fail(
                        rule,
                        format!(
                            "{} failed: {}",
                            count(failed.len(), "check", "checks"),
                            some_of(&failed, 2)
                        ),
                    );
                }
            }
        }
    }
    if !policy.must_pass.secrets.is_empty() {
        let rule = "must_pass.secrets";
        match &counted.secrets {
            None => out.fail(rule, "the secret scanner did not run".into()),
            Some(found) => {
                let failed: Vec<String> = found
                    .iter()
                    .filter(|s| listed(&policy.must_pass.secrets, &s.finding.rule_id))
                    .map(|s| {
                        format!(
                            "{} at /{}:{} (layer {})",
                            s.finding.rule_id,
                            s.finding.path.trim_start_matches('/'),
                            s.finding.line,
                            s.layer.index
                        )
                    })
                    .collect();
                if !failed.is_empty() {
                    out.fail(
                        rule,
                        format!(
                            "{} found: {}",
                            count(failed.len(), "secret", "secrets"),
                            some_of(&failed, 3)
                        ),
                    );
                }
            }
        }
    }
    if let Some(scope) = policy.require_coverage {
        coverage(report, scope, out);
    }
}

/// `*` lists every id.
fn listed(ids: &[String], id: &str) -> bool {
    ids.iter().any(|i| i == "*" || i.eq_ignore_ascii_case(id))
}

enum Ban {
    Purl(Purl),
    Name(Glob),
}

impl Ban {
    fn new(pattern: &str) -> Option<Ban> {
        match Purl::parse(pattern) {
            Some(p) => Some(Ban::Purl(p)),
            None => Glob::new(pattern, false).map(Ban::Name),
        }
    }

    fn bans(&self, p: &Package) -> bool {
        match self {
            Ban::Purl(want) => p
                .purl()
                .and_then(|text| Purl::parse(&text))
                .is_some_and(|own| want.names(&own)),
            Ban::Name(glob) => glob.is_match(&p.name),
        }
    }
}

fn banned_packages(packages: &[Package], patterns: &[String], out: &mut Outcome) {
    let bans: Vec<(&String, Ban)> = patterns
        .iter()
        .filter_map(|p| Ban::new(p).map(|b| (p, b)))
        .collect();
    let found: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let (pattern, _) = bans.iter().find(|(_, b)| b.bans(p))?;
            Some(format!(
                "{} {} at /{} (banned: {pattern})",
                p.name, p.version, p.location
            ))
        })
        .collect();
    if !found.is_empty() {
        out.fail(
            "banned_packages",
            format!(
                "{} installed: {}",
                count(found.len(), "banned package", "banned packages"),
                some_of(&found, 3)
            ),
        );
    }
}

/// The license ids in a declared license: SPDX expressions are split at their
/// operators and parentheses (`(MIT OR GPL-3.0-only)` names two).
fn license_ids(declared: &str) -> impl Iterator<Item = &str> {
    declared
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH" | "and" | "or"))
}

fn banned_licenses(packages: &[Package], patterns: &[String], out: &mut Outcome) {
    let globs: Vec<(&String, Glob)> = patterns
        .iter()
        .filter_map(|p| Glob::new(p, true).map(|g| (p, g)))
        .collect();
    let found: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let id = p
                .licenses
                .iter()
                .flat_map(|l| license_ids(l))
                .find(|id| globs.iter().any(|(_, g)| g.is_match(id)))?;
            Some(format!("{} {} ({id})", p.name, p.version))
        })
        .collect();
    if !found.is_empty() {
        out.fail(
            "banned_licenses",
            format!(
                "{} under a banned license: {}",
                count(found.len(), "package", "packages"),
                some_of(&found, 3)
            ),
        );
    }
}

/// Whether a coverage gap concerns the OS rather than an application ecosystem or a
/// single file: application gaps are named by their OSV ecosystem, files by their path.
fn is_os_gap(n: &NotCovered) -> bool {
    !n.scope.starts_with('/')
        && !PackageKind::ALL
            .iter()
            .filter_map(|k| k.osv_ecosystem())
            .any(|eco| eco == n.scope)
}

fn coverage(report: &Report, scope: Coverage, out: &mut Outcome) {
    let rule = "require_coverage";
    if report.vulnerabilities.is_none() {
        out.fail(
            rule,
            "the vulnerability scanner did not run, so nothing was matched".into(),
        );
        return;
    }
    let gaps: Vec<String> = report
        .not_covered
        .iter()
        .filter(|n| scope == Coverage::All || is_os_gap(n))
        .map(|n| format!("{}: {}", n.scope, n.reason))
        .collect();
    if !gaps.is_empty() {
        let what = match scope {
            Coverage::Os => "OS packages not fully covered",
            Coverage::All => "not everything covered",
        };
        out.fail(rule, format!("{what}: {}", some_of(&gaps, 2)));
    }
}
