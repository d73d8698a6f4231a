//! Shared by the distribution tests: the fixture rootfs, the advisory fixtures imported
//! once per test binary, and the report read back as comparable sets.

// Each test file uses a different subset.
#![allow(dead_code)]
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use drydock_model::Report;
use drydock_scanner::{Matcher, ScanOptions, ScanTarget, Scanners, scan};

pub fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// The advisory fixtures as a mirror (`<ECO>/all.zip` + `modified_id.csv`), imported once.
pub fn cache_dir() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tmp");
        let mirror = tmp.path().join("mirror/osv");
        write_osv_mirror(&testdata("distro-advisories/osv"), &mirror);
        // Amazon's ALAS feeds beside the OSV folders, as a mirror lays them out.
        for release in ["2", "2023"] {
            let alas = tmp.path().join("mirror/alas").join(release);
            std::fs::create_dir_all(&alas).expect("mkdir");
            std::fs::copy(
                testdata(&format!("distro-advisories/alas/{release}/updateinfo.xml")),
                alas.join("updateinfo.xml"),
            )
            .expect("copy updateinfo.xml");
        }
        // Bottlerocket's advisories, where a mirror keeps them.
        let br = tmp.path().join("mirror/bottlerocket");
        std::fs::create_dir_all(&br).expect("mkdir");
        std::fs::copy(
            testdata("distro-advisories/bottlerocket/updateinfo.xml"),
            br.join("updateinfo.xml"),
        )
        .expect("copy updateinfo.xml");
        // Oracle's ELSA OVAL file, where a mirror keeps it.
        let oval = tmp.path().join("mirror/oval/oracle");
        std::fs::create_dir_all(&oval).expect("mkdir");
        std::fs::copy(
            testdata("distro-advisories/oval/oracle/com.oracle.elsa-all.xml"),
            oval.join("com.oracle.elsa-all.xml"),
        )
        .expect("copy com.oracle.elsa-all.xml");
        write_redhat_vex(&tmp.path().join("mirror/redhat-vex"));
        write_suse_vex(&tmp.path().join("mirror/suse-vex"));
        let cache = tmp.path().join("cache");
        let opts = drydock_vulndb::UpdateOptions::new(mirror.to_str().expect("utf8"), &cache);
        let report = drydock_vulndb::update(&opts).expect("build DB");
        assert!(report.bad_records.is_empty(), "{:?}", report.bad_records);
        tmp
    })
    .path()
    .join("cache")
}

/// `tmp/mirror/osv` holding every advisory fixture of testdata/distro-advisories/osv.
pub fn fixture_osv_mirror(tmp: &Path) {
    write_osv_mirror(&testdata("distro-advisories/osv"), &tmp.join("mirror/osv"));
}

/// `tmp/mirror/osv` holding only the Wolfi records: an OSV mirror without the
/// distribution under test, for the feeds that cover a release on their own.
pub fn wolfi_only_osv_mirror(tmp: &Path) {
    let src = tmp.join("osv-src/Wolfi");
    std::fs::create_dir_all(&src).expect("mkdir");
    for f in std::fs::read_dir(testdata("distro-advisories/osv/Wolfi")).expect("Wolfi") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, src.join(f.file_name().expect("name"))).expect("copy");
    }
    write_osv_mirror(&tmp.join("osv-src"), &tmp.join("mirror/osv"));
}

/// Lays out each folder of OSV records under `src` as a mirror ecosystem in `mirror`:
/// `<ECO>/all.zip` and `modified_id.csv`, newest first.
pub fn write_osv_mirror(src: &Path, mirror: &Path) {
    let mut ecosystems: Vec<_> = std::fs::read_dir(src)
        .expect("advisories")
        .map(|e| e.expect("entry").path())
        .collect();
    ecosystems.sort();
    for eco in ecosystems {
        let out = mirror.join(eco.file_name().expect("name"));
        std::fs::create_dir_all(&out).expect("mkdir");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(out.join("all.zip")).expect("zip"));
        let mut csv = Vec::new();
        let mut records: Vec<_> = std::fs::read_dir(&eco)
            .expect("records")
            .map(|e| e.expect("entry").path())
            .collect();
        records.sort();
        for rec in records {
            let bytes = std::fs::read(&rec).expect("record");
            let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
            let id = v["id"].as_str().expect("id");
            zip.start_file(
                format!("{id}.json"),
                zip::write::SimpleFileOptions::default(),
            )
            .expect("zip entry");
            zip.write_all(&bytes).expect("zip write");
            csv.push(format!(
                "{},{id}",
                v["modified"].as_str().expect("modified")
            ));
        }
        zip.finish().expect("zip finish");
        csv.sort();
        csv.reverse();
        std::fs::write(out.join("modified_id.csv"), csv.join("\n") + "\n").expect("csv");
    }
}

pub fn scan_distro(name: &str) -> Report {
    scan_rootfs(&testdata("distros").join(name))
}

pub fn scan_rootfs(root: &Path) -> Report {
    scan_rootfs_with(root, &cache_dir())
}

/// Scans `root` against the database in `cache`.
pub fn scan_rootfs_with(root: &Path, cache: &Path) -> Report {
    let matcher = Matcher::new(drydock_vulndb::Db::open_cache(cache).expect("open DB"));
    let opened = ScanTarget::Rootfs(root.to_owned())
        .open()
        .expect("open rootfs");
    let opts = ScanOptions {
        max_file_size: 64 << 20,
        scanners: Scanners::default(),
        matcher: Some(&matcher),
        today: "2026-12-01".into(),
        skip: drydock_scanner::SkipPaths::default(),
        progress: &|_| {},
        cache: None,
        limits: drydock_image::Limits::default(),
    };
    scan(&opened, &opts).expect("scan")
}

/// `name=version` of every OS package.
pub fn packages(r: &Report) -> BTreeSet<String> {
    r.packages
        .iter()
        .filter(|p| p.kind.is_os())
        .map(|p| format!("{}={}", p.name, p.version))
        .collect()
}

/// `package advisory-ids fixed-versions status` of every finding.
pub fn findings(r: &Report) -> BTreeSet<String> {
    r.vulnerabilities
        .iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {} [{}] {:?}",
                f.package,
                f.advisory_ids.join(","),
                f.fixed_versions.join(","),
                f.status
            )
        })
        .collect()
}

/// `advisory-id source rating` of every finding that carries a vendor rating.
pub fn vendor_ratings(r: &Report) -> BTreeSet<String> {
    r.vulnerabilities
        .iter()
        .flatten()
        .filter_map(|f| {
            let v = f.vendor_severity.as_ref()?;
            Some(format!(
                "{} {}: {}",
                f.advisory_ids.join(","),
                v.source,
                v.rating
            ))
        })
        .collect()
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Checks the ecosystem every finding came from and that nothing was left uncovered
/// besides what `allowed` names.
pub fn check_coverage(r: &Report, eco: &str) {
    for f in r.vulnerabilities.iter().flatten() {
        assert_eq!(f.ecosystem, eco, "{f:?}");
    }
    let uncovered: Vec<_> = r.not_covered.iter().filter(|n| !n.scanned).collect();
    assert!(uncovered.is_empty(), "{uncovered:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Red Hat's VEX folder as Red Hat lays it out: `archive_latest.txt` naming a `tar.zst` of
/// the `<year>/cve-*.json` documents (here those of `distro-advisories/redhat-vex/`).
pub fn write_redhat_vex(dir: &Path) {
    let name = "csaf_vex_2099-04-01.tar.zst";
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_dir_all(".", testdata("distro-advisories/redhat-vex"))
        .expect("tar");
    let tar = tar.into_inner().expect("tar");
    let zst = zstd::encode_all(&tar[..], 3).expect("zstd");
    std::fs::write(dir.join(name), zst).expect("write archive");
    std::fs::write(dir.join("archive_latest.txt"), format!("{name}\n")).expect("write");
}

/// SUSE's VEX archive as SUSE publishes it: `csaf-vex.tar.bz2` of `csaf-vex/cve-*.json`
/// (here the documents of `distro-advisories/suse-vex/`).
pub fn write_suse_vex(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_dir_all("csaf-vex", testdata("distro-advisories/suse-vex"))
        .expect("tar");
    let tar = tar.into_inner().expect("tar");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    bz.write_all(&tar).expect("bzip2");
    std::fs::write(dir.join("csaf-vex.tar.bz2"), bz.finish().expect("bzip2")).expect("write");
}

/// A rootfs holding `os_release` and the real SLE 15 SP3 BCI NDB database from the shared
/// images (`rpmdb/sle15-bci/Packages.db`, 35 packages), which Leap 15.3 and SLES 15 SP3
/// tests share.
pub fn sle15_bci_rootfs(images: &Path, os_release: &[u8]) -> tempfile::TempDir {
    let db = std::fs::read(images.join("rpmdb/sle15-bci/Packages.db")).expect("Packages.db");
    let root = tempfile::tempdir().expect("tmp");
    for (path, bytes) in [
        ("etc/os-release", os_release),
        ("var/lib/rpm/Packages.db", &db[..]),
    ] {
        let p = root.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    root
}

/// Puts testdata's `fixture` into the mirror in `tmp` as `feed_file` (under
/// `mirror/`), builds the database from `mirror/osv` and returns the cache dir with the
/// status of the feed called `name`.
pub fn db_with_feed_file(
    tmp: &Path,
    fixture: &str,
    feed_file: &str,
    name: &str,
) -> (PathBuf, drydock_vulndb::FeedStatus) {
    let to = tmp.join("mirror").join(feed_file);
    std::fs::create_dir_all(to.parent().expect("folder")).expect("mkdir");
    std::fs::copy(testdata(fixture), &to).expect("copy feed");
    let cache = tmp.join("cache");
    let opts =
        drydock_vulndb::UpdateOptions::new(tmp.join("mirror/osv").to_str().expect("utf8"), &cache);
    let report = drydock_vulndb::update(&opts).expect("build DB");
    assert!(report.bad_records.is_empty(), "{:?}", report.bad_records);
    let status = report
        .feeds
        .statuses
        .into_iter()
        .find(|s| s.name == name)
        .expect("feed status");
    (cache, status)
}

/// `package id [advisories] [fixed] status` of every finding, sorted; with `rating`, the
/// vendor's rating after it (`-` for none).
pub fn status_lines(r: &Report, rating: bool) -> Vec<String> {
    let mut out: Vec<String> = r
        .vulnerabilities
        .iter()
        .flatten()
        .map(|f| {
            let mut line = format!(
                "{} {} [{}] [{}] {}",
                f.package,
                f.id,
                f.advisory_ids.join(","),
                f.fixed_versions.join(","),
                f.status.as_str()
            );
            if rating {
                let v = f.vendor_severity.as_ref();
                line.push(' ');
                line.push_str(v.map_or("-", |v| v.rating.as_str()));
            }
            line
        })
        .collect();
    out.sort();
    out
}
