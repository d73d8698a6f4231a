//! A small hand-written report for the renderers' unit tests: every kind of finding, a
//! verdict, and strings that are hostile to each markup format.

use drydock_model::{
    Artifact, ArtifactFormat, CvssScore, Finding, KevEntry, LayerRef, Misconfig, NotCovered,
    Package, PackageKind, REPORT_SCHEMA_VERSION, Report, SecretFinding, SecretReport, Severity,
    Status, Verdict, VerdictFailure,
};

/// A package name that is also markup.
pub(crate) const HOSTILE: &str = "<script>alert(1)</script>";

fn layer(index: usize) -> LayerRef {
    LayerRef {
        index,
        digest: format!("sha256:{index:064x}"),
        created_by: None,
    }
}

pub(crate) fn finding(id: &str, package: &str, severity: Severity) -> Finding {
    Finding {
        id: id.into(),
        aliases: vec![format!("GHSA-{id}")],
        advisory_ids: vec![id.into()],
        package: package.into(),
        package_kind: PackageKind::Npm,
        installed_version: "1.0.0".into(),
        ecosystem: "npm".into(),
        source_package: None,
        compared_version: None,
        fixed_versions: vec!["1.0.1".into()],
        status: Status::Fixed,
        severity,
        severity_source: "advisory".into(),
        cvss: None,
        kev: None,
        epss: None,
        layer: Some(layer(1).into()),
        location: "app/node_modules/x/package.json".into(),
        url: format!("https://osv.dev/vulnerability/{id}"),
        published: None,
        summary: None,
        due: None,
        first_seen: None,
        vendor_severity: None,
        risk: None,
    }
}

pub(crate) fn report() -> Report {
    let mut critical = finding("CVE-2024-0001", "lodash", Severity::Critical);
    critical.cvss = Some(CvssScore {
        score: 9.8,
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        source: "advisory".into(),
    });
    critical.kev = Some(KevEntry {
        cve: "CVE-2024-0001".into(),
        date_added: "2024-03-01".into(),
        due_date: None,
    });
    critical.summary = Some("Prototype pollution & <b>worse</b>".into());
    let mut same_id = critical.clone();
    same_id.package = "lodash-es".into();
    let mut hostile = finding("CVE-2024-0002", HOSTILE, Severity::Medium);
    hostile.url = "javascript:alert(2)".into();
    hostile.status = Status::Affected;
    hostile.fixed_versions.clear();
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact: Artifact {
            input: "images/app image.tar:1.0".into(),
            format: ArtifactFormat::DockerArchive,
            manifest_digest: None,
            image_id: Some(format!("sha256:{:064x}", 7)),
            repo_tags: vec!["app:1.0".into()],
            platform: None,
            file_count: 3,
            created: None,
            labels: Default::default(),
            base_image: None,
            origin: None,
            signature: None,
        },
        os: None,
        layers: Vec::new(),
        packages: vec![Package::app(
            PackageKind::Npm,
            HOSTILE,
            "1.0.0",
            "app/node_modules/x/package.json",
        )],
        whiteouts: Vec::new(),
        vulnerabilities: Some(vec![critical, same_id, hostile]),
        remediation: None,
        secrets: Some(vec![SecretReport {
            finding: SecretFinding {
                rule_id: "aws-access-key-id".into(),
                title: "AWS access key ID".into(),
                severity: Severity::Critical,
                path: "app/.env".into(),
                line: 3,
                column: Some(19),
                masked: "AKIA****************".into(),
                match_len: 20,
                context: None,
                confidence: Default::default(),
                reason: "format match".into(),
            },
            layer: layer(2),
            in_final_filesystem: false,
        }]),
        secrets_skipped: None,
        misconfigurations: Some(vec![Misconfig {
            id: "DD-CFG-001".into(),
            title: "Image runs as root".into(),
            severity: Severity::High,
            message: "config User is (unset): the container runs as UID 0".into(),
            remediation: "Set `USER <name>` in the Dockerfile.".into(),
            path: None,
            layer_index: None,
            cis: None,
        }]),
        not_covered: vec![NotCovered::new("os-packages", "no package database found")],
        suppressed: Vec::new(),
        filtered: None,
        skipped_by_request: Vec::new(),
        warnings: Vec::new(),
        verdict: Some(Verdict {
            pass: false,
            failures: vec![VerdictFailure {
                rule: "fail_on_severity".into(),
                reason: "2 vulnerabilities at HIGH or above (first: CVE-2024-0001)".into(),
            }],
            warnings: Vec::new(),
            evaluated_on: None,
        }),
    }
}

/// Renders `report` as `format` to a string.
pub(crate) fn rendered(report: &Report, format: crate::Format) -> String {
    let mut out = Vec::new();
    crate::render(report, format, &crate::RenderOptions::default(), &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}
