#![no_main]
//! `GoBinaryAnalyzer` on arbitrary bytes as `/usr/local/bin/app`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::GoBinaryAnalyzer, "usr/local/bin/app", data);
});
