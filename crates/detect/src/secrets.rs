//! Content secret scanner: keyword prefilter, then per-rule regexes, then
//! false-positive filters (placeholders, entropy, allowlists, validators).

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::RegexSet;
use regex::bytes::{Captures, Regex, RegexBuilder};
use serde::Serialize;

use crate::DetectError;
use crate::config::{RuleDef, SecretConfig, Validator};
use crate::util::{base64_decode, is_placeholder, mask, shannon_entropy};
pub use drydock_model::{SecretFinding, SkipReason, SkippedCandidate};

/// Only this prefix is inspected for NUL bytes: enough to catch ELF/images
/// without reading whole files twice.
const BINARY_SNIFF: usize = 8 << 10;
/// Bytes of surrounding line kept on each side of a secret in `context`, so
/// minified one-line files do not produce megabyte-long reports.
const CONTEXT_RADIUS: usize = 40;

/// Result of [`SecretScanner::scan_debug`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReport {
    pub findings: Vec<SecretFinding>,
    pub skipped: Vec<SkippedCandidate>,
    /// The content looked binary and was not scanned.
    pub binary: bool,
}

#[derive(Debug)]
struct CompiledRule {
    def: RuleDef,
    regex: Regex,
    allow: Vec<Regex>,
    allow_keys: Vec<Regex>,
    paths: Option<RegexSet>,
    /// Capture group indices whose name starts with `secret`.
    secret_groups: Vec<usize>,
}

/// Compiled secret rules plus the file-selection policy.
#[derive(Debug)]
pub struct SecretScanner {
    rules: Vec<CompiledRule>,
    prefilter: AhoCorasick,
    /// Prefilter pattern index -> rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords (path-restricted); always considered.
    unfiltered: Vec<usize>,
    skip_paths: RegexSet,
    skip_extensions: HashSet<String>,
    allow_paths: RegexSet,
    max_file_size: u64,
}

/// A candidate that survived filtering, before overlap resolution.
struct Hit {
    rule: usize,
    start: usize,
    end: usize,
}

fn compile(rule_id: &str, pattern: &str) -> Result<Regex, DetectError> {
    // ASCII mode: secrets are ASCII, and Unicode word boundaries would make the
    // lazy DFA bail out on non-ASCII haystacks.
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .map_err(|source| DetectError::Regex {
            rule: rule_id.to_string(),
            source,
        })
}

fn compile_set(what: &str, patterns: &[String]) -> Result<RegexSet, DetectError> {
    RegexSet::new(patterns).map_err(|source| DetectError::Regex {
        rule: what.to_string(),
        source,
    })
}

impl SecretScanner {
    /// Compiles the enabled rules of `cfg`.
    pub fn new(cfg: &SecretConfig) -> Result<Self, DetectError> {
        let mut rules = Vec::new();
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unfiltered = Vec::new();
        for def in cfg.enabled_rules() {
            let idx = rules.len();
            if def.keywords.is_empty() {
                if def.paths.is_empty() {
                    return Err(DetectError::InvalidRule {
                        rule: def.id.clone(),
                        reason: "a rule needs keywords or paths".into(),
                    });
                }
                unfiltered.push(idx);
            }
            for kw in &def.keywords {
                let kw = kw.to_ascii_lowercase();
                match keywords.iter().position(|k| *k == kw) {
                    Some(p) => keyword_rules[p].push(idx),
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(vec![idx]);
                    }
                }
            }
            let regex = compile(&def.id, &def.regex)?;
            let secret_groups = regex
                .capture_names()
                .enumerate()
                .filter(|(_, n)| n.is_some_and(|n| n.starts_with("secret")))
                .map(|(i, _)| i)
                .collect();
            let allow = def
                .allow
                .iter()
                .map(|p| compile(&def.id, p))
                .collect::<Result<_, _>>()?;
            let allow_keys = def
                .allow_keys
                .iter()
                .map(|p| compile(&def.id, p))
                .collect::<Result<_, _>>()?;
            let paths = if def.paths.is_empty() {
                None
            } else {
                Some(compile_set(&def.id, &def.paths)?)
            };
            rules.push(CompiledRule {
                def: def.clone(),
                regex,
                allow,
                allow_keys,
                paths,
                secret_groups,
            });
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .map_err(|e| DetectError::InvalidRule {
                rule: "<keywords>".into(),
                reason: e.to_string(),
            })?;
        Ok(SecretScanner {
            rules,
            prefilter,
            keyword_rules,
            unfiltered,
            skip_paths: compile_set("<skip_paths>", &cfg.skip_paths)?,
            skip_extensions: cfg.skip_extensions.iter().cloned().collect(),
            allow_paths: compile_set("<allow_paths>", &cfg.allow_paths)?,
            max_file_size: cfg.max_file_size,
        })
    }

    /// Scanner with the built-in rules.
    pub fn builtin() -> Result<Self, DetectError> {
        Self::new(&SecretConfig::builtin())
    }

    /// Ids of the rules this scanner runs.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.def.id.as_str())
    }

    /// Whether a file is worth reading: not too large, not a binary format,
    /// not inside a skipped tree. `path` may have a leading `/`.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        if size > self.max_file_size {
            return false;
        }
        let rel = normalize(path);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if let Some((_, ext)) = name.rsplit_once('.')
            && self.skip_extensions.contains(&ext.to_ascii_lowercase())
        {
            return false;
        }
        !self.skip_paths.is_match(rel)
    }

    /// Reported secrets in `content`.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretFinding> {
        self.scan_debug(path, content).findings
    }

    /// Like [`scan`](Self::scan) but also returns dropped candidates and why.
    pub fn scan_debug(&self, path: &str, content: &[u8]) -> ScanReport {
        let mut report = ScanReport::default();
        let sniff = &content[..content.len().min(BINARY_SNIFF)];
        if memchr::memchr(0, sniff).is_some() {
            report.binary = true;
            return report;
        }
        let rel = normalize(path);
        let lines = LineIndex::new(content);
        let mut hits: Vec<Hit> = Vec::new();
        for ri in self.candidate_rules(content) {
            let Some(rule) = self.rules.get(ri) else {
                continue;
            };
            if let Some(paths) = &rule.paths
                && !paths.is_match(rel)
            {
                continue;
            }
            for caps in rule.regex.captures_iter(content) {
                let Some((start, end)) = rule.secret_span(&caps) else {
                    continue;
                };
                let secret = &content[start..end];
                let key = caps.name("key").map(|m| m.as_bytes());
                let rejected = caps.name("reject").is_some_and(|m| !m.is_empty());
                let verdict = if rejected {
                    Some(SkipReason::AllowPattern)
                } else {
                    rule.reject(secret, key)
                };
                match verdict {
                    Some(reason) => report.skipped.push(SkippedCandidate {
                        rule_id: rule.def.id.clone(),
                        path: path.to_string(),
                        line: lines.line_col(start).0,
                        masked: mask(secret),
                        reason,
                    }),
                    None => hits.push(Hit {
                        rule: ri,
                        start,
                        end,
                    }),
                }
            }
        }
        let allowlisted = self.allow_paths.is_match(rel);
        for (i, hit) in hits.iter().enumerate() {
            let Some(rule) = self.rules.get(hit.rule) else {
                continue;
            };
            let secret = &content[hit.start..hit.end];
            let (line, column) = lines.line_col(hit.start);
            let covered = rule
                .def
                .fallback
                .then(|| {
                    hits.iter().enumerate().find(|(j, o)| {
                        *j != i
                            && o.start < hit.end
                            && hit.start < o.end
                            && self.rules.get(o.rule).is_some_and(|r| !r.def.fallback)
                    })
                })
                .flatten();
            let reason = if let Some((_, by)) = covered {
                let by = self
                    .rules
                    .get(by.rule)
                    .map(|r| r.def.id.clone())
                    .unwrap_or_default();
                Some(SkipReason::CoveredBySpecificRule { by })
            } else if allowlisted {
                Some(SkipReason::AllowlistedPath)
            } else {
                None
            };
            if let Some(reason) = reason {
                report.skipped.push(SkippedCandidate {
                    rule_id: rule.def.id.clone(),
                    path: path.to_string(),
                    line,
                    masked: mask(secret),
                    reason,
                });
                continue;
            }
            report.findings.push(SecretFinding {
                rule_id: rule.def.id.clone(),
                title: rule.def.title.clone(),
                severity: rule.def.severity,
                path: path.to_string(),
                line,
                column: Some(column),
                masked: mask(secret),
                match_len: secret.len(),
                context: Some(lines.context(content, hit.start, hit.end)),
            });
        }
        report
            .findings
            .sort_by(|a, b| (a.line, a.column, &a.rule_id).cmp(&(b.line, b.column, &b.rule_id)));
        report
    }

    /// Indices of rules whose keywords occur in `content`, in rule order.
    fn candidate_rules(&self, content: &[u8]) -> Vec<usize> {
        let mut seen = vec![false; self.keyword_rules.len()];
        let mut remaining = seen.len();
        let mut wanted = vec![false; self.rules.len()];
        for &i in &self.unfiltered {
            if let Some(w) = wanted.get_mut(i) {
                *w = true;
            }
        }
        if remaining > 0 {
            for m in self.prefilter.find_overlapping_iter(content) {
                let p = m.pattern().as_usize();
                if let Some(s) = seen.get_mut(p)
                    && !*s
                {
                    *s = true;
                    remaining -= 1;
                    for &ri in self.keyword_rules.get(p).map(Vec::as_slice).unwrap_or(&[]) {
                        if let Some(w) = wanted.get_mut(ri) {
                            *w = true;
                        }
                    }
                    if remaining == 0 {
                        break;
                    }
                }
            }
        }
        wanted
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.then_some(i))
            .collect()
    }
}

impl CompiledRule {
    /// Byte span of the secret: first participating `secret*` group, else
    /// group 1, else the whole match.
    fn secret_span(&self, caps: &Captures<'_>) -> Option<(usize, usize)> {
        let m = self
            .secret_groups
            .iter()
            .find_map(|&g| caps.get(g))
            .or_else(|| {
                if self.secret_groups.is_empty() {
                    caps.get(1)
                } else {
                    None
                }
            })
            .or_else(|| caps.get(0))?;
        Some((m.start(), m.end()))
    }

    fn reject(&self, secret: &[u8], key: Option<&[u8]>) -> Option<SkipReason> {
        if self.allow.iter().any(|re| re.is_match(secret)) {
            return Some(SkipReason::AllowPattern);
        }
        if let Some(key) = key
            && self.allow_keys.iter().any(|re| re.is_match(key))
        {
            return Some(SkipReason::AllowKey);
        }
        if let Some(why) = is_placeholder(secret) {
            return Some(SkipReason::Placeholder { why: why.into() });
        }
        if let Some(min) = self.def.entropy {
            let entropy = shannon_entropy(secret);
            if entropy < min {
                return Some(SkipReason::LowEntropy { entropy, min });
            }
        }
        if let Some(v) = self.def.validate
            && !validate(v, secret)
        {
            return Some(SkipReason::ValidationFailed);
        }
        None
    }
}

fn validate(v: Validator, secret: &[u8]) -> bool {
    match v {
        Validator::Jwt => {
            let mut parts = secret.split(|&b| b == b'.');
            let header = parts.next().and_then(base64_decode);
            let payload = parts.next().and_then(base64_decode);
            let is_obj = |d: &Option<Vec<u8>>| {
                d.as_deref().is_some_and(|d| {
                    let t = d.trim_ascii();
                    t.starts_with(b"{") && t.ends_with(b"}")
                })
            };
            is_obj(&header)
                && is_obj(&payload)
                && header
                    .as_deref()
                    .is_some_and(|h| memchr::memmem::find(h, b"\"alg\"").is_some())
        }
        Validator::Base64UserPass => base64_decode(secret).is_some_and(|d| {
            let Ok(text) = std::str::from_utf8(&d) else {
                return false;
            };
            match text.split_once(':') {
                Some((user, pass)) => {
                    !user.is_empty()
                        && !pass.is_empty()
                        && !text.chars().any(char::is_control)
                        && is_placeholder(pass.as_bytes()).is_none()
                }
                None => false,
            }
        }),
    }
}

fn normalize(path: &str) -> &str {
    path.trim_start_matches("./").trim_start_matches('/')
}

/// Newline offsets, for 1-based line/column lookups in O(log n).
struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    fn new(content: &[u8]) -> Self {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', content).collect(),
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.newlines.partition_point(|&p| p < offset);
        let line_start = match idx.checked_sub(1).and_then(|i| self.newlines.get(i)) {
            Some(&nl) => nl + 1,
            None => 0,
        };
        (idx + 1, offset - line_start + 1)
    }

    /// Up to `CONTEXT_RADIUS` bytes of the line on each side, secret masked.
    fn context(&self, content: &[u8], start: usize, end: usize) -> String {
        let idx = self.newlines.partition_point(|&p| p < start);
        let line_start = match idx.checked_sub(1).and_then(|i| self.newlines.get(i)) {
            Some(&nl) => nl + 1,
            None => 0,
        };
        let line_end = self
            .newlines
            .get(self.newlines.partition_point(|&p| p < end))
            .copied()
            .unwrap_or(content.len());
        let from = start.saturating_sub(CONTEXT_RADIUS).max(line_start);
        let to = (end + CONTEXT_RADIUS).min(line_end).max(end);
        let before = String::from_utf8_lossy(&content[from..start]);
        let after = String::from_utf8_lossy(&content[end..to]);
        let secret = &content[start..end];
        // Multi-line secrets only show their first line.
        let first_line = secret.split(|&b| b == b'\n').next().unwrap_or(secret);
        format!(
            "{}{}{}{}{}",
            if from > line_start { "…" } else { "" },
            before,
            mask(first_line),
            after.split('\n').next().unwrap_or(""),
            if to < line_end { "…" } else { "" }
        )
        .trim()
        .to_string()
    }
}
