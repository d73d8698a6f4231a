//! Ubuntu Pro: an image that enabled ESM (`esm-infra` in
//! `var/lib/ubuntu-advantage/status.json`, Trivy's test file) is matched against
//! `Ubuntu:Pro:<release>:LTS` too and supported until ESM ends; the same image with the
//! service disabled is not. Records: `testdata/distro-advisories/osv/Ubuntu:18.04:LTS`
//! (zlib fixed in 1:1.2.11.dfsg-0ubuntu2.3) and `Ubuntu:Pro:18.04:LTS` (openssl fixed in
//! 1.1.1-1ubuntu2.1~18.04.23+esm1); installed: zlib1g 1:1.2.11.dfsg-0ubuntu2.2 and
//! libssl1.1 1.1.1-1ubuntu2.1~18.04.23 (testdata/distros/ubuntu-18.04-pro).

#[path = "support/distros.rs"]
mod distros;

use distros::*;

const ROOT: &str = "ubuntu-18.04-pro";

#[test]
fn ubuntu_pro_adds_the_esm_stream_and_its_support_end() {
    let r = scan_distro(ROOT);
    assert_eq!(
        findings(&r),
        set(&[
            "libssl1.1 UBUNTU-CVE-2099-3002 [1.1.1-1ubuntu2.1~18.04.23+esm1] Fixed",
            "zlib1g UBUNTU-CVE-2099-3001 [1:1.2.11.dfsg-0ubuntu2.3] Fixed",
        ])
    );
    let os = r.os.as_ref().expect("os");
    assert_eq!(os.repositories, ["esm-infra"]);
    // ESM for 18.04 ends 2028-04-01 (endoflife.date `eoes`); the scan's day is 2026-12-01.
    assert_eq!(
        (os.eol_date.as_deref(), os.eol),
        (Some("2028-04-01"), Some(false))
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("Ubuntu Pro enabled (esm-infra")),
        "{:?}",
        r.warnings
    );
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(
            f.ecosystem, "Ubuntu:18.04:LTS|Ubuntu:Pro:18.04:LTS",
            "{f:?}"
        );
    }
}

#[test]
fn ubuntu_without_pro_keeps_to_the_free_stream() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = testdata("distros").join(ROOT);
    for rel in [
        "etc/os-release",
        "var/lib/dpkg/status",
        "var/lib/ubuntu-advantage/status.json",
    ] {
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        let bytes = std::fs::read(src.join(rel)).expect("read");
        let text = String::from_utf8(bytes).expect("utf8");
        // Trivy's `esm_disabled_status.json` differs from the enabled one in this one field.
        let text = text.replace(
            r#""name": "esm-infra", "description_override": null, "status": "enabled""#,
            r#""name": "esm-infra", "description_override": null, "status": "disabled""#,
        );
        std::fs::write(to, text).expect("write");
    }
    let r = scan_rootfs(tmp.path());
    assert_eq!(
        findings(&r),
        set(&["zlib1g UBUNTU-CVE-2099-3001 [1:1.2.11.dfsg-0ubuntu2.3] Fixed"])
    );
    let os = r.os.as_ref().expect("os");
    assert!(os.repositories.is_empty());
    assert_eq!(
        (os.eol_date.as_deref(), os.eol),
        (Some("2023-05-31"), Some(true))
    );
    assert!(
        !r.warnings.iter().any(|w| w.contains("Ubuntu Pro")),
        "{:?}",
        r.warnings
    );
}
