//! Layout blobs that are not what their descriptors say: each is refused from its file
//! metadata in well under a second, before a byte of it is read or hashed.

mod common;

use common::{ReadEverything, TestLayer, digest, gzip, tar_of, write_layout};
use drydock_image::{ErrorKind, Image, ImageError, ImageRef, OpenOptions, WalkOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every refusal here is a metadata check; hashing the blobs instead would take from
/// seconds (200 MB) to hours (1 TiB).
const CEILING: Duration = Duration::from_secs(5);

/// A one-layer gzip layout; returns the paths of the layer and config blobs.
fn layout(dir: &Path) -> (PathBuf, PathBuf) {
    let tar = tar_of(&[("etc/os-release", b"ID=debian\n")]);
    let layer = write_layout(
        dir,
        &[TestLayer {
            blob: &gzip(&tar),
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
            diff_id: digest(&tar),
        }],
    )
    .remove(0);
    let blobs = dir.join("blobs/sha256");
    let config = std::fs::read_dir(&blobs)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .find(|p| std::fs::read(p).is_ok_and(|b| b.starts_with(br#"{"architecture""#)))
        .expect("config blob");
    (blobs.join(&layer[7..]), config)
}

/// Opens and walks the layout, returning its error and asserting the time ceiling.
fn refusal(dir: &Path) -> ImageError {
    let start = Instant::now();
    let result = Image::open(&ImageRef::parse_local(dir), &OpenOptions::default())
        .and_then(|img| img.walk(&ReadEverything, &WalkOptions::default(), &|_| {}));
    let elapsed = start.elapsed();
    let err = result.err().expect("the hostile layout is refused");
    assert!(elapsed < CEILING, "refused in {elapsed:?}: {err}");
    let line = err.to_string();
    assert!(line.starts_with(&format!("{}: ", dir.display())), "{line}");
    assert!(!line.contains('\n'), "one line: {line}");
    err
}

/// Replaces `path` with a sparse file of `len` bytes (no disk blocks, any length).
fn sparse(path: &Path, len: u64) {
    std::fs::File::create(path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
}

#[test]
fn sparse_terabyte_layer_blob_fails_on_its_size() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (layer, _) = layout(tmp.path());
    let declared = std::fs::metadata(&layer).expect("stat").len();
    sparse(&layer, 1 << 40);
    let err = refusal(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(
        err.message.contains(&format!(
            "is 1099511627776 bytes but its descriptor declares {declared}"
        )),
        "{err}"
    );
}

#[test]
fn short_and_long_layer_blobs_fail_on_their_size() {
    for delta in [-1i64, 1] {
        let tmp = tempfile::tempdir().expect("tmp");
        let (layer, _) = layout(tmp.path());
        let declared = std::fs::metadata(&layer).expect("stat").len();
        let actual = declared.checked_add_signed(delta).expect("len");
        std::fs::File::options()
            .write(true)
            .open(&layer)
            .and_then(|f| f.set_len(actual))
            .expect("resize");
        let err = refusal(tmp.path());
        assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
        assert!(
            err.message.contains(&format!(
                "is {actual} bytes but its descriptor declares {declared}"
            )),
            "{err}"
        );
    }
}

#[test]
fn config_of_200_mb_is_refused_by_size_not_called_missing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (_, config) = layout(tmp.path());
    sparse(&config, 200_000_000);
    let err = refusal(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(
        err.message
            .contains("is 200000000 bytes, larger than 8 MiB"),
        "{err}"
    );
}

#[test]
fn layer_linked_to_dev_zero_is_not_a_regular_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (layer, _) = layout(tmp.path());
    std::fs::remove_file(&layer).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &layer).expect("symlink");
    let err = refusal(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(err.message.contains("is not a regular file"), "{err}");
}

#[test]
fn config_that_is_a_fifo_is_not_a_regular_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (_, config) = layout(tmp.path());
    std::fs::remove_file(&config).expect("rm");
    // coreutils' mkfifo: opening a FIFO for reading blocks until a writer comes, so a
    // reader that opened it first would hang this test past its ceiling.
    let made = std::process::Command::new("mkfifo")
        .arg(&config)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let err = refusal(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(err.message.contains("is not a regular file"), "{err}");
}
