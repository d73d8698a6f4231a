//! Layers read one at a time, in any order, then merged, give the same filesystem as a
//! whole walk: what a per-layer cache relies on.

mod common;

use common::{ReadEverything, TestLayer, digest, docker_archive, gzip, tar_of, write_layout};
use drydock_image::{Format, Image, ImageRef, LayerChanges, OpenOptions, WalkOptions, Walked};
use std::path::{Path, PathBuf};

const OS_RELEASE: &[u8] = b"ID=debian\nVERSION_ID=12\n";

/// Layer 0 writes three files; layer 1 deletes one (`.wh.a`) and adds another.
fn two_layers() -> [Vec<u8>; 2] {
    [
        tar_of(&[
            ("etc/", b""),
            ("etc/os-release", OS_RELEASE),
            ("opt/a", b"aaaa"),
            ("opt/b", b"bb"),
        ]),
        tar_of(&[("opt/.wh.a", b""), ("opt/c", b"c")]),
    ]
}

/// The merged result the OCI whiteout rules call for, checked by hand.
fn assert_merged(walked: &Walked<usize>) {
    let paths: Vec<&str> = walked.view.iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["etc", "etc/os-release", "opt/b", "opt/c"]);
    assert_eq!(walked.view.get("opt/c").map(|n| n.layer), Some(1));
    assert_eq!(walked.whiteouts.len(), 1);
    assert_eq!(walked.whiteouts[0].path, "/opt/a");
    assert_eq!(walked.whiteouts[0].removed_entries, 1);
    let current: Vec<(&str, usize, usize)> = walked.current().map(|(p, l, n)| (p, l, *n)).collect();
    assert_eq!(
        current,
        [
            ("etc/os-release", 0, OS_RELEASE.len()),
            ("opt/b", 0, 2),
            ("opt/c", 1, 1)
        ]
    );
}

fn open(input: &Path) -> Image {
    Image::open(&ImageRef::parse_local(input), &OpenOptions::default()).expect("open")
}

fn read(image: &Image, indices: &[usize]) -> Vec<LayerChanges<usize>> {
    image
        .read_layers(indices, &ReadEverything, &WalkOptions::default(), &|_| {})
        .expect("read")
}

fn result_paths(changes: &LayerChanges<usize>) -> Vec<&str> {
    changes.results.iter().map(|(p, _)| p.as_str()).collect()
}

#[test]
fn layers_read_apart_merge_like_a_walk() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tars = two_layers();
    let blobs: Vec<Vec<u8>> = tars.iter().map(|t| gzip(t)).collect();
    let layers: Vec<TestLayer<'_>> = tars
        .iter()
        .zip(&blobs)
        .map(|(tar, blob)| TestLayer {
            blob,
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
            diff_id: digest(tar),
        })
        .collect();
    write_layout(tmp.path(), &layers);
    let image = open(tmp.path());
    assert_eq!(image.format, Format::OciLayout);

    let upper = read(&image, &[1]).remove(0);
    let lower = read(&image, &[0]).remove(0);
    assert_eq!(upper.whiteouts, ["opt/a"]);
    assert_merged(&image.merge(vec![lower, upper]).expect("merge"));
    assert_merged(
        &image
            .walk(&ReadEverything, &WalkOptions::default(), &|_| {})
            .expect("walk"),
    );
}

#[test]
fn a_compressed_archive_returns_layers_in_the_order_asked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let [lower, upper] = two_layers();
    let file = tmp.path().join("image.docker.tar.gz");
    std::fs::write(&file, gzip(&docker_archive(&[&lower, &upper]))).expect("write");
    let image = open(&file);
    assert_eq!(image.format, Format::DockerArchive);

    let mut changes = read(&image, &[1, 0]);
    assert_eq!(result_paths(&changes[0]), ["opt/c"]);
    assert_eq!(
        result_paths(&changes[1]),
        ["etc/os-release", "opt/a", "opt/b"]
    );
    changes.reverse();
    assert_merged(&image.merge(changes).expect("merge"));
}

#[test]
fn parse_local_splits_a_tag_only_off_an_existing_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layout = tmp.path().join("layout");
    std::fs::create_dir(&layout).expect("mkdir");
    let tagged = format!("{}:1.0", layout.display());
    assert_eq!(
        ImageRef::parse_local(&tagged),
        ImageRef::Path {
            path: layout.clone(),
            tag: Some("1.0".into())
        }
    );
    assert_eq!(ImageRef::parse_local(&tagged).to_string(), tagged);
    // A file whose name has a colon is that file, not a tag.
    let colon = tmp.path().join("odd:name");
    std::fs::write(&colon, b"").expect("write");
    assert_eq!(
        ImageRef::parse_local(&colon),
        ImageRef::Path {
            path: colon,
            tag: None
        }
    );
    // Nothing exists: the whole input is the path, so the error names all of it.
    let missing = PathBuf::from("/no/such/dir:tag");
    assert_eq!(
        ImageRef::parse_local(&missing),
        ImageRef::Path {
            path: missing,
            tag: None
        }
    );
}
