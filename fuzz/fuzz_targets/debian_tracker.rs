#![no_main]
//! The Debian security tracker's JSON export as `db update` reads it.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_debian_tracker(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
