#![no_main]
//! `JarAnalyzer` on arbitrary bytes as `/app/lib/app.jar`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::JarAnalyzer, "app/lib/app.jar", data);
});
