//! Reads container images and streams their layers into a merged file view.
//!
//! Opening resolves an [`ImageRef`] to one manifest over a [`BlobSource`]; walking reads
//! every layer exactly once, front to back, with its digest checked on the way, and
//! merges the per-layer results ([`LayerChanges`]) in order. Only the files a
//! [`FileHandler`] asks for are read into memory, one at a time.

mod budget;
mod collect;
mod config;
mod digest;
mod error;
mod layer;
mod open;
mod pipe;
mod reference;
mod rootfs;
mod source;
mod view;
mod walk;

pub use budget::{Limits, RATIO_FLOOR};
pub use collect::LayerSet;
pub use config::{History, ImageConfig, Platform, RuntimeConfig};
pub use error::{ErrorKind, Failure, ImageError};
pub use layer::{EntryKind, LayerChanges, LayerEntry};
pub use open::{ImageRef, RootDescriptor};
pub use reference::{DOCKER_HUB, Reference};
pub use source::BlobSource;
pub use view::{FileView, Node, ResolveError, WhiteoutApplied};
pub use walk::{WalkOptions, Walked};

use error::{Result, cannot_open};
use layer::Verify;
use std::path::{Path, PathBuf};

/// How the image was stored: the report's own vocabulary, so nothing maps it.
pub use drydock_model::ArtifactFormat as Format;

#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Which image of a multi-platform index to read; None picks the host's or the only one.
    pub platform: Option<Platform>,
    /// A compressed archive is inflated whole to find its members: its inflation ratio
    /// and the scan's deadline hold from that first pass on (the layer size does not).
    pub limits: Limits,
}

/// One layer of the selected image.
#[derive(Debug, Clone)]
pub struct Layer {
    pub index: usize,
    /// The digest users see for this layer: the blob digest, or the diff_id for legacy
    /// `docker save` archives, which carry no blob digests.
    pub digest: String,
    pub diff_id: Option<String>,
    pub media_type: Option<String>,
    pub size: Option<u64>,
    /// The history `created_by` command that made this layer.
    pub created_by: Option<String>,
    /// The blob's name in its source.
    location: String,
    verify: Option<Verify>,
}

/// An opened image: manifest and config parsed and verified, layers not yet read.
pub struct Image {
    input: String,
    pub format: Format,
    pub manifest_digest: Option<String>,
    /// sha256 of the config: what `docker images` calls the image ID.
    pub config_digest: Option<String>,
    pub repo_tags: Vec<String>,
    pub platform: Option<Platform>,
    pub config: Option<ImageConfig>,
    pub layers: Vec<Layer>,
    content: Content,
}

/// Where the layers' bytes come from.
enum Content {
    /// Layer blobs in a container: an archive or layout (later a registry or engine).
    Blobs(Box<dyn BlobSource>),
    /// A directory read as the only layer.
    Tree(PathBuf),
}

/// Decides which files to read and turns each into a result. Called from several
/// threads at once (one per layer), hence `Sync`.
pub trait FileHandler: Sync {
    type Output: Send;
    /// Cheap test run for every regular file of every layer.
    fn wants(&self, path: &str, size: u64, mode: u32) -> bool;
    /// Called with the whole content of a wanted file (paths have no leading `/`) and the
    /// same `mode` that `wants` saw, so a handler can re-run its own `wants` faithfully.
    fn handle(&self, path: &str, content: &[u8], mode: u32) -> Self::Output;

    /// Whether a wanted file should be handed over as a stream instead of a buffer (large
    /// files whose readers work in bounded memory); such files may exceed the buffering
    /// size limit.
    fn streams(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        false
    }
    /// Reads a wanted file piece by piece; only called when [`FileHandler::streams`] said so.
    fn handle_stream(
        &self,
        path: &str,
        reader: &mut dyn std::io::Read,
        _size: u64,
        mode: u32,
    ) -> std::io::Result<Self::Output> {
        let mut content = Vec::new();
        reader.read_to_end(&mut content)?;
        Ok(self.handle(path, &content, mode))
    }

    /// Whether a result says anything: one that does not (a text file with no secret in
    /// it) is not kept, so a million plain files cost no million results.
    fn keeps(&self, _output: &Self::Output) -> bool {
        true
    }
    /// Whether a result is worth compacting once a newer layer writes the same path (a
    /// parsed package DB is; most results are small). Only such paths are tracked.
    fn compacts(&self, _output: &Self::Output) -> bool {
        false
    }
    /// Shrinks the result of a file a newer layer rewrote to what is still read of an
    /// older version: no one sees its content again, only its history.
    fn supersede(&self, _output: &mut Self::Output) {}
}

impl Image {
    /// Opens the image a reference names, checking its manifest and config.
    pub fn open(image: &ImageRef, opts: &OpenOptions) -> Result<Image> {
        open::open(image, opts)
    }

    /// Opens an image whose blobs `source` serves (a registry), from the manifest or
    /// index its name resolved to; `input` is the name as the user gave it.
    pub fn open_remote(
        input: &str,
        source: Box<dyn BlobSource>,
        root: &RootDescriptor,
        opts: &OpenOptions,
    ) -> Result<Image> {
        open::open_remote(input, source, root, opts)
    }

    /// Opens the `docker save` tar a container engine exported, from an open handle to
    /// it (the engine's export spooled to an unlinked temporary file); `input` is the
    /// name as the user gave it.
    pub fn open_export(input: &str, file: std::fs::File, opts: &OpenOptions) -> Result<Image> {
        open::open_export(input, file, opts)
    }

    /// Treats a directory as a one-layer image (an unpacked root filesystem).
    pub fn rootfs(path: &Path) -> Result<Image> {
        Self::directory(path, Format::Rootfs)
    }

    fn directory(path: &Path, format: Format) -> Result<Image> {
        let input = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| cannot_open(&e).in_input(&input))?;
        if !meta.is_dir() {
            return Err(Failure::unsupported("not a directory").in_input(&input));
        }
        Ok(Image {
            input,
            format,
            manifest_digest: None,
            config_digest: None,
            repo_tags: Vec::new(),
            platform: None,
            config: None,
            layers: vec![Layer {
                index: 0,
                digest: String::new(),
                diff_id: None,
                media_type: None,
                size: None,
                created_by: None,
                location: String::new(),
                verify: None,
            }],
            content: Content::Tree(path.to_owned()),
        })
    }

    /// The input as the user named it.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Sum of the layer blob sizes when known (for progress bars).
    pub fn total_layer_bytes(&self) -> Option<u64> {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// A directory is one pseudo-layer; its progress line names files, not layers.
    pub fn is_tree(&self) -> bool {
        matches!(self.content, Content::Tree(_))
    }

    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }
}
