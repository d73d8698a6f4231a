#![no_main]
//! Oracle's ELSA OVAL file as `db update` reads it from a mirror.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_elsa_oval(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
