//! Typed errors: a [`Failure`] says what went wrong and of which [`ErrorKind`]; once it
//! leaves the crate it becomes an [`ImageError`] that also names the input.

use std::fmt;
use std::io;

/// What kind of failure, so callers can react without parsing messages: retry a
/// transport error, tell the user to log in on an auth error, evict a cache entry on a
/// digest mismatch. `Auth` and `Transport` come from remote sources (registries, engine
/// sockets); the local sources never produce them, but they belong to the contract now
/// so that callers handle them before those sources exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input, a blob it references, or the image/tag/platform asked for is not there.
    NotFound,
    /// Content does not hash to the digest that names it.
    DigestMismatch,
    /// The bytes are damaged or inconsistent: bad JSON, a broken tar or gzip stream,
    /// a manifest that contradicts its config, a layer entry escaping the root.
    Corrupt,
    /// Well-formed, but not something this crate reads: not an image, an unknown media
    /// type or digest algorithm.
    Unsupported,
    /// The source refused the credentials (or wants some).
    Auth,
    /// The connection to a remote source failed; `retryable` when trying again may help
    /// (timeouts, HTTP 429 and 5xx).
    Transport { retryable: bool },
    /// Reading local storage failed.
    Io,
    /// A resource limit of the scan was reached (layer size, inflation ratio, scan
    /// timeout): the input may be fine, but it was not fully read.
    Limit,
}

/// A failure not yet attributed to an input: what sources, layer readers and the merge
/// return. [`Failure::in_input`] turns it into the [`ImageError`] users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: ErrorKind,
    /// One line, naming the blob or entry that failed.
    pub message: String,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::NotFound, message)
    }

    pub fn corrupt(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Corrupt, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Unsupported, message)
    }

    pub fn digest_mismatch(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::DigestMismatch, message)
    }

    /// An I/O error as one line. Its kind is the one a source tagged it with (see
    /// [`Failure::into_io`]), else `fallback`: the caller knows whether the bytes came
    /// straight from storage (`Io`) or through a decoder that rejected them (`Corrupt`).
    pub fn from_io(e: &io::Error, fallback: ErrorKind) -> Failure {
        let kind = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Failure>())
            .map_or(fallback, |f| f.kind);
        Failure::new(kind, io_msg(e))
    }

    /// Wraps this failure in an `io::Error`, so a reader handed out by a source can
    /// carry its kind through decoders and the tar parser to [`Failure::from_io`].
    pub fn into_io(self) -> io::Error {
        io::Error::other(self)
    }

    /// Prefixes the message with where it happened (`layer 2 (sha256:…)`).
    pub(crate) fn context(self, place: impl fmt::Display) -> Failure {
        Failure {
            kind: self.kind,
            message: format!("{place}: {}", self.message),
        }
    }

    pub fn in_input(self, input: &str) -> ImageError {
        ImageError {
            input: input.to_owned(),
            kind: self.kind,
            message: self.message,
        }
    }
}

/// An image could not be read. Always names the input (and the blob or entry) so a
/// one-line message is enough for the user to find the culprit.
#[derive(Debug, thiserror::Error)]
pub struct ImageError {
    /// The input as the user gave it.
    pub input: String,
    pub kind: ErrorKind,
    /// What failed, including the blob or entry inside the input.
    pub message: String,
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;

/// Flattens an io::Error chain into one line, which matters for errors from decoders
/// wrapped inside the tar reader.
pub(crate) fn io_msg(e: &io::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        src = s.source();
    }
    if e.kind() == io::ErrorKind::UnexpectedEof && !msg.contains("truncated") {
        msg.push_str(" (truncated input?)");
    }
    msg
}

/// `cannot open: …` for the input itself: missing is `NotFound`, anything else `Io`.
pub(crate) fn cannot_open(e: &io::Error) -> Failure {
    let kind = if e.kind() == io::ErrorKind::NotFound {
        ErrorKind::NotFound
    } else {
        ErrorKind::Io
    };
    Failure::new(kind, format!("cannot open: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_survives_the_trip_through_io_error() {
        let tagged = Failure::new(ErrorKind::Transport { retryable: true }, "reset by peer");
        let back = Failure::from_io(&tagged.clone().into_io(), ErrorKind::Corrupt);
        assert_eq!(back, tagged);
        let plain = io::Error::new(io::ErrorKind::InvalidData, "bad block");
        assert_eq!(
            Failure::from_io(&plain, ErrorKind::Corrupt).kind,
            ErrorKind::Corrupt
        );
    }
}
