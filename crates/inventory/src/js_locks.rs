//! `yarn.lock` (classic v1 and Berry v2+) and `pnpm-lock.yaml` (v5 to v9). Both are read
//! line by line rather than with a YAML parser: each only needs entry keys at one indent
//! and a `version` line below them, and v1 yarn.lock is not YAML at all.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use std::collections::BTreeSet;

pub struct YarnLockAnalyzer;

pub struct PnpmLockAnalyzer;

impl Analyzer for YarnLockAnalyzer {
    fn name(&self) -> &'static str {
        "yarn-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        (path == "yarn.lock" || path.ends_with("/yarn.lock")) && !path.contains("node_modules/")
    }

    /// Entries are unindented `spec[, spec...]:` keys; their `version "x"` (v1) or
    /// `version: x` (Berry) line follows at two spaces. Berry's workspace entries
    /// (`@workspace:` resolutions) are the project itself, not a dependency.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let mut found = BTreeSet::new();
        let mut name: Option<&str> = None;
        let mut workspace = false;
        let mut version: Option<&str> = None;
        let mut flush = |name: Option<&str>, version: Option<&str>, workspace: bool| {
            if let (Some(n), Some(v), false) = (name, version, workspace) {
                found.insert((n.to_owned(), v.to_owned()));
            }
        };
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !line.starts_with(' ') {
                flush(name, version, workspace);
                let key = line.strip_suffix(':').ok_or_else(|| {
                    AnalyzeError::new(path, format!("unexpected line {:?}", crate::clip(line)))
                })?;
                name = (key != "__metadata").then(|| spec_name(key)).flatten();
                workspace = key.contains("@workspace:");
                version = None;
            } else if let Some(rest) = line
                .strip_prefix("  ")
                .filter(|f| !f.starts_with(' '))
                .and_then(|f| {
                    f.strip_prefix("version")
                        .or_else(|| f.strip_prefix("\"version\""))
                })
            {
                // Field names may be quoted in v1 (`"version" "3.6.0"`), which yarn accepts.
                version = Some(rest.trim_start_matches(':').trim().trim_matches('"'))
                    .filter(|v| !v.is_empty());
            }
        }
        flush(name, version, workspace);
        Ok(lock_packages(path, found))
    }
}

/// Package name of the first spec in a key: `"@babel/core@^7.0.0", ...` → `@babel/core`;
/// Berry's `lodash@npm:^4.17.21` → `lodash`. An alias (`string-width-cjs@npm:string-width@^4`)
/// installs the package after `npm:`, and that is the name advisories know.
fn spec_name(key: &str) -> Option<&str> {
    let first = key.split(", ").next()?.trim().trim_matches('"');
    let (name, range) = split_at_version(first)?;
    match range.strip_prefix("npm:").and_then(split_at_version) {
        Some((real, _)) => Some(real),
        None => Some(name),
    }
}

/// `name@rest` → (`name`, `rest`); a scope's own `@` is at index 0.
fn split_at_version(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some((spec.get(..at)?, spec.get(at + 1..)?)).filter(|(n, _)| !n.is_empty())
}

impl Analyzer for PnpmLockAnalyzer {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        (path == "pnpm-lock.yaml" || path.ends_with("/pnpm-lock.yaml"))
            && !path.contains("node_modules/")
    }

    /// Keys at two spaces under the top-level `packages:` map name one resolved package:
    /// `/name/1.0.0` (v5), `/name@1.0.0` (v6), `name@1.0.0` (v9), optionally followed by a
    /// peer-dependency suffix (`_react@18.2.0` in v5, `(react@18.2.0)` since v6). Packages
    /// not from the registry (tarballs, git, `file:`) have a URL or path for a key and
    /// carry their real `name:`/`version:` as fields of the entry, which win.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = project_document(crate::utf8(path, content)?);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("lockfileVersion:"))
            .ok_or_else(|| AnalyzeError::new(path, "no `lockfileVersion`"))?;
        // v5 keys are `/name/version`, and their peer suffix may itself contain `@`.
        let v5 = version.trim().trim_matches(['\'', '"']).starts_with('5');
        let mut entries: Vec<PnpmEntry> = Vec::new();
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
                let key = key.strip_suffix(':').unwrap_or(key);
                entries.push(PnpmEntry {
                    key: key.trim_matches(['\'', '"']),
                    ..PnpmEntry::default()
                });
            } else if let (Some(field), Some(entry)) = (
                line.strip_prefix("    ").filter(|f| !f.starts_with(' ')),
                entries.last_mut(),
            ) {
                let value = |k: &str| {
                    field
                        .strip_prefix(k)
                        .map(|v| v.trim().trim_matches(['\'', '"']))
                };
                if let Some(v) = value("name:") {
                    entry.name = Some(v);
                } else if let Some(v) = value("version:") {
                    entry.version = Some(v);
                } else if field.trim() == "dev: true" {
                    entry.dev = true;
                }
            }
        }
        // v9 drops the per-entry `dev` flag; what only devDependencies reach is dev.
        let dev_keys = if version.trim().trim_matches(['\'', '"']).starts_with('9') {
            v9_dev_only(text)
        } else {
            BTreeSet::new()
        };
        let mut found = BTreeSet::new();
        let mut dev = BTreeSet::new();
        for e in &entries {
            let resolved = match (e.name, e.version) {
                (Some(n), Some(v)) => Some((n, v)),
                // A `file:` directory: its version is whatever the directory holds.
                (Some(_), None) => None,
                (None, Some(v)) => pnpm_key(e.key, v5).map(|(n, _)| (n, v)),
                (None, None) => pnpm_key(e.key, v5),
            };
            if let Some((n, v)) = resolved.filter(|(n, v)| is_npm_name(n) && is_version(v)) {
                let id = (n.to_owned(), v.to_owned());
                if e.dev || dev_keys.contains(e.key) {
                    dev.insert(id.clone());
                }
                found.insert(id);
            }
        }
        let mut analysis = lock_packages(path, found);
        for p in &mut analysis.packages {
            p.dev = dev.contains(&(p.name.to_string(), p.version.to_string()));
        }
        Ok(analysis)
    }
}

/// The project's document of a lockfile. pnpm 11 puts its own environment (the pnpm
/// it runs as, `configDependencies`) in a first YAML document before `---`; those
/// packages are the tool, not the project, so a document whose importers declare
/// `configDependencies` or `packageManagerDependencies` is skipped. Without `---` the
/// whole text is the project's.
fn project_document(text: &str) -> &str {
    let (mut docs, mut start, mut at) = (Vec::new(), 0, 0);
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            docs.push(&text[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    docs.push(&text[start..]);
    let is_env = |doc: &str| {
        doc.lines().any(|l| {
            l.strip_prefix("    ").is_some_and(|f| {
                f.starts_with("configDependencies:") || f.starts_with("packageManagerDependencies:")
            })
        })
    };
    docs.iter()
        .copied()
        .find(|d| d.contains("lockfileVersion:") && !is_env(d))
        .unwrap_or(docs[docs.len() - 1])
}

/// Keys of lockfile v9 `packages` (peer suffix dropped) that only the importers'
/// `devDependencies` reach through the `snapshots` graph, as `pnpm list` marks them.
fn v9_dev_only(text: &str) -> BTreeSet<String> {
    // (importer section is dev, name, version) and snapshot key -> its dependencies.
    let mut roots: Vec<(bool, &str, &str)> = Vec::new();
    let mut graph: std::collections::BTreeMap<&str, Vec<(&str, &str)>> = Default::default();
    let (mut top, mut section, mut dep, mut snapshot) = ("", "", "", "");
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let field = line.trim();
        let (k, v) = field.split_once(':').unwrap_or((field, ""));
        let (k, v) = (
            k.trim_matches(['\'', '"']),
            v.trim().trim_matches(['\'', '"']),
        );
        match (top, indent) {
            (_, 0) if !field.is_empty() => top = k,
            ("importers", 4) => section = k,
            ("importers", 6) => dep = k,
            ("importers", 8) if k == "version" => {
                roots.push((section == "devDependencies", dep, v))
            }
            ("snapshots", 2) => {
                // `key:` or `key: {}`; a key may itself hold `:` (`x@file:dir`), so split
                // at the last `:` of the line.
                snapshot = field
                    .strip_suffix(": {}")
                    .or_else(|| field.strip_suffix(':'))
                    .unwrap_or(field)
                    .trim_matches(['\'', '"']);
                graph.entry(snapshot).or_default();
            }
            ("snapshots", 4) => section = k,
            ("snapshots", 6) if matches!(section, "dependencies" | "optionalDependencies") => {
                graph.entry(snapshot).or_default().push((k, v));
            }
            _ => {}
        }
    }
    // A dependency `name: version` is snapshot `name@version`; an alias names its package
    // in the version (`code-frame: '@babel/code-frame@7.0.0'`).
    let node = |name: &str, version: &str| -> String {
        if version.starts_with(|c: char| c.is_ascii_digit())
            || !version.get(1..).is_some_and(|v| v.contains('@'))
        {
            format!("{name}@{version}")
        } else {
            version.to_owned()
        }
    };
    let reach = |dev: bool| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = roots
            .iter()
            .filter(|(d, _, _)| *d == dev)
            .map(|(_, n, v)| node(n, v))
            .collect();
        while let Some(key) = todo.pop() {
            if let Some(deps) = graph.get(key.as_str()).filter(|_| !seen.contains(&key)) {
                todo.extend(deps.iter().map(|(n, v)| node(n, v)));
            }
            seen.insert(key);
        }
        seen.into_iter()
            .map(|k| k.split('(').next().unwrap_or(&k).to_owned())
            .collect()
    };
    let prod = reach(false);
    reach(true)
        .into_iter()
        .filter(|k| !prod.contains(k))
        .collect()
}

/// One `packages` entry of a pnpm lockfile: its key and the fields that identify it.
#[derive(Default)]
struct PnpmEntry<'a> {
    key: &'a str,
    name: Option<&'a str>,
    version: Option<&'a str>,
    dev: bool,
}

/// (name, version) from a registry key. A key naming another registry carries its host
/// first (`registry.example.com/foo@1.1.0`); keys that are URLs, paths or git hosts
/// (`github.com/org/repo@<sha>`) yield names that [`is_npm_name`] rejects.
fn pnpm_key(key: &str, v5: bool) -> Option<(&str, &str)> {
    let key = match key.strip_prefix('/') {
        Some(k) => k,
        None => match key.split_once('/') {
            Some((host, rest)) if host.contains('.') && !host.contains(['@', ':']) => rest,
            _ => key,
        },
    };
    let (name, version) = if v5 {
        // `name/version[_peers]`: names may hold `_` (`string_decoder`), versions may not,
        // and v5 writes a peer's `/` as `+`.
        let (name, version) = key.rsplit_once('/')?;
        (name, version.split('_').next()?)
    } else {
        // `name@version[(peers)]`; a scope's own `@` is at index 0, and a git URL after
        // the first `@` may hold more (`git+ssh://git@host/...`).
        let key = key.split('(').next()?;
        let at = key.get(1..)?.find('@')? + 1;
        (key.get(..at)?, key.get(at + 1..)?)
    };
    Some((name, version)).filter(|(n, v)| !n.is_empty() && !v.is_empty())
}

/// `name` or `@scope/name`, without path or URL characters.
fn is_npm_name(name: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    };
    match name.strip_prefix('@').map(|n| n.split_once('/')) {
        Some(Some((scope, rest))) => plain(scope) && plain(rest),
        Some(None) => false,
        None => plain(name),
    }
}

/// A released version starts with a digit (npm semver); `file:`, URLs and commit ids do not
/// (a commit id may, but is then rejected with its impossible name).
fn is_version(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_digit()) && !v.contains([':', '/'])
}

fn lock_packages(path: &str, found: BTreeSet<(String, String)>) -> Analysis {
    let packages = found
        .iter()
        .map(|(n, v)| Package::locked(PackageKind::Npm, n, v, path))
        .collect();
    Analysis {
        packages,
        ..Analysis::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::nv;

    #[test]
    fn yarn_v1_and_berry() {
        let v1 = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/x\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nlodash@^4.17.21:\n  version \"4.17.21\"\n";
        let a = YarnLockAnalyzer
            .analyze("app/yarn.lock", v1.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["@babel/code-frame@7.12.13", "lodash@4.17.21"]);
        assert!(a.packages.iter().all(|p| p.lockfile));
        let berry = "__metadata:\n  version: 8\n  cacheKey: 10\n\n\"lodash@npm:^4.17.21\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n";
        let a = YarnLockAnalyzer
            .analyze("yarn.lock", berry.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["lodash@4.17.21"]);
        let e = YarnLockAnalyzer
            .analyze("x/yarn.lock", b"lodash@^4 garbage")
            .unwrap_err();
        assert_eq!(e.path, "x/yarn.lock");
        assert!(
            YarnLockAnalyzer
                .analyze("x/yarn.lock", b"a@1:\n  version \xff\n")
                .is_err()
        );
        assert!(!YarnLockAnalyzer.wants("a/node_modules/x/yarn.lock", 1, 0o644));
    }

    #[test]
    fn pnpm_v5_v6_v9_keys() {
        let v5 = "lockfileVersion: 5.4\n\nspecifiers:\n  a: 1.0.0\n\npackages:\n\n  /@s/a/1.0.0_react@18.2.0:\n    resolution: {integrity: x}\n    dev: true\n\n  /b/2.0.0:\n    resolution: {integrity: y}\n    dev: false\n";
        let a = PnpmLockAnalyzer
            .analyze("pnpm-lock.yaml", v5.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["@s/a@1.0.0 dev", "b@2.0.0"]);
        let v9 = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      c:\n        specifier: ^3\n        version: 3.0.0\n\npackages:\n\n  '@s/c@3.0.0':\n    resolution: {integrity: z}\n\n  d@4.0.0(e@5.0.0):\n    resolution: {integrity: w}\n\nsnapshots:\n\n  '@s/c@3.0.0': {}\n";
        let a = PnpmLockAnalyzer
            .analyze("pnpm-lock.yaml", v9.as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["@s/c@3.0.0", "d@4.0.0"]);
        // pnpm 11: the environment document (pnpm itself) comes first and is not the project.
        let env = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n    packageManagerDependencies:\n      pnpm:\n        specifier: ^11\n        version: 11.9.0\n\npackages:\n\n  pnpm@11.9.0:\n    resolution: {integrity: p}\n\nsnapshots:\n\n  pnpm@11.9.0: {}\n---\n";
        let a = PnpmLockAnalyzer
            .analyze("pnpm-lock.yaml", format!("{env}{v9}").as_bytes())
            .unwrap();
        assert_eq!(nv(&a), ["@s/c@3.0.0", "d@4.0.0"]);
        let e = PnpmLockAnalyzer
            .analyze("w/pnpm-lock.yaml", b"packages:\n  /a/1.0.0:\n")
            .unwrap_err();
        assert_eq!(e.path, "w/pnpm-lock.yaml");
    }
}
