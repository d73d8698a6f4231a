//! Helpers: run the binary, and build small OCI layouts byte by byte so each malformed
//! input differs from a valid one in exactly one way.

pub mod registry;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The vendored Alpine 3.10 `docker save` archive gunzipped into `dir`: skopeo, podman and
/// buildah read docker-archives uncompressed only.
pub fn alpine_tar(dir: &Path) -> PathBuf {
    let tar = dir.join("alpine-310.tar");
    let gz = std::fs::File::open(repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz"))
        .expect("vendored alpine");
    std::io::copy(
        &mut flate2::read::GzDecoder::new(gz),
        &mut std::fs::File::create(&tar).expect("tar"),
    )
    .expect("gunzip");
    tar
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the documented failure contract: exit code 2, exactly one line on stderr,
    /// naming the input.
    pub fn assert_clean_error(&self, input: &Path, needle: &str) {
        assert_eq!(
            self.code, 2,
            "expected exit 2, got {}\nstdout: {}\nstderr: {}",
            self.code, self.stdout, self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one stderr line, got: {:?}", lines);
        assert!(
            lines[0].contains(&input.display().to_string()),
            "error does not name the input: {}",
            lines[0]
        );
        assert!(
            lines[0].to_lowercase().contains(&needle.to_lowercase()),
            "error lacks '{needle}': {}",
            lines[0]
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
    }
}

/// `drydock --cache-dir CACHE db update --source SOURCE EXTRA...`.
pub fn db_update(cache: &str, source: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--cache-dir", cache, "db", "update", "--source", source];
    args.extend_from_slice(extra);
    drydock(&args)
}

/// Runs without the layer cache, so each test sees its own inputs read afresh (a layer a
/// fault test serves broken may have been cached whole by another test); the cache's own
/// tests turn it back on.
pub fn drydock(args: &[&str]) -> Run {
    run_command(
        Command::new(env!("CARGO_BIN_EXE_drydock"))
            .args(args)
            .env("DRYDOCK_NO_LAYER_CACHE", "true"),
    )
}

/// `drydock` run in `dir` (where it looks for `drydock.yaml` and `.trivyignore`) with
/// extra environment variables, such as the injected clock `DRYDOCK_TODAY`.
pub fn drydock_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drydock"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("DRYDOCK_TODAY")
        .env("DRYDOCK_NO_LAYER_CACHE", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_command(&mut cmd)
}

fn run_command(cmd: &mut Command) -> Run {
    let out: Output = cmd.output().expect("run drydock");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A vulnerability database built once per test run from the vendored OSV mirror.
pub fn mirror_db() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let mirror = repo_root().join("testdata/matcher/mirror/osv");
        let run = db_update(
            dir.to_str().expect("utf8"),
            mirror.to_str().expect("utf8"),
            &[],
        );
        assert_eq!(run.code, 0, "db update: {}", run.stderr);
        dir
    })
}

/// `drydock image INPUT --format json`, inventory only unless `extra` picks scanners.
pub fn scan_json(input: &Path, extra: &[&str]) -> Run {
    let input = input.to_str().expect("utf-8 path");
    let mut args = vec!["image", input, "--format", "json"];
    if !extra.contains(&"--scanners") {
        args.extend_from_slice(&["--scanners", "none"]);
    }
    args.extend_from_slice(extra);
    drydock(&args)
}

pub fn sha256(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).expect("zstd")
}

/// Builds a layer tar. Names are written raw into the header so tests can produce
/// entries the `tar` crate's safe API refuses (`../x`, non-UTF-8 bytes).
#[derive(Default)]
pub struct Tar {
    data: Vec<u8>,
}

impl Tar {
    fn entry(
        mut self,
        name: &[u8],
        kind: tar::EntryType,
        content: &[u8],
        link: Option<&[u8]>,
        mode: u32,
    ) -> Self {
        let mut h = tar::Header::new_gnu();
        {
            let raw = h.as_old_mut();
            assert!(
                name.len() < raw.name.len(),
                "test names must fit the v7 header"
            );
            raw.name[..name.len()].copy_from_slice(name);
            if let Some(l) = link {
                raw.linkname[..l.len()].copy_from_slice(l);
            }
        }
        h.set_entry_type(kind);
        h.set_size(content.len() as u64);
        h.set_mode(mode);
        h.set_mtime(1_700_000_000);
        h.set_cksum();
        self.data.extend_from_slice(h.as_bytes());
        self.data.extend_from_slice(content);
        let pad = (512 - content.len() % 512) % 512;
        self.data.extend(std::iter::repeat_n(0u8, pad));
        self
    }

    pub fn file(self, name: &str, content: &[u8]) -> Self {
        self.entry(
            name.as_bytes(),
            tar::EntryType::Regular,
            content,
            None,
            0o644,
        )
    }

    pub fn file_mode(self, name: &str, content: &[u8], mode: u32) -> Self {
        self.entry(
            name.as_bytes(),
            tar::EntryType::Regular,
            content,
            None,
            mode,
        )
    }

    pub fn raw_file(self, name: &[u8], content: &[u8]) -> Self {
        self.entry(name, tar::EntryType::Regular, content, None, 0o644)
    }

    pub fn dir(self, name: &str) -> Self {
        self.entry(name.as_bytes(), tar::EntryType::Directory, b"", None, 0o755)
    }

    pub fn symlink(self, name: &str, target: &str) -> Self {
        self.entry(
            name.as_bytes(),
            tar::EntryType::Symlink,
            b"",
            Some(target.as_bytes()),
            0o777,
        )
    }

    pub fn hardlink(self, name: &str, target: &str) -> Self {
        self.entry(
            name.as_bytes(),
            tar::EntryType::Link,
            b"",
            Some(target.as_bytes()),
            0o644,
        )
    }

    /// A GNU sparse entry whose logical size is `logical` but which stores one block.
    pub fn sparse(mut self, name: &str, logical: u64) -> Self {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).expect("path");
        h.set_entry_type(tar::EntryType::GNUSparse);
        h.set_size(512);
        h.set_mode(0o644);
        {
            let gnu = h.as_gnu_mut().expect("gnu header");
            let block = &mut gnu.sparse[0];
            write_octal(&mut block.offset, logical - 512);
            write_octal(&mut block.numbytes, 512);
            write_octal(&mut gnu.realsize, logical);
        }
        h.set_cksum();
        self.data.extend_from_slice(h.as_bytes());
        self.data.extend(std::iter::repeat_n(b'x', 512));
        self
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.data.extend(std::iter::repeat_n(0u8, 1024));
        self.data
    }
}

/// Octal as tar writes it: NUL-terminated when it fits, else filling the whole field.
fn write_octal(field: &mut [u8], value: u64) {
    let mut s = format!("{:0width$o}\0", value, width = field.len() - 1);
    if s.len() > field.len() {
        s = format!("{:0width$o}", value, width = field.len());
    }
    field.copy_from_slice(s.as_bytes());
}

pub const DPKG_STATUS: &str = "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n";
pub const OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

/// A layer as stored: raw blob bytes plus its media type.
pub struct Blob {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// The uncompressed tar, for the config's diff_ids.
    pub tar: Vec<u8>,
}

impl Blob {
    pub fn plain(tar: Vec<u8>) -> Blob {
        Blob {
            bytes: tar.clone(),
            media_type: "application/vnd.oci.image.layer.v1.tar",
            tar,
        }
    }
    pub fn gz(tar: Vec<u8>) -> Blob {
        Blob {
            bytes: gzip(&tar),
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
            tar,
        }
    }
    pub fn zst(tar: Vec<u8>) -> Blob {
        Blob {
            bytes: zstd(&tar),
            media_type: "application/vnd.oci.image.layer.v1.tar+zstd",
            tar,
        }
    }
}

/// Writes an OCI layout into `dir` and returns the manifest JSON it wrote.
pub fn write_oci(dir: &Path, layers: &[Blob]) -> Value {
    write_oci_with(dir, layers, |_| {})
}

/// [`write_oci`] with the image config edited first (labels, history, `created`).
pub fn write_oci_with(dir: &Path, layers: &[Blob], edit: impl FnOnce(&mut Value)) -> Value {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let put = |data: &[u8]| -> String {
        let d = sha256(data);
        std::fs::write(blobs.join(&d[7..]), data).expect("write blob");
        d
    };
    let mut config = json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"]},
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| sha256(&l.tar)).collect::<Vec<_>>()},
        "history": layers.iter().enumerate().map(|(i, _)| json!({"created_by": format!("layer {i}")})).collect::<Vec<_>>(),
    });
    edit(&mut config);
    let config_bytes = serde_json::to_vec(&config).expect("json");
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": put(&config_bytes), "size": config_bytes.len()},
        "layers": layers.iter().map(|l| json!({"mediaType": l.media_type, "digest": put(&l.bytes), "size": l.bytes.len()})).collect::<Vec<_>>(),
    });
    let manifest_bytes = serde_json::to_vec(&manifest).expect("json");
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": put(&manifest_bytes), "size": manifest_bytes.len()}],
    });
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&index).expect("json"),
    )
    .expect("write index");
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#)
        .expect("write oci-layout");
    manifest
}

/// A minimal valid Debian-like layer.
pub fn debian_layer() -> Tar {
    Tar::default()
        .dir("etc")
        .file("etc/os-release", OS_RELEASE.as_bytes())
        .file("var/lib/dpkg/status", DPKG_STATUS.as_bytes())
}
