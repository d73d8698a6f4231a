//! Policy: turns a [`Report`] into a [`Verdict`], the answer to "may this image ship?".
//!
//! Evaluation is a pure function of the report, the policy and the date it is evaluated
//! on (passed in, so deadlines and expiries are testable), so the CLI gate and the server
//! give the same answer for the same stored report.

use drydock_model::{Report, Severity, Verdict, VerdictFailure};
use serde::Deserialize;

/// What an image must satisfy. The default policy has no rules: every report passes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Fail when any vulnerability is at least this severe.
    #[serde(default)]
    pub fail_on_severity: Option<Severity>,
}

/// The date a policy is evaluated on (`YYYY-MM-DD`), for rules with deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Today(pub String);

/// Evaluates `policy` against `report` as of `today`.
pub fn evaluate(report: &Report, policy: &Policy, _today: &Today) -> Verdict {
    let mut failures = Vec::new();
    if let Some(threshold) = policy.fail_on_severity {
        let over: Vec<&str> = report
            .vulnerabilities
            .iter()
            .flatten()
            .filter(|f| f.severity >= threshold)
            .map(|f| f.id.as_str())
            .collect();
        if !over.is_empty() {
            failures.push(VerdictFailure {
                rule: "fail_on_severity".into(),
                reason: format!(
                    "{} vulnerabilit{} at {threshold} or above (first: {})",
                    over.len(),
                    if over.len() == 1 { "y" } else { "ies" },
                    over[0]
                ),
            });
        }
    }
    Verdict {
        pass: failures.is_empty(),
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drydock_model::{
        Artifact, ArtifactFormat, Finding, PackageKind, REPORT_SCHEMA_VERSION, Status,
    };

    fn finding(id: &str, severity: Severity) -> Finding {
        Finding {
            id: id.into(),
            aliases: Vec::new(),
            advisory_ids: vec![id.into()],
            package: "openssl".into(),
            package_kind: PackageKind::Apk,
            installed_version: "1.1.1d-r2".into(),
            ecosystem: "Alpine:v3.10".into(),
            source_package: None,
            compared_version: None,
            fixed_versions: vec!["1.1.1g-r0".into()],
            status: Status::Fixed,
            severity,
            severity_source: "advisory".into(),
            cvss: None,
            kev: None,
            epss: None,
            layer: None,
            location: "lib/apk/db/installed".into(),
            url: String::new(),
            published: None,
            summary: None,
        }
    }

    fn report(findings: Option<Vec<Finding>>) -> Report {
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            artifact: Artifact {
                input: "img.tar".into(),
                format: ArtifactFormat::DockerArchive,
                manifest_digest: None,
                image_id: None,
                repo_tags: Vec::new(),
                platform: None,
                file_count: 0,
                origin: None,
                signature: None,
            },
            os: None,
            layers: Vec::new(),
            packages: Vec::new(),
            whiteouts: Vec::new(),
            vulnerabilities: findings,
            secrets: None,
            secrets_skipped: None,
            misconfigurations: None,
            not_covered: Vec::new(),
            warnings: Vec::new(),
            verdict: None,
        }
    }

    #[test]
    fn severity_threshold() {
        let today = Today("2026-12-02".into());
        let high = Policy {
            fail_on_severity: Some(Severity::High),
        };
        let cases = [
            (vec![finding("CVE-1", Severity::Medium)], true),
            (
                vec![
                    finding("CVE-1", Severity::Medium),
                    finding("CVE-2", Severity::High),
                ],
                false,
            ),
            (vec![finding("CVE-3", Severity::Critical)], false),
            (vec![finding("CVE-4", Severity::Unknown)], true),
            (Vec::new(), true),
        ];
        for (findings, pass) in cases {
            let v = evaluate(&report(Some(findings.clone())), &high, &today);
            assert_eq!(v.pass, pass, "{findings:?}");
            assert_eq!(v.failures.len(), usize::from(!pass));
        }
        let v = evaluate(
            &report(Some(vec![finding("CVE-2", Severity::High)])),
            &high,
            &today,
        );
        assert_eq!(
            v.failures[0].reason,
            "1 vulnerability at HIGH or above (first: CVE-2)"
        );
        // No rules: everything passes.
        assert!(
            evaluate(
                &report(Some(vec![finding("CVE-3", Severity::Critical)])),
                &Policy::default(),
                &today
            )
            .pass
        );
    }
}
