//! Compressed vendor files (ALAS `updateinfo.xml.gz`, ELSA `com.oracle.elsa-all.xml.bz2`,
//! Fedora's `updateinfo.xml.xz` or `.zst`) read as a stream under a size budget. A few KB
//! of bzip2, gzip, xz or zstd can hold gigabytes of zeros, so without a bound a hostile or broken file would keep `db update` busy and its
//! memory growing; with one it ends in a one-line error naming the file.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};

use crate::error::{Error, Result};
use crate::fetch::Location;

/// No vendor file may inflate past this (Oracle's whole ELSA OVAL file is well below it).
pub(crate) const MAX_INFLATED: u64 = 4 << 30;
/// Past this many inflated bytes, the file may inflate at most [`MAX_RATIO`] times its
/// compressed size: a stream of zeros inflates thousands to one, XML far less (Amazon's
/// `repomd.xml` lists its `updateinfo.xml.gz` at about 10:1; the ratio leaves room for
/// OVAL's repetitive markup).
pub(crate) const RATIO_FLOOR: u64 = 64 << 20;
pub(crate) const MAX_RATIO: u64 = 200;

/// The most bytes a file of `compressed` bytes may inflate to.
pub(crate) fn budget(compressed: usize) -> u64 {
    (compressed as u64)
        .saturating_mul(MAX_RATIO)
        .clamp(RATIO_FLOOR, MAX_INFLATED)
}

/// The most memory an xz stream may ask for its dictionary (xz's own `-9` preset needs
/// 64 MiB to decode): a header asking for more is an error, not an allocation.
const XZ_MEM_LIMIT_KIB: u32 = 256 << 10;

/// Runs `parse` over `b` inflated: gzip, bzip2, xz and zstd are recognised by their magic
/// bytes, anything else is read as it is. A file that inflates past [`budget`] is
/// [`Error::TooLarge`], whatever `parse` made of the part it read.
pub(crate) fn parse_inflated<T>(
    b: &[u8],
    loc: &Location,
    what: &'static str,
    parse: impl FnOnce(&mut dyn BufRead) -> Result<T>,
) -> Result<T> {
    let limit = budget(b.len());
    let over = Cell::new(false);
    let out = if b.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::read::MultiGzDecoder::new(b);
        parse(&mut BufReader::new(Budget::new(gz, limit, &over)))
    } else if b.starts_with(b"BZh") {
        let bz = bzip2::read::MultiBzDecoder::new(b);
        parse(&mut BufReader::new(Budget::new(bz, limit, &over)))
    } else if b.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        let xz = lzma_rust2::XzReader::new_mem_limit(b, true, XZ_MEM_LIMIT_KIB);
        parse(&mut BufReader::new(Budget::new(xz, limit, &over)))
    } else if b.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let zst = zstd::stream::read::Decoder::new(b).map_err(|e| Error::io(loc.display(), e))?;
        parse(&mut BufReader::new(Budget::new(zst, limit, &over)))
    } else {
        parse(&mut &b[..])
    };
    if over.get() {
        return Err(Error::TooLarge {
            what,
            url: loc.display(),
            limit_mib: limit >> 20,
            compressed: b.len() as u64,
        });
    }
    out
}

/// Fails the read once more than `limit` bytes came out of `inner`, and says so in `over`
/// (the parser wraps the I/O error in its own).
struct Budget<'a, R> {
    inner: R,
    read: u64,
    limit: u64,
    over: &'a Cell<bool>,
}

impl<'a, R> Budget<'a, R> {
    fn new(inner: R, limit: u64, over: &'a Cell<bool>) -> Self {
        Budget {
            inner,
            read: 0,
            limit,
            over,
        }
    }
}

impl<R: Read> Read for Budget<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            self.over.set(true);
            return Err(io::Error::other("inflates past its size budget"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn budget_scales_with_the_compressed_size_between_floor_and_cap() {
        assert_eq!(budget(1500), RATIO_FLOOR);
        assert_eq!(budget(10 << 20), 2000 << 20);
        assert_eq!(budget(usize::MAX), MAX_INFLATED);
    }

    #[test]
    fn plain_gzip_and_bzip2_read_alike_and_a_bomb_is_too_large() {
        let text = b"<updates><update/></updates>".repeat(10);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).expect("gz");
        let gz = gz.finish().expect("gz");
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&text).expect("bz");
        let bz = bz.finish().expect("bz");
        let loc = Location::parse("/m/f");
        let read_all = |r: &mut dyn BufRead| {
            let mut v = Vec::new();
            r.read_to_end(&mut v).map_err(|e| Error::io("/m/f", e))?;
            Ok(v)
        };
        for b in [&text[..], &gz, &bz] {
            assert_eq!(
                parse_inflated(b, &loc, "test", read_all).expect("read"),
                text
            );
        }
        let mut bomb = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(RATIO_FLOOR >> 20) + 1 {
            bomb.write_all(&zeros).expect("bz");
        }
        let bomb = bomb.finish().expect("bz");
        let e = parse_inflated(&bomb, &loc, "test", read_all).expect_err("bomb");
        assert!(matches!(e, Error::TooLarge { limit_mib: 64, .. }), "{e}");
    }

    /// xz files made by xz-utils itself (the reference implementation; how, in
    /// testdata/feeds/README.md): a text, 65 MiB of zeros, a greedy dictionary.
    #[test]
    fn xz_and_zstd_inflate_and_an_xz_bomb_is_too_large() {
        let loc = Location::parse("/m/f");
        let read_all = |r: &mut dyn BufRead| {
            let mut v = Vec::new();
            r.read_to_end(&mut v).map_err(|e| Error::io("/m/f", e))?;
            Ok(v)
        };
        let xz = include_bytes!("../../../../testdata/feeds/xz/text.xz");
        let text = parse_inflated(xz, &loc, "test", read_all).expect("xz");
        assert_eq!(text, b"<updates><update/></updates>\n".repeat(10));
        let zst = zstd::encode_all(&text[..], 3).expect("zstd");
        assert_eq!(
            parse_inflated(&zst, &loc, "test", read_all).expect("zst"),
            text
        );
        let bomb = include_bytes!("../../../../testdata/feeds/xz/zeros.xz");
        let e = parse_inflated(bomb, &loc, "test", read_all).expect_err("bomb");
        assert!(matches!(e, Error::TooLarge { limit_mib: 64, .. }), "{e}");
        let broken = &xz[..xz.len() - 9];
        assert!(parse_inflated(broken, &loc, "test", read_all).is_err());
        // Six bytes of text whose header asks for a 1536 MiB dictionary: refused, not allocated.
        let greedy = include_bytes!("../../../../testdata/feeds/xz/bigdict.xz");
        let e = parse_inflated(greedy, &loc, "test", read_all).expect_err("dictionary");
        assert!(e.to_string().contains("mem_limit"), "{e}");
    }
}
