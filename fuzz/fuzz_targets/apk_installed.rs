#![no_main]
//! `ApkAnalyzer` on arbitrary bytes as `/lib/apk/db/installed`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::ApkAnalyzer, "lib/apk/db/installed", data);
});
