//! Resource limits on the command line: a compression bomb, a layer over
//! `--max-layer-mib` and a scan past `--scan-timeout` each end in seconds with exit 2 and
//! one line naming the input, the layer and the flag. A layer not read to its end leaves
//! no complete answer, so no report is written. The bombs are built by
//! `drydock_testkit` (150 GB of tar in 145 MB of gzip or 5 MB of zstd).

use crate::common::{Blob, Tar, scan_json, write_oci};
use drydock_testkit::{gzip_bomb, zstd_bomb};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Generous for a shared machine; without the limits these scans run for minutes.
const CEILING: Duration = Duration::from_secs(60);

const BOMB: u64 = 150_000_000_000;

/// A layout of one bomb layer; its diff_id is not the tar's (OCI verifies blob digests).
fn bomb_layout(bytes: Vec<u8>, media_type: &'static str) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("bomb");
    write_oci(
        &dir,
        &[Blob {
            bytes,
            media_type,
            tar: b"not hashed".to_vec(),
        }],
    );
    (tmp, dir)
}

fn refused(dir: &std::path::Path, extra: &[&str], needle: &str) {
    let start = Instant::now();
    let run = scan_json(dir, extra);
    assert!(start.elapsed() < CEILING, "took {:?}", start.elapsed());
    run.assert_clean_error(dir, needle);
    assert!(run.stderr.contains(": layer 0 (sha256:"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
}

#[test]
fn gzip_bomb_of_150_gb_is_refused_by_default() {
    let (_t, dir) = bomb_layout(
        gzip_bomb("zeros", BOMB),
        "application/vnd.oci.image.layer.v1.tar+gzip",
    );
    refused(&dir, &[], "inflates more than 100:1 (");
}

#[test]
fn inflate_ratio_and_layer_size_follow_their_flags() {
    let (_t, dir) = bomb_layout(
        zstd_bomb("zeros", BOMB),
        "application/vnd.oci.image.layer.v1.tar+zstd",
    );
    refused(
        &dir,
        &["--max-inflate-ratio", "20000"],
        "inflates more than 20000:1 (",
    );
    refused(
        &dir,
        &[
            "--max-inflate-ratio",
            "1000000000",
            "--max-layer-mib",
            "2048",
        ],
        "it inflates over the 2048 MiB layer limit (--max-layer-mib)",
    );
}

#[test]
fn scan_timeout_stops_a_bomb_the_other_limits_let_through() {
    let (_t, dir) = bomb_layout(
        zstd_bomb("zeros", BOMB),
        "application/vnd.oci.image.layer.v1.tar+zstd",
    );
    refused(
        &dir,
        &["--max-inflate-ratio", "1000000000", "--scan-timeout", "2s"],
        "scan timed out after 2.0s (--scan-timeout)",
    );
}

/// A directory (`rootfs`, `fs`) is held to `--scan-timeout` too: 40,000 files cannot be
/// listed within 1 ms, and the same tree without the flag scans fine.
#[test]
fn scan_timeout_holds_for_a_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    for d in 0..40 {
        let dir = tmp.path().join(format!("usr/share/d{d}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for f in 0..1000 {
            std::fs::write(dir.join(format!("f{f}")), b"").expect("file");
        }
    }
    let root = tmp.path().to_str().expect("utf-8");
    let run = crate::outputs::in_root(&[
        "rootfs",
        root,
        "--scanners",
        "none",
        "--scan-timeout",
        "1ms",
    ]);
    run.assert_clean_error(tmp.path(), "scan timed out after");
    assert!(run.stderr.contains("--scan-timeout"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
    let fine = crate::outputs::in_root(&["rootfs", root, "--scanners", "none", "--format", "json"]);
    assert_eq!(fine.code, 0, "{}", fine.stderr);
}

/// `--memory-budget-mib`: an image whose inventory alone needs more than the budget (a
/// dpkg status of 300,000 packages, about 200 MB resident once parsed) stops with exit 2
/// and one line naming the input and the flag, and writes no report; the same image
/// without a budget scans to the end, so the budget is what stopped it.
#[test]
fn memory_budget_stops_a_scan_that_outgrows_it() {
    let status: String = (0..300_000)
        .map(|i| {
            format!(
                "Package: pkg{i}\nStatus: install ok installed\nVersion: 1.{i}-1\n\
                 Architecture: amd64\nDescription: package {i}\n\n"
            )
        })
        .collect();
    let tar = Tar::default()
        .file("etc/os-release", b"ID=debian\nVERSION_ID=12\n")
        .file("var/lib/dpkg/status", status.as_bytes())
        .finish();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("many-packages");
    write_oci(&dir, &[Blob::plain(tar)]);

    let start = Instant::now();
    let run = scan_json(&dir, &["--memory-budget-mib", "64", "--no-layer-cache"]);
    assert!(start.elapsed() < CEILING, "took {:?}", start.elapsed());
    run.assert_clean_error(&dir, "memory budget of 64 MiB exceeded");
    assert!(run.stderr.contains("--memory-budget-mib"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);

    let run = scan_json(&dir, &["--memory-budget-mib", "0", "--no-layer-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let packages = run.json()["packages"].as_array().map_or(0, Vec::len);
    assert_eq!(packages, 300_000);
}
