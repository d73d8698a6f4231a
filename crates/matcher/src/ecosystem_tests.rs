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
    assert_eq!(e("alpine", "edge").as_deref(), Some("Alpine:edge"));
    assert_eq!(
        e("alpine", "3.21.0_alpha20240923").as_deref(),
        Some("Alpine:edge")
    );
    assert_eq!(e("debian", "trixie/sid"), None);
    // The repositories, then the VEX products Red Hat may file them under.
    assert_eq!(
        e("rhel", "9.4").as_deref(),
        Some(
            "Red Hat:enterprise_linux:9::appstream|Red Hat:enterprise_linux:9::baseos|\
             Red Hat VEX:enterprise_linux:9|Red Hat VEX:enterprise_linux:9::appstream|\
             Red Hat VEX:enterprise_linux:9::baseos"
        )
    );
    let eus = ["Red Hat:rhel_eus:9.4::baseos".to_owned()];
    assert_eq!(
        red_hat_vex(&eus),
        [
            "Red Hat VEX:enterprise_linux:9",
            "Red Hat VEX:rhel_eus:9.4",
            "Red Hat VEX:rhel_eus:9.4::appstream",
            "Red Hat VEX:rhel_eus:9.4::baseos",
        ]
    );
    assert!(mixed_keys(e("rhel", "9.4").as_deref().unwrap_or_default()));
    assert!(!mixed_keys(
        "SUSE:Linux Enterprise Server 15 SP5|SUSE:Linux Enterprise Module for Basesystem 15 SP5"
    ));
    // RHEL 7: its Server variant, and no AppStream among the VEX products.
    assert_eq!(
        e("rhel", "7.9").as_deref(),
        Some(
            "Red Hat:enterprise_linux:7::server|Red Hat VEX:enterprise_linux:7|\
             Red Hat VEX:enterprise_linux:7::server"
        )
    );
    assert!(mixed_keys(e("rhel", "7.9").as_deref().unwrap_or_default()));
    assert_eq!(e("rhel", "6.10"), None);
    // CentOS Linux 7 and 8 as RHEL 7 and 8; Stream has none.
    assert_eq!(
        e("centos", "8").as_deref(),
        Some(
            "Red Hat:enterprise_linux:8::appstream|Red Hat:enterprise_linux:8::baseos|\
             Red Hat VEX:enterprise_linux:8|Red Hat VEX:enterprise_linux:8::appstream|\
             Red Hat VEX:enterprise_linux:8::baseos"
        )
    );
    let stream = OsInfo {
        variant: Some("stream".into()),
        ..OsInfo::new("centos", "8")
    };
    assert_eq!(os_ecosystem(&stream), None);
    assert_eq!(e("centos", "9"), None);
    // `etc/centos-release`'s version (`CentOS Linux release 7.9.2009 (Core)`) or os-release's.
    for v in ["7", "7.9.2009"] {
        assert_eq!(
            e("centos", v).as_deref(),
            Some(
                "Red Hat:enterprise_linux:7::server|Red Hat VEX:enterprise_linux:7|\
                 Red Hat VEX:enterprise_linux:7::server"
            )
        );
    }
    let centos7 = OsInfo {
        eol: Some(true),
        eol_date: Some("2024-06-30".into()),
        ..OsInfo::new("centos", "7")
    };
    assert_eq!(
        centos_warning(&centos7),
        "centos 7: CentOS Linux publishes no advisories; OS packages matched against RHEL 7's \
         for its default repositories (Red Hat:enterprise_linux:7::server); CentOS Linux 7 \
         reached end of life on 2024-06-30: RHEL fixes released since were never built for it"
    );
    assert_eq!(e("centos", "6"), None);
    assert_eq!(e("amzn", "2023").as_deref(), Some("Amazon Linux:2023"));
    assert_eq!(e("amzn", "2").as_deref(), Some("Amazon Linux:2"));
    assert_eq!(e("amzn", "2018.03"), None);
    assert_eq!(e("ol", "9.4").as_deref(), Some("Oracle Linux:9"));
    // Names as OSV publishes them (osv-schema's ecosystem list and osv.dev record ids).
    assert_eq!(e("wolfi", "20230201").as_deref(), Some("Wolfi"));
    assert_eq!(e("chainguard", "20230214").as_deref(), Some("Chainguard"));
    assert_eq!(
        e("opensuse-tumbleweed", "20230304").as_deref(),
        Some("openSUSE:Tumbleweed|SUSE VEX:openSUSE Tumbleweed")
    );
    // Leap 15.x by source rpm in OSV's records, by binary in SUSE's VEX product.
    assert_eq!(
        e("opensuse-leap", "15.4").as_deref(),
        Some("openSUSE:Leap 15.4|SUSE VEX:openSUSE Leap 15.4")
    );
    assert!(mixed_keys(
        e("opensuse-leap", "15.4").as_deref().unwrap_or_default()
    ));
    assert_eq!(
        e("opensuse-leap", "16.0").as_deref(),
        Some("openSUSE:Leap 16.0")
    );
    assert_eq!(e("photon", "4.0").as_deref(), Some("Photon OS:4.0"));
    assert_eq!(e("mageia", "9").as_deref(), Some("Mageia:9"));
    assert_eq!(e("mariner", "2.0").as_deref(), Some("Azure Linux:2"));
    assert_eq!(e("azurelinux", "3.0").as_deref(), Some("Azure Linux:3"));
    let euler = OsInfo {
        pretty_name: Some("openEuler 24.03 (LTS-SP1)".into()),
        ..OsInfo::new("openeuler", "24.03")
    };
    assert_eq!(
        os_ecosystem_candidates(&euler),
        ["openEuler:24.03-LTS-SP1", "openEuler:24.03"]
    );
    assert_eq!(
        e("sles", "15.5").as_deref(),
        Some(
            "SUSE:Linux Enterprise Module for Basesystem 15 SP5|\
             SUSE:Linux Enterprise Module for Server Applications 15 SP5|\
             SUSE:Linux Enterprise Server 15 SP5|\
             SUSE VEX:Linux Enterprise Server 15 SP5"
        )
    );
    // SUSE's modules by source rpm, its VEX product by binary.
    assert!(mixed_keys(e("sles", "15.5").as_deref().unwrap_or_default()));
    assert_eq!(
        e("sles", "15").as_deref().map(|s| s.split('|').next()),
        Some(Some("SUSE:Linux Enterprise Module for Basesystem 15"))
    );
    assert_eq!(
        e("sles", "12.5").as_deref(),
        Some("SUSE:Linux Enterprise Server 12 SP5|SUSE VEX:Linux Enterprise Server 12 SP5")
    );
    assert_eq!(
        e("sles", "16.0").as_deref(),
        Some("SUSE:Linux Enterprise Server 16.0|SUSE VEX:Linux Enterprise Server 16.0")
    );
    assert_eq!(e("sles", "15.x"), None);
    assert_eq!(
        e("sle-micro", "5.5").as_deref(),
        Some("SUSE:Linux Enterprise Micro 5.5|SUSE VEX:Linux Enterprise Micro 5.5")
    );
    assert_eq!(e("sle-micro", "6.0"), None);
    assert_eq!(
        e("sl-micro", "6.1").as_deref(),
        Some("SUSE:Linux Micro 6.1|SUSE VEX:Linux Micro 6.1")
    );
    assert_eq!(e("sl-micro", "5.5"), None);
    assert_eq!(
        os_ecosystem_candidates(&OsInfo::new("ubuntu", "22.04")),
        ["Ubuntu:22.04:LTS", "Ubuntu:22.04"]
    );
}

/// Content-set names as Red Hat's content manifests write them (Red Hat's image
/// documentation quotes `rhel-9-for-aarch64-baseos-rpms`,
/// `rhel-9-for-x86_64-appstream-eus-rpms__9_DOT_...`; Konflux's test `ubi-8-appstream-rpms`).
#[test]
fn red_hat_repositories_from_content_sets() {
    let os = |sets: &[&str]| OsInfo {
        repositories: sets.iter().map(|s| (*s).to_owned()).collect(),
        ..OsInfo::new("rhel", "9.4")
    };
    let r = red_hat(&os(&[
        "rhel-9-for-aarch64-baseos-rpms",
        "rhel-9-for-x86_64-appstream-eus-rpms__9_DOT_2",
        "ubi-8-appstream-rpms",
        "codeready-builder-for-rhel-9-x86_64-rpms",
        "rhel-9-for-x86_64-appstream-source-rpms",
        "rhocp-4.16-for-rhel-9-x86_64-rpms",
    ]));
    assert!(r.from_manifest);
    assert_eq!(
        r.ecosystems,
        [
            "Red Hat:enterprise_linux:8::appstream",
            "Red Hat:enterprise_linux:9::baseos",
            "Red Hat:enterprise_linux:9::crb",
            "Red Hat:rhel_eus:9.2::appstream",
        ]
    );
    assert_eq!(r.unmapped, ["rhocp-4.16-for-rhel-9-x86_64-rpms"]);
    let d = red_hat(&os(&[]));
    assert!(!d.from_manifest);
    assert_eq!(
        d.ecosystems,
        [
            "Red Hat:enterprise_linux:9::appstream",
            "Red Hat:enterprise_linux:9::baseos"
        ]
    );
    // Only unmapped sets: the defaults, and the sets are still named.
    let u = red_hat(&os(&["rhocp-4.16-for-rhel-9-x86_64-rpms"]));
    assert!(!u.from_manifest);
    assert_eq!(u.ecosystems.len(), 2);
    assert_eq!(u.unmapped.len(), 1);
}

/// RHEL 7's content sets name its variants, not BaseOS/AppStream.
#[test]
fn rhel_7_repositories_are_its_variants() {
    let os = |sets: &[&str]| OsInfo {
        repositories: sets.iter().map(|s| (*s).to_owned()).collect(),
        ..OsInfo::new("rhel", "7.9")
    };
    // RHEL 7's variants by Red Hat's repository-to-CPE mapping (Tenable's RHEL 7 plugins
    // quote it: `rhel-7-server-optional-rpms` under `enterprise_linux_7_server`,
    // `rhel-7-desktop-rpms` under `enterprise_linux_7_client`, ...); UBI 7's `ubi.repo` ids;
    // Extras has no known CPE, so it is named as unmapped.
    let r7 = red_hat(&os(&[
        "rhel-7-server-rpms",
        "rhel-7-server-optional-rpms",
        "rhel-7-server-source-rpms",
        "rhel-7-server-debug-rpms",
        "rhel-7-workstation-optional-rpms",
        "rhel-7-desktop-rpms",
        "rhel-7-hpc-node-rpms",
        "ubi-7",
        "ubi-7-server-optional-rpms",
        "rhel-7-server-extras-rpms",
        "rhel-server-rhscl-7-rpms",
    ]));
    assert!(r7.from_manifest);
    assert_eq!(
        r7.ecosystems,
        [
            "Red Hat:enterprise_linux:7::client",
            "Red Hat:enterprise_linux:7::computenode",
            "Red Hat:enterprise_linux:7::server",
            "Red Hat:enterprise_linux:7::workstation",
        ]
    );
    assert_eq!(
        r7.unmapped,
        ["rhel-7-server-extras-rpms", "rhel-server-rhscl-7-rpms"]
    );
    assert_eq!(
        red_hat(&OsInfo::new("rhel", "7.9")).ecosystems,
        ["Red Hat:enterprise_linux:7::server"]
    );
}
