//! Secret rule definitions and scanner configuration, loaded from TOML.
//!
//! The built-in rules live in `rules/secrets.toml` (embedded at compile time)
//! so that they can be reviewed and extended as data; a user file uses the
//! same format and is merged on top (see [`SecretConfig::merge_toml`]).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::DetectError;
pub use drydock_model::Severity;

const BUILTIN_RULES: &str = include_str!("../rules/secrets.toml");

/// Structural checks that a regex alone cannot express.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// Header and payload must be base64url-encoded JSON objects, the header with `alg`.
    Jwt,
    /// Must be standard base64 of `user:password` with both parts non-empty.
    Base64UserPass,
}

/// One secret rule as written in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Lowercase literals for the prefilter; empty means "always run" (needs `paths`).
    #[serde(default)]
    pub keywords: Vec<String>,
    pub regex: String,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Regexes over the secret; a match means "not a secret".
    #[serde(default)]
    pub allow: Vec<String>,
    /// Regexes over the `key` capture group (variable name); a match means "not a secret".
    #[serde(default)]
    pub allow_keys: Vec<String>,
    /// Path regexes restricting where the rule runs.
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub validate: Option<Validator>,
    /// Generic rule: suppressed where a specific rule reported an overlapping secret.
    #[serde(default)]
    pub fallback: bool,
}

/// Shape of a rules file (built-in or user-supplied).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleDef>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    max_file_size: Option<u64>,
    #[serde(default)]
    skip_paths: Vec<String>,
    #[serde(default)]
    skip_extensions: Vec<String>,
    #[serde(default)]
    allow_paths: Vec<String>,
}

/// Everything needed to build a [`crate::SecretScanner`].
#[derive(Debug, Clone, PartialEq)]
pub struct SecretConfig {
    pub rules: Vec<RuleDef>,
    /// Rule ids that are not run.
    pub disabled: BTreeSet<String>,
    /// Files larger than this are not scanned (see `SecretScanner::wants`).
    pub max_file_size: u64,
    /// Path regexes (relative, no leading `/`) of trees never scanned.
    pub skip_paths: Vec<String>,
    /// Lowercase file extensions (without dot) never scanned.
    pub skip_extensions: Vec<String>,
    /// Path regexes whose findings are reported only as skipped candidates.
    pub allow_paths: Vec<String>,
}

/// Vendored dependencies, test suites and docs ship sample keys by design;
/// scanning them buries real findings.
const DEFAULT_SKIP_PATHS: &[&str] = &[
    r"(?:^|/)node_modules/",
    r"^usr/(?:local/)?lib/.+/(?:tests?|test_data|testdata)/",
    r"(?:^|/)vendor/",
    r"(?:^|/)(?:site|dist)-packages/.+/tests?/",
    r"^usr/lib/python[0-9.]+/test/",
    r"^usr/share/(?:doc|man|info|locale|zoneinfo|i18n|licenses)/",
    r"(?:^|/)\.git/objects/",
    r"^(?:proc|sys|dev)/",
];

/// Formats that cannot hold a readable secret (or are handled elsewhere).
const DEFAULT_SKIP_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "svgz", "tif", "tiff", "woff", "woff2",
    "ttf", "otf", "eot", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "ear",
    "whl", "egg", "deb", "rpm", "apk", "so", "a", "o", "ko", "dll", "exe", "dylib", "pyc", "pyo",
    "class", "wasm", "mp3", "mp4", "ogg", "wav", "avi", "mov", "pdf", "psd", "db", "sqlite", "mo",
    "gmo", "bin", "dat", "pack", "idx",
];

/// Test fixtures are scanned (for `--debug`) but not reported.
const DEFAULT_ALLOW_PATHS: &[&str] = &[r"(?:^|/)(?:testdata|test-fixtures|__fixtures__)/"];

impl SecretConfig {
    /// The embedded rule set and default path policy.
    pub fn builtin() -> Self {
        let file: RuleFile = match toml::from_str(BUILTIN_RULES) {
            Ok(f) => f,
            // The embedded file is covered by tests; an error here is a build defect.
            Err(e) => panic!("embedded rules/secrets.toml is invalid: {e}"),
        };
        let mut cfg = SecretConfig {
            rules: Vec::new(),
            disabled: BTreeSet::new(),
            max_file_size: 10 << 20,
            skip_paths: DEFAULT_SKIP_PATHS.iter().map(|s| s.to_string()).collect(),
            skip_extensions: DEFAULT_SKIP_EXTENSIONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            allow_paths: DEFAULT_ALLOW_PATHS.iter().map(|s| s.to_string()).collect(),
        };
        cfg.apply(file);
        cfg
    }

    /// Built-in configuration with a user TOML file merged on top.
    pub fn from_toml_file(path: &Path) -> Result<Self, DetectError> {
        let text = std::fs::read_to_string(path).map_err(|source| DetectError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut cfg = Self::builtin();
        cfg.merge_toml(&text)?;
        Ok(cfg)
    }

    /// Merges a user rules file: rules with a known id replace the built-in
    /// one, new ids are appended; `disable`, path and extension lists are added;
    /// `max_file_size` overrides.
    pub fn merge_toml(&mut self, text: &str) -> Result<(), DetectError> {
        let file: RuleFile = toml::from_str(text)?;
        self.apply(file);
        Ok(())
    }

    fn apply(&mut self, file: RuleFile) {
        for rule in file.rules {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        self.disabled.extend(file.disable);
        if let Some(max) = file.max_file_size {
            self.max_file_size = max;
        }
        self.skip_paths.extend(file.skip_paths);
        self.skip_extensions.extend(
            file.skip_extensions
                .into_iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase()),
        );
        self.allow_paths.extend(file.allow_paths);
    }

    /// Rules that will actually run.
    pub fn enabled_rules(&self) -> impl Iterator<Item = &RuleDef> {
        self.rules.iter().filter(|r| !self.disabled.contains(&r.id))
    }
}

impl Default for SecretConfig {
    fn default() -> Self {
        Self::builtin()
    }
}
