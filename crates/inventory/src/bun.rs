//! Bun's text lockfile `bun.lock` (Bun ≥ 1.1.39): JSON with trailing commas, whose
//! `packages` map holds `[ "name@version", registry, {deps}, integrity ]` per install path.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;
use std::collections::BTreeSet;

pub struct BunLockAnalyzer;

impl Analyzer for BunLockAnalyzer {
    fn name(&self) -> &'static str {
        "bun-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        (path == "bun.lock" || path.ends_with("/bun.lock")) && !path.contains("node_modules/")
    }

    /// The first element names what is installed, so an alias key (`code-frame`) still
    /// yields the real package (`@babel/code-frame@7.0.0`). Workspace members, links,
    /// directories and git checkouts have no registry version and are left out.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let text = crate::utf8(path, content)?;
        let doc: Value = serde_json::from_str(&without_trailing_commas(text))
            .map_err(|e| AnalyzeError::new(path, format!("invalid bun.lock: {e}")))?;
        let packages = doc
            .get("packages")
            .and_then(Value::as_object)
            .ok_or_else(|| AnalyzeError::new(path, "no `packages` object"))?;
        let mut found = BTreeSet::new();
        for entry in packages.values() {
            let Some(spec) = entry.get(0).and_then(Value::as_str) else {
                continue;
            };
            let Some(at) = spec.get(1..).and_then(|s| s.find('@')).map(|i| i + 1) else {
                continue;
            };
            let (name, version) = (&spec[..at], &spec[at + 1..]);
            if version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains(':') {
                found.insert((name, version));
            }
        }
        let packages = found
            .into_iter()
            .map(|(n, v)| Package::locked(PackageKind::Npm, n, v, path))
            .collect();
        Ok(Analysis::of(packages))
    }
}

/// JSON text with the commas that end an object or array removed (outside strings), which
/// is all that separates bun.lock from JSON.
fn without_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars = text.char_indices();
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in chars {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = text[i + 1..].trim_start().chars().next();
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::nv;

    #[test]
    fn aliases_nested_and_non_registry() {
        let lock = r#"{"lockfileVersion": 1, "workspaces": {"": {"name": "app",},},
          "packages": {
            "alias": ["@s/real@1.0.0", "", {}, "sha512-x",],
            "a/ms": ["ms@2.1.2", "", {}, "sha512-y"],
            "w": ["w@workspace:packages/w", {},],
            "g": ["g@github:o/g#abc", {}, "o-g-abc"],
            "s": ["s@1.0.0", "", {}, "a \"quoted, ]\" string"],
          },
        }"#;
        let a = BunLockAnalyzer
            .analyze("bun.lock", lock.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["@s/real@1.0.0", "ms@2.1.2", "s@1.0.0"]);
        let e = BunLockAnalyzer
            .analyze("x/bun.lock", b"{\"packages\": [}")
            .unwrap_err();
        assert_eq!(e.path, "x/bun.lock");
        assert!(!BunLockAnalyzer.wants("a/node_modules/x/bun.lock", 1, 0o644));
    }
}
