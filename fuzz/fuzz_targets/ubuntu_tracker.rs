#![no_main]
//! Canonical's Ubuntu CVE tracker listing (`cves.json`) as `db update` reads it.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_vulndb::parse_ubuntu_tracker(data) {
        assert!(!e.is_empty(), "empty error message");
    }
});
