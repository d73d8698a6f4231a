//! Real registries on 127.0.0.1 for the registry tests: Debian's `docker-registry`
//! (CNCF distribution), images pushed with `skopeo`, and the small Python servers in
//! `testdata/registry/`. Each test starts its own on free ports and every process is
//! killed when its [`Server`] drops. A missing tool skips loudly, or fails under
//! `DRYDOCK_REQUIRE_FULL=1` (CI installs them with `.ci/run`).

use super::{Run, repo_root};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// True when every tool is there; otherwise prints a SKIP line (or panics when the full
/// suite is required).
pub fn tools(test: &str, needed: &[&str]) -> bool {
    let missing: Vec<&str> = needed.iter().copied().filter(|t| !available(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "{test}: needs {} (run .ci/run to install)",
        missing.join(", ")
    );
    if std::env::var("DRYDOCK_REQUIRE_FULL").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("SKIP SKIP SKIP {msg}");
    false
}

fn available(tool: &str) -> bool {
    match tool {
        "python3-cryptography" => Command::new("python3")
            .args(["-c", "import cryptography"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success()),
        _ => std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(tool).is_file())),
    }
}

/// A process serving on `port`, killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Starts `docker-registry` with storage under `dir`; `extra` is YAML appended to the
/// config (an `auth:` section, or `tls:` lines indented under `http:`).
pub fn registry(dir: &Path, extra: &str) -> Server {
    let port = free_port();
    let root = dir.join(format!("registry-{port}"));
    std::fs::create_dir_all(&root).expect("registry dir");
    let config = format!(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {}\n\
         http:\n  addr: 127.0.0.1:{port}\n  secret: drydock-test-{port}\n{extra}",
        root.join("storage").display()
    );
    let config_path = root.join("config.yml");
    std::fs::write(&config_path, config).expect("config");
    let log = std::fs::File::create(root.join("registry.log")).expect("log");
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&config_path)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start docker-registry");
    let server = Server { child, port };
    wait_listening(port, &root.join("registry.log"));
    server
}

fn wait_listening(port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            panic!(
                "nothing listens on {port}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `testdata/registry/<script>` with `args`; it prints `PORT <n>` once listening.
pub fn python(dir: &Path, script: &str, args: &[&str]) -> Server {
    let log_path = dir.join(format!("{script}.{}.log", free_port()));
    let log = std::fs::File::create(&log_path).expect("log");
    let mut child = Command::new("python3")
        .arg(repo_root().join("testdata/registry").join(script))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start python3");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    let _ = BufReader::new(stdout).read_line(&mut line);
    let Some(port) = line
        .strip_prefix("PORT ")
        .and_then(|p| p.trim().parse().ok())
    else {
        let _ = child.kill();
        panic!(
            "{script} did not start: {line} {}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
    };
    Server { child, port }
}

/// `skopeo copy` to the registry, keeping digests.
pub fn push(src: &str, dest: &str, extra: &[&str]) {
    let out = Command::new("skopeo")
        .args(["copy", "-q", "--preserve-digests"])
        .args(extra)
        .arg(src)
        .arg(format!("docker://{dest}"))
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo copy {src} {dest}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs drydock with extra environment; docker's config points into `isolated` unless
/// the caller sets `DOCKER_CONFIG`, so the machine's own logins never leak in.
pub fn drydock_env(isolated: &Path, env: &[(&str, &str)], args: &[&str]) -> (Run, Duration) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drydock"));
    cmd.args(args)
        .env("DOCKER_CONFIG", isolated)
        // No engine on the host may answer for a name (tests that want one set their own).
        .env(
            "DOCKER_HOST",
            format!("unix://{}", isolated.join("no-engine.sock").display()),
        )
        .env_remove("DRYDOCK_USERNAME")
        .env_remove("DRYDOCK_PASSWORD")
        .env("DRYDOCK_NO_LAYER_CACHE", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let out = cmd.output().expect("run drydock");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (run, start.elapsed())
}

/// `drydock image REF --format json` plus `extra`, with `--scanners none` unless `extra`
/// names its scanners.
pub fn scan(isolated: &Path, input: &str, extra: &[&str]) -> Run {
    let mut args = vec!["image", input, "--format", "json"];
    if !extra.contains(&"--scanners") {
        args.extend_from_slice(&["--scanners", "none"]);
    }
    args.extend_from_slice(extra);
    drydock_env(isolated, &[], &args).0
}

/// A report without what says where the image came from, so that a pulled image and
/// its archive compare equal exactly when their contents were read the same.
pub fn contents(run: &Run) -> Value {
    assert_eq!(run.code, 0, "scan failed: {}", run.stderr);
    let mut v = run.json();
    let artifact = v["artifact"].as_object_mut().expect("artifact");
    for k in [
        "input",
        "format",
        "origin",
        "repo_tags",
        "signature",
        "manifest_digest",
    ] {
        artifact.remove(k);
    }
    v
}

pub fn busybox() -> PathBuf {
    repo_root().join("testdata/images/busybox/busybox.oci.tar")
}

/// The digest an OCI archive's `index.json` names first (what a tag pushed from it
/// points to), read with the tar crate rather than with drydock.
pub fn root_digest(archive: &Path) -> String {
    let file = std::fs::File::open(archive).expect("archive");
    let mut tar = tar::Archive::new(file);
    for entry in tar.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").to_str() == Some("index.json") {
            let index: Value = serde_json::from_reader(&mut entry).expect("index.json");
            return index["manifests"][0]["digest"]
                .as_str()
                .expect("digest")
                .to_owned();
        }
    }
    panic!("{}: no index.json", archive.display())
}
