//! conda: the package records an environment keeps in `conda-meta/<name>-<version>-<build>.json`
//! (installed), and the pins of an `environment.yml`/`environment.yaml` (intent).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct CondaMetaAnalyzer;

pub struct CondaEnvironmentAnalyzer;

impl Analyzer for CondaMetaAnalyzer {
    fn name(&self) -> &'static str {
        "conda-meta"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        let mut parts = path.rsplit('/');
        let file = parts.next().unwrap_or(path);
        file.ends_with(".json") && parts.next() == Some("conda-meta")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let field = |k: &str| doc.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            return Err(AnalyzeError::new(path, "no `name` and `version`"));
        };
        let mut pkg = Package::app(PackageKind::Conda, name, version, path);
        pkg.licenses = field("license").map(str::to_owned).into_iter().collect();
        pkg.arch = field("subdir").map(Into::into);
        Ok(Analysis::of(vec![pkg]))
    }
}

impl Analyzer for CondaEnvironmentAnalyzer {
    fn name(&self) -> &'static str {
        "conda-environment"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        matches!(
            path.rsplit('/').next(),
            Some("environment.yml" | "environment.yaml")
        )
    }

    /// `dependencies:` items `[channel::]name=version[=build]` (or `==`) pinned to one
    /// version; ranges, wildcards and bare names pin nothing. A `pip:` sub-list holds
    /// requirement lines for PyPI packages.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        if !text.lines().any(|l| l.trim_end() == "dependencies:") {
            return Err(AnalyzeError::new(path, "no `dependencies` list"));
        }
        let mut packages = Vec::new();
        let (mut in_deps, mut pip_indent) = (false, None);
        for line in text.lines() {
            if !line.starts_with([' ', '-']) && !line.trim().is_empty() {
                in_deps = line.trim_end() == "dependencies:";
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let Some(item) = line.trim().strip_prefix("- ").filter(|_| in_deps) else {
                continue;
            };
            let item = item.split(" #").next().unwrap_or_default().trim();
            let item = item.trim_matches(['"', '\'']);
            if item == "pip:" {
                pip_indent = Some(indent);
                continue;
            }
            if pip_indent.is_some_and(|p| indent > p) {
                if let Some((name, version)) =
                    item.split_once("==").filter(|(n, v)| plain(n) && plain(v))
                {
                    packages.push(Package::locked(
                        PackageKind::Python,
                        name.trim(),
                        version.trim(),
                        path,
                    ));
                }
                continue;
            }
            pip_indent = None;
            let spec = item.rsplit_once("::").map_or(item, |(_, s)| s);
            let Some((name, rest)) = spec.split_once('=') else {
                continue;
            };
            let version = rest
                .trim_start_matches('=')
                .split('=')
                .next()
                .unwrap_or_default();
            if plain(name) && plain(version) {
                packages.push(Package::locked(PackageKind::Conda, name, version, path));
            }
        }
        Ok(Analysis::of(packages))
    }
}

/// A name or exact version: no spaces, ranges or wildcards.
fn plain(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '!'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_are_errors_naming_them() {
        let p = "opt/conda/conda-meta/x-1-0.json";
        assert_eq!(
            CondaMetaAnalyzer
                .analyze(p, b"{\"name\":1}")
                .unwrap_err()
                .path,
            p
        );
        assert_eq!(CondaMetaAnalyzer.analyze(p, b"{").unwrap_err().path, p);
        let p = "a/environment.yml";
        assert_eq!(
            CondaEnvironmentAnalyzer
                .analyze(p, b"name: x\n")
                .unwrap_err()
                .path,
            p
        );
        assert!(!CondaMetaAnalyzer.wants("opt/conda/conda-meta/history", 1, 0o644));
    }
}
