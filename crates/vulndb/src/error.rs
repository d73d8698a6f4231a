//! The crate's error type, shared by fetching, building and querying.

use std::path::PathBuf;

/// Errors from building, updating or querying the vulnerability database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found: {url}")]
    NotFound { url: String },
    #[error("HTTP {status} from {url}")]
    HttpStatus { url: String, status: u16 },
    #[error("fetching {url} failed: {msg}")]
    Transport { url: String, msg: String },
    #[error("corrupt or truncated zip {url}: {msg}")]
    CorruptZip { url: String, msg: String },
    #[error("malformed {what} at {url}: {msg}")]
    BadData {
        what: &'static str,
        url: String,
        msg: String,
    },
    /// A compressed file that inflates past its budget: a decompression bomb, or not the
    /// file it should be.
    #[error(
        "{what} at {url} inflates past {limit_mib} MiB from {compressed} bytes; not read (a decompression bomb, or not {what})"
    )]
    TooLarge {
        what: &'static str,
        url: String,
        limit_mib: u64,
        compressed: u64,
    },
    #[error(
        "database schema v{found} is newer than this drydock (v{supported}); run `drydock db update --full`"
    )]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("{path} is not a usable drydock vulnerability database: {msg}")]
    NotADb { path: PathBuf, msg: String },
    #[error(
        "no vulnerability database at {}: run `drydock db update` first (or scan with `--scanners none`)",
        .0.display()
    )]
    Missing(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not a `#[source]`: rusqlite's error repeats its message in its own source, and
    /// the CLI prints the whole chain on one line.
    #[error("{}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
    #[error("unexpected value in database: {0}")]
    SqlValue(#[from] rusqlite::types::FromSqlError),
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

/// A full disk is said in the user's words; the database left in place is untouched
/// (updates build a temporary copy and rename it only when complete).
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "no space left on the device (sqlite: database or disk is full); the previous database is kept".to_owned()
        }
        _ => format!("sqlite: {e}"),
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
