//! How much a layer may cost: its size as stored and inflated, how far it may inflate
//! past its compressed size, and a deadline for the whole scan. A gzip or zstd stream of
//! zeros inflates about a thousandfold (150 MB of gzip holds 150 GB), so without these a
//! hostile layer keeps a scan busy for minutes to hours. A layer that hits one is
//! refused with [`ErrorKind::Limit`]: it was not fully read, so the scan has no complete
//! answer to give.

use crate::error::{ErrorKind, Failure};
use std::cell::Cell;
use std::io::{self, Read};
use std::time::{Duration, Instant};

/// Inflation is only judged past this many inflated bytes: small layers of sparse files
/// or zero-filled images compress far better than 100:1 and cost nothing to read.
pub const RATIO_FLOOR: u64 = 1 << 30;

/// The resource limits of one scan. Messages name the command-line flags that set them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A layer's blob as stored (declared or read) and its tar once inflated may each be
    /// at most this many bytes (`--max-layer-mib`).
    pub max_layer_bytes: u64,
    /// Past [`RATIO_FLOOR`] inflated bytes, a layer may inflate to at most this many
    /// times the compressed bytes read so far (`--max-inflate-ratio`).
    pub max_inflate_ratio: u64,
    /// When the scan must have read its layers (`--scan-timeout`), with the timeout it
    /// came from, for the message.
    pub deadline: Option<(Instant, Duration)>,
}

impl Default for Limits {
    /// 64 GiB per layer (the largest layers of CUDA and ML images are 10–20 GB
    /// inflated), 100:1 (real layers inflate 2–10:1), no deadline.
    fn default() -> Self {
        Self {
            max_layer_bytes: 64 << 30,
            max_inflate_ratio: 100,
            deadline: None,
        }
    }
}

impl Limits {
    /// Refuses a layer from its declared size before a byte of it is read.
    pub(crate) fn check_declared(&self, size: Option<u64>) -> Result<(), Failure> {
        match size {
            Some(s) if s > self.max_layer_bytes => Err(over_size(
                format_args!("its descriptor declares {s} bytes,"),
                self,
                "not read",
            )),
            _ => Ok(()),
        }
    }

    /// The deadline, checked between pieces of work that do not stream (e.g. directories).
    pub(crate) fn check_deadline(&self) -> Result<(), Failure> {
        match self.deadline {
            Some((at, after)) if Instant::now() >= at => Err(Failure::new(
                ErrorKind::Limit,
                format!(
                    "scan timed out after {} (--scan-timeout); not fully read",
                    human_duration(after)
                ),
            )),
            _ => Ok(()),
        }
    }
}

fn over_size(what: std::fmt::Arguments<'_>, limits: &Limits, then: &str) -> Failure {
    Failure::new(
        ErrorKind::Limit,
        format!(
            "{what} over the {} MiB layer limit (--max-layer-mib); {then}",
            limits.max_layer_bytes >> 20
        ),
    )
}

/// `5m0s`, `90s`: how the timeout was given back to the user.
fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, _) => format!("{:.1}s", d.as_secs_f64()),
        (m, s) => format!("{m}m{s}s"),
    }
}

/// Counts the bytes of a blob as stored that its decoder has taken.
pub(crate) struct Counted<'c, R> {
    pub inner: R,
    pub count: &'c Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Passes a layer's inflated tar through, stopping with a [`ErrorKind::Limit`] failure
/// (kept in `hit`, since the tar parser that sees the error rewords it) the moment a
/// limit is crossed.
pub(crate) struct Budgeted<'a, R> {
    pub inner: R,
    pub compressed: &'a Cell<u64>,
    pub limits: &'a Limits,
    pub hit: &'a Cell<Option<Failure>>,
    pub inflated: u64,
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inflated += n as u64;
        let compressed = self.compressed.get();
        let limits = self.limits;
        let failure = if compressed > limits.max_layer_bytes {
            Some(over_size(
                format_args!("its blob is"),
                limits,
                "not read further",
            ))
        } else if self.inflated > limits.max_layer_bytes {
            Some(over_size(
                format_args!("it inflates"),
                limits,
                "not read further",
            ))
        } else if self.inflated > RATIO_FLOOR
            && self.inflated > compressed.saturating_mul(limits.max_inflate_ratio)
        {
            Some(Failure::new(
                ErrorKind::Limit,
                format!(
                    "inflates more than {}:1 ({} bytes from the first {compressed} compressed; \
                     --max-inflate-ratio); a compression bomb or zero-filled files, not read further",
                    limits.max_inflate_ratio, self.inflated
                ),
            ))
        } else {
            limits.check_deadline().err()
        };
        match failure {
            Some(f) => {
                self.hit.set(Some(f.clone()));
                Err(f.into_io())
            }
            None => Ok(n),
        }
    }
}
