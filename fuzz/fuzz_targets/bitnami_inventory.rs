#![no_main]
//! `BitnamiAnalyzer` on arbitrary bytes: the first byte picks the file (a component's SPDX
//! document or the older `.bitnami_components.json`), the rest is its content.

use drydock_inventory::BitnamiAnalyzer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let path = match pick % 2 {
        0 => "opt/bitnami/postgresql/.spdx-postgresql.spdx",
        _ => "opt/bitnami/.bitnami_components.json",
    };
    drydock_fuzz::analyze(&BitnamiAnalyzer, path, content);
});
