#![no_main]
//! An image archive (docker-archive or OCI tar): `manifest.json` / `index.json`, the
//! config JSON, and every layer tar with its whiteouts, opened and walked the way a scan
//! does. The input is written to one file per process, since images are opened by path.

use drydock_image::{FileHandler, Image, ImageRef, OpenOptions, WalkOptions};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;

static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("drydock-fuzz-image-{}.tar", std::process::id()))
});

/// Wants every file and keeps its length, so content and whiteout handling both run.
struct Everything;

impl FileHandler for Everything {
    type Output = usize;
    fn wants(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        true
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> usize {
        content.len()
    }
}

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*PATH, data).expect("temp file");
    let Ok(image) = Image::open(&ImageRef::parse_local(&*PATH), &OpenOptions::default()) else {
        return;
    };
    let opts = WalkOptions {
        max_file_size: 1 << 20,
        ..WalkOptions::default()
    };
    if let Ok(walked) = image.walk(&Everything, &opts, &|_| {}) {
        for (path, node) in walked.view.iter() {
            assert!(!path.starts_with('/'), "{path}: paths are relative");
            let _ = node.size;
        }
    }
});
