//! OS release files and the choice of one OS (with its end-of-life status) for an image.

use crate::eol::eol_date;
use crate::{Analysis, AnalyzeError, Analyzer, OsInfo, OsRelease};

/// Release files in decreasing order of trust: os-release is structured and distro-neutral;
/// the distro-specific files are fallbacks for old or stripped images. `debian_version` comes
/// last because Ubuntu ships one too (naming the Debian testing it forked from).
const RELEASE_FILES: [&str; 7] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/centos-release",
    "etc/redhat-release",
    "etc/system-release",
    "etc/alpine-release",
    "etc/debian_version",
];

/// Reads the release files in [`RELEASE_FILES`] into [`Analysis::os`].
#[derive(Debug, Clone, Copy, Default)]
pub struct OsReleaseAnalyzer;

impl Analyzer for OsReleaseAnalyzer {
    fn name(&self) -> &'static str {
        "os-release"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        // Cheap first-byte filter: all release files live under etc/ or usr/lib/.
        (path.starts_with("etc/") || path.starts_with("usr/lib/")) && RELEASE_FILES.contains(&path)
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = String::from_utf8_lossy(content);
        let os = match path {
            "etc/os-release" | "usr/lib/os-release" => Some(parse_os_release(&text)),
            "etc/alpine-release" => first_line(&text).map(|v| OsRelease {
                family: "alpine".into(),
                version: v.to_owned(),
                ..OsRelease::default()
            }),
            "etc/debian_version" => first_line(&text).map(parse_debian_version),
            "etc/redhat-release" | "etc/centos-release" | "etc/system-release" => {
                first_line(&text).map(parse_redhat_release)
            }
            _ => return Err(AnalyzeError::new(path, "not a release file")),
        };
        Ok(Analysis {
            os,
            ..Analysis::default()
        })
    }
}

fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// Undoes os-release quoting: the file is a shell-compatible assignment list (os-release(5)).
fn unquote(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.to_owned();
    }
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

fn parse_os_release(text: &str) -> OsRelease {
    // os-release(5): ID defaults to "linux" when absent.
    let mut os = OsRelease {
        family: "linux".into(),
        ..OsRelease::default()
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = unquote(value);
        match key.trim() {
            "ID" if !value.is_empty() => os.family = value.to_ascii_lowercase(),
            "VERSION_ID" => os.version = value,
            "VERSION_CODENAME" if !value.is_empty() => os.codename = Some(value),
            "PRETTY_NAME" if !value.is_empty() => os.pretty_name = Some(value),
            "VARIANT_ID" if !value.is_empty() => os.variant = Some(value),
            "SUPPORT_END" if valid_date(&value).is_some() => os.support_end = Some(value),
            _ => {}
        }
    }
    os
}

/// `12.4` on a release; `bookworm/sid` on testing/unstable, which has no number yet.
fn parse_debian_version(line: &str) -> OsRelease {
    let mut os = OsRelease {
        family: "debian".into(),
        ..OsRelease::default()
    };
    if line.starts_with(|c: char| c.is_ascii_digit()) {
        os.version = line.to_owned();
    } else {
        os.codename = line
            .split('/')
            .next()
            .map(str::to_owned)
            .filter(|c| !c.is_empty());
    }
    os
}

/// `CentOS Linux release 7.9.2009 (Core)`, `Amazon Linux release 2 (Karoo)`, ...
fn parse_redhat_release(line: &str) -> OsRelease {
    let (product, rest) = line.split_once(" release ").unwrap_or((line, ""));
    let family = [
        ("CentOS", "centos"),
        ("Red Hat", "rhel"),
        ("Rocky", "rocky"),
        ("AlmaLinux", "almalinux"),
        ("Amazon", "amzn"),
        ("Fedora", "fedora"),
        ("Oracle", "ol"),
    ]
    .iter()
    .find(|(prefix, _)| product.starts_with(prefix))
    .map_or_else(
        || {
            product
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        },
        |(_, id)| (*id).to_owned(),
    );
    let codename = rest
        .split_once('(')
        .and_then(|(_, c)| c.split_once(')'))
        .map(|(c, _)| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    OsRelease {
        family,
        version: rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
        codename,
        pretty_name: Some(line.to_owned()),
        ..OsRelease::default()
    }
}

fn priority(path: &str) -> usize {
    let path = path.trim_start_matches('/');
    RELEASE_FILES
        .iter()
        .position(|p| *p == path)
        .unwrap_or(RELEASE_FILES.len())
}

/// Picks the image's OS from every release file found, then looks up its end of life.
///
/// `found` pairs each file's path (with or without a leading `/`) with what
/// [`OsReleaseAnalyzer`] read from it. The most trusted file wins (see [`RELEASE_FILES`]); on a
/// tie the later entry wins, so callers can pass files in layer order. A missing version or
/// codename is filled from a less trusted file of the same family (e.g. Debian testing's
/// os-release has no `VERSION_ID`). `today` is `YYYY-MM-DD`; when it is not, `eol` is `None`.
pub fn choose_os(found: &[(String, OsRelease)], today: &str) -> Option<OsInfo> {
    let mut ranked: Vec<(usize, usize, &OsRelease)> = found
        .iter()
        .enumerate()
        .filter(|(_, (_, os))| !os.family.is_empty())
        .map(|(i, (path, os))| (priority(path), usize::MAX - i, os))
        .collect();
    ranked.sort_by_key(|&(prio, rev_index, _)| (prio, rev_index));
    let best = ranked.first()?.2;
    let same_family = || {
        ranked
            .iter()
            .map(|r| r.2)
            .filter(|os| os.family == best.family)
    };
    let version = same_family()
        .map(|os| os.version.as_str())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_owned();
    let codename = same_family().find_map(|os| os.codename.clone());
    let variant = same_family().find_map(|os| os.variant.clone());
    let eol_date = (!is_snapshot(&version))
        .then(|| eol_date(&best.family, &version, best.pretty_name.as_deref()))
        .flatten()
        .or_else(|| same_family().find_map(|os| os.support_end.as_deref()));
    let eol = eol_date
        .zip(valid_date(today))
        .map(|(end, today)| today > end);
    Some(OsInfo {
        family: best.family.clone(),
        version,
        codename,
        pretty_name: best.pretty_name.clone(),
        variant,
        eol,
        eol_date: eol_date.map(str::to_owned),
        repositories: Vec::new(),
    })
}

/// Records the repositories the image says its OS packages come from (Red Hat content
/// sets, Ubuntu Pro services). An Ubuntu LTS image that enabled Ubuntu Pro's ESM is
/// supported until ESM ends, so its end of life moves there.
pub fn with_repositories(mut os: OsInfo, repositories: Vec<String>, today: &str) -> OsInfo {
    let pro = os.family == "ubuntu"
        && repositories
            .iter()
            .any(|r| drydock_model::UBUNTU_ESM_SERVICES.contains(&r.as_str()));
    if let Some(end) = pro
        .then(|| crate::eol::ubuntu_esm_end(&os.version))
        .flatten()
    {
        os.eol_date = Some(end.to_owned());
        os.eol = valid_date(today).map(|today| today > end);
    }
    os.repositories = repositories;
    os
}

/// Fills [`OsInfo::variant`] from files whose presence tells editions apart when os-release
/// does not: UBI writes the same os-release as RHEL, SLE BCI as SLES, distroless Debian the
/// same as Debian.
/// `exists` answers for a path without a leading `/` in the image's final filesystem.
///
/// - `etc/yum.repos.d/ubi.repo` on RHEL: `ubi-minimal` with `microdnf`, `ubi` with `dnf`/`yum`,
///   `ubi-micro` with neither (Red Hat's UBI documentation: micro ships no package manager).
/// - Debian with `var/lib/dpkg/status.d` and no `var/lib/dpkg/status`: `distroless`.
/// - CentOS whose name says Stream: `stream`; Alpine whose version is a snapshot
///   (`3.21_alpha20240923`, what edge's os-release carries): `edge`.
/// - SLES with `usr/share/licenses/product/BCI/license.txt`: `bci`.
pub fn infer_variant(mut os: OsInfo, exists: impl Fn(&str) -> bool) -> OsInfo {
    if os.variant.is_some() {
        return os;
    }
    os.variant = match os.family.as_str() {
        "rhel" if exists("etc/yum.repos.d/ubi.repo") => Some(if exists("usr/bin/microdnf") {
            "ubi-minimal"
        } else if exists("usr/bin/dnf") || exists("usr/bin/yum") {
            "ubi"
        } else {
            "ubi-micro"
        }),
        "debian" if exists("var/lib/dpkg/status.d") && !exists("var/lib/dpkg/status") => {
            Some("distroless")
        }
        "centos"
            if os
                .pretty_name
                .as_deref()
                .is_some_and(|p| p.contains("Stream")) =>
        {
            Some("stream")
        }
        "alpine" if is_snapshot(&os.version) => Some("edge"),
        // The BCI licence (`skelcd-EULA-bci`), which SUSE's BCI test suite requires in every
        // non-LTSS BCI image.
        "sles" if exists("usr/share/licenses/product/BCI/license.txt") => Some("bci"),
        _ => None,
    }
    .map(str::to_owned);
    os
}

/// Alpine edge's version is the next release plus `_alpha<date>`; it has no support end.
fn is_snapshot(version: &str) -> bool {
    version.contains("_alpha")
}

fn valid_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str, text: &str) -> OsRelease {
        OsReleaseAnalyzer
            .analyze(path, text.as_bytes())
            .unwrap()
            .os
            .unwrap()
    }

    #[test]
    fn wants_release_files_only() {
        for p in RELEASE_FILES {
            assert!(OsReleaseAnalyzer.wants(p, 0, 0o644), "{p}");
        }
        assert!(!OsReleaseAnalyzer.wants("etc/os-release.bak", 0, 0o644));
        assert!(!OsReleaseAnalyzer.wants("usr/lib/os-release/x", 0, 0o644));
        assert!(!OsReleaseAnalyzer.wants("etc/lsb-release", 0, 0o644));
    }

    #[test]
    fn os_release_quoting() {
        // Ubuntu 22.04's os-release (abridged), plus an escaped quote and a comment.
        let os = read(
            "etc/os-release",
            "# comment\nPRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nX='a \"b\"'\nY=\"say \\\"hi\\\"\"\n",
        );
        assert_eq!(os.family, "ubuntu");
        assert_eq!(os.version, "22.04");
        assert_eq!(os.codename.as_deref(), Some("jammy"));
        assert_eq!(os.pretty_name.as_deref(), Some("Ubuntu 22.04.3 LTS"));
        assert_eq!(unquote("\"say \\\"hi\\\"\""), "say \"hi\"");
        assert_eq!(unquote("'a \"b\"'"), "a \"b\"");
        assert_eq!(read("usr/lib/os-release", "NAME=x\n").family, "linux");
    }

    #[test]
    fn specific_release_files() {
        let c = read(
            "etc/centos-release",
            "CentOS Linux release 7.9.2009 (Core)\n",
        );
        assert_eq!(
            (c.family.as_str(), c.version.as_str()),
            ("centos", "7.9.2009")
        );
        assert_eq!(c.codename.as_deref(), Some("Core"));
        let r = read(
            "etc/redhat-release",
            "Red Hat Enterprise Linux release 8.9 (Ootpa)",
        );
        assert_eq!((r.family.as_str(), r.version.as_str()), ("rhel", "8.9"));
        let a = read("etc/system-release", "Amazon Linux release 2 (Karoo)\n");
        assert_eq!((a.family.as_str(), a.version.as_str()), ("amzn", "2"));
        let s = read("etc/centos-release", "CentOS Stream release 9\n");
        assert_eq!(
            (s.family.as_str(), s.version.as_str(), s.codename),
            ("centos", "9", None)
        );
        let d = read("etc/debian_version", "12.4\n");
        assert_eq!((d.family.as_str(), d.version.as_str()), ("debian", "12.4"));
        let t = read("etc/debian_version", "bookworm/sid\n");
        assert_eq!(
            (t.version.as_str(), t.codename.as_deref()),
            ("", Some("bookworm"))
        );
        let al = read("etc/alpine-release", "3.19.1\n");
        assert_eq!(
            (al.family.as_str(), al.version.as_str()),
            ("alpine", "3.19.1")
        );
        assert_eq!(
            OsReleaseAnalyzer
                .analyze("etc/alpine-release", b"\n")
                .unwrap()
                .os,
            None
        );
    }

    fn os(family: &str, version: &str) -> OsRelease {
        OsRelease {
            family: family.into(),
            version: version.into(),
            ..OsRelease::default()
        }
    }

    #[test]
    fn choose_by_priority_and_fill_version() {
        // Ubuntu: os-release beats the debian_version Ubuntu also ships, whatever the order.
        let found = vec![
            (
                "etc/debian_version".to_owned(),
                read("etc/debian_version", "bookworm/sid"),
            ),
            ("/etc/os-release".to_owned(), os("ubuntu", "22.04")),
        ];
        let info = choose_os(&found, "2026-01-01").unwrap();
        assert_eq!(
            (info.family.as_str(), info.version.as_str()),
            ("ubuntu", "22.04")
        );
        assert_eq!(
            (info.eol, info.eol_date.as_deref()),
            (Some(false), Some("2027-04-01"))
        );
        assert_eq!(info.codename, None);

        // Debian testing: os-release has no VERSION_ID; codename from debian_version.
        let found = vec![
            ("usr/lib/os-release".to_owned(), os("debian", "")),
            (
                "etc/debian_version".to_owned(),
                read("etc/debian_version", "trixie/sid"),
            ),
        ];
        let info = choose_os(&found, "2026-01-01").unwrap();
        assert_eq!(
            (info.version.as_str(), info.codename.as_deref()),
            ("", Some("trixie"))
        );
        assert_eq!((info.eol, info.eol_date), (None, None));

        // etc/os-release beats usr/lib/os-release; later duplicates win.
        let found = vec![
            ("usr/lib/os-release".to_owned(), os("debian", "11")),
            ("etc/os-release".to_owned(), os("debian", "10")),
            ("etc/os-release".to_owned(), os("debian", "12")),
        ];
        assert_eq!(choose_os(&found, "2026-01-01").unwrap().version, "12");
        assert_eq!(choose_os(&[], "2026-01-01"), None);
    }

    #[test]
    fn eol_boundaries() {
        let found = vec![("etc/alpine-release".to_owned(), os("alpine", "3.10.4"))];
        // alpinelinux.org: 3.10 supported until 2021-05-01 (inclusive).
        assert_eq!(choose_os(&found, "2021-05-01").unwrap().eol, Some(false));
        assert_eq!(choose_os(&found, "2021-05-02").unwrap().eol, Some(true));
        assert_eq!(choose_os(&found, "yesterday").unwrap().eol, None);
        let centos8 = vec![(
            "etc/os-release".to_owned(),
            OsRelease {
                pretty_name: Some("CentOS Stream 8".into()),
                ..os("centos", "8")
            },
        )];
        assert_eq!(
            choose_os(&centos8, "2024-01-01")
                .unwrap()
                .eol_date
                .as_deref(),
            Some("2024-05-31")
        );
        let rhel = vec![("etc/redhat-release".to_owned(), os("rhel", "9.4"))];
        assert_eq!(choose_os(&rhel, "2033-01-01").unwrap().eol, Some(true));
        let unknown = vec![("etc/os-release".to_owned(), os("wolfi", "20230201"))];
        assert_eq!(choose_os(&unknown, "2026-01-01").unwrap().eol, None);
    }
}
