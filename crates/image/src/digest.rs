use sha2::{Digest, Sha256};
use std::io::{self, Read};

/// Hashes every byte that passes through, so a blob is verified in the same single
/// pass that parses it.
pub(crate) struct HashingReader<'p, R> {
    inner: R,
    /// None when nobody will look at this digest: hashing 100s of MB is not free.
    hasher: Option<Sha256>,
    progress: Option<&'p (dyn Fn(u64) + Sync)>,
}

impl<'p, R: Read> HashingReader<'p, R> {
    /// Passes bytes through, hashing them only when `enabled`.
    pub fn optional(inner: R, enabled: bool) -> Self {
        Self {
            inner,
            hasher: enabled.then(Sha256::new),
            progress: None,
        }
    }

    /// Hashes and reports every chunk's size, which drives the progress bar.
    pub fn with_progress(inner: R, progress: &'p (dyn Fn(u64) + Sync)) -> Self {
        Self {
            inner,
            hasher: Some(Sha256::new()),
            progress: Some(progress),
        }
    }

    /// Reads whatever is left (padding after the tar end, trailing gzip members) so the
    /// digest covers the whole blob, then returns `sha256:<hex>` (None when hashing was off).
    pub fn finish(mut self) -> io::Result<Option<String>> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(self
            .hasher
            .map(|h| format!("sha256:{}", hex::encode(h.finalize()))))
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        if let Some(progress) = self.progress {
            progress(n as u64);
        }
        Ok(n)
    }
}

pub(crate) fn sha256_bytes(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// Checks that a digest string is `sha256:<64 hex>`; anything else could be used to
/// address files outside the blob store.
pub(crate) fn parse_sha256(digest: &str) -> Option<&str> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}
