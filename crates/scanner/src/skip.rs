//! `--skip-dirs` / `--skip-files`: paths the user asked not to read, decided in the route
//! stage so a skipped file's bytes are never buffered, analysed or searched for secrets.
//!
//! Patterns follow Trivy's: globs over paths relative to the image root (a leading `/` or
//! `./` is dropped), `*` stays within one path segment and `**` crosses them; a directory
//! pattern skips everything below every directory it matches.

use drydock_image::{EntryKind, FileView};
use drydock_model::SkippedByRequest;
use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use std::collections::BTreeSet;

/// Compiled skip patterns; the default skips nothing.
#[derive(Debug, Clone, Default)]
pub struct SkipPaths {
    dirs: Patterns,
    files: Patterns,
}

#[derive(Debug, Clone, Default)]
struct Patterns {
    set: GlobSet,
    each: Vec<(String, GlobMatcher)>,
}

impl Patterns {
    fn new(flag: &str, patterns: &[String]) -> Result<Patterns, String> {
        let mut set = GlobSetBuilder::new();
        let mut each = Vec::new();
        for raw in patterns {
            let glob = GlobBuilder::new(normalise(raw))
                .literal_separator(true)
                .build()
                .map_err(|e| format!("--{flag} '{raw}': {e}"))?;
            set.add(glob.clone());
            each.push((raw.clone(), glob.compile_matcher()));
        }
        let set = set.build().map_err(|e| format!("--{flag}: {e}"))?;
        Ok(Patterns { set, each })
    }
}

/// `/usr/lib/` and `./usr/lib` mean the image path `usr/lib`.
fn normalise(pattern: &str) -> &str {
    let mut p = pattern.trim();
    loop {
        let next = p.trim_start_matches('/');
        let next = next.strip_prefix("./").unwrap_or(next);
        if next == p {
            break;
        }
        p = next;
    }
    p.trim_end_matches('/')
}

/// The proper ancestors of `path` (`a`, `a/b` for `a/b/c`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

impl SkipPaths {
    /// Compiles the patterns; an invalid glob is an error naming the flag and pattern.
    pub fn new(dirs: &[String], files: &[String]) -> Result<SkipPaths, String> {
        Ok(SkipPaths {
            dirs: Patterns::new("skip-dirs", dirs)?,
            files: Patterns::new("skip-files", files)?,
        })
    }

    /// The patterns as given, `--skip-dirs` then `--skip-files`: what decides which files
    /// a layer's cached results cover.
    pub(crate) fn patterns(&self) -> [Vec<&str>; 2] {
        [&self.dirs, &self.files].map(|p| p.each.iter().map(|(raw, _)| raw.as_str()).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.dirs.each.is_empty() && self.files.each.is_empty()
    }

    /// Whether the file at `path` (no leading `/`) must not be read.
    pub(crate) fn skips(&self, path: &str) -> bool {
        if self.is_empty() {
            return false;
        }
        let path = path.trim_start_matches('/');
        self.files.set.is_match(path) || ancestors(path).any(|a| self.dirs.set.is_match(a))
    }

    /// Whether an entry of the final filesystem is out of scope: a skipped file, or a
    /// directory that a directory pattern names or lies under.
    pub(crate) fn skips_entry(&self, path: &str, is_dir: bool) -> bool {
        self.skips(path) || (is_dir && self.dirs.set.is_match(path.trim_start_matches('/')))
    }

    /// What each pattern matched in the final filesystem, in the order given.
    pub(crate) fn report(&self, view: &FileView) -> Vec<SkippedByRequest> {
        if self.is_empty() {
            return Vec::new();
        }
        let files: Vec<&str> = view
            .iter()
            .filter(|(_, n)| matches!(n.kind, EntryKind::File | EntryKind::Hardlink(_)))
            .map(|(p, _)| p.trim_start_matches('/'))
            .collect();
        let mut out = Vec::new();
        for (pattern, glob) in &self.dirs.each {
            let mut dirs = BTreeSet::new();
            let mut count = 0;
            for path in &files {
                // The outermost matching directory names the skipped subtree.
                if let Some(dir) = ancestors(path).find(|a| glob.is_match(a)) {
                    dirs.insert(dir.to_owned());
                    count += 1;
                }
            }
            out.push(SkippedByRequest {
                flag: "skip-dirs".into(),
                pattern: pattern.clone(),
                paths: dirs.into_iter().collect(),
                files: count,
            });
        }
        for (pattern, glob) in &self.files.each {
            let paths: Vec<String> = files
                .iter()
                .filter(|p| glob.is_match(p))
                .map(|p| (*p).to_owned())
                .collect();
            out.push(SkippedByRequest {
                flag: "skip-files".into(),
                pattern: pattern.clone(),
                files: paths.len(),
                paths,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(dirs: &[&str], files: &[&str]) -> SkipPaths {
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        SkipPaths::new(&own(dirs), &own(files)).expect("valid patterns")
    }

    /// Cases from Trivy's documentation of `--skip-dirs` / `--skip-files`
    /// (docs/configuration/skipping): `./testdata/*` skips every subdirectory of
    /// testdata, `./testdata/*/bar` any file named bar one level below it,
    /// `./foo/**/*.tf` .tf files at any depth, a plain path exactly that path.
    #[test]
    fn trivy_documented_patterns() {
        let cases: &[(SkipPaths, &str, bool)] = &[
            (skip(&["./testdata/*"], &[]), "testdata/a/x.json", true),
            (skip(&["./testdata/*"], &[]), "testdata/a/b/x.json", true),
            // Files directly in testdata are not inside a subdirectory.
            (skip(&["./testdata/*"], &[]), "testdata/x.json", false),
            (skip(&[], &["./testdata/*/bar"]), "testdata/a/bar", true),
            (skip(&[], &["./testdata/*/bar"]), "testdata/a/b/bar", false),
            (skip(&[], &["./foo/**/*.tf"]), "foo/a/b/main.tf", true),
            (skip(&[], &["./foo/**/*.tf"]), "foo/main.txt", false),
            (
                skip(&["/var/lib/gems/2.5.0/gems/http_parser.rb-0.6.0"], &[]),
                "var/lib/gems/2.5.0/gems/http_parser.rb-0.6.0/Gemfile.lock",
                true,
            ),
            (skip(&[], &["/Gemfile.lock"]), "Gemfile.lock", true),
            (skip(&[], &["/Gemfile.lock"]), "app/Gemfile.lock", false),
            (
                skip(&["**/node_modules"], &[]),
                "app/web/node_modules/x/package.json",
                true,
            ),
            (skip(&["usr/lib/"], &[]), "usr/libexec/x", false),
        ];
        for (rules, path, want) in cases {
            assert_eq!(rules.skips(path), *want, "{path} with {rules:?}");
        }
    }

    #[test]
    fn bad_glob_names_flag_and_pattern() {
        let err = SkipPaths::new(&["a/[b".into()], &[]).expect_err("unclosed class");
        assert!(err.starts_with("--skip-dirs 'a/[b':"), "{err}");
    }
}
