//! Installed Python distributions: `*.dist-info/METADATA` (wheels, pip) and `*.egg-info`
//! (`PKG-INFO` inside the directory, or the whole `.egg-info` as one file for old
//! setuptools installs), and `.egg` distributions (a zip file, or a directory, holding
//! `EGG-INFO/PKG-INFO`). All are email-header documents (core metadata spec).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};

pub struct PythonDistAnalyzer;

impl Analyzer for PythonDistAnalyzer {
    fn name(&self) -> &'static str {
        "python-dist"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.ends_with(".dist-info/METADATA")
            || path.ends_with(".egg-info/PKG-INFO")
            || path.ends_with(".egg-info")
            || path.ends_with(".egg/EGG-INFO/PKG-INFO")
            || path.ends_with(".egg")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let egg;
        let content = if path.ends_with(".egg") {
            egg = egg_pkg_info(content).map_err(|m| AnalyzeError::new(path, m))?;
            &egg[..]
        } else {
            content
        };
        let text = String::from_utf8_lossy(content);
        let headers = parse_headers(&text);
        let get = |key: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim())
        };
        let name = get("Name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| AnalyzeError::new(path, "no Name header"))?;
        let version = get("Version")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| AnalyzeError::new(path, "no Version header"))?;
        let mut pkg = Package::app(PackageKind::Python, name, version, path);
        pkg.licenses = licenses(&headers).into();
        Ok(Analysis {
            packages: vec![pkg],
            ..Analysis::default()
        })
    }
}

/// Metadata is far smaller than this; more is a zip bomb.
const MAX_PKG_INFO: u64 = 1 << 20;

/// `EGG-INFO/PKG-INFO` from a zipped egg.
fn egg_pkg_info(content: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(content))
        .map_err(|e| format!("not a readable egg (zip): {e}"))?;
    let mut entry = zip
        .by_name("EGG-INFO/PKG-INFO")
        .map_err(|e| format!("EGG-INFO/PKG-INFO: {e}"))?;
    let mut out = Vec::new();
    (&mut entry)
        .take(MAX_PKG_INFO + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("EGG-INFO/PKG-INFO: {e}"))?;
    if out.len() as u64 > MAX_PKG_INFO {
        return Err(format!(
            "EGG-INFO/PKG-INFO inflates past {MAX_PKG_INFO} bytes"
        ));
    }
    Ok(out)
}

/// Header fields up to the first blank line (the body is the long description). Lines that
/// start with whitespace continue the previous field, as in RFC 822.
fn parse_headers(text: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for raw in text.lines() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim(), v.trim().to_owned()));
        }
    }
    out
}

/// `License-Expression` (metadata 2.4) wins; then `License` unless it is a placeholder or a
/// whole license text; then the `License ::` trove classifiers.
fn licenses(headers: &[(&str, String)]) -> Vec<String> {
    let field = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
    };
    if let Some(expr) = field("License-Expression").filter(|e| !e.is_empty()) {
        return vec![expr.to_owned()];
    }
    if let Some(lic) = field("License")
        .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("UNKNOWN") && !l.contains('\n'))
    {
        return vec![lic.to_owned()];
    }
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Classifier"))
        .filter_map(|(_, v)| v.strip_prefix("License ::"))
        .filter_map(|v| v.rsplit("::").next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v != "OSI Approved")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_metadata_files_only() {
        let a = PythonDistAnalyzer;
        assert!(a.wants(
            "app/venv/lib/python3.11/site-packages/click-6.7.dist-info/METADATA",
            10,
            0o644
        ));
        assert!(a.wants(
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO",
            10,
            0o644
        ));
        assert!(a.wants(
            "usr/lib/python2.7/dist-packages/foo-1.0.egg-info",
            10,
            0o644
        ));
        assert!(!a.wants("site-packages/click-6.7.dist-info/RECORD", 10, 0o644));
        assert!(!a.wants("site-packages/click/METADATA", 10, 0o644));
    }

    /// Continuation lines, CRLF, the body after the blank line, and the three license sources.
    #[test]
    fn parses_metadata_with_continuations_and_classifiers() {
        let text = "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\nSummary: YAML parser\n  and emitter\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n\nName: NotThis\n";
        let a = PythonDistAnalyzer
            .analyze("x.dist-info/METADATA", text.as_bytes())
            .unwrap();
        let p = &a.packages[0];
        assert_eq!((&*p.name, &*p.version), ("PyYAML", "5.3"));
        assert_eq!(*p.licenses, ["MIT"]);
        assert_eq!(p.kind, PackageKind::Python);
        assert_eq!(&*p.location, "x.dist-info/METADATA");

        let text = "Name: certifi\r\nVersion: 2018.4.16\r\nLicense: UNKNOWN\r\nClassifier: License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)\r\n";
        let a = PythonDistAnalyzer
            .analyze("y.egg-info/PKG-INFO", text.as_bytes())
            .unwrap();
        assert_eq!(
            *a.packages[0].licenses,
            ["Mozilla Public License 2.0 (MPL 2.0)"]
        );

        let text = "Name: x\nVersion: 1\nLicense-Expression: Apache-2.0 OR MIT\nLicense: Apache\n";
        let a = PythonDistAnalyzer
            .analyze("z.dist-info/METADATA", text.as_bytes())
            .unwrap();
        assert_eq!(*a.packages[0].licenses, ["Apache-2.0 OR MIT"]);
    }

    #[test]
    fn missing_version_is_an_error_naming_the_file() {
        let err = PythonDistAnalyzer
            .analyze("bad.dist-info/METADATA", b"Name: x\n\nVersion: 1\n")
            .unwrap_err();
        assert_eq!(err.path, "bad.dist-info/METADATA");
        assert!(
            PythonDistAnalyzer
                .analyze("b.egg-info", b"\xff\xfe garbage")
                .is_err()
        );
    }
}
