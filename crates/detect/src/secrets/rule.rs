//! One compiled rule: how it finds candidates (regex or config-file parser)
//! and how it judges them (placeholders, entropy, allowlists, validators,
//! public-by-design contexts) and rates them (confidence and reason).

use std::ops::Range;

use regex::bytes::{Captures, Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::SkipReason;
use super::checks::{validate, verify};
use crate::DetectError;
use crate::config::{Confidence, Parser, RuleDef};
use crate::util::{is_placeholder, shannon_entropy};

/// Bytes on each side of a match searched by `public_context` patterns.
const PUBLIC_CONTEXT_RADIUS: usize = 300;
/// Short values cannot reach a fixed entropy (8 distinct characters carry
/// at most 3 bits each), so the bar is this fraction of the most a value of
/// that length can have, when that is lower than the rule's minimum.
const SHORT_ENTROPY_FACTOR: f64 = 0.85;

/// Where a rule's matches rank when several rules report the same bytes:
/// a lower tier covers a higher one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// A token format (vendor prefix, structure).
    Format,
    /// A credential field of a parsed config file.
    Structured,
    /// A generic secret-like assignment.
    Fallback,
}

#[derive(Debug)]
enum Finder {
    Regex {
        regex: Regex,
        /// Capture group indices whose name starts with `secret`.
        secret_groups: Vec<usize>,
    },
    Parser(Parser),
}

/// A possible secret before judging. Spans are byte ranges of the content.
pub(crate) struct Candidate {
    pub span: (usize, usize),
    /// Part checked for placeholders and entropy: the `body` group, i.e.
    /// the secret without a fixed vendor prefix (`AAAA...` in Twitter tokens).
    pub body: (usize, usize),
    pub key: Option<(usize, usize)>,
    /// A `reject` group participated (e.g. the value is a function call).
    pub rejected: bool,
    /// Set by parsers, which know what the field is.
    pub rated: Option<(Confidence, String)>,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub def: RuleDef,
    pub tier: Tier,
    finder: Finder,
    allow: Vec<Regex>,
    allow_keys: Vec<Regex>,
    pub paths: Option<regex::RegexSet>,
    public_context: Option<RegexSet>,
}

pub(crate) fn compile(rule_id: &str, pattern: &str) -> Result<Regex, DetectError> {
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

impl CompiledRule {
    pub(crate) fn new(def: &RuleDef) -> Result<Self, DetectError> {
        let invalid = |reason: &str| DetectError::InvalidRule {
            rule: def.id.clone(),
            reason: reason.to_string(),
        };
        let finder = match (def.parser, def.regex.is_empty()) {
            (Some(p), true) => Finder::Parser(p),
            (None, false) => {
                let regex = compile(&def.id, &def.regex)?;
                let secret_groups = regex
                    .capture_names()
                    .enumerate()
                    .filter(|(_, n)| n.is_some_and(|n| n.starts_with("secret")))
                    .map(|(i, _)| i)
                    .collect();
                Finder::Regex {
                    regex,
                    secret_groups,
                }
            }
            (Some(_), false) => return Err(invalid("a rule has a regex or a parser, not both")),
            (None, true) => return Err(invalid("a rule needs a regex or a parser")),
        };
        if def.keywords.is_empty() && def.paths.is_empty() && def.parser.is_none() {
            return Err(invalid("a rule needs keywords or paths"));
        }
        let compile_all = |patterns: &[String]| -> Result<Vec<Regex>, DetectError> {
            patterns.iter().map(|p| compile(&def.id, p)).collect()
        };
        let regex_err = |source| DetectError::Regex {
            rule: def.id.clone(),
            source,
        };
        let paths = if def.paths.is_empty() {
            None
        } else {
            Some(regex::RegexSet::new(&def.paths).map_err(regex_err)?)
        };
        let public_context = if def.public_context.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(&def.public_context)
                    .unicode(false)
                    .build()
                    .map_err(regex_err)?,
            )
        };
        let tier = if def.fallback {
            Tier::Fallback
        } else if def.parser.is_some() {
            Tier::Structured
        } else {
            Tier::Format
        };
        Ok(CompiledRule {
            def: def.clone(),
            tier,
            finder,
            allow: compile_all(&def.allow)?,
            allow_keys: compile_all(&def.allow_keys)?,
            paths,
            public_context,
        })
    }

    pub(crate) fn parser(&self) -> Option<Parser> {
        match self.finder {
            Finder::Parser(p) => Some(p),
            Finder::Regex { .. } => None,
        }
    }

    /// Every candidate of this rule in `content[range]` (parsers read the
    /// whole file), with spans relative to `content`.
    pub(crate) fn candidates(&self, content: &[u8], range: Range<usize>) -> Vec<Candidate> {
        let base = range.start;
        let at = |m: regex::bytes::Match<'_>| (base + m.start(), base + m.end());
        match &self.finder {
            Finder::Parser(p) => p
                .parse(content)
                .into_iter()
                .map(|f| Candidate {
                    span: (f.start, f.end),
                    body: (f.start, f.end),
                    key: None,
                    rejected: false,
                    rated: Some((f.confidence, f.reason)),
                })
                .collect(),
            Finder::Regex {
                regex,
                secret_groups,
            } => regex
                .captures_iter(&content[range])
                .filter_map(|caps| {
                    let mut span = at(secret_match(secret_groups, &caps)?);
                    if self.def.fallback {
                        let len = value_len(&content[span.0..span.1]);
                        if len < span.1 - span.0 && len < MIN_GENERIC_VALUE {
                            return None;
                        }
                        span.1 = span.0 + len;
                    }
                    let body = caps.name("body").map_or(span, at);
                    Some(Candidate {
                        span,
                        body,
                        key: caps.name("key").map(at),
                        rejected: caps.name("reject").is_some_and(|m| !m.is_empty()),
                        rated: None,
                    })
                })
                .collect(),
        }
    }

    /// Why `c` is not a secret, if it is not.
    pub(crate) fn reject(&self, content: &[u8], c: &Candidate) -> Option<SkipReason> {
        let secret = &content[c.span.0..c.span.1];
        let body = &content[c.body.0..c.body.1];
        if c.rejected || self.allow.iter().any(|re| re.is_match(secret)) {
            return Some(SkipReason::AllowPattern);
        }
        if let Some((ks, ke)) = c.key
            && self
                .allow_keys
                .iter()
                .any(|re| re.is_match(&content[ks..ke]))
        {
            return Some(SkipReason::AllowKey);
        }
        if in_doctest(content, c.span.0) {
            return Some(SkipReason::Placeholder {
                why: "documentation example (doctest)".into(),
            });
        }
        if let Some(why) = is_placeholder(body) {
            return Some(SkipReason::Placeholder { why: why.into() });
        }
        if let Some(min) = self.def.entropy {
            let entropy = shannon_entropy(body);
            let short_min = (body.len() as f64).log2() * SHORT_ENTROPY_FACTOR;
            // A short value only gets the lower bar if it is built like a
            // password; `Optional.` and `T1552.004` are not.
            let min = if short_min < min && mixes_like_password(body) {
                short_min
            } else {
                min
            };
            if entropy < min {
                return Some(SkipReason::LowEntropy { entropy, min });
            }
        }
        if let Some(v) = self.def.validate
            && !validate(v, secret)
        {
            return Some(SkipReason::ValidationFailed);
        }
        if let Some(set) = &self.public_context {
            let from = c.span.0.saturating_sub(PUBLIC_CONTEXT_RADIUS);
            let to = (c.span.1 + PUBLIC_CONTEXT_RADIUS).min(content.len());
            if set.is_match(&content[from..to]) {
                return Some(SkipReason::PublicByDesign);
            }
        }
        None
    }

    /// Confidence of a match before its checksum is looked at.
    pub(crate) fn base_confidence(&self) -> Confidence {
        self.def.confidence.unwrap_or(if self.def.fallback {
            Confidence::Low
        } else {
            Confidence::Medium
        })
    }

    /// Confidence of an accepted candidate, and why it is a secret.
    pub(crate) fn rate(&self, content: &[u8], c: Candidate) -> (Confidence, String) {
        if let Some(rated) = c.rated {
            return rated;
        }
        let base = self.base_confidence();
        let secret = &content[c.span.0..c.span.1];
        let checked = self.def.checksum.and_then(|k| verify(k, secret));
        let confidence = match checked {
            Some(true) => Confidence::High,
            Some(false) => base.min(Confidence::Medium),
            None => base,
        };
        let mut reason = match (&self.def.reason, c.key) {
            (Some(r), _) => r.clone(),
            (None, Some((ks, ke))) => format!(
                "`{}` names a secret and the value looks random ({:.1} bits/char)",
                String::from_utf8_lossy(&content[ks..ke]),
                shannon_entropy(&content[c.body.0..c.body.1])
            ),
            (None, None) => match base {
                Confidence::High => format!("vendor prefix and format of a {}", self.def.title),
                _ => format!(
                    "{} format next to a name that says what it is",
                    self.def.title
                ),
            },
        };
        match checked {
            Some(true) => reason.push_str("; its checksum verifies"),
            Some(false) => {
                reason.push_str("; its checksum does not verify (made-up or sample token?)")
            }
            None => {}
        }
        (confidence, reason)
    }
}

/// The shortest value the generic rules' regexes accept (`{8,}`), kept after a cut.
const MIN_GENERIC_VALUE: usize = 8;

/// Where an assigned value ends inside a generic match: before `&name=` (a URL's query
/// goes on: `?token=…&token_type_hint=…`) and before a literal `\n`, `\r`, `\t`, `\"` or
/// a final `\` (the value sits in an escaped string: `proxy_pass: NAME\n- http…`).
fn value_len(value: &[u8]) -> usize {
    let query_goes_on = |rest: &[u8]| {
        let name = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        name > 0 && rest.get(name) == Some(&b'=')
    };
    (0..value.len())
        .find(|&i| match value[i] {
            b'&' => query_goes_on(&value[i + 1..]),
            b'\\' => matches!(value.get(i + 1), None | Some(b'n' | b'r' | b't' | b'"')),
            _ => false,
        })
        .unwrap_or(value.len())
}

/// Whether byte `at` of a Python file is inside a triple-quoted string (a docstring,
/// by far their most common use): assignments there illustrate an API
/// (`oauth_token="ad180jjd733klru7"` in oauthlib's docs).
pub(crate) fn in_python_docstring(content: &[u8], at: usize) -> bool {
    let before = &content[..at];
    let count = |quotes: &[u8]| memchr::memmem::find_iter(before, quotes).count();
    count(b"\"\"\"") % 2 == 1 || count(b"'''") % 2 == 1
}

/// Whether byte `at` is in a Python doctest: on a `>>> ` line or on the
/// output line after one. Values there illustrate an API.
fn in_doctest(content: &[u8], at: usize) -> bool {
    let prompt = |line: &[u8]| {
        let indent = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        line[indent..].starts_with(b">>> ")
    };
    let start = memchr::memrchr(b'\n', &content[..at]).map_or(0, |p| p + 1);
    let previous = start
        .checked_sub(1)
        .map(|nl| memchr::memrchr(b'\n', &content[..nl]).map_or(0, |p| p + 1)..nl);
    prompt(&content[start..at]) || previous.is_some_and(|r| prompt(&content[r]))
}

/// At least two letters and, before any trailing punctuation, a digit or
/// symbol: the make-up of short passwords, unlike words and identifiers.
fn mixes_like_password(value: &[u8]) -> bool {
    let core = value
        .strip_suffix(b".")
        .or_else(|| value.strip_suffix(b","))
        .unwrap_or(value);
    let letters = core.iter().filter(|b| b.is_ascii_alphabetic()).count();
    letters >= 2 && core.iter().any(|b| !b.is_ascii_alphabetic())
}

/// The secret: first participating `secret*` group, else group 1, else the
/// whole match.
fn secret_match<'h>(
    secret_groups: &[usize],
    caps: &Captures<'h>,
) -> Option<regex::bytes::Match<'h>> {
    secret_groups
        .iter()
        .find_map(|&g| caps.get(g))
        .or_else(|| {
            if secret_groups.is_empty() {
                caps.get(1)
            } else {
                None
            }
        })
        .or_else(|| caps.get(0))
}
