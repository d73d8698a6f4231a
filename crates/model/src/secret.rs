//! Secrets found in layer files and in the image config.

use crate::Severity;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A secret found in a file or config field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretFinding {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub path: String,
    /// 1-based line of the secret's first byte.
    pub line: usize,
    /// 1-based byte column of the secret's first byte.
    pub column: Option<usize>,
    /// The secret with everything but a short prefix replaced by `*`.
    pub masked: String,
    /// Length in bytes of the (unmasked) secret.
    pub match_len: usize,
    /// Part of the line around the secret (secret masked), capped in length.
    pub context: Option<String>,
}

/// Why a regex match was not reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SkipReason {
    Placeholder { why: Cow<'static, str> },
    LowEntropy { entropy: f64, min: f64 },
    AllowPattern,
    AllowKey,
    ValidationFailed,
    AllowlistedPath,
    CoveredBySpecificRule { by: String },
}

/// A regex match that was dropped, for `--debug` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedCandidate {
    pub rule_id: String,
    pub path: String,
    pub line: usize,
    pub masked: String,
    pub reason: SkipReason,
}
