//! rpm databases of all three on-disk formats, placed in a root filesystem where a real
//! distribution keeps them, read end to end by `drydock rootfs`. Expected values are
//! go-rpmdb's own (testdata/rpmdb/EXPECTED.json).

use crate::common::{drydock, repo_root};
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_slice(
        &std::fs::read(repo_root().join("testdata/rpmdb/EXPECTED.json")).expect("EXPECTED.json"),
    )
    .expect("json")
}

/// Builds a rootfs holding `db` at `place` with an os-release, and scans it.
fn scan(db: &str, place: &str, os_release: &str) -> Value {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    let target = root.join(place);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::copy(repo_root().join("testdata/rpmdb").join(db), &target).expect("copy db");
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::write(root.join("etc/os-release"), os_release).expect("write");
    let run = drydock(&[
        "rootfs",
        root.to_str().expect("utf8"),
        "--scanners",
        "none",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn nvra(p: &Value) -> String {
    // Report versions are `[epoch:]version-release`; go-rpmdb's NVRA has no epoch.
    let version = p["version"].as_str().unwrap_or("");
    let version = version.split_once(':').map_or(version, |(_, v)| v);
    format!(
        "{}-{}.{}",
        p["name"].as_str().unwrap_or(""),
        version,
        p["arch"].as_str().unwrap_or("")
    )
}

#[test]
fn ndb_in_usr_lib_sysimage() {
    let report = scan(
        "sle15-bci/Packages.db",
        "usr/lib/sysimage/rpm/Packages.db",
        "ID=\"sles\"\nVERSION_ID=\"15.3\"\n",
    );
    let want = &expected()["sle15-bci/Packages.db"];
    let mut got: Vec<String> = report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(nvra)
        .collect();
    let mut exp: Vec<String> = want["packages_nvra"]
        .as_array()
        .expect("nvra")
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_owned())
        .collect();
    got.sort();
    exp.sort();
    assert_eq!(got, exp);
    assert_eq!(got.len() as u64, want["count"].as_u64().expect("count"));
}

#[test]
fn sqlite_in_var_lib_rpm() {
    let report = scan(
        "cbl-mariner-2.0/rpmdb.sqlite",
        "var/lib/rpm/rpmdb.sqlite",
        "ID=mariner\nVERSION_ID=\"2.0\"\n",
    );
    let want = &expected()["cbl-mariner-2.0/rpmdb.sqlite"];
    let pkgs = report["packages"].as_array().expect("packages");
    assert_eq!(pkgs.len() as u64, want["count"].as_u64().expect("count"));
    let c = &want["contains"];
    let curl = pkgs.iter().find(|p| p["name"] == c["name"]).expect("curl");
    assert_eq!(
        curl["version"].as_str(),
        Some(
            format!(
                "{}-{}",
                c["version"].as_str().unwrap_or(""),
                c["release"].as_str().unwrap_or("")
            )
            .as_str()
        )
    );
    assert_eq!(curl["arch"], c["arch"]);
    assert_eq!(curl["source_name"], "curl");
    assert_eq!(curl["licenses"], serde_json::json!([c["license"]]));
    // purl spec, rpm type: the distribution as namespace and `distro` qualifier (from the
    // os-release written above), `version-release`, `arch` qualifier.
    assert_eq!(
        curl["purl"],
        format!(
            "pkg:rpm/mariner/curl@{}-{}?arch={}&distro=mariner-2.0",
            c["version"].as_str().unwrap_or(""),
            c["release"].as_str().unwrap_or(""),
            c["arch"].as_str().unwrap_or("")
        )
    );
    assert_eq!(curl["files"], c["files"]);
}

#[test]
fn berkeley_db_in_var_lib_rpm() {
    let report = scan(
        "libuuid/Packages",
        "var/lib/rpm/Packages",
        "ID=\"rhel\"\nVERSION_ID=\"8.8\"\n",
    );
    let c = &expected()["libuuid/Packages"]["contains"];
    let pkgs = report["packages"].as_array().expect("packages");
    let p = pkgs
        .iter()
        .find(|p| p["name"] == c["name"])
        .expect("libuuid");
    assert_eq!(
        p["source_name"], "util-linux",
        "source from {}",
        c["source_rpm"]
    );
    assert_eq!(p["arch"], c["arch"]);
    assert_eq!(
        p["version"],
        format!(
            "{}-{}",
            c["version"].as_str().unwrap_or(""),
            c["release"].as_str().unwrap_or("")
        )
    );
    assert_eq!(p["licenses"], serde_json::json!([c["license"]]));
    assert_eq!(p["files"], c["files"], "rpm headers list owned files");
}
