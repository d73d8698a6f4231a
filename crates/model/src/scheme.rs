//! Which version ordering an ecosystem uses: ecosystem knowledge, so it lives with
//! [`crate::PackageKind`]; the orderings themselves are in `drydock-versions`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A version ordering scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Debian/Ubuntu `dpkg` (`epoch:upstream-revision`, `~` sorts first).
    Dpkg,
    /// Alpine/Wolfi `apk` (`1.2.3_rc1-r0`).
    Apk,
    /// RPM `epoch:version-release` compared with `rpmvercmp`.
    Rpm,
    /// Python PEP 440 as implemented by `packaging`.
    Pep440,
    /// Strict SemVer 2.0.0 (crates.io, Hex, Pub).
    Semver,
    /// node-semver in loose mode (leading `v`/`=`, leading zeros tolerated).
    Npm,
    /// Go modules (`golang.org/x/mod/semver`), `v` prefix optional as in OSV data.
    Go,
    /// Maven `ComparableVersion`.
    Maven,
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// NuGet (SemVer 2 with an optional fourth component, case-insensitive labels).
    NuGet,
    /// Composer/Packagist (Composer normalisation then PHP `version_compare`).
    Composer,
    /// Bitnami's components (`bitnami/go-version`): SemVer whose `-` suffix is the package
    /// revision, newer than the bare release (`17.2.0-8 > 17.2.0`), not a pre-release.
    Bitnami,
}

impl Scheme {
    /// Maps an OSV `affected[].package.ecosystem` string (with or without its
    /// `:<release>` suffix) to the scheme its versions are ordered by.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or_default().trim();
        Some(match base {
            "Debian" | "Ubuntu" | "Echo" => Scheme::Dpkg,
            "Alpine"
            | "Wolfi"
            | "Chainguard"
            | "MinimOS"
            | "Alpaquita"
            | "BellSoft Hardened Containers" => Scheme::Apk,
            "AlmaLinux" | "Rocky Linux" | "Red Hat" | "openSUSE" | "SUSE" | "Mageia"
            | "Azure Linux" | "Photon OS" | "openEuler" | "Amazon Linux" | "Oracle Linux"
            | "Bottlerocket" | "Fedora" | "Red Hat VEX" | "SUSE VEX" => Scheme::Rpm,
            "PyPI" => Scheme::Pep440,
            "npm" => Scheme::Npm,
            "Go" => Scheme::Go,
            // Julia versions are SemVer; ConanCenter's are SemVer-like (the closest scheme
            // until one of its own is added).
            "crates.io" | "Hex" | "Pub" | "SwiftURL" | "Julia" | "ConanCenter" => Scheme::Semver,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::RubyGems,
            "NuGet" => Scheme::NuGet,
            "Packagist" => Scheme::Composer,
            // OSV.dev files these as SEMVER ranges over upstream versions (`fixed: 17.3.0`);
            // the image's `17.2.0-8` is revision 8 of 17.2.0, which SemVer would put
            // before 17.2.0 and so inside a range that 17.2.0 fixed.
            "Bitnami" => Scheme::Bitnami,
            _ => return None,
        })
    }

    /// Short lowercase name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Apk => "apk",
            Scheme::Rpm => "rpm",
            Scheme::Pep440 => "pep440",
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Go => "go",
            Scheme::Maven => "maven",
            Scheme::RubyGems => "rubygems",
            Scheme::NuGet => "nuget",
            Scheme::Composer => "composer",
            Scheme::Bitnami => "bitnami",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
