//! Which OSV ecosystem a distribution release's advisories live in (application
//! kinds know theirs: [`drydock_model::PackageKind::osv_ecosystem`]).

use drydock_model::OsInfo;

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

    #[test]
    fn distro_names() {
        let e = |f, v| os_ecosystem(&OsInfo::new(f, v));
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
            os_ecosystem_candidates(&OsInfo::new("ubuntu", "22.04")),
            ["Ubuntu:22.04:LTS", "Ubuntu:22.04"]
        );
    }
}
