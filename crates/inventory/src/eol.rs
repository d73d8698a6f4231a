//! End of security support per distribution release: a built-in table, because most
//! distributions publish their dates only on web pages, not in the image.

/// Leading numeric components: `3.10.4` -> `3.10` for n = 2; `9.4` -> `9` for n = 1.
fn leading(version: &str, n: usize) -> String {
    version
        .split('.')
        .take(n)
        .map(|part| {
            part.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Last day of security support. Sources (read 2026-11):
/// - Debian: end of Debian LTS, wiki.debian.org/LTS and endoflife.date/debian (`eoes`).
/// - Ubuntu: end of standard security maintenance (ESM excluded), endoflife.date/ubuntu (`eol`),
///   from wiki.ubuntu.com/Releases.
/// - Alpine: alpinelinux.org/releases "end of support", via endoflife.date/alpine-linux.
/// - RHEL, AlmaLinux, Rocky: end of maintenance support, access.redhat.com/support/policy/updates/errata,
///   endoflife.date/{rhel,almalinux,rocky-linux}; CentOS Linux/Stream: endoflife.date/centos,
///   endoflife.date/centos-stream.
/// - Amazon Linux: docs.aws.amazon.com/linux/al2023/ug/release-cadence.html (AL2023: 2029-06-30)
///   and the AL2 FAQ (AL2 extended to 2026-06-30).
/// - Oracle Linux: end of Premier Support, oracle.com/a/ocom/docs/elsp-lifetime-069338.pdf via
///   endoflife.date/oracle-linux.
/// - SLES and openSUSE Leap: end of general support per service pack, suse.com/lifecycle and
///   en.opensuse.org/Lifetime, via endoflife.date/{sles,opensuse}.
/// - CBL-Mariner 2.0: learn.microsoft.com/azure/azure-linux (retired 2025-07-31). Azure Linux 3.0
///   has no row: Microsoft publishes only "roughly three years" after GA (learn.microsoft.com
///   azure-linux/aks-support-cycle), no day.
/// - Photon OS: endoflife.date/photon (3.0, 4.0 aligned with vSphere support, per VMware staff in
///   endoflife-date/endoflife.date#9025; not on the Photon site). 5.0 has no published end.
/// - Mageia: mageia.org/en/support via endoflife.date/mageia (9 ends 3 months after Mageia 10).
/// - openEuler: each LTS service pack has its own end, openeuler.org/en/download/archive
///   ("Planned EOL" month, last day), as transcribed in endoflife-date/endoflife.date
///   `products/openeuler.md` (a version not yet on that repo's main; vendor page unchecked).
///   The SP is only in `PRETTY_NAME` (`24.03 (LTS-SP1)`); `VERSION_ID` is the base release.
/// - SLE Micro 5.x and SUSE Linux Micro 6.x (`sl-micro`): end of general support,
///   suse.com/lifecycle via endoflife.date/suse-linux-micro.
///
/// Bottlerocket has no row: support follows the variant (`aws-k8s-*` follow EKS's Kubernetes
/// support, bottlerocket-os SECURITY_FEATURES.md), not a dated end per OS release.
///
/// Releases that write `SUPPORT_END` into os-release (Fedora) need no row: the caller falls
/// back to it. Rolling distributions (Wolfi, Chainguard, Tumbleweed, Alpine edge) have no end.
/// End of Ubuntu Pro's Expanded Security Maintenance for an LTS release: the support an
/// image that enabled ESM has. endoflife.date/ubuntu `eoes` (products/ubuntu.md, from
/// wiki.ubuntu.com/Releases).
pub(crate) fn ubuntu_esm_end(version: &str) -> Option<&'static str> {
    Some(match leading(version, 2).as_str() {
        "14.04" => "2024-04-02",
        "16.04" => "2026-04-02",
        "18.04" => "2028-04-01",
        "20.04" => "2030-04-02",
        "22.04" => "2032-04-09",
        "24.04" => "2036-05-31",
        "26.04" => "2036-04-30",
        _ => return None,
    })
}

pub(crate) fn eol_date(
    family: &str,
    version: &str,
    pretty_name: Option<&str>,
) -> Option<&'static str> {
    let major = leading(version, 1);
    let date = match family {
        "debian" => match major.as_str() {
            "7" => "2018-05-31",
            "8" => "2020-06-30",
            "9" => "2022-06-30",
            "10" => "2024-06-30",
            "11" => "2026-08-31",
            "12" => "2028-06-30",
            "13" => "2030-06-30",
            _ => return None,
        },
        "ubuntu" => match leading(version, 2).as_str() {
            "14.04" => "2019-04-02",
            "16.04" => "2021-04-02",
            "18.04" => "2023-05-31",
            "20.04" => "2025-05-31",
            "22.04" => "2027-04-01",
            "22.10" => "2023-07-20",
            "23.04" => "2024-01-20",
            "23.10" => "2024-07-12",
            "24.04" => "2029-05-31",
            "24.10" => "2025-07-10",
            "25.04" => "2026-01-17",
            "25.10" => "2026-07-01",
            "26.04" => "2031-04-30",
            _ => return None,
        },
        "alpine" => match leading(version, 2).as_str() {
            "3.0" => "2016-05-01",
            "3.1" => "2016-11-01",
            "3.2" => "2017-05-01",
            "3.3" => "2017-11-01",
            "3.4" => "2018-05-01",
            "3.5" => "2018-11-01",
            "3.6" => "2019-05-01",
            "3.7" => "2019-11-01",
            "3.8" => "2020-05-01",
            "3.9" => "2020-11-01",
            "3.10" => "2021-05-01",
            "3.11" => "2021-11-01",
            "3.12" => "2022-05-01",
            "3.13" => "2022-11-01",
            "3.14" => "2023-05-01",
            "3.15" => "2023-11-01",
            "3.16" => "2024-05-23",
            "3.17" => "2024-11-22",
            "3.18" => "2025-05-09",
            "3.19" => "2025-11-01",
            "3.20" => "2026-04-01",
            "3.21" => "2026-11-01",
            "3.22" => "2027-05-01",
            "3.23" => "2027-11-01",
            _ => return None,
        },
        "rhel" => match major.as_str() {
            "7" => "2024-06-30",
            "8" => "2029-05-31",
            "9" => "2032-05-31",
            "10" => "2035-05-31",
            _ => return None,
        },
        "almalinux" => match major.as_str() {
            "8" => "2029-03-01",
            "9" => "2032-05-31",
            "10" => "2035-05-31",
            _ => return None,
        },
        "rocky" => match major.as_str() {
            "8" => "2029-05-31",
            "9" => "2032-05-31",
            "10" => "2035-05-31",
            _ => return None,
        },
        "centos" => {
            let stream = pretty_name.is_some_and(|p| p.contains("Stream"));
            match (major.as_str(), stream) {
                ("7", _) => "2024-06-30",
                ("8", false) => "2021-12-31",
                ("8", true) => "2024-05-31",
                ("9", _) => "2027-05-31",
                ("10", _) => "2030-01-01",
                _ => return None,
            }
        }
        "amzn" => match major.as_str() {
            "2" => "2026-06-30",
            "2023" => "2029-06-30",
            _ => return None,
        },
        "ol" => match major.as_str() {
            "7" => "2024-12-31",
            "8" => "2029-07-31",
            "9" => "2032-06-30",
            _ => return None,
        },
        "mariner" => match major.as_str() {
            "2" => "2025-07-31",
            _ => return None,
        },
        "sle-micro" | "sl-micro" => match leading(version, 2).as_str() {
            "5.0" => "2022-03-31",
            "5.1" => "2025-10-31",
            "5.2" => "2026-04-30",
            "5.3" => "2026-10-30",
            "5.4" => "2027-04-30",
            "5.5" => "2027-10-31",
            "6.0" => "2028-06-30",
            "6.1" => "2028-11-30",
            "6.2" => "2029-11-30",
            _ => return None,
        },
        "photon" => match leading(version, 2).as_str() {
            "3.0" => "2025-10-02",
            "4.0" => "2027-10-11",
            _ => return None,
        },
        "mageia" => match major.as_str() {
            "8" => "2023-11-30",
            "9" => "2026-09-29",
            "10" => "2028-03-31",
            _ => return None,
        },
        "openeuler" => openeuler(&leading(version, 2), pretty_name?)?,
        "sles" => match leading(version, 2).as_str() {
            "12.5" => "2024-10-31",
            "15.3" => "2022-12-31",
            "15.4" => "2023-12-31",
            "15.5" => "2024-12-31",
            "15.6" => "2025-12-31",
            "15.7" => "2031-07-31",
            _ => return None,
        },
        "opensuse-leap" => match leading(version, 2).as_str() {
            "15.4" => "2023-12-07",
            "15.5" => "2024-12-31",
            "15.6" => "2026-04-30",
            _ => return None,
        },
        _ => return None,
    };
    Some(date)
}

/// openEuler LTS end by release and service pack, read from `PRETTY_NAME`
/// (`openEuler 24.03 (LTS-SP1)`); innovation releases (no `LTS`) are not listed.
fn openeuler(release: &str, pretty_name: &str) -> Option<&'static str> {
    let lts = pretty_name.split_once("(LTS")?.1;
    let sp = lts
        .strip_prefix("-SP")
        .map_or("", |rest| rest.trim_end_matches(')').trim());
    let date = match (release, sp) {
        ("20.03", "") => "2021-03-31",
        ("20.03", "1") => "2022-12-31",
        ("20.03", "2") => "2022-04-30",
        ("20.03", "3") => "2023-12-31",
        ("20.03", "4") => "2025-11-30",
        ("22.03", "") => "2024-03-31",
        ("22.03", "1") => "2024-12-31",
        ("22.03", "2") => "2024-03-31",
        ("22.03", "3") => "2025-12-31",
        ("22.03", "4") => "2026-06-30",
        ("24.03", "") => "2026-05-31",
        ("24.03", "1") => "2026-12-31",
        ("24.03", "2") => "2026-03-31",
        ("24.03", "3") => "2027-12-31",
        ("24.03", "4") => "2027-03-31",
        _ => return None,
    };
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::eol_date;

    #[test]
    fn openeuler_eol_per_service_pack() {
        // openeuler.org archive table: 24.03 LTS ends May 2026, SP3 Dec 2027, 22.03 SP4 Jun 2026.
        let of = |v, p| eol_date("openeuler", v, Some(p));
        assert_eq!(of("24.03", "openEuler 24.03 (LTS)"), Some("2026-05-31"));
        assert_eq!(of("24.03", "openEuler 24.03 (LTS-SP3)"), Some("2027-12-31"));
        assert_eq!(of("22.03", "openEuler 22.03 (LTS-SP4)"), Some("2026-06-30"));
        // Innovation releases and a missing PRETTY_NAME have no row.
        assert_eq!(of("24.09", "openEuler 24.09"), None);
        assert_eq!(eol_date("openeuler", "24.03", None), None);
    }

    #[test]
    fn eol_of_micro_photon_mageia() {
        assert_eq!(eol_date("sl-micro", "6.1", None), Some("2028-11-30"));
        assert_eq!(eol_date("sle-micro", "5.4", None), Some("2027-04-30"));
        assert_eq!(eol_date("photon", "3.0", None), Some("2025-10-02"));
        assert_eq!(eol_date("photon", "5.0", None), None);
        assert_eq!(eol_date("mageia", "8", None), Some("2023-11-30"));
        assert_eq!(eol_date("azurelinux", "3.0", None), None);
    }
}
