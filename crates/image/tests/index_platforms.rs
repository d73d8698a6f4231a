//! Image indexes that cost far more to resolve than their size: many platforms whose
//! descriptors do not say which (so each config must), and one manifest listed a
//! million times through a nested index. The peak-RSS test shares its binary only with
//! the fan-out test, which stays small unless resolution regresses.

mod common;

use common::{ReadEverything, digest, gzip, tar_of};
use drydock_image::{Image, ImageRef, OpenOptions, Platform, WalkOptions};
use std::path::Path;
use std::time::{Duration, Instant};

const CEILING: Duration = Duration::from_secs(60);
const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const INDEX: &str = "application/vnd.oci.image.index.v1+json";

fn put(dir: &Path, data: &[u8]) -> String {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let d = digest(data);
    std::fs::write(blobs.join(&d[7..]), data).expect("write");
    d
}

fn descriptor(media_type: &str, digest: &str, size: usize) -> String {
    format!(r#"{{"mediaType":"{media_type}","digest":"{digest}","size":{size}}}"#)
}

/// An image manifest over one layer holding `etc/arch` = `arch`, with a config whose
/// history carries `pad` bytes; returns its descriptor (no platform in it).
fn image(dir: &Path, arch: &str, pad: usize) -> String {
    let tar = tar_of(&[("etc/arch", arch.as_bytes())]);
    let layer = gzip(&tar);
    let ld = put(dir, &layer);
    let config = format!(
        r#"{{"architecture":"{arch}","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}},"history":[{{"created_by":"{}"}}]}}"#,
        digest(&tar),
        "x".repeat(pad)
    );
    let cd = put(dir, config.as_bytes());
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{MANIFEST}","config":{},"layers":[{}]}}"#,
        descriptor(
            "application/vnd.oci.image.config.v1+json",
            &cd,
            config.len()
        ),
        descriptor(
            "application/vnd.oci.image.layer.v1.tar+gzip",
            &ld,
            layer.len()
        )
    );
    let md = put(dir, manifest.as_bytes());
    descriptor(MANIFEST, &md, manifest.len())
}

fn index_of(descs: &[String]) -> String {
    format!(r#"{{"schemaVersion":2,"manifests":[{}]}}"#, descs.join(","))
}

fn open_and_read(dir: &Path, arch: &str) -> Duration {
    let start = Instant::now();
    let opts = OpenOptions {
        platform: Platform::parse(&format!("linux/{arch}")),
        ..OpenOptions::default()
    };
    let img = Image::open(&ImageRef::parse_local(dir), &opts).expect("open");
    assert_eq!(
        img.platform.as_ref().map(|p| p.architecture.as_str()),
        Some(arch)
    );
    let walked = img
        .walk(&ReadEverything, &WalkOptions::default(), &|_| {})
        .expect("walk");
    assert_eq!(
        walked.view.get("etc/arch").map(|n| n.size),
        Some(arch.len() as u64)
    );
    start.elapsed()
}

fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .expect("VmHWM");
    kb.trim()
        .trim_end_matches(" kB")
        .parse::<u64>()
        .expect("kB")
        << 10
}

#[test]
fn configs_of_many_platforms_are_not_kept_at_once() {
    const PLATFORMS: usize = 400;
    const PAD: usize = 1_500_000;
    let tmp = tempfile::tempdir().expect("tmp");
    let descs: Vec<String> = (0..PLATFORMS)
        .map(|i| image(tmp.path(), &format!("arch{i}"), PAD))
        .collect();
    std::fs::write(tmp.path().join("index.json"), index_of(&descs)).expect("index");
    let before = peak_rss();
    let elapsed = open_and_read(tmp.path(), &format!("arch{}", PLATFORMS - 1));
    assert!(elapsed < CEILING, "{elapsed:?}");
    // Keeping every parsed config is 400 × 1.5 MB = 600 MB.
    let peak = peak_rss();
    assert!(
        peak < 300 << 20,
        "peak RSS {} MB (before opening {} MB)",
        peak >> 20,
        before >> 20
    );
    eprintln!(
        "{PLATFORMS} platforms: resolved and read in {elapsed:?}, peak RSS {} MB",
        peak >> 20
    );
}

#[test]
fn one_manifest_listed_a_million_times_is_read_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let one = image(tmp.path(), "amd64", 10);
    let inner = index_of(&vec![one; 1000]);
    let id = put(tmp.path(), inner.as_bytes());
    let outer = index_of(&vec![descriptor(INDEX, &id, inner.len()); 1000]);
    std::fs::write(tmp.path().join("index.json"), outer).expect("index");
    // Reading every listing took 49 s; once each, 0.01 s.
    let elapsed = open_and_read(tmp.path(), "amd64");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}
