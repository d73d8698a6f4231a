//! Reads container images from local sources and streams their layers into a merged
//! file view.
//!
//! Every layer is read exactly once, front to back, with its digest checked on the way;
//! only the files a [`FileHandler`] asks for are read into memory, one at a time.

mod config;
mod digest;
mod error;
mod layer;
mod open;
mod pipe;
mod rootfs;
mod store;
mod view;

pub use config::{History, ImageConfig, Platform, RuntimeConfig};
pub use error::ImageError;
pub use layer::EntryKind;
pub use view::{FileView, Node, WhiteoutApplied};

use error::{Ctx, Result};
use layer::{LayerChanges, LayerLimits, Verify, read_layer, read_layer_inline};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use store::Store;

/// How the image was stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `docker save` before Docker 25: manifest.json + `<id>/layer.tar`.
    DockerArchive,
    /// `docker save` from Docker 25 on: an OCI layout plus manifest.json.
    DockerArchiveOci,
    OciLayout,
    OciArchive,
    /// An unpacked root filesystem (`drydock rootfs`).
    Rootfs,
    /// A project checkout (`drydock fs`): lockfiles, no OS expected.
    SourceTree,
}

#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Which image of a multi-platform index to read; None picks the host's or the only one.
    pub platform: Option<Platform>,
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
    location: String,
    verify: Option<Verify>,
}

/// An opened image: manifest and config parsed and verified, layers not yet read.
pub struct Image {
    ctx: Ctx,
    pub format: Format,
    pub manifest_digest: Option<String>,
    /// sha256 of the config: what `docker images` calls the image ID.
    pub config_digest: Option<String>,
    pub repo_tags: Vec<String>,
    pub platform: Option<Platform>,
    pub config: Option<ImageConfig>,
    pub layers: Vec<Layer>,
    store: Store,
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
}

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Wanted files larger than this are skipped with a warning instead of buffered.
    pub max_file_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            max_file_size: 512 << 20,
        }
    }
}

/// The outcome of streaming every layer.
pub struct Walked<T> {
    pub view: FileView,
    /// Handler results for each layer, in tar order.
    pub layer_results: Vec<Vec<(String, T)>>,
    pub whiteouts: Vec<WhiteoutApplied>,
    /// Wanted files that could not be analysed (path, reason), from any layer.
    pub skipped: Vec<(String, String)>,
    /// Oddities that did not stop the scan (e.g. non-UTF-8 names).
    pub warnings: Vec<String>,
}

impl<T> Walked<T> {
    /// Results for files still present in the final filesystem, with the layer that
    /// wrote them: the version of each path from the layer the view says wrote it.
    pub fn current(&self) -> impl Iterator<Item = (&str, usize, &T)> {
        let mut last: HashMap<&str, (usize, &T)> = HashMap::new();
        for (layer, results) in self.layer_results.iter().enumerate() {
            for (path, r) in results {
                last.insert(path.as_str(), (layer, r));
            }
        }
        let mut out: Vec<(&str, usize, &T)> = last
            .into_iter()
            .filter(|(path, (layer, _))| {
                self.view
                    .get(path)
                    .is_some_and(|n| n.layer == *layer && n.kind == EntryKind::File)
            })
            .map(|(p, (l, r))| (p, l, r))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out.into_iter()
    }

    /// Every analysed version of each path, oldest layer first; used to find the layer
    /// that first introduced something a later layer merely rewrote. Built once, so asking
    /// per file stays linear in the number of results.
    pub fn histories(&self) -> HashMap<&str, Vec<(usize, &T)>> {
        let mut out: HashMap<&str, Vec<(usize, &T)>> = HashMap::new();
        for (layer, results) in self.layer_results.iter().enumerate() {
            for (path, r) in results {
                out.entry(path.as_str()).or_default().push((layer, r));
            }
        }
        out
    }
}

impl Image {
    /// Opens a docker-archive (plain or compressed), OCI layout directory or OCI archive.
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<Image> {
        open::open(path, opts)
    }

    /// Treats a directory as a one-layer image (an unpacked root filesystem).
    pub fn rootfs(path: &Path) -> Result<Image> {
        Self::directory(path, Format::Rootfs)
    }

    /// Treats a project directory as a one-layer image.
    pub fn source_tree(path: &Path) -> Result<Image> {
        Self::directory(path, Format::SourceTree)
    }

    fn directory(path: &Path, format: Format) -> Result<Image> {
        let ctx = Ctx {
            input: path.display().to_string(),
        };
        let meta = std::fs::metadata(path).map_err(|e| ctx.err(format!("cannot open: {e}")))?;
        if !meta.is_dir() {
            return Err(ctx.err("not a directory"));
        }
        Ok(Image {
            ctx,
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
            store: Store::open_dir(path),
        })
    }

    pub fn input(&self) -> &str {
        &self.ctx.input
    }

    /// Sum of the layer blob sizes when known (for progress bars).
    pub fn total_layer_bytes(&self) -> Option<u64> {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// Streams every layer once (in parallel where the container allows random access)
    /// and merges them in order.
    pub fn walk<H: FileHandler>(
        &self,
        handler: &H,
        opts: &WalkOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Walked<H::Output>> {
        let limits = LayerLimits {
            max_file_size: opts.max_file_size,
        };
        let changes: Vec<LayerChanges<H::Output>> = if self.is_directory() {
            vec![
                rootfs::read_tree(self.store.path(), handler, &limits, progress)
                    .map_err(|e| self.ctx.err(e))?,
            ]
        } else if self.store.is_streamed() {
            self.read_layers_streamed(handler, &limits, progress)?
        } else {
            self.layers
                .par_iter()
                .map(|layer| {
                    let mut blob = self.store.open(&layer.location, &self.ctx)?;
                    read_layer(&mut blob, layer.verify.as_ref(), handler, &limits, progress)
                        .map_err(|e| self.layer_err(layer, &e))
                })
                .collect::<Result<_>>()?
        };
        let mut view = FileView::default();
        let mut whiteouts = Vec::new();
        let mut warnings = Vec::new();
        let mut skipped = Vec::new();
        let mut layer_results = Vec::with_capacity(changes.len());
        for (layer, mut c) in self.layers.iter().zip(changes) {
            view.apply(layer.index, &mut c, &mut whiteouts)
                .map_err(|e| self.layer_err(layer, &e))?;
            warnings.append(&mut c.warnings);
            skipped.extend(c.skipped.drain(..).map(|(p, why)| (layer.index, p, why)));
            layer_results.push(c.results);
        }
        // Only what survives in the final filesystem matters.
        let skipped = skipped
            .into_iter()
            .filter(|(l, p, _)| view.get(p).is_some_and(|n| n.layer == *l))
            .map(|(_, p, why)| (p, why))
            .collect();
        Ok(Walked {
            view,
            layer_results,
            whiteouts,
            skipped,
            warnings,
        })
    }

    /// Compressed archives can only be read front to back: layers are handled in archive
    /// order, then put back in manifest order.
    fn read_layers_streamed<H: FileHandler>(
        &self,
        handler: &H,
        limits: &LayerLimits,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<LayerChanges<H::Output>>> {
        let mut out: Vec<Option<LayerChanges<H::Output>>> =
            self.layers.iter().map(|_| None).collect();
        // A layer listed twice (legacy saves link duplicate layers to one member) is read
        // once per listing; each pass over the archive fills one listing per member.
        while out.iter().any(Option::is_none) {
            let wanted: Vec<String> = self
                .layers
                .iter()
                .zip(&out)
                .filter(|(_, c)| c.is_none())
                .map(|(l, _)| l.location.clone())
                .collect();
            let mut filled = 0;
            self.store
                .stream_members(&wanted, &self.ctx, &mut |name, reader| {
                    let Some(i) = self
                        .layers
                        .iter()
                        .zip(&out)
                        .position(|(l, c)| l.location == name && c.is_none())
                    else {
                        return Ok(());
                    };
                    let layer = &self.layers[i];
                    let c =
                        read_layer_inline(reader, layer.verify.as_ref(), handler, limits, progress)
                            .map_err(|e| self.layer_err(layer, &e))?;
                    out[i] = Some(c);
                    filled += 1;
                    Ok(())
                })?;
            if filled == 0 {
                let missing = self
                    .layers
                    .iter()
                    .zip(&out)
                    .find(|(_, c)| c.is_none())
                    .map(|(l, _)| l);
                if let Some(layer) = missing {
                    return Err(self
                        .layer_err(layer, "listed in the manifest but missing from the archive"));
                }
            }
        }
        Ok(out.into_iter().flatten().collect())
    }

    fn is_directory(&self) -> bool {
        matches!(self.format, Format::Rootfs | Format::SourceTree)
    }

    fn layer_err(&self, layer: &Layer, msg: &str) -> ImageError {
        if self.is_directory() {
            return self.ctx.err(msg.to_owned());
        }
        self.ctx.err(format!(
            "layer {} ({}): {msg}",
            layer.index + 1,
            layer.digest
        ))
    }
}
