//! Compression bombs, built in a fraction of the time inflating them takes: a layer tar
//! holding one file of zeros, as gzip or zstd, whose compressed bytes are one small
//! piece repeated. Each is a valid stream (gzip CRC and length, zstd frames) of exactly
//! the tar it claims to be, so a reader without limits really inflates all of it.

use flate2::{Compress, Compression, Crc, FlushCompress};

/// Zeros per repeated piece: 64 MiB deflate to about 65 KB.
const PIECE: u64 = 64 << 20;

/// The tar header of one regular file `name` of `size` bytes (GNU base-256 sizes past
/// 8 GiB, as tar writes them).
fn header(name: &str, size: u64) -> [u8; 512] {
    let mut h = tar::Header::new_gnu();
    h.set_path(name).expect("tar path");
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    *h.as_bytes()
}

/// Zeros after the header: the file, its padding, and the two end-of-archive blocks.
fn trailing_zeros(size: u64) -> u64 {
    size.next_multiple_of(512) + 1024
}

/// Raw deflate of `data`, ending byte-aligned with the dictionary reset (a full flush),
/// so the same input always gives the same bytes and pieces can be concatenated.
fn deflate_piece(data: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 512 + 1024);
    loop {
        let consumed = usize::try_from(c.total_in()).expect("fits");
        c.compress_vec(&data[consumed..], &mut out, flush)
            .expect("deflate");
        if c.total_in() as usize == data.len() && out.len() < out.capacity() {
            return out;
        }
        out.reserve(out.capacity());
    }
}

/// A gzip stream of a tar holding `name`: `size` zero bytes. 150 GB take about 145 MB.
pub fn gzip_bomb(name: &str, size: u64) -> Vec<u8> {
    let head = header(name, size);
    let zeros = trailing_zeros(size);
    let piece = deflate_piece(&vec![0u8; PIECE as usize], FlushCompress::Full);
    let tail_len = usize::try_from(zeros % PIECE).expect("fits");
    let mut piece_crc = Crc::new();
    piece_crc.update(&vec![0u8; PIECE as usize]);
    let mut crc = Crc::new();
    crc.update(&head);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(deflate_piece(&head, FlushCompress::Full));
    out.reserve(piece.len() * usize::try_from(zeros / PIECE).expect("fits"));
    for _ in 0..zeros / PIECE {
        out.extend_from_slice(&piece);
        crc.combine(&piece_crc);
    }
    let tail = vec![0u8; tail_len];
    out.extend(deflate_piece(&tail, FlushCompress::Finish));
    let mut tail_crc = Crc::new();
    tail_crc.update(&tail);
    crc.combine(&tail_crc);
    out.extend(crc.sum().to_le_bytes());
    // ISIZE is the length modulo 2^32.
    out.extend(((512 + zeros) as u32).to_le_bytes());
    out
}

/// A zstd stream (one frame per 64 MiB of zeros) of a tar holding `name`: `size` zero
/// bytes. 150 GB take about 5 MB.
pub fn zstd_bomb(name: &str, size: u64) -> Vec<u8> {
    let zeros = trailing_zeros(size);
    let frame = |data: &[u8]| zstd::bulk::compress(data, 3).expect("zstd");
    let piece = frame(&vec![0u8; PIECE as usize]);
    let mut out = frame(&header(name, size));
    for _ in 0..zeros / PIECE {
        out.extend_from_slice(&piece);
    }
    out.extend(frame(&vec![
        0u8;
        usize::try_from(zeros % PIECE).expect("fits")
    ]));
    out
}
