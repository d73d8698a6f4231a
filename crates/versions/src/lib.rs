//! Per-ecosystem version ordering for vulnerability matching.
//!
//! Each [`Scheme`] reproduces the ordering of the tool that is authoritative for its
//! ecosystem (dpkg, apk-tools, rpm, `packaging`, node-semver, `x/mod/semver`, Maven's
//! `ComparableVersion`, `Gem::Version`, NuGet, Composer, Bitnami's `go-version`), because a matcher that orders
//! versions differently from the package manager reports wrong fixes. Numeric
//! components are compared as digit strings, so numbers beyond `u64` still order
//! correctly, and malformed input is reported as [`VersionError`] instead of panicking.
//!
//! [`osv_range_affected`] evaluates OSV `ranges[].events` on top of these orderings.

mod apk;
mod composer;
mod dpkg;
mod maven;
mod num;
mod osv;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;

pub use drydock_model::Scheme;
pub use osv::{Event, osv_range_affected, osv_range_affected_parsed};

/// Longest version string accepted by [`Version::parse`]; real versions are far shorter,
/// and the bound keeps parsing cost and nesting depth (Maven) small on hostile input.
pub const MAX_VERSION_LEN: usize = 256;

/// Why a version string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The input was empty or only whitespace.
    #[error("empty {scheme} version")]
    Empty {
        /// Scheme the input was parsed with.
        scheme: Scheme,
    },
    /// The input is longer than [`MAX_VERSION_LEN`].
    #[error("{scheme} version is {len} bytes long, more than the {MAX_VERSION_LEN} allowed")]
    TooLong {
        /// Scheme the input was parsed with.
        scheme: Scheme,
        /// Length of the input in bytes.
        len: usize,
    },
    /// The input does not follow the scheme's grammar.
    #[error("invalid {scheme} version {input:?}: {reason}")]
    Invalid {
        /// Scheme the input was parsed with.
        scheme: Scheme,
        /// The offending input.
        input: String,
        /// What was wrong with it.
        reason: &'static str,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        VersionError::Invalid {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }
}

/// Parsed representation, one variant per family of schemes.
#[derive(Debug, Clone)]
enum Repr {
    Dpkg(dpkg::Dpkg),
    Apk(apk::Apk),
    Rpm(rpm::Evr),
    Pep440(pep440::Pep440),
    Semver(semver::SemVer),
    Maven(maven::Maven),
    RubyGems(rubygems::Gem),
    Composer(composer::Composer),
}

/// A version parsed once for repeated comparison (e.g. against many advisories).
///
/// Versions of different schemes order by scheme first, so `Ord` stays total, but such
/// comparisons carry no meaning. Equality follows the scheme's ordering (`1.0 == 1.0.0`
/// in PEP 440), not string identity.
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    raw: String,
    repr: Repr,
}

impl Version {
    /// Parses `input` according to `scheme`.
    pub fn parse(scheme: Scheme, input: &str) -> Result<Version, VersionError> {
        if input.len() > MAX_VERSION_LEN {
            return Err(VersionError::TooLong {
                scheme,
                len: input.len(),
            });
        }
        let repr = match scheme {
            Scheme::Dpkg => Repr::Dpkg(dpkg::Dpkg::parse(input)?),
            Scheme::Apk => Repr::Apk(apk::Apk::parse(input)?),
            Scheme::Rpm => Repr::Rpm(rpm::Evr::parse(input)?),
            Scheme::Pep440 => Repr::Pep440(pep440::Pep440::parse(input)?),
            Scheme::Semver | Scheme::Npm | Scheme::Go | Scheme::NuGet | Scheme::Bitnami => {
                Repr::Semver(semver::SemVer::parse(scheme, input)?)
            }
            Scheme::Maven => Repr::Maven(maven::Maven::parse(input)?),
            Scheme::RubyGems => Repr::RubyGems(rubygems::Gem::parse(input)?),
            Scheme::Composer => Repr::Composer(composer::Composer::parse(input)?),
        };
        Ok(Version {
            scheme,
            raw: input.to_owned(),
            repr,
        })
    }

    /// The scheme this version was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The string this version was parsed from.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The reference tool's normalised spelling where it defines one (PEP 440
    /// `str(Version)`, Go `semver.Canonical`, Composer `VersionParser::normalize`,
    /// Maven `getCanonical`); otherwise the trimmed input.
    pub fn canonical(&self) -> String {
        match &self.repr {
            Repr::Pep440(v) => v.to_string(),
            Repr::Semver(v) if self.scheme == Scheme::Go => v.go_canonical(),
            Repr::Composer(v) => v.normalized().to_owned(),
            Repr::Maven(v) => v.canonical(),
            _ => self.raw.trim().to_owned(),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.scheme
            .cmp(&other.scheme)
            .then_with(|| match (&self.repr, &other.repr) {
                (Repr::Dpkg(a), Repr::Dpkg(b)) => a.cmp(b),
                (Repr::Apk(a), Repr::Apk(b)) => a.cmp(b),
                (Repr::Rpm(a), Repr::Rpm(b)) => a.cmp(b),
                (Repr::Pep440(a), Repr::Pep440(b)) => a.cmp(b),
                (Repr::Semver(a), Repr::Semver(b)) => a.cmp(b),
                (Repr::Maven(a), Repr::Maven(b)) => a.cmp(b),
                (Repr::RubyGems(a), Repr::RubyGems(b)) => a.cmp(b),
                (Repr::Composer(a), Repr::Composer(b)) => a.cmp(b),
                // Equal schemes always produce the same variant.
                _ => Ordering::Equal,
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Compares two version strings under `scheme`.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(Version::parse(scheme, a)?.cmp(&Version::parse(scheme, b)?))
}
