//! The analyzers against real package databases copied into `testdata/` (see the READMEs
//! there). Expected values come from the image corpus INDEX.json and from go-rpmdb's tests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use drydock_inventory::{Analyzer, OsRelease, Package, choose_os, os_analyzers};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(testdata(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs whichever analyzer wants `path` (exactly one must).
fn analyze(path: &str, content: &[u8]) -> drydock_inventory::Analysis {
    let analyzers = os_analyzers();
    let wanting: Vec<&Box<dyn Analyzer>> = analyzers
        .iter()
        .filter(|a| a.wants(path, 0, 0o644))
        .collect();
    assert_eq!(wanting.len(), 1, "analyzers wanting {path}");
    wanting[0]
        .analyze(path, content)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn expected_lines(rel: &str) -> BTreeSet<String> {
    String::from_utf8(read(rel))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn name_versions(pkgs: &[Package]) -> BTreeSet<String> {
    pkgs.iter()
        .map(|p| format!("{}={}", p.name, p.version))
        .collect()
}

/// Walks a testdata rootfs and analyzes every file some analyzer wants, as a scanner would.
fn scan_rootfs(root: &str) -> (Vec<Package>, Vec<(String, OsRelease)>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let base = testdata(root);
    let mut files = Vec::new();
    walk(&base, &mut files);
    files.sort();
    let analyzers = os_analyzers();
    let (mut pkgs, mut oses) = (Vec::new(), Vec::new());
    for file in files {
        let rel = file
            .strip_prefix(&base)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        for a in analyzers.iter().filter(|a| a.wants(&rel, 0, 0o644)) {
            let analysis = a.analyze(&rel, &std::fs::read(&file).unwrap()).unwrap();
            pkgs.extend(analysis.packages);
            oses.extend(analysis.os.map(|os| (rel.clone(), os)));
        }
    }
    (pkgs, oses)
}

fn expected_os(root: &str) -> serde_json::Value {
    serde_json::from_slice(&read(&format!("{root}/expected-os.json"))).unwrap()
}

#[test]
fn distroless_status_d_matches_index() {
    let (pkgs, oses) = scan_rootfs("os/distroless-like");
    assert_eq!(
        name_versions(&pkgs),
        expected_lines("os/distroless-like/expected.txt")
    );
    assert_eq!(pkgs.len(), 6, "md5sums files must not yield packages");
    let zlib = pkgs.iter().find(|p| &*p.name == "zlib1g").unwrap();
    // From the control file text: `Source: zlib`, no version in parens.
    assert_eq!(zlib.source_name.as_deref(), Some("zlib"));
    assert_eq!(zlib.source_version.as_deref(), Some("1:1.2.13.dfsg-1"));
    assert_eq!(&*zlib.location, "var/lib/dpkg/status.d/zlib1g");

    let os = choose_os(&oses, "2026-11-25").unwrap();
    let want = expected_os("os/distroless-like");
    assert_eq!(os.family, want["id"]);
    assert_eq!(os.version, want["version_id"]);
    assert_eq!(os.pretty_name.as_deref(), want["pretty_name"].as_str());
    assert_eq!(os.codename.as_deref(), Some("bookworm"));
    assert_eq!(
        (os.eol, os.eol_date.as_deref()),
        (Some(false), Some("2028-06-30"))
    );
}

#[test]
fn debian_slim_status_matches_index() {
    let content = read("os/debian-slim/var/lib/dpkg/status");
    let a = analyze("var/lib/dpkg/status", &content);
    let expected = expected_lines("os/debian-slim/expected.txt");
    assert_eq!(expected.len(), 88);
    assert_eq!(name_versions(&a.packages), expected);
    let bsdutils = a.packages.iter().find(|p| &*p.name == "bsdutils").unwrap();
    // Status text: `Source: util-linux (2.38.1-5+deb12u3)`, Version `1:2.38.1-5+deb12u3`.
    assert_eq!(bsdutils.source_name.as_deref(), Some("util-linux"));
    assert_eq!(bsdutils.source_version.as_deref(), Some("2.38.1-5+deb12u3"));
    assert_eq!(bsdutils.arch.as_deref(), Some("amd64"));
}

#[test]
fn alpine_installed_matches_index() {
    for (root, os_version, eol_date) in [
        ("os/alpine-310", "3.10.4", "2021-05-01"),
        ("os/alpine-311", "3.11.5", "2021-11-01"),
    ] {
        let (pkgs, oses) = scan_rootfs(root);
        assert_eq!(
            name_versions(&pkgs),
            expected_lines(&format!("{root}/expected.txt")),
            "{root}"
        );
        let busybox = pkgs.iter().find(|p| &*p.name == "busybox").unwrap();
        assert!(busybox.files.iter().any(|f| f == "/bin/busybox"), "{root}");
        let ssl_client = pkgs.iter().find(|p| &*p.name == "ssl_client").unwrap();
        assert_eq!(ssl_client.source_name.as_deref(), Some("busybox"));

        let os = choose_os(&oses, "2026-11-25").unwrap();
        let want = expected_os(root);
        assert_eq!(os.family, want["id"]);
        assert_eq!(os.version, want["version_id"]);
        assert_eq!(os.version, os_version);
        assert_eq!(os.pretty_name.as_deref(), want["pretty_name"].as_str());
        assert_eq!(
            (os.eol, os.eol_date.as_deref()),
            (Some(true), Some(eol_date))
        );
    }
}

fn rpm_expected() -> serde_json::Value {
    serde_json::from_slice(&read("rpmdb/EXPECTED.json")).unwrap()
}

fn nvra(p: &Package) -> String {
    format!(
        "{}-{}.{}",
        p.name,
        p.version,
        p.arch.as_deref().unwrap_or("")
    )
}

fn assert_contains(pkgs: &[Package], want: &serde_json::Value) {
    let p = pkgs
        .iter()
        .find(|p| want["name"] == *p.name)
        .expect("package present");
    assert_eq!(
        p.version.to_string(),
        format!(
            "{}-{}",
            want["version"].as_str().unwrap(),
            want["release"].as_str().unwrap()
        )
    );
    assert_eq!(p.arch.as_deref(), want["arch"].as_str());
    assert_eq!(*p.licenses, [want["license"].as_str().unwrap()]);
    let srpm = want["source_rpm"].as_str().unwrap();
    let nvr = format!(
        "{}-{}.src.rpm",
        p.source_name.as_deref().unwrap(),
        p.source_version.as_deref().unwrap()
    );
    assert_eq!(nvr, srpm);
}

#[test]
fn rpm_ndb_sle15() {
    let a = analyze(
        "usr/lib/sysimage/rpm/Packages.db",
        &read("rpmdb/sle15-bci/Packages.db"),
    );
    let want = &rpm_expected()["sle15-bci/Packages.db"];
    let want_list: Vec<&str> = want["packages_nvra"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let got: Vec<String> = a.packages.iter().map(nvra).collect();
    assert_eq!(got.len() as u64, want["count"].as_u64().unwrap());
    assert_eq!(got, want_list);
}

#[test]
fn rpm_sqlite_mariner() {
    let a = analyze(
        "var/lib/rpm/rpmdb.sqlite",
        &read("rpmdb/cbl-mariner-2.0/rpmdb.sqlite"),
    );
    let want = &rpm_expected()["cbl-mariner-2.0/rpmdb.sqlite"];
    assert_eq!(a.packages.len() as u64, want["count"].as_u64().unwrap());
    assert_contains(&a.packages, &want["contains"]);
    let curl = a.packages.iter().find(|p| &*p.name == "curl").unwrap();
    // go-rpmdb pkg/rpmdb_testcase_test.go, Mariner2CurlInstalledFileNames.
    assert_eq!(
        *curl.files,
        [
            "/usr/bin/curl",
            "/usr/bin/curl-config",
            "/usr/share/licenses/curl",
            "/usr/share/licenses/curl/COPYING",
            "/usr/share/man/man1/curl-config.1.gz",
            "/usr/share/man/man1/curl.1.gz",
        ]
    );
}

#[test]
fn rpm_bdb_libuuid() {
    let a = analyze("var/lib/rpm/Packages", &read("rpmdb/libuuid/Packages"));
    assert_contains(&a.packages, &rpm_expected()["libuuid/Packages"]["contains"]);
    let uuid = a.packages.iter().find(|p| &*p.name == "libuuid").unwrap();
    // go-rpmdb pkg/rpmdb_testcase_test.go, LibuuidInstalledFileNames.
    assert_eq!(
        *uuid.files,
        [
            "/usr/lib/.build-id",
            "/usr/lib/.build-id/df/ef6a880adac817216ab9866779a0725e017647",
            "/usr/lib64/libuuid.so.1",
            "/usr/lib64/libuuid.so.1.3.0",
            "/usr/share/licenses/libuuid",
            "/usr/share/licenses/libuuid/COPYING",
            "/usr/share/licenses/libuuid/COPYING.BSD-3",
        ]
    );
}

/// Damaged databases must give an error value, never a panic (a panic fails the test).
fn corruption(path: &str, fixture: &str, magic_at: usize, flips: usize) {
    let good = read(fixture);
    let analyzers = os_analyzers();
    let a = analyzers.iter().find(|a| a.wants(path, 0, 0o644)).unwrap();
    assert!(a.analyze(path, &good).is_ok());

    // Truncations: empty, inside the header, and many cuts through the body.
    let mut cuts = vec![0, 1, 15, 100, 511];
    cuts.extend((1..40).map(|i| good.len() * i / 40));
    for cut in cuts {
        assert!(
            a.analyze(path, &good[..cut]).is_err(),
            "{fixture} truncated to {cut} parsed"
        );
    }

    // A wrong magic number is always refused.
    let mut bad = good.clone();
    bad[magic_at] ^= 0xff;
    assert!(
        a.analyze(path, &bad).is_err(),
        "{fixture}: bad magic accepted"
    );

    // Bit flips spread over the file: Ok (a flip in a string) or Err, but no panic.
    let mut errors = 0;
    for i in 0..flips {
        let at = (i * 7919 + 13) % good.len();
        let mut bad = good.clone();
        bad[at] ^= 1 << (i % 8);
        errors += usize::from(a.analyze(path, &bad).is_err());
    }
    assert!(errors > 0, "{fixture}: no flip was detected");
}

#[test]
fn corrupt_ndb() {
    corruption(
        "var/lib/rpm/Packages.db",
        "rpmdb/sle15-bci/Packages.db",
        0,
        600,
    );
}

#[test]
fn corrupt_bdb() {
    corruption("var/lib/rpm/Packages", "rpmdb/libuuid/Packages", 12, 600);
}

#[test]
fn corrupt_sqlite() {
    corruption(
        "var/lib/rpm/rpmdb.sqlite",
        "rpmdb/cbl-mariner-2.0/rpmdb.sqlite",
        0,
        150,
    );
}
