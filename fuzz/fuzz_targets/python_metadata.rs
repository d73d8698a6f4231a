#![no_main]
//! `PythonDistAnalyzer` on arbitrary bytes as `/usr/lib/python3/site-packages/x-1.0.dist-info/METADATA`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::PythonDistAnalyzer, "usr/lib/python3/site-packages/x-1.0.dist-info/METADATA", data);
});
