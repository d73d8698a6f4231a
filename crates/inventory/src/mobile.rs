//! Mobile and Apple ecosystems: Dart/Flutter `pubspec.lock`, SwiftPM `Package.resolved`
//! and CocoaPods `Podfile.lock`. The two YAML files are read line by line: each needs only
//! entry keys at one indent and a few scalar fields below them.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde_json::Value;

pub struct PubspecLockAnalyzer;

pub struct SwiftResolvedAnalyzer;

pub struct PodfileLockAnalyzer;

fn file_is(path: &str, name: &str) -> bool {
    path.rsplit('/').next() == Some(name)
}

impl Analyzer for PubspecLockAnalyzer {
    fn name(&self) -> &'static str {
        "pubspec-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        file_is(path, "pubspec.lock")
    }

    /// `packages:` maps each name to `dependency`, `source` and `version`; `sdk` packages
    /// (flutter, flutter_test) come with the SDK and carry a placeholder version.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        if !text
            .lines()
            .any(|l| l == "packages:" || l == "packages: {}")
        {
            return Err(AnalyzeError::new(path, "no `packages` map"));
        }
        struct Entry<'a> {
            name: &'a str,
            version: Option<&'a str>,
            sdk: bool,
            dev: bool,
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut in_packages = false;
        for line in text.lines() {
            if !line.starts_with(' ') && !line.is_empty() {
                in_packages = line == "packages:";
                continue;
            }
            if !in_packages {
                continue;
            }
            if let Some(key) = line.strip_prefix("  ").filter(|k| !k.starts_with(' ')) {
                let name = key.strip_suffix(':').unwrap_or(key).trim_matches('"');
                entries.push(Entry {
                    name,
                    version: None,
                    sdk: false,
                    dev: false,
                });
            } else if let (Some(field), Some(e)) = (
                line.strip_prefix("    ").filter(|f| !f.starts_with(' ')),
                entries.last_mut(),
            ) {
                let (k, v) = field.split_once(':').unwrap_or((field, ""));
                let v = v.trim().trim_matches('"');
                match k {
                    "version" => e.version = Some(v),
                    "source" => e.sdk = v == "sdk",
                    "dependency" => e.dev = v == "direct dev",
                    _ => {}
                }
            }
        }
        let packages = entries
            .iter()
            .filter(|e| !e.sdk)
            .filter_map(|e| {
                let mut p = Package::locked(PackageKind::Pub, e.name, e.version?, path);
                p.dev = e.dev;
                Some(p)
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for SwiftResolvedAnalyzer {
    fn name(&self) -> &'static str {
        "swift-resolved"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        file_is(path, "Package.resolved")
    }

    /// Version 1 nests `pins` under `object` and names the URL `repositoryURL`; versions 2
    /// and 3 put `pins` at the top with `location`. Pins to a branch or revision only have
    /// no version to report.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let pins = doc
            .get("pins")
            .or_else(|| doc.pointer("/object/pins"))
            .and_then(Value::as_array)
            .ok_or_else(|| AnalyzeError::new(path, "no `pins` array"))?;
        let packages = pins
            .iter()
            .filter_map(|pin| {
                let url = pin
                    .get("location")
                    .or_else(|| pin.get("repositoryURL"))
                    .and_then(Value::as_str)?;
                let version = pin.pointer("/state/version").and_then(Value::as_str)?;
                Some(Package::locked(
                    PackageKind::Swift,
                    &swift_identity(url)?,
                    version,
                    path,
                ))
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

/// `https://github.com/apple/swift-nio.git` or `git@github.com:apple/swift-nio.git` →
/// `github.com/apple/swift-nio`, the package name OSV's SwiftURL ecosystem uses.
fn swift_identity(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.rsplit_once('@').map_or(rest, |(_, r)| r).to_owned(),
        None => url.split_once('@')?.1.replacen(':', "/", 1),
    };
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    rest.contains('/').then(|| rest.to_owned())
}

impl Analyzer for PodfileLockAnalyzer {
    fn name(&self) -> &'static str {
        "podfile-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        file_is(path, "Podfile.lock")
    }

    /// `PODS:` lists `- Name (version)` at two spaces (their own dependencies follow at
    /// four); subspecs (`GoogleUtilities/Environment`) are listed as written.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        if !text.lines().any(|l| l == "PODS:") {
            return Err(AnalyzeError::new(path, "no `PODS` list"));
        }
        let mut packages = Vec::new();
        let mut in_pods = false;
        for line in text.lines() {
            if !line.starts_with(' ') && !line.is_empty() {
                in_pods = line == "PODS:";
                continue;
            }
            let Some(item) = line.strip_prefix("  - ").filter(|_| in_pods) else {
                continue;
            };
            let item = item.trim_end_matches(':').trim_matches('"');
            if let Some((name, version)) = item.strip_suffix(')').and_then(|i| i.rsplit_once(" ("))
            {
                packages.push(Package::locked(PackageKind::CocoaPods, name, version, path));
            }
        }
        Ok(Analysis::of(packages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swift_identities() {
        for (url, id) in [
            (
                "https://github.com/apple/swift-nio.git",
                "github.com/apple/swift-nio",
            ),
            ("https://github.com/vapor/vapor", "github.com/vapor/vapor"),
            (
                "git@github.com:apple/swift-log.git",
                "github.com/apple/swift-log",
            ),
            ("ssh://git@gitlab.com/a/b.git/", "gitlab.com/a/b"),
        ] {
            assert_eq!(swift_identity(url).as_deref(), Some(id), "{url}");
        }
        assert_eq!(swift_identity("nonsense"), None);
    }

    #[test]
    fn bad_files_are_errors_naming_them() {
        for (a, p, bytes) in [
            (
                &PubspecLockAnalyzer as &dyn Analyzer,
                "a/pubspec.lock",
                &b"sdks:\n"[..],
            ),
            (
                &SwiftResolvedAnalyzer,
                "a/Package.resolved",
                b"{\"version\": 2}",
            ),
            (&PodfileLockAnalyzer, "a/Podfile.lock", b"COCOAPODS: 1.0\n"),
        ] {
            assert_eq!(a.analyze(p, bytes).unwrap_err().path, p);
        }
    }
}
