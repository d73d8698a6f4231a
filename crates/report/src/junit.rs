//! JUnit XML, for the test views of CI systems (GitLab, Jenkins, Azure DevOps).
//!
//! One `<testsuite>` per scanner that ran, with one failing `<testcase>` per finding (a
//! reported finding is a failure: passing cases for "everything else" would be invented);
//! and, when a policy was evaluated, a `policy` suite with one case per gate rule, so the
//! CI's test view says which rule stopped the pipeline and why.

use crate::markup::{push_escaped, push_escaped_attr};
use drydock_model::{Report, Verdict};
use std::fmt::Write as _;

/// One test case: passing when `failure` is `None`.
struct Case {
    classname: String,
    name: String,
    failure: Option<Failure>,
}

struct Failure {
    /// The `type` attribute: a severity, or `policy`.
    kind: String,
    message: String,
    detail: String,
}

struct Suite {
    name: &'static str,
    cases: Vec<Case>,
    /// Lines for `<system-out>`: what the suite could not check.
    notes: Vec<String>,
}

pub(crate) fn render(report: &Report) -> String {
    let suites = suites(report);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(failure_count).sum();
    let mut out = String::with_capacity(256 + tests * 384);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"drydock\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in &suites {
        write_suite(&mut out, suite, &report.artifact.input);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suites(report: &Report) -> Vec<Suite> {
    let mut suites = Vec::new();
    if let Some(vulns) = &report.vulnerabilities {
        let cases = vulns
            .iter()
            .map(|f| {
                let fix = match f.fixed_versions.first() {
                    Some(v) => format!("fixed in {v}"),
                    None => "no fixed version published yet".to_owned(),
                };
                let mut detail = format!(
                    "{} {} ({}, {})\n{} {}: {fix}\n",
                    f.package,
                    f.installed_version,
                    f.package_kind.as_str(),
                    f.location,
                    f.id,
                    f.severity
                );
                if let Some(s) = &f.summary {
                    let _ = writeln!(detail, "{s}");
                }
                if let Some(kev) = &f.kev {
                    let _ = writeln!(detail, "known exploited: CISA KEV since {}", kev.date_added);
                }
                if !f.url.is_empty() {
                    let _ = writeln!(detail, "{}", f.url);
                }
                Case {
                    classname: format!("{}@{}", f.package, f.installed_version),
                    name: format!("[{}] {}", f.severity, f.id),
                    failure: Some(Failure {
                        kind: f.severity.as_str().to_owned(),
                        message: format!(
                            "{} {} is affected by {}: {fix}",
                            f.package, f.installed_version, f.id
                        ),
                        detail,
                    }),
                }
            })
            .collect();
        let notes = report
            .not_covered
            .iter()
            .map(|n| format!("{} {}: {}", n.label(), n.scope, n.reason))
            .collect();
        suites.push(Suite {
            name: "vulnerabilities",
            cases,
            notes,
        });
    }
    if let Some(secrets) = &report.secrets {
        let cases = secrets
            .iter()
            .map(|s| {
                let f = &s.finding;
                let path = format!("/{}", f.path.trim_start_matches('/'));
                let mut detail =
                    format!("{path}:{}: {}\nlayer {}", f.line, f.masked, s.layer.index);
                if !s.in_final_filesystem {
                    detail.push_str(" (deleted by a later layer, still shipped in this one)");
                }
                Case {
                    classname: path.clone(),
                    name: format!("[{}] {} line {}", f.severity, f.rule_id, f.line),
                    failure: Some(Failure {
                        kind: f.severity.as_str().to_owned(),
                        message: format!("{} in {path}:{}", f.title, f.line),
                        detail,
                    }),
                }
            })
            .collect();
        suites.push(Suite {
            name: "secrets",
            cases,
            notes: Vec::new(),
        });
    }
    if let Some(misconfigs) = &report.misconfigurations {
        let cases = misconfigs
            .iter()
            .map(|m| Case {
                classname: m.path.as_ref().map_or_else(
                    || "image config".to_owned(),
                    |p| format!("/{}", p.trim_start_matches('/')),
                ),
                name: format!("[{}] {} {}", m.severity, m.id, m.title),
                failure: Some(Failure {
                    kind: m.severity.as_str().to_owned(),
                    message: m.message.clone(),
                    detail: format!("{}\nremediation: {}", m.message, m.remediation),
                }),
            })
            .collect();
        suites.push(Suite {
            name: "misconfigurations",
            cases,
            notes: Vec::new(),
        });
    }
    if let Some(verdict) = &report.verdict {
        suites.push(policy_suite(verdict));
    }
    suites
}

/// One case per failed rule. The verdict lists only the rules that failed, so a passing
/// policy is one passing case rather than a list of rules this format cannot know.
fn policy_suite(verdict: &Verdict) -> Suite {
    let mut cases: Vec<Case> = verdict
        .failures
        .iter()
        .map(|f| Case {
            classname: "policy".to_owned(),
            name: f.rule.clone(),
            failure: Some(Failure {
                kind: "policy".to_owned(),
                message: f.reason.clone(),
                detail: format!("{}: {}", f.rule, f.reason),
            }),
        })
        .collect();
    if cases.is_empty() && verdict.pass {
        cases.push(Case {
            classname: "policy".to_owned(),
            name: "verdict".to_owned(),
            failure: None,
        });
    }
    Suite {
        name: "policy",
        cases,
        notes: Vec::new(),
    }
}

fn failure_count(suite: &Suite) -> usize {
    suite.cases.iter().filter(|c| c.failure.is_some()).count()
}

fn write_suite(out: &mut String, suite: &Suite, artifact: &str) {
    let _ = write!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n    <properties>\n      <property name=\"artifact\" value=\"",
        suite.name,
        suite.cases.len(),
        failure_count(suite)
    );
    push_escaped_attr(out, artifact);
    out.push_str("\"/>\n    </properties>\n");
    for case in &suite.cases {
        out.push_str("    <testcase classname=\"");
        push_escaped_attr(out, &case.classname);
        out.push_str("\" name=\"");
        push_escaped_attr(out, &case.name);
        match &case.failure {
            None => out.push_str("\"/>\n"),
            Some(f) => {
                out.push_str("\">\n      <failure type=\"");
                push_escaped_attr(out, &f.kind);
                out.push_str("\" message=\"");
                push_escaped_attr(out, &f.message);
                out.push_str("\">");
                push_escaped(out, &f.detail);
                out.push_str("</failure>\n    </testcase>\n");
            }
        }
    }
    if !suite.notes.is_empty() {
        out.push_str("    <system-out>");
        push_escaped(out, &suite.notes.join("\n"));
        out.push_str("</system-out>\n");
    }
    out.push_str("  </testsuite>\n");
}

#[cfg(test)]
mod tests {
    use crate::Format;
    use crate::fixture::{HOSTILE, rendered, report};
    use drydock_model::Verdict;

    #[test]
    fn a_suite_per_scanner_and_the_policy() {
        let xml = rendered(&report(), Format::Junit);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        // 3 vulnerabilities + 1 secret + 1 misconfiguration + 1 failed rule.
        assert!(
            xml.contains("<testsuites name=\"drydock\" tests=\"6\" failures=\"6\" errors=\"0\">")
        );
        for (suite, n) in [
            ("vulnerabilities", 3),
            ("secrets", 1),
            ("misconfigurations", 1),
            ("policy", 1),
        ] {
            let open = format!("<testsuite name=\"{suite}\" tests=\"{n}\" failures=\"{n}\"");
            assert!(xml.contains(&open), "{open}\n{xml}");
        }
        assert!(xml.contains("<testcase classname=\"policy\" name=\"fail_on_severity\">"));
        assert!(
            xml.contains("message=\"2 vulnerabilities at HIGH or above (first: CVE-2024-0001)\"")
        );
        assert!(xml.contains(
            "<system-out>NOT COVERED os-packages: no package database found</system-out>"
        ));
    }

    #[test]
    fn a_passing_policy_is_one_passing_case() {
        let mut r = report();
        r.verdict = Some(Verdict {
            pass: true,
            failures: Vec::new(),
            warnings: Vec::new(),
            evaluated_on: None,
        });
        let xml = rendered(&r, Format::Junit);
        assert!(xml.contains("<testsuite name=\"policy\" tests=\"1\" failures=\"0\""));
        assert!(xml.contains("<testcase classname=\"policy\" name=\"verdict\"/>"));
    }

    #[test]
    fn names_from_the_image_are_escaped() {
        let xml = rendered(&report(), Format::Junit);
        assert!(!xml.contains(HOSTILE));
        assert!(xml.contains("classname=\"&lt;script&gt;alert(1)&lt;/script&gt;@1.0.0\""));
    }
}
