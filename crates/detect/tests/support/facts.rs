//! File facts built by hand, shared by the misconfiguration test binaries.
#![allow(dead_code)] // Each test binary uses its own subset.

use drydock_detect::FileFact;

pub const REG: u32 = 0o100_000;
pub const DIR: u32 = 0o040_000;
pub const LNK: u32 = 0o120_000;

/// A root-owned file of 100 bytes with `mode`, written by layer `layer`.
pub fn fact(path: &str, mode: u32, layer: usize) -> FileFact {
    FileFact {
        path: path.into(),
        mode,
        uid: 0,
        gid: 0,
        size: 100,
        layer_index: layer,
        link_target: None,
    }
}
