//! PHP Composer: `composer.lock` (`packages` and `packages-dev`) and what Composer records
//! as installed, `vendor/composer/installed.json` (a bare array in Composer 1, an object
//! with `packages` and `dev-package-names` in Composer 2).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct ComposerAnalyzer;

impl Analyzer for ComposerAnalyzer {
    fn name(&self) -> &'static str {
        "composer"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        is_lock(path) || path.ends_with("vendor/composer/installed.json")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let mut packages = Vec::new();
        if is_lock(path) {
            let lock = doc
                .as_object()
                .ok_or_else(|| AnalyzeError::new(path, "not a JSON object"))?;
            for (key, dev) in [("packages", false), ("packages-dev", true)] {
                let list = match lock.get(key) {
                    None | Some(Value::Null) => continue,
                    Some(Value::Array(list)) => list,
                    Some(_) => {
                        return Err(AnalyzeError::new(path, format!("`{key}` is not an array")));
                    }
                };
                for p in list {
                    packages.extend(package(path, p, dev, true));
                }
            }
        } else {
            let (list, dev_names) = match &doc {
                Value::Array(list) => (Some(list), None),
                Value::Object(o) => (
                    o.get("packages").and_then(Value::as_array),
                    o.get("dev-package-names").and_then(Value::as_array),
                ),
                _ => (None, None),
            };
            let list = list.ok_or_else(|| AnalyzeError::new(path, "no package list"))?;
            for p in list {
                let name = p.get("name").and_then(Value::as_str);
                let dev = dev_names.is_some_and(|d| d.iter().any(|n| n.as_str() == name));
                packages.extend(package(path, p, dev, false));
            }
        }
        Ok(Analysis::of(packages))
    }
}

fn is_lock(path: &str) -> bool {
    path == "composer.lock" || path.ends_with("/composer.lock")
}

/// Entries without a name or version (never written by Composer) are dropped.
fn package(path: &str, p: &Value, dev: bool, lockfile: bool) -> Option<Package> {
    let name = p
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())?;
    let version = p
        .get("version")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())?;
    let mut pkg = Package::app(PackageKind::Composer, name, version, path);
    pkg.licenses = p
        .get("license")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    pkg.dev = dev;
    pkg.lockfile = lockfile;
    Some(pkg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(a: &Analysis) -> Vec<(String, String, bool, bool)> {
        a.packages
            .iter()
            .map(|p| (p.name.to_string(), p.version.to_string(), p.dev, p.lockfile))
            .collect()
    }

    /// Layouts per the Composer docs: lock with `packages-dev`, installed.json v1 and v2.
    #[test]
    fn lock_and_installed() {
        let lock = br#"{"packages":[{"name":"monolog/monolog","version":"2.3.5","license":["MIT"]}],"packages-dev":[{"name":"phpunit/phpunit","version":"9.5.0"}]}"#;
        let a = ComposerAnalyzer.analyze("app/composer.lock", lock).unwrap();
        assert_eq!(
            summary(&a),
            [
                ("monolog/monolog".into(), "2.3.5".into(), false, true),
                ("phpunit/phpunit".into(), "9.5.0".into(), true, true)
            ]
        );
        assert_eq!(*a.packages[0].licenses, ["MIT"]);

        let v2 = br#"{"packages":[{"name":"a/b","version":"v1.0.0"},{"name":"c/d","version":"2.0.0"}],"dev":true,"dev-package-names":["c/d"]}"#;
        let a = ComposerAnalyzer
            .analyze("app/vendor/composer/installed.json", v2)
            .unwrap();
        assert_eq!(
            summary(&a),
            [
                ("a/b".into(), "v1.0.0".into(), false, false),
                ("c/d".into(), "2.0.0".into(), true, false)
            ]
        );

        let v1 = br#"[{"name":"a/b","version":"v1.0.0"}]"#;
        assert_eq!(
            ComposerAnalyzer
                .analyze("vendor/composer/installed.json", v1)
                .unwrap()
                .packages
                .len(),
            1
        );
        let e = ComposerAnalyzer
            .analyze("vendor/composer/installed.json", b"42")
            .unwrap_err();
        assert_eq!(e.path, "vendor/composer/installed.json");
        assert!(ComposerAnalyzer.analyze("composer.lock", b"{").is_err());
    }
}
