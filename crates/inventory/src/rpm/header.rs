//! rpm header blobs, the per-package records every rpm database format stores.
//!
//! Layout (rpm `lib/header.c`, `hdrblobInit`/`hdrblobVerifyInfo`): big-endian `il` (index entry
//! count) and `dl` (data length), `il` 16-byte entries `{tag, type, offset, count}`, then `dl`
//! bytes of data the entries point into. The first entry is usually the immutable-region tag,
//! which only describes the header itself and is skipped here.

/// rpm tag numbers (rpm `lib/rpmtag.h`).
pub(crate) mod tag {
    pub const HEADERIMAGE: i32 = 61;
    pub const HEADERSIGNATURES: i32 = 62;
    pub const HEADERIMMUTABLE: i32 = 63;
    pub const NAME: i32 = 1000;
    pub const VERSION: i32 = 1001;
    pub const RELEASE: i32 = 1002;
    pub const EPOCH: i32 = 1003;
    pub const LICENSE: i32 = 1014;
    pub const ARCH: i32 = 1022;
    pub const OLDFILENAMES: i32 = 1027;
    pub const SOURCERPM: i32 = 1044;
    pub const DIRINDEXES: i32 = 1116;
    pub const BASENAMES: i32 = 1117;
    pub const DIRNAMES: i32 = 1118;
}

const CHAR: u32 = 1;
const INT8: u32 = 2;
const INT16: u32 = 3;
const INT32: u32 = 4;
const INT64: u32 = 5;
const STRING: u32 = 6;
const BIN: u32 = 7;
const STRING_ARRAY: u32 = 8;
const I18NSTRING: u32 = 9;

/// rpm refuses headers of 256 MiB or more (`headerMaxbytes`).
const MAX_HEADER_BYTES: usize = 256 * 1024 * 1024;
/// rpm's `hdrchkTags` limit on the index entry count.
const MAX_TAGS: usize = 0xffff;
const ENTRY_SIZE: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: i32,
    ty: u32,
    offset: usize,
    count: usize,
    len: usize,
}

/// A validated header: every entry's data lies inside the data area.
#[derive(Debug)]
pub(crate) struct Header<'a> {
    entries: Vec<Entry>,
    data: &'a [u8],
}

fn be32(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| format!("header truncated at byte {at}"))
}

/// Bytes of `count` NUL-terminated strings starting at `data[0]`.
fn strings_len(data: &[u8], count: usize) -> Option<usize> {
    let mut len = 0usize;
    for _ in 0..count {
        let rest = data.get(len..)?;
        len += rest.iter().position(|&b| b == 0)? + 1;
    }
    Some(len)
}

impl<'a> Header<'a> {
    /// Validates the blob the way rpm's `hdrblobVerifyInfo` does: known types, aligned and
    /// in-range offsets, non-overlapping data, strings terminated inside the data area.
    pub(crate) fn parse(blob: &'a [u8]) -> Result<Self, String> {
        let il = be32(blob, 0)? as usize;
        let dl = be32(blob, 4)? as usize;
        if il == 0 || il > MAX_TAGS {
            return Err(format!("bad index entry count {il}"));
        }
        let data_start = 8 + il * ENTRY_SIZE;
        let total = data_start.saturating_add(dl);
        if total >= MAX_HEADER_BYTES {
            return Err(format!("header too large ({total} bytes)"));
        }
        if blob.len() != total {
            return Err(format!(
                "header claims {total} bytes, blob has {}",
                blob.len()
            ));
        }
        let data = &blob[data_start..];
        let mut entries = Vec::with_capacity(il);
        let mut prev_end = 0usize;
        for i in 0..il {
            let at = 8 + i * ENTRY_SIZE;
            let tag = be32(blob, at)? as i32;
            let ty = be32(blob, at + 4)?;
            let offset = be32(blob, at + 8)? as i32;
            let count = be32(blob, at + 12)? as usize;
            let offset = usize::try_from(offset)
                .ok()
                .filter(|&o| o <= dl)
                .ok_or_else(|| format!("tag {tag}: offset out of range"))?;
            if i == 0
                && matches!(
                    tag,
                    tag::HEADERIMAGE | tag::HEADERSIGNATURES | tag::HEADERIMMUTABLE
                )
            {
                // Region tag: its data is the 16-byte trailer entry at `offset`.
                if ty != BIN || count != ENTRY_SIZE || offset + ENTRY_SIZE > dl {
                    return Err("invalid region tag".into());
                }
                continue;
            }
            if tag < 100 {
                return Err(format!("invalid tag {tag}"));
            }
            let (size, align) = match ty {
                CHAR | INT8 | BIN => (1, 1),
                INT16 => (2, 2),
                INT32 => (4, 4),
                INT64 => (8, 8),
                STRING | STRING_ARRAY | I18NSTRING => (0, 1),
                _ => return Err(format!("tag {tag}: invalid type {ty}")),
            };
            if !offset.is_multiple_of(align) {
                return Err(format!("tag {tag}: misaligned offset"));
            }
            if offset < prev_end {
                return Err(format!("tag {tag}: data overlaps the previous entry"));
            }
            let area = &data[offset..];
            let len = if size == 0 {
                if ty == STRING && count != 1 {
                    return Err(format!("tag {tag}: string with count {count}"));
                }
                strings_len(area, count)
            } else {
                count.checked_mul(size).filter(|&n| n <= area.len())
            }
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("tag {tag}: data runs past the header"))?;
            prev_end = offset + len;
            entries.push(Entry {
                tag,
                ty,
                offset,
                count,
                len,
            });
        }
        Ok(Header { entries, data })
    }

    /// The last entry for `tag`: entries appended after the region ("dribble") override it.
    fn find(&self, tag: i32) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.tag == tag)
    }

    fn bytes(&self, e: &Entry) -> &'a [u8] {
        // In range: checked in `parse`.
        &self.data[e.offset..e.offset + e.len]
    }

    /// A string tag (for i18n strings, the first translation). `(none)` counts as absent.
    pub(crate) fn string(&self, tag: i32) -> Result<Option<String>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(None);
        };
        if e.ty != STRING && e.ty != I18NSTRING {
            return Err(format!("tag {tag}: expected a string, found type {}", e.ty));
        }
        let raw = self.bytes(e).split(|&b| b == 0).next().unwrap_or_default();
        let s = String::from_utf8_lossy(raw).into_owned();
        Ok(Some(s).filter(|s| s != "(none)"))
    }

    pub(crate) fn string_array(&self, tag: i32) -> Result<Vec<String>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(Vec::new());
        };
        if e.ty != STRING_ARRAY {
            return Err(format!(
                "tag {tag}: expected a string array, found type {}",
                e.ty
            ));
        }
        let bytes = self.bytes(e);
        // `len` covers exactly `count` terminated strings, so the final split piece is empty.
        Ok(bytes
            .split(|&b| b == 0)
            .take(e.count)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect())
    }

    pub(crate) fn int32_array(&self, tag: i32) -> Result<Vec<u32>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(Vec::new());
        };
        if e.ty != INT32 {
            return Err(format!("tag {tag}: expected int32, found type {}", e.ty));
        }
        Ok(self
            .bytes(e)
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a header blob from `(tag, type, count, data)` entries laid out in order, with
    /// alignment padding, and no region tag (the layout of a legacy v3 header).
    pub(crate) fn build(entries: &[(i32, u32, u32, &[u8])]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        for &(tag, ty, count, bytes) in entries {
            let align = match ty {
                INT16 => 2,
                INT32 => 4,
                INT64 => 8,
                _ => 1,
            };
            while !data.len().is_multiple_of(align) {
                data.push(0);
            }
            for v in [tag as u32, ty, data.len() as u32, count] {
                index.extend_from_slice(&v.to_be_bytes());
            }
            data.extend_from_slice(bytes);
        }
        let mut blob = Vec::new();
        blob.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
        blob.extend_from_slice(&index);
        blob.extend_from_slice(&data);
        blob
    }

    #[test]
    fn reads_typed_tags() {
        let blob = build(&[
            (tag::NAME, STRING, 1, b"bash\0"),
            (tag::EPOCH, INT32, 1, &2u32.to_be_bytes()),
            (tag::DIRNAMES, STRING_ARRAY, 2, b"/bin/\0/etc/\0"),
        ]);
        let h = Header::parse(&blob).unwrap();
        assert_eq!(h.string(tag::NAME).unwrap().as_deref(), Some("bash"));
        assert_eq!(h.int32_array(tag::EPOCH).unwrap(), [2]);
        assert_eq!(h.string_array(tag::DIRNAMES).unwrap(), ["/bin/", "/etc/"]);
        assert_eq!(h.string(tag::LICENSE).unwrap(), None);
        // Wrong type for the tag asked.
        assert!(h.string(tag::EPOCH).is_err());
    }

    #[test]
    fn rejects_malformed_blobs() {
        let good = build(&[(tag::NAME, STRING, 1, b"bash\0")]);
        assert!(Header::parse(&good).is_ok());
        // Truncated, trailing junk, empty.
        assert!(Header::parse(&good[..good.len() - 1]).is_err());
        assert!(Header::parse(&[good.as_slice(), b"x"].concat()).is_err());
        assert!(Header::parse(&[]).is_err());
        // Unterminated string.
        assert!(Header::parse(&build(&[(tag::NAME, STRING, 1, b"bash")])).is_err());
        // Array count larger than the data.
        assert!(Header::parse(&build(&[(tag::DIRINDEXES, INT32, 5, &[0; 8])])).is_err());
        // Unknown type.
        assert!(Header::parse(&build(&[(tag::NAME, 42, 1, b"x\0")])).is_err());
        // Zero entries, absurd entry count.
        assert!(Header::parse(&[0, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(Header::parse(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).is_err());
    }
}
