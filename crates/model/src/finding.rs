//! A known vulnerability in one package, with what rates and prioritises it.

use crate::{LayerRef, PackageKind, Severity};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the vendor says about a fix for the installed release. OSV records only tell
/// `Fixed` from `Affected`; the other states come from a distribution's own tracker
/// (the Debian security tracker's `<ignored>`, `<postponed>`, `end-of-life` and
/// `undetermined`), kept because "no fix yet" and "never" ask different things of the
/// reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Upgrading to one of `fixed_versions` removes the vulnerability.
    Fixed,
    /// No fixed version published yet.
    Affected,
    /// The vendor decided not to fix it in this release (Debian `<ignored>`).
    WillNotFix,
    /// A fix is postponed to a later update (Debian `<postponed>`).
    FixDeferred,
    /// The release (or the package in it) is out of security support.
    EndOfLife,
    /// The vendor has not yet determined whether the release is affected.
    UnderInvestigation,
}

impl Status {
    /// The serialised name (`will_not_fix`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fixed => "fixed",
            Status::Affected => "affected",
            Status::WillNotFix => "will_not_fix",
            Status::FixDeferred => "fix_deferred",
            Status::EndOfLife => "end_of_life",
            Status::UnderInvestigation => "under_investigation",
        }
    }

    /// Parses [`Status::as_str`]'s names.
    pub fn from_name(name: &str) -> Option<Status> {
        [
            Status::Fixed,
            Status::Affected,
            Status::WillNotFix,
            Status::FixDeferred,
            Status::EndOfLife,
            Status::UnderInvestigation,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Why no fix can be installed, in words, for a status other than `Fixed`.
    pub fn no_fix_reason(self) -> &'static str {
        match self {
            Status::Fixed | Status::Affected => "no fix published",
            Status::WillNotFix => "vendor will not fix",
            Status::FixDeferred => "fix deferred by the vendor",
            Status::EndOfLife => "release out of security support",
            Status::UnderInvestigation => "vendor still investigating",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    pub score: f64,
    pub vector: String,
    /// `advisory` when taken from the record, else who scored the CVE (`cna`, `CISA-ADP`).
    pub source: String,
}

/// An entry of CISA's Known Exploited Vulnerabilities catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve: String,
    pub date_added: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

/// FIRST's Exploit Prediction Scoring System: probability of exploitation in 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpssScore {
    pub score: f64,
    pub percentile: f64,
}

/// One vulnerability in one installed package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// CVE id when any merged advisory names one, else the advisory id.
    pub id: String,
    /// Every other id of the merged advisories (advisory ids, aliases, CVEs).
    pub aliases: Vec<String>,
    /// Ids of the database records that matched (several after an alias merge).
    pub advisory_ids: Vec<String>,
    pub package: String,
    pub package_kind: PackageKind,
    pub installed_version: String,
    /// Ecosystem the advisories came from (`Debian:12`, `PyPI`).
    pub ecosystem: String,
    /// Source package looked up, when it differs from `package`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    /// Version compared, when it differs from `installed_version` (dpkg source version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared_version: Option<String>,
    /// Fixed versions above the installed one, lowest first.
    pub fixed_versions: Vec<String>,
    pub status: Status,
    pub severity: Severity,
    /// `advisory` (textual level in the record), `advisory-cvss` (the record's CVSS
    /// vector), `cve-cvss` (CVE enrichment feed), `cve-other-advisory` (another feed's
    /// record for the same CVE, named in `cvss.source`) or `none`.
    pub severity_source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<CvssScore>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev: Option<KevEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epss: Option<EpssScore>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Arc<LayerRef>>,
    /// File the package was read from.
    pub location: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// When the policy's remediation deadline (SLA) for this finding falls (`YYYY-MM-DD`);
    /// set only when a policy with deadlines was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The date this finding was first reported, carried over from a baseline report
    /// (`--baseline`); set only when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// The distribution's own rating for this package, when its records carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_severity: Option<VendorRating>,
    /// How urgent this finding is, as one number with its reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
}

/// A distribution's own rating of a vulnerability in its package: Debian's urgency,
/// Ubuntu's priority, Red Hat's level as AlmaLinux and Rocky Linux errata carry it,
/// openEuler's severity (Alpine, Wolfi, Mageia, Photon OS and Azure Linux publish none in OSV). Kept apart from `severity` because it
/// weighs how the distribution builds and uses the package, not the flaw itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorRating {
    /// `Debian urgency`, `Ubuntu priority`, `AlmaLinux severity`, `Rocky Linux severity`,
    /// `Red Hat severity`, `openEuler severity`, `SUSE rating`, or `vendor rating` for
    /// other sources.
    pub source: String,
    /// As published, lowercase: `low`, `medium`, `unimportant`, `not yet assigned`, ...
    pub rating: String,
}

/// One explained risk score (formula in the README, "Risk score").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// 0 to 100, one decimal: higher means fix sooner.
    pub score: f64,
    /// Every input that set the score, in words, the base first: `CVSS 7.5`,
    /// `in KEV since 2024-03-01`, `EPSS 0.94`, `fix 1.1.1k-r0`.
    pub reasons: Vec<String>,
}
