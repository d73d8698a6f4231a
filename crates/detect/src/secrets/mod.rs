//! Content secret scanner: keyword prefilter, then per-rule regexes or
//! config-file parsers, then false-positive filters (placeholders, entropy,
//! allowlists, validators, public-by-design contexts), then a confidence
//! rating and the reason for every finding.

mod checks;
mod flatten;
mod lines;
mod rule;
mod select;

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::RegexSet;
use serde::Serialize;

use crate::DetectError;
use crate::config::{Confidence, Parser, SecretConfig};
use crate::credfiles::is_credential_file;
use crate::util::mask;
pub use drydock_model::{SecretFinding, SkipReason, SkippedCandidate};
use lines::LineIndex;
use rule::{Candidate, CompiledRule, Tier};
use select::Scope;

pub(crate) use checks::base64_user_pass;

/// Only this prefix is inspected for NUL bytes: enough to catch ELF/images
/// without reading whole files twice.
const BINARY_SNIFF: usize = 8 << 10;

/// Result of [`SecretScanner::scan_debug`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReport {
    pub findings: Vec<SecretFinding>,
    pub skipped: Vec<SkippedCandidate>,
    /// The content looked binary and was not scanned.
    pub binary: bool,
}

/// Compiled secret rules plus the file-selection policy.
#[derive(Debug)]
pub struct SecretScanner {
    rules: Vec<CompiledRule>,
    prefilter: AhoCorasick,
    /// Prefilter pattern index -> rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    /// Regex rules without keywords (path-restricted); always considered.
    unfiltered: Vec<usize>,
    /// Parser rules, also run on the files their parser handles by name.
    parsers: Vec<(Parser, usize)>,
    /// Prefilter pattern index -> whether a `line_scoped` rule listed it.
    line_keywords: Vec<bool>,
    skip_paths: RegexSet,
    skip_extensions: HashSet<String>,
    allow_paths: RegexSet,
    sample_paths: RegexSet,
    max_file_size: u64,
    min_confidence: Confidence,
}

/// An accepted candidate, rated, before overlap resolution; the span is in
/// the file's own coordinates.
struct Hit {
    rule: usize,
    span: (usize, usize),
    confidence: Confidence,
    reason: String,
    /// Confidence before the checksum, for ranking overlapping hits.
    rank: Confidence,
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
        let mut parsers = Vec::new();
        let mut line_keywords = Vec::new();
        for def in cfg.enabled_rules() {
            let idx = rules.len();
            let rule = CompiledRule::new(def)?;
            match rule.parser() {
                Some(p) => parsers.push((p, idx)),
                None if def.keywords.is_empty() => unfiltered.push(idx),
                None => {}
            }
            for kw in &def.keywords {
                let kw = kw.to_ascii_lowercase();
                let p = match keywords.iter().position(|k| *k == kw) {
                    Some(p) => p,
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(Vec::new());
                        line_keywords.push(false);
                        keywords.len() - 1
                    }
                };
                keyword_rules[p].push(idx);
                line_keywords[p] |= def.line_scoped;
            }
            rules.push(rule);
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
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
            parsers,
            line_keywords,
            skip_paths: compile_set("<skip_paths>", &cfg.skip_paths)?,
            skip_extensions: cfg.skip_extensions.iter().cloned().collect(),
            allow_paths: compile_set("<allow_paths>", &cfg.allow_paths)?,
            sample_paths: compile_set("<sample_paths>", &cfg.sample_paths)?,
            max_file_size: cfg.max_file_size,
            min_confidence: cfg.min_confidence,
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

    /// Whether `rule_id` is a generic (fallback) rule of this scanner.
    pub(crate) fn is_fallback(&self, rule_id: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.def.id == rule_id && r.tier == Tier::Fallback)
    }

    /// Findings below this confidence are only reported as skipped candidates.
    pub fn min_confidence(&self) -> Confidence {
        self.min_confidence
    }

    /// Whether a file is worth reading: not too large, not a binary format,
    /// not inside a skipped tree. Credential files the parsers read
    /// (`.netrc`, `settings.xml`, ...) are always wanted. `path` may have a
    /// leading `/`. Allocation-free: it runs for every file of an image.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        if size > self.max_file_size {
            return false;
        }
        let rel = normalize(path);
        if self.skip_paths.is_match(rel) {
            return false;
        }
        if is_credential_file(rel) {
            return true;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        match name.rsplit_once('.') {
            Some((_, ext)) => !self.skips_extension(ext),
            None => true,
        }
    }

    /// Whether the file would be scanned but for its size: the caller reports such files
    /// as not covered instead of skipping them silently.
    pub fn too_large(&self, path: &str, size: u64) -> bool {
        size > self.max_file_size && self.wants(path, 0)
    }

    /// Whether content starting with `prefix` is binary (a NUL in its first 8 KiB) and so
    /// not scanned, whatever its size.
    pub fn looks_binary(prefix: &[u8]) -> bool {
        memchr::memchr(0, &prefix[..prefix.len().min(BINARY_SNIFF)]).is_some()
    }

    /// Bytes of a file's start that [`SecretScanner::looks_binary`] looks at.
    pub const SNIFF_BYTES: usize = BINARY_SNIFF;

    /// Files larger than this are not scanned ([`SecretScanner::too_large`]).
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    fn skips_extension(&self, ext: &str) -> bool {
        const MAX: usize = 8;
        let mut buf = [0u8; MAX];
        let Some(dst) = buf.get_mut(..ext.len()) else {
            return false;
        };
        dst.copy_from_slice(ext.as_bytes());
        dst.make_ascii_lowercase();
        std::str::from_utf8(dst).is_ok_and(|e| self.skip_extensions.contains(e))
    }

    /// Reported secrets in `content`.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretFinding> {
        self.scan_debug(path, content).findings
    }

    /// Like [`scan`](Self::scan) but also returns dropped candidates and why.
    pub fn scan_debug(&self, path: &str, content: &[u8]) -> ScanReport {
        let mut report = ScanReport::default();
        if Self::looks_binary(content) {
            report.binary = true;
            return report;
        }
        let rel = normalize(path);
        let lines = LineIndex::new(content);
        let skip =
            |rule: &CompiledRule, start: usize, end: usize, reason: SkipReason| SkippedCandidate {
                rule_id: rule.def.id.clone(),
                path: path.to_string(),
                line: lines.line_col(start).0,
                masked: mask(&content[start..end]),
                reason,
            };
        let mut hits: Vec<Hit> = Vec::new();
        // Keys a format rule found public by design; generic rules must not
        // report them either.
        let mut public: Vec<(usize, usize)> = Vec::new();
        // A config file a parser reads by name is judged by its parser, not
        // by generic assignment rules (which would also report the commented-
        // out samples of Maven's default settings.xml).
        let parsed = self.parsers.iter().any(|(p, _)| p.handles(rel));
        // Line-scoped rules read YAML/INI files with section-qualified keys.
        let flat = flatten::flatten(rel, content);
        for (ri, scope) in self.candidate_rules(rel, flat.as_ref().map_or(content, |f| f.text())) {
            let Some(rule) = self.rules.get(ri) else {
                continue;
            };
            if parsed && rule.tier == Tier::Fallback {
                continue;
            }
            if let Some(paths) = &rule.paths
                && !paths.is_match(rel)
            {
                continue;
            }
            // Vendor rules see section-qualified keys; generic ones the leaf
            // key only (`credentialScope: {region: ...}` holds no secret).
            let view = flat
                .as_ref()
                .filter(|_| rule.def.line_scoped && rule.tier != Tier::Fallback);
            let text = view.map_or(content, |f| f.text());
            let to_original = |span| view.map_or(Some(span), |f| f.to_original(span));
            let candidates: Vec<Candidate> = match scope {
                Scope::File => rule.candidates(text, 0..text.len()),
                Scope::Lines(lines) => lines
                    .into_iter()
                    .filter_map(|range| match (&flat, view) {
                        (Some(f), None) => f.original_line(range.start),
                        _ => Some(range),
                    })
                    .flat_map(|range| rule.candidates(text, range))
                    .collect(),
            };
            for candidate in candidates {
                let Some((start, end)) = to_original(candidate.span) else {
                    continue;
                };
                match rule.reject(text, &candidate) {
                    Some(reason) => {
                        if reason == SkipReason::PublicByDesign && rule.tier == Tier::Format {
                            public.push((start, end));
                        }
                        report.skipped.push(skip(rule, start, end, reason));
                    }
                    None => {
                        let rank = candidate
                            .rated
                            .as_ref()
                            .map_or(rule.base_confidence(), |r| r.0);
                        let (confidence, reason) = rule.rate(text, candidate);
                        hits.push(Hit {
                            rule: ri,
                            span: (start, end),
                            confidence,
                            reason,
                            rank,
                        });
                    }
                }
            }
        }
        let allowlisted = self.allow_paths.is_match(rel);
        let test_or_example = self.sample_paths.is_match(rel);
        let covering: Vec<Option<usize>> =
            hits.iter().map(|hit| self.covered_by(hit, &hits)).collect();
        for (hit, by) in hits.into_iter().zip(covering) {
            let Some(rule) = self.rules.get(hit.rule) else {
                continue;
            };
            let (start, end) = hit.span;
            let is_public =
                rule.tier != Tier::Format && public.iter().any(|&(ps, pe)| ps < end && start < pe);
            let reason = if let Some(by) = by {
                let by = self
                    .rules
                    .get(by)
                    .map(|r| r.def.id.clone())
                    .unwrap_or_default();
                Some(SkipReason::CoveredBySpecificRule { by })
            } else if is_public {
                Some(SkipReason::PublicByDesign)
            } else if allowlisted {
                Some(SkipReason::AllowlistedPath)
            } else if test_or_example && hit.confidence < Confidence::High {
                Some(SkipReason::SamplePath)
            } else if hit.confidence < Confidence::High
                && rel.ends_with(".py")
                && rule::in_python_docstring(content, start)
            {
                Some(SkipReason::Placeholder {
                    why: "documentation example (Python docstring)".into(),
                })
            } else {
                None
            };
            if let Some(reason) = reason {
                report.skipped.push(skip(rule, start, end, reason));
                continue;
            }
            let (confidence, why) = (hit.confidence, hit.reason);
            if confidence < self.min_confidence {
                let reason = SkipReason::BelowMinConfidence {
                    confidence,
                    min: self.min_confidence,
                };
                report.skipped.push(skip(rule, start, end, reason));
                continue;
            }
            let secret = &content[start..end];
            let (line, column) = lines.line_col(start);
            report.findings.push(SecretFinding {
                rule_id: rule.def.id.clone(),
                title: rule.def.title.clone(),
                severity: rule.def.severity,
                path: path.to_string(),
                line,
                column: Some(column),
                masked: mask(secret),
                match_len: secret.len(),
                context: Some(lines.context(content, start, end)),
                confidence,
                reason: why,
            });
        }
        report
            .findings
            .sort_by(|a, b| (a.line, a.column, &a.rule_id).cmp(&(b.line, b.column, &b.rule_id)));
        report
    }

    /// The rule of an overlapping hit that says more: one of a higher
    /// confidence (a `.git-credentials` field over a URL pattern,
    /// `AccountKey=` over a key-named assignment), or as confident and of a
    /// lower tier (a token format over a config-file field over a generic
    /// assignment).
    fn covered_by(&self, hit: &Hit, hits: &[Hit]) -> Option<usize> {
        let rank = |h: &Hit| {
            self.rules
                .get(h.rule)
                .map(|r| (std::cmp::Reverse(h.rank), r.tier))
        };
        let (start, end) = hit.span;
        hits.iter()
            .find(|o| {
                let (os, oe) = o.span;
                os < end && start < oe && rank(o) < rank(hit)
            })
            .map(|o| o.rule)
    }
}

fn normalize(path: &str) -> &str {
    path.trim_start_matches("./").trim_start_matches('/')
}
