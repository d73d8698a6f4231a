//! .NET: `*.deps.json`, which the SDK writes next to every published app and which lists
//! each NuGet package the app loads as `libraries["Name/Version"]` with `type: package`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct DotnetDepsAnalyzer;

impl Analyzer for DotnetDepsAnalyzer {
    fn name(&self) -> &'static str {
        "dotnet-deps"
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.ends_with(".deps.json")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let libs = doc
            .get("libraries")
            .and_then(Value::as_object)
            .ok_or_else(|| AnalyzeError::new(path, "no `libraries` object"))?;
        let packages = libs
            .iter()
            // `project` and `reference` entries are the app itself and framework assemblies.
            .filter(|(_, lib)| lib.get("type").and_then(Value::as_str) == Some("package"))
            .filter_map(|(key, _)| key.split_once('/'))
            .filter(|(name, version)| !name.is_empty() && !version.is_empty())
            .map(|(name, version)| Package::app(PackageKind::NuGet, name, version, path))
            .collect();
        Ok(Analysis {
            packages,
            ..Analysis::default()
        })
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
        let got: Vec<(&str, &str)> = a
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
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
}
