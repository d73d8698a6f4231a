//! Each kind of bad input fails with the `ErrorKind` its cause calls for, in one line
//! that names the input.

mod common;

use common::{ReadEverything, TestLayer, digest, gzip, tar_of, write_layout};
use drydock_image::{ErrorKind, Image, ImageError, ImageRef, OpenOptions, WalkOptions};
use std::path::Path;

const GZIP_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

fn os_release_tar() -> Vec<u8> {
    tar_of(&[
        ("etc/", b""),
        ("etc/os-release", b"ID=debian\nVERSION_ID=12\n"),
        ("usr/share/doc/big", &[b'x'; 50_000]),
    ])
}

/// A one-layer layout with a gzip layer; returns the layer's blob digest.
fn gzip_layout(dir: &Path) -> String {
    let tar = os_release_tar();
    write_layout(
        dir,
        &[TestLayer {
            blob: &gzip(&tar),
            media_type: GZIP_LAYER,
            diff_id: digest(&tar),
        }],
    )
    .remove(0)
}

fn blob_path(dir: &Path, digest: &str) -> std::path::PathBuf {
    dir.join("blobs/sha256").join(&digest[7..])
}

/// Opens and walks, returning the error (the test fails if there is none).
fn failure(input: &Path) -> ImageError {
    let result = Image::open(&ImageRef::parse_local(input), &OpenOptions::default())
        .and_then(|img| img.walk(&ReadEverything, &WalkOptions::default(), &|_| {}));
    let err = match result {
        Ok(_) => panic!("{} was read without error", input.display()),
        Err(e) => e,
    };
    let line = err.to_string();
    assert!(
        line.starts_with(&format!("{}: ", input.display())),
        "names the input: {line}"
    );
    assert!(!line.contains('\n'), "one line: {line}");
    err
}

#[test]
fn missing_input_is_not_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let err = failure(&tmp.path().join("no-such-image.tar"));
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
}

#[test]
fn missing_layer_blob_is_not_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layer = gzip_layout(tmp.path());
    std::fs::remove_file(blob_path(tmp.path(), &layer)).expect("rm");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
    assert!(err.message.contains(&layer), "names the blob: {err}");
}

/// The config blob: the only blob that starts like an image config.
fn config_blob(dir: &Path) -> std::path::PathBuf {
    std::fs::read_dir(dir.join("blobs/sha256"))
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .find(|p| std::fs::read(p).is_ok_and(|b| b.starts_with(br#"{"architecture""#)))
        .expect("config blob")
}

#[test]
fn missing_config_blob_is_not_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    gzip_layout(tmp.path());
    std::fs::remove_file(config_blob(tmp.path())).expect("rm");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
}

#[test]
fn changed_layer_is_a_digest_mismatch() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layer = gzip_layout(tmp.path());
    // Same name and length, other (valid) content: only the digest can tell. The gzip
    // header's MTIME (bytes 4..8, RFC 1952) changes the blob, not what it decodes to.
    let path = blob_path(tmp.path(), &layer);
    let mut blob = std::fs::read(&path).expect("read");
    blob[4] ^= 1;
    std::fs::write(&path, blob).expect("write");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::DigestMismatch, "{err}");
    assert!(err.message.contains(&layer), "names the layer: {err}");
}

#[test]
fn changed_config_is_a_digest_mismatch() {
    let tmp = tempfile::tempdir().expect("tmp");
    gzip_layout(tmp.path());
    let config_file = config_blob(tmp.path());
    std::fs::write(&config_file, br#"{"architecture":"arm64","os":"linux"}"#).expect("write");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::DigestMismatch, "{err}");
}

#[test]
fn truncated_gzip_layer_is_corrupt() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tar = os_release_tar();
    let gz = gzip(&tar);
    // Digested as truncated, so the decoder (not the digest check) finds the damage.
    write_layout(
        tmp.path(),
        &[TestLayer {
            blob: &gz[..gz.len() / 2],
            media_type: GZIP_LAYER,
            diff_id: digest(&tar),
        }],
    );
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(err.message.contains("gzip"), "says which decoder: {err}");
}

#[test]
fn path_traversal_in_a_layer_is_corrupt() {
    let tmp = tempfile::tempdir().expect("tmp");
    // The tar crate refuses to write `..`, so the name goes into the header by hand.
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..14].copy_from_slice(b"../../etc/evil");
    header.set_size(1);
    header.set_cksum();
    let mut b = tar::Builder::new(Vec::new());
    b.append(&header, &b"x"[..]).expect("append");
    let tar = b.into_inner().expect("tar");
    write_layout(
        tmp.path(),
        &[TestLayer {
            blob: &tar,
            media_type: "application/vnd.oci.image.layer.v1.tar",
            diff_id: digest(&tar),
        }],
    );
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(err.message.contains("path traversal"), "{err}");
}

#[test]
fn unknown_layer_media_type_is_unsupported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tar = os_release_tar();
    write_layout(
        tmp.path(),
        &[TestLayer {
            blob: &tar,
            media_type: "application/vnd.example.not-a-layer",
            diff_id: digest(&tar),
        }],
    );
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::Unsupported, "{err}");
    assert!(err.message.contains("unsupported media type"), "{err}");
}

#[test]
fn a_tar_without_manifests_is_unsupported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("rootfs.tar");
    std::fs::write(&file, os_release_tar()).expect("write");
    let err = failure(&file);
    assert_eq!(err.kind, ErrorKind::Unsupported, "{err}");
    assert!(err.message.contains("not a container image"), "{err}");
}

#[test]
fn a_plain_directory_is_unsupported() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("README"), "not an image").expect("write");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::Unsupported, "{err}");
}

#[test]
fn bad_json_is_corrupt() {
    let tmp = tempfile::tempdir().expect("tmp");
    gzip_layout(tmp.path());
    std::fs::write(tmp.path().join("index.json"), b"{\"manifests\": [").expect("write");
    let err = failure(tmp.path());
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err}");
    assert!(err.message.contains("index.json"), "{err}");
}
