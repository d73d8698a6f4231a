#![no_main]
//! `DpkgAnalyzer` on arbitrary bytes as `/var/lib/dpkg/status`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::DpkgAnalyzer, "var/lib/dpkg/status", data);
});
