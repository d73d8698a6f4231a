#![no_main]
//! `RpmNdbAnalyzer` on arbitrary bytes as `/var/lib/rpm/Packages.db`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::RpmNdbAnalyzer, "var/lib/rpm/Packages.db", data);
});
