#![no_main]
//! One SUSE CSAF VEX document as `db update` reads each member of the archive.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_suse_vex(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
