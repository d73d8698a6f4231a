//! Secrets found in layer files and in the image config.

use crate::Severity;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

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
    /// How sure the match is a live secret. Reports written before this field
    /// existed read back as `medium`.
    #[serde(default)]
    pub confidence: Confidence,
    /// Why this is reported: the format, checksum or config field that matched.
    #[serde(default)]
    pub reason: String,
}

/// How sure drydock is that a finding is a live secret, from least to most.
///
/// * `high`: a vendor prefix and format (and, where the format has one, a
///   checksum that verifies), or a credential field of a known config file;
/// * `medium`: a vendor-neutral format next to a name that says what it is,
///   or a checksummed format whose checksum does not verify;
/// * `low`: a generic assignment to a secret-like name.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

impl FromStr for Confidence {
    type Err = String;

    /// Parses `low`, `medium` or `high` (any case), e.g. from a CLI flag.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(format!(
                "invalid confidence `{s}`: expected low, medium or high"
            )),
        }
    }
}

/// Why a regex match was not reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SkipReason {
    Placeholder {
        why: Cow<'static, str>,
    },
    LowEntropy {
        entropy: f64,
        min: f64,
    },
    AllowPattern,
    AllowKey,
    ValidationFailed,
    AllowlistedPath,
    /// A match below high confidence in a sample file: a test, an example, a translation or
    /// a type declaration (`sample_paths`).
    SamplePath,
    CoveredBySpecificRule {
        by: String,
    },
    /// A key that is public by design (browser API key, search-only key).
    PublicByDesign,
    /// Rated below the scanner's minimum confidence.
    BelowMinConfidence {
        confidence: Confidence,
        min: Confidence,
    },
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
