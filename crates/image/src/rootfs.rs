//! A plain directory read as a single layer.

use crate::FileHandler;
use crate::error::Failure;
use crate::layer::{EntryKind, LayerChanges, LayerEntry, LayerLimits};
use rayon::prelude::*;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A file some reader asked for, read in a second, parallel pass.
struct Wanted {
    rel: String,
    abs: PathBuf,
    size: u64,
    mode: u32,
    streamed: bool,
}

/// Walks `root` without following symlinks (they are recorded, as in a layer tar), then
/// reads the wanted files on every core: unlike a layer stream, a directory allows it.
pub(crate) fn read_tree<H: FileHandler>(
    root: &Path,
    handler: &H,
    limits: &LayerLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerChanges<H::Output>, Failure> {
    let mut out = LayerChanges::new();
    let mut wanted = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        // `--scan-timeout` holds for a directory too: a tree of millions of files (or a
        // network mount) must not keep the scan past it.
        limits.budget.check_deadline()?;
        let dir = if rel.is_empty() {
            root.to_owned()
        } else {
            root.join(&rel)
        };
        let read = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                out.warnings
                    .push(format!("/{rel}: cannot list directory: {e}"));
                continue;
            }
        };
        let mut names: Vec<_> = read.filter_map(Result::ok).collect();
        names.sort_by_key(std::fs::DirEntry::file_name);
        for dent in names {
            let name = dent.file_name();
            let Some(name) = name.to_str().map(str::to_owned) else {
                let lossy = name.to_string_lossy().into_owned();
                out.warnings
                    .push(format!("/{rel}/{lossy}: file name is not UTF-8; skipped"));
                continue;
            };
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let meta = match std::fs::symlink_metadata(dent.path()) {
                Ok(m) => m,
                Err(e) => {
                    out.warnings.push(format!("/{path}: {e}"));
                    continue;
                }
            };
            let ft = meta.file_type();
            let kind = if ft.is_dir() {
                stack.push(path.clone());
                EntryKind::Dir
            } else if ft.is_symlink() {
                EntryKind::Symlink(
                    std::fs::read_link(dent.path())
                        .map(|t| t.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            } else if ft.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            if kind == EntryKind::File && handler.wants(&path, meta.len(), meta.mode()) {
                let streamed = handler.streams(&path, meta.len(), meta.mode());
                if !streamed && meta.len() > limits.max_file_size {
                    let why = format!(
                        "{} bytes is over the {} byte limit; not analyzed",
                        meta.len(),
                        limits.max_file_size
                    );
                    out.skipped.push((path.clone(), why));
                } else {
                    wanted.push(Wanted {
                        rel: path.clone(),
                        abs: dent.path(),
                        size: meta.len(),
                        mode: meta.mode(),
                        streamed,
                    });
                }
            }
            out.push_entry(LayerEntry {
                path,
                kind,
                mode: meta.mode(),
                uid: u64::from(meta.uid()),
                gid: u64::from(meta.gid()),
                size: meta.len(),
            });
        }
    }
    // Largest first, so one big file does not start last and hold up the finish.
    wanted.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.rel.cmp(&b.rel)));
    let read: Vec<(String, Result<H::Output, String>)> = wanted
        .into_par_iter()
        .map(|w| {
            limits.budget.check_deadline()?;
            let outcome = if w.streamed {
                std::fs::File::open(&w.abs)
                    .and_then(|mut f| handler.handle_stream(&w.rel, &mut f, w.size, w.mode))
            } else {
                std::fs::read(&w.abs).map(|content| handler.handle(&w.rel, &content, w.mode))
            };
            progress(w.size);
            Ok((w.rel, outcome.map_err(|e| format!("cannot read: {e}"))))
        })
        .collect::<Result<_, Failure>>()?;
    for (path, outcome) in read {
        match outcome {
            Ok(result) if handler.keeps(&result) => out.results.push((path, result)),
            Ok(_) => {}
            Err(why) => out.skipped.push((path, why)),
        }
    }
    out.results.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
