//! The merged filesystem: layers applied in order with OCI whiteout rules, each path
//! remembering the layer that last wrote it.

use crate::error::Failure;
use crate::layer::{EntryKind, LayerChanges, LayerEntry};
use serde::Serialize;
use std::collections::BTreeMap;

/// Symlink hops allowed while resolving one path (Linux's MAXSYMLINKS).
const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// Index of the layer that last wrote this path.
    pub layer: usize,
}

/// What one whiteout marker removed, for reports and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhiteoutApplied {
    pub layer: usize,
    /// `whiteout` or `opaque-dir`.
    pub kind: &'static str,
    pub path: String,
    /// Entries removed from lower layers (the whited-out path itself counts).
    pub removed_entries: usize,
}

/// Why a path inside the image could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{path}: too many levels of symbolic links (loop?)")]
    SymlinkLoop { path: String },
}

#[derive(Debug, Default)]
pub struct FileView {
    nodes: BTreeMap<String, Node>,
}

impl FileView {
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path.trim_start_matches('/'))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Removes `dir`'s descendants (not `dir` itself); returns how many went.
    fn remove_children(&mut self, dir: &str) -> usize {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let doomed: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &doomed {
            self.nodes.remove(k);
        }
        doomed.len()
    }

    fn remove_tree(&mut self, path: &str) -> usize {
        usize::from(self.nodes.remove(path).is_some()) + self.remove_children(path)
    }

    /// Applies one layer: its whiteouts hide lower-layer content only (OCI image spec,
    /// "Whiteouts"), then its entries are added in tar order, later duplicates winning.
    pub(crate) fn apply<T>(
        &mut self,
        layer: usize,
        changes: &mut LayerChanges<T>,
        applied: &mut Vec<WhiteoutApplied>,
    ) -> Result<(), Failure> {
        for dir in &changes.opaque_dirs {
            let removed = self.remove_children(dir);
            applied.push(WhiteoutApplied {
                layer,
                kind: "opaque-dir",
                path: format!("/{dir}"),
                removed_entries: removed,
            });
        }
        for path in &changes.whiteouts {
            let removed = self.remove_tree(path);
            applied.push(WhiteoutApplied {
                layer,
                kind: "whiteout",
                path: format!("/{path}"),
                removed_entries: removed,
            });
        }
        for LayerEntry {
            path,
            kind,
            mode,
            uid,
            gid,
            size,
        } in std::mem::take(&mut changes.entries).into_iter().flatten()
        {
            // Entries are moved, not copied, into the view: on images with hundreds of
            // thousands of files, two copies of every path would double peak memory.
            if let EntryKind::Hardlink(target) = &kind {
                match self.nodes.get(target) {
                    Some(n) if n.kind != EntryKind::Dir => {}
                    Some(_) => {
                        return Err(Failure::corrupt(format!(
                            "hard link '{path}' points at directory '{target}'"
                        )));
                    }
                    None => {
                        return Err(Failure::corrupt(format!(
                            "hard link '{path}' points at missing file '{target}'"
                        )));
                    }
                }
            }
            if kind != EntryKind::Dir
                && self
                    .nodes
                    .get(&path)
                    .is_some_and(|n| n.kind == EntryKind::Dir)
            {
                self.remove_children(&path);
            }
            self.nodes.insert(
                path,
                Node {
                    kind,
                    mode,
                    uid,
                    gid,
                    size,
                    layer,
                },
            );
        }
        Ok(())
    }

    /// Follows symlinks in every component of `path`, as the kernel would inside the
    /// container's root. Ok(None) when the path does not exist.
    pub fn resolve(&self, path: &str) -> Result<Option<String>, ResolveError> {
        let mut pending: Vec<String> = components(path).into_iter().rev().collect();
        let mut resolved: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                resolved.pop();
                continue;
            }
            resolved.push(part);
            let here = resolved.join("/");
            match self.nodes.get(&here).map(|n| &n.kind) {
                None => return Ok(None),
                Some(EntryKind::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(ResolveError::SymlinkLoop {
                            path: format!("/{path}"),
                        });
                    }
                    resolved.pop();
                    if target.starts_with('/') {
                        resolved.clear();
                    }
                    pending.extend(components(target).into_iter().rev());
                }
                Some(EntryKind::Hardlink(target)) => {
                    resolved = components(target);
                }
                Some(_) => {}
            }
        }
        Ok(Some(resolved.join("/")))
    }
}

fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_owned)
        .collect()
}
