//! Malformed inputs: each must end in one clear line naming the input and exit code 2,
//! or be handled as the OCI image spec says — never a panic, never a silent empty scan.

use crate::common::{Blob, Tar, debian_layer, gzip, scan_json, sha256, write_oci, zstd};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn layout(layers: Vec<Blob>) -> (TempDir, PathBuf, Value) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("img");
    let manifest = write_oci(&dir, &layers);
    (tmp, dir, manifest)
}

fn blob_file(dir: &Path, digest: &Value) -> PathBuf {
    dir.join("blobs/sha256")
        .join(&digest.as_str().expect("digest")[7..])
}

/// A layer whose bytes are broken *and* correctly digested, so the failure under test is
/// the one reported (not a digest mismatch).
fn digested(bytes: Vec<u8>, media_type: &'static str) -> Blob {
    Blob {
        tar: bytes.clone(),
        bytes,
        media_type,
    }
}

#[test]
fn truncated_layer() {
    let mut tar = debian_layer().file("big", &[7u8; 4096]).finish();
    tar.truncate(tar.len() - 2048);
    let (_t, dir, _) = layout(vec![digested(
        tar,
        "application/vnd.oci.image.layer.v1.tar",
    )]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "layer 0 (");
}

#[test]
fn truncated_gzip_layer() {
    let gz = gzip(&debian_layer().finish());
    let cut = gz[..gz.len() / 2].to_vec();
    let (_t, dir, _) = layout(vec![digested(
        cut,
        "application/vnd.oci.image.layer.v1.tar+gzip",
    )]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "gzip");
}

#[test]
fn corrupt_gzip_layer() {
    let mut gz = gzip(&debian_layer().file("pad", &[1u8; 20000]).finish());
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 16] {
        *b ^= 0x5a;
    }
    let (_t, dir, _) = layout(vec![digested(
        gz,
        "application/vnd.oci.image.layer.v1.tar+gzip",
    )]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "gzip");
}

#[test]
fn corrupt_zstd_layer() {
    let mut z = zstd(&debian_layer().file("pad", &[1u8; 20000]).finish());
    let mid = z.len() / 2;
    for b in &mut z[mid..] {
        *b ^= 0xff;
    }
    let (_t, dir, _) = layout(vec![digested(
        z,
        "application/vnd.oci.image.layer.v1.tar+zstd",
    )]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "zstd");
}

#[test]
fn layer_digest_mismatch() {
    let (_t, dir, manifest) = layout(vec![Blob::gz(debian_layer().finish())]);
    // Same name and length, different (valid) content: the gzip header's MTIME
    // (bytes 4..8, RFC 1952) changes the blob, not what it decodes to.
    let path = blob_file(&dir, &manifest["layers"][0]["digest"]);
    let mut blob = std::fs::read(&path).expect("read");
    blob[4] ^= 1;
    std::fs::write(&path, blob).expect("write");
    let run = scan_json(&dir, &[]);
    run.assert_clean_error(&dir, "digest mismatch");
    assert!(
        run.stderr
            .contains(manifest["layers"][0]["digest"].as_str().expect("digest")),
        "names the blob: {}",
        run.stderr
    );
}

#[test]
fn missing_layer_blob() {
    let (_t, dir, manifest) = layout(vec![Blob::gz(debian_layer().finish())]);
    std::fs::remove_file(blob_file(&dir, &manifest["layers"][0]["digest"])).expect("rm");
    scan_json(&dir, &[]).assert_clean_error(&dir, "missing");
}

#[test]
fn index_points_nowhere() {
    let (_t, dir, _) = layout(vec![Blob::gz(debian_layer().finish())]);
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).expect("read"))
            .expect("json");
    std::fs::remove_file(blob_file(&dir, &index["manifests"][0]["digest"])).expect("rm");
    scan_json(&dir, &[]).assert_clean_error(&dir, "missing");
}

#[test]
fn config_digest_mismatch() {
    let (_t, dir, manifest) = layout(vec![Blob::gz(debian_layer().finish())]);
    std::fs::write(
        blob_file(&dir, &manifest["config"]["digest"]),
        br#"{"architecture":"amd64","os":"linux"}"#,
    )
    .expect("write");
    scan_json(&dir, &[]).assert_clean_error(&dir, "digest mismatch");
}

#[test]
fn bad_json_index() {
    let (_t, dir, _) = layout(vec![Blob::gz(debian_layer().finish())]);
    std::fs::write(dir.join("index.json"), b"{\"manifests\": [").expect("write");
    scan_json(&dir, &[]).assert_clean_error(&dir, "invalid JSON");
}

#[test]
fn path_traversal_entry() {
    let tar = debian_layer().file("../../etc/evil", b"x").finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "path traversal");
}

#[test]
fn absolute_paths_are_rooted_in_the_image() {
    let tar = Tar::default()
        .file("/etc/os-release", crate::common::OS_RELEASE.as_bytes())
        .file(
            "/var/lib/dpkg/status",
            crate::common::DPKG_STATUS.as_bytes(),
        )
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["os"]["family"], "debian");
    assert_eq!(r["packages"][0]["name"], "zlib1g");
}

#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let tar = Tar::default()
        .dir("etc")
        .symlink("etc/os-release", "loop-a")
        .symlink("etc/loop-a", "/etc/os-release")
        .file("var/lib/dpkg/status", crate::common::DPKG_STATUS.as_bytes())
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    assert!(
        r["warnings"]
            .to_string()
            .contains("too many levels of symbolic links"),
        "{}",
        r["warnings"]
    );
    assert_eq!(r["os"], Value::Null);
}

#[test]
fn hard_link_to_missing_file() {
    let tar = debian_layer()
        .hardlink("usr/bin/ghost", "usr/bin/nothing-here")
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    scan_json(&dir, &[]).assert_clean_error(&dir, "hard link");
}

/// A hard link may name a file of a lower layer (OCI image spec, "Hardlinks"): the scan
/// goes on without a word, and the link is one more file of the image.
#[test]
fn hard_link_to_lower_layer_file_is_fine() {
    let lower = debian_layer().file("usr/bin/real", b"bin").finish();
    let upper = Tar::default()
        .hardlink("usr/bin/alias", "usr/bin/real")
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(lower), Blob::plain(upper)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warning on stderr");
    let r = run.json();
    assert_eq!(r["warnings"], serde_json::json!([]));
    // etc/os-release, var/lib/dpkg/status, usr/bin/real and the link.
    assert_eq!(r["artifact"]["file_count"], 4);
    assert_eq!(r["packages"][0]["name"], "zlib1g");
}

#[test]
fn duplicate_entries_last_one_wins() {
    let second = "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\n";
    let tar = debian_layer()
        .file("var/lib/dpkg/status", second.as_bytes())
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = run.json()["packages"]
        .as_array()
        .expect("pkgs")
        .iter()
        .map(|p| p["name"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(names, vec!["libssl3".to_owned()]);
}

#[test]
fn ten_gigabyte_sparse_files() {
    const TEN_GB: u64 = 10 << 30;
    // Unwanted: skipped without being read. Wanted: refused by size and reported.
    let tar = debian_layer()
        .sparse("data/disk.img", TEN_GB)
        .sparse("lib/apk/db/installed", TEN_GB)
        .finish();
    let (_t, dir, _) = layout(vec![Blob::gz(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    let nc = r["not_covered"].to_string();
    assert!(
        nc.contains("/lib/apk/db/installed") && nc.contains("over the"),
        "{nc}"
    );
    assert_eq!(
        r["packages"].as_array().map(Vec::len),
        Some(1),
        "the dpkg DB is still read"
    );
}

#[test]
fn non_utf8_names() {
    let tar = debian_layer()
        .raw_file(b"opt/caf\xe9/\xff\xfe.txt", b"x")
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json()["warnings"].to_string().contains("not UTF-8"));
}

#[test]
fn corrupt_package_db_is_not_silent() {
    let tar = Tar::default()
        .file("var/lib/dpkg/status", &[0u8, 159, 146, 150, 255, 0, 1, 2])
        .finish();
    let (_t, dir, _) = layout(vec![Blob::plain(tar)]);
    let run = scan_json(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let nc = run.json()["not_covered"].to_string();
    assert!(nc.contains("/var/lib/dpkg/status"), "{nc}");
}

#[test]
fn layer_count_disagrees_with_config() {
    let (_t, dir, manifest) = layout(vec![Blob::gz(debian_layer().finish())]);
    // Rewrite the config with two diff_ids, and re-point the manifest and index at it.
    let blobs = dir.join("blobs/sha256");
    let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:00","sha256:11"]}}"#;
    let cd = sha256(config);
    std::fs::write(blobs.join(&cd[7..]), config).expect("write");
    let mut m = manifest.clone();
    m["config"]["digest"] = Value::String(cd);
    let mb = serde_json::to_vec(&m).expect("json");
    let md = sha256(&mb);
    std::fs::write(blobs.join(&md[7..]), &mb).expect("write");
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mb.len()}]});
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&index).expect("json"),
    )
    .expect("write");
    scan_json(&dir, &[]).assert_clean_error(&dir, "diff_ids");
}

#[test]
fn not_an_image() {
    let tmp = tempfile::tempdir().expect("tmp");
    let junk = tmp.path().join("junk.tar");
    std::fs::write(
        &junk,
        b"this is not a tar archive at all, just some words.................",
    )
    .expect("write");
    scan_json(&junk, &[]).assert_clean_error(&junk, "tar");
    let empty = tmp.path().join("empty.tar");
    std::fs::write(&empty, b"").expect("write");
    scan_json(&empty, &[]).assert_clean_error(&empty, "tar");
    let missing = tmp.path().join("nope.tar");
    scan_json(&missing, &[]).assert_clean_error(&missing, "cannot open");
    scan_json(tmp.path(), &[]).assert_clean_error(tmp.path(), "rootfs");
}

#[test]
fn truncated_archive() {
    let src = crate::common::repo_root().join("testdata/images/busybox/busybox.oci.tar");
    let bytes = std::fs::read(&src).expect("read");
    let tmp = tempfile::tempdir().expect("tmp");
    let cut = tmp.path().join("cut.oci.tar");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).expect("write");
    scan_json(&cut, &[]).assert_clean_error(&cut, "truncated archive (ends inside");
}

/// A `docker save` tar cut early or late says where it ends, not "no manifest.json".
#[test]
fn truncated_docker_archive_says_where_it_ends() {
    let src = crate::common::repo_root().join("testdata/images/thirdparty/whiteout_image.tar");
    let bytes = std::fs::read(&src).expect("read");
    let tmp = tempfile::tempdir().expect("tmp");
    for cut_at in [1536, bytes.len() / 2, bytes.len() - 700] {
        let cut = tmp.path().join(format!("cut-{cut_at}.tar"));
        std::fs::write(&cut, &bytes[..cut_at]).expect("write");
        let run = scan_json(&cut, &[]);
        run.assert_clean_error(&cut, "truncated archive");
        assert!(
            run.stderr.contains(&format!("at byte {cut_at}")),
            "{}",
            run.stderr
        );
    }
}

/// A tag the layout does not have: the error lists the tags it does have, as the
/// layout's own `index.json` (read here with `tar`) names them.
#[test]
fn unknown_tag_lists_the_existing_ones() {
    let archive = crate::common::repo_root().join("testdata/images/multiarch/multiarch.oci.tar");
    let index = std::process::Command::new("tar")
        .arg("-xOf")
        .arg(&archive)
        .arg("index.json")
        .output()
        .expect("tar");
    let index: Value = serde_json::from_slice(&index.stdout).expect("index.json");
    let tags: Vec<&str> = index["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .filter_map(|m| m["annotations"]["org.opencontainers.image.ref.name"].as_str())
        .collect();
    assert!(!tags.is_empty());
    let input = format!("{}:nope", archive.display());
    let run = crate::common::drydock(&["image", &input, "--scanners", "none", "-q"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no manifest tagged 'nope'"),
        "{}",
        run.stderr
    );
    for tag in tags {
        assert!(run.stderr.contains(tag), "lacks tag {tag}: {}", run.stderr);
    }
}
