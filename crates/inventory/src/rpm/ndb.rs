//! rpm's NDB `Packages.db` (SUSE), read from memory.
//!
//! Layout from rpm `lib/backend/ndb/rpmpkg.c`: a 32-byte header, `slotnpages` 4 KiB pages of
//! 16-byte slots `{magic, pkgidx, blkoff, blkcnt}` (the header takes the first two slots), and
//! blobs addressed in 16-byte blocks: `{magic, pkgidx, timestamp, len}`, the header blob, zero
//! padding, then a tail `{adler32, len, magic}`. Checks follow `rpmpkgReadSlots` and
//! `rpmpkgReadBlob`, including the Adler-32 checksum, so damaged blobs are refused.

const DB_MAGIC: u32 = u32::from_le_bytes(*b"RpmP");
const SLOT_MAGIC: u32 = u32::from_le_bytes(*b"Slot");
const BLOB_HEAD_MAGIC: u32 = u32::from_le_bytes(*b"BlbS");
const BLOB_TAIL_MAGIC: u32 = u32::from_le_bytes(*b"BlbE");
const HEADER_SIZE: usize = 32;
const SLOT_SIZE: usize = 16;
const BLK_SIZE: usize = 16;
const PAGE_SIZE: usize = 4096;
const BLOB_HEAD: usize = 16;
const BLOB_TAIL: usize = 12;
/// go-rpmdb's guard against absurd slot counts (2048 pages = 524k packages).
const MAX_SLOT_PAGES: usize = 2048;

fn le32(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| format!("short read at {at}"))
}

/// RFC 1950 Adler-32, as `update_adler32` in rpmpkg.c.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// Every package header blob, in slot order.
pub(super) fn blobs(db: &[u8]) -> Result<impl Iterator<Item = &[u8]>, String> {
    if le32(db, 0)? != DB_MAGIC {
        return Err("not an rpm NDB file (bad magic)".into());
    }
    if le32(db, 4)? != 0 {
        return Err("unsupported NDB version".into());
    }
    let slot_pages = le32(db, 12)? as usize;
    if slot_pages == 0 || slot_pages > MAX_SLOT_PAGES {
        return Err(format!("invalid slot page count {slot_pages}"));
    }
    let slots_end = slot_pages * PAGE_SIZE;
    if db.len() < slots_end || !db.len().is_multiple_of(BLK_SIZE) {
        return Err("file truncated".into());
    }
    let file_blocks = db.len() / BLK_SIZE;
    let min_block = slots_end / BLK_SIZE;
    let mut out = Vec::new();
    // (first block, block count, slot offset) of every blob area, to refuse shared ones.
    let mut areas: Vec<(usize, usize, usize)> = Vec::new();
    for at in (HEADER_SIZE..slots_end).step_by(SLOT_SIZE) {
        if le32(db, at)? != SLOT_MAGIC {
            return Err(format!("bad slot magic at {at}"));
        }
        let pkgidx = le32(db, at + 4)?;
        let blkoff = le32(db, at + 8)? as usize;
        let blkcnt = le32(db, at + 12)? as usize;
        if blkoff == 0 {
            continue; // free slot
        }
        if pkgidx == 0 || blkcnt == 0 || blkoff < min_block || blkoff + blkcnt > file_blocks {
            return Err(format!("slot at {at}: blob out of range"));
        }
        areas.push((blkoff, blkcnt, at));
        let area = &db[blkoff * BLK_SIZE..(blkoff + blkcnt) * BLK_SIZE];
        out.push(blob(area, pkgidx).map_err(|m| format!("package {pkgidx}: {m}"))?);
    }
    // rpm gives every package its own blocks. Slots that share (or overlap) one blob area
    // would turn one package into up to 524k copies, so they are refused; with disjoint
    // areas the blobs together are never longer than the file.
    areas.sort_unstable();
    for pair in areas.windows(2) {
        let ((off, cnt, a), (next, _, b)) = (pair[0], pair[1]);
        if off + cnt > next {
            return Err(format!(
                "slots at {a} and {b} share blob blocks (block {next}); refused"
            ));
        }
    }
    Ok(out.into_iter())
}

/// The header blob inside one blob area (exactly `blkcnt` blocks).
fn blob(area: &[u8], pkgidx: u32) -> Result<&[u8], String> {
    if le32(area, 0)? != BLOB_HEAD_MAGIC || le32(area, 4)? != pkgidx {
        return Err("bad blob header".into());
    }
    let len = le32(area, 12)? as usize;
    if area.len() != (BLOB_HEAD + len + BLOB_TAIL).div_ceil(BLK_SIZE) * BLK_SIZE {
        return Err("block count does not match blob length".into());
    }
    let tail = area.len() - BLOB_TAIL;
    if le32(area, tail + 4)? as usize != len || le32(area, tail + 8)? != BLOB_TAIL_MAGIC {
        return Err("bad blob tail".into());
    }
    if adler32(&area[..tail]) != le32(area, tail)? {
        return Err("checksum mismatch".into());
    }
    area.get(BLOB_HEAD..BLOB_HEAD + len)
        .ok_or_else(|| "blob length out of range".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_rfc1950_vector() {
        // The classic test vector: adler32("Wikipedia") = 0x11E60398.
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }
}
