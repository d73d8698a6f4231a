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
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("unexpected value in database: {0}")]
    SqlValue(#[from] rusqlite::types::FromSqlError),
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
