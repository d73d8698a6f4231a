use std::fmt;

/// An image could not be read. Always names the input (and the blob or entry) so a
/// one-line message is enough for the user to find the culprit.
#[derive(Debug, thiserror::Error)]
pub struct ImageError {
    /// The path the user gave.
    pub input: String,
    /// What failed, including the blob or entry inside the input.
    pub message: String,
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;

/// Builds errors that carry the input name without threading it through every call.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub input: String,
}

impl Ctx {
    pub fn err(&self, message: impl Into<String>) -> ImageError {
        ImageError {
            input: self.input.clone(),
            message: message.into(),
        }
    }
}

/// Flattens an io::Error chain into one line, which matters for errors from decoders
/// wrapped inside the tar reader.
pub(crate) fn io_msg(e: &std::io::Error) -> String {
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
    if e.kind() == std::io::ErrorKind::UnexpectedEof && !msg.contains("truncated") {
        msg.push_str(" (truncated input?)");
    }
    msg
}
