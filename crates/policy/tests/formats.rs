//! The input formats, on the examples their own documentation publishes: OpenVEX and
//! CycloneDX VEX (vendored in `testdata/vex`, see SOURCES.md), `.trivyignore` and
//! `.trivyignore.yaml` (modelled on Trivy's filtering docs), and the policy file.

use drydock_model::{
    Artifact, ArtifactFormat, Finding, Package, PackageKind, REPORT_SCHEMA_VERSION, Report,
    Severity, Status, SuppressedBy,
};
use drydock_policy::{Context, Date, Policy, VexStatus, load, parse_trivyignore};
use std::path::{Path, PathBuf};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// A report holding one installed package and one finding in it.
fn report_with(kind: PackageKind, name: &str, version: &str, purl: &str, cve: &str) -> Report {
    let mut package = Package::app(kind, name, version, "lib/apk/db/installed");
    package.purl = Some(purl.into());
    let finding = Finding {
        id: cve.into(),
        aliases: Vec::new(),
        advisory_ids: vec![cve.into()],
        package: name.into(),
        package_kind: kind,
        installed_version: version.into(),
        ecosystem: "Wolfi".into(),
        source_package: None,
        compared_version: None,
        fixed_versions: Vec::new(),
        status: Status::Affected,
        severity: Severity::High,
        severity_source: "advisory".into(),
        cvss: None,
        kev: None,
        epss: None,
        layer: None,
        location: "lib/apk/db/installed".into(),
        url: String::new(),
        published: None,
        summary: None,
        due: None,
        first_seen: None,
        vendor_severity: None,
        risk: None,
    };
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact: Artifact {
            input: "img".into(),
            format: ArtifactFormat::OciLayout,
            manifest_digest: None,
            image_id: None,
            repo_tags: Vec::new(),
            platform: None,
            file_count: 0,
            created: None,
            labels: Default::default(),
            base_image: None,
            origin: None,
            signature: None,
        },
        os: None,
        layers: Vec::new(),
        packages: vec![package],
        whiteouts: Vec::new(),
        vulnerabilities: Some(vec![finding]),
        remediation: None,
        secrets: None,
        secrets_skipped: None,
        misconfigurations: None,
        not_covered: Vec::new(),
        warnings: Vec::new(),
        verdict: None,
        suppressed: Vec::new(),
        filtered: None,
        skipped_by_request: Vec::new(),
    }
}

fn with_vex(files: &[&str]) -> Context {
    let mut ctx = Context::new(date("2026-12-02"));
    for f in files {
        let doc = load::read_vex(&testdata(&format!("vex/{f}"))).expect("vex");
        ctx.vex.statements.extend(doc.statements);
        ctx.vex.rejected.extend(doc.rejected);
    }
    ctx
}

fn wolfi_git(version: &str, arch: &str) -> Report {
    report_with(
        PackageKind::Apk,
        "git",
        version,
        &format!("pkg:apk/wolfi/git@{version}?arch={arch}"),
        "CVE-2023-12345",
    )
}

/// The spec's minimal document: `fixed` for git 2.39.0-r1 on armv7 and x86_64.
#[test]
fn openvex_minimal_example_suppresses_the_named_package_only() {
    let ctx = with_vex(&["openvex-spec-minimal.json"]);
    let policy = Policy::default();
    let out = drydock_policy::apply(wolfi_git("2.39.0-r1", "x86_64"), &policy, &ctx);
    assert_eq!(out.vulnerabilities.as_deref().map(<[_]>::len), Some(0));
    let s = &out.suppressed[0];
    assert_eq!(s.by, SuppressedBy::Vex);
    assert_eq!(s.reason, "VEX fixed");
    assert!(s.source.contains("vex-9fb3463de1b57"), "{}", s.source);
    // Another architecture, another version: not what the statement names.
    for other in [
        wolfi_git("2.39.0-r1", "aarch64"),
        wolfi_git("2.40.0-r0", "x86_64"),
    ] {
        let out = drydock_policy::apply(other, &policy, &ctx);
        assert!(out.suppressed.is_empty());
        assert_eq!(out.vulnerabilities.as_deref().map(<[_]>::len), Some(1));
    }
}

/// "Updating Statements": the first document says under_investigation (no effect); the
/// second adds a later `fixed` (inheriting the newer document timestamp), which wins.
#[test]
fn openvex_update_example_latest_statement_wins() {
    let armv7 = || wolfi_git("2.39.0-r1", "armv7");
    let before = with_vex(&["openvex-spec-update-before.json"]);
    let out = drydock_policy::apply(armv7(), &Policy::default(), &before);
    assert!(
        out.suppressed.is_empty(),
        "under_investigation suppresses nothing"
    );
    let after = with_vex(&["openvex-spec-update-after.json"]);
    assert_eq!(after.vex.statements.len(), 2);
    let out = drydock_policy::apply(armv7(), &Policy::default(), &after);
    assert_eq!(out.suppressed.len(), 1);
    assert_eq!(out.suppressed[0].reason, "VEX fixed");
}

/// The spec's Spring Boot example: not_affected with a justification and an impact
/// statement, product named by purl; both are shown as the reason.
#[test]
fn openvex_spring_example_reason_carries_justification_and_statement() {
    let ctx = with_vex(&["openvex-spec-spring.json"]);
    let s = &ctx.vex.statements[0];
    assert_eq!(s.vulnerability, "CVE-2021-44228");
    assert_eq!(s.aliases, ["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(s.status, VexStatus::NotAffected);
    let report = report_with(
        PackageKind::Maven,
        "org.springframework.boot:spring-boot",
        "2.6.0-M3",
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3",
        "GHSA-jfh8-c2jp-5v3q",
    );
    let out = drydock_policy::apply(report, &Policy::default(), &ctx);
    let reason = &out.suppressed[0].reason;
    assert!(
        reason.starts_with(
            "VEX not_affected: vulnerable_code_not_in_execute_path — Spring Boot users"
        ),
        "{reason}"
    );
}

/// CycloneDX's VEX example names jackson-databind 2.10.0 by a BOM-Link whose fragment
/// is the purl; Use Case 1 names only the product (no purl: matches no package here);
/// Use Case 2 says exploitable (suppresses nothing).
#[test]
fn cyclonedx_examples() {
    let jackson = |v: &str| {
        report_with(
            PackageKind::Maven,
            "com.fasterxml.jackson.core:jackson-databind",
            v,
            &format!("pkg:maven/com.fasterxml.jackson.core/jackson-databind@{v}?type=jar"),
            "CVE-2020-25649",
        )
    };
    let ctx = with_vex(&["cyclonedx-vex.json"]);
    let out = drydock_policy::apply(jackson("2.10.0"), &Policy::default(), &ctx);
    assert_eq!(out.suppressed.len(), 1);
    assert!(
        out.suppressed[0]
            .reason
            .starts_with("VEX not_affected: code_not_reachable — Automated dataflow analysis"),
        "{}",
        out.suppressed[0].reason
    );
    assert!(
        drydock_policy::apply(jackson("2.14.0"), &Policy::default(), &ctx)
            .suppressed
            .is_empty()
    );
    for case in ["cyclonedx-case-1.json", "cyclonedx-case-2.json"] {
        let out = drydock_policy::apply(jackson("2.10.0"), &Policy::default(), &with_vex(&[case]));
        assert!(out.suppressed.is_empty(), "{case}");
    }
}

#[test]
fn not_a_vex_document_is_an_error() {
    let tmp = tempfile_path("not-vex.json", r#"{"hello": "world"}"#);
    let err = load::read_vex(&tmp).expect_err("not VEX");
    assert!(
        err.contains("not-vex.json") && err.contains("neither an OpenVEX"),
        "{err}"
    );
}

fn tempfile_path(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write");
    path
}

/// A `.trivyignore` modelled on Trivy's filtering documentation: comments, ids, and
/// `exp:` dates after which the entry no longer applies.
#[test]
fn trivyignore_example() {
    let text = "# Accept the risk\nCVE-2018-14618\n\n# Accept the risk until 2023-01-01\nCVE-2019-14697 exp:2023-01-01\n\n# No impact in our settings\nCVE-2019-1543\n\n# Ignore misconfigurations\nAVD-DS-0002\n\n# Ignore secrets\ngeneric-unwanted-rule\naws-account-id\n";
    let ignores = parse_trivyignore(text, ".trivyignore").expect("parse");
    let ids: Vec<&str> = ignores.iter().filter_map(|i| i.id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            "CVE-2018-14618",
            "CVE-2019-14697",
            "CVE-2019-1543",
            "AVD-DS-0002",
            "generic-unwanted-rule",
            "aws-account-id"
        ]
    );
    assert_eq!(ignores[0].reason, "Accept the risk");
    assert_eq!(ignores[1].expires, Some(date("2023-01-01")));
    assert!(ignores[1].active_on(date("2022-12-31")));
    assert!(!ignores[1].active_on(date("2023-01-01")));
    assert!(
        ignores[0].active_on(date("2099-01-01")),
        "no exp: never expires"
    );
    let err = parse_trivyignore("CVE-1 exp:2023-13-01\n", "f").expect_err("bad date");
    assert!(err.contains("line 1"), "{err}");
}

/// A `.trivyignore.yaml` modelled on Trivy's documentation: per-section lists with paths, purls,
/// statements and `expired_at`.
#[test]
fn trivyignore_yaml_example() {
    let text = r#"
vulnerabilities:
  - id: CVE-2022-40897
    paths:
      - "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"
    statement: Accept the risk
  - id: CVE-2023-2650
  - id: CVE-2023-3446
    expired_at: 2023-09-01
  - id: CVE-2023-3817
    purls:
      - "pkg:deb/debian/libssl3@3.0.9-1"
misconfigurations:
  - id: AVD-DS-0001
  - id: AVD-DS-0002
    paths:
      - "docs/Dockerfile"
    statement: The image needs root privileges
secrets:
  - id: aws-access-key-id
  - id: aws-secret-access-key
    paths:
      - "foo/bar/aws.secret"
licenses:
  - id: GPL-3.0
    paths:
      - "usr/share/gcc/python/libstdcxx/v6/__init__.py"
"#;
    let ignores = drydock_policy::parse_ignore_yaml(text, ".trivyignore.yaml").expect("parse");
    assert_eq!(ignores.len(), 8);
    assert_eq!(ignores[0].reason, "Accept the risk");
    assert_eq!(
        ignores[0].path.as_deref(),
        Some("usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA")
    );
    assert_eq!(ignores[2].expires, Some(date("2023-09-01")));
    assert_eq!(
        ignores[3].package.as_deref(),
        Some("pkg:deb/debian/libssl3@3.0.9-1")
    );
    assert_eq!(
        ignores[5].section,
        Some(drydock_policy::Section::Misconfigurations)
    );
}

/// drydock's own ignore entries must say why and until when.
#[test]
fn own_ignores_require_reason_and_expiry() {
    let ok =
        "ignores:\n  - id: CVE-2021-3450\n    reason: not reachable\n    expires: 2027-01-31\n";
    let parsed = drydock_policy::parse_ignore_yaml(ok, "x.yaml").expect("valid");
    assert_eq!(parsed[0].expires, Some(date("2027-01-31")));
    for (bad, needle) in [
        (
            "ignores:\n  - id: CVE-1\n    expires: 2027-01-31\n",
            "reason",
        ),
        ("ignores:\n  - id: CVE-1\n    reason: r\n", "expires"),
        (
            "ignores:\n  - reason: r\n    expires: 2027-01-31\n",
            "needs an `id`",
        ),
        (
            "ignores:\n  - id: CVE-1\n    reason: r\n    expires: soon\n",
            "not a date",
        ),
        (
            "ignores:\n  - id: CVE-1\n    reson: r\n    expires: 2027-01-31\n",
            "reson",
        ),
    ] {
        let err = drydock_policy::parse_ignore_yaml(bad, "x.yaml").expect_err(bad);
        assert!(err.contains(needle), "{bad}: {err}");
    }
}

/// The policy reference example in the README parses into the rules it describes.
#[test]
fn readme_policy_example_parses() {
    let readme = std::fs::read_to_string(testdata("../README.md")).expect("README");
    let start = readme
        .find("```yaml\n# drydock.yaml")
        .expect("policy example in README")
        + 8;
    let end = start + readme[start..].find("```").expect("end of example");
    let path = tempfile_path("drydock.yaml", &readme[start..end]);
    let policy = load::read_policy(&path).unwrap_or_else(|e| panic!("README example: {e}"));
    assert_eq!(policy.fail_on_severity, Some(Severity::Critical));
    assert!(policy.fail_on_kev);
    assert_eq!(policy.sla.get(&Severity::High), Some(&30));
    assert!(!policy.ignores.is_empty() && policy.ignores.iter().all(|i| i.expires.is_some()));
    assert_eq!(policy.require_coverage, Some(drydock_policy::Coverage::Os));
}

#[test]
fn policy_file_errors_name_the_file_and_the_key() {
    for (text, needle) in [
        ("fail_on_severity: SEVERE\n", "unknown severity 'SEVERE'"),
        ("fail_on_sevrity: HIGH\n", "fail_on_sevrity"),
        ("fail_on_epss: 3\n", "not a probability"),
        ("require_coverage: most\n", "most"),
        ("sla:\n  HIGH: soon\n", "sla"),
    ] {
        let path = tempfile_path("bad-policy.yaml", text);
        let err = load::read_policy(&path).expect_err(text);
        assert!(
            err.contains("bad-policy.yaml") && err.contains(needle),
            "{text}: {err}"
        );
    }
}

/// A baseline report dates its findings by their own `first_seen`, else by the date its
/// verdict was evaluated on, else by the fallback (the file's modification date).
#[test]
fn baseline_dating_order() {
    let old = wolfi_git("2.39.0-r1", "x86_64");
    let mut ctx = Context::new(date("2025-06-01"));
    let first_seen = |ctx: &Context| {
        let out = drydock_policy::apply(wolfi_git("2.39.0-r1", "x86_64"), &Policy::default(), ctx);
        out.vulnerabilities.expect("vulns")[0].first_seen.clone()
    };
    ctx.baseline = Some(drydock_policy::Baseline::from_report(
        &old,
        date("2025-03-01"),
    ));
    assert_eq!(first_seen(&ctx).as_deref(), Some("2025-03-01"));
    let mut evaluated = old.clone();
    evaluated.verdict = Some(drydock_policy::evaluate(
        &old,
        &Policy::default(),
        &Context::new(date("2025-02-01")),
    ));
    ctx.baseline = Some(drydock_policy::Baseline::from_report(
        &evaluated,
        date("2025-03-01"),
    ));
    assert_eq!(first_seen(&ctx).as_deref(), Some("2025-02-01"));
    let mut carried = evaluated.clone();
    carried.vulnerabilities.as_mut().expect("vulns")[0].first_seen = Some("2024-12-31".into());
    ctx.baseline = Some(drydock_policy::Baseline::from_report(
        &carried,
        date("2025-03-01"),
    ));
    assert_eq!(first_seen(&ctx).as_deref(), Some("2024-12-31"));
    // Not in the baseline: first seen today.
    ctx.baseline = Some(drydock_policy::Baseline::default());
    assert_eq!(first_seen(&ctx).as_deref(), Some("2025-06-01"));
}
