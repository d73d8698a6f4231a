//! What a policy did to a report besides its verdict: findings it suppressed (with why),
//! findings the severity/type filters left out, and paths skipped on request.

use crate::{Finding, Misconfig, SecretReport, Severity};
use serde::{Deserialize, Serialize};

/// Who suppressed a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressedBy {
    /// An ignore rule (`--ignorefile`, the policy's `ignores`).
    Ignore,
    /// A VEX statement (`--vex`): `not_affected` or `fixed`.
    Vex,
}

/// A finding that is not counted, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppressed {
    pub by: SuppressedBy,
    /// The ignore's `reason`, or the VEX status with its justification and statement.
    pub reason: String,
    /// The file (and, for VEX, the document id) that said so.
    pub source: String,
    /// When the ignore stops applying (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The finding itself, unchanged.
    #[serde(flatten)]
    pub item: SuppressedItem,
}

/// The suppressed finding, under the key of the report section it would have been in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressedItem {
    Vulnerability(Box<Finding>),
    Secret(SecretReport),
    Misconfiguration(Misconfig),
}

/// The report filters in force and how many findings they left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filtered {
    /// Only these severities are reported (`--severity`); empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
    /// Vulnerabilities without a fixed version are left out (`--ignore-unfixed`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_unfixed: bool,
    /// Only these package types are reported (`--pkg-types`: `os`, `library`); empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pkg_types: Vec<String>,
    pub vulnerabilities: usize,
    pub secrets: usize,
    pub misconfigurations: usize,
}

/// One `--skip-dirs` / `--skip-files` pattern and what it kept from being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedByRequest {
    /// `skip-dirs` or `skip-files`.
    pub flag: String,
    pub pattern: String,
    /// Paths in the final filesystem that matched (directories for `skip-dirs`).
    pub paths: Vec<String>,
    /// Regular files of the final filesystem not read because of this pattern.
    pub files: usize,
}
