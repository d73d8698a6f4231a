use super::{encode_uri_path, security_severity};
use crate::Format;
use crate::fixture::{HOSTILE, rendered, report};
use drydock_model::Severity;
use serde_json::Value;

fn sarif() -> Value {
    serde_json::from_str(&rendered(&report(), Format::Sarif)).expect("SARIF is JSON")
}

#[test]
fn one_rule_per_id_and_one_result_per_finding() {
    let log = sarif();
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    // Two packages share CVE-2024-0001: one rule, two results.
    assert_eq!(
        rules,
        [
            "CVE-2024-0001",
            "CVE-2024-0002",
            "aws-access-key-id",
            "DD-CFG-001"
        ]
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(r["ruleId"], rules[index], "{r}");
        let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert!(uri.as_str().is_some_and(|u| !u.is_empty()), "{r}");
        assert!(r["message"]["text"].as_str().expect("text").ends_with('.'));
        assert!(r["partialFingerprints"]["drydockFinding/v1"].is_string());
    }
    let fingerprints: std::collections::BTreeSet<&str> = results
        .iter()
        .filter_map(|r| r["partialFingerprints"]["drydockFinding/v1"].as_str())
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "fingerprints are distinct"
    );
}

#[test]
fn levels_and_security_severity_follow_the_severity() {
    let log = sarif();
    let run = &log["runs"][0];
    let rule = |id: &str| {
        run["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .expect("rule")
    };
    // CVSS 9.8 is in the critical band: the score itself.
    let critical = rule("CVE-2024-0001");
    assert_eq!(critical["properties"]["security-severity"], "9.8");
    assert_eq!(critical["defaultConfiguration"]["level"], "error");
    assert_eq!(
        critical["helpUri"],
        "https://osv.dev/vulnerability/CVE-2024-0001"
    );
    let help = critical["help"]["text"].as_str().expect("help");
    assert!(help.contains("upgrade lodash to 1.0.1"), "{help}");
    assert!(help.contains("CISA KEV since 2024-03-01"), "{help}");
    let medium = rule("CVE-2024-0002");
    assert_eq!(medium["properties"]["security-severity"], "5.5");
    assert_eq!(medium["defaultConfiguration"]["level"], "warning");
    // Not an http(s) URL: no helpUri at all.
    assert!(medium.get("helpUri").is_none());
    assert!(
        medium["shortDescription"]["text"]
            .as_str()
            .expect("text")
            .contains(HOSTILE)
    );
    assert_eq!(rule("DD-CFG-001")["properties"]["security-severity"], "8.0");
}

#[test]
fn security_severity_bands() {
    // GitHub's code-scanning bands: critical >= 9.0, high >= 7.0, medium >= 4.0, low > 0.
    assert_eq!(
        security_severity(Severity::High, Some(7.5)).as_deref(),
        Some("7.5")
    );
    // A CVSS score outside drydock's band would contradict every other format.
    assert_eq!(
        security_severity(Severity::Critical, Some(7.5)).as_deref(),
        Some("9.5")
    );
    assert_eq!(
        security_severity(Severity::Low, None).as_deref(),
        Some("2.0")
    );
    assert_eq!(security_severity(Severity::Unknown, None), None);
}

#[test]
fn secrets_and_config_checks_have_locations() {
    let log = sarif();
    let results = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .clone();
    let secret = results
        .iter()
        .find(|r| r["ruleId"] == "aws-access-key-id")
        .expect("secret");
    let physical = &secret["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "app/.env");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "SCANROOT");
    assert_eq!(physical["region"]["startLine"], 3);
    let text = secret["message"]["text"].as_str().expect("text");
    assert!(text.contains("layer 2 still ships the secret"), "{text}");
    let config = results
        .iter()
        .find(|r| r["ruleId"] == "DD-CFG-001")
        .expect("misconfig");
    // The image config lives in the artifact: its path, encoded so `:1.0` is no scheme.
    assert_eq!(
        config["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "images/app%20image.tar%3A1.0"
    );
    assert_eq!(
        config["locations"][0]["logicalLocations"][0]["name"],
        "images/app image.tar:1.0"
    );
}

#[test]
fn not_covered_is_a_notification() {
    let log = sarif();
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(
        notes[0]["message"]["text"],
        "Not covered: os-packages: no package database found."
    );
}

#[test]
fn uri_paths_are_percent_encoded() {
    // RFC 3986: unreserved and sub-delims stay, everything else is %XX of its UTF-8 bytes.
    assert_eq!(encode_uri_path("usr/lib/a b#c?d"), "usr/lib/a%20b%23c%3Fd");
    assert_eq!(encode_uri_path("opt/ä"), "opt/%C3%A4");
    assert_eq!(encode_uri_path("x/y-1.2_3~z+(1)"), "x/y-1.2_3~z+(1)");
}
