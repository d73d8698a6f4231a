//! End to end: stream the corpus image `debian-app` through drydock-image with every
//! analyzer, keep only files still present after whiteouts, and compare each ecosystem
//! with the corpus INDEX.json (generated independently by gen_index.py). Needs the built
//! corpus (`DRYDOCK_CORPUS`): see drydock-testkit for what happens without it.

use std::collections::{BTreeMap, BTreeSet};

use drydock_image::{FileHandler, Image, ImageRef, OpenOptions, WalkOptions};
use drydock_inventory::{Analysis, AnalyzeError, Analyzer, PackageKind, all_analyzers, purl_for};
use drydock_testkit::{Need, need};
use serde_json::Value;

struct Handler(Vec<Box<dyn Analyzer>>);

impl FileHandler for Handler {
    type Output = Vec<(&'static str, Result<Analysis, AnalyzeError>)>;

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.0.iter().any(|a| a.wants(path, size, mode))
    }

    fn handle(&self, path: &str, content: &[u8], mode: u32) -> Self::Output {
        let size = content.len() as u64;
        self.0
            .iter()
            .filter(|a| a.wants(path, size, mode))
            .map(|a| (a.name(), a.analyze(path, content)))
            .collect()
    }
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn debian_app_matches_index() {
    let Some(corpus) = need(Need::Corpus) else {
        return;
    };
    let index_path = corpus.join("INDEX.json");
    let image_path = corpus.join("debian-app/oci");
    let index: Value = serde_json::from_slice(&std::fs::read(index_path).unwrap()).unwrap();
    let inv = &index["images"]["debian-app"]["images"][0]["inventory"];

    let image = Image::open(&ImageRef::parse_local(&image_path), &OpenOptions::default()).unwrap();
    let walked = image
        .walk(&Handler(all_analyzers()), &WalkOptions::default(), &|_| {})
        .unwrap();
    assert!(walked.skipped.is_empty(), "{:?}", walked.skipped);

    // kind -> location -> name@version (lockfile entries kept apart from installed ones).
    let mut found: BTreeMap<(PackageKind, bool), BTreeMap<String, BTreeSet<String>>> =
        BTreeMap::new();
    let mut errors = Vec::new();
    for (path, _layer, outcomes) in walked.current() {
        for (_, outcome) in outcomes {
            match outcome {
                Ok(a) => {
                    for p in &a.packages {
                        assert_eq!(&*p.location, path);
                        let purl = purl_for(p, None);
                        assert!(purl.starts_with("pkg:"), "{purl}");
                        let nv = match p.kind {
                            PackageKind::Python => format!("{}=={}", p.name, p.version),
                            PackageKind::Maven => format!("{}:{}", p.name, p.version),
                            _ => format!("{}@{}", p.name, p.version),
                        };
                        found
                            .entry((p.kind, p.lockfile))
                            .or_default()
                            .entry(format!("/{path}"))
                            .or_default()
                            .insert(nv);
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
    let all = |kind, lockfile| -> BTreeSet<String> {
        found
            .get(&(kind, lockfile))
            .map(|m| m.values().flatten().cloned().collect())
            .unwrap_or_default()
    };

    // Python: Flask's dist-info was whited out in a later layer.
    assert_eq!(all(PackageKind::Python, false), strings(&inv["python"]));
    let py_dir = inv["python_paths"][0].as_str().unwrap();
    assert!(
        found[&(PackageKind::Python, false)]
            .keys()
            .all(|k| k.starts_with(py_dir))
    );

    // npm: left-pad went with the opaque /app/plugins; the web lockfile lists the same set.
    assert_eq!(all(PackageKind::Npm, false), strings(&inv["npm"]));
    let locks: BTreeSet<String> = found[&(PackageKind::Npm, true)].keys().cloned().collect();
    assert_eq!(locks, strings(&inv["npm_lockfiles"]));
    assert_eq!(all(PackageKind::Npm, true), strings(&inv["npm"]));

    // Jars: exactly the pom.properties coordinates, per file.
    let jars = &found[&(PackageKind::Maven, false)];
    let want: BTreeMap<String, BTreeSet<String>> = inv["jars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["path"].as_str().unwrap().to_owned(), strings(&j["maven"])))
        .collect();
    assert_eq!(jars, &want);

    // Go: the main module is `(devel)` and there are no deps, so only the toolchain.
    let go = &found[&(PackageKind::Go, false)];
    let want: BTreeMap<String, BTreeSet<String>> = inv["go_binaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            assert_eq!(b["main"]["version"], "(devel)");
            let mut s: BTreeSet<String> = b["deps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    format!(
                        "{}@{}",
                        d["path"].as_str().unwrap(),
                        d["version"].as_str().unwrap()
                    )
                })
                .collect();
            s.insert(format!(
                "stdlib@{}",
                b["go"].as_str().unwrap().trim_start_matches("go")
            ));
            (b["path"].as_str().unwrap().to_owned(), s)
        })
        .collect();
    assert_eq!(go, &want);

    // Rust: the auditable binary's crates plus its root crate; the lockfile separately.
    let rust = &found[&(PackageKind::Cargo, false)];
    let want: BTreeMap<String, BTreeSet<String>> = inv["rust_binaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let mut s = strings(&b["crates"]);
            s.insert(b["root"].as_str().unwrap().to_owned());
            (b["path"].as_str().unwrap().to_owned(), s)
        })
        .collect();
    assert_eq!(rust, &want);
    let lock = &found[&(PackageKind::Cargo, true)];
    let want: BTreeMap<String, BTreeSet<String>> = inv["cargo_lockfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["path"].as_str().unwrap().to_owned(),
                strings(&l["packages"]),
            )
        })
        .collect();
    assert_eq!(lock, &want);

    // The OS analyzers still see the same image.
    let dpkg: BTreeSet<String> = found[&(PackageKind::Dpkg, false)]
        .values()
        .flatten()
        .map(|s| s.replacen('@', "=", 1))
        .collect();
    assert_eq!(dpkg, strings(&inv["dpkg"]));
}

/// Runs every analyzer that can stream over each file both ways and returns the pairs.
struct BothWays(Vec<Box<dyn Analyzer>>);

impl FileHandler for BothWays {
    type Output = Vec<(String, Result<Analysis, String>, Result<Analysis, String>)>;

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.0
            .iter()
            .any(|a| a.wants(path, size, mode) && a.stream(path).is_some())
    }

    fn handle(&self, path: &str, content: &[u8], mode: u32) -> Self::Output {
        let size = content.len() as u64;
        self.0
            .iter()
            .filter(|a| a.wants(path, size, mode))
            .filter_map(|a| {
                let mut state = a.stream(path)?;
                for chunk in content.chunks(drydock_inventory::STREAM_CHUNK) {
                    state.feed(chunk);
                }
                let streamed = state.finish().map_err(|e| e.to_string());
                Some((
                    a.name().to_owned(),
                    a.analyze(path, content).map_err(|e| e.to_string()),
                    streamed,
                ))
            })
            .collect()
    }
}

/// The bounded-memory stream readers (used for files over STREAM_THRESHOLD) find exactly
/// what the whole-file readers find, on the real Go and `cargo auditable` binaries.
#[test]
fn stream_readers_agree_with_whole_file_readers() {
    let Some(corpus) = need(Need::Corpus) else {
        return;
    };
    let image_path = corpus.join("debian-app/oci");
    let image = Image::open(&ImageRef::parse_local(&image_path), &OpenOptions::default()).unwrap();
    let walked = image
        .walk(&BothWays(all_analyzers()), &WalkOptions::default(), &|_| {})
        .unwrap();
    let mut with_packages = 0;
    for (path, _, pairs) in walked.current() {
        for (name, whole, streamed) in pairs {
            assert_eq!(whole, streamed, "{name} on {path}");
            with_packages += usize::from(whole.as_ref().is_ok_and(|a| !a.packages.is_empty()));
        }
    }
    assert!(
        with_packages >= 2,
        "expected go-hello and rust-hello to yield packages ({with_packages})"
    );
}
