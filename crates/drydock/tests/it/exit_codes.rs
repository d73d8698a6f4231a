//! One test per documented exit code (0 pass, 1 policy failed, 2 bad input or usage,
//! 3 vulnerability database missing or too old), and where the policy comes from.

use crate::common::{Run, db_update, drydock, drydock_in, mirror_db};
use crate::gate::{alpine310, scan_with};
use crate::policy::gate;
use std::path::Path;

const TODAY: &str = "2026-12-02";

#[test]
fn exit_0_when_the_policy_passes() {
    let run = scan_with(
        &[("drydock.yaml", "fail_on_severity: CRITICAL\n")],
        TODAY,
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Policy: PASS"), "{}", run.stdout);
}

#[test]
fn exit_1_when_the_policy_fails_one_line_per_rule() {
    let run = scan_with(
        &[(
            "drydock.yaml",
            "fail_on_severity: HIGH\nbanned_packages: [busybox]\n",
        )],
        TODAY,
        &[],
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("drydock: policy failed: ")),
        "{lines:?}"
    );
    assert!(
        run.stdout.contains("Policy: FAIL (2 rules failed)"),
        "{}",
        run.stdout
    );
}

fn assert_usage_error(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "{needle}: {}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "no '{needle}' in {}",
        run.stderr
    );
}

#[test]
fn exit_2_for_bad_gate_input() {
    assert_usage_error(
        &scan_with(&[("drydock.yaml", "fail_on_sevrity: HIGH\n")], TODAY, &[]),
        "drydock.yaml",
    );
    assert_usage_error(
        &scan_with(&[], TODAY, &["--policy", "absent.yaml"]),
        "absent.yaml",
    );
    assert_usage_error(
        &scan_with(&[], TODAY, &["--ignorefile", "absent"]),
        "absent",
    );
    assert_usage_error(
        &scan_with(&[("v.json", "{}")], TODAY, &["--vex", "v.json"]),
        "v.json",
    );
    assert_usage_error(
        &scan_with(&[("b.json", "[]")], TODAY, &["--baseline", "b.json"]),
        "b.json",
    );
    assert_usage_error(
        &scan_with(&[], TODAY, &["--skip-dirs", "a/[b"]),
        "--skip-dirs 'a/[b'",
    );
    assert_usage_error(
        &scan_with(&[], TODAY, &["--scanners", "none,vuln"]),
        "`none` cannot be combined",
    );
    assert_usage_error(&scan_with(&[], "2026-13-01", &[]), "DRYDOCK_TODAY");
    let clap = scan_with(&[], TODAY, &["--severity", "SEVERE"]);
    assert_eq!(clap.code, 2, "{}", clap.stderr);
}

#[test]
fn exit_3_when_the_database_is_missing_or_too_old() {
    let empty = tempfile::tempdir().expect("tmp");
    let image = alpine310();
    let run = drydock_in(
        empty.path(),
        &[],
        &[
            "--cache-dir",
            empty.path().to_str().expect("utf8"),
            "image",
            image.to_str().expect("utf8"),
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("drydock db update"), "{}", run.stderr);
    let old = scan_with(
        &[("drydock.yaml", "max_db_age_days: 7\n")],
        "2099-01-01",
        &[],
    );
    assert_eq!(old.code, 3, "{}", old.stderr);
    assert!(old.stderr.contains("max_db_age_days"), "{}", old.stderr);
    // Built today (the real clock): within a one-day limit.
    let cwd = tempfile::tempdir().expect("tmp");
    std::fs::write(cwd.path().join("drydock.yaml"), "max_db_age_days: 1\n").expect("write");
    let fresh = drydock_in(
        cwd.path(),
        &[],
        &[
            "--cache-dir",
            mirror_db().to_str().expect("utf8"),
            "image",
            image.to_str().expect("utf8"),
            "-q",
        ],
    );
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    // Without the vulnerability scanner the database does not matter.
    assert_eq!(run_without_vuln(empty.path(), &image).code, 0);
}

fn run_without_vuln(cache: &Path, image: &Path) -> Run {
    drydock(&[
        "--cache-dir",
        cache.to_str().expect("utf8"),
        "image",
        image.to_str().expect("utf8"),
        "--scanners",
        "secret",
        "-q",
    ])
}

#[test]
fn a_policy_file_is_used_from_the_working_directory_or_by_flag() {
    let by_flag_dir = tempfile::tempdir().expect("tmp");
    let p = by_flag_dir.path().join("strict.yaml");
    std::fs::write(&p, "fail_on_severity: HIGH\n").expect("write");
    let run = gate(
        &alpine310(),
        "fail_on_severity: CRITICAL\n",
        TODAY,
        &["--policy", p.to_str().expect("utf8")],
    );
    assert_eq!(
        run.code, 1,
        "--policy wins over drydock.yaml: {}",
        run.stderr
    );
    let run = gate(
        &alpine310(),
        "fail_on_severity: CRITICAL\n",
        TODAY,
        &["--fail-on", "HIGH"],
    );
    assert_eq!(run.code, 1, "--fail-on overrides the file: {}", run.stderr);
}

/// A reader that goes away (`drydock db status | head -1`) ends the command quietly:
/// exit 0 and no panic (std's `println!` panics on a closed pipe).
#[test]
fn a_closed_stdout_pipe_is_not_a_crash() {
    for args in [&["db", "status"][..], &["cache", "status"], &["version"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drydock"))
            .args(["--cache-dir", crate::outputs::cache_dir()])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close the read end before drydock has opened its database and printed.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// 2 GiB of zeros as 128 concatenated bzip2 streams (a few KB) where a mirror keeps
/// Oracle's ELSA file: refused past its inflate budget with one line, in seconds.
#[test]
fn exit_2_for_a_bzip2_bomb_in_the_mirror() {
    use std::io::Write;
    let mut block = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    block.write_all(&vec![0u8; 16 << 20]).expect("bzip2");
    let bomb = block.finish().expect("bzip2").repeat(128);
    let feeds = tempfile::tempdir().expect("tmp");
    let oval = feeds.path().join("oval/oracle");
    std::fs::create_dir_all(&oval).expect("mkdir");
    std::fs::write(oval.join("com.oracle.elsa-all.xml.bz2"), bomb).expect("write");
    let start = std::time::Instant::now();
    let run = update_with_feeds(feeds.path());
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    assert_usage_error(&run, "com.oracle.elsa-all.xml.bz2 inflates past 64 MiB");
}

/// A mirror's Azure Linux OVAL file cut short: exit 2, one line naming the file.
#[test]
fn exit_2_for_a_broken_azure_linux_oval_file_in_the_mirror() {
    let real = crate::common::repo_root()
        .join("testdata/distro-advisories/oval/azurelinux/azurelinux-3.0-oval.xml");
    let text = std::fs::read(real).expect("fixture");
    let feeds = tempfile::tempdir().expect("tmp");
    let oval = feeds.path().join("oval/azurelinux");
    std::fs::create_dir_all(&oval).expect("mkdir");
    std::fs::write(
        oval.join("azurelinux-3.0-oval.xml"),
        &text[..text.len() / 2],
    )
    .expect("write");
    let run = update_with_feeds(feeds.path());
    assert_usage_error(&run, "oval/azurelinux/azurelinux-3.0-oval.xml");
}

/// A mirror's Fedora updateinfo cut short (the xz stream ends early; its repomd.xml names
/// the shortened file's sha256, so only the decompression can tell): exit 2, one line
/// naming the file.
#[test]
fn exit_2_for_a_truncated_fedora_updateinfo_in_the_mirror() {
    use sha2::{Digest, Sha256};
    let feeds = tempfile::tempdir().expect("tmp");
    let repo = feeds.path().join("fedora/38/Everything/x86_64/repodata");
    std::fs::create_dir_all(&repo).expect("mkdir");
    let real = crate::common::repo_root()
        .join("testdata/distro-advisories/fedora/38/Everything/x86_64/repodata");
    let mut xz = Vec::new();
    for e in std::fs::read_dir(&real).expect("fixture").flatten() {
        if e.file_name().to_string_lossy().ends_with(".xz") {
            xz = std::fs::read(e.path()).expect("read");
        }
    }
    let cut = &xz[..xz.len() / 2];
    std::fs::write(repo.join("cut-updateinfo.xml.xz"), cut).expect("write");
    let repomd = format!(
        r#"<repomd xmlns="http://linux.duke.edu/metadata/repo"><data type="updateinfo"><checksum type="sha256">{}</checksum><location href="repodata/cut-updateinfo.xml.xz"/></data></repomd>"#,
        hex::encode(Sha256::digest(cut))
    );
    std::fs::write(repo.join("repomd.xml"), repomd).expect("write");
    let run = update_with_feeds(feeds.path());
    assert_usage_error(
        &run,
        "fedora/38/Everything/x86_64/repodata/cut-updateinfo.xml.xz",
    );
}

/// A mirror's Photon OS OVAL file in Broadcom's `.gz`, cut short: exit 2, one line naming
/// the file.
#[test]
fn exit_2_for_a_broken_photon_oval_file_in_the_mirror() {
    let real = crate::common::repo_root()
        .join("testdata/distro-advisories/oval/photon/com.vmware.phsa-photon4.xml");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(real).expect("fixture")).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let feeds = tempfile::tempdir().expect("tmp");
    let oval = feeds.path().join("oval/photon");
    std::fs::create_dir_all(&oval).expect("mkdir");
    let file = oval.join("com.vmware.phsa-photon4.xml.gz");
    std::fs::write(file, &gz[..gz.len() / 2]).expect("write");
    let run = update_with_feeds(feeds.path());
    assert_usage_error(&run, "oval/photon/com.vmware.phsa-photon4.xml.gz");
}

/// `db update` from the vendored OSV mirror with the feeds folder `feeds`, into a fresh cache.
fn update_with_feeds(feeds: &std::path::Path) -> crate::common::Run {
    let cache = tempfile::tempdir().expect("tmp");
    let osv = crate::common::repo_root().join("testdata/matcher/mirror/osv");
    db_update(
        cache.path().to_str().expect("utf8"),
        osv.to_str().expect("utf8"),
        &["--feeds", feeds.to_str().expect("utf8")],
    )
}
