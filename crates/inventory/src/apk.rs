//! Alpine's installed-package database, `lib/apk/db/installed`.
//!
//! Format (apk-tools `apk_db_index_read`): blank-line separated records of `X:value` lines, one
//! letter per field. `F:` opens a directory and the `R:` lines after it are files inside it.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use std::sync::Arc;

const INSTALLED: &str = "lib/apk/db/installed";

/// Reads `lib/apk/db/installed`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApkAnalyzer;

impl Analyzer for ApkAnalyzer {
    fn name(&self) -> &'static str {
        "apk"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == INSTALLED
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = String::from_utf8_lossy(content);
        let packages = parse(path, &text)?;
        Ok(Analysis::of(packages))
    }
}

#[derive(Default)]
struct Record {
    name: Option<String>,
    version: Option<String>,
    arch: Option<String>,
    origin: Option<String>,
    license: Option<String>,
    dir: String,
    files: Vec<String>,
}

impl Record {
    /// Records without a name or version (never written by apk) are dropped, not fatal.
    fn finish(self, path: &str) -> Option<Package> {
        let name = self.name.filter(|n| !n.is_empty())?;
        let version = self.version.filter(|v| !v.is_empty())?;
        let name: Arc<str> = name.into();
        let version: Arc<str> = version.into();
        Some(Package {
            kind: PackageKind::Apk,
            // apk builds every subpackage from its origin at the same version.
            source_name: Some(self.origin.map_or_else(|| Arc::clone(&name), Into::into)),
            source_version: Some(Arc::clone(&version)),
            name,
            version,
            arch: self.arch.map(Into::into),
            licenses: self.license.into_iter().collect(),
            files: self.files.into(),
            location: path.into(),
            layer: None,
            purl: None,
            dev: false,
            lockfile: false,
            indirect: false,
            confidence: None,
        })
    }
}

fn parse(path: &str, text: &str) -> Result<Vec<Package>, AnalyzeError> {
    let mut packages = Vec::new();
    let mut rec = Record::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            packages.extend(std::mem::take(&mut rec).finish(path));
            continue;
        }
        let mut chars = line.chars();
        let (Some(key), Some(':')) = (chars.next(), chars.next()) else {
            return Err(AnalyzeError::new(
                path,
                format!("line {}: expected an apk `X:value` line", index + 1),
            ));
        };
        let value = chars.as_str();
        match key {
            'P' => rec.name = Some(value.to_owned()),
            'V' => rec.version = Some(value.to_owned()),
            'A' => rec.arch = Some(value.to_owned()).filter(|v| !v.is_empty()),
            'o' => rec.origin = Some(value.to_owned()).filter(|v| !v.is_empty()),
            // Kept verbatim: newer apk writes SPDX expressions, older ones space-separated names.
            'L' => rec.license = Some(value.to_owned()).filter(|v| !v.is_empty()),
            'F' => rec.dir = value.to_owned(),
            'R' if rec.dir.is_empty() => rec.files.push(format!("/{value}")),
            'R' => rec.files.push(format!("/{}/{value}", rec.dir)),
            _ => {}
        }
    }
    packages.extend(rec.finish(path));
    Ok(packages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_exact_path() {
        assert!(ApkAnalyzer.wants("lib/apk/db/installed", 0, 0o644));
        assert!(!ApkAnalyzer.wants("lib/apk/db/installed.bak", 0, 0o644));
        assert!(!ApkAnalyzer.wants("usr/lib/apk/db/installed", 0, 0o644));
    }

    #[test]
    fn parses_fields_and_files() {
        // Hand-written in the apk format; the musl record mirrors alpine 3.10's.
        let text = "C:Q1abc=\r\nP:musl\r\nV:1.1.22-r3\r\nA:x86_64\r\nL:MIT\r\no:musl\r\nF:lib\r\nR:libc.musl-x86_64.so.1\r\na:0:0:777\r\nR:ld-musl-x86_64.so.1\r\nF:usr\r\nF:usr/lib\r\n\r\n\
P:ssl_client\nV:1.30.1-r3\nA:x86_64\nL:GPL-2.0-only\no:busybox\nF:\nR:rootfile\n\n\nV:9\n\nP:noorigin\nV:1-r0";
        let pkgs = parse(INSTALLED, text).unwrap();
        assert_eq!(pkgs.len(), 3);
        let musl = &pkgs[0];
        assert_eq!((&*musl.name, &*musl.version), ("musl", "1.1.22-r3"));
        assert_eq!(musl.arch.as_deref(), Some("x86_64"));
        assert_eq!(*musl.licenses, ["MIT"]);
        assert_eq!(
            *musl.files,
            ["/lib/libc.musl-x86_64.so.1", "/lib/ld-musl-x86_64.so.1"]
        );
        assert_eq!(pkgs[1].source_name.as_deref(), Some("busybox"));
        assert_eq!(pkgs[1].source_version.as_deref(), Some("1.30.1-r3"));
        assert_eq!(*pkgs[1].files, ["/rootfile"]);
        assert_eq!(pkgs[2].source_name.as_deref(), Some("noorigin"));
        assert!(pkgs[2].licenses.is_empty());
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse(INSTALLED, "this is not an apk database\n").is_err());
        assert!(parse(INSTALLED, "").unwrap().is_empty());
    }
}
