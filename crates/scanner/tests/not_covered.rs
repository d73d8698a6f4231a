//! What a scan skips on a hostile or oversized filesystem is listed in `not_covered`, never
//! passed over as if it had been read: files too large for the secret scanner, jars nested
//! past the depth limit, JSON manifests over their size limit. Lockfiles, whose packages an
//! image scan discards, are not parsed there at all.

use drydock_model::{NotCovered, Report};
use drydock_scanner::{ScanOptions, ScanTarget, Scanners, SkipPaths, scan};
use std::io::Write;
use std::path::Path;

fn scan_dir(target: ScanTarget, secret: bool) -> Report {
    let opened = target.open().unwrap();
    let opts = ScanOptions {
        max_file_size: 512 << 20,
        limits: drydock_image::Limits::default(),
        scanners: Scanners {
            secret,
            ..Scanners::default()
        },
        matcher: None,
        today: "2026-12-02".into(),
        skip: SkipPaths::default(),
        progress: &|_| {},
        cache: None,
    };
    scan(&opened, &opts).unwrap()
}

fn write(root: &Path, rel: &str, content: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn zip(name: &str, content: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(content).unwrap();
    w.finish().unwrap().into_inner()
}

fn covered_paths(report: &Report) -> Vec<&NotCovered> {
    report
        .not_covered
        .iter()
        .filter(|n| n.scope.starts_with('/'))
        .collect()
}

#[test]
fn oversized_text_and_deep_jars_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // 10 MiB + 1: one byte over the secret scanner's default limit.
    let big = vec![b'x'; (10 << 20) + 1];
    write(root, "app/big.log", &big);
    // As large, but binary (a NUL up front): never scanned for secrets at any size.
    let mut binary = big.clone();
    binary[100] = 0;
    write(root, "app/bigbin", &binary);
    write(root, "app/small.env", b"NOTHING=here\n");
    // app.jar > a.jar > b.jar > c.jar: c.jar is the fourth level.
    let c = zip("META-INF/MANIFEST.MF", b"Implementation-Title: c\n");
    let b = zip("lib/c.jar", &c);
    let a = zip("lib/b.jar", &b);
    write(root, "app/app.jar", &zip("lib/a.jar", &a));

    let report = scan_dir(ScanTarget::Rootfs(root.to_owned()), true);
    assert_eq!(
        covered_paths(&report),
        [
            &NotCovered::new(
                "/app/app.jar!lib/a.jar!lib/b.jar!lib/c.jar",
                "archive nested more than 3 deep; not opened"
            ),
            &NotCovered::new(
                "/app/big.log",
                "secrets: 10485761 bytes (layer 0), over the secret scanner's 10485760 byte \
                 limit; not scanned for secrets"
            ),
        ]
    );
    // Without the secret scanner nothing is missing from it.
    let report = scan_dir(ScanTarget::Rootfs(root.to_owned()), false);
    assert_eq!(covered_paths(&report).len(), 1);
}

#[test]
fn lockfiles_are_parsed_where_they_count_and_json_has_a_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "web/package-lock.json", b"{\"packages\": ");
    // A valid lockfile one byte over the JSON manifest limit.
    let limit = drydock_inventory::MAX_JSON_MANIFEST;
    assert_eq!(limit, 64 << 20);
    let mut huge = b"{\"lockfileVersion\":3,\"packages\":{},\"pad\":\"".to_vec();
    huge.resize(limit - 1, b'a');
    huge.extend_from_slice(b"\"}");
    assert_eq!(huge.len(), limit + 1);
    write(root, "api/package-lock.json", &huge);

    let source = scan_dir(ScanTarget::SourceTree(root.to_owned()), false);
    let got: Vec<(&str, &str)> = covered_paths(&source)
        .iter()
        .map(|n| (n.scope.as_str(), n.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "/api/package-lock.json");
    assert_eq!(
        got[0].1,
        format!(
            "{} bytes, over the {limit} byte limit for JSON manifests; not parsed",
            limit + 1
        )
    );
    assert_eq!(got[1].0, "/web/package-lock.json");
    assert!(got[1].1.starts_with("invalid JSON: "), "{}", got[1].1);

    // An image (here a root filesystem) reports installed packages only: the lockfiles
    // are not read, so neither can be "not covered".
    let image = scan_dir(ScanTarget::Rootfs(root.to_owned()), false);
    assert_eq!(covered_paths(&image), Vec::<&NotCovered>::new());
}

/// An rpm database whose `Packages` is a view over an endless query: the scan ends, says
/// which file it refused and why, and claims no OS packages from it.
#[test]
fn hostile_rpm_database_is_refused_and_reported() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE VIEW Packages AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
         SELECT zeroblob(1048576) AS blob FROM r;",
    )
    .unwrap();
    let db = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "var/lib/rpm/rpmdb.sqlite", &db);
    write(dir.path(), "etc/os-release", b"ID=fedora\nVERSION_ID=40\n");

    let report = scan_dir(ScanTarget::Rootfs(dir.path().to_owned()), false);
    assert!(report.packages.is_empty());
    assert_eq!(
        covered_paths(&report),
        [&NotCovered::new(
            "/var/lib/rpm/rpmdb.sqlite",
            "sqlite: Packages is a view, not a table (SQL the image defines is not run)"
        )]
    );
}
