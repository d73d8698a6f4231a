//! `go.mod`: the modules a Go module requires (`require` lines and blocks), after its own
//! `replace` directives. Go's minimal version selection makes these the versions built,
//! except where a dependency's go.mod raises one, which only `go.sum`/the binary shows.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};

pub struct GoModAnalyzer;

impl Analyzer for GoModAnalyzer {
    fn name(&self) -> &'static str {
        "go-mod"
    }
    fn version(&self) -> u32 {
        1
    }

    fn declared_only(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        // Vendored and module-cache copies describe other modules' requirements.
        (path == "go.mod" || path.ends_with("/go.mod"))
            && !path.contains("/vendor/")
            && !path.contains("/pkg/mod/")
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let text = crate::utf8(path, content)?;
        if !text.lines().any(|l| l.trim_start().starts_with("module ")) {
            return Err(AnalyzeError::new(path, "no `module` directive"));
        }
        let mut requires: Vec<(&str, &str, bool)> = Vec::new();
        let mut replaces: Vec<Replace> = Vec::new();
        let mut block: Option<&str> = None;
        for raw in text.lines() {
            let (code, comment) = raw.split_once("//").unwrap_or((raw, ""));
            let line = code.trim();
            let (verb, rest) = match block {
                Some(verb) if line == ")" => {
                    block = None;
                    (verb, "")
                }
                Some(verb) => (verb, line),
                None => match line.split_once(char::is_whitespace) {
                    Some((verb, rest)) if rest.trim() == "(" => {
                        block = Some(verb);
                        continue;
                    }
                    Some((verb, rest)) => (verb, rest.trim()),
                    None => continue,
                },
            };
            let f: Vec<&str> = rest.split_whitespace().collect();
            match (verb, f.as_slice()) {
                ("require", [module, version]) => {
                    // Go marks requirements only the module graph needs with this comment.
                    let indirect = comment.split([';', ' ']).any(|w| w.trim() == "indirect");
                    requires.push((module, version, indirect));
                }
                // `old [v] => new v` (module) or `old [v] => ../dir` (local, no version).
                ("replace", [old, old_version @ .., "=>", new, version]) => {
                    replaces.push(Replace {
                        old,
                        old_version: old_version.first().copied(),
                        new: Some((new, version)),
                    })
                }
                ("replace", [old, old_version @ .., "=>", _dir]) => replaces.push(Replace {
                    old,
                    old_version: old_version.first().copied(),
                    new: None,
                }),
                _ => {}
            }
        }
        let packages = requires
            .into_iter()
            .filter_map(|(module, version, indirect)| {
                let (module, version) = match replacement(&replaces, module, version) {
                    Some(r) => r.new?,
                    None => (module, version),
                };
                let mut p = Package::locked(PackageKind::Go, module, version, path);
                p.indirect = indirect;
                Some(p)
            })
            .collect();
        Ok(Analysis::of(packages))
    }
}

/// One `replace` directive; `old_version` limits it to that version of `old`.
struct Replace<'a> {
    old: &'a str,
    old_version: Option<&'a str>,
    /// The replacement module and version; `None` for a local directory.
    new: Option<(&'a str, &'a str)>,
}

/// The replace directive that applies to `module` at `version`: one for exactly that
/// version wins over one for all versions, and one for another version does not apply.
fn replacement<'r, 'a>(
    replaces: &'r [Replace<'a>],
    module: &str,
    version: &str,
) -> Option<&'r Replace<'a>> {
    let mut of_module = replaces.iter().filter(|r| r.old == module);
    let exact = of_module.clone().find(|r| r.old_version == Some(version));
    exact.or_else(|| of_module.find(|r| r.old_version.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_with_replacements() {
        let m = "module example.com/app // the app\n\ngo 1.21\n\nrequire github.com/a/b v1.0.0\n\nrequire (\n\tgithub.com/c/d v0.2.0 // indirect\n\tgolang.org/x/e v0.3.0\n\texample.com/local v0.0.0\n)\n\nreplace golang.org/x/e => golang.org/x/e v0.3.1\n\nreplace (\n\texample.com/local v0.0.0 => ../local\n)\n";
        let a = GoModAnalyzer.analyze("src/go.mod", m.as_bytes()).unwrap();
        let got: Vec<String> = a
            .packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        assert_eq!(
            got,
            [
                "github.com/a/b@v1.0.0",
                "github.com/c/d@v0.2.0",
                "golang.org/x/e@v0.3.1"
            ]
        );
        assert!(a.packages.iter().all(|p| p.lockfile));
        let indirect: Vec<bool> = a.packages.iter().map(|p| p.indirect).collect();
        assert_eq!(indirect, [false, true, false]);
        assert!(!GoModAnalyzer.wants("app/vendor/x/go.mod", 1, 0o644));
        assert!(!GoModAnalyzer.wants("root/go/pkg/mod/x@v1/go.mod", 1, 0o644));
        let e = GoModAnalyzer
            .analyze("a/go.mod", b"require x v1\n")
            .unwrap_err();
        assert_eq!(e.path, "a/go.mod");
        assert!(GoModAnalyzer.analyze("a/go.mod", b"module \xff").is_err());
    }
}
