#![no_main]
//! Red Hat's `changes.csv` / `deletions.csv` as `db update` reads them to patch the kept
//! VEX archive.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_redhat_vex_listing(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
