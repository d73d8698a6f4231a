//! What to upgrade, and whether a finding came with the base image or was added on top.

use serde::{Deserialize, Serialize};

/// The remediation view of a report's findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    /// Findings in packages that the base image's layers introduced (the base image is
    /// `Artifact::base_image`); `None` when the base image's layers cannot be told.
    pub from_base_image: Option<usize>,
    /// Findings in packages that this image's own layers introduced; `None` likewise.
    pub added_by_image: Option<usize>,
    /// One entry per vulnerable package, the upgrade that removes the most risk first.
    pub upgrades: Vec<Upgrade>,
}

/// The smallest upgrade of one installed package that fixes the most of its findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Upgrade {
    pub package: String,
    pub installed_version: String,
    /// Ecosystem whose version ordering chose `upgrade_to` (`Alpine:v3.10`, `PyPI`).
    pub ecosystem: String,
    /// File the package was read from.
    pub location: String,
    /// `None` when no finding of this package has a fixed version.
    pub upgrade_to: Option<String>,
    /// Sum of the risk scores of `fixes`: what upgrades are ordered by.
    pub risk_removed: f64,
    /// Ids of the findings that upgrading to `upgrade_to` removes.
    pub fixes: Vec<String>,
    /// Ids of the findings that remain after it (no fix, or fixed only in a later line).
    pub remaining: Vec<String>,
    /// Advisories that affect `upgrade_to` but not the installed version (another
    /// release line's flaws), so the upgrade is not mistaken for a clean one.
    pub affected_at_target: Vec<String>,
    /// Layer that introduced the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    /// Whether that layer is one of the base image's; `None` when that is unknown.
    pub from_base_image: Option<bool>,
}
