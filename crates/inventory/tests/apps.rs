//! Application analyzers against real files in `testdata/apps` (expected values written by
//! Python and the corpus INDEX.json, see the README there) and against a Go binary built
//! here, checked against `go version -m`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use drydock_inventory::{Analysis, PackageKind, STREAM_CHUNK, STREAM_THRESHOLD, all_analyzers};
use serde_json::Value;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/apps")
        .join(rel)
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(testdata("expected.json")).unwrap()).unwrap()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Runs every analyzer that wants `path` with this size and mode, as the scanner would.
fn analyze(path: &str, content: &[u8], mode: u32) -> Vec<(&'static str, Analysis)> {
    all_analyzers()
        .iter()
        .filter(|a| a.wants(path, content.len() as u64, mode))
        .map(|a| {
            (
                a.name(),
                a.analyze(path, content).unwrap_or_else(|e| panic!("{e}")),
            )
        })
        .collect()
}

/// The same as [`analyze`] through the analyzers' bounded-memory stream readers, fed in
/// `STREAM_CHUNK` pieces as the scanner does for large files.
fn analyze_streamed(path: &str, content: &[u8], mode: u32) -> Vec<(&'static str, Analysis)> {
    all_analyzers()
        .iter()
        .filter(|a| a.wants(path, content.len() as u64, mode))
        .map(|a| {
            let mut state = a
                .stream(path)
                .unwrap_or_else(|| panic!("{} cannot stream", a.name()));
            for chunk in content.chunks(STREAM_CHUNK) {
                state.feed(chunk);
            }
            (a.name(), state.finish().unwrap_or_else(|e| panic!("{e}")))
        })
        .collect()
}

fn name_versions(results: &[(&'static str, Analysis)]) -> BTreeSet<String> {
    results
        .iter()
        .flat_map(|(_, a)| &a.packages)
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect()
}

#[test]
fn npm_lockfiles_v3() {
    let exp = expected();
    for (file, path) in [
        (
            "debian-app/web-package-lock.json",
            "app/web/package-lock.json",
        ),
        (
            "debian-app/plugins-package-lock.json",
            "app/plugins/package-lock.json",
        ),
    ] {
        let got = analyze(path, &std::fs::read(testdata(file)).unwrap(), 0o444);
        assert_eq!(
            got.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["npm-lock"]
        );
        let pkgs = &got[0].1.packages;
        assert_eq!(
            name_versions(&got),
            strings(&exp[file]["packages"]),
            "{file}"
        );
        // No duplicate entries for one path: the 53 are 53 packages.
        assert_eq!(
            pkgs.len(),
            exp[file]["packages"].as_array().unwrap().len(),
            "{file}"
        );
        assert_eq!(
            pkgs.iter().filter(|p| p.dev).count() as u64,
            exp[file]["dev_count"].as_u64().unwrap()
        );
        assert!(
            pkgs.iter()
                .all(|p| p.lockfile && p.kind == PackageKind::Npm && &*p.location == path)
        );
    }
}

#[test]
fn cargo_lockfiles() {
    let exp = expected();
    for file in ["debian-app/rust-hello.Cargo.lock", "drydock.Cargo.lock"] {
        let got = analyze(
            "src/Cargo.lock",
            &std::fs::read(testdata(file)).unwrap(),
            0o644,
        );
        assert_eq!(
            got.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["cargo-lock"]
        );
        assert_eq!(
            name_versions(&got),
            strings(&exp[file]["packages"]),
            "{file}"
        );
        assert_eq!(
            got[0].1.packages.len(),
            exp[file]["packages"].as_array().unwrap().len()
        );
    }
}

#[test]
fn go_binary_from_debian_app() {
    let exp = &expected()["debian-app/go-hello"];
    let bytes = std::fs::read(testdata("debian-app/go-hello")).unwrap();
    let got = analyze("app/bin/go-hello", &bytes, 0o755);
    let go = got
        .iter()
        .find(|(n, _)| *n == "go-binary")
        .expect("go-binary wants an executable");
    assert_eq!(exp["main"]["version"], "(devel)");
    assert!(exp["deps"].as_array().unwrap().is_empty());
    // Main module at (devel) is left out; no deps; only the toolchain.
    let want = BTreeSet::from([format!(
        "stdlib@{}",
        exp["go"].as_str().unwrap().trim_start_matches("go")
    )]);
    assert_eq!(name_versions(std::slice::from_ref(go)), want);
    // Not executable: nobody asks for it.
    assert!(analyze("app/bin/go-hello", &bytes, 0o644).is_empty());
}

/// Modules `go version -m` lists: `dep` lines, each replaced by a following `=>` line, and
/// the main module unless `(devel)`; plus `stdlib` at the toolchain version.
fn parse_go_version_m(text: &str) -> BTreeSet<String> {
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let go = header.rsplit(' ').next().unwrap().trim_start_matches("go");
    let mut mods: Vec<(String, String)> = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.trim_start_matches('\t').split('\t').collect();
        match f.first().copied() {
            Some("mod" | "dep") => mods.push((f[1].to_owned(), f[2].to_owned())),
            Some("=>") => *mods.last_mut().unwrap() = (f[1].to_owned(), f[2].to_owned()),
            _ => {}
        }
    }
    let mut out: BTreeSet<String> = mods
        .into_iter()
        .filter(|(_, v)| v != "(devel)" && !v.is_empty())
        .map(|(p, v)| format!("{p}@{v}"))
        .collect();
    out.insert(format!("stdlib@{go}"));
    out
}

/// `go build` of the module in `dir` into `dir/out`, offline and from vendored sources.
fn go_build(dir: &Path, out: &str) {
    let build = Command::new("go")
        .args(["build", "-mod=vendor", "-o", out, "."])
        .current_dir(dir)
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        // Independent of $HOME, which CI may not set.
        .env(
            "GOCACHE",
            std::env::temp_dir().join("drydock-inventory-gocache"),
        )
        .env("GOFLAGS", "")
        .env("CGO_ENABLED", "0")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "go build: {}",
        String::from_utf8_lossy(&build.stderr)
    );
}

/// Builds a program with two vendored deps, one replaced, so no network is needed.
#[test]
fn go_binary_built_here_matches_go_version_m() {
    if drydock_testkit::need(drydock_testkit::Need::Go).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "go.mod",
            "module example.com/drydock/gotest\n\ngo 1.18\n\nrequire (\n\texample.com/dep v1.2.3\n\texample.com/plain v0.3.0\n)\n\nreplace example.com/dep v1.2.3 => example.com/fork v1.2.4\n",
        ),
        (
            "vendor/modules.txt",
            "# example.com/dep v1.2.3 => example.com/fork v1.2.4\n## explicit\nexample.com/dep\n# example.com/plain v0.3.0\n## explicit\nexample.com/plain\n# example.com/dep v1.2.3 => example.com/fork v1.2.4\n",
        ),
        (
            "vendor/example.com/dep/dep.go",
            "package dep\n\nfunc Hello() string { return \"hi\" }\n",
        ),
        (
            "vendor/example.com/plain/plain.go",
            "package plain\n\nfunc Name() string { return \"plain\" }\n",
        ),
        (
            "main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n\t\"example.com/plain\"\n)\n\nfunc main() { fmt.Println(dep.Hello(), plain.Name()) }\n",
        ),
    ];
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    go_build(dir.path(), "hello");
    let bin = dir.path().join("hello");
    let vm = Command::new("go")
        .args(["version", "-m"])
        .arg(&bin)
        .output()
        .unwrap();
    assert!(vm.status.success());
    let want = parse_go_version_m(&String::from_utf8(vm.stdout).unwrap());
    assert!(
        want.contains("example.com/fork@v1.2.4") && want.contains("example.com/plain@v0.3.0"),
        "{want:?}"
    );
    let bytes = std::fs::read(&bin).unwrap();
    let got = analyze("usr/local/bin/hello", &bytes, 0o755);
    let go: Vec<_> = got.into_iter().filter(|(n, _)| *n == "go-binary").collect();
    assert_eq!(name_versions(&go), want);
    let streamed = analyze_streamed("usr/local/bin/hello", &bytes, 0o755);
    let go: Vec<_> = streamed
        .into_iter()
        .filter(|(n, _)| *n == "go-binary")
        .collect();
    assert_eq!(name_versions(&go), want, "stream reader");

    // A binary over the streaming threshold (40 MiB of embedded incompressible data), so
    // its build info sits far from both ends, as in real large programs.
    let blob: Vec<u8> = (0u64..40 << 20)
        .map(|i| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8)
        .collect();
    std::fs::write(dir.path().join("blob.bin"), &blob).unwrap();
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\n\t\"example.com/dep\"\n\t\"example.com/plain\"\n)\n\n//go:embed blob.bin\nvar blob []byte\n\nfunc main() { fmt.Println(dep.Hello(), plain.Name(), len(blob)) }\n",
    )
    .unwrap();
    go_build(dir.path(), "big");
    let big = std::fs::read(dir.path().join("big")).unwrap();
    assert!(big.len() as u64 > STREAM_THRESHOLD, "{} bytes", big.len());
    let streamed = analyze_streamed("usr/local/bin/big", &big, 0o755);
    let go: Vec<_> = streamed
        .iter()
        .filter(|(n, _)| *n == "go-binary")
        .cloned()
        .collect();
    assert_eq!(
        name_versions(&go),
        want,
        "large binary through the stream reader"
    );
    let rust: Vec<_> = streamed
        .into_iter()
        .filter(|(n, _)| *n == "cargo-auditable")
        .collect();
    assert!(
        rust.iter().all(|(_, a)| a.packages.is_empty()),
        "a Go binary has no .dep-v0"
    );
}

/// Real lockfiles from public repositories (testdata/apps/lockfiles/SOURCES.md), against
/// `expected.json` written there by `gen_expected.py` (tomllib, json, ElementTree, regexes).
#[test]
fn real_lockfiles() {
    let dir = testdata("lockfiles");
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    for (file, path, analyzer) in [
        ("gradle.lockfile", "app/gradle.lockfile", "gradle-lock"),
        ("berry.yarn.lock", "app/yarn.lock", "yarn-lock"),
        ("pdm.lock", "app/pdm.lock", "python-lock"),
        ("uv.lock", "app/uv.lock", "python-lock"),
        ("go.mod", "src/go.mod", "go-mod"),
        ("gson-proto.pom.xml", "src/proto/pom.xml", "pom-xml"),
    ] {
        let got = analyze(path, &std::fs::read(dir.join(file)).unwrap(), 0o644);
        assert_eq!(
            got.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [analyzer],
            "{file}"
        );
        assert_eq!(name_versions(&got), strings(&exp[file]), "{file}");
        assert!(
            got[0]
                .1
                .packages
                .iter()
                .all(|p| p.lockfile && &*p.location == path),
            "{file}"
        );
    }
}
