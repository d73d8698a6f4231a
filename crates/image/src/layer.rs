//! Streams one layer tar once: records every entry's metadata, collects whiteouts, and
//! hands the few files a handler asks for to that handler. Nothing is written to disk.

use crate::FileHandler;
use crate::budget::{Budgeted, Counted, Limits};
use crate::digest::HashingReader;
use crate::error::{ErrorKind, Failure};
use crate::source::{Compression, Tagged};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

/// How a layer's bytes are checked while they stream past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verify {
    /// sha256 of the blob as stored (OCI descriptors, Docker 25 `blobs/sha256/...`).
    Blob(String),
    /// sha256 of the uncompressed tar (the config's diff_id; legacy `docker save`).
    DiffId(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    /// A hard link to another path of the image (already normalised).
    Hardlink(String),
    /// Devices, fifos: kept so the view is complete, never read.
    Other,
}

/// One tar entry, as the merged view needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerEntry {
    pub path: String,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
}

/// Everything one layer contributes, in tar order, ready to be applied over the lower
/// layers by [`crate::Image::merge`]. It depends only on the layer's bytes and the
/// handler, so it can be kept per layer digest and reused (hence serialisable).
#[derive(Serialize, Deserialize)]
pub struct LayerChanges<T> {
    /// In chunks, so merging frees memory as it goes instead of at the end.
    pub entries: Vec<Vec<LayerEntry>>,
    /// Directories whose lower-layer content this layer hides (`.wh..wh..opq`).
    pub opaque_dirs: Vec<String>,
    /// Paths this layer deletes from the lower layers (`.wh.<name>`).
    pub whiteouts: Vec<String>,
    /// Handler outputs for the files it wanted, in tar order.
    pub results: Vec<(String, T)>,
    /// Wanted files that were not analysed, with the reason.
    pub skipped: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Entries per chunk of [`LayerChanges::entries`].
const ENTRY_CHUNK: usize = 4096;

impl<T> LayerChanges<T> {
    pub(crate) fn push_entry(&mut self, entry: LayerEntry) {
        match self.entries.last_mut() {
            Some(chunk) if chunk.len() < ENTRY_CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(ENTRY_CHUNK);
                chunk.push(entry);
                self.entries.push(chunk);
            }
        }
    }

    pub(crate) fn new() -> Self {
        Self {
            entries: Vec::new(),
            opaque_dirs: Vec::new(),
            whiteouts: Vec::new(),
            results: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

pub(crate) struct LayerLimits {
    pub max_file_size: u64,
    pub budget: Limits,
}

/// Reads one layer blob to its end, verifying its digest. Hashing and decompression run
/// on a second thread while this one parses the tar.
pub(crate) fn read_layer<H: FileHandler>(
    raw: &mut (dyn Read + Send),
    verify: Option<&Verify>,
    handler: &H,
    limits: &LayerLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerChanges<H::Output>, Failure> {
    let (produced, consumed) = crate::pipe::pipelined(
        |out| {
            let compressed = Cell::new(0);
            let hit = Cell::new(None);
            let mut blob = HashingReader::with_progress(Tagged(raw), progress);
            let counted = Counted {
                inner: &mut blob,
                count: &compressed,
            };
            let mut buffered = BufReader::with_capacity(256 << 10, counted);
            let compression = match buffered.fill_buf() {
                Ok(magic) => Compression::sniff(magic),
                Err(e) => return (Compression::None, Err(e)),
            };
            // The budget's failure travels in the io::Error, which this thread returns first.
            let copied = compression.decoder(&mut buffered).and_then(|inner| {
                let mut inflated = Budgeted {
                    inner,
                    compressed: &compressed,
                    limits: &limits.budget,
                    hit: &hit,
                    inflated: 0,
                };
                io::copy(&mut inflated, out)
            });
            drop(buffered);
            (
                compression,
                copied
                    .and_then(|_| blob.finish())
                    .map(Option::unwrap_or_default),
            )
        },
        |input| consume_tar(input, verify, handler, limits),
    );
    let (compression, decoded) =
        produced.ok_or_else(|| Failure::new(ErrorKind::Io, "layer decoder thread panicked"))?;
    match (decoded, consumed) {
        // A decoding failure is the root cause of whatever the tar parser then saw; a
        // broken pipe only means the parser stopped first, for its own reason.
        (Err(e), _) if e.kind() != io::ErrorKind::BrokenPipe => Err(describe(
            compression,
            Failure::from_io(&e, ErrorKind::Corrupt),
        )),
        (_, Err(e)) => Err(describe(compression, e)),
        (Err(e), Ok(_)) => Err(Failure::from_io(&e, ErrorKind::Io)),
        (Ok(blob_digest), Ok((changes, diff_id))) => {
            check_digests(verify, &blob_digest, diff_id.as_deref())?;
            Ok(changes)
        }
    }
}

/// The same as [`read_layer`] on this thread only, for readers that cannot cross threads
/// (members of a compressed archive being streamed). Their read errors mean a broken
/// archive, not failing storage: the archive's own decoder reports those.
pub(crate) fn read_layer_inline<H: FileHandler>(
    raw: &mut dyn Read,
    verify: Option<&Verify>,
    handler: &H,
    limits: &LayerLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerChanges<H::Output>, Failure> {
    let corrupt = |e: io::Error| Failure::from_io(&e, ErrorKind::Corrupt);
    let compressed = Cell::new(0);
    let hit = Cell::new(None);
    let mut blob = HashingReader::with_progress(raw, progress);
    let counted = Counted {
        inner: &mut blob,
        count: &compressed,
    };
    let mut buffered = BufReader::with_capacity(256 << 10, counted);
    let compression = Compression::sniff(buffered.fill_buf().map_err(corrupt)?);
    let decoder = compression
        .decoder(&mut buffered)
        .map_err(|e| corrupt(e).context(format_args!("bad {compression:?} stream")))?;
    let mut inflated = Budgeted {
        inner: decoder,
        compressed: &compressed,
        limits: &limits.budget,
        hit: &hit,
        inflated: 0,
    };
    let consumed = consume_tar(&mut inflated, verify, handler, limits);
    // The tar parser words the budget's error as a corrupt tar; the budget knows better.
    if let Some(limit) = hit.take() {
        return Err(limit);
    }
    let (changes, diff_id) = consumed.map_err(|e| describe(compression, e))?;
    drop(inflated);
    drop(buffered);
    let blob_digest = blob.finish().map_err(corrupt)?.unwrap_or_default();
    check_digests(verify, &blob_digest, diff_id.as_deref())?;
    Ok(changes)
}

/// Parses the uncompressed tar stream, hashing it when the diff_id is what gets verified.
fn consume_tar<H: FileHandler>(
    input: &mut dyn Read,
    verify: Option<&Verify>,
    handler: &H,
    limits: &LayerLimits,
) -> Result<(LayerChanges<H::Output>, Option<String>), Failure> {
    let mut tar_stream = HashingReader::optional(input, matches!(verify, Some(Verify::DiffId(_))));
    let changes = parse_tar(&mut tar_stream, handler, limits)?;
    let diff_id = tar_stream
        .finish()
        .map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt))?;
    Ok((changes, diff_id))
}

fn check_digests(
    verify: Option<&Verify>,
    blob_digest: &str,
    diff_id: Option<&str>,
) -> Result<(), Failure> {
    match verify {
        Some(Verify::Blob(want)) if want != blob_digest => Err(Failure::digest_mismatch(format!(
            "digest mismatch: manifest says {want}, content is {blob_digest}"
        ))),
        Some(Verify::DiffId(want)) if Some(want.as_str()) != diff_id => {
            Err(Failure::digest_mismatch(format!(
                "diff_id mismatch: config says {want}, content is {}",
                diff_id.unwrap_or_default()
            )))
        }
        _ => Ok(()),
    }
}

/// Names the compression in decoding errors; storage and transport errors stay as the
/// source reported them.
fn describe(compression: Compression, failure: Failure) -> Failure {
    if failure.kind != ErrorKind::Corrupt {
        return failure;
    }
    match compression {
        Compression::None => failure,
        Compression::Gzip => failure.context("corrupt or truncated gzip layer"),
        Compression::Zstd => failure.context("corrupt or truncated zstd layer"),
    }
}

fn parse_tar<H: FileHandler>(
    stream: &mut dyn Read,
    handler: &H,
    limits: &LayerLimits,
) -> Result<LayerChanges<H::Output>, Failure> {
    let mut archive = tar::Archive::new(stream);
    let mut out = LayerChanges::new();
    let mut results = Latest::default();
    let entries = archive
        .entries()
        .map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt).context("not a tar stream"))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt).context("corrupt tar"))?;
        let raw_name = entry.path_bytes().into_owned();
        let Some(path) = normalize_entry_path(&raw_name, &mut out.warnings)? else {
            continue;
        };
        let (dir, base) = match path.rfind('/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path.as_str()),
        };
        if base == ".wh..wh..opq" {
            out.opaque_dirs.push(dir.to_owned());
            continue;
        }
        if let Some(hidden) = base.strip_prefix(".wh.") {
            if hidden.is_empty() || hidden == "." || hidden == ".." {
                return Err(Failure::corrupt(format!("invalid whiteout entry '{path}'")));
            }
            out.whiteouts.push(if dir.is_empty() {
                hidden.to_owned()
            } else {
                format!("{dir}/{hidden}")
            });
            continue;
        }
        let header = entry.header();
        let kind_raw = header.entry_type();
        let mode = header.mode().unwrap_or(0);
        let uid = header.uid().unwrap_or(0);
        let gid = header.gid().unwrap_or(0);
        let size = entry.size();
        let link = || -> Result<String, Failure> {
            let t = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            t.ok_or_else(|| Failure::corrupt(format!("link entry '{path}' has no target")))
        };
        let kind = match kind_raw {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                EntryKind::File
            }
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => EntryKind::Symlink(link()?),
            tar::EntryType::Link => {
                let target = link()?;
                let mut ignored = Vec::new();
                match normalize_entry_path(target.as_bytes(), &mut ignored)? {
                    Some(t) => EntryKind::Hardlink(t),
                    None => {
                        return Err(Failure::corrupt(format!(
                            "hard link '{path}' points at the root"
                        )));
                    }
                }
            }
            _ => EntryKind::Other,
        };
        // Whatever this entry is, it replaces the path's earlier entry in this tar.
        results.drop(&path);
        if kind == EntryKind::File && handler.wants(&path, size, mode) {
            if handler.streams(&path, size, mode) {
                let result = handler
                    .handle_stream(&path, &mut entry, size, mode)
                    .map_err(|e| reading(&path, &e))?;
                if handler.keeps(&result) {
                    results.put(&path, result);
                }
            } else if size > limits.max_file_size {
                out.skipped.push((
                    path.clone(),
                    format!(
                        "{size} bytes is over the {} byte limit; not analyzed",
                        limits.max_file_size
                    ),
                ));
            } else {
                let mut content = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                entry
                    .read_to_end(&mut content)
                    .map_err(|e| reading(&path, &e))?;
                let result = handler.handle(&path, &content, mode);
                if handler.keeps(&result) {
                    results.put(&path, result);
                }
            }
        }
        out.push_entry(LayerEntry {
            path,
            kind,
            mode,
            uid,
            gid,
            size,
        });
    }
    io::copy(&mut archive.into_inner(), &mut io::sink())
        .map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt))?;
    out.results = results.slots.into_iter().flatten().collect();
    // A chunk is allocated whole; a small layer's one chunk would waste 4096 entries'
    // room for as long as the image's results are kept (2,000 layers: 700 MB).
    if let Some(last) = out.entries.last_mut() {
        last.shrink_to_fit();
    }
    Ok(out)
}

/// Handler results of one tar, in tar order, holding only each path's last: a path the
/// tar writes again replaces its earlier version, which no one can ever see (a package
/// DB written 100,000 times in one layer is one parsed copy, not 100,000).
struct Latest<T> {
    slots: Vec<Option<(String, T)>>,
    at: HashMap<String, usize>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            at: HashMap::new(),
        }
    }
}

impl<T> Latest<T> {
    /// Forgets the result of an earlier entry at `path`, if any.
    fn drop(&mut self, path: &str) {
        if let Some(i) = self.at.remove(path) {
            self.slots[i] = None;
        }
    }

    fn put(&mut self, path: &str, result: T) {
        self.drop(path);
        // Emptied slots are reclaimed once they are most of the list.
        if self.slots.len() >= 1024 && self.slots.len() > 2 * self.at.len() {
            self.slots.retain(Option::is_some);
            for (i, (p, _)) in self.slots.iter().flatten().enumerate() {
                self.at.insert(p.clone(), i);
            }
        }
        self.at.insert(path.to_owned(), self.slots.len());
        self.slots.push(Some((path.to_owned(), result)));
    }
}

fn reading(path: &str, e: &io::Error) -> Failure {
    Failure::from_io(e, ErrorKind::Corrupt).context(format_args!("reading '{path}'"))
}

/// Turns a tar member name into an image path: relative, `/`-separated, no `.`.
/// `..` is refused outright (a layer has no business pointing above its root), and the
/// root itself (`./`) yields None.
pub(crate) fn normalize_entry_path(
    raw: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Option<String>, Failure> {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let lossy = String::from_utf8_lossy(raw).into_owned();
            warnings.push(format!(
                "{lossy}: file name is not UTF-8; shown with replacement characters"
            ));
            lossy
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(Failure::corrupt(format!(
                    "entry '{name}' escapes the layer root (path traversal)"
                )));
            }
            p => parts.push(p),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}
