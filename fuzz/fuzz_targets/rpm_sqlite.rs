#![no_main]
//! `RpmSqliteAnalyzer` on arbitrary bytes as `/var/lib/rpm/rpmdb.sqlite`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    drydock_fuzz::analyze(&drydock_inventory::RpmSqliteAnalyzer, "var/lib/rpm/rpmdb.sqlite", data);
});
