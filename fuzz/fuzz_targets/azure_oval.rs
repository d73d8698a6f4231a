#![no_main]
//! One of Microsoft's Azure Linux OVAL files as `db update` reads it from a mirror.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_azure_oval(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
