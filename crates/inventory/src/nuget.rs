//! .NET: `*.deps.json`, which the SDK writes next to every published app and which lists
//! each NuGet package the app loads as `libraries["Name/Version"]` with `type: package`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct DotnetDepsAnalyzer;

/// `packages.config` (classic NuGet: what `nuget restore` puts in `packages/`) and central
/// package management's `Directory.Packages.props` (`<PackageVersion>` items), and the
/// `Packages.props` of the older Microsoft.Build.CentralPackageVersions SDK.
pub struct NugetConfigAnalyzer;

impl Analyzer for NugetConfigAnalyzer {
    fn name(&self) -> &'static str {
        "nuget-config"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        matches!(
            path.rsplit('/').next(),
            Some("packages.config" | "Directory.Packages.props" | "Packages.props")
        )
    }

    /// `<package id version developmentDependency>` and `<PackageVersion Include Version>`
    /// (or the `<GlobalPackageReference>` every project gets). A versioned
    /// `<PackageReference>` in a props file is added to every project that imports it;
    /// `Update=` is how the CentralPackageVersions SDK pins one. MSBuild properties
    /// (`$(X)`) and ranges are not knowable from this file.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let config = path.ends_with("packages.config");
        let tags: &[(&str, &str, &str)] = if config {
            &[("package", "id", "version")]
        } else {
            &[
                ("PackageVersion", "Include", "Version"),
                ("GlobalPackageReference", "Include", "Version"),
                ("PackageReference", "Include", "Version"),
                ("PackageReference", "Update", "Version"),
            ]
        };
        if !text.contains(if config { "<packages" } else { "<Project" }) {
            return Err(AnalyzeError::new(
                path,
                if config {
                    "no <packages> element"
                } else {
                    "no <Project> element"
                },
            ));
        }
        let mut packages = Vec::new();
        for (tag, id_attr, version_attr) in tags {
            for attrs in elements(text, tag) {
                let get = |k: &str| {
                    attrs
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(k))
                        .map(|(_, v)| *v)
                };
                let (Some(id), Some(version)) = (get(id_attr), get(version_attr)) else {
                    continue;
                };
                let (id, version) = (id.trim(), version.trim());
                if id.is_empty()
                    || id.contains('$')
                    || version.is_empty()
                    || version.contains(['$', '[', '(', ',', '*'])
                {
                    continue;
                }
                let mut p = Package::locked(PackageKind::NuGet, id, version, path);
                p.dev = get("developmentDependency") == Some("true");
                packages.push(p);
            }
        }
        Ok(Analysis::of(packages))
    }
}

/// The attributes of every `<tag ...>` element in `text`, in order (no entity decoding:
/// package ids and versions have no `&`).
fn elements<'a>(text: &'a str, tag: &str) -> Vec<Vec<(&'a str, &'a str)>> {
    let mut out = Vec::new();
    let mut rest = text;
    let open = format!("<{tag}");
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        rest = after;
        if !after.starts_with(char::is_whitespace) {
            continue;
        }
        let body = after.split('>').next().unwrap_or_default();
        let mut attrs = Vec::new();
        let mut s = body;
        while let Some(eq) = s.find('=') {
            let name = s[..eq].trim();
            let value = s[eq + 1..].trim_start();
            let Some(quote) = value.chars().next().filter(|q| matches!(q, '"' | '\'')) else {
                break;
            };
            let Some(end) = value[1..].find(quote) else {
                break;
            };
            attrs.push((name, &value[1..1 + end]));
            s = &value[end + 2..];
        }
        out.push(attrs);
    }
    out
}

/// NuGet's `packages.lock.json` (`RestorePackagesWithLockFile`): per target framework, every
/// package restored, direct or transitive; `Project` entries are other projects of the solution.
pub struct NugetLockAnalyzer;

impl Analyzer for NugetLockAnalyzer {
    fn name(&self) -> &'static str {
        "nuget-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == "packages.lock.json" || path.ends_with("/packages.lock.json")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let targets = doc
            .get("dependencies")
            .and_then(Value::as_object)
            .ok_or_else(|| AnalyzeError::new(path, "no `dependencies` object"))?;
        let mut seen = std::collections::BTreeSet::new();
        for deps in targets.values() {
            let deps = deps
                .as_object()
                .ok_or_else(|| AnalyzeError::new(path, "a target framework is not an object"))?;
            for (name, entry) in deps {
                if entry.get("type").and_then(Value::as_str) == Some("Project") {
                    continue;
                }
                if let Some(v) = entry.get("resolved").and_then(Value::as_str) {
                    seen.insert((name.as_str(), v));
                }
            }
        }
        let packages = seen
            .into_iter()
            .map(|(name, version)| Package::locked(PackageKind::NuGet, name, version, path))
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for DotnetDepsAnalyzer {
    fn name(&self) -> &'static str {
        "dotnet-deps"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.ends_with(".deps.json")
    }

    /// `package` libraries, and the `runtimepack` a self-contained app carries (the .NET
    /// runtime itself, published on NuGet as `Microsoft.NETCore.App.Runtime.<rid>`), that
    /// load something: a library whose entry in the runtime target has no `runtime`,
    /// `runtimeTargets` or `native` assets is a metapackage or build-time tool that ships
    /// no code with the app.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let libs = doc
            .get("libraries")
            .and_then(Value::as_object)
            .ok_or_else(|| AnalyzeError::new(path, "no `libraries` object"))?;
        let target = doc
            .pointer("/runtimeTarget/name")
            .and_then(Value::as_str)
            .and_then(|name| doc.get("targets")?.get(name))
            .and_then(Value::as_object);
        let ships_code = |key: &str| {
            let Some(entry) = target.and_then(|t| t.get(key)) else {
                // Not described by the runtime target: nothing says it ships nothing.
                return true;
            };
            ["runtime", "runtimeTargets", "native"].iter().any(|a| {
                entry
                    .get(a)
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
            })
        };
        let packages = libs
            .iter()
            // `project` and `reference` entries are the app itself and framework assemblies.
            .filter(|(_, lib)| {
                matches!(
                    lib.get("type").and_then(Value::as_str),
                    Some("package" | "runtimepack")
                )
            })
            .filter(|(key, _)| ships_code(key))
            .filter_map(|(key, _)| key.split_once('/'))
            .map(|(name, version)| (name.strip_prefix("runtimepack.").unwrap_or(name), version))
            .filter(|(name, version)| !name.is_empty() && !version.is_empty())
            .map(|(name, version)| Package::app(PackageKind::NuGet, name, version, path))
            .collect();
        Ok(Analysis::of(packages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_only() {
        let doc = br#"{"runtimeTarget":{"name":".NETCoreApp,Version=v6.0"},"libraries":{
            "MyApp/1.0.0":{"type":"project","serviceable":false,"sha512":""},
            "Newtonsoft.Json/13.0.1":{"type":"package","serviceable":true,"sha512":"sha512-x","path":"newtonsoft.json/13.0.1"}}}"#;
        let a = DotnetDepsAnalyzer
            .analyze("app/MyApp.deps.json", doc)
            .unwrap();
        let got: Vec<(&str, &str)> = a.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(got, [("Newtonsoft.Json", "13.0.1")]);
        assert_eq!(
            DotnetDepsAnalyzer
                .analyze("a.deps.json", b"{}")
                .unwrap_err()
                .path,
            "a.deps.json"
        );
        assert!(DotnetDepsAnalyzer.wants("app/MyApp.deps.json", 1, 0o644));
        assert!(!DotnetDepsAnalyzer.wants("app/MyApp.runtimeconfig.json", 1, 0o644));
    }

    #[test]
    fn lock_skips_projects_and_repeats() {
        let doc = br#"{"version":1,"dependencies":{
            "net8.0":{"A":{"type":"Direct","requested":"[1.0.0, )","resolved":"1.0.0"},
                      "Lib":{"type":"Project"},"B":{"type":"Transitive","resolved":"2.0.0"}},
            "net8.0/linux-x64":{"B":{"type":"Transitive","resolved":"2.0.0"}}}}"#;
        let a = NugetLockAnalyzer
            .analyze("src/packages.lock.json", doc)
            .unwrap();
        let got: Vec<(&str, &str, bool)> = a
            .packages
            .iter()
            .map(|p| (&*p.name, &*p.version, p.lockfile))
            .collect();
        assert_eq!(got, [("A", "1.0.0", true), ("B", "2.0.0", true)]);
        for bad in [
            &b"{\"dependencies\": {\"net8.0\": 3}}"[..],
            b"[]",
            b"{\"dependencies\":",
        ] {
            let e = NugetLockAnalyzer
                .analyze("p/packages.lock.json", bad)
                .unwrap_err();
            assert_eq!(e.path, "p/packages.lock.json");
        }
    }
}
