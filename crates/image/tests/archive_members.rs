//! A compressed docker archive padded with 300 members of 8 MiB that look like JSON
//! (they start with `{`): the first pass used to keep every one of them, 2.5 GB for an
//! archive of 2.5 MB. Alone in its test binary, so the process's peak RSS is this test's.

mod common;

use common::{ReadEverything, docker_archive, tar_of};
use drydock_image::{Image, ImageRef, Limits, OpenOptions, WalkOptions};
use std::io::Read;
use std::time::{Duration, Instant};

const MEMBERS: usize = 300;
const MEMBER: u64 = 8 << 20;

/// Peak resident memory of this process (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .expect("VmHWM");
    line.trim()
        .trim_end_matches(" kB")
        .parse::<u64>()
        .expect("kB")
        << 10
}

#[test]
fn three_hundred_json_looking_members_are_not_all_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("padded.tar.gz");
    let file = std::fs::File::create(&path).expect("create");
    let mut out = tar::Builder::new(flate2::write::GzEncoder::new(
        file,
        flate2::Compression::fast(),
    ));
    // Streamed into the archive, never held: `{` and 8 MiB less one of zeros.
    for i in 0..MEMBERS {
        let mut h = tar::Header::new_gnu();
        h.set_size(MEMBER);
        h.set_mode(0o644);
        let body = b"{".chain(std::io::repeat(0).take(MEMBER - 1));
        out.append_data(&mut h, format!("pad/{i}.json"), body)
            .expect("append");
    }
    // The image comes after the padding, as `docker save` writes manifest.json last: its
    // config arrives once the budget is spent and has to be read again.
    let layer = tar_of(&[("etc/os-release", b"ID=debian\n")]);
    let image = docker_archive(&[&layer]);
    for entry in tar::Archive::new(&image[..]).entries().expect("tar") {
        let entry = entry.expect("entry");
        let header = entry.header().clone();
        out.append(&header, entry).expect("append");
    }
    out.into_inner()
        .and_then(flate2::write::GzEncoder::finish)
        .expect("finish");

    let before = peak_rss();
    let start = Instant::now();
    // The padding is zeros, which inflate far past 100:1: the ratio is not under test.
    let opts = OpenOptions {
        limits: Limits {
            max_inflate_ratio: u64::MAX,
            ..Limits::default()
        },
        ..OpenOptions::default()
    };
    let img = Image::open(&ImageRef::parse_local(&path), &opts).expect("open");
    let walked = img
        .walk(&ReadEverything, &WalkOptions::default(), &|_| {})
        .expect("walk");
    let elapsed = start.elapsed();
    assert_eq!(img.repo_tags, ["test:1"]);
    assert_eq!(walked.view.get("etc/os-release").map(|n| n.size), Some(10));
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
    // Keeping them all is MEMBERS × 8 MiB = 2.5 GB; the budget is 64 MiB.
    let peak = peak_rss();
    assert!(
        peak < 512 << 20,
        "peak RSS {} MB (before opening {} MB)",
        peak >> 20,
        before >> 20
    );
    eprintln!(
        "{MEMBERS} members: opened and walked in {elapsed:?}, peak RSS {} MB",
        peak >> 20
    );
}
