//! drydock-detect: secret and misconfiguration detection for container images.
//!
//! * [`SecretScanner`] scans file contents with data-driven rules
//!   (`rules/secrets.toml`, extensible through [`SecretConfig`]): token
//!   formats, config-file parsers and generic assignments, each finding
//!   rated with a [`Confidence`] and a reason.
//! * [`scan_text_field`] applies the same rules plus name-based heuristics to
//!   image config strings (ENV, labels, history).
//! * [`check_config`] / [`check_files`] report image misconfigurations,
//!   with the CIS Docker Benchmark v1.6 id each one implements.

mod config;
mod credfiles;
mod misconfig;
mod secrets;
mod textfield;
mod util;

pub use config::{Checksum, Parser, RuleDef, SecretConfig, Validator};
pub use drydock_model::{Confidence, Severity};
pub use misconfig::{
    ALL_CHECKS, CheckInfo, ConfigFacts, DEFAULT_PATH, FileCheckOptions, FileFact, HistoryEntry,
    Misconfig, check_config, check_files, private_key_misconfigs, wanted_files,
};
pub use secrets::{ScanReport, SecretFinding, SecretScanner, SkipReason, SkippedCandidate};
pub use textfield::{CONFIG_SECRET_RULE, is_secret_name, scan_text_field};
pub use util::{is_placeholder, mask, shannon_entropy};

/// Errors from loading or compiling detection rules.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("parsing rules TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("rule {rule}: invalid regex: {source}")]
    Regex {
        rule: String,
        #[source]
        source: regex::Error,
    },
    #[error("rule {rule}: {reason}")]
    InvalidRule { rule: String, reason: String },
}
