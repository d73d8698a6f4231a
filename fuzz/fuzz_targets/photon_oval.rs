#![no_main]
//! One of Broadcom's Photon OS OVAL files (inflated) as `db update` reads it from a mirror.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_photon_oval(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
