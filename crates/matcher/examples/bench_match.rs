//! Times `match_packages` for 10,000 packages against a full database.
//!
//! Build a full DB once from the shared OSV mirror (takes a while):
//!   cargo run --release -p drydock-matcher --example bench_match -- build ../shared/vulndata/osv target/drydock-fulldb
//! Then time matching:
//!   cargo run --release -p drydock-matcher --example bench_match -- run target/drydock-fulldb/db.sqlite
//!
//! The package set mixes real names that have advisories (Alpine 3.20 OS packages and
//! PyPI/npm/Go/crates.io/RubyGems/Packagist libraries) at many versions with names that
//! have none, as in a real image where most packages are clean.

use std::path::Path;
use std::time::Instant;

use drydock_matcher::Matcher;
use drydock_model::{OsInfo, Package, PackageKind};
use drydock_vulndb::{Db, UpdateOptions, update};

const N: usize = 10_000;

const ALPINE: &[&str] = &[
    "openssl",
    "musl",
    "busybox",
    "apk-tools",
    "curl",
    "zlib",
    "expat",
    "libxml2",
    "sqlite",
    "openssh",
    "git",
    "python3",
    "perl",
    "nginx",
    "libpng",
    "tiff",
    "krb5",
    "gnutls",
    "xz",
    "ncurses",
];
const APPS: &[(PackageKind, &str)] = &[
    (PackageKind::Python, "django"),
    (PackageKind::Python, "requests"),
    (PackageKind::Python, "urllib3"),
    (PackageKind::Python, "Jinja2"),
    (PackageKind::Python, "PyYAML"),
    (PackageKind::Python, "pillow"),
    (PackageKind::Python, "tensorflow"),
    (PackageKind::Python, "cryptography"),
    (PackageKind::Npm, "lodash"),
    (PackageKind::Npm, "express"),
    (PackageKind::Npm, "jquery"),
    (PackageKind::Go, "stdlib"),
    (PackageKind::Go, "golang.org/x/net"),
    (PackageKind::Go, "golang.org/x/crypto"),
    (PackageKind::Go, "github.com/gin-gonic/gin"),
    (PackageKind::Cargo, "regex"),
    (PackageKind::Cargo, "smallvec"),
    (PackageKind::Cargo, "tokio"),
    (PackageKind::Gem, "rails"),
    (PackageKind::Gem, "nokogiri"),
    (PackageKind::Composer, "symfony/http-kernel"),
    (PackageKind::Composer, "laravel/framework"),
];

fn pkg(kind: PackageKind, name: &str, version: String, i: usize) -> Package {
    Package {
        kind,
        name: name.into(),
        version: version.into(),
        arch: None,
        source_name: None,
        source_version: None,
        licenses: Box::default(),
        files: Box::default(),
        location: format!("loc/{i}").into(),
        layer: None,
        purl: None,
        dev: false,
        lockfile: false,
        indirect: false,
        confidence: None,
    }
}

/// `vulnerable_share` of every 20 packages use real advisory-bearing names at assorted
/// (often old, so affected) versions; the rest are distinct names without advisories.
fn packages(vulnerable_share: usize) -> Vec<Package> {
    let mut out = Vec::with_capacity(N);
    let mut i = 0;
    while out.len() < N {
        if i % 20 >= vulnerable_share {
            out.push(pkg(
                PackageKind::Npm,
                &format!("clean-module-{i}"),
                "1.0.0".into(),
                i,
            ));
            i += 1;
            continue;
        }
        let (a, b, c) = (i % 7, (i / 7) % 23, (i / 161) % 11);
        let p = match i % 4 {
            0 => pkg(
                PackageKind::Apk,
                ALPINE[i / 4 % ALPINE.len()],
                format!("{}.{b}.{c}-r{a}", a + 1),
                i,
            ),
            1 | 2 => {
                let (kind, name) = APPS[i % APPS.len()];
                pkg(kind, name, format!("{a}.{b}.{c}"), i)
            }
            // Names without advisories: each costs one (empty) lookup.
            _ => pkg(
                PackageKind::Npm,
                &format!("clean-module-{i}"),
                "1.0.0".into(),
                i,
            ),
        };
        out.push(p);
        i += 1;
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["build", mirror, cache] => {
            let r = update(&UpdateOptions::new(*mirror, *cache))?;
            println!("built {} in {:?}", r.db_path.display(), r.elapsed);
        }
        ["run", db] => {
            let os = OsInfo {
                eol: Some(false),
                ..OsInfo::new("alpine", "3.20.3")
            };
            for (label, share) in [("stress (75% vulnerable names)", 15), ("typical (5%)", 1)] {
                let pkgs = packages(share);
                println!("{label}:");
                for round in 0..3 {
                    let t = Instant::now();
                    let r = drydock_matcher::match_packages(
                        Db::open(Path::new(db))?,
                        Some(&os),
                        &pkgs,
                    )?;
                    println!(
                        "round {round}: {} packages -> {} findings, {} warnings, {} not covered in {:?}",
                        pkgs.len(),
                        r.findings.len(),
                        r.warnings.len(),
                        r.not_covered.len(),
                        t.elapsed()
                    );
                }
            }
        }
        ["repeat", db, n] => {
            // One inventory matched n times: a fresh matcher each time (what every scan
            // paid before matchers were long-lived) against one long-lived matcher.
            let n: u32 = n.parse()?;
            let os = OsInfo {
                eol: Some(false),
                ..OsInfo::new("alpine", "3.20.3")
            };
            let pkgs = packages(1);
            let t = Instant::now();
            for _ in 0..n {
                drydock_matcher::match_packages(Db::open(Path::new(db))?, Some(&os), &pkgs)?;
            }
            let fresh = t.elapsed() / n;
            let matcher = Matcher::new(Db::open(Path::new(db))?);
            let t = Instant::now();
            for _ in 0..n {
                matcher.match_packages(Some(&os), &pkgs)?;
            }
            let kept = t.elapsed() / n;
            println!(
                "{} packages x {n}: fresh matcher {fresh:?} per inventory, long-lived matcher {kept:?} per inventory",
                pkgs.len()
            );
        }
        _ => {
            eprintln!(
                "usage: bench_match build <osv mirror> <cache dir> | run <db.sqlite> | repeat <db.sqlite> <n>"
            );
            std::process::exit(2);
        }
    }
    Ok(())
}
