#![no_main]
//! One OSV record as `db update` reads it from a feed's `all.zip` or a mirror.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_osv_record(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
