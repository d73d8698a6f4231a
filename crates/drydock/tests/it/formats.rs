//! Source selection: platforms, tags, docker-archive variants, rootfs.

use crate::common::{Blob, debian_layer, drydock, repo_root, scan_json, write_oci};
use std::path::PathBuf;

fn vendored(p: &str) -> PathBuf {
    repo_root().join("testdata/images").join(p)
}

#[test]
fn multiarch_default_is_host_and_platform_selects() {
    let index = vendored("multiarch/multiarch.oci.tar");
    let host = scan_json(&index, &[]);
    assert_eq!(host.code, 0, "{}", host.stderr);
    let arm = scan_json(&index, &["--platform", "linux/arm64"]);
    assert_eq!(arm.code, 0, "{}", arm.stderr);
    let (h, a) = (host.json(), arm.json());
    if cfg!(target_arch = "x86_64") {
        assert_eq!(h["artifact"]["platform"], "linux/amd64");
    }
    assert_eq!(a["artifact"]["platform"], "linux/arm64/v8");
    assert_ne!(
        h["artifact"]["manifest_digest"],
        a["artifact"]["manifest_digest"]
    );
}

#[test]
fn unknown_platform_lists_choices() {
    let index = vendored("multiarch/multiarch.oci.tar");
    let run = scan_json(&index, &["--platform", "linux/s390x"]);
    run.assert_clean_error(&index, "linux/s390x");
    assert!(
        run.stderr.contains("linux/amd64") && run.stderr.contains("linux/arm64"),
        "{}",
        run.stderr
    );
}

#[test]
fn single_foreign_platform_image_is_used() {
    // hello-world-v25 is arm64 only: with no --platform the only image is taken.
    let run = scan_json(&vendored("thirdparty/hello-world-v25.tar"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["artifact"]["format"], "docker-archive-oci");
}

#[test]
fn compressions_give_the_same_inventory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut seen = Vec::new();
    for (name, blob) in [
        ("plain", Blob::plain(debian_layer().finish())),
        ("gz", Blob::gz(debian_layer().finish())),
        ("zst", Blob::zst(debian_layer().finish())),
    ] {
        let dir = tmp.path().join(name);
        write_oci(&dir, &[blob]);
        let run = scan_json(&dir, &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let r = run.json();
        assert_eq!(r["os"]["family"], "debian", "{name}");
        assert_eq!(r["packages"][0]["name"], "zlib1g", "{name}");
        assert_eq!(r["packages"][0]["source_name"], "zlib", "{name}");
        let p = &r["packages"][0];
        seen.push((
            p["name"].clone(),
            p["version"].clone(),
            p["source_name"].clone(),
            p["layer"]["index"].clone(),
        ));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn rootfs_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("usr/lib")).expect("mkdir");
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).expect("mkdir");
    std::fs::write(root.join("usr/lib/os-release"), crate::common::OS_RELEASE).expect("write");
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release"))
        .expect("symlink");
    std::fs::write(root.join("var/lib/dpkg/status"), crate::common::DPKG_STATUS).expect("write");
    let run = drydock(&[
        "rootfs",
        root.to_str().expect("utf8"),
        "--format",
        "json",
        "--scanners",
        "none",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["artifact"]["format"], "rootfs");
    assert_eq!(r["os"]["version"], "12");
    assert_eq!(r["packages"].as_array().map(Vec::len), Some(1));
}

#[test]
fn busybox_says_not_scanned_in_table_output() {
    let run = drydock(&[
        "image",
        vendored("busybox/busybox.oci.tar").to_str().expect("utf8"),
        "--scanners",
        "none",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("OS: unknown — no package database found; OS packages not scanned"),
        "{}",
        run.stdout
    );
}

#[test]
fn version_and_help() {
    let v = drydock(&["version"]);
    assert_eq!(v.code, 0);
    assert!(v.stdout.starts_with("drydock "), "{}", v.stdout);
    let h = drydock(&["--help"]);
    assert_eq!(h.code, 0);
    for cmd in ["image", "rootfs", "version"] {
        assert!(h.stdout.contains(cmd), "--help lacks {cmd}");
    }
}

/// `fs` reports what a project declares; `rootfs` only what is installed.
#[test]
fn lockfiles_count_in_source_trees_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("requirements.txt"),
        "requests==2.19.1\nflask==0.12.2\n",
    )
    .expect("write");
    let names = |cmd: &str| -> Vec<String> {
        let run = drydock(&[
            cmd,
            tmp.path().to_str().expect("utf8"),
            "--scanners",
            "none",
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut v: Vec<String> = run.json()["packages"]
            .as_array()
            .expect("pkgs")
            .iter()
            .map(|p| {
                format!(
                    "{}={}",
                    p["name"].as_str().unwrap_or(""),
                    p["version"].as_str().unwrap_or("")
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names("fs"),
        vec!["flask=0.12.2".to_owned(), "requests=2.19.1".to_owned()]
    );
    assert!(names("rootfs").is_empty());
}

/// Legacy `docker save` links a layer that repeats an earlier one to the first copy; the
/// gzipped archive can only be streamed, so the repeat needs its own pass.
#[test]
fn gzipped_legacy_archive_with_a_linked_duplicate_layer() {
    use crate::common::{DPKG_STATUS, Tar, gzip, sha256};
    let base = crate::common::debian_layer().finish();
    let empty = Tar::default().finish();
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(&base), sha256(&empty), sha256(&empty)]},
    });
    let config_bytes = serde_json::to_vec(&config).expect("json");
    let config_name = format!("{}.json", &sha256(&config_bytes)[7..]);
    let manifest = serde_json::json!([{
        "Config": config_name,
        "RepoTags": ["test:1"],
        "Layers": ["aaa/layer.tar", "bbb/layer.tar", "ccc/layer.tar"],
    }]);
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).expect("append");
    };
    add("aaa/layer.tar", &base);
    add("bbb/layer.tar", &empty);
    add(&config_name, &config_bytes);
    add(
        "manifest.json",
        &serde_json::to_vec(&manifest).expect("json"),
    );
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    b.append_link(&mut h, "ccc/layer.tar", "../bbb/layer.tar")
        .expect("link");
    let archive = b.into_inner().expect("tar");
    let tmp = tempfile::tempdir().expect("tmp");
    for (name, bytes) in [
        ("plain.tar", archive.clone()),
        ("gz.tar.gz", gzip(&archive)),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let run = scan_json(&path, &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let r = run.json();
        assert_eq!(r["layers"].as_array().map(Vec::len), Some(3), "{name}");
        assert_eq!(
            r["packages"][0]["name"], "zlib1g",
            "{name}: {}",
            DPKG_STATUS
        );
    }
}
