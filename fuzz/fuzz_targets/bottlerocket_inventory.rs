#![no_main]
//! `BottlerocketAnalyzer` on arbitrary bytes as Bottlerocket's application inventory.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(
        &drydock_inventory::BottlerocketAnalyzer,
        "usr/share/bottlerocket/application-inventory.json",
        data,
    );
});
