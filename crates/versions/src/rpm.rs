//! RPM version ordering: `rpmvercmp` from rpm's `rpmio/rpmvercmp.cc` applied to
//! epoch, version and release in turn.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct Evr {
    epoch: String,
    version: String,
    /// Empty when absent. rpm itself skips the release comparison when either side
    /// lacks one, which is not a total order; we order a missing release first instead.
    release: String,
}

impl Evr {
    /// Splits `[epoch:]version[-release]` the way rpm's `parseEVR` does: the epoch is
    /// a leading digit run ended by `:`, the release follows the last `-`.
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Rpm,
            });
        }
        let digits = crate::num::digit_run(s.as_bytes());
        let (epoch, rest) = match s.get(digits..).and_then(|r| r.strip_prefix(':')) {
            Some(rest) => (s.get(..digits).unwrap_or_default(), rest),
            None => ("0", s),
        };
        let (version, release) = rest.rsplit_once('-').unwrap_or((rest, ""));
        if version.is_empty() {
            return Err(VersionError::invalid(
                Scheme::Rpm,
                input,
                "empty version part",
            ));
        }
        Ok(Evr {
            epoch: epoch.to_owned(),
            version: version.to_owned(),
            release: release.to_owned(),
        })
    }
}

/// rpm's `rpmvercmp`: alternating alphabetic and numeric segments, any other ASCII or
/// non-ASCII byte separates; `~` sorts before everything (even the end), `^` after the
/// end but before any further segment.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    let sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    loop {
        while a.get(i).is_some_and(|&c| sep(c)) {
            i += 1;
        }
        while b.get(j).is_some_and(|&c| sep(c)) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca.is_none() && cb.is_none() {
            return Ordering::Equal;
        }
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            match (ca, cb) {
                (None, _) => return Ordering::Less,
                (_, None) => return Ordering::Greater,
                (Some(b'^'), Some(b'^')) => {
                    i += 1;
                    j += 1;
                    continue;
                }
                (Some(b'^'), _) => return Ordering::Less,
                _ => return Ordering::Greater,
            }
        }
        let (Some(ca), Some(_)) = (ca, cb) else {
            // Whichever version still has segments left is newer.
            return if ca.is_none() {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        };
        let numeric = ca.is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let rest_a = a.get(i..).unwrap_or_default();
        let rest_b = b.get(j..).unwrap_or_default();
        let la = rest_a.iter().take_while(|c| class(c)).count();
        let lb = rest_b.iter().take_while(|c| class(c)).count();
        if lb == 0 {
            // Segments of different types: numeric is newer than alphabetic.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let sa = rest_a.get(..la).unwrap_or_default();
        let sb = rest_b.get(..lb).unwrap_or_default();
        let ord = if numeric {
            cmp_digits(
                std::str::from_utf8(sa).unwrap_or_default(),
                std::str::from_utf8(sb).unwrap_or_default(),
            )
        } else {
            sa.cmp(sb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        i += la;
        j += lb;
    }
}

impl Ord for Evr {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| rpmvercmp(&self.release, &other.release))
    }
}

impl PartialOrd for Evr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Evr {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Evr {}
