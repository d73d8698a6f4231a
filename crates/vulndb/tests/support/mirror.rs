//! The mini mirror in testdata/vulndb/mini and how the tests read it back: copied,
//! listed and unzipped independently of the crate under test.

// Shared by vulndb.rs and feeds.rs, which each use a different subset.
#![allow(dead_code)]
use drydock_vulndb::UpdateOptions;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn mini() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vulndb/mini")
}

pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let e = e.expect("entry");
        let to = dst.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

/// Copies the vendored advisory fixture `testdata/distro-advisories/<fixture>` into the
/// mirror at `<dir>/<its file name>`, where `db update` looks for a vendor feed.
pub fn add_feed(mirror: &Path, dir: &str, fixture: &str) {
    let to = mirror.join(dir);
    std::fs::create_dir_all(&to).expect("mkdir");
    let from = mini().join("../../distro-advisories").join(fixture);
    std::fs::copy(&from, to.join(from.file_name().expect("file name"))).expect("copy");
}

pub fn ecosystems(osv: &Path) -> Vec<String> {
    std::fs::read_to_string(osv.join("ecosystems.txt"))
        .expect("ecosystems.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every `*.json` entry of a zip, parsed as generic JSON (None when unparseable or
/// lacking string `id`/`modified`, i.e. a bad record).
pub fn zip_records(zip_path: &Path) -> BTreeMap<String, Option<Value>> {
    let f = std::fs::File::open(zip_path).expect("open zip");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let name = e.name().expect("entry name").into_owned();
        let Some(id) = name.strip_suffix(".json").map(str::to_owned) else {
            continue;
        };
        let mut b = Vec::new();
        e.read_to_end(&mut b).expect("read entry");
        let v: Option<Value> = serde_json::from_slice(&b)
            .ok()
            .filter(|v: &Value| v["id"].is_string() && v["modified"].is_string());
        out.insert(id, v);
    }
    out
}

/// The matcher's OSV mirror, with no retries: the base options of the tests of a served feed.
pub fn served_opts(cache: &Path) -> UpdateOptions {
    let osv = mini().join("../../matcher/mirror/osv");
    let mut o = UpdateOptions::new(osv.to_str().expect("utf-8"), cache);
    o.retries = 0;
    o.timeout = Duration::from_secs(5);
    o
}

pub fn opts(base: String, cache: &Path) -> UpdateOptions {
    let mut o = UpdateOptions::new(base, cache);
    o.retries = 1;
    o.timeout = Duration::from_secs(5);
    o
}
