//! Debian version ordering, ported from dpkg's `lib/dpkg/version.c` (`verrevcmp`) and
//! the validation rules of `parseversion` in `lib/dpkg/parsehelp.c`.
//!
//! Only what `parseversion` reports as an error is rejected. Its warnings (upstream not
//! starting with a digit, unexpected characters) are accepted, as `dpkg
//! --compare-versions` does, so that odd but installed versions still compare.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct Dpkg {
    epoch: u32,
    upstream: String,
    /// Empty when absent; dpkg treats a missing revision like an empty one.
    revision: String,
}

impl Dpkg {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |reason| VersionError::invalid(Scheme::Dpkg, input, reason);
        let s = input.trim();
        if s.is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Dpkg,
            });
        }
        if s.contains(char::is_whitespace) {
            return Err(err("embedded whitespace"));
        }
        let (epoch, rest) = match s.split_once(':') {
            Some((e, rest)) => {
                if e.is_empty() || !e.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(err("epoch is not a number"));
                }
                // dpkg rejects epochs above INT_MAX.
                let epoch = e
                    .parse::<i32>()
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| err("epoch is too large"))?;
                (epoch, rest)
            }
            None => (0, s),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((u, r)) => (u, r),
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(err("empty upstream version"));
        }
        Ok(Dpkg {
            epoch,
            upstream: upstream.to_owned(),
            revision: revision.to_owned(),
        })
    }
}

/// Sort weight of a non-digit character: `~` before end-of-string before letters
/// before everything else.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`, with digit runs compared as unbounded integers.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let non_digit = |s: &[u8], k: usize| s.get(k).is_some_and(|c| !c.is_ascii_digit());
    while i < a.len() || j < b.len() {
        while non_digit(a, i) || non_digit(b, j) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let da = crate::num::digit_run(a.get(i..).unwrap_or_default());
        let db = crate::num::digit_run(b.get(j..).unwrap_or_default());
        let na = std::str::from_utf8(a.get(i..i + da).unwrap_or_default()).unwrap_or_default();
        let nb = std::str::from_utf8(b.get(j..j + db).unwrap_or_default()).unwrap_or_default();
        let ord = crate::num::cmp_digits(na, nb);
        if ord != Ordering::Equal {
            return ord;
        }
        i += da;
        j += db;
    }
    Ordering::Equal
}

impl Ord for Dpkg {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

impl PartialOrd for Dpkg {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Dpkg {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Dpkg {}
