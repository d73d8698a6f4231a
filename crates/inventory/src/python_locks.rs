//! Python lockfiles: pinned `requirements*.txt` lines, `poetry.lock`, `uv.lock` and
//! `pdm.lock` (all TOML `[[package]]` arrays), `Pipfile.lock` (JSON) and PEP 751
//! `pylock.toml` / `pylock.<name>.toml` (TOML `[[packages]]`).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde::Deserialize;
use serde_json::Value;

pub struct PythonLockAnalyzer;

#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<TomlPackage>,
}

/// PEP 751: `[[packages]]` with `name` and, for anything not from a directory or VCS
/// checkout, `version`.
#[derive(Deserialize)]
struct PyLock {
    #[serde(default)]
    packages: Vec<PyLockPackage>,
}

#[derive(Deserialize)]
struct PyLockPackage {
    name: String,
    #[serde(default)]
    version: Option<String>,
}

#[derive(Deserialize)]
struct TomlPackage {
    name: String,
    version: String,
    /// Poetry before 1.5: `main` or `dev`.
    #[serde(default)]
    category: Option<String>,
    /// uv: the project itself and its workspace members are `editable`/`virtual` sources.
    #[serde(default)]
    source: Option<toml::Table>,
}

impl Analyzer for PythonLockAnalyzer {
    fn name(&self) -> &'static str {
        "python-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    /// Requirements files are `requirements*.txt`, or any `.txt` in a `requirements/`
    /// directory (`requirements/base.txt`), where projects keep the files their
    /// `-r base.txt` lines include: each file is read on its own, so an included file
    /// is inventoried once, as itself, rather than through every file that includes it.
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        let mut parts = path.rsplit('/');
        let file = parts.next().unwrap_or(path);
        matches!(
            file,
            "poetry.lock" | "uv.lock" | "pdm.lock" | "Pipfile.lock"
        ) || is_pylock(file)
            || (file.ends_with(".txt")
                && (file.starts_with("requirements") || parts.next() == Some("requirements")))
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let file = path.rsplit('/').next().unwrap_or(path);
        let lockfile = matches!(
            file,
            "poetry.lock" | "uv.lock" | "pdm.lock" | "Pipfile.lock"
        ) || is_pylock(file);
        let decoded;
        let text = if lockfile {
            crate::utf8(path, content)?
        } else {
            decoded = requirements_text(path, content)?;
            &decoded
        };
        let found = match file {
            "Pipfile.lock" => pipfile(path, text)?,
            "poetry.lock" | "uv.lock" | "pdm.lock" => {
                let lock: TomlLock = toml::from_str(text).map_err(|e| {
                    AnalyzeError::new(path, format!("invalid {file}: {}", e.message()))
                })?;
                lock.package
                    .into_iter()
                    .filter(|p| {
                        !p.source.as_ref().is_some_and(|s| {
                            s.contains_key("editable") || s.contains_key("virtual")
                        })
                    })
                    .map(|p| (p.name, p.version, p.category.as_deref() == Some("dev")))
                    .collect()
            }
            _ if is_pylock(file) => {
                let lock: PyLock = toml::from_str(text).map_err(|e| {
                    AnalyzeError::new(path, format!("invalid {file}: {}", e.message()))
                })?;
                lock.packages
                    .into_iter()
                    .filter_map(|p| Some((p.name, p.version?, false)))
                    .collect()
            }
            _ => requirements(text),
        };
        let packages = found
            .into_iter()
            .map(|(name, version, dev)| {
                let mut p = Package::locked(PackageKind::Python, &name, &version, path);
                p.dev = dev;
                p
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

/// `default` and `develop` maps of `name: {"version": "==1.2.3", ...}`; entries pinned any
/// other way (VCS, path) have no version to report.
fn pipfile(path: &str, text: &str) -> Result<Vec<(String, String, bool)>, AnalyzeError> {
    crate::json::check_size(path, text.len())?;
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
    let mut out = Vec::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(map) = doc.get(section) else {
            continue;
        };
        let map = map
            .as_object()
            .ok_or_else(|| AnalyzeError::new(path, format!("`{section}` is not an object")))?;
        for (name, entry) in map {
            if let Some(v) = entry
                .get("version")
                .and_then(Value::as_str)
                .and_then(|v| v.strip_prefix("=="))
            {
                out.push((name.clone(), v.to_owned(), dev));
            }
        }
    }
    Ok(out)
}

/// `pylock.toml` or `pylock.<name>.toml` (PEP 751 file names).
fn is_pylock(file: &str) -> bool {
    file.strip_prefix("pylock")
        .and_then(|r| r.strip_suffix(".toml"))
        .is_some_and(|mid| mid.is_empty() || (mid.starts_with('.') && mid.len() > 1))
}

/// A requirements file's text. pip reads files with a BOM in that encoding (Windows tools
/// write UTF-16), and UTF-8 otherwise.
fn requirements_text(path: &str, content: &[u8]) -> Result<String, AnalyzeError> {
    let utf16 = |rest: &[u8], big: bool| {
        let units = rest.chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if big {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| AnalyzeError::new(path, format!("not UTF-16: {e}")))
    };
    match content {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [0xEF, 0xBB, 0xBF, rest @ ..] => crate::utf8(path, rest).map(str::to_owned),
        _ => crate::utf8(path, content).map(str::to_owned),
    }
}

/// Requirements pinned exactly, `name==1.2.3` or `name[extra] === 1.2.3`, after joining
/// `\`-continued lines and dropping comments, environment markers (`; python_version <
/// "3.8"`) and per-requirement options (`--hash=...`, `--config-settings=...`). Ranges,
/// URLs and option lines (`-r`, `-e`, `--index-url`) pin nothing; `-r`/`-c` includes are
/// read as files of their own (see [`PythonLockAnalyzer::wants`]).
fn requirements(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut logical = String::new();
    for raw in text.lines() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // pip strips comments (`#` at the start or after whitespace) before joining lines.
        let line = match raw.find('#') {
            Some(i) if i == 0 || raw[..i].ends_with([' ', '\t']) => &raw[..i],
            _ => raw,
        };
        if let Some(part) = line.strip_suffix('\\') {
            logical.push_str(part);
            continue;
        }
        logical.push_str(line);
        if let Some(pin) = pinned(&logical) {
            out.push(pin);
        }
        logical.clear();
    }
    out
}

fn pinned(line: &str) -> Option<(String, String, bool)> {
    let line = line.trim();
    if line.starts_with('-') {
        return None;
    }
    let requirement: String = line
        .split(';')
        .next()?
        .split_whitespace()
        .take_while(|token| !token.starts_with('-'))
        .collect();
    let (name, version) = requirement.split_once("==")?;
    let version = version.trim_start_matches('=');
    let name = name.split('[').next().unwrap_or_default();
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '!'))
    };
    (plain(name) && plain(version)).then(|| (name.to_owned(), version.to_owned(), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::nv;

    #[test]
    fn requirements_pins_only() {
        let r = "# c\nrequests==2.31.0 \\\n    --hash=sha256:abc\nDjango[argon2]===4.2.1 ; python_version >= \"3.8\"\nflask>=2\n-r other.txt\n-e git+https://x/y#egg=z\nnumpy==1.*\nurllib3==2.0.7  # via requests\nsix\\\n==1.16.0\nidna==3.7 --config-settings=\"--build-option=--x==1\"\n--config-settings=a==1\n    --global-option=b==2\n";
        let a = PythonLockAnalyzer
            .analyze("app/requirements-prod.txt", r.as_bytes())
            .unwrap();
        assert_eq!(
            nv(&a),
            [
                "requests@2.31.0",
                "Django@4.2.1",
                "urllib3@2.0.7",
                "six@1.16.0",
                "idna@3.7"
            ]
        );
        let utf16: Vec<u8> = "\u{feff}six==1.16.0\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let a = PythonLockAnalyzer
            .analyze("requirements.txt", &utf16)
            .unwrap();
        assert_eq!(nv(&a), ["six@1.16.0"]);
        assert!(PythonLockAnalyzer.wants("app/requirements/base.txt", 1, 0o644));
        assert!(!PythonLockAnalyzer.wants("app/docs/base.txt", 1, 0o644));
        assert!(PythonLockAnalyzer.wants("app/requirements.txt", 1, 0o644));
        assert!(!PythonLockAnalyzer.wants("app/dev-requirements.in", 1, 0o644));
    }

    #[test]
    fn poetry_categories_uv_editable_and_pipfile() {
        let poetry = "[[package]]\nname = \"pytest\"\nversion = \"7.0.0\"\ncategory = \"dev\"\n\n[[package]]\nname = \"attrs\"\nversion = \"21.4.0\"\ncategory = \"main\"\n";
        let a = PythonLockAnalyzer
            .analyze("poetry.lock", poetry.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["pytest@7.0.0 dev", "attrs@21.4.0"]);
        let uv = "version = 1\n[[package]]\nname = \"me\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"idna\"\nversion = \"3.7\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let a = PythonLockAnalyzer
            .analyze("uv.lock", uv.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["idna@3.7"]);
        let pip = br#"{"_meta":{},"default":{"six":{"version":"==1.16.0"},"x":{"git":"https://x"}},"develop":{"pytest":{"version":"==8.0.0"}}}"#;
        let a = PythonLockAnalyzer.analyze("Pipfile.lock", pip).unwrap();
        assert_eq!(nv(&a), ["six@1.16.0", "pytest@8.0.0 dev"]);
        assert!(a.packages.iter().all(|p| p.lockfile));
    }

    #[test]
    fn bad_lockfiles_are_errors_naming_the_file() {
        for (path, bytes) in [
            ("a/poetry.lock", &b"[[package]]\nname = \"x\"\n"[..]),
            ("a/uv.lock", b"[[package]]\nname = 1\nversion = \"1\"\n"),
            ("a/pdm.lock", b"[[package]\n"),
            ("a/Pipfile.lock", b"{\"default\": [1]}"),
            ("a/Pipfile.lock", b"{\"default\": "),
            ("a/requirements.txt", b"six==1.16.0\n\xff\n"),
        ] {
            let e = PythonLockAnalyzer.analyze(path, bytes).unwrap_err();
            assert_eq!(e.path, path);
        }
    }
}
