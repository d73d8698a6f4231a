//! The decoder on hand-written chunked bodies (RFC 9112 §7.1 framing), read whole and
//! one byte at a time; every way a body can be cut or malformed is an error.

use super::*;
use std::io::Cursor;

fn decode(wire: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    Chunked::new(Cursor::new(wire.to_vec())).read_to_end(&mut out)?;
    Ok(out)
}

/// Reads with a one-byte buffer, so every chunk boundary falls inside a read.
fn decode_bytewise(wire: &[u8]) -> io::Result<Vec<u8>> {
    let mut r = Chunked::new(BufReader::with_capacity(1, Cursor::new(wire.to_vec())));
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match r.read(&mut b)? {
            0 => return Ok(out),
            _ => out.push(b[0]),
        }
    }
}

fn err(wire: &[u8]) -> String {
    decode(wire).expect_err("must fail").to_string()
}

#[test]
fn decodes_chunks_extensions_and_trailers() {
    let wire = b"4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
    let want = b"Wikipedia in\r\n\r\nchunks.";
    assert_eq!(decode(wire).unwrap(), want);
    assert_eq!(decode_bytewise(wire).unwrap(), want);
}

#[test]
fn upper_and_lower_case_hex_and_bare_lf() {
    // 0x1aF = 431: the size line mixes cases on purpose.
    let data: Vec<u8> = (0..=255u8).cycle().take(431).collect();
    let mut wire = b"1aF\n".to_vec();
    wire.extend_from_slice(&data);
    wire.extend_from_slice(b"\n0\n\n");
    assert_eq!(decode(&wire).unwrap(), data);
}

#[test]
fn an_empty_body_is_one_zero_chunk() {
    assert_eq!(decode(b"0\r\n\r\n").unwrap(), b"");
}

#[test]
fn a_body_cut_anywhere_before_the_last_chunk_fails() {
    let wire = b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
    // Every proper prefix is a cut body, including one that stops right after a whole
    // chunk (what a peer dying between chunks looks like).
    for cut in 0..wire.len() {
        assert!(
            decode(&wire[..cut]).is_err(),
            "prefix of {cut} bytes passed as a whole body"
        );
    }
}

#[test]
fn malformed_framing_is_rejected() {
    assert!(err(b"zz\r\nWiki\r\n0\r\n\r\n").contains("bad chunk size 'zz'"));
    assert!(err(b"\r\nWiki\r\n0\r\n\r\n").contains("bad chunk size"));
    assert!(err(b"-4\r\nWiki\r\n0\r\n\r\n").contains("bad chunk size"));
    assert!(err(b"3\r\nWiki\r\n0\r\n\r\n").contains("longer than its size"));
    assert!(err(b"ffffffffffffffffff\r\n").contains("too large"));
    let long = format!("{}\r\n", "0".repeat(5000));
    assert!(err(long.as_bytes()).contains("longer than 4096"));
}

#[test]
fn response_heads_pick_the_framing() {
    let parse = |wire: &'static [u8]| read_response(Cursor::new(wire)).expect("response");
    let mut body = String::new();
    let mut r =
        parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assert_eq!(r.status, 200);
    r.body.read_to_string(&mut body).unwrap();
    assert_eq!(body, "abc");

    let mut r = parse(b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!trailing");
    assert_eq!(r.status, 404);
    body.clear();
    r.body.read_to_string(&mut body).unwrap();
    assert_eq!(body, "nope!");

    let mut r = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
    assert!(
        r.body.read_to_string(&mut body).is_err(),
        "short body passed"
    );

    let mut r = parse(b"HTTP/1.0 200 OK\r\n\r\nuntil close");
    body.clear();
    r.body.read_to_string(&mut body).unwrap();
    assert_eq!(body, "until close");
}

#[test]
fn broken_heads_are_errors() {
    let e = |wire: &'static [u8]| {
        read_response(Cursor::new(wire))
            .err()
            .expect("fails")
            .to_string()
    };
    assert!(e(b"").contains("without answering"));
    assert!(e(b"HTTP/1.1 200 OK\r\nContent-").contains("inside the HTTP response head"));
    assert!(e(b"SSH-2.0-OpenSSH\r\n\r\n").contains("malformed HTTP response"));
    assert!(e(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").contains("bad Content-Length"));
}
