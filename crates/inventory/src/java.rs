//! Java archives (`.jar/.war/.ear/.jpi/.hpi`): one package per Maven `pom.properties`
//! (shaded jars carry several), else the manifest's title and version, and the same for
//! jars nested inside (Spring Boot `BOOT-INF/lib`, `WEB-INF/lib`).

use crate::{Analysis, AnalyzeError, Analyzer, NotCovered, Package, PackageKind};
use std::io::{Cursor, Read};
use zip::ZipArchive;

pub struct JarAnalyzer;

/// Archives inside archives inside archives are opened; deeper ones are reported as not
/// covered.
const MAX_DEPTH: usize = 3;
/// Everything inflated from one top-level file, nested jars included: beyond this it is a bomb.
const MAX_INFLATED: u64 = 256 << 20;
const EXTENSIONS: [&str; 5] = [".jar", ".war", ".ear", ".jpi", ".hpi"];

impl Analyzer for JarAnalyzer {
    fn name(&self) -> &'static str {
        "jar"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        is_archive(path)
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        analyze_within(path, content, MAX_INFLATED)
    }
}

/// [`JarAnalyzer::analyze`] with an explicit inflation budget (tests use a small one).
fn analyze_within(path: &str, content: &[u8], budget: u64) -> Result<Analysis, AnalyzeError> {
    let mut walk = Walk {
        location: path,
        budget,
        packages: Vec::new(),
        not_covered: Vec::new(),
    };
    walk.archive(path, content, 1)
        .map_err(|m| AnalyzeError::new(path, m))?;
    Ok(Analysis {
        packages: walk.packages,
        not_covered: walk.not_covered,
        ..Analysis::default()
    })
}

fn is_archive(name: &str) -> bool {
    let Some(ext) = name.len().checked_sub(4).and_then(|i| name.get(i..)) else {
        return false;
    };
    EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
}

struct Walk<'a> {
    location: &'a str,
    /// Bytes still allowed to be inflated.
    budget: u64,
    packages: Vec<Package>,
    not_covered: Vec<NotCovered>,
}

impl Walk<'_> {
    /// `label` names the archive in messages (`outer.jar!BOOT-INF/lib/inner.jar`).
    fn archive(&mut self, label: &str, data: &[u8], depth: usize) -> Result<(), String> {
        let mut zip = ZipArchive::new(Cursor::new(data))
            .map_err(|e| format!("{label}: not a readable zip: {e}"))?;
        let mut poms = Vec::new();
        let mut manifest = None;
        let mut nested = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip
                .by_index(i)
                .map_err(|e| format!("{label}: entry {i}: {e}"))?;
            // Names that do not decode cannot be ones we look for.
            let Ok(name) = entry.name().map(std::borrow::Cow::into_owned) else {
                continue;
            };
            let wanted = is_pom_properties(&name)
                || name.eq_ignore_ascii_case("META-INF/MANIFEST.MF")
                || (depth < MAX_DEPTH && is_archive(&name));
            if entry.is_dir() {
                continue;
            }
            if !wanted {
                if depth >= MAX_DEPTH && is_archive(&name) {
                    self.not_covered.push(NotCovered::new(
                        format!("/{label}!{name}"),
                        format!("archive nested more than {MAX_DEPTH} deep; not opened"),
                    ));
                }
                continue;
            }
            let mut bytes = Vec::new();
            // Declared sizes can lie: the budget is enforced on what actually inflates.
            (&mut entry)
                .take(self.budget + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("{label}!{name}: {e}"))?;
            let used = bytes.len() as u64;
            if used > self.budget {
                return Err(format!(
                    "{label}!{name}: inflated contents exceed the {MAX_INFLATED} byte budget (zip bomb?)"
                ));
            }
            self.budget -= used;
            if is_pom_properties(&name) {
                poms.push(bytes);
            } else if is_archive(&name) {
                nested.push((name, bytes));
            } else {
                manifest = Some(bytes);
            }
        }
        let mut found: Vec<Package> = Vec::new();
        for p in poms
            .iter()
            .filter_map(|pom| self.pom_package(&String::from_utf8_lossy(pom)))
        {
            if !found
                .iter()
                .any(|q| q.name == p.name && q.version == p.version)
            {
                found.push(p);
            }
        }
        if found.is_empty() {
            found
                .extend(manifest.and_then(|m| self.manifest_package(&String::from_utf8_lossy(&m))));
        }
        self.packages.extend(found);
        for (name, bytes) in nested {
            self.archive(&format!("{label}!{name}"), &bytes, depth + 1)?;
        }
        Ok(())
    }

    fn pom_package(&self, text: &str) -> Option<Package> {
        let props = properties(text);
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| *v)
                .filter(|v| !v.is_empty())
        };
        let (group, artifact, version) = (get("groupId")?, get("artifactId")?, get("version")?);
        Some(Package::app(
            PackageKind::Maven,
            &format!("{group}:{artifact}"),
            version,
            self.location,
        ))
    }

    /// The title, with `Implementation-Vendor-Id` as its group when the manifest declares
    /// one (Maven's archiver writes the project's groupId there): a group is never guessed,
    /// since a wrong one makes false vulnerability matches.
    fn manifest_package(&self, text: &str) -> Option<Package> {
        let attrs = manifest_main(text);
        let get = |k: &str| {
            attrs
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let name = get("Implementation-Title").or_else(|| {
            get("Bundle-SymbolicName").map(|b| b.split(';').next().unwrap_or(b).trim())
        })?;
        let version = get("Implementation-Version").or_else(|| get("Bundle-Version"))?;
        let name = match get("Implementation-Vendor-Id").filter(|g| is_group_id(g)) {
            // A display title (`Commons Logging` under `org.apache`) is no artifactId.
            Some(group) if !name.contains([':', ' ']) => format!("{group}:{name}"),
            _ => name.to_owned(),
        };
        Some(Package::app(
            PackageKind::Maven,
            &name,
            version,
            self.location,
        ))
    }
}

/// Maven writes `META-INF/maven/<groupId>/<artifactId>/pom.properties`; other build tools
/// and repackagers put the same file elsewhere (the archive root, a shaded copy's own
/// directory). Its `groupId`/`artifactId`/`version` say what it is wherever it sits.
fn is_pom_properties(name: &str) -> bool {
    name == "pom.properties" || name.ends_with("/pom.properties")
}

/// A reverse-domain identifier (`org.jenkins-ci.plugins`), not a vendor's display name.
fn is_group_id(s: &str) -> bool {
    s.contains('.')
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        })
}

/// Java `.properties` lines `key=value` / `key: value`; `#`/`!` comments.
fn properties(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(['#', '!']))
        .filter_map(|l| l.split_once(['=', ':']))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The manifest's main section (up to the first blank line). A line starting with one space
/// continues the previous value, split at 72 bytes by the writer.
fn manifest_main(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for raw in text.lines() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            break;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push_str(cont);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::{SimpleFileOptions, ZipWriter};

    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn gav(a: &Analysis) -> Vec<String> {
        let mut v: Vec<String> = a
            .packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn shaded_nested_and_manifest_only() {
        let inner_manifest = zip(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.lo\r\n ng;singleton:=true\r\nBundle-Version: 3.1.0\r\n\r\nName: x\r\nImplementation-Title: no\r\n")]);
        // Maven's archiver with addDefaultImplementationEntries, as maven-hpi-plugin writes it.
        let vendor_manifest = zip(&[("META-INF/MANIFEST.MF", &b"Manifest-Version: 1.0\r\nImplementation-Title: structs\r\nImplementation-Version: 1.20\r\nImplementation-Vendor-Id: org.jenkins-ci.plugins\r\n"[..])]);
        let display_vendor = zip(&[("META-INF/MANIFEST.MF", &b"Implementation-Title: rt\nImplementation-Version: 1.8\nImplementation-Vendor-Id: Sun Microsystems Inc.\n"[..])]);
        // Debian's commons-logging-1.2.jar: a display title under a vendor-wide id.
        let display_title = zip(&[("META-INF/MANIFEST.MF", &b"Implementation-Title: Commons Logging\nImplementation-Vendor-Id: org.apache\nImplementation-Version: 1.2\n"[..])]);
        let loose_pom = zip(&[(
            "pom.properties",
            &b"groupId=l\nartifactId=loose\nversion=0.1\n"[..],
        )]);
        let deepest = zip(&[(
            "META-INF/maven/d/deep/pom.properties",
            b"groupId=d\nartifactId=deep\nversion=9\n",
        )]);
        let level3 = zip(&[
            ("lib/deepest.jar", &deepest),
            (
                "META-INF/maven/c/three/pom.properties",
                b"groupId=c\nartifactId=three\nversion=3\n",
            ),
        ]);
        let level2 = zip(&[("lib/level3.jar", &level3)]);
        let outer = zip(&[
            (
                "META-INF/maven/com.acme/app/pom.properties",
                b"#Generated\nversion=1.0\ngroupId=com.acme\nartifactId=app\n",
            ),
            (
                "META-INF/maven/com.google/guava/pom.properties",
                b"groupId : com.google\nartifactId: guava\nversion=31.0\n",
            ),
            ("META-INF/maven/com.acme/app/pom.xml", b"<project/>"),
            (
                "META-INF/MANIFEST.MF",
                b"Implementation-Title: ignored\nImplementation-Version: 0\n",
            ),
            ("BOOT-INF/lib/inner.jar", &inner_manifest),
            ("BOOT-INF/lib/plugin.jar", &vendor_manifest),
            ("BOOT-INF/lib/sun.jar", &display_vendor),
            ("BOOT-INF/lib/commons-logging.jar", &display_title),
            ("BOOT-INF/lib/loose.jar", &loose_pom),
            ("WEB-INF/lib/level2.jar", &level2),
        ]);
        let a = JarAnalyzer.analyze("app/app.jar", &outer).unwrap();
        // `deep` sits at depth 4 and is past the cap.
        assert_eq!(
            gav(&a),
            [
                "Commons Logging@1.2",
                "c:three@3",
                "com.acme:app@1.0",
                "com.google:guava@31.0",
                "l:loose@0.1",
                "org.example.long@3.1.0",
                "org.jenkins-ci.plugins:structs@1.20",
                "rt@1.8"
            ]
        );
        assert!(
            a.packages
                .iter()
                .all(|p| &*p.location == "app/app.jar" && p.kind == PackageKind::Maven)
        );
        // ... and is reported as not opened rather than dropped silently.
        assert_eq!(
            a.not_covered,
            [NotCovered::new(
                "/app/app.jar!WEB-INF/lib/level2.jar!lib/level3.jar!lib/deepest.jar",
                "archive nested more than 3 deep; not opened"
            )]
        );
    }

    #[test]
    fn bombs_and_garbage_are_errors_naming_the_file() {
        // Five 1 MiB manifests, each deflated to ~1 KiB, against a 4 MiB budget.
        let bomb_entry = zip(&[("META-INF/MANIFEST.MF", &vec![b'a'; 1 << 20])]);
        let layered = zip(&[
            ("a.jar", &bomb_entry),
            ("b.jar", &bomb_entry),
            ("c.jar", &bomb_entry),
            ("d.jar", &bomb_entry),
            ("e.jar", &bomb_entry),
        ]);
        assert!(layered.len() < 64 << 10);
        assert!(analyze_within("x/ok.war", &layered, 8 << 20).is_ok());
        let e = analyze_within("x/bomb.war", &layered, 4 << 20).unwrap_err();
        assert_eq!(e.path, "x/bomb.war");
        assert!(e.message.contains("zip bomb"), "{e}");
        let e = JarAnalyzer
            .analyze("x/bad.jar", b"PK\x03\x04garbage")
            .unwrap_err();
        assert_eq!(e.path, "x/bad.jar");
    }

    #[test]
    fn wants_archive_extensions() {
        assert!(JarAnalyzer.wants("app/lib/log4j-core.jar", 1, 0o644));
        assert!(JarAnalyzer.wants("srv/ROOT.WAR", 1, 0o644));
        assert!(JarAnalyzer.wants("p/x.hpi", 1, 0o644));
        assert!(!JarAnalyzer.wants("jar", 1, 0o644));
        assert!(!JarAnalyzer.wants("a/b.zip", 1, 0o644));
    }
}
