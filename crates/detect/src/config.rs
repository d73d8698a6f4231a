//! Secret rule definitions and scanner configuration, loaded from TOML.
//!
//! The built-in rules live in `rules/secrets.toml` (embedded at compile time)
//! so that they can be reviewed and extended as data; a user file uses the
//! same format and is merged on top (see [`SecretConfig::merge_toml`]).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::DetectError;
pub use drydock_model::{Confidence, Severity};

const BUILTIN_RULES: &str = include_str!("../rules/secrets.toml");

/// Structural checks that a regex alone cannot express; a secret failing
/// one is not reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// Header and payload must be base64url-encoded JSON objects, the header with `alg`.
    Jwt,
    /// Must be standard base64 of `user:password` with both parts non-empty.
    Base64UserPass,
    /// Must be base64 of exactly 64 bytes (Azure storage account keys).
    Base64Key64,
}

/// Integrity checks built into a token format. A token whose check verifies
/// is reported with `high` confidence; one whose check fails is still
/// reported (samples and hand-made tokens fail it) but only as `medium`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// GitHub and npm: the last 6 characters are the base62 CRC32 of the 30 before them.
    Crc32Base62,
    /// GitLab routable tokens: `<prefix><payload>.01.<len><crc32 base36>`.
    GitlabRoutable,
    /// age secret keys: bech32 with the `age-secret-key-` human-readable part.
    Bech32,
    /// Discord bot tokens: the first segment is the base64 of a numeric user id.
    DiscordUserId,
}

/// Config file formats whose credential fields are read by a parser rather
/// than a regex, so any password is found whatever its alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Parser {
    /// Maven `settings.xml` / `settings-security.xml`.
    MavenSettings,
    /// `.netrc` / `_netrc`.
    Netrc,
    /// PostgreSQL `.pgpass`.
    Pgpass,
    /// git's credential store, `.git-credentials`.
    GitCredentials,
    /// Docker/Podman `config.json`, `auth.json`, `.dockercfg`.
    DockerConfig,
    /// `.npmrc` and `.yarnrc.yml`.
    Npmrc,
    /// `pip.conf` / `pip.ini` and `.pypirc`.
    PipConfig,
    /// `NuGet.Config`.
    NugetConfig,
    /// Kubernetes `kind: Secret` manifests (YAML or JSON).
    KubernetesSecret,
}

/// One secret rule as written in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Lowercase literals for the prefilter; empty means "always run" (needs
    /// `paths`, unless the rule has a `parser`, which selects files by name).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The pattern; empty for `parser` rules.
    #[serde(default)]
    pub regex: String,
    /// Reads a structured config file instead of running `regex`.
    #[serde(default)]
    pub parser: Option<Parser>,
    /// Confidence of a match; default `medium` (`low` for `fallback` rules).
    #[serde(default)]
    pub confidence: Option<Confidence>,
    /// Integrity check that raises or lowers the confidence of a match.
    #[serde(default)]
    pub checksum: Option<Checksum>,
    /// Why a match is a secret, shown in reports; default derived from the title.
    #[serde(default)]
    pub reason: Option<String>,
    /// Regexes over the text around a match (a few hundred bytes): a match
    /// means the key is public by design (browser keys, search-only keys).
    #[serde(default)]
    pub public_context: Vec<String>,
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
    /// Every match contains one of the keywords, so the regex only runs on
    /// the lines holding one: far cheaper for patterns without a literal
    /// prefix (a variable name before `=`), which would otherwise run the
    /// regex engine over every byte of every file mentioning `token`.
    #[serde(default)]
    pub line_scoped: bool,
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
    min_confidence: Option<Confidence>,
    #[serde(default)]
    skip_paths: Vec<String>,
    #[serde(default)]
    skip_extensions: Vec<String>,
    #[serde(default)]
    allow_paths: Vec<String>,
    #[serde(default)]
    sample_paths: Vec<String>,
}

/// Everything needed to build a [`crate::SecretScanner`]; serialisable so a digest of
/// it can tell whether results computed under it still apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Path regexes of sample files (tests, examples, translations, type declarations),
    /// where only high-confidence findings (a vendor prefix, a checksum, a private key) are
    /// reported: generic assignments, URL passwords and CLI arguments there are fixtures
    /// (`proxy_pass="p4ssw0rd"`) or prose.
    pub sample_paths: Vec<String>,
    /// Findings below this confidence are reported only as skipped candidates
    /// (the CLI's `--secret-min-confidence`); default `low`, i.e. all.
    pub min_confidence: Confidence,
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

/// Files that hold samples, not configuration, by their conventional names: test suites
/// and examples (`tests/`, `examples/`, `test_x.py`, `x_test.go`, `XTest.php`, `x.spec.ts`,
/// `test.js`, `x.examples.json`), documentation (`README`, `*.md`), translations
/// (`locales/`, `i18n/`) and TypeScript declarations (`x.d.ts`: types, never values).
const DEFAULT_SAMPLE_PATHS: &[&str] = &[
    r"(?:^|/)(?:tests?|testing|__tests__|specs?|examples?|samples?)/",
    r"(?:^|/)test_[^/]*$",
    r"(?:^|/)tests?\.[A-Za-z0-9]+$",
    r"[_-]tests?\.[A-Za-z0-9]+$",
    r"[a-z0-9]Tests?\.[A-Za-z0-9]+$",
    r"\.(?:test|spec)\.[A-Za-z0-9]+$",
    r"[._-]examples?(?:-[0-9]+)?\.[A-Za-z0-9]+$",
    r"(?:^|/)(?:locales?|i18n|l10n|translations)/",
    r"\.d\.ts$",
    r"\.(?:md|markdown|rst|adoc)$",
    r"(?:^|/)(?:README|CHANGELOG|CHANGES|HISTORY)[^/]*$",
];

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
            sample_paths: DEFAULT_SAMPLE_PATHS.iter().map(|s| s.to_string()).collect(),
            min_confidence: Confidence::Low,
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
    /// `max_file_size` and `min_confidence` override.
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
        if let Some(min) = file.min_confidence {
            self.min_confidence = min;
        }
        self.skip_paths.extend(file.skip_paths);
        self.skip_extensions.extend(
            file.skip_extensions
                .into_iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase()),
        );
        self.allow_paths.extend(file.allow_paths);
        self.sample_paths.extend(file.sample_paths);
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
