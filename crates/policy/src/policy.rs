//! The policy file (`drydock.yaml`): every rule an image can be held to. Each field is
//! one rule; a field left out is a rule not applied, so the empty policy passes
//! everything.

use crate::ignore::Ignore;
use drydock_model::Severity;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// What an image must satisfy, and what is reported at all. Field names are the YAML
/// keys and the rule names printed when a rule fails.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Report (and gate on) only these severities (`--severity`).
    #[serde(deserialize_with = "severity_list")]
    pub severity: Vec<Severity>,
    /// Leave out vulnerabilities with no fixed version (`--ignore-unfixed`).
    pub ignore_unfixed: bool,
    /// Report only these package types (`--pkg-types`).
    pub pkg_types: Vec<PkgType>,

    /// Fail when a vulnerability is at least this severe.
    #[serde(deserialize_with = "severity_opt")]
    pub fail_on_severity: Option<Severity>,
    /// Fail on any vulnerability in CISA's Known Exploited Vulnerabilities catalog.
    pub fail_on_kev: bool,
    /// Fail on any vulnerability whose EPSS probability is at least this (0..1).
    pub fail_on_epss: Option<f64>,
    /// The three rules above count only vulnerabilities that have a fix.
    pub fixable_only: bool,
    /// Days allowed to remediate, per severity, from the advisory's publication (or the
    /// finding's first sighting in a `--baseline` report): warns until due, fails after.
    #[serde(deserialize_with = "severity_days")]
    pub sla: BTreeMap<Severity, u32>,

    /// Registries (or registry/path prefixes, globs allowed) the image and its base
    /// image may come from.
    pub allowed_registries: Vec<String>,
    /// Base images allowed: `repo:tag` globs (`debian:12*`) or digests (`sha256:...`).
    pub allowed_base_images: Vec<String>,
    /// Labels the image must carry, each with a glob its value must match (`*`: any).
    pub required_labels: BTreeMap<String, String>,
    /// Fail when the image config's `created` date is more than this many days ago.
    pub max_image_age_days: Option<u32>,
    /// Fail unless the image carries a cosign signature verified with `--verify-key`.
    pub require_signature: bool,
    /// Packages that must not be installed: name globs or purls (a purl without a
    /// version bans every version).
    pub banned_packages: Vec<String>,
    /// Licenses no package may carry (globs over SPDX ids, case-insensitive).
    pub banned_licenses: Vec<String>,
    /// Misconfiguration checks and secret rules that must find nothing.
    pub must_pass: MustPass,
    /// Fail when OS packages (`os`) or anything at all (`all`) could not be matched.
    pub require_coverage: Option<Coverage>,
    /// Exit 3 when the vulnerability database is older than this many days.
    pub max_db_age_days: Option<u32>,
    /// Accepted findings, each with a reason and an expiry date.
    pub ignores: Vec<Ignore>,
}

/// `os`: packages of the OS package manager; `library`: everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PkgType {
    Os,
    Library,
}

impl PkgType {
    pub fn as_str(self) -> &'static str {
        match self {
            PkgType::Os => "os",
            PkgType::Library => "library",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// The OS must be identified, its package database read, and its release covered
    /// by advisory data (and not past end of life).
    Os,
    /// Additionally every application ecosystem and every file must have been read
    /// and matched.
    All,
}

/// Ids that must not appear among the findings (`*`: none at all may).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MustPass {
    /// Misconfiguration check ids (`DD-CFG-001`).
    pub misconfig: Vec<String>,
    /// Secret rule ids (`aws-access-key-id`).
    pub secrets: Vec<String>,
}

impl Policy {
    /// Whether the policy needs the vulnerability scanner's results.
    pub fn needs_vulnerabilities(&self) -> bool {
        self.fail_on_severity.is_some()
            || self.fail_on_kev
            || self.fail_on_epss.is_some()
            || !self.sla.is_empty()
            || self.require_coverage.is_some()
    }
}

/// Severity names as users write them: `HIGH`, `high`, `High`.
pub fn parse_severity(text: &str) -> Option<Severity> {
    match text.trim().to_ascii_uppercase().as_str() {
        "UNKNOWN" => Some(Severity::Unknown),
        "LOW" => Some(Severity::Low),
        "MEDIUM" => Some(Severity::Medium),
        "HIGH" => Some(Severity::High),
        "CRITICAL" => Some(Severity::Critical),
        _ => None,
    }
}

fn to_severity<E: serde::de::Error>(text: &str) -> Result<Severity, E> {
    parse_severity(text).ok_or_else(|| {
        E::custom(format!(
            "unknown severity '{text}' (expected UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)"
        ))
    })
}

fn severity_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Severity>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| to_severity(&s))
        .transpose()
}

fn severity_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Severity>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|s| to_severity(s))
        .collect()
}

fn severity_days<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<Severity, u32>, D::Error> {
    BTreeMap::<String, u32>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| Ok((to_severity(&k)?, v)))
        .collect()
}
