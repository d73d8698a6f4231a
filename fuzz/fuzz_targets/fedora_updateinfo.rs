#![no_main]
//! A Fedora repository's `updateinfo.xml`, compressed (xz, zstd) or not, as `db update`
//! inflates and reads it.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_fedora_updateinfo(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
