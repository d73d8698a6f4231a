//! The per-layer result cache in the scan: a layer whose results are stored under its
//! key is not read at all (for a registry image, not even downloaded); the others are
//! read as usual and stored. Merging the layers afterwards is the same either way, so a
//! report from cached layers equals one from a cold scan.
//!
//! A registry blob is content-addressed and was verified when its results were stored,
//! so a hit there is trusted without a download. A local archive can be edited under the
//! same declared digest, so its cached layers are still read and checked against their
//! digests, just not analysed: a tampered layer fails exactly as in a cold scan.
//!
//! A key is the sha256 of everything the stored results depend on: the layer's digests,
//! each analyzer's name and version, the secret rules in force, the options that change
//! which files are read, and [`FORMAT`].

use crate::route::{FileOutcome, Readers};
use drydock_cache::LayerCache;
use drydock_image::{FileHandler, Format, Image, LayerChanges, LayerSet, WalkOptions, Walked};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Mutex;

/// Bumped whenever the layer reader, the routing or the detectors change what a layer's
/// results hold without an analyzer version changing.
const FORMAT: u32 = 2;

/// What a layer's results depend on besides the layer itself.
#[derive(Serialize)]
struct Fingerprint<'a> {
    format: u32,
    analyzers: Vec<(&'static str, u32)>,
    secrets: Option<&'a drydock_detect::SecretConfig>,
    misconfig: bool,
    debug: bool,
    skip: [Vec<&'a str>; 2],
    max_file_size: u64,
}

/// Reads the image's layers, taking those the cache holds from it, and merges them.
/// Directories (root filesystems, source trees) have no layer digest and bypass it.
pub(crate) fn walk(
    image: &Image,
    readers: &Readers<'_>,
    secrets: Option<&drydock_detect::SecretConfig>,
    opts: &WalkOptions,
    cache: Option<&LayerCache>,
    trust_digests: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Walked<FileOutcome>, drydock_image::ImageError> {
    let Some(cache) = cache.filter(|_| image.format != Format::Rootfs) else {
        return image.walk(readers, opts, progress);
    };
    let fingerprint = Fingerprint {
        format: FORMAT,
        analyzers: readers
            .analyzers
            .iter()
            .map(|a| (a.name(), a.version()))
            .collect(),
        secrets,
        misconfig: readers.misconfig,
        debug: readers.debug,
        skip: readers.skip.patterns(),
        max_file_size: opts.max_file_size,
    };
    let fingerprint = serde_json::to_vec(&fingerprint).unwrap_or_default();
    let keys: Vec<String> = image
        .layers
        .iter()
        .map(|layer| {
            let mut h = Sha256::new();
            h.update(&fingerprint);
            h.update(b"\0");
            h.update(layer.digest.as_bytes());
            h.update(b"\0");
            h.update(layer.diff_id.as_deref().unwrap_or_default().as_bytes());
            hex::encode(h.finalize())
        })
        .collect();
    // Layers go into the set as they arrive, so a rewritten package DB's older copies
    // are compacted at once; each is stored in the cache before that.
    let mut set = LayerSet::new(keys.len());
    let mut missing = Vec::new();
    let mut hits = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let parsed = cache.get(key).and_then(|bytes| {
            let parsed = serde_json::from_slice::<LayerChanges<FileOutcome>>(&bytes).ok();
            if parsed.is_none() {
                cache.discard(key);
            }
            parsed
        });
        match parsed {
            Some(changes) => {
                set.insert(i, changes, readers);
                hits.push(i);
            }
            None => missing.push(i),
        }
    }
    if !trust_digests {
        image.read_layers(&hits, &NoFiles, opts, progress)?;
    }
    let set = Mutex::new(set);
    image.read_layers_each(&missing, readers, opts, progress, &|at, changes| {
        let i = missing[at];
        cache.put(&keys[i], |out| {
            serde_json::to_writer(out, &changes).map_err(std::io::Error::other)
        });
        set.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(i, changes, readers);
    })?;
    image.merge(
        set.into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_layers(),
    )
}

/// Reads a layer only to check it against its digest: wants no file.
struct NoFiles;

impl FileHandler for NoFiles {
    type Output = ();
    fn wants(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        false
    }
    fn handle(&self, _path: &str, _content: &[u8], _mode: u32) {}
}
