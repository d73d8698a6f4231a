//! One severity scale for vulnerabilities, secrets and misconfigurations, so a policy
//! threshold means the same thing for all three.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Qualitative severity, ordered so that `Critical` is the greatest. `Unknown` is only
/// ever a vulnerability's: no source rated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// CVSS v3 qualitative rating bands.
    pub fn from_score(score: f64) -> Severity {
        match score {
            s if s >= 9.0 => Severity::Critical,
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            s if s > 0.0 => Severity::Low,
            _ => Severity::Unknown,
        }
    }

    /// Textual levels used by GHSA-style `database_specific.severity` and distro feeds.
    pub fn from_text(text: &str) -> Option<Severity> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => Severity::Critical,
            "HIGH" | "IMPORTANT" => Severity::High,
            "MEDIUM" | "MODERATE" => Severity::Medium,
            "LOW" | "NEGLIGIBLE" => Severity::Low,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Severity;

    #[test]
    fn cvss_v3_bands_from_the_spec() {
        // CVSS v3.1 specification, table 14: qualitative severity rating scale.
        let cases = [
            (0.0, Severity::Unknown),
            (0.1, Severity::Low),
            (3.9, Severity::Low),
            (4.0, Severity::Medium),
            (6.9, Severity::Medium),
            (7.0, Severity::High),
            (8.9, Severity::High),
            (9.0, Severity::Critical),
            (10.0, Severity::Critical),
        ];
        for (score, want) in cases {
            assert_eq!(Severity::from_score(score), want, "{score}");
        }
    }
}
