#![no_main]
//! `cargo auditable` dependency data in an executable (the `.dep-v0` section, zlib JSON).

use drydock_inventory::CargoAuditableAnalyzer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&CargoAuditableAnalyzer, "app/bin/rust-hello", data);
});
