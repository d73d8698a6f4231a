//! Misconfiguration checks on an image a real builder made: buildah builds
//! `testdata/misconfig/Containerfile` (history, layers and modes are buildah's own, not
//! hand-written JSON), each RUN leaving one condition. Expected: the Containerfile's
//! comments, i.e. for each RUN line the check it plants and the layer it lands in.

use crate::common::registry::tools;
use crate::common::repo_root;
use crate::outputs::in_root;
use serde_json::Value;
use std::process::Command;

/// Builds the Containerfile into a docker-archive; buildah's storage lives in `dir`.
fn build(dir: &std::path::Path) -> std::path::PathBuf {
    let base = crate::common::alpine_tar(dir);
    let recipe = std::fs::read_to_string(repo_root().join("testdata/misconfig/Containerfile"))
        .expect("Containerfile")
        .replace("ALPINE_TAR", base.to_str().expect("utf-8"));
    std::fs::write(dir.join("Containerfile"), recipe).expect("write recipe");
    let storage = |args: &mut Command| {
        args.arg("--root")
            .arg(dir.join("root"))
            .arg("--runroot")
            .arg(dir.join("run"))
            .args(["--storage-driver", "vfs"]);
    };
    let mut bud = Command::new("buildah");
    storage(&mut bud);
    // chroot isolation: no cgroups or network namespace needed on a CI runner.
    bud.args([
        "bud",
        "--layers",
        "--isolation",
        "chroot",
        "-t",
        "drydock-misconfig",
        "-f",
    ])
    .arg(dir.join("Containerfile"))
    .arg(dir);
    let out = bud.output().expect("buildah runs");
    assert!(
        out.status.success(),
        "buildah bud: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = dir.join("built.tar");
    let mut push = Command::new("buildah");
    storage(&mut push);
    push.args(["push", "drydock-misconfig"]).arg(format!(
        "docker-archive:{}:drydock-misconfig:1",
        archive.display()
    ));
    let out = push.output().expect("buildah push");
    assert!(
        out.status.success(),
        "buildah push: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    archive
}

#[test]
fn checks_see_what_each_run_of_a_buildah_image_left() {
    if !tools("misconfig_real", &["buildah"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let archive = build(dir.path());
    let run = in_root(&[
        "image",
        archive.to_str().expect("utf-8"),
        "--scanners",
        "misconfig",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let found = report["misconfigurations"]
        .as_array()
        .expect("misconfigurations");
    let layer_of = |id: &str| -> Option<i64> {
        found
            .iter()
            .find(|m| m["id"] == id)
            .map(|m| m["layer_index"].as_i64().unwrap_or(-1))
    };
    // (check, CIS id, layer): layer 0 is Alpine's, then one layer per RUN in order.
    let expected = [
        ("DD-CFG-020", Some("4.7"), None),
        ("DD-CFG-021", Some("4.11"), None),
        ("DD-CFG-022", None, Some(3)),
        ("DD-CFG-010", None, Some(4)),
        ("DD-CFG-011", Some("4.3"), Some(5)),
        ("DD-CFG-017", Some("4.3"), Some(5)),
    ];
    for (id, cis, layer) in expected {
        let hit = found.iter().find(|m| m["id"] == id);
        let Some(hit) = hit else {
            panic!("{id} not reported: {found:#?}");
        };
        assert_eq!(hit["cis"].as_str(), cis, "{id}");
        if let Some(layer) = layer {
            assert_eq!(layer_of(id), Some(layer), "{id} layer: {hit}");
        }
    }
    // The history checks name the RUN they read (history index = Containerfile step).
    let message = |id: &str| {
        found
            .iter()
            .find(|m| m["id"] == id)
            .map_or(String::new(), |m| {
                m["message"].as_str().unwrap_or_default().to_owned()
            })
    };
    assert!(
        message("DD-CFG-020").contains("apk"),
        "{}",
        message("DD-CFG-020")
    );
    assert!(
        message("DD-CFG-021").contains("http://127.0.0.1:9/install.sh"),
        "{}",
        message("DD-CFG-021")
    );
}
