//! Build files of JVM projects: Gradle's `gradle.lockfile`, sbt's `build.sbt.lock`
//! (sbt-dependency-lock) and Maven's `pom.xml` (direct dependencies only; what they pull
//! in transitively needs a resolver).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};

pub struct GradleLockAnalyzer;

pub struct PomAnalyzer;

pub struct SbtLockAnalyzer;

impl Analyzer for SbtLockAnalyzer {
    fn name(&self) -> &'static str {
        "sbt-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.rsplit('/').next() == Some("build.sbt.lock")
    }

    /// `dependencies: [{org, name, version, configurations}]`, every resolved artifact of
    /// the build; one needed only by `test` configurations is a dev dependency.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        crate::json::check_size(path, content.len())?;
        let doc: serde_json::Value = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("invalid JSON: {e}")))?;
        let deps = doc
            .get("dependencies")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| AnalyzeError::new(path, "no `dependencies` array"))?;
        fn text<'a>(d: &'a serde_json::Value, k: &str) -> Option<&'a str> {
            d.get(k)
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
        }
        let packages = deps
            .iter()
            .filter_map(|d| {
                let (org, name, version) = (text(d, "org")?, text(d, "name")?, text(d, "version")?);
                let mut p =
                    Package::locked(PackageKind::Maven, &format!("{org}:{name}"), version, path);
                let confs: Vec<&str> = d
                    .get("configurations")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(serde_json::Value::as_str)
                    .collect();
                p.dev = !confs.is_empty() && confs.iter().all(|c| c.starts_with("test"));
                Some(p)
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for GradleLockAnalyzer {
    fn name(&self) -> &'static str {
        "gradle-lock"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.rsplit('/')
            .next()
            .is_some_and(|f| f.ends_with("gradle.lockfile"))
    }

    /// `group:artifact:version=conf1,conf2`; `empty=...` lists configurations with nothing
    /// locked. A dependency only test configurations use is a dev dependency.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let mut packages = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let (coords, confs) = line.split_once('=').unwrap_or((line, ""));
            let f: Vec<&str> = coords.split(':').collect();
            let [group, artifact, version] = f.as_slice() else {
                return Err(AnalyzeError::new(
                    path,
                    format!("not `group:artifact:version`: {:?}", crate::clip(line)),
                ));
            };
            let mut p = Package::locked(
                PackageKind::Maven,
                &format!("{group}:{artifact}"),
                version,
                path,
            );
            p.dev = !confs.is_empty() && confs.split(',').all(|c| c.starts_with("test"));
            packages.push(p);
        }
        Ok(Analysis::of(packages))
    }
}

impl Analyzer for PomAnalyzer {
    fn name(&self) -> &'static str {
        "pom-xml"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        // Poms inside jars are read by the jar analyzer; `.m2` holds other projects' poms.
        (path == "pom.xml" || path.ends_with("/pom.xml")) && !path.contains("/.m2/")
    }

    /// `project/dependencies/dependency` with a literal version, or a `${prop}` defined in
    /// this pom's `project/properties`, plus the same inside profiles that are
    /// `activeByDefault`. Versions left to a parent or BOM are not knowable from this file
    /// and are skipped, as are version ranges other than an exact `[1.2.3]` (the resolver
    /// picks from the repository); `test`/`provided` scopes are dev dependencies.
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        let elements = xml_leaves(text).map_err(|m| AnalyzeError::new(path, m))?;
        if !elements
            .iter()
            .any(|(p, _)| p.first().is_some_and(|r| r == "project"))
        {
            return Err(AnalyzeError::new(path, "no <project> element"));
        }
        let in_profile = profile_of(&elements);
        let active: Vec<usize> = elements
            .iter()
            .zip(&in_profile)
            .filter(|((p, v), _)| {
                p.len() == 5 && p[3..] == ["activation", "activeByDefault"] && v == "true"
            })
            .filter_map(|(_, profile)| *profile)
            .collect();
        // Elements of the project itself or of an active profile, with the profile prefix dropped.
        let effective: Vec<(&[String], &str)> = elements
            .iter()
            .zip(&in_profile)
            .filter_map(|((p, v), profile)| match profile {
                None => Some((&p[..], v.as_str())),
                Some(i) if active.contains(i) => Some((&p[2..], v.as_str())),
                Some(_) => None,
            })
            .collect();
        let props: Vec<(&str, &str)> = effective
            .iter()
            .filter(|(p, _)| p.len() == 3 && p[1] == "properties")
            .map(|(p, v)| (p[2].as_str(), *v))
            .collect();
        let resolve = |v: &str| -> Option<String> {
            let v = match v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                Some(key) => props.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)?,
                None => v,
            };
            exact_version(v).map(str::to_owned)
        };
        let mut packages = Vec::new();
        let mut dep: [Option<&str>; 4] = [None; 4];
        for (p, v) in &effective {
            let is_dep = p.len() >= 3
                && matches!(p[0].as_str(), "project" | "profile")
                && p[1..3] == ["dependencies", "dependency"];
            if !is_dep {
                continue;
            }
            if p.len() == 3 {
                // The <dependency/> end marker: emit what its children said.
                if let [Some(g), Some(a), Some(ver), scope] = dep
                    && let Some(version) = resolve(ver)
                {
                    let mut pkg =
                        Package::locked(PackageKind::Maven, &format!("{g}:{a}"), &version, path);
                    pkg.dev = matches!(scope, Some("test" | "provided"));
                    packages.push(pkg);
                }
                dep = [None; 4];
            } else if p.len() == 4 {
                let slot = ["groupId", "artifactId", "version", "scope"]
                    .iter()
                    .position(|k| *k == p[3]);
                if let Some(i) = slot {
                    dep[i] = Some(v);
                }
            }
        }
        Ok(Analysis::of(packages))
    }
}

/// For each element, the index of the `project/profiles/profile` it lies in. Elements are
/// listed as they close, so a profile's children come just before the profile itself.
fn profile_of(elements: &[(Vec<String>, String)]) -> Vec<Option<usize>> {
    let mut closed = 0;
    elements
        .iter()
        .map(|(p, _)| {
            if p.len() < 3 || p[..3] != ["project", "profiles", "profile"] {
                return None;
            }
            let index = closed;
            if p.len() == 3 {
                closed += 1;
            }
            // The profile element itself belongs to no profile's contents.
            (p.len() > 3).then_some(index)
        })
        .collect()
}

/// A version Maven would use as written: a plain version, or the one-version range
/// `[1.2.3]`; other ranges, and unresolved `${...}`, name no single version.
fn exact_version(v: &str) -> Option<&str> {
    let v = match v.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) => inner.trim(),
        None => v,
    };
    (!v.is_empty() && !v.contains(['$', '[', ']', '(', ')', ','])).then_some(v)
}

/// Every element's path from the root with its trimmed text, in document order; each
/// element is listed when it closes, so a parent comes after its children. Enough XML for
/// poms (elements, attributes, comments, `<?xml?>`); unbalanced tags are an error.
fn xml_leaves(text: &str) -> Result<Vec<(Vec<String>, String)>, String> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(lt) = rest.find('<') {
        let after = rest.get(lt..).unwrap_or_default();
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        let end = end.ok_or_else(|| format!("unterminated markup at byte {}", offset + lt))?;
        let tag = after.get(..end).unwrap_or_default();
        let text_start = offset + lt + end;
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim();
            let (open, start) = stack
                .pop()
                .ok_or_else(|| format!("closing </{name}> without an opening tag"))?;
            if open != name {
                return Err(format!("<{open}> closed by </{name}>"));
            }
            let body = text.get(start..offset + lt).unwrap_or_default();
            let value = if body.contains('<') { "" } else { body.trim() };
            let mut path: Vec<String> = stack.iter().map(|(n, _)| n.clone()).collect();
            path.push(open);
            out.push((path, value.to_owned()));
        } else if !tag.starts_with("<!") && !tag.starts_with("<?") && !tag.ends_with("/>") {
            let name = tag
                .trim_start_matches('<')
                .trim_end_matches('>')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if stack.len() > 64 {
                return Err("elements nested more than 64 deep".into());
            }
            stack.push((name.to_owned(), text_start));
        }
        offset += lt + end;
        rest = text.get(offset..).unwrap_or_default();
    }
    if let Some((open, _)) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::nv;

    #[test]
    fn gradle_lockfile() {
        let l = "# Gradle\ncom.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\norg.junit:junit-bom:5.9.2=testCompileClasspath,testRuntimeClasspath\nempty=annotationProcessor\n";
        let a = GradleLockAnalyzer
            .analyze("app/gradle.lockfile", l.as_bytes())
            .unwrap();
        assert_eq!(
            nv(&a),
            [
                "com.google.guava:guava@31.1-jre",
                "org.junit:junit-bom@5.9.2 dev"
            ]
        );
        assert!(GradleLockAnalyzer.wants("app/buildscript-gradle.lockfile", 1, 0o644));
        let e = GradleLockAnalyzer
            .analyze("g/gradle.lockfile", b"junk=x\n")
            .unwrap_err();
        assert_eq!(e.path, "g/gradle.lockfile");
    }

    #[test]
    fn pom_direct_dependencies() {
        let pom = r#"<?xml version="1.0"?>
<!-- <dependency> in a comment -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version></parent>
  <properties><guava.version>33.0-jre</guava.version></properties>
  <dependencyManagement><dependencies><dependency>
    <groupId>m</groupId><artifactId>managed</artifactId><version>9</version>
  </dependency></dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>${guava.version}</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
    <dependency><groupId>x</groupId><artifactId>from-parent</artifactId><version>${project.parent.version}</version></dependency>
    <dependency><groupId>x</groupId><artifactId>no-version</artifactId></dependency>
    <dependency><groupId>r</groupId><artifactId>range</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>r</groupId><artifactId>exact</artifactId><version>[1.5]</version></dependency>
  </dependencies>
  <profiles>
    <profile><id>on</id>
      <dependencies><dependency><groupId>p</groupId><artifactId>on</artifactId><version>${on.version}</version></dependency></dependencies>
      <properties><on.version>2.1</on.version></properties>
      <activation><activeByDefault>true</activeByDefault></activation>
    </profile>
    <profile><id>off</id>
      <activation><property><name>x</name></property></activation>
      <dependencies><dependency><groupId>p</groupId><artifactId>off</artifactId><version>1</version></dependency></dependencies>
    </profile>
  </profiles>
  <build><plugins><plugin><dependencies><dependency><groupId>b</groupId><artifactId>c</artifactId><version>1</version></dependency></dependencies></plugin></plugins></build>
</project>"#;
        let a = PomAnalyzer.analyze("app/pom.xml", pom.as_bytes()).unwrap();
        assert_eq!(
            nv(&a),
            [
                "com.google.guava:guava@33.0-jre",
                "junit:junit@4.13.2 dev",
                "r:exact@1.5",
                "p:on@2.1"
            ]
        );
        for bad in [
            &b"<project><dependencies>"[..],
            b"<project></dependencies>",
            b"<a/>",
            b"<project \xff/>",
        ] {
            let e = PomAnalyzer.analyze("x/pom.xml", bad).unwrap_err();
            assert_eq!(e.path, "x/pom.xml");
        }
    }
}
