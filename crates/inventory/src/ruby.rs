//! Ruby: installed gems' `specifications/[default/]<name>-<version>.gemspec` (the Ruby
//! stub RubyGems writes) and `Gemfile.lock`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};

pub struct GemspecAnalyzer;

pub struct GemfileLockAnalyzer;

impl Analyzer for GemspecAnalyzer {
    fn name(&self) -> &'static str {
        "gemspec"
    }
    fn version(&self) -> u32 {
        1
    }

    /// `specifications/<gem>.gemspec`, and `specifications/default/` where RubyGems keeps
    /// the gems that ship with Ruby itself (json, openssl, ...: they get advisories too).
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        if !path.ends_with(".gemspec") {
            return false;
        }
        let mut dirs = path.rsplit('/').skip(1);
        match dirs.next() {
            Some("specifications") => true,
            Some("default") => dirs.next() == Some("specifications"),
            _ => false,
        }
    }

    /// RubyGems writes `s.name = "rake".freeze` style assignments; the values are read as
    /// the first quoted strings, without evaluating Ruby.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = String::from_utf8_lossy(content);
        let (mut name, mut version, mut licenses) = (None, None, Vec::new());
        for line in text.lines().map(str::trim) {
            let Some((lhs, rhs)) = line.split_once('=') else {
                continue;
            };
            match lhs.trim().rsplit('.').next() {
                Some("name") if name.is_none() => name = quoted(rhs).next(),
                Some("version") if version.is_none() => version = quoted(rhs).next(),
                Some("licenses" | "license") if licenses.is_empty() => {
                    licenses = quoted(rhs).map(str::to_owned).collect()
                }
                _ => {}
            }
        }
        let name = name.ok_or_else(|| AnalyzeError::new(path, "no `name` assignment"))?;
        let version = version.ok_or_else(|| AnalyzeError::new(path, "no `version` assignment"))?;
        let mut pkg = Package::app(PackageKind::Gem, name, version, path);
        pkg.licenses = licenses.into();
        Ok(Analysis {
            packages: vec![pkg],
            ..Analysis::default()
        })
    }
}

/// The contents of each `"..."` or `'...'` in `s`, in order.
fn quoted(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let start = rest.find(['"', '\''])?;
        let q = rest.get(start..start + 1)?;
        let after = rest.get(start + 1..)?;
        let end = after.find(q)?;
        let value = after.get(..end)?;
        rest = after.get(end + 1..)?;
        Some(value)
    })
}

impl Analyzer for GemfileLockAnalyzer {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == "Gemfile.lock" || path.ends_with("/Gemfile.lock")
    }

    /// Gems are the 4-space-indented `name (version)` lines under `  specs:` in the `GEM`,
    /// `GIT` and `PATH` sections; 6-space lines are their dependency constraints.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let mut packages = Vec::new();
        let mut in_specs = false;
        for line in text.lines() {
            if !line.starts_with(' ') {
                in_specs = false;
            } else if line == "  specs:" {
                in_specs = true;
            } else if in_specs && line.starts_with("    ") && !line.starts_with("     ") {
                let Some((name, rest)) = line.trim().split_once(" (") else {
                    continue;
                };
                let Some(version) = rest.strip_suffix(')') else {
                    continue;
                };
                // `1.13.3-x86_64-linux`: RubyGems versions never contain `-`, platforms follow one.
                let version = version.split('-').next().unwrap_or(version);
                packages.push(Package::locked(PackageKind::Gem, name, version, path));
            }
        }
        Ok(Analysis::of(packages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stub format RubyGems writes (`Gem::Specification#to_ruby`).
    #[test]
    fn gemspec_stub() {
        let spec = "# -*- encoding: utf-8 -*-\n# stub: rake 13.0.6 ruby lib\n\nGem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n  s.licenses = [\"MIT\".freeze]\n  s.add_runtime_dependency(%q<x>.freeze, [\">= 0\"])\nend\n";
        let path = "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec";
        assert!(GemspecAnalyzer.wants(path, 1, 0o644));
        assert!(!GemspecAnalyzer.wants("src/rake.gemspec", 1, 0o644));
        let a = GemspecAnalyzer.analyze(path, spec.as_bytes()).unwrap();
        let p = &a.packages[0];
        assert_eq!(
            (&*p.name, &*p.version, &*p.licenses),
            ("rake", "13.0.6", ["MIT".to_owned()].as_slice())
        );
        assert_eq!(
            GemspecAnalyzer
                .analyze(path, b"s.name = 'x'\n")
                .unwrap_err()
                .path,
            path
        );
    }

    #[test]
    fn gemfile_lock_sections() {
        let lock = "GIT\n  remote: https://example.invalid/x.git\n  revision: abc\n  specs:\n    xgem (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.3-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.6.0)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri\n\nBUNDLED WITH\n   2.3.7\n";
        let a = GemfileLockAnalyzer
            .analyze("app/Gemfile.lock", lock.as_bytes())
            .unwrap();
        let got: Vec<(&str, &str)> = a.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(
            got,
            [("xgem", "0.1.0"), ("nokogiri", "1.13.3"), ("racc", "1.6.0")]
        );
        assert!(a.packages.iter().all(|p| p.lockfile));
        assert!(
            GemfileLockAnalyzer
                .analyze("Gemfile.lock", b"\xff")
                .is_err()
        );
    }
}
