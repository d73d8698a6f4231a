#![no_main]
//! rpm header blobs: the input becomes the one package blob of an otherwise valid NDB
//! `Packages.db` (slot, blob head and tail, Adler-32 computed here), so the header parser
//! sees arbitrary bytes through the public analyzer.

use drydock_inventory::{Analyzer, RpmNdbAnalyzer};
use libfuzzer_sys::fuzz_target;

const PAGE: usize = 4096;
const BLK: usize = 16;

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn ndb(blob: &[u8]) -> Vec<u8> {
    let le = |v: u32| v.to_le_bytes();
    let mut db = vec![0u8; PAGE];
    db[0..4].copy_from_slice(b"RpmP");
    db[12..16].copy_from_slice(&le(1)); // one slot page
    for at in (32..PAGE).step_by(16) {
        db[at..at + 4].copy_from_slice(b"Slot");
    }
    let blocks = (16 + blob.len() + 12).div_ceil(BLK);
    db[36..40].copy_from_slice(&le(1)); // pkgidx
    db[40..44].copy_from_slice(&le((PAGE / BLK) as u32)); // blkoff: right after the slots
    db[44..48].copy_from_slice(&le(blocks as u32));
    let mut area = Vec::with_capacity(blocks * BLK);
    area.extend_from_slice(b"BlbS");
    area.extend_from_slice(&le(1));
    area.extend_from_slice(&le(0));
    area.extend_from_slice(&le(blob.len() as u32));
    area.extend_from_slice(blob);
    area.resize(blocks * BLK - 12, 0);
    let sum = adler32(&area);
    area.extend_from_slice(&le(sum));
    area.extend_from_slice(&le(blob.len() as u32));
    area.extend_from_slice(b"BlbE");
    db.extend_from_slice(&area);
    db
}

fuzz_target!(|data: &[u8]| {
    let db = ndb(data);
    // The container is valid, so any refusal must come from the header itself.
    if let Err(e) = RpmNdbAnalyzer.analyze("var/lib/rpm/Packages.db", &db) {
        assert!(e.message.starts_with("header #1: "), "{}", e.message);
    }
});
