//! Compression bombs and the layer limits that stop them. Each bomb is a valid gzip or
//! zstd stream of a tar holding one file of zeros, built here from one repeated piece
//! (`drydock_testkit::gzip_bomb`): 150 GB of tar take 145 MB of gzip, and inflating all
//! of it takes minutes. Every case must end in seconds with a one-line `Limit` refusal
//! naming the layer and the limit.

mod common;

use common::{ReadEverything, TestLayer, digest, docker_archive, gzip, tar_of, write_layout};
use drydock_image::{
    ErrorKind, Image, ImageError, ImageRef, Limits, OpenOptions, RATIO_FLOOR, WalkOptions,
};
use drydock_testkit::{gzip_bomb, zstd_bomb};
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous for a shared 2-core machine: stopping at the ratio floor inflates 1 GiB
/// (about a second); reading a 150 GB bomb to its end takes minutes.
const CEILING: Duration = Duration::from_secs(30);

const BOMB: u64 = 150_000_000_000;

const GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";

/// A layout of one layer holding `blob`. The diff_id is not the tar's (hashing 150 GB
/// is what the test avoids); OCI layouts verify the blob digest, which is right.
fn layout(dir: &Path, blob: &[u8], media_type: &str) {
    write_layout(
        dir,
        &[TestLayer {
            blob,
            media_type,
            diff_id: digest(b"not hashed"),
        }],
    );
}

/// Opens and walks `dir` with `limits`, returning the refusal; asserts the ceiling and
/// that the message is one line naming the input and layer 0.
fn refusal(dir: &Path, limits: Limits) -> ImageError {
    let start = Instant::now();
    let opts = WalkOptions {
        limits,
        ..WalkOptions::default()
    };
    let result = Image::open(&ImageRef::parse_local(dir), &OpenOptions::default())
        .and_then(|img| img.walk(&ReadEverything, &opts, &|_| {}));
    let elapsed = start.elapsed();
    let err = result.err().expect("the bomb is refused");
    assert!(elapsed < CEILING, "refused after {elapsed:?}: {err}");
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    let line = err.to_string();
    assert!(
        line.starts_with(&format!("{}: layer 0 (sha256:", dir.display())),
        "{line}"
    );
    assert!(!line.contains('\n'), "one line: {line}");
    err
}

/// The builder's bombs are what they claim: a small one inflates, CRC and length
/// checked by the decoder, to exactly the tar `tar` itself would write.
#[test]
fn bombs_inflate_to_the_tar_they_claim() {
    let size = (100 << 20) + 17;
    let zeros = vec![0u8; size];
    let want = tar_of(&[("zeros", &zeros)]);
    let mut got = Vec::new();
    flate2::read::GzDecoder::new(&gzip_bomb("zeros", size as u64)[..])
        .read_to_end(&mut got)
        .expect("valid gzip");
    assert!(
        got == want,
        "gzip bomb: {} bytes, want {}",
        got.len(),
        want.len()
    );
    got.clear();
    zstd::stream::read::Decoder::new(&zstd_bomb("zeros", size as u64)[..])
        .expect("zstd")
        .read_to_end(&mut got)
        .expect("valid zstd");
    assert!(
        got == want,
        "zstd bomb: {} bytes, want {}",
        got.len(),
        want.len()
    );
}

#[test]
fn gzip_bomb_of_150_gb_stops_at_the_inflation_ratio() {
    let bomb = gzip_bomb("zeros", BOMB);
    assert!(bomb.len() < 160_000_000, "{} bytes", bomb.len());
    let tmp = tempfile::tempdir().expect("tmp");
    layout(tmp.path(), &bomb, GZIP);
    drop(bomb);
    let err = refusal(tmp.path(), Limits::default());
    assert!(
        err.message.contains("inflates more than 100:1 (")
            && err.message.contains("--max-inflate-ratio"),
        "{err}"
    );
}

#[test]
fn zstd_bomb_of_150_gb_stops_at_the_inflation_ratio() {
    let tmp = tempfile::tempdir().expect("tmp");
    layout(tmp.path(), &zstd_bomb("zeros", BOMB), ZSTD);
    let err = refusal(tmp.path(), Limits::default());
    assert!(err.message.contains("inflates more than 100:1 ("), "{err}");
}

/// Below the ratio floor nothing is judged by ratio: a 512 MiB file of zeros (a sparse
/// lastlog, a disk image) is read, not refused.
#[test]
fn zeros_below_the_ratio_floor_are_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    layout(
        tmp.path(),
        &gzip_bomb("var/log/lastlog", RATIO_FLOOR / 2),
        GZIP,
    );
    let img =
        Image::open(&ImageRef::parse_local(tmp.path()), &OpenOptions::default()).expect("open");
    let walked = img
        .walk(&ReadEverything, &WalkOptions::default(), &|_| {})
        .expect("read");
    assert_eq!(
        walked.view.get("var/log/lastlog").map(|n| n.size),
        Some(RATIO_FLOOR / 2)
    );
}

#[test]
fn layer_inflating_past_the_size_limit_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    layout(tmp.path(), &gzip_bomb("zeros", 64 << 20), GZIP);
    let limits = Limits {
        max_layer_bytes: 16 << 20,
        ..Limits::default()
    };
    let err = refusal(tmp.path(), limits);
    assert!(
        err.message.contains(
            "it inflates over the 16 MiB layer limit (--max-layer-mib); not read further"
        ),
        "{err}"
    );
}

#[test]
fn layer_declared_over_the_size_limit_is_not_read() {
    // 2 MiB that gzip cannot shrink: the descriptor declares about 2 MiB.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..2 << 20)
        .map(|_| {
            // xorshift64: bytes gzip cannot shrink.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    let blob = gzip(&tar_of(&[("noise", &noise)]));
    let tmp = tempfile::tempdir().expect("tmp");
    layout(tmp.path(), &blob, GZIP);
    let limits = Limits {
        max_layer_bytes: 1 << 20,
        ..Limits::default()
    };
    assert!(blob.len() > 2 << 20, "{} bytes", blob.len());
    let err = refusal(tmp.path(), limits);
    assert!(
        err.message.contains(&format!(
            "its descriptor declares {} bytes, over the 1 MiB layer limit (--max-layer-mib); not read",
            blob.len()
        )),
        "{err}"
    );
}

/// With the ratio switched off, the deadline alone stops a bomb.
#[test]
fn scan_deadline_stops_a_bomb_the_ratio_lets_through() {
    let tmp = tempfile::tempdir().expect("tmp");
    layout(tmp.path(), &zstd_bomb("zeros", BOMB), ZSTD);
    let limits = Limits {
        max_inflate_ratio: u64::MAX,
        deadline: Some((
            Instant::now() + Duration::from_secs(2),
            Duration::from_secs(2),
        )),
        ..Limits::default()
    };
    let err = refusal(tmp.path(), limits);
    assert!(
        err.message
            .contains("scan timed out after 2.0s (--scan-timeout); not fully read"),
        "{err}"
    );
}

/// A compressed docker archive reads its layers on one thread (`read_layer_inline`);
/// the limit must hold there too, and win over the tar parser's view of the error.
#[test]
fn bomb_inside_a_compressed_docker_archive_is_refused() {
    let archive = gzip(&docker_archive(&[&gzip_bomb("zeros", 2 * RATIO_FLOOR)]));
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("image.tar.gz");
    std::fs::write(&path, archive).expect("write");
    let start = Instant::now();
    let err = Image::open(&ImageRef::parse_local(&path), &OpenOptions::default())
        .and_then(|img| img.walk(&ReadEverything, &WalkOptions::default(), &|_| {}))
        .err()
        .expect("refused");
    assert!(start.elapsed() < CEILING, "{:?}", start.elapsed());
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(
        err.message.starts_with("layer 0 (sha256:")
            && err.message.contains("inflates more than 100:1 ("),
        "{err}"
    );
}

/// A compressed archive is inflated whole when it is opened, to find its members: a
/// `.tar.gz` whose tar holds one 150 GB member is refused there, by the same ratio.
#[test]
fn compressed_archive_that_is_a_bomb_is_refused_when_opened() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("image.tar.gz");
    std::fs::write(&path, gzip_bomb("zeros", BOMB)).expect("write");
    let start = Instant::now();
    let err = Image::open(&ImageRef::parse_local(&path), &OpenOptions::default())
        .err()
        .expect("refused");
    assert!(start.elapsed() < CEILING, "{:?}", start.elapsed());
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: compressed archive: inflates more than 100:1 (",
            path.display()
        )),
        "{err}"
    );
}
