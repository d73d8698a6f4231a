//! RubyGems ordering, ported from `Gem::Version` (`lib/rubygems/version.rb`):
//! validation by `ANCHORED_VERSION_PATTERN`, `-` rewritten to `.pre.`, comparison of
//! `canonical_segments`.

use std::cmp::Ordering;

use crate::num::Num;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Num(Num),
    Str(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Gem {
    segments: Vec<Segment>,
}

/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
fn is_valid(s: &str) -> bool {
    let (main, pre) = match s.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (s, None),
    };
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|p| {
        p.split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
    });
    first_ok && rest_ok && pre_ok
}

/// `canonical_segments`: drop trailing zero segments, and for pre-releases the zero
/// segments directly before the first letter.
fn canonical(version: &str) -> String {
    let b = version.as_bytes();
    // sub(/(?<=[a-zA-Z.])[.0]+\z/, "")
    let run_start = b.len()
        - b.iter()
            .rev()
            .take_while(|c| matches!(c, b'.' | b'0'))
            .count();
    let mut s = version.to_owned();
    if let Some(p) = (run_start.max(1)..b.len()).find(|&p| {
        b.get(p - 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
    }) {
        s.truncate(p);
    }
    // sub!(/(?<=\.|\A)[0.]+(?=[a-zA-Z])/, "") for pre-releases only.
    if s.bytes().any(|c| c.is_ascii_alphabetic()) {
        let b = s.as_bytes();
        let found = (0..b.len()).find_map(|p| {
            let anchored = p == 0 || b.get(p - 1) == Some(&b'.');
            let run = b
                .get(p..)?
                .iter()
                .take_while(|c| matches!(c, b'0' | b'.'))
                .count();
            (anchored && run > 0 && b.get(p + run).is_some_and(u8::is_ascii_alphabetic))
                .then_some((p, run))
        });
        if let Some((p, run)) = found {
            s.replace_range(p..p + run, "");
        }
    }
    s
}

/// `partition_segments`: runs of digits become numbers, runs of letters strings.
fn partition(s: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        rest = rest.get(start..).unwrap_or_default();
        let digits = rest.bytes().next().is_some_and(|c| c.is_ascii_digit());
        let len = rest
            .bytes()
            .take_while(|c| {
                if digits {
                    c.is_ascii_digit()
                } else {
                    c.is_ascii_alphabetic()
                }
            })
            .count();
        let (seg, tail) = rest.split_at(len);
        out.push(if digits {
            Segment::Num(Num::new(seg))
        } else {
            Segment::Str(seg.to_owned())
        });
        rest = tail;
    }
    out
}

impl Gem {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        let s = input.trim();
        // Gem::Version.new("") is "0".
        let s = if s.is_empty() { "0" } else { s };
        if !is_valid(s) {
            return Err(VersionError::invalid(
                Scheme::RubyGems,
                input,
                "malformed version number string",
            ));
        }
        let version = s.replace('-', ".pre.");
        Ok(Gem {
            segments: partition(&canonical(&version)),
        })
    }
}

impl Ord for Gem {
    fn cmp(&self, other: &Self) -> Ordering {
        let (l, r) = (&self.segments, &other.segments);
        for (a, b) in l.iter().zip(r) {
            let ord = match (a, b) {
                (Segment::Num(x), Segment::Num(y)) => x.cmp(y),
                (Segment::Str(x), Segment::Str(y)) => x.cmp(y),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        // The longer version wins unless its extra part starts with a string
        // (pre-release) or is all zeros.
        let tail = |longer: &[Segment], shorter: usize| {
            for seg in longer.get(shorter..).unwrap_or_default() {
                match seg {
                    Segment::Str(_) => return Ordering::Less,
                    Segment::Num(n) if !n.is_zero() => return Ordering::Greater,
                    Segment::Num(_) => {}
                }
            }
            Ordering::Equal
        };
        match l.len().cmp(&r.len()) {
            Ordering::Greater => tail(l, r.len()),
            Ordering::Less => tail(r, l.len()).reverse(),
            Ordering::Equal => Ordering::Equal,
        }
    }
}

impl PartialOrd for Gem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Gem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Gem {}
