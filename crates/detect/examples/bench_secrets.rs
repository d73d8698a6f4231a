//! Secret-scanning throughput over a directory tree.
//!
//! Usage: `cargo run --release -p drydock-detect --example bench_secrets -- DIR`
//!
//! Files are read and scanned in parallel (rayon over files, one thread per
//! file); reports files/bytes selected by `wants`, wall time, MB/s and
//! findings per rule. With `BENCH_VERBOSE=1` every finding is printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use drydock_detect::SecretScanner;
use rayon::prelude::*;

fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&e.path(), out);
        } else if ft.is_file() {
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            out.push((e.path(), size));
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).ok_or("usage: bench_secrets DIR")?;
    let root = Path::new(&root);
    let scanner = SecretScanner::builtin()?;

    let mut files = Vec::new();
    walk(root, &mut files);
    let total = files.len();
    // Paths are passed as they would appear in an image rooted at `/`, so the
    // default skip rules (`usr/share/doc/`, ...) apply as they would there.
    let rel = |p: &Path| p.to_string_lossy().into_owned();
    let wanted: Vec<_> = files
        .into_iter()
        .filter(|(p, size)| scanner.wants(&rel(p), *size))
        .collect();

    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let start = Instant::now();
    let results: Vec<(u64, Vec<String>)> = wanted
        .par_iter()
        .map(|(p, _)| match std::fs::read(p) {
            Ok(data) => {
                let found = scanner.scan(&rel(p), &data);
                if verbose {
                    for f in &found {
                        let ctx = f.context.as_deref().unwrap_or("");
                        println!("{}:{} {} {ctx}", f.path, f.line, f.rule_id);
                    }
                }
                (
                    data.len() as u64,
                    found.into_iter().map(|f| f.rule_id).collect(),
                )
            }
            Err(_) => (0, Vec::new()),
        })
        .collect();
    let secs = start.elapsed().as_secs_f64();

    let bytes: u64 = results.iter().map(|r| r.0).sum();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for id in results.iter().flat_map(|r| &r.1) {
        *per_rule.entry(id.clone()).or_default() += 1;
    }
    println!(
        "{} files under {}, {} wanted, {:.1} MB scanned in {secs:.2}s ({:.1} MB/s, {} threads)",
        total,
        root.display(),
        wanted.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9),
        rayon::current_num_threads()
    );
    for (rule, n) in per_rule {
        println!("  {rule:<28} {n}");
    }
    Ok(())
}
