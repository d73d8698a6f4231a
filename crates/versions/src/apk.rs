//! Alpine version ordering, ported from apk-tools `src/version.c`.
//!
//! apk compares token by token and defines an order even for versions it considers
//! invalid (the invalid tail sorts low), so parsing only rejects input that has no
//! leading number at all; everything else compares exactly as `apk version -t` does.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::{Scheme, VersionError};

/// Token kinds in apk's order; later kinds may only follow earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// Suffix weights; `None` is the position of a release without suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Suffix {
    Alpha,
    Beta,
    Pre,
    Rc,
    None,
    Cvs,
    Svn,
    Git,
    Hg,
    P,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    text: String,
    suffix: Suffix,
}

#[derive(Debug, Clone)]
pub(crate) struct Apk {
    /// Always ends with an `End` or `Invalid` token.
    tokens: Vec<Token>,
}

fn suffix_value(s: &str) -> Option<Suffix> {
    Some(match s {
        "alpha" => Suffix::Alpha,
        "beta" => Suffix::Beta,
        "pre" => Suffix::Pre,
        "rc" => Suffix::Rc,
        "cvs" => Suffix::Cvs,
        "svn" => Suffix::Svn,
        "git" => Suffix::Git,
        "hg" => Suffix::Hg,
        "p" => Suffix::P,
        _ => return None,
    })
}

fn take_while(s: &str, f: impl Fn(u8) -> bool) -> (&str, &str) {
    let n = s.bytes().take_while(|&c| f(c)).count();
    s.split_at(n)
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let tok = |kind, text: &str| Token {
        kind,
        text: text.to_owned(),
        suffix: Suffix::None,
    };
    let (digits, mut rest) = take_while(s, |c| c.is_ascii_digit());
    if digits.is_empty() {
        tokens.push(tok(Kind::Invalid, ""));
        return tokens;
    }
    tokens.push(tok(Kind::InitialDigit, digits));
    let mut prev = Kind::InitialDigit;
    loop {
        let Some(&c) = rest.as_bytes().first() else {
            tokens.push(tok(Kind::End, ""));
            return tokens;
        };
        let next = match c {
            b'a'..=b'z' if prev <= Kind::Digit => {
                let (l, r) = rest.split_at(1);
                rest = r;
                Some(tok(Kind::Letter, l))
            }
            b'.' | b'0'..=b'9' if prev <= Kind::Digit || (c != b'.' && prev == Kind::Suffix) => {
                let kind = if prev == Kind::Suffix {
                    Kind::SuffixNo
                } else {
                    Kind::Digit
                };
                let body = rest.strip_prefix('.').unwrap_or(rest);
                let (d, r) = take_while(body, |c| c.is_ascii_digit());
                rest = r;
                (!d.is_empty()).then(|| tok(kind, d))
            }
            b'_' if prev <= Kind::SuffixNo => {
                let (name, r) = take_while(rest.get(1..).unwrap_or_default(), |c| {
                    c.is_ascii_lowercase()
                });
                rest = r;
                suffix_value(name).map(|suffix| Token {
                    suffix,
                    ..tok(Kind::Suffix, name)
                })
            }
            b'~' if prev < Kind::CommitHash => {
                let (hash, r) = take_while(
                    rest.get(1..).unwrap_or_default(),
                    |c| matches!(c, b'0'..=b'9' | b'a'..=b'f'),
                );
                rest = r;
                (!hash.is_empty()).then(|| tok(Kind::CommitHash, hash))
            }
            b'-' if prev < Kind::RevisionNo && rest.starts_with("-r") => {
                let (d, r) = take_while(rest.get(2..).unwrap_or_default(), |c| c.is_ascii_digit());
                rest = r;
                (!d.is_empty()).then(|| tok(Kind::RevisionNo, d))
            }
            _ => None,
        };
        match next {
            Some(t) => {
                prev = t.kind;
                tokens.push(t);
            }
            None => {
                tokens.push(tok(Kind::Invalid, ""));
                return tokens;
            }
        }
    }
}

impl Apk {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        if input.trim().is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Apk,
            });
        }
        let tokens = tokenize(input);
        if tokens.first().is_some_and(|t| t.kind == Kind::Invalid) {
            return Err(VersionError::invalid(
                Scheme::Apk,
                input,
                "version does not start with a number",
            ));
        }
        Ok(Apk { tokens })
    }
}

/// apk's `token_cmp` for two tokens of the same kind.
fn token_cmp(a: &Token, b: &Token) -> Ordering {
    match a.kind {
        // Gentoo rule: a leading zero in a non-initial component means string order.
        Kind::Digit if a.text.starts_with('0') || b.text.starts_with('0') => a.text.cmp(&b.text),
        Kind::Digit | Kind::InitialDigit | Kind::SuffixNo | Kind::RevisionNo => {
            cmp_digits(&a.text, &b.text)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        Kind::Letter | Kind::CommitHash | Kind::End | Kind::Invalid => a.text.cmp(&b.text),
    }
}

impl Ord for Apk {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut pairs = self.tokens.iter().zip(other.tokens.iter());
        let (ta, tb) = loop {
            match pairs.next() {
                Some((a, b)) if a.kind == b.kind && a.kind < Kind::End => {
                    let r = token_cmp(a, b);
                    if r != Ordering::Equal {
                        return r;
                    }
                }
                Some(pair) => break pair,
                // Unreachable: both token lists end with End or Invalid.
                None => return Ordering::Equal,
            }
        };
        if ta.kind == tb.kind {
            return Ordering::Equal;
        }
        // A pre-release suffix makes the longer version older.
        if ta.kind == Kind::Suffix && ta.suffix < Suffix::None {
            return Ordering::Less;
        }
        if tb.kind == Kind::Suffix && tb.suffix < Suffix::None {
            return Ordering::Greater;
        }
        tb.kind.cmp(&ta.kind)
    }
}

impl PartialOrd for Apk {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Apk {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Apk {}
