//! Which OSV ecosystem a package's advisories live in.

use drydock_inventory::{OsInfo, PackageKind};

/// Whether packages of this kind come from the OS package manager (and so are matched
/// against the distribution's ecosystem rather than a language ecosystem).
pub fn is_os_kind(kind: PackageKind) -> bool {
    matches!(
        kind,
        PackageKind::Dpkg | PackageKind::Apk | PackageKind::Rpm
    )
}

/// OSV ecosystem of an application package kind.
pub fn app_ecosystem(kind: PackageKind) -> Option<&'static str> {
    Some(match kind {
        PackageKind::Python => "PyPI",
        PackageKind::Npm => "npm",
        PackageKind::Go => "Go",
        PackageKind::Cargo => "crates.io",
        PackageKind::Maven => "Maven",
        PackageKind::Gem => "RubyGems",
        PackageKind::Composer => "Packagist",
        PackageKind::NuGet => "NuGet",
        // OS kinds, and kinds added later that have no ecosystem mapping yet.
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

/// The OSV ecosystem of a distribution release (`Debian:12`, `Ubuntu:22.04:LTS`,
/// `Alpine:v3.10`, `AlmaLinux:9`, `Rocky Linux:9`); `None` when OSV has no such feed
/// or the version is not understood.
pub fn os_ecosystem(os: &OsInfo) -> Option<String> {
    os_ecosystem_candidates(os).into_iter().next()
}

/// Every ecosystem name the release may be published under, most likely first. Ubuntu
/// LTS releases are `Ubuntu:22.04:LTS` in OSV but interim ones are plain `Ubuntu:23.10`;
/// the matcher takes the first one the database has. (`Ubuntu:Pro:...` is left out:
/// those fixes need a Pro subscription an image cannot be assumed to have.)
pub fn os_ecosystem_candidates(os: &OsInfo) -> Vec<String> {
    let v = os.version.trim();
    let major = v.split('.').next().filter(|m| is_digits(m));
    match os.family.as_str() {
        "debian" => major.map(|m| vec![format!("Debian:{m}")]),
        "ubuntu" => ubuntu(v),
        "alpine" => {
            let mut it = v.split('.');
            match (it.next(), it.next()) {
                (Some(a), Some(b)) if is_digits(a) && is_digits(b) => {
                    Some(vec![format!("Alpine:v{a}.{b}")])
                }
                _ => None,
            }
        }
        "almalinux" => major.map(|m| vec![format!("AlmaLinux:{m}")]),
        "rocky" => major.map(|m| vec![format!("Rocky Linux:{m}")]),
        _ => None,
    }
    .unwrap_or_default()
}

fn ubuntu(v: &str) -> Option<Vec<String>> {
    let (yy, mm) = v.split_once('.')?;
    let mm = mm.get(..2)?;
    if !is_digits(yy) || !is_digits(mm) {
        return None;
    }
    let plain = format!("Ubuntu:{yy}.{mm}");
    // LTS releases are the April releases of even years.
    let lts = mm == "04" && yy.parse::<u32>().is_ok_and(|y| y % 2 == 0);
    Some(if lts {
        vec![format!("{plain}:LTS"), plain]
    } else {
        vec![plain]
    })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(family: &str, version: &str) -> OsInfo {
        OsInfo {
            family: family.into(),
            version: version.into(),
            codename: None,
            pretty_name: None,
            eol: None,
            eol_date: None,
        }
    }

    #[test]
    fn distro_names() {
        let e = |f, v| os_ecosystem(&os(f, v));
        assert_eq!(e("debian", "12").as_deref(), Some("Debian:12"));
        assert_eq!(e("debian", "11.9").as_deref(), Some("Debian:11"));
        assert_eq!(e("ubuntu", "22.04").as_deref(), Some("Ubuntu:22.04:LTS"));
        assert_eq!(e("ubuntu", "23.10").as_deref(), Some("Ubuntu:23.10"));
        assert_eq!(e("ubuntu", "21.04").as_deref(), Some("Ubuntu:21.04"));
        assert_eq!(e("alpine", "3.10.4").as_deref(), Some("Alpine:v3.10"));
        assert_eq!(e("alpine", "3.21").as_deref(), Some("Alpine:v3.21"));
        assert_eq!(e("almalinux", "9.4").as_deref(), Some("AlmaLinux:9"));
        assert_eq!(e("rocky", "9").as_deref(), Some("Rocky Linux:9"));
        assert_eq!(e("alpine", "edge"), None);
        assert_eq!(e("debian", "trixie/sid"), None);
        assert_eq!(e("rhel", "9.4"), None);
        assert_eq!(e("amzn", "2023"), None);
        assert_eq!(
            os_ecosystem_candidates(&os("ubuntu", "22.04")),
            ["Ubuntu:22.04:LTS", "Ubuntu:22.04"]
        );
    }

    #[test]
    fn app_kinds() {
        assert_eq!(app_ecosystem(PackageKind::Python), Some("PyPI"));
        assert_eq!(app_ecosystem(PackageKind::Cargo), Some("crates.io"));
        assert_eq!(app_ecosystem(PackageKind::Composer), Some("Packagist"));
        assert_eq!(app_ecosystem(PackageKind::NuGet), Some("NuGet"));
        assert_eq!(app_ecosystem(PackageKind::Dpkg), None);
        assert!(is_os_kind(PackageKind::Apk) && !is_os_kind(PackageKind::Npm));
    }
}
