//! Gathering per-layer results as layers finish, in any order, without keeping a full
//! copy of every version of a rewritten file: an image that rewrites its package DB in
//! 2,000 layers would otherwise hold 2,000 parsed DBs until the merge.

use crate::FileHandler;
use crate::layer::LayerChanges;
use std::collections::HashMap;

/// Results of an image's layers, filled one layer at a time. When two layers hold a result
/// for the same path, the older one is handed to [`FileHandler::supersede`] at once, so
/// at any moment each tracked path has one full result: the newest read so far.
pub struct LayerSet<T> {
    slots: Vec<Option<LayerChanges<T>>>,
    /// For each path whose result [`FileHandler::compacts`], where its newest full copy is:
    /// (layer, position in that layer's results).
    newest: HashMap<String, (usize, usize)>,
}

impl<T> LayerSet<T> {
    pub fn new(layers: usize) -> Self {
        Self {
            slots: (0..layers).map(|_| None).collect(),
            newest: HashMap::new(),
        }
    }

    /// Adds layer `index`'s results, compacting whichever copy of each tracked path is
    /// now older than another. Panics on an index past the layer count.
    pub fn insert<H: FileHandler<Output = T>>(
        &mut self,
        index: usize,
        mut changes: LayerChanges<T>,
        handler: &H,
    ) {
        for (i, (path, result)) in changes.results.iter_mut().enumerate() {
            if !handler.compacts(result) {
                continue;
            }
            match self.newest.get_mut(path.as_str()) {
                None => {
                    self.newest.insert(path.clone(), (index, i));
                }
                Some(at) if at.0 > index => handler.supersede(result),
                Some(at) => {
                    let (layer, position) = std::mem::replace(at, (index, i));
                    if let Some(older) = self.slots[layer].as_mut() {
                        handler.supersede(&mut older.results[position].1);
                    }
                }
            }
        }
        self.slots[index] = Some(changes);
    }

    /// The results in layer order, for [`crate::Image::merge`]; layers never inserted are
    /// left out (the merge then refuses the set).
    pub fn into_layers(self) -> Vec<LayerChanges<T>> {
        self.slots.into_iter().flatten().collect()
    }
}
