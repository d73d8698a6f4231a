//! Every case of `testdata/inventory/cases.json` end to end: the fixture files laid out as
//! a source tree (`drydock fs`), a root filesystem (`drydock rootfs`) and a one-layer
//! docker-archive (`drydock image`). `fs` reports every package; images and root
//! filesystems only what is installed (`installed: true` cases), since a lockfile copied
//! into an image states intent, not content. The same cases run through the analyzers
//! alone in `crates/inventory/tests/formats.rs`.

use crate::common::{drydock, repo_root, sha256};
use serde_json::Value;
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = repo_root().join("testdata/inventory").join(rel);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if !rel.ends_with(".gz") {
        return raw;
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&raw[..]), &mut out)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    out
}

fn strings(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `kind name@version` of every reported package, and the dev ones among them.
fn reported(cmd: &str, input: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let run = drydock(&[
        cmd,
        input.to_str().expect("utf-8"),
        "--scanners",
        "none",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{cmd} {}: {}", input.display(), run.stderr);
    let (mut all, mut dev) = (BTreeSet::new(), BTreeSet::new());
    for p in run.json()["packages"].as_array().expect("packages") {
        let id = format!(
            "{} {}@{}",
            p["kind"].as_str().unwrap_or_default(),
            p["name"].as_str().unwrap_or_default(),
            p["version"].as_str().unwrap_or_default()
        );
        if p["dev"] == true {
            dev.insert(id.clone());
        }
        all.insert(id);
    }
    (all, dev)
}

/// A docker-archive (`docker save` layout) holding one layer with `files`.
fn docker_archive(files: &[(String, Vec<u8>, u32)]) -> Vec<u8> {
    let mut layer = tar::Builder::new(Vec::new());
    for (path, bytes, mode) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(*mode);
        layer.append_data(&mut h, path, &bytes[..]).expect("layer");
    }
    let layer = layer.into_inner().expect("layer");
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(&layer)]},
    });
    let config = serde_json::to_vec(&config).expect("json");
    let config_name = format!("{}.json", &sha256(&config)[7..]);
    let manifest = serde_json::json!([{
        "Config": config_name, "RepoTags": ["cases:1"], "Layers": ["layer/layer.tar"],
    }]);
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in [
        ("layer/layer.tar", layer),
        (config_name.as_str(), config),
        (
            "manifest.json",
            serde_json::to_vec(&manifest).expect("json"),
        ),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, &data[..]).expect("archive");
    }
    b.into_inner().expect("archive")
}

#[test]
fn cases_through_fs_rootfs_and_image() {
    let cases: Value = serde_json::from_slice(&fixture_bytes("cases.json")).expect("cases");
    let mut failures = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let exec = strings(case.get("exec"));
        let files: Vec<(String, Vec<u8>, u32)> = case["files"]
            .as_object()
            .expect("files")
            .iter()
            .map(|(path, fixture)| {
                let mode = if exec.contains(path) { 0o755 } else { 0o644 };
                (
                    path.clone(),
                    fixture_bytes(fixture.as_str().expect("path")),
                    mode,
                )
            })
            .collect();
        let tmp = tempfile::tempdir().expect("tmp");
        let tree = tmp.path().join("tree");
        for (path, bytes, mode) in &files {
            let at = tree.join(path);
            std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
            std::fs::write(&at, bytes).expect("write");
            std::fs::set_permissions(&at, std::fs::Permissions::from_mode(*mode)).expect("chmod");
        }
        let archive = tmp.path().join("image.tar");
        std::fs::write(&archive, docker_archive(&files)).expect("write archive");
        let want = strings(case.get("packages"));
        let want_dev = case.get("dev").map(|d| strings(Some(d)));
        let installed = case["installed"] == true;
        for (cmd, input) in [("fs", &tree), ("rootfs", &tree), ("image", &archive)] {
            let (got, dev) = reported(cmd, input);
            let expected = if cmd == "fs" || installed {
                want.clone()
            } else {
                BTreeSet::new()
            };
            if got != expected {
                failures.push(format!(
                    "{name} ({cmd}): missing {:?}, extra {:?}",
                    expected.difference(&got).collect::<Vec<_>>(),
                    got.difference(&expected).collect::<Vec<_>>()
                ));
            }
            if let Some(want_dev) = &want_dev
                && cmd == "fs"
                && dev != *want_dev
            {
                failures.push(format!("{name} (fs): dev {dev:?}, expected {want_dev:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
