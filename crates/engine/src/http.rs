//! Just enough HTTP/1.1 to ask an engine for an image over its Unix socket: one `GET`
//! per connection (`Connection: close`), the response head parsed by `httparse`, the
//! body handed out as a reader (sized, chunked or until close) so an export of
//! gigabytes streams to disk without being held. ureq, the registry's client, speaks
//! TCP only.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// A response head bigger than this is not an engine's.
const HEAD_LIMIT: usize = 64 << 10;
/// A chunk-size line (hex size, extensions) longer than this is malformed.
const SIZE_LINE_LIMIT: u64 = 4096;

pub(crate) struct Response {
    pub status: u16,
    pub body: Box<dyn Read + Send>,
}

/// Sends `GET target` on a fresh connection to `socket`; every read and write waits at
/// most `timeout`.
pub(crate) fn get(socket: &Path, target: &str, timeout: Duration) -> io::Result<Response> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    // Engines route on the path only; Host is required by HTTP/1.1 and is what the docker
    // CLI sends over a socket.
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: docker\r\nUser-Agent: drydock/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )?;
    stream.flush()?;
    read_response(BufReader::with_capacity(256 << 10, stream))
}

/// Parses the head and picks the body's framing.
fn read_response<R: BufRead + Send + 'static>(mut reader: R) -> io::Result<Response> {
    let head = read_head(&mut reader)?;
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Response::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(invalid("incomplete HTTP response head")),
        Err(e) => return Err(invalid(format!("malformed HTTP response: {e}"))),
    }
    let status = parsed.code.unwrap_or(0);
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let chunked = header("transfer-encoding").is_some_and(|te| te.ends_with("chunked"));
    let length = header("content-length");
    let body: Box<dyn Read + Send> = if chunked {
        Box::new(Chunked::new(reader))
    } else if let Some(len) = length {
        let len: u64 = len
            .parse()
            .map_err(|_| invalid(format!("bad Content-Length '{len}'")))?;
        Box::new(Sized {
            inner: reader,
            left: len,
        })
    } else {
        Box::new(reader)
    };
    Ok(Response { status, body })
}

/// The bytes up to and including the blank line that ends the head.
fn read_head<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    loop {
        let start = head.len();
        let n = reader
            .by_ref()
            .take((HEAD_LIMIT - start) as u64)
            .read_until(b'\n', &mut head)?;
        if n == 0 {
            return Err(if head.is_empty() {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the engine closed the connection without answering",
                )
            } else {
                invalid("connection closed inside the HTTP response head")
            });
        }
        let line = &head[start..];
        if line == b"\r\n" || line == b"\n" {
            return Ok(head);
        }
        if head.len() >= HEAD_LIMIT {
            return Err(invalid("HTTP response head larger than 64 KiB"));
        }
    }
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

fn truncated(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, msg.to_owned())
}

/// A `Content-Length` body: ending early is an error, not a short body.
struct Sized<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Sized<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(truncated(
                "connection closed before the end of the body (Content-Length)",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Decodes `Transfer-Encoding: chunked` (RFC 9112 §7.1): hex size lines (extensions
/// ignored), data, CRLF, a zero-size last chunk and optional trailers. A connection that
/// closes before the last chunk is an error, so a cut export never passes for a whole one.
pub(crate) struct Chunked<R> {
    inner: R,
    /// Bytes left in the current chunk.
    left: u64,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    pub fn new(inner: R) -> Chunked<R> {
        Chunked {
            inner,
            left: 0,
            done: false,
        }
    }

    /// One line (CRLF or bare LF) without its terminator, at most [`SIZE_LINE_LIMIT`].
    fn line(&mut self, what: &str) -> io::Result<Vec<u8>> {
        let mut line = Vec::new();
        self.inner
            .by_ref()
            .take(SIZE_LINE_LIMIT)
            .read_until(b'\n', &mut line)?;
        if line.last() != Some(&b'\n') {
            return Err(if line.len() as u64 >= SIZE_LINE_LIMIT {
                invalid(format!(
                    "chunked body: {what} longer than {SIZE_LINE_LIMIT} bytes"
                ))
            } else {
                truncated("chunked body: connection closed before the last chunk")
            });
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(line)
    }

    fn next_chunk(&mut self) -> io::Result<()> {
        let line = self.line("chunk-size line")?;
        let text = String::from_utf8_lossy(&line);
        let size = text.split(';').next().unwrap_or("").trim();
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!("chunked body: bad chunk size '{text}'")));
        }
        self.left = u64::from_str_radix(size, 16)
            .map_err(|_| invalid(format!("chunked body: chunk size '{size}' too large")))?;
        if self.left == 0 {
            // Trailer fields until the blank line.
            while !self.line("trailer line")?.is_empty() {}
            self.done = true;
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !self.done && self.left == 0 {
            self.next_chunk()?;
        }
        if self.done {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(truncated("chunked body: connection closed inside a chunk"));
        }
        self.left -= n as u64;
        if self.left == 0 && !self.line("chunk end")?.is_empty() {
            return Err(invalid("chunked body: chunk data longer than its size"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
