//! The per-layer result cache: reports from cached layers equal cold ones, shared base
//! layers are analysed once, scans sharing a cache (one of them killed mid-write) leave it
//! usable, and a local layer edited under its cached digest still fails its digest check.

use crate::common::{Run, drydock_in};
use drydock_testkit::{Need, need};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SCANNERS: &str = "secret,misconfig";

fn corpus(rel: &str) -> Option<PathBuf> {
    let root = need(Need::Corpus)?;
    Some(root.join(rel))
}

/// `drydock image` with the layer cache in `cache` (or off), secrets and misconfig on.
fn scan(cache: Option<&Path>, image: &Path) -> Run {
    let image = image.to_str().expect("utf-8");
    let cwd = std::env::temp_dir();
    match cache {
        Some(dir) => drydock_in(
            &cwd,
            &[("DRYDOCK_NO_LAYER_CACHE", "false")],
            &[
                "--cache-dir",
                dir.to_str().expect("utf-8"),
                "image",
                image,
                "--scanners",
                SCANNERS,
                "--format",
                "json",
            ],
        ),
        None => drydock_in(
            &cwd,
            &[],
            &["image", image, "--scanners", SCANNERS, "--format", "json"],
        ),
    }
}

fn report(run: &Run) -> Value {
    assert_eq!(run.code, 0, "scan failed: {}", run.stderr);
    run.json()
}

/// `drydock cache status` lines, as `key: value`.
fn status(cache: &Path) -> String {
    let run = drydock_in(
        &std::env::temp_dir(),
        &[],
        &[
            "--cache-dir",
            cache.to_str().expect("utf-8"),
            "cache",
            "status",
        ],
    );
    assert_eq!(run.code, 0, "cache status: {}", run.stderr);
    run.stdout
}

fn last_scan(cache: &Path) -> String {
    let status = status(cache);
    status
        .lines()
        .find_map(|l| l.strip_prefix("last scan: "))
        .unwrap_or_else(|| panic!("no last scan in {status}"))
        .to_owned()
}

#[test]
fn cached_reports_equal_uncached_on_corpus_images() {
    let rels = [
        "debian-app/debian-app.oci.tar",
        "debian-app/debian-app.docker.tar",
        "debian-app/debian-app.docker.tar.gz",
        "debian-slim/debian-slim.oci.tar",
        "distroless-like/distroless-like.docker.tar",
        "busybox/oci",
    ];
    for rel in rels {
        let Some(image) = corpus(rel) else { return };
        let cache = tempfile::tempdir().expect("tempdir");
        let uncached = report(&scan(None, &image));
        let cold = report(&scan(Some(cache.path()), &image));
        assert!(last_scan(cache.path()).starts_with("0 hits"), "{rel}");
        let warm = report(&scan(Some(cache.path()), &image));
        assert!(
            last_scan(cache.path()).ends_with(" 0 misses (0 corrupt), 0 stored"),
            "{rel}: {}",
            status(cache.path())
        );
        assert_eq!(cold, uncached, "{rel}: cold scan with a cache differs");
        assert_eq!(warm, uncached, "{rel}: warm scan differs from uncached");
    }
}

#[test]
fn shared_base_layer_is_analysed_once_and_clean_empties() {
    let (Some(slim), Some(app)) = (
        corpus("debian-slim/debian-slim.oci.tar"),
        corpus("debian-app/debian-app.oci.tar"),
    ) else {
        return;
    };
    let cache = tempfile::tempdir().expect("tempdir");
    report(&scan(Some(cache.path()), &slim));
    let app_report = report(&scan(Some(cache.path()), &app));
    let layers = app_report["layers"].as_array().expect("layers").len();
    // debian-app is debian-slim's one layer plus its own.
    assert_eq!(
        last_scan(cache.path()),
        format!(
            "1 hits, {} misses (0 corrupt), {} stored",
            layers - 1,
            layers - 1
        )
    );
    assert_eq!(app_report, report(&scan(None, &app)));
    let clean = drydock_in(
        &std::env::temp_dir(),
        &[],
        &[
            "--cache-dir",
            cache.path().to_str().expect("utf-8"),
            "cache",
            "clean",
        ],
    );
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(
        clean
            .stdout
            .starts_with(&format!("removed {layers} entries")),
        "{}",
        clean.stdout
    );
    assert!(status(cache.path()).contains("entries: 0\n"));
}

fn spawn_scan(cache: &Path, image: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--cache-dir", cache.to_str().expect("utf-8"), "image"])
        .arg(image)
        .args(["--scanners", SCANNERS, "--format", "json", "-q"])
        .env("DRYDOCK_NO_LAYER_CACHE", "false")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn drydock")
}

#[test]
fn concurrent_scans_and_a_killed_writer_leave_the_cache_sound() {
    let (Some(slim), Some(app)) = (
        corpus("debian-slim/debian-slim.docker.tar"),
        corpus("debian-app/debian-app.docker.tar"),
    ) else {
        return;
    };
    let cache = tempfile::tempdir().expect("tempdir");
    // Killed while reading or writing entries: at most stray temporary files remain.
    let mut victim = spawn_scan(cache.path(), &app);
    std::thread::sleep(std::time::Duration::from_millis(400));
    victim.kill().expect("kill");
    victim.wait().expect("wait");
    // A corrupt entry planted by hand: a miss, deleted, never a wrong result.
    let entries = cache.path().join("layers");
    std::fs::create_dir_all(&entries).expect("mkdir");
    for e in std::fs::read_dir(&entries).expect("read_dir").flatten() {
        if e.file_name().to_string_lossy().ends_with(".entry") {
            std::fs::write(e.path(), b"drydock\x01 not zstd").expect("corrupt");
        }
    }
    let both = [
        spawn_scan(cache.path(), &app),
        spawn_scan(cache.path(), &slim),
    ];
    let outs: Vec<_> = both
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    for (out, image) in outs.iter().zip([&app, &slim]) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(got, report(&scan(None, image)), "{}", image.display());
    }
    let warm = report(&scan(Some(cache.path()), &app));
    assert!(last_scan(cache.path()).ends_with(" 0 misses (0 corrupt), 0 stored"));
    assert_eq!(warm, report(&scan(None, &app)));
}

#[test]
fn local_layer_edited_under_its_cached_digest_still_fails() {
    let Some(layout) = corpus("debian-slim/oci") else {
        return;
    };
    let copy = tempfile::tempdir().expect("tempdir");
    let status = Command::new("cp")
        .args(["-a", "--"])
        .arg(&layout)
        .arg(copy.path().join("oci"))
        .status()
        .expect("cp");
    assert!(status.success());
    let image = copy.path().join("oci");
    let cache = tempfile::tempdir().expect("tempdir");
    report(&scan(Some(cache.path()), &image));
    let index: Value =
        serde_json::from_slice(&std::fs::read(image.join("index.json")).expect("index.json"))
            .expect("json");
    let manifest_digest = index["manifests"][0]["digest"].as_str().expect("digest");
    let blob = |d: &str| {
        image
            .join("blobs/sha256")
            .join(d.trim_start_matches("sha256:"))
    };
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(blob(manifest_digest)).expect("manifest"))
            .expect("json");
    let layer = blob(manifest["layers"][0]["digest"].as_str().expect("layer"));
    let mut bytes = std::fs::read(&layer).expect("layer");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&layer, bytes).expect("tamper");
    // The flipped byte sits in the gzip trailer, so the read fails as a cold one would.
    let run = scan(Some(cache.path()), &image);
    run.assert_clean_error(&image, "layer 0 (");
    assert!(run.stderr.contains("corrupt"), "{}", run.stderr);
}

/// A registry image whose base layer is cached is scanned without downloading that
/// layer: with its blob deleted from the registry's storage the warm scan still gives
/// the cold report, while an uncached scan fails on the missing blob.
#[test]
fn registry_hits_are_not_downloaded() {
    use crate::common::registry::{drydock_env, push, registry, tools};
    if !tools(
        "registry_hits_are_not_downloaded",
        &["docker-registry", "skopeo"],
    ) {
        return;
    }
    let (Some(slim), Some(app)) = (
        corpus("debian-slim/debian-slim.oci.tar"),
        corpus("debian-app/debian-app.oci.tar"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let reg = registry(tmp.path(), "");
    for (src, name) in [(&slim, "slim"), (&app, "app")] {
        push(
            &format!("oci-archive:{}", src.display()),
            &format!("{}/corpus/{name}:1", reg.host()),
            &["--dest-tls-verify=false"],
        );
    }
    let cache = tmp.path().join("cache");
    let scan = |name: &str, cached: bool| {
        let input = format!("{}/corpus/{name}:1", reg.host());
        let mut args = vec!["--cache-dir", cache.to_str().expect("utf-8"), "image"];
        args.extend([input.as_str(), "--insecure", "--image-src", "registry"]);
        args.extend(["--scanners", SCANNERS, "--format", "json"]);
        let flag = if cached { "false" } else { "true" };
        drydock_env(tmp.path(), &[("DRYDOCK_NO_LAYER_CACHE", flag)], &args).0
    };
    let cold = report(&scan("app", false));
    report(&scan("slim", true));
    let base = cold["layers"][0]["digest"].as_str().expect("digest");
    let hex = base.trim_start_matches("sha256:");
    let blob = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("registry-"))
        .expect("registry dir")
        .path()
        .join("storage/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data");
    std::fs::remove_file(&blob).unwrap_or_else(|e| panic!("{}: {e}", blob.display()));
    let uncached = scan("app", false);
    assert_eq!(uncached.code, 2, "{}", uncached.stderr);
    let warm = report(&scan("app", true));
    assert!(
        last_scan(&cache).starts_with("1 hits"),
        "{}",
        status(&cache)
    );
    assert_eq!(warm, cold);
}
