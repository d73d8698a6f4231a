//! Rust: `Cargo.lock` files (every format version shares `[[package]]`) and binaries built
//! with `cargo auditable`, which embed their dependency list as zlib-compressed JSON in an
//! ELF section named `.dep-v0`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind, elf};
use serde::Deserialize;
use std::io::Read;

pub struct CargoLockAnalyzer;

/// ELF executables carrying `cargo auditable` data (Mach-O and PE are not read yet).
pub struct CargoAuditableAnalyzer;

/// The JSON is a few hundred bytes per crate; anything past this is a decompression bomb.
const MAX_AUDIT_JSON: u64 = 8 << 20;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
}

#[derive(Deserialize)]
struct Audit {
    packages: Vec<AuditPackage>,
}

#[derive(Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
    /// `runtime` (default) or `build`: build dependencies run at compile time only.
    #[serde(default)]
    kind: Option<String>,
}

impl Analyzer for CargoLockAnalyzer {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == "Cargo.lock" || path.ends_with("/Cargo.lock")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let lock: Lock = toml::from_str(text)
            .map_err(|e| AnalyzeError::new(path, format!("invalid Cargo.lock: {}", e.message())))?;
        let packages = lock
            .package
            .iter()
            .map(|p| Package::locked(PackageKind::Cargo, &p.name, &p.version, path))
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for CargoAuditableAnalyzer {
    fn name(&self) -> &'static str {
        "cargo-auditable"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        crate::elf::may_be_program(path, size, mode)
    }

    fn stream(&self, path: &str) -> Option<Box<dyn crate::StreamAnalysis>> {
        Some(Box::new(AuditStream {
            path: path.to_owned(),
            window: elf::Window::new(None),
        }))
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        if !elf::is_elf(content) {
            return Ok(Analysis::default());
        }
        // A malformed section table on some unrelated ELF is not this analyzer's business.
        let Ok(Some(section)) = elf::section(content, ".dep-v0") else {
            return Ok(Analysis::default());
        };
        audit_packages(path, section)
    }
}

/// A large executable read in one pass: `.dep-v0` is a non-loaded section, which linkers
/// place after the loaded ones, so the kept tail holds it.
struct AuditStream {
    path: String,
    window: elf::Window,
}

impl crate::StreamAnalysis for AuditStream {
    fn feed(&mut self, chunk: &[u8]) {
        self.window.feed(chunk);
    }

    fn finish(mut self: Box<Self>) -> Result<Analysis, AnalyzeError> {
        self.window.seal();
        if !elf::Bytes::get(&self.window, 0, 4).is_some_and(elf::is_elf) {
            return Ok(Analysis::default());
        }
        match elf::section(&self.window, ".dep-v0") {
            Ok(Some(section)) => audit_packages(&self.path, section),
            Ok(None) => Ok(Analysis::default()),
            // The section exists but lies outside what was kept: say so rather than
            // report a Rust binary as having no dependencies.
            Err(m) if m.contains("parts of this large file") => Err(AnalyzeError::new(
                &self.path,
                format!("cargo auditable data: {m}"),
            )),
            Err(_) => Ok(Analysis::default()),
        }
    }
}

/// Inflates and parses a `.dep-v0` section.
fn audit_packages(path: &str, section: &[u8]) -> Result<Analysis, AnalyzeError> {
    let err = |m: String| AnalyzeError::new(path, format!("cargo auditable data: {m}"));
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(section)
        .take(MAX_AUDIT_JSON + 1)
        .read_to_end(&mut json)
        .map_err(|e| err(e.to_string()))?;
    if json.len() as u64 > MAX_AUDIT_JSON {
        return Err(err(format!("inflates past {MAX_AUDIT_JSON} bytes")));
    }
    let audit: Audit = serde_json::from_slice(&json).map_err(|e| err(e.to_string()))?;
    let packages = audit
        .packages
        .iter()
        .map(|p| {
            let mut pkg = Package::app(PackageKind::Cargo, &p.name, &p.version, path);
            pkg.dev = p.kind.as_deref() == Some("build");
            pkg
        })
        .collect();
    Ok(Analysis::of(packages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;

    /// A 64-bit little-endian ELF with sections: null, `.dep-v0` holding `payload`, `.shstrtab`.
    fn elf_with_dep(payload: &[u8]) -> Vec<u8> {
        let strtab = b"\0.dep-v0\0.shstrtab\0";
        let mut f = vec![0u8; 64];
        f[..6].copy_from_slice(b"\x7fELF\x02\x01");
        let dep_off = f.len() as u64;
        f.extend_from_slice(payload);
        let str_off = f.len() as u64;
        f.extend_from_slice(strtab);
        let shoff = f.len() as u64;
        f[0x28..0x30].copy_from_slice(&shoff.to_le_bytes());
        f[0x3A..0x3C].copy_from_slice(&64u16.to_le_bytes());
        f[0x3C..0x3E].copy_from_slice(&3u16.to_le_bytes());
        f[0x3E..0x40].copy_from_slice(&2u16.to_le_bytes());
        for (name, kind, off, size) in [
            (0u32, 0u32, 0u64, 0u64),
            (1, 1, dep_off, payload.len() as u64),
            (9, 3, str_off, strtab.len() as u64),
        ] {
            let mut sh = [0u8; 64];
            sh[..4].copy_from_slice(&name.to_le_bytes());
            sh[4..8].copy_from_slice(&kind.to_le_bytes());
            sh[24..32].copy_from_slice(&off.to_le_bytes());
            sh[32..40].copy_from_slice(&size.to_le_bytes());
            f.extend_from_slice(&sh);
        }
        f
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn auditable_section_with_build_dep() {
        // Shape from the cargo-auditable format doc (auditable-serde's `VersionInfo`).
        let json = br#"{"packages":[{"name":"app","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
            {"name":"cc","version":"1.0.0","source":"crates.io","kind":"build"},
            {"name":"regex","version":"1.5.4","source":"crates.io"}]}"#;
        let a = CargoAuditableAnalyzer
            .analyze("bin/app", &elf_with_dep(&zlib(json)))
            .unwrap();
        let got: Vec<(&str, &str, bool)> = a
            .packages
            .iter()
            .map(|p| (&*p.name, &*p.version, p.dev))
            .collect();
        assert_eq!(
            got,
            [
                ("app", "0.1.0", false),
                ("cc", "1.0.0", true),
                ("regex", "1.5.4", false)
            ]
        );
    }

    #[test]
    fn bombs_and_garbage_are_errors_naming_the_file() {
        let bomb = zlib(&vec![b' '; (MAX_AUDIT_JSON + 10) as usize]);
        let e = CargoAuditableAnalyzer
            .analyze("bin/bomb", &elf_with_dep(&bomb))
            .unwrap_err();
        assert_eq!(e.path, "bin/bomb");
        assert!(e.message.contains("inflates past"), "{e}");
        assert!(
            CargoAuditableAnalyzer
                .analyze("bin/x", &elf_with_dep(b"not zlib"))
                .is_err()
        );
        assert!(
            CargoAuditableAnalyzer
                .analyze("bin/x", &elf_with_dep(&zlib(b"{}")))
                .is_err()
        );
        // No section at all: not an auditable binary, not an error.
        assert!(
            CargoAuditableAnalyzer
                .analyze("bin/x", b"\x7fELF\x02\x01rest")
                .unwrap()
                .packages
                .is_empty()
        );
    }

    #[test]
    fn lock_errors_name_the_file() {
        let e = CargoLockAnalyzer
            .analyze("a/Cargo.lock", b"[[package]]\nname = 1\n")
            .unwrap_err();
        assert_eq!(e.path, "a/Cargo.lock");
        assert!(CargoLockAnalyzer.wants("Cargo.lock", 1, 0o644));
        assert!(!CargoLockAnalyzer.wants("a/Cargo.lock.orig", 1, 0o644));
    }
}
