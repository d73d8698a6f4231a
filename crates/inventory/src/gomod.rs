//! `go.mod`: the modules a Go module requires (`require` lines and blocks), after its own
//! `replace` directives. Go's minimal version selection makes these the versions built,
//! except where a dependency's go.mod raises one, which only `go.sum`/the binary shows.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};

pub struct GoModAnalyzer;

impl Analyzer for GoModAnalyzer {
    fn name(&self) -> &'static str {
        "go-mod"
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
        let mut requires: Vec<(String, String)> = Vec::new();
        let mut replaces: Vec<(String, Option<(String, String)>)> = Vec::new();
        let mut block: Option<&str> = None;
        for raw in text.lines() {
            let line = raw.split("//").next().unwrap_or_default().trim();
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
                    requires.push(((*module).to_owned(), (*version).to_owned()));
                }
                // `old [v] => new v` (module) or `old [v] => ../dir` (local, no version).
                ("replace", [old, .., "=>", new, version]) => replaces.push((
                    (*old).to_owned(),
                    Some(((*new).to_owned(), (*version).to_owned())),
                )),
                ("replace", [old, .., "=>", _dir]) => replaces.push(((*old).to_owned(), None)),
                _ => {}
            }
        }
        let packages = requires
            .into_iter()
            .filter_map(
                |(module, version)| match replaces.iter().find(|(old, _)| *old == module) {
                    Some((_, new)) => new.clone(),
                    None => Some((module, version)),
                },
            )
            .map(|(module, version)| Package::locked(PackageKind::Go, &module, &version, path))
            .collect();
        Ok(Analysis::of(packages))
    }
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
        assert!(!GoModAnalyzer.wants("app/vendor/x/go.mod", 1, 0o644));
        assert!(!GoModAnalyzer.wants("root/go/pkg/mod/x@v1/go.mod", 1, 0o644));
        let e = GoModAnalyzer
            .analyze("a/go.mod", b"require x v1\n")
            .unwrap_err();
        assert_eq!(e.path, "a/go.mod");
        assert!(GoModAnalyzer.analyze("a/go.mod", b"module \xff").is_err());
    }
}
