//! Severity, CVSS and exploitability on findings: ratings from the records' vectors, from
//! the CVE feeds (KEV, EPSS, CVSS) joined at update time, and the CVSS calculator checked
//! against published scores. DB and expectations as in matching.rs.

mod support;

use std::path::Path;

use drydock_matcher::{match_packages, v3_base_score};
use drydock_model::{PackageKind, Severity};
use support::*;

#[test]
fn kev_epss_and_severity_from_cve_feeds() {
    // GO-2023-2102 (stdlib): SEMVER [0, 1.20.10) and [1.21.0-0, 1.21.3); aliases
    // CVE-2023-39325, related CVE-2023-44487, which is in KEV (added 2023-10-10, due
    // 2023-10-31), EPSS 0.99999, CVSS 7.5 (CISA-ADP). The record has no severity.
    let r = match_packages(db(), None, &[app(PackageKind::Go, "stdlib", "1.21.1")]).expect("m");
    let f = find(&r, "stdlib", "CVE-2023-39325");
    assert_eq!(f.advisory_ids, ["GO-2023-2102"]);
    assert_eq!(f.fixed_versions, ["1.21.3"]);
    let kev = f.kev.as_ref().expect("kev");
    assert_eq!(
        (
            kev.cve.as_str(),
            kev.date_added.as_str(),
            kev.due_date.as_deref()
        ),
        ("CVE-2023-44487", "2023-10-10", Some("2023-10-31"))
    );
    assert_eq!(f.epss.expect("epss").score, 0.99999);
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.severity_source, "cve-cvss");
    let c = f.cvss.as_ref().expect("cvss");
    assert_eq!((c.score, c.source.as_str()), (7.5, "CISA-ADP"));
}

#[test]
fn severity_from_record_vector() {
    // NSWG-ECO-100 (uri-js <= 2.1.1): CVSS_V3 CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H,
    // which the CVSS 3.0 calculator scores 7.5 (HIGH).
    let r = match_packages(db(), None, &[app(PackageKind::Npm, "uri-js", "2.1.1")]).expect("m");
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.severity_source, "advisory-cvss");
    assert_eq!(f.cvss.as_ref().map(|c| c.score), Some(7.5));
}

/// Scores every CVSS v3 vector of a `cvss.jsonl` (CVE enrichment data, CISA
/// vulnrichment); returns (vectors checked, CNA scores that disagree). CISA-ADP scores
/// come from the calculator and must agree exactly; CNA-typed scores are sometimes
/// inconsistent with their own vector, so only those may differ.
fn check_cvss_file(path: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut n, mut cna_off) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let (Some(vector), Some(score)) = (v["cvss3_vector"].as_str(), v["cvss3_score"].as_f64())
        else {
            continue;
        };
        n += 1;
        if v3_base_score(vector) != Some(score) {
            assert_eq!(v["cvss3_source"], "cna", "{line}");
            cna_off += 1;
        }
    }
    (n, cna_off)
}

#[test]
fn cvss_calculator_agrees_with_vendored_scores() {
    // The vendored excerpt: 20 lines, all with a v3 vector, every score consistent.
    let (n, cna_off) = check_cvss_file(&testdata().join("mirror/cvss/cvss.jsonl"));
    assert_eq!((n, cna_off), (20, 0));
    assert_eq!(
        v3_base_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H"),
        Some(8.3)
    );
}

#[test]
fn cvss_calculator_agrees_with_published_scores() {
    let Some(vulndata) = drydock_testkit::need(drydock_testkit::Need::SharedVulndata) else {
        return;
    };
    // ../shared/vulndata/MANIFEST.md: 2057 lines carry a CVSS v3 vector. An independent
    // Python port of the spec formulas disagrees with the same 18 CNA scores (e.g.
    // CVE-2023-38495 says 8.4 for a vector the FIRST calculator scores 8.3).
    let (n, cna_off) = check_cvss_file(&vulndata.join("cvss/cvss.jsonl"));
    assert_eq!((n, cna_off), (2057, 18));
}

/// The Alpine record for CVE-2020-1967 has no severity and the CVE feeds do not cover it;
/// RUSTSEC-2020-0015 (openssl-src, same CVE) carries
/// `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H`, a 7.5 (HIGH) by the CVSS 3.1 formula.
#[test]
fn unrated_advisory_borrows_the_cves_rating_from_another_feed() {
    let pkg = os_pkg(
        PackageKind::Apk,
        "libssl1.1",
        "1.1.1d-r2",
        "openssl",
        "1.1.1d-r2",
    );
    let r = match_packages(db(), Some(&os("alpine", "3.10.4")), &[pkg]).expect("match");
    let f = find(&r, "libssl1.1", "CVE-2020-1967");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.severity_source, "cve-other-advisory");
    let cvss = f.cvss.as_ref().expect("cvss");
    assert_eq!(cvss.source, "advisory RUSTSEC-2020-0015");
    assert!((cvss.score - 7.5).abs() < 1e-9, "{}", cvss.score);
    // CVE-2021-23839: only its Alpine record names it, unrated, and the CVSS feed lacks
    // it: it stays UNKNOWN rather than inventing a level.
    let unrated = find(&r, "libssl1.1", "CVE-2021-23839");
    assert_eq!(unrated.severity, Severity::Unknown, "{unrated:?}");
}
