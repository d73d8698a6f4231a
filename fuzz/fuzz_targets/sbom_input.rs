#![no_main]
//! SBOM inputs to `drydock sbom`: CycloneDX and SPDX JSON documents.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = drydock_sbom::read("fuzz.json", data) {
        assert!(!e.to_string().is_empty(), "empty error message");
    }
});
