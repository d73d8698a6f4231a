//! The SemVer family: strict SemVer 2.0.0, node-semver's loose grammar, Go's
//! `x/mod/semver`, NuGet and Bitnami. They share precedence rules (numeric core, then
//! pre-release identifiers, build metadata ignored) and differ in what they accept, and
//! Bitnami in that its suffix is a revision, sorting after the bare release.

use std::cmp::Ordering;

use crate::num::Num;
use crate::{Scheme, VersionError};

/// A pre-release identifier; numeric identifiers sort before alphanumeric ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Num(Num),
    Alpha(String),
}

#[derive(Debug, Clone)]
pub(crate) struct SemVer {
    /// `major.minor.patch` plus NuGet's fourth "revision" component (zero elsewhere).
    core: [Num; 4],
    pre: Vec<Ident>,
    /// The suffix is a package revision (Bitnami), newer than no suffix at all.
    revision: bool,
}

/// What a scheme's grammar allows.
struct Rules {
    /// Characters that may precede the version (`v` for Go, `v`, `=` and blanks for npm).
    prefix: &'static [u8],
    /// Prefix characters may repeat (npm loose mode).
    prefix_repeat: bool,
    /// Fewest and most numeric components.
    min_parts: usize,
    max_parts: usize,
    /// Leading zeros allowed in numbers.
    leading_zeros: bool,
    /// The `-` before the pre-release may be omitted (npm loose mode).
    optional_dash: bool,
    /// A pre-release or build suffix requires all three core components (Go).
    suffix_needs_patch: bool,
    /// Pre-release identifiers compare case-insensitively (NuGet).
    fold_case: bool,
}

fn rules(scheme: Scheme) -> Rules {
    let strict = Rules {
        prefix: b"",
        prefix_repeat: false,
        min_parts: 3,
        max_parts: 3,
        leading_zeros: false,
        optional_dash: false,
        suffix_needs_patch: false,
        fold_case: false,
    };
    match scheme {
        Scheme::Npm => Rules {
            prefix: b"v= \t",
            prefix_repeat: true,
            leading_zeros: true,
            optional_dash: true,
            ..strict
        },
        Scheme::Go => Rules {
            prefix: b"v",
            min_parts: 1,
            suffix_needs_patch: true,
            ..strict
        },
        Scheme::NuGet => Rules {
            min_parts: 1,
            max_parts: 4,
            leading_zeros: true,
            fold_case: true,
            ..strict
        },
        _ => strict,
    }
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

impl SemVer {
    pub(crate) fn parse(scheme: Scheme, input: &str) -> Result<Self, VersionError> {
        let err = |reason| VersionError::invalid(scheme, input, reason);
        let r = rules(scheme);
        let mut s = input.trim();
        if s.is_empty() {
            return Err(VersionError::Empty { scheme });
        }
        if r.prefix_repeat {
            s = s.trim_start_matches(|c: char| c.is_ascii() && r.prefix.contains(&(c as u8)));
        } else if let Some(&c) = s.as_bytes().first()
            && r.prefix.contains(&c)
        {
            s = s.get(1..).unwrap_or_default();
        }
        let (rest, build) = match s.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (s, None),
        };
        if let Some(build) = build
            && build
                .split('.')
                .any(|id| id.is_empty() || !id.bytes().all(is_ident_char))
        {
            return Err(err("invalid build metadata"));
        }
        // The core ends at the first character that is neither a digit nor a dot.
        let core_len = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        let (core_str, mut pre_str) = rest.split_at(core_len);
        let parts: Vec<&str> = core_str.split('.').collect();
        if parts.len() < r.min_parts || parts.len() > r.max_parts {
            return Err(err("wrong number of numeric components"));
        }
        let mut core = [Num::zero(), Num::zero(), Num::zero(), Num::zero()];
        for (slot, part) in core.iter_mut().zip(&parts) {
            if part.is_empty() {
                return Err(err("empty numeric component"));
            }
            if !r.leading_zeros && part.len() > 1 && part.starts_with('0') {
                return Err(err("leading zero in numeric component"));
            }
            *slot = Num::new(part);
        }
        let has_suffix = !pre_str.is_empty() || build.is_some();
        if r.suffix_needs_patch && has_suffix && parts.len() < 3 {
            return Err(err("pre-release or build needs major.minor.patch"));
        }
        let mut pre = Vec::new();
        if !pre_str.is_empty() {
            match pre_str.strip_prefix('-') {
                Some(p) => pre_str = p,
                None if r.optional_dash => {}
                None => return Err(err("unexpected character after version core")),
            }
            for id in pre_str.split('.') {
                if id.is_empty() || !id.bytes().all(is_ident_char) {
                    return Err(err("invalid pre-release identifier"));
                }
                if id.bytes().all(|c| c.is_ascii_digit()) {
                    if !r.leading_zeros && id.len() > 1 && id.starts_with('0') {
                        return Err(err("leading zero in numeric pre-release identifier"));
                    }
                    pre.push(Ident::Num(Num::new(id)));
                } else if r.fold_case {
                    pre.push(Ident::Alpha(id.to_ascii_lowercase()));
                } else {
                    pre.push(Ident::Alpha(id.to_owned()));
                }
            }
        }
        Ok(SemVer {
            core,
            pre,
            revision: scheme == Scheme::Bitnami,
        })
    }

    /// `semver.Canonical` from `x/mod`: `vMAJOR.MINOR.PATCH[-PRE]`, build dropped.
    pub(crate) fn go_canonical(&self) -> String {
        let [major, minor, patch, _] = &self.core;
        let mut out = format!("v{}.{}.{}", major.as_str(), minor.as_str(), patch.as_str());
        for (i, id) in self.pre.iter().enumerate() {
            out.push(if i == 0 { '-' } else { '.' });
            out.push_str(match id {
                Ident::Num(n) => n.as_str(),
                Ident::Alpha(s) => s,
            });
        }
        out
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core.cmp(&other.core).then_with(|| {
            let bare = match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => return Ordering::Equal,
                (false, false) => return self.pre.cmp(&other.pre),
                // A release outranks any of its pre-releases...
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
            };
            // ...and is outranked by any of its revisions. Both sides share a scheme.
            if self.revision { bare.reverse() } else { bare }
        })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVer {}
