//! Alpine's secdb (`main.json`, `community.json` per release), read from a mirror's
//! `alpine-secdb/<release>/` to fill what OSV's `Alpine:v3.X` records lack, and edge's,
//! which is the only source of drydock's `Alpine:edge`: OSV has no edge ecosystem. So
//! edge alone is also read from Alpine itself (secdb.alpinelinux.org/edge/, the default
//! with the public OSV bucket), with the last good copy as the fallback; the release
//! files are not, since with the public bucket OSV already carries what they say.

use crate::error::{Error, Result};
use crate::fetch::Location;

use super::parse::{Parsed, SecdbFix, parse_secdb};
use super::{FeedLocation, FeedState, Reader};

/// Alpine's own secdb folder for edge.
pub const ALPINE_EDGE_SECDB_URL: &str = "https://secdb.alpinelinux.org/edge";

/// secdb's folder (and release name) for edge.
const EDGE: &str = "edge";

/// Each edge file and its name in `db status`.
const EDGE_FILES: [(&str, &str); 2] = [
    ("main.json", "Alpine edge secdb (main)"),
    ("community.json", "Alpine edge secdb (community)"),
];

impl Reader<'_> {
    /// The mirror's per-release files, as one `Alpine secdb` status.
    pub(super) fn secdb(&mut self, root: &Location, releases: &[String]) -> Result<()> {
        if releases.is_empty() {
            return Ok(());
        }
        let mut fixes = 0;
        for rel in releases {
            for repo in ["main.json", "community.json"] {
                let loc = root.join(&["alpine-secdb", rel, repo]);
                fixes += self.secdb_mirror_file(&loc, rel)?.unwrap_or(0);
            }
        }
        let state = if fixes > 0 {
            FeedState::Fresh
        } else {
            FeedState::Absent
        };
        let parsed = Parsed {
            entries: fixes,
            date: None,
        };
        let source = root.join(&["alpine-secdb"]).display();
        self.status("Alpine secdb", source, parsed, state);
        Ok(())
    }

    /// Edge's files (the plan asks for them only when the build has Alpine releases or
    /// `Alpine:edge`: a build of other ecosystems has no use for them, nor for a line
    /// saying they are absent).
    pub(super) fn secdb_edge(
        &mut self,
        at: &FeedLocation,
        root: Option<&Location>,
        named: bool,
    ) -> Result<()> {
        for (file, name) in EDGE_FILES {
            match (at, root) {
                (FeedLocation::Mirror, Some(root)) => {
                    let loc = root.join(&["alpine-secdb", EDGE, file]);
                    let (entries, state) = match self.secdb_mirror_file(&loc, EDGE)? {
                        Some(n) => (n, FeedState::Fresh),
                        None if named => {
                            return Err(Error::NotFound { url: loc.display() });
                        }
                        None => (0, FeedState::Absent),
                    };
                    let parsed = Parsed {
                        entries,
                        date: None,
                    };
                    self.status(name, loc.display(), parsed, state);
                }
                (FeedLocation::Mirror, None) => {}
                (FeedLocation::At(at), _) => {
                    let url = Location::parse(at).join(&[file]).display();
                    let copy = format!("alpine-secdb-edge-{file}");
                    let read = |b: &[u8], loc: &Location| {
                        let mut out = Vec::new();
                        parse_secdb(b, loc, EDGE, &mut out)?;
                        let parsed = Parsed {
                            entries: out.len(),
                            date: None,
                        };
                        Ok((parsed, out))
                    };
                    let fixes: Option<Vec<SecdbFix>> = self.published_as(name, &url, &copy, read);
                    self.feeds.secdb.extend(fixes.into_iter().flatten());
                }
                (FeedLocation::Off, _) => self.off(name),
            }
        }
        Ok(())
    }

    /// One secdb file of the mirror: the number of fixes read, `None` (and named
    /// missing) when absent; an error when it is there but does not parse.
    fn secdb_mirror_file(&mut self, loc: &Location, release: &str) -> Result<Option<usize>> {
        let Some(b) = self.f.get_optional(loc)? else {
            self.feeds.missing.push(loc.display());
            return Ok(None);
        };
        self.hash(&loc.display(), &b);
        let before = self.feeds.secdb.len();
        parse_secdb(&b, loc, release, &mut self.feeds.secdb)?;
        Ok(Some(self.feeds.secdb.len() - before))
    }
}
