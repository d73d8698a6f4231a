//! npm: installed `node_modules/<pkg>/package.json` files and `package-lock.json` (v1
//! `dependencies` tree, v2/v3 `packages` map).

use crate::json::{Any, Entries, List, Obj, parse_manifest};
use crate::{Analysis, AnalyzeError, Analyzer, NotCovered, Package, PackageKind};
use serde::Deserialize;

/// `package.json` directly inside a package directory under `node_modules`.
pub struct NpmPackageAnalyzer;

/// `package-lock.json` and `npm-shrinkwrap.json` (the same format, which npm prefers when
/// both exist); their packages carry `lockfile: true` because in an image they usually
/// repeat what `node_modules` holds.
pub struct NpmLockAnalyzer;

impl Analyzer for NpmPackageAnalyzer {
    fn name(&self) -> &'static str {
        "npm-package"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        let Some(dir) = path.strip_suffix("/package.json") else {
            return false;
        };
        let Some((_, pkg_dir)) = dir
            .rsplit_once("node_modules/")
            .or_else(|| dir.strip_prefix("node_modules/").map(|d| ("", d)))
        else {
            return false;
        };
        // `<name>` or `@scope/<name>`; anything deeper is a file inside the package (fixtures, sub-packages).
        match pkg_dir.split_once('/') {
            None => !pkg_dir.is_empty() && !pkg_dir.starts_with('@') && pkg_dir != ".bin",
            Some((scope, name)) => {
                scope.len() > 1 && scope.starts_with('@') && !name.is_empty() && !name.contains('/')
            }
        }
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let doc: Manifest<'_> = parse_manifest(path, content)?;
        if doc.private.is_true() {
            return Ok(Analysis::default());
        }
        let (Some(name), Some(version)) = (doc.name.text(), doc.version.text()) else {
            // Stub manifests without a name or version are not installable packages.
            return Ok(Analysis::default());
        };
        let mut pkg = Package::app(PackageKind::Npm, name, version, path);
        pkg.licenses = licenses(&doc.license, &doc.licenses).into();
        Ok(Analysis {
            packages: vec![pkg],
            ..Analysis::default()
        })
    }
}

impl Analyzer for NpmLockAnalyzer {
    fn name(&self) -> &'static str {
        "npm-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        // `node_modules/.package-lock.json` is npm's cache of the installed tree, already
        // covered by the installed package.json files.
        let file = path.rsplit('/').next().unwrap_or(path);
        matches!(file, "package-lock.json" | "npm-shrinkwrap.json")
            && !path.contains("node_modules/")
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let doc: Lock<'_> = parse_manifest(path, content)?;
        let (mut packages, mut not_covered) = (Vec::new(), Vec::new());
        if let Some(map) = &doc.packages.0 {
            for (key, entry) in &map.0 {
                if let Some(p) = entry.0.as_ref().and_then(|e| lock_v2_entry(path, key, e)) {
                    packages.push(p);
                }
            }
        } else if let Some(deps) = &doc.dependencies.0 {
            lock_v1_tree(path, deps, 0, false, &mut packages, &mut not_covered)?;
        } else {
            return Err(AnalyzeError::new(
                path,
                "neither a `packages` nor a `dependencies` object",
            ));
        }
        Ok(Analysis {
            not_covered,
            ..Analysis::of(packages)
        })
    }
}

/// An installed `package.json`: only the fields read here are kept, borrowed from the file;
/// the rest (scripts, dependency ranges, READMEs) is skipped without being built.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Manifest<'a> {
    #[serde(borrow)]
    name: Any<'a>,
    #[serde(borrow)]
    version: Any<'a>,
    #[serde(borrow)]
    private: Any<'a>,
    #[serde(borrow)]
    license: Any<'a>,
    #[serde(borrow)]
    licenses: List<'a>,
}

/// `package-lock.json` as typed, borrowed entries: a 500 MB lockfile no longer becomes a
/// multi-GB `serde_json::Value` tree, only a few words per package.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Lock<'a> {
    #[serde(borrow)]
    packages: Obj<Entries<'a, Obj<LockEntry<'a>>>>,
    #[serde(borrow)]
    dependencies: Obj<V1Deps<'a>>,
}

type V1Deps<'a> = Entries<'a, Obj<V1Entry<'a>>>;

#[derive(Deserialize, Default)]
#[serde(default)]
struct LockEntry<'a> {
    #[serde(borrow)]
    name: Any<'a>,
    #[serde(borrow)]
    version: Any<'a>,
    #[serde(borrow)]
    license: Any<'a>,
    #[serde(borrow)]
    licenses: List<'a>,
    #[serde(borrow)]
    dev: Any<'a>,
    #[serde(borrow)]
    link: Any<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Entry<'a> {
    #[serde(borrow)]
    version: Any<'a>,
    #[serde(borrow)]
    dev: Any<'a>,
    #[serde(borrow)]
    dependencies: Obj<V1Deps<'a>>,
}

/// One `packages` entry. The root (`""`), workspace links and entries without a version
/// (unresolved optional deps) are not packages.
fn lock_v2_entry(path: &str, key: &str, entry: &LockEntry<'_>) -> Option<Package> {
    if key.is_empty() || entry.link.is_true() {
        return None;
    }
    let name = entry
        .name
        .text()
        .or_else(|| key.rsplit_once("node_modules/").map(|(_, n)| n))?;
    let version = entry.version.text()?;
    let mut pkg = Package::locked(PackageKind::Npm, name, version, path);
    pkg.licenses = licenses(&entry.license, &entry.licenses).into();
    pkg.dev = entry.dev.is_true();
    Some(pkg)
}

/// Lockfile v1: `dependencies: {name: {version, dev, dependencies: {...}}}`, nested where
/// npm could not hoist; what is nested under a dev-only package is dev-only too. An alias
/// (`"code-frame": {"version": "npm:@babel/code-frame@7.0.0"}`) installs the package its
/// version names. A git, `file:` or tarball dependency has its source there instead
/// (`git+ssh://...#<sha>`, `file:deps/x`): v1 never records what version that source
/// held, so it is reported as not covered rather than listed with a URL for a version.
/// Depth is bounded so a hostile file cannot exhaust the stack.
fn lock_v1_tree(
    path: &str,
    deps: &V1Deps<'_>,
    depth: usize,
    parent_dev: bool,
    out: &mut Vec<Package>,
    not_covered: &mut Vec<NotCovered>,
) -> Result<(), AnalyzeError> {
    if depth > 64 {
        return Err(AnalyzeError::new(
            path,
            "dependencies nested more than 64 deep",
        ));
    }
    for (name, entry) in &deps.0 {
        let Some(entry) = &entry.0 else {
            continue;
        };
        let dev = parent_dev || entry.dev.is_true();
        if let Some(version) = entry.version.text() {
            let (name, version) = version
                .strip_prefix("npm:")
                .and_then(|spec| {
                    let at = spec.get(1..)?.find('@')? + 1;
                    Some((spec.get(..at)?, spec.get(at + 1..)?))
                })
                .unwrap_or((name, version));
            if !version.starts_with(|c: char| c.is_ascii_digit()) || version.contains([':', '/']) {
                not_covered.push(NotCovered::new(
                    format!("/{path}!{name}"),
                    format!("lockfile v1 names its source `{version}`, not a version"),
                ));
            } else {
                let mut pkg = Package::locked(PackageKind::Npm, name, version, path);
                pkg.dev = dev;
                out.push(pkg);
            }
        }
        if let Some(nested) = &entry.dependencies.0 {
            lock_v1_tree(path, nested, depth + 1, dev, out, not_covered)?;
        }
    }
    Ok(())
}

/// `license: "MIT"`, the legacy `license: {type}` object, or the legacy `licenses: [{type}]` array.
fn licenses(license: &Any<'_>, list: &List<'_>) -> Vec<String> {
    if let Some(l) = license.text_or_type() {
        return vec![l.to_owned()];
    }
    list.0
        .iter()
        .filter_map(|l| l.text_or_type().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_package_dirs_only() {
        let a = NpmPackageAnalyzer;
        for p in [
            "app/web/node_modules/lodash/package.json",
            "app/web/node_modules/@babel/core/package.json",
            "app/web/node_modules/send/node_modules/ms/package.json",
            "node_modules/x/package.json",
        ] {
            assert!(a.wants(p, 100, 0o644), "{p}");
        }
        for p in [
            "app/web/package.json",
            "app/web/node_modules/lodash/fp/package.json",
            "app/web/node_modules/@babel/package.json",
            "app/web/node_modules/@babel/core/lib/package.json",
            "app/web/node_modules/package.json",
        ] {
            assert!(!a.wants(p, 100, 0o644), "{p}");
        }
        assert!(NpmLockAnalyzer.wants("app/web/package-lock.json", 1, 0o644));
        assert!(!NpmLockAnalyzer.wants("app/web/node_modules/.package-lock.json", 1, 0o644));
    }

    #[test]
    fn installed_package_json() {
        let a = NpmPackageAnalyzer;
        let r = a.analyze("n/node_modules/x/package.json", br#"{"name":"x","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}"#).unwrap();
        assert_eq!(*r.packages[0].licenses, ["MIT", "Apache-2.0"]);
        assert!(!r.packages[0].lockfile);
        let r = a
            .analyze("p", br#"{"name":"x","version":"1.0.0","private":true}"#)
            .unwrap();
        assert!(r.packages.is_empty());
        let e = a.analyze("bad/package.json", b"{\"name\":").unwrap_err();
        assert_eq!(e.path, "bad/package.json");
        assert!(a.analyze("p", b"[1]").is_err());
    }

    /// v1 layout per npm's package-lock.json documentation: nested `dependencies`, `dev` flags.
    /// (name, version, dev) of each package, sorted.
    fn sorted_triples(a: &Analysis) -> Vec<(String, String, bool)> {
        let mut got: Vec<_> = a
            .packages
            .iter()
            .map(|p| (p.name.to_string(), p.version.to_string(), p.dev))
            .collect();
        got.sort();
        got
    }

    #[test]
    fn lockfile_v1_tree() {
        // `c` sits under dev-only `b` without a flag of its own; `d` is an alias.
        let v1 =
            br#"{"name":"r","version":"1.0.0","lockfileVersion":1,"requires":true,"dependencies":{
            "a":{"version":"1.0.0","requires":{"b":"^2"}},
            "b":{"version":"2.0.0","dev":true,"dependencies":{"c":{"version":"3.0.0"}}},
            "d":{"version":"npm:@s/real@4.0.0"},
            "g":{"version":"github:o/g#0123abc","dependencies":{"h":{"version":"5.0.0"}}},
            "f":{"version":"file:deps/f"}}}"#;
        let r = NpmLockAnalyzer.analyze("package-lock.json", v1).unwrap();
        let got = sorted_triples(&r);
        assert_eq!(
            got,
            [
                ("@s/real".into(), "4.0.0".into(), false),
                ("a".into(), "1.0.0".into(), false),
                ("b".into(), "2.0.0".into(), true),
                ("c".into(), "3.0.0".into(), true),
                ("h".into(), "5.0.0".into(), false)
            ]
        );
        let skipped: Vec<&str> = r.not_covered.iter().map(|n| n.scope.as_str()).collect();
        assert_eq!(skipped, ["/package-lock.json!g", "/package-lock.json!f"]);
        assert!(r.packages.iter().all(|p| p.lockfile));
        assert!(NpmLockAnalyzer.wants("app/npm-shrinkwrap.json", 1, 0o644));
    }

    #[test]
    fn lockfile_v3_skips_root_links_and_reads_scopes() {
        let v3 = br#"{"lockfileVersion":3,"packages":{
            "":{"name":"r","version":"1.0.0"},
            "node_modules/@s/a":{"version":"1.0.0","license":"MIT"},
            "node_modules/@s/a/node_modules/b":{"version":"2.0.0","dev":true},
            "node_modules/w":{"resolved":"packages/w","link":true},
            "packages/w":{"name":"w","version":"0.1.0"}}}"#;
        let r = NpmLockAnalyzer.analyze("package-lock.json", v3).unwrap();
        let got = sorted_triples(&r);
        assert_eq!(
            got,
            [
                ("@s/a".into(), "1.0.0".into(), false),
                ("b".into(), "2.0.0".into(), true),
                ("w".into(), "0.1.0".into(), false)
            ]
        );
        assert!(NpmLockAnalyzer.analyze("package-lock.json", b"{}").is_err());
    }
}
