//! Builders for the small images the tests write: layer tars, OCI layouts and
//! `docker save` archives, all digested the way the specs say.

#![allow(dead_code)] // Each test binary uses its own subset.

use drydock_image::FileHandler;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Reads every file and returns its length.
pub struct ReadEverything;

impl FileHandler for ReadEverything {
    type Output = usize;
    fn wants(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        true
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> usize {
        content.len()
    }
}

pub fn digest(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(data).expect("gz");
    gz.finish().expect("gz")
}

/// A tar of regular files (a path ending in `/` is a directory).
pub fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        let kind = if path.ends_with('/') {
            tar::EntryType::Directory
        } else {
            tar::EntryType::Regular
        };
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, path, *data).expect("append");
    }
    b.into_inner().expect("tar")
}

/// One layer of a test image: the blob as stored, its media type and the digest of
/// its uncompressed tar.
pub struct TestLayer<'a> {
    pub blob: &'a [u8],
    pub media_type: &'a str,
    pub diff_id: String,
}

/// [`write_layout`] of uncompressed layer tars, each its own diff_id.
pub fn write_plain_layout(dir: &Path, tars: &[Vec<u8>]) -> Vec<String> {
    let layers: Vec<TestLayer<'_>> = tars
        .iter()
        .map(|tar| TestLayer {
            blob: tar,
            media_type: "application/vnd.oci.image.layer.v1.tar",
            diff_id: digest(tar),
        })
        .collect();
    write_layout(dir, &layers)
}

/// Writes an OCI layout of one image; returns the manifest's layer descriptors' digests.
pub fn write_layout(dir: &Path, layers: &[TestLayer<'_>]) -> Vec<String> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let put = |data: &[u8]| {
        let d = digest(data);
        std::fs::write(blobs.join(&d[7..]), data).expect("write");
        d
    };
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| format!("\"{}\"", l.diff_id))
        .collect();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        diff_ids.join(",")
    );
    let cd = put(config.as_bytes());
    let mut digests = Vec::new();
    let mut descs = Vec::new();
    for l in layers {
        let d = put(l.blob);
        descs.push(format!(
            r#"{{"mediaType":"{}","digest":"{d}","size":{}}}"#,
            l.media_type,
            l.blob.len()
        ));
        digests.push(d);
    }
    let manifest = format!(
        r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{cd}","size":{}}},"layers":[{}]}}"#,
        config.len(),
        descs.join(",")
    );
    let md = put(manifest.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{md}","size":{}}}]}}"#,
        manifest.len()
    );
    std::fs::write(dir.join("index.json"), index).expect("index");
    digests
}

/// A legacy `docker save` archive (`manifest.json`, `<n>/layer.tar`, `<id>.json`) of
/// plain layer tars, as one uncompressed tar.
pub fn docker_archive(layers: &[&[u8]]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| format!("\"{}\"", digest(l)))
        .collect();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        diff_ids.join(",")
    );
    let config_name = format!("{}.json", &digest(config.as_bytes())[7..]);
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("{i}/layer.tar"))
        .collect();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let manifest = format!(
        r#"[{{"Config":"{config_name}","RepoTags":["test:1"],"Layers":[{}]}}]"#,
        quoted.join(",")
    );
    let mut files: Vec<(&str, &[u8])> = vec![
        ("manifest.json", manifest.as_bytes()),
        (&config_name, config.as_bytes()),
    ];
    files.extend(names.iter().map(String::as_str).zip(layers.iter().copied()));
    tar_of(&files)
}
