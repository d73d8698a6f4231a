//! A plain directory read as a single layer.

use crate::FileHandler;
use crate::layer::{Entry, EntryKind, LayerChanges, LayerLimits};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Walks `root` without following symlinks (they are recorded, as in a layer tar).
pub(crate) fn read_tree<H: FileHandler>(
    root: &Path,
    handler: &H,
    limits: &LayerLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerChanges<H::Output>, String> {
    let mut out = LayerChanges::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
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
        let mut names: Vec<_> = read.filter_map(|e| e.ok()).collect();
        names.sort_by_key(std::fs::DirEntry::file_name);
        for dent in names {
            let name = dent.file_name();
            let name = match name.to_str() {
                Some(n) => n.to_owned(),
                None => {
                    let lossy = name.to_string_lossy().into_owned();
                    out.warnings
                        .push(format!("/{rel}/{lossy}: file name is not UTF-8; skipped"));
                    continue;
                }
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
                if meta.len() > limits.max_file_size {
                    out.skipped.push((
                        path.clone(),
                        format!(
                            "{} bytes is over the {} byte limit; not analyzed",
                            meta.len(),
                            limits.max_file_size
                        ),
                    ));
                } else {
                    match std::fs::read(dent.path()) {
                        Ok(content) => {
                            progress(content.len() as u64);
                            out.results
                                .push((path.clone(), handler.handle(&path, &content, meta.mode())));
                        }
                        Err(e) => out
                            .skipped
                            .push((path.clone(), format!("cannot read: {e}"))),
                    }
                }
            }
            out.push_entry(Entry {
                path,
                kind,
                mode: meta.mode(),
                uid: u64::from(meta.uid()),
                gid: u64::from(meta.gid()),
                size: meta.len(),
            });
        }
    }
    Ok(out)
}
