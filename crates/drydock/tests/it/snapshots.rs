//! Golden reports: the JSON and table output of every vendored image, rootfs and source
//! tree, inventory-only and with every scanner over the vendored advisory mirror.
//!
//! The snapshots were recorded with the binary *before* the architecture step moved the
//! report types into `drydock-model`, so a diff here is a change of schema v1 (fields
//! may only be added) or of the table users read. Review a change with `cargo insta
//! review`, or re-record with `INSTA_UPDATE=always`.

use crate::common::repo_root;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// (snapshot name, subcommand, input relative to the repo root, extra args).
const TARGETS: &[(&str, &str, &str, &[&str])] = &[
    (
        "busybox",
        "image",
        "testdata/images/busybox/busybox.oci.tar",
        &[],
    ),
    (
        "multiarch-amd64",
        "image",
        "testdata/images/multiarch/multiarch.oci.tar",
        &["--platform", "linux/amd64"],
    ),
    (
        "hello-world-v25",
        "image",
        "testdata/images/thirdparty/hello-world-v25.tar",
        &[],
    ),
    (
        "whiteout-image",
        "image",
        "testdata/images/thirdparty/whiteout_image.tar",
        &[],
    ),
    (
        "alpine-310",
        "image",
        "testdata/images/thirdparty/alpine-310.tar.gz",
        &[],
    ),
    ("rootfs-alpine-311", "rootfs", "testdata/os/alpine-311", &[]),
    (
        "rootfs-debian-slim",
        "rootfs",
        "testdata/os/debian-slim",
        &[],
    ),
    (
        "rootfs-distroless-like",
        "rootfs",
        "testdata/os/distroless-like",
        &[],
    ),
    ("fs-lockfiles", "fs", "testdata/apps/lockfiles", &[]),
];

/// A vulnerability DB built once from the vendored mirror, as a user builds it.
fn cache_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let out = run(&[
            "--cache-dir",
            dir.to_str().expect("utf8"),
            "db",
            "update",
            "--source",
            "testdata/matcher/mirror/osv",
        ]);
        assert!(out.0 == 0, "db update failed: {}", out.2);
        dir
    })
}

/// Runs drydock from the repo root so reports name inputs by their relative path.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .current_dir(repo_root())
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env("DRYDOCK_NO_LAYER_CACHE", "true")
        .args(args)
        .output()
        .expect("run drydock");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn report(sub: &str, input: &str, extra: &[&str], format: &str, all_scanners: bool) -> String {
    let cache = cache_dir().to_str().expect("utf8").to_owned();
    let scanners = if all_scanners {
        "vuln,secret,misconfig"
    } else {
        "none"
    };
    let mut args = vec!["--cache-dir", &cache, sub, input, "--format", format];
    args.extend_from_slice(&["--scanners", scanners, "--quiet"]);
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "drydock {args:?}: {stderr}");
    stdout
}

fn check_all(format: &str, all_scanners: bool) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, sub, input, extra) in TARGETS {
            let mode = if all_scanners { "all" } else { "inventory" };
            let text = report(sub, input, extra, format, all_scanners);
            if format == "json" {
                assert_reads_back(name, &text);
            }
            insta::assert_snapshot!(format!("{name}.{mode}.{format}"), text);
        }
    });
}

/// A JSON report drydock wrote reads back into `Report` and renders to the same bytes:
/// the server and `drydock sbom` lose nothing by storing reports as JSON.
fn assert_reads_back(name: &str, json: &str) {
    let report: drydock_model::Report =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: not a Report: {e}"));
    let mut again = Vec::new();
    drydock_report::render(
        &report,
        drydock_report::Format::Json,
        &drydock_report::RenderOptions::default(),
        &mut again,
    )
    .expect("render");
    assert!(
        again == json.as_bytes(),
        "{name}: JSON -> Report -> JSON differs"
    );
}

#[test]
fn json_inventory_is_unchanged() {
    check_all("json", false);
}

#[test]
fn json_with_every_scanner_is_unchanged() {
    check_all("json", true);
}

#[test]
fn table_inventory_is_unchanged() {
    check_all("table", false);
}

#[test]
fn table_with_every_scanner_is_unchanged() {
    check_all("table", true);
}
