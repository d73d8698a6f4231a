//! Paging through Canonical's Security API: `cves.json` answers 20 CVEs of its
//! `total_results` (hundreds of thousands), so a listing at an HTTP(S) URL is read page
//! after page (`limit`, `offset`) and the pages merged, then kept as one document.
//!
//! - The first request is the URL as given: a mirror's merged copy served over HTTP
//!   (`total_results` = the CVEs it holds) is read once, like a file.
//! - Each next page asks `limit=100` at the offset reached so far, advanced by the CVEs the
//!   page actually returned: the API caps `limit`, and a smaller page must not leave a gap.
//!   The rest of the user's query (`package=`, `priority=`, ...) is kept.
//! - Paging stops once `total_results` CVEs are read or a page lists none. When
//!   `total_results` changes between pages (CVEs published meanwhile), it is no longer
//!   trusted: paging goes on until a page lists none, and the status says so. A page whose
//!   CVEs were all read before (a server that ignores `offset`) ends it too; what was read
//!   is then kept and said to be partial.
//! - A hostile or broken server is bounded: past [`Bounds::API`] the refresh fails. Any
//!   page that fails (HTTP error, bad JSON, cut short, over the fetcher's body cap) fails
//!   the whole refresh, and the previous merged copy is used: a half-read listing is never
//!   kept as complete.
//! - Nothing is printed per page; the status names the pages read.

use sha2::{Digest, Sha256};

use super::{COPY, Merged, NAME, Sink, UbuntuTracker, parse_cves};
use crate::error::Result;
use crate::feeds::parse::{Parsed, bad};
use crate::feeds::{FeedState, Reader};
use crate::fetch::Location;

/// CVEs asked per page (the API may answer fewer).
const LIMIT: u64 = 100;

/// How far a server is followed before the refresh is given up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub pages: u64,
    pub cves: u64,
}

impl Bounds {
    /// Canonical's history is some 300,000 CVEs: 3,000 pages of 100, or 15,000 of 20.
    pub(crate) const API: Bounds = Bounds {
        pages: 100_000,
        cves: 2_000_000,
    };
}

/// The pages read and merged.
pub(crate) struct Paged {
    pub parsed: Parsed,
    pub tracker: UbuntuTracker,
    /// The last `total_results` stated.
    pub total: Option<u64>,
    /// What `db status` shows besides the URL: pages, CVEs, a changing total.
    pub note: String,
    /// SHA-256 over every page's bytes.
    pub digest: [u8; 32],
    pub sink: Option<Sink>,
}

/// Reads `url` and the pages after it with `get`, writing every CVE to `sink`.
pub(crate) fn page_through(
    url: &str,
    bounds: Bounds,
    mut get: impl FnMut(&Location) -> Result<Vec<u8>>,
    sink: Option<Sink>,
) -> Result<Paged> {
    let start = query_offset(url);
    let mut merged = Merged::with_sink(sink);
    let mut hasher = Sha256::new();
    let mut loc = Location::Http(url.to_owned());
    let (mut pages, mut offset) = (0u64, start);
    let (mut total, mut changed) = (None, None);
    let failed = |merged: &mut Merged, e| {
        if let Some(s) = merged.take_sink() {
            s.discard();
        }
        e
    };
    loop {
        let page = get(&loc).and_then(|b| {
            hasher.update((b.len() as u64).to_le_bytes());
            hasher.update(&b);
            merged.page(&b, &loc)
        });
        let page = page.map_err(|e| failed(&mut merged, e))?;
        pages += 1;
        offset += page.listed;
        if pages == 1 {
            total = page.total;
        } else if page.total != total {
            // From the first total stated to the latest.
            changed = Some((changed.map_or(total, |(first, _)| first), page.total));
            total = page.total;
        }
        let read_all = changed.is_none() && total.is_none_or(|t| offset >= t);
        if page.listed == 0 || page.new == 0 || read_all {
            break;
        }
        if pages >= bounds.pages || offset - start >= bounds.cves {
            let e = bad(
                "Ubuntu CVE tracker",
                &loc,
                format!(
                    "still listing CVEs after {pages} pages and {} CVEs (at most {} pages or {} CVEs are read)",
                    offset - start,
                    bounds.pages,
                    bounds.cves
                ),
            );
            return Err(failed(&mut merged, e));
        }
        loc = Location::Http(page_url(url, offset));
    }
    let distinct = merged.distinct();
    let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut note = format!("{}, {}", plural(pages, "page"), plural(distinct, "CVE"));
    if let Some((from, to)) = changed {
        let n = |t: Option<u64>| t.map_or("none".to_owned(), |t| t.to_string());
        note.push_str(&format!(
            "; total_results changed from {} to {} while paging: read until a page listed none",
            n(from),
            n(to)
        ));
    }
    let sink = merged.take_sink();
    let (parsed, mut tracker) = merged.finish();
    if let Some(t) = total
        .map(|t| t.saturating_sub(start))
        .filter(|&t| t > distinct)
    {
        tracker.partial = Some((distinct, t));
    }
    Ok(Paged {
        parsed,
        tracker,
        total,
        note,
        digest: hasher.finalize().into(),
        sink,
    })
}

/// The `offset` the user's URL starts at (0 when it gives none).
fn query_offset(url: &str) -> u64 {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    (query.split('&'))
        .find_map(|kv| kv.strip_prefix("offset=")?.parse().ok())
        .unwrap_or(0)
}

/// `url` asking `limit=100` at `offset`, its other query parameters kept.
fn page_url(url: &str, offset: u64) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = (query.split('&'))
        .filter(|kv| !kv.is_empty() && !kv.starts_with("limit=") && !kv.starts_with("offset="))
        .collect();
    let paging = format!("limit={LIMIT}&offset={offset}");
    params.push(&paging);
    format!("{base}?{}", params.join("&"))
}

impl Reader<'_> {
    /// The API at `url`, paged, its merged pages kept as the fallback copy.
    pub(super) fn ubuntu_paged(&mut self, at: &str, url: &str) -> Option<UbuntuTracker> {
        let copy = self.cache.join(COPY);
        let tmp = copy.with_extension("json.tmp");
        let sink = std::fs::create_dir_all(&self.cache).and_then(|()| Sink::create(&tmp));
        let (sink, unkept) = match sink {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(crate::error::Error::io(&tmp, e))),
        };
        let f = self.f;
        let paged = match page_through(url, Bounds::API, |loc| f.get(loc), sink) {
            Ok(p) => p,
            Err(e) => return self.published_bytes(NAME, at, COPY, Err(e), parse_cves),
        };
        let kept = match paged.sink {
            Some(s) => s.finish(paged.total, &copy).err(),
            None => unkept,
        };
        if let Some(e) = kept {
            (self.feeds.warnings).push(format!("{NAME}: could not keep a copy: {e}"));
        }
        self.hash(at, &paged.digest);
        let source = format!("{at} ({})", paged.note);
        self.status(NAME, source, paged.parsed, FeedState::Fresh);
        Some(paged.tracker)
    }
}

#[cfg(test)]
#[path = "ubuntu_pages_tests.rs"]
mod tests;
