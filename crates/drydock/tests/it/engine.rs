//! Scanning by name from a real Podman (`podman system service`, Docker's API on a Unix
//! socket in a temp dir, storage in a temp `--root`): each image `podman load`ed from an
//! archive must give the report of that archive, packages included, apart from the
//! fields that say where it came from. A socket that is missing or lacks the image lets
//! the registry try, and when nothing has the image one line says what each source said.

use crate::common::registry::{
    busybox, contents, drydock_env, free_port, push, registry, scan, tools,
};
use crate::common::{Run, repo_root};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A rootful Podman with its own storage and API socket, stopped on drop.
struct Podman {
    root: PathBuf,
    socket: PathBuf,
    service: Child,
}

impl Podman {
    fn start(dir: &Path) -> Podman {
        let root = dir.join("podman");
        let socket = dir.join("podman.sock");
        let mut podman = Podman {
            service: Command::new("podman")
                .args(storage_args(&root))
                .args(["system", "service", "--time=0"])
                .arg(format!("unix://{}", socket.display()))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("podman system service"),
            root,
            socket,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !podman.socket.exists() {
            if let Ok(Some(status)) = podman.service.try_wait() {
                panic!("podman system service exited: {status}");
            }
            assert!(Instant::now() < deadline, "podman's socket never appeared");
            std::thread::sleep(Duration::from_millis(100));
        }
        podman
    }

    fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// Runs the podman CLI on the same storage; returns stdout.
    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("podman")
            .args(storage_args(&self.root))
            .args(args)
            .output()
            .expect("podman");
        assert!(
            out.status.success(),
            "podman {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `podman load`s an archive and returns the name it was loaded under.
    fn load(&self, archive: &Path) -> String {
        let out = self.cli(&["load", "-q", "-i", archive.to_str().expect("utf-8")]);
        out.lines()
            .find_map(|l| l.strip_prefix("Loaded image: "))
            .unwrap_or_else(|| panic!("podman load printed no name: {out}"))
            .trim()
            .to_owned()
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self.service.kill();
        let _ = self.service.wait();
    }
}

/// vfs needs no kernel overlay support; a root of its own keeps the host's images out.
fn storage_args(root: &Path) -> Vec<String> {
    vec![
        "--root".into(),
        root.join("storage").display().to_string(),
        "--runroot".into(),
        root.join("run").display().to_string(),
        "--storage-driver".into(),
        "vfs".into(),
    ]
}

/// `drydock image NAME --format json` against the engine at `host`, spooling exports in
/// `dir/spool` (which must stay empty: the spool file has no name).
fn scan_engine(dir: &Path, host: &str, name: &str, extra: &[&str]) -> Run {
    let mut args = vec!["image", name, "--format", "json"];
    if !extra.contains(&"--scanners") {
        args.extend_from_slice(&["--scanners", "none"]);
    }
    args.extend_from_slice(extra);
    let spool = dir.join("spool");
    std::fs::create_dir_all(&spool).expect("spool dir");
    let env = [
        ("DOCKER_HOST", host),
        ("TMPDIR", spool.to_str().expect("utf-8")),
    ];
    let run = drydock_env(dir, &env, &args).0;
    let left: Vec<_> = std::fs::read_dir(&spool).expect("spool").collect();
    assert!(left.is_empty(), "{name}: left in the spool dir: {left:?}");
    run
}

/// An engine exports uncompressed layers named by their diff_id, whatever the archive
/// stored: layers are compared by diff_id, and their blob digests, sizes and media types
/// (and the packages' layer references, which use them) set aside.
fn by_diff_id(mut v: Value) -> Value {
    let mut names = Vec::new();
    for layer in v["layers"].as_array_mut().expect("layers") {
        let layer = layer.as_object_mut().expect("layer");
        let diff_id = layer["diff_id"].as_str().expect("diff_id").to_owned();
        names.push((
            layer["digest"].as_str().expect("digest").to_owned(),
            diff_id.clone(),
        ));
        layer.remove("size");
        layer.remove("media_type");
        layer.insert("digest".into(), diff_id.into());
    }
    let mut text = v.to_string();
    for (digest, diff_id) in names {
        text = text.replace(&digest, &diff_id);
    }
    serde_json::from_str(&text).expect("json")
}

fn packages(v: &Value) -> &Vec<Value> {
    v["packages"].as_array().expect("packages")
}

#[test]
fn engine_images_match_their_archives_and_misses_fail_in_one_line() {
    let test = "engine_images_match_their_archives_and_misses_fail_in_one_line";
    if !tools(test, &["podman"]) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let podman = Podman::start(tmp.path());
    let images = repo_root().join("testdata/images");
    let alpine_tar = crate::common::alpine_tar(tmp.path());
    let mut archives: Vec<(PathBuf, PathBuf)> = vec![
        (alpine_tar, images.join("thirdparty/alpine-310.tar.gz")),
        (busybox(), busybox()),
        (
            images.join("thirdparty/whiteout_image.tar"),
            images.join("thirdparty/whiteout_image.tar"),
        ),
        (
            images.join("thirdparty/hello-world-v25.tar"),
            images.join("thirdparty/hello-world-v25.tar"),
        ),
    ];
    if let Some(corpus) = std::env::var_os("DRYDOCK_CORPUS") {
        let app = PathBuf::from(corpus).join("debian-app/debian-app.docker.tar");
        archives.push((app.clone(), app));
    }
    for (i, (load, local)) in archives.iter().enumerate() {
        let mut name = podman.load(load);
        // An archive without a tag loads under its id; give it a name to scan by.
        if name.starts_with("sha256:") {
            let tag = format!("localhost/untagged-{i}:1.0");
            podman.cli(&["tag", &name, &tag]);
            name = tag;
        }
        let extra = ["--scanners", "secret,misconfig", "--image-src", "engine"];
        let from_engine = scan_engine(tmp.path(), &podman.host(), &name, &extra);
        let archive = scan(tmp.path(), local.to_str().expect("utf-8"), &extra);
        let (engine_report, archive_report) = (contents(&from_engine), contents(&archive));
        assert_eq!(
            by_diff_id(engine_report),
            by_diff_id(archive_report),
            "{name}: engine and archive reports differ"
        );
        let artifact = &from_engine.json()["artifact"];
        assert_eq!(artifact["format"], "engine", "{name}");
        let origin = &artifact["origin"];
        assert_eq!(origin["source"], "engine");
        assert_eq!(origin["engine"], podman.host().as_str());
        // The id podman reports is the config digest drydock computed from the export.
        let id = podman.cli(&["image", "inspect", "--format", "{{.Id}}", &name]);
        assert_eq!(
            origin["resolved_digest"],
            format!("sha256:{}", id.trim()).as_str()
        );
        assert_eq!(artifact["image_id"], origin["resolved_digest"]);
        let digests = podman.cli(&[
            "image",
            "inspect",
            "--format",
            "{{json .RepoDigests}}",
            &name,
        ]);
        let digests: Value = serde_json::from_str(&digests).expect("RepoDigests");
        assert_eq!(
            origin.get("repo_digests").unwrap_or(&Value::Array(vec![])),
            &digests
        );
    }
    // The alpine image has its 14 apk packages, as its archive (checked above) has.
    let alpine = scan_engine(tmp.path(), &podman.host(), "localhost/alpine:3.10", &[]);
    assert_eq!(packages(&alpine.json()).len(), 14);

    // The engine does not have it: 404, one line, exit 2.
    let missing = "localhost/drydock/absent:1.0";
    let run = scan_engine(
        tmp.path(),
        &podman.host(),
        missing,
        &["--image-src", "engine"],
    );
    run.assert_clean_error(
        Path::new(missing),
        &format!("engine ({}): not in the engine", podman.host()),
    );
    // Not in the engine, nor in a registry nobody serves: both reasons, in order.
    let port = free_port();
    let missing = format!("127.0.0.1:{port}/drydock/absent:1.0");
    let run = scan_engine(tmp.path(), &podman.host(), &missing, &["--insecure"]);
    run.assert_clean_error(
        Path::new(&missing),
        &format!(
            "engine ({}): not in the engine; registry 127.0.0.1:{port}: connection refused",
            podman.host()
        ),
    );
}

#[test]
fn a_missing_socket_falls_back_to_the_registry() {
    let test = "a_missing_socket_falls_back_to_the_registry";
    let tmp = tempfile::tempdir().expect("tmp");
    let absent = format!("unix://{}", tmp.path().join("absent.sock").display());
    // No engine and no registry: one line with both reasons.
    let port = free_port();
    let name = format!("127.0.0.1:{port}/drydock/busybox:1.0");
    let run = scan_engine(tmp.path(), &absent, &name, &["--insecure"]);
    run.assert_clean_error(
        Path::new(&name),
        &format!(
            "engine ({absent}): no such socket; registry 127.0.0.1:{port}: connection refused"
        ),
    );
    // Only the engine asked for: its reason alone.
    let run = scan_engine(tmp.path(), &absent, &name, &["--image-src", "engine"]);
    run.assert_clean_error(
        Path::new(&name),
        &format!("engine ({absent}): no such socket"),
    );
    assert!(!run.stderr.contains("registry"), "{}", run.stderr);
    // TCP engines are refused in one line rather than skipped silently.
    let run = scan_engine(tmp.path(), "tcp://127.0.0.1:2375", &name, &[]);
    run.assert_clean_error(
        Path::new(&name),
        "DOCKER_HOST=tcp://127.0.0.1:2375: not supported",
    );

    if !tools(test, &["docker-registry", "skopeo"]) {
        return;
    }
    let reg = registry(tmp.path(), "");
    let name = format!("{}/drydock/busybox:1.0", reg.host());
    push(
        &format!("oci-archive:{}", busybox().display()),
        &name,
        &["--dest-tls-verify=false"],
    );
    let run = scan_engine(tmp.path(), &absent, &name, &["--insecure"]);
    assert_eq!(
        contents(&run),
        contents(&scan(tmp.path(), busybox().to_str().expect("utf-8"), &[]))
    );
    assert_eq!(run.json()["artifact"]["origin"]["source"], "registry");
}
