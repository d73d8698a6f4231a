//! Reading mirror files from an http(s) URL or a local directory.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// Largest single download accepted (the biggest OSV `all.zip` is far below this).
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// Where mirror files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// Base URL without trailing slash.
    Http(String),
    Dir(PathBuf),
}

impl Location {
    pub(crate) fn parse(s: &str) -> Location {
        if s.starts_with("http://") || s.starts_with("https://") {
            Location::Http(s.trim_end_matches('/').to_owned())
        } else {
            Location::Dir(PathBuf::from(s))
        }
    }

    /// Parent (the mirror root that holds the sibling feed folders).
    pub(crate) fn parent(&self) -> Option<Location> {
        match self {
            Location::Http(u) => {
                let (head, _) = u.rsplit_once('/')?;
                // Refuse to climb above scheme://host.
                (head.matches('/').count() >= 2 && !head.ends_with('/'))
                    .then(|| Location::Http(head.to_owned()))
            }
            Location::Dir(p) => p.parent().map(|p| Location::Dir(p.to_path_buf())),
        }
    }

    pub(crate) fn join(&self, segs: &[&str]) -> Location {
        match self {
            Location::Http(u) => {
                let mut u = u.clone();
                for s in segs {
                    u.push('/');
                    u.push_str(&encode_segment(s));
                }
                Location::Http(u)
            }
            Location::Dir(p) => {
                let mut p = p.clone();
                p.extend(segs);
                Location::Dir(p)
            }
        }
    }

    pub(crate) fn display(&self) -> String {
        match self {
            Location::Http(u) => u.clone(),
            Location::Dir(p) => p.display().to_string(),
        }
    }
}

/// Percent-encodes one path segment (OSV ecosystems contain `:` and spaces).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Fetches files with timeouts and bounded retries on transient failures.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    retries: u32,
    backoff: Duration,
}

impl Fetcher {
    pub(crate) fn new(timeout: Duration, retries: u32) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_per_read(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Fetcher {
            agent,
            retries,
            backoff: Duration::from_millis(200),
        }
    }

    /// Reads the whole file; a missing file is `Error::NotFound` so callers can treat
    /// optional files leniently.
    pub(crate) fn get(&self, loc: &Location) -> Result<Vec<u8>> {
        match loc {
            Location::Dir(p) => std::fs::read(p).map_err(|e| local_error(p, e)),
            Location::Http(url) => self.retrying(|| {
                let (mut body, expected) = self.respond(url, MAX_BODY)?;
                let mut b = Vec::with_capacity(expected.unwrap_or(0).min(MAX_BODY) as usize);
                body.read_to_end(&mut b).map_err(|e| reading(url, e))?;
                complete(url, expected, b.len() as u64)?;
                Ok(b)
            }),
        }
    }

    /// Like [`Fetcher::get`] but a missing file is `Ok(None)`.
    pub(crate) fn get_optional(&self, loc: &Location) -> Result<Option<Vec<u8>>> {
        match self.get(loc) {
            Ok(b) => Ok(Some(b)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The file at `loc` on disk, for feeds too large to hold in memory: a local file is
    /// its own path; a download streams into `scratch` (overwritten; its folder made once
    /// there is a body to write, so a feed a mirror lacks leaves nothing) up to `limit`
    /// bytes.
    pub(crate) fn to_file(&self, loc: &Location, scratch: &Path, limit: u64) -> Result<PathBuf> {
        match loc {
            Location::Dir(p) => match std::fs::metadata(p) {
                Ok(m) if m.is_file() => Ok(p.clone()),
                Ok(_) => Err(Error::io(p, std::io::Error::other("not a regular file"))),
                Err(e) => Err(local_error(p, e)),
            },
            Location::Http(url) => self.retrying(|| {
                let (mut body, expected) = self.respond(url, limit)?;
                if let Some(dir) = scratch.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
                let mut out = std::fs::File::create(scratch).map_err(|e| Error::io(scratch, e))?;
                let n = std::io::copy(&mut body, &mut out).map_err(|e| reading(url, e))?;
                out.sync_all().map_err(|e| Error::io(scratch, e))?;
                complete(url, expected, n)?;
                Ok(scratch.to_owned())
            }),
        }
    }

    /// Runs `once` again after a transient failure, backing off, up to the retry count.
    fn retrying<T>(&self, once: impl Fn() -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            match once() {
                Err(e) if attempt < self.retries && is_transient(&e) => {
                    std::thread::sleep(self.backoff * 2u32.pow(attempt));
                    attempt += 1;
                }
                r => return r,
            }
        }
    }

    /// A 200 response's body (read at most `limit` bytes) and its declared length.
    fn respond(&self, url: &str, limit: u64) -> Result<(impl Read, Option<u64>)> {
        let transport = |e: ureq::Error| Error::Transport {
            url: url.to_owned(),
            msg: e.to_string(),
        };
        let resp = self.agent.get(url).call().map_err(transport)?;
        let status = resp.status().as_u16();
        if status == 404 || status == 410 {
            return Err(Error::NotFound {
                url: url.to_owned(),
            });
        }
        if status != 200 {
            return Err(Error::HttpStatus {
                url: url.to_owned(),
                status,
            });
        }
        let expected: Option<u64> = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = resp.into_body().into_with_config().limit(limit).reader();
        Ok((body, expected))
    }

    /// Names in a directory: subfolders/files for a local dir, `href`s of an HTML index
    /// page (as static file servers produce) for HTTP.
    pub(crate) fn list(&self, loc: &Location) -> Result<Vec<String>> {
        match loc {
            Location::Dir(p) => {
                let rd = std::fs::read_dir(p).map_err(|e| Error::io(p, e))?;
                let mut names = Vec::new();
                for ent in rd {
                    let ent = ent.map_err(|e| Error::io(p, e))?;
                    if let Some(n) = ent.file_name().to_str() {
                        names.push(n.to_owned());
                    }
                }
                names.sort();
                Ok(names)
            }
            Location::Http(url) => {
                let body = self.get(&Location::Http(format!("{url}/")))?;
                let text = String::from_utf8_lossy(&body);
                let mut names: Vec<String> = text
                    .split("href=\"")
                    .skip(1)
                    .filter_map(|s| s.split('"').next())
                    .filter(|h| !h.contains('/') || h.ends_with('/'))
                    .map(|h| percent_decode(h.trim_end_matches('/')))
                    .filter(|h| !h.is_empty() && !h.starts_with('.') && !h.starts_with('?'))
                    .collect();
                names.sort();
                names.dedup();
                Ok(names)
            }
        }
    }
}

fn local_error(p: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::NotFound {
            url: p.display().to_string(),
        }
    } else {
        Error::io(p, e)
    }
}

fn reading(url: &str, e: std::io::Error) -> Error {
    Error::Transport {
        url: url.to_owned(),
        msg: format!("reading body: {e}"),
    }
}

/// A body shorter (or longer) than its `Content-Length` is a cut connection, not a file.
fn complete(url: &str, expected: Option<u64>, got: u64) -> Result<()> {
    match expected {
        Some(n) if n != got => Err(Error::Transport {
            url: url.to_owned(),
            msg: format!("truncated download: got {got} of {n} bytes"),
        }),
        _ => Ok(()),
    }
}

fn is_transient(e: &Error) -> bool {
    match e {
        Error::HttpStatus { status, .. } => *status >= 500 || *status == 429,
        Error::Transport { .. } => true,
        _ => false,
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b.get(i),
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (Some(&c), _, _) => {
                out.push(c);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_encodes_and_parent_stops_at_host() {
        let l = Location::parse("http://127.0.0.1:9/osv/");
        assert_eq!(
            l.join(&["Alpine:v3.20", "all.zip"]).display(),
            "http://127.0.0.1:9/osv/Alpine%3Av3.20/all.zip"
        );
        assert_eq!(
            l.join(&["Red Hat:9"]).display(),
            "http://127.0.0.1:9/osv/Red%20Hat%3A9"
        );
        let root = l.parent().expect("has parent");
        assert_eq!(root.display(), "http://127.0.0.1:9");
        assert_eq!(root.parent(), None);
        assert_eq!(percent_decode("Alpine%3Av3.20"), "Alpine:v3.20");
    }
}
