#![no_main]
//! `RpmBdbAnalyzer` on arbitrary bytes as `/var/lib/rpm/Packages`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::RpmBdbAnalyzer, "var/lib/rpm/Packages", data);
});
