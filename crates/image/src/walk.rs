//! Reading layers into per-layer results, and merging those into one filesystem view.
//! The two are separate steps so that a cache can supply the results of layers it has
//! seen before and only the others are read.

use crate::Limits;
use crate::error::{Failure, Result};
use crate::layer::{LayerChanges, LayerLimits, read_layer, read_layer_inline};
use crate::source::BlobSource;
use crate::view::{FileView, WhiteoutApplied};
use crate::{Content, EntryKind, FileHandler, Image, Layer, LayerSet};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Wanted files larger than this are skipped with a warning instead of buffered.
    pub max_file_size: u64,
    /// Layer size, inflation and time limits; a layer that reaches one fails the walk.
    pub limits: Limits,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            max_file_size: 512 << 20,
            limits: Limits::default(),
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
        self.current_positions().into_iter().map(|(layer, i)| {
            let (path, r) = &self.layer_results[layer][i];
            (path.as_str(), layer, r)
        })
    }

    /// Where [`Walked::current`]'s results are in `layer_results` (layer, position), sorted
    /// by path: lets a caller move a result out instead of cloning it.
    pub fn current_positions(&self) -> Vec<(usize, usize)> {
        let mut last: HashMap<&str, (usize, usize)> = HashMap::new();
        for (layer, results) in self.layer_results.iter().enumerate() {
            for (i, (path, _)) in results.iter().enumerate() {
                last.insert(path.as_str(), (layer, i));
            }
        }
        let mut out: Vec<(&str, (usize, usize))> = last
            .into_iter()
            .filter(|(path, (layer, _))| {
                self.view
                    .get(path)
                    .is_some_and(|n| n.layer == *layer && n.kind == EntryKind::File)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out.into_iter().map(|(_, at)| at).collect()
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
    /// Streams every layer once and merges them in order: [`Image::read_layers_each`] for
    /// all layers into a [`LayerSet`], then [`Image::merge`].
    pub fn walk<H: FileHandler>(
        &self,
        handler: &H,
        opts: &WalkOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Walked<H::Output>> {
        let all: Vec<usize> = (0..self.layers.len()).collect();
        let set = Mutex::new(LayerSet::new(self.layers.len()));
        self.read_layers_each(&all, handler, opts, progress, &|i, changes| {
            lock(&set).insert(i, changes, handler);
        })?;
        self.merge(
            set.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .into_layers(),
        )
    }

    /// [`Image::read_layers_each`] collected in the order asked.
    pub fn read_layers<H: FileHandler>(
        &self,
        indices: &[usize],
        handler: &H,
        opts: &WalkOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<LayerChanges<H::Output>>> {
        let out: Mutex<Vec<Option<LayerChanges<H::Output>>>> =
            Mutex::new(indices.iter().map(|_| None).collect());
        self.read_layers_each(indices, handler, opts, progress, &|i, changes| {
            lock(&out)[i] = Some(changes);
        })?;
        let out = out.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(out.into_iter().flatten().collect())
    }

    /// Reads the layers at `indices` (one index reads one layer), handing each one's
    /// results to `each` with its position in `indices` as soon as it is read, so the
    /// caller can store or compact them before the next layers finish. Layers are read in
    /// parallel where the source allows random access, else in one pass over the
    /// container. Panics on an index past [`Image::layers`].
    pub fn read_layers_each<H: FileHandler>(
        &self,
        indices: &[usize],
        handler: &H,
        opts: &WalkOptions,
        progress: &(dyn Fn(u64) + Sync),
        each: &(dyn Fn(usize, LayerChanges<H::Output>) + Sync),
    ) -> Result<()> {
        let limits = LayerLimits {
            max_file_size: opts.max_file_size,
            budget: opts.limits,
        };
        let layers: Vec<&Layer> = indices.iter().map(|&i| &self.layers[i]).collect();
        match &self.content {
            Content::Tree(root) => {
                for i in 0..layers.len() {
                    let changes = crate::rootfs::read_tree(root, handler, &limits, progress)
                        .map_err(|f| f.in_input(&self.input))?;
                    each(i, changes);
                }
                Ok(())
            }
            Content::Blobs(source) if source.random_access() => {
                layers.par_iter().enumerate().try_for_each(|(i, layer)| {
                    limits
                        .budget
                        .check_declared(layer.size)
                        .map_err(|f| self.layer_failure(layer, f).in_input(&self.input))?;
                    let mut blob = source
                        .open(&layer.location)
                        .map_err(|f| f.in_input(&self.input))?;
                    let changes =
                        read_layer(&mut blob, layer.verify.as_ref(), handler, &limits, progress)
                            .map_err(|f| self.layer_failure(layer, f).in_input(&self.input))?;
                    each(i, changes);
                    Ok(())
                })
            }
            Content::Blobs(source) => self
                .read_layers_streamed(&**source, &layers, handler, &limits, progress, each)
                .map_err(|f| f.in_input(&self.input)),
        }
    }

    /// Compressed archives can only be read front to back: layers are handled in archive
    /// order (`each` gets their positions in `layers`).
    fn read_layers_streamed<H: FileHandler>(
        &self,
        source: &dyn BlobSource,
        layers: &[&Layer],
        handler: &H,
        limits: &LayerLimits,
        progress: &(dyn Fn(u64) + Sync),
        each: &(dyn Fn(usize, LayerChanges<H::Output>) + Sync),
    ) -> Result<(), Failure> {
        for layer in layers {
            limits
                .budget
                .check_declared(layer.size)
                .map_err(|f| self.layer_failure(layer, f))?;
        }
        let mut done = vec![false; layers.len()];
        // A layer listed twice (legacy saves link duplicate layers to one member) is read
        // once per listing; each pass over the archive fills one listing per member.
        while done.contains(&false) {
            let wanted: Vec<String> = layers
                .iter()
                .zip(&done)
                .filter(|(_, d)| !**d)
                .map(|(l, _)| l.location.clone())
                .collect();
            let mut filled = 0;
            source.stream_members(&wanted, &mut |name, reader| {
                let Some(i) = layers
                    .iter()
                    .zip(&done)
                    .position(|(l, d)| l.location == name && !*d)
                else {
                    return Ok(());
                };
                let layer = layers[i];
                let c = read_layer_inline(reader, layer.verify.as_ref(), handler, limits, progress)
                    .map_err(|f| self.layer_failure(layer, f))?;
                done[i] = true;
                each(i, c);
                filled += 1;
                Ok(())
            })?;
            if filled == 0
                && let Some((layer, _)) = layers.iter().zip(&done).find(|(_, d)| !**d)
            {
                return Err(self.layer_failure(
                    layer,
                    Failure::not_found("listed in the manifest but missing from the archive"),
                ));
            }
        }
        Ok(())
    }

    /// Applies per-layer results, one per layer of the image in layer order, with OCI
    /// whiteout rules. Panics if `changes` does not hold one entry per layer.
    pub fn merge<T>(&self, changes: Vec<LayerChanges<T>>) -> Result<Walked<T>> {
        assert_eq!(
            changes.len(),
            self.layers.len(),
            "merge needs one result per layer"
        );
        let mut view = FileView::default();
        let mut whiteouts = Vec::new();
        let mut warnings = Vec::new();
        let mut skipped = Vec::new();
        let mut layer_results = Vec::with_capacity(changes.len());
        for (layer, mut c) in self.layers.iter().zip(changes) {
            view.apply(layer.index, &mut c, &mut whiteouts)
                .map_err(|f| self.layer_failure(layer, f).in_input(&self.input))?;
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

    /// Names the layer, except in a directory, which is the only layer. Numbered from 0,
    /// as the table and the JSON report number layers.
    fn layer_failure(&self, layer: &Layer, failure: Failure) -> Failure {
        if matches!(self.content, Content::Tree(_)) {
            return failure;
        }
        failure.context(format_args!("layer {} ({})", layer.index, layer.digest))
    }
}

/// A poisoned lock only means another layer's thread panicked; its data is still whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
