//! Lockfiles of compiled-language ecosystems: C/C++ `conan.lock` (Conan 1 graph locks and
//! Conan 2 reference lists), Elixir `mix.lock` and Julia `Manifest.toml`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct ConanLockAnalyzer;

pub struct MixLockAnalyzer;

pub struct JuliaManifestAnalyzer;

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Analyzer for ConanLockAnalyzer {
    fn name(&self) -> &'static str {
        "conan-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        file_name(path) == "conan.lock"
    }

    /// Conan 2 (`version` 0.5): `requires`, `build_requires` (tools used to build: dev) and
    /// `python_requires` as `name/version[@user/channel][#revision][%time]` strings.
    /// Conan 1 (0.4): `graph_lock.nodes` with one `ref` per node (the root has none) and a
    /// `context` of `build` for tools.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let mut refs: Vec<(&str, bool)> = Vec::new();
        if let Some(nodes) = doc.pointer("/graph_lock/nodes").and_then(Value::as_object) {
            for node in nodes.values() {
                if let Some(r) = node.get("ref").and_then(Value::as_str) {
                    let build = node.get("context").and_then(Value::as_str) == Some("build");
                    refs.push((r, build));
                }
            }
        } else if doc.get("requires").is_some() {
            for (key, dev) in [
                ("requires", false),
                ("build_requires", true),
                ("python_requires", true),
            ] {
                let list = doc.get(key).and_then(Value::as_array).into_iter().flatten();
                refs.extend(list.filter_map(Value::as_str).map(|r| (r, dev)));
            }
        } else {
            return Err(AnalyzeError::new(
                path,
                "neither `graph_lock.nodes` nor `requires`",
            ));
        }
        let packages = refs
            .into_iter()
            .filter_map(|(r, dev)| {
                let r = r.split(['#', '%', '@']).next()?;
                let (name, version) = r.split_once('/')?;
                let mut p = Package::locked(PackageKind::Conan, name, version, path);
                p.dev = dev;
                Some(p).filter(|_| !name.is_empty() && !version.is_empty())
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for MixLockAnalyzer {
    fn name(&self) -> &'static str {
        "mix-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        file_name(path) == "mix.lock"
    }

    /// An Elixir map, one entry a line: `"plug": {:hex, :plug, "1.14.0", "<hash>", ...}`.
    /// The atom after `:hex` is the package's name on Hex (the key is the app name, which
    /// may differ); `:git` and `:path` dependencies have no Hex version.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        if !text.trim_start().starts_with("%{") {
            return Err(AnalyzeError::new(path, "not an Elixir map (`%{`)"));
        }
        let packages = text
            .lines()
            .filter_map(|line| {
                let (_, tuple) = line.split_once(": {:hex, :")?;
                let (name, rest) = tuple.split_once(',')?;
                let version = rest.trim_start().strip_prefix('"')?.split('"').next()?;
                let name = name.trim().trim_matches('"');
                Some(Package::locked(PackageKind::Hex, name, version, path))
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for JuliaManifestAnalyzer {
    fn name(&self) -> &'static str {
        "julia-manifest"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        let f = file_name(path);
        // `JuliaManifest.toml` and `Manifest-v1.11.toml` are the other names Pkg reads.
        f == "Manifest.toml"
            || f == "JuliaManifest.toml"
            || (f.starts_with("Manifest-v") && f.ends_with(".toml"))
    }

    /// Format 2.0 lists packages under `[[deps.Name]]`; the older format puts `[[Name]]`
    /// at the top level. Standard libraries ship with Julia and have no `version`.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let doc: toml::Table = toml::from_str(text)
            .map_err(|e| AnalyzeError::new(path, format!("invalid TOML: {}", e.message())))?;
        let deps = match doc.get("deps").and_then(toml::Value::as_table) {
            Some(deps) if doc.contains_key("manifest_format") => deps,
            _ => &doc,
        };
        let mut packages = Vec::new();
        for (name, entries) in deps {
            for entry in entries.as_array().into_iter().flatten() {
                if let Some(v) = entry.get("version").and_then(toml::Value::as_str) {
                    packages.push(Package::locked(PackageKind::Julia, name, v, path));
                }
            }
        }
        Ok(Analysis::of(packages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_are_errors_naming_them() {
        for (a, p, bytes) in [
            (
                &ConanLockAnalyzer as &dyn Analyzer,
                "a/conan.lock",
                &b"{}"[..],
            ),
            (&ConanLockAnalyzer, "a/conan.lock", b"{"),
            (&MixLockAnalyzer, "a/mix.lock", b"[1]"),
            (&JuliaManifestAnalyzer, "a/Manifest.toml", b"[[x]"),
        ] {
            assert_eq!(a.analyze(p, bytes).unwrap_err().path, p);
        }
    }
}
