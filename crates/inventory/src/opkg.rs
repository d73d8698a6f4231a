//! OpenWrt's opkg database `usr/lib/opkg/status`: deb822 stanzas like dpkg's, one per
//! package, with `Status: install user installed` for what is on the system.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind, control};

const STATUS: &str = "usr/lib/opkg/status";

pub struct OpkgAnalyzer;

impl Analyzer for OpkgAnalyzer {
    fn name(&self) -> &'static str {
        "opkg"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == STATUS
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = String::from_utf8_lossy(content);
        let paragraphs = control::parse(&text).map_err(|m| AnalyzeError::new(path, m))?;
        let packages = paragraphs
            .iter()
            .filter(|p| {
                p.get("Status")
                    .is_some_and(|s| s.split_whitespace().nth(2) == Some("installed"))
            })
            .filter_map(|p| {
                let (name, version) = (p.get("Package")?, p.get("Version")?);
                if name.is_empty() || version.is_empty() {
                    return None;
                }
                let mut pkg = Package::app(PackageKind::Opkg, name, version, path);
                pkg.arch = p
                    .get("Architecture")
                    .filter(|a| !a.is_empty())
                    .map(Into::into);
                Some(pkg)
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_naming_the_file() {
        let e = OpkgAnalyzer.analyze(STATUS, b"\x7fELF junk\n").unwrap_err();
        assert_eq!(e.path, STATUS);
        assert!(!OpkgAnalyzer.wants("usr/lib/opkg/info/busybox.control", 1, 0o644));
    }
}
