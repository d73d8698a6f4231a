//! Two-stage pipelines over a bounded channel: one thread hashes and decompresses, the
//! other parses tar, so a single big layer keeps both cores busy.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

const CHUNK: usize = 256 << 10;
/// Chunks in flight: bounds memory at ~4 MiB per pipeline whatever the layer size.
const DEPTH: usize = 16;

/// Runs `produce` on a scoped thread writing into a pipe that `consume` reads on this
/// thread. If `consume` stops early, the producer's next write fails with BrokenPipe.
pub(crate) fn pipelined<T, U>(
    produce: impl FnOnce(&mut dyn Write) -> T + Send,
    consume: impl FnOnce(&mut dyn Read) -> U,
) -> (Option<T>, U)
where
    T: Send,
{
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(DEPTH);
        let producer = scope.spawn(move || {
            let mut writer = ChannelWriter {
                tx,
                buf: Vec::with_capacity(CHUNK),
            };
            let out = produce(&mut writer);
            // A failed final flush only means the reader is gone; the reader reports why.
            let _ = writer.flush();
            out
        });
        let mut reader = ChannelReader {
            rx,
            chunk: Vec::new(),
            pos: 0,
        };
        let consumed = consume(&mut reader);
        drop(reader);
        (producer.join().ok(), consumed)
    })
}

struct ChannelWriter {
    tx: SyncSender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    /// Takes at most what fits the current chunk, so chunks (and memory) stay bounded.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .send(chunk)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

struct ChannelReader {
    rx: Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                // Sender gone: end of stream (the producer's own result says whether
                // it ended cleanly).
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, DEPTH, pipelined};

    #[test]
    fn bytes_arrive_in_order_and_early_stop_ends_the_producer() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let (produced, got) = pipelined(
            |w| w.write_all(&data).is_ok(),
            |r| {
                let mut v = Vec::new();
                r.read_to_end(&mut v).map(|_| v).ok()
            },
        );
        assert_eq!(produced, Some(true));
        assert_eq!(got.as_deref(), Some(&data[..]));
        // The consumer reads one byte and leaves: a producer with more to write than the
        // channel holds must get an error instead of blocking forever.
        let big = vec![7u8; CHUNK * (DEPTH + 4)];
        let (produced, _) = pipelined(
            |w| w.write_all(&big).is_ok(),
            |r| r.read(&mut [0u8; 1]).ok(),
        );
        assert_eq!(produced, Some(false));
    }
}
