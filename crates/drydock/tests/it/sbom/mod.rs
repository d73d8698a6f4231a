//! SBOMs out ([`write`]: drydock's CycloneDX and SPDX validated by the real validators and
//! compared with what Trivy writes for the same image) and in ([`read`]: `drydock sbom` on
//! drydock's own SBOMs, a round trip that must give the image scan's findings exactly, on
//! Syft's and Trivy's, on specification examples, and on bad input).

mod read;
mod write;

use crate::common::{Run, drydock, repo_root};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A vulnerability DB built once from the vendored OSV mirror.
fn cache() -> &'static str {
    static DIR: OnceLock<String> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let dir = dir.to_str().expect("utf-8").to_owned();
        let mirror = repo_root().join("testdata/matcher/mirror/osv");
        let run = drydock(&[
            "--cache-dir",
            &dir,
            "db",
            "update",
            "--source",
            mirror.to_str().expect("utf-8"),
        ]);
        assert_eq!(run.code, 0, "db update: {}", run.stderr);
        dir
    })
}

/// `drydock --cache-dir <mirror DB> ARGS`, with `stdin` piped in.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--cache-dir", cache()])
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run drydock");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(args: &[&str], stdin: Option<&[u8]>) -> String {
    let r = run(args, stdin);
    assert_eq!(r.code, 0, "drydock {args:?}: {}", r.stderr);
    r.stdout
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

/// Every image of a corpus INDEX.json, once per platform, as `(label, path, extra args)`.
fn images_of(root: &Path) -> Vec<(String, PathBuf, Vec<String>)> {
    let index: Value = parse(&std::fs::read_to_string(root.join("INDEX.json")).expect("INDEX"));
    let mut out = Vec::new();
    for (name, image) in index["images"].as_object().expect("images") {
        let (_, format) = image["formats"]
            .as_object()
            .and_then(|f| f.iter().next())
            .expect("a format");
        let path = root.join(format["path"].as_str().expect("path"));
        let platforms: Vec<&str> = image["images"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["platform"].as_str()).collect())
            .unwrap_or_default();
        if platforms.len() > 1 {
            for p in platforms {
                let args = vec!["--platform".to_owned(), p.to_owned()];
                out.push((format!("{name} {p}"), path.clone(), args));
            }
        } else {
            out.push((name.clone(), path, Vec::new()));
        }
    }
    out
}

/// The vendored images, plus the full corpus when `DRYDOCK_CORPUS` names one.
fn all_images() -> Vec<(String, PathBuf, Vec<String>)> {
    let mut out = images_of(&repo_root().join("testdata/images"));
    if let Ok(dir) = std::env::var("DRYDOCK_CORPUS") {
        out.extend(images_of(Path::new(&dir)));
    } else {
        eprintln!("note: DRYDOCK_CORPUS not set: SBOM round trip on the vendored images only");
    }
    out
}

fn image_args<'a>(sub: &'a str, path: &'a Path, extra: &'a [String]) -> Vec<&'a str> {
    let mut args = vec![sub, path.to_str().expect("utf-8")];
    args.extend(extra.iter().map(String::as_str));
    args
}

fn alpine() -> PathBuf {
    repo_root().join("testdata/images/thirdparty/alpine-310.tar.gz")
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("testdata/sbom").join(name)
}

fn require_full() -> bool {
    std::env::var("DRYDOCK_REQUIRE_FULL").is_ok_and(|v| v == "1")
}

/// A validator that is not installed fails the test under `DRYDOCK_REQUIRE_FULL=1`
/// (as `.ci/run` sets it), and is otherwise skipped loudly.
fn validator_missing(what: &str) {
    assert!(
        !require_full(),
        "{what} is not installed and DRYDOCK_REQUIRE_FULL=1 (.ci/run installs it)"
    );
    eprintln!("\n*** SKIP: {what} is not installed; its validation did NOT run ***\n");
}

/// (package, CVE, fixed) that Trivy reported for alpine-310 on the same advisory data,
/// restricted to the CVEs the vendored mirror holds.
fn trivy_alpine_findings() -> BTreeSet<(String, String, String)> {
    let root = repo_root();
    let ids = std::fs::read_to_string(
        root.join("testdata/matcher/mirror/osv/Alpine:v3.10/modified_id.csv"),
    )
    .expect("modified_id.csv");
    let held: BTreeSet<&str> = ids
        .lines()
        .filter_map(|l| l.split_once(',')?.1.strip_prefix("ALPINE-"))
        .collect();
    let v = parse(
        &std::fs::read_to_string(
            root.join("testdata/images/thirdparty/alpine-310.trivy-vulns.json"),
        )
        .expect("trivy findings"),
    );
    let s = |f: &Value, k: &str| f[k].as_str().unwrap_or("").to_owned();
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| held.contains(f["id"].as_str().unwrap_or("")))
        .map(|f| (s(f, "package"), s(f, "id"), s(f, "fixed")))
        .collect()
}
