//! Tests, examples and benches must find their data relative to the repository or via an
//! environment variable: an absolute path to a machine's folders passes where it was
//! written and fails (or silently checks less) everywhere else. Temporary directories come
//! from `tempfile`/`std::env::temp_dir`, never from a literal.

use std::path::{Path, PathBuf};

/// Folder prefixes of this kind of machine. Spelled in pieces so this file does not
/// match itself.
fn needles() -> Vec<String> {
    let mut out: Vec<String> = ["work", "home", "tmp"]
        .iter()
        .map(|d| format!("/{d}/"))
        .collect();
    out.push(format!("\"/{}\"", "tmp"));
    out
}

/// (line number, line) of every line naming a machine folder.
fn machine_paths(text: &str) -> Vec<(usize, &str)> {
    let needles = needles();
    text.lines()
        .enumerate()
        .filter(|(_, line)| needles.iter().any(|p| line.contains(p.as_str())))
        .map(|(i, line)| (i + 1, line.trim()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_absolute_machine_paths_in_tests_examples_or_benches() {
    let crates = drydock_testkit::repo_root().join("crates");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).expect("crates/").flatten() {
        for sub in ["tests", "examples", "benches"] {
            rust_files(&krate.path().join(sub), &mut files);
        }
    }
    assert!(
        files.len() > 20,
        "found only {} test files under {}",
        files.len(),
        crates.display()
    );
    let mut hits = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read test source");
        let shown = file.strip_prefix(&crates).unwrap_or(file);
        for (n, line) in machine_paths(&text) {
            hits.push(format!("crates/{}:{n}: {line}", shown.display()));
        }
    }
    assert!(
        hits.is_empty(),
        "absolute machine paths (use ../shared via drydock_testkit::shared_dir, an env \
         var, or a tempdir):\n{}",
        hits.join("\n")
    );
}

/// Machine folders are caught; paths inside an image and temp dirs from `tempfile` are not.
#[test]
fn the_path_check_tells_machine_folders_from_image_paths() {
    let sample = [
        "let tmp = tempfile::tempdir().expect(\"tmp\");",
        "scan(&scanner, \"/root/.aws/credentials\");",
        "fact(\"tmp\", DIR | 0o1777, 0),",
        &format!("let v = read(\"/{}/shared/vulndata\");", "work"),
        &format!("// run it on /{}/me/corpus", "home"),
        &format!("let out = \"/{}/x.json\";", "tmp"),
        &format!("Command::new(\"ls\").arg(\"/{}\")", "tmp"),
    ]
    .join("\n");
    let lines: Vec<usize> = machine_paths(&sample).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![4, 5, 6, 7]);
}
