//! A compressed tar: members are only reachable by inflating it again from the start,
//! so small JSON members are kept from the first pass (up to a budget) and layers are
//! read in archive order.

use super::tar::{follow_links, link_target};
use super::{BlobSource, Compression, SMALL_MEMBER_LIMIT, clean_member, read_full, read_limited};
use crate::Limits;
use crate::budget::{Budgeted, Counted};
use crate::error::{ErrorKind, Failure, io_msg};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// Bytes of small JSON-looking members kept from the first pass. Which of them the
/// manifest names is only known once `manifest.json` is read, and `docker save` writes it
/// last, so all are candidates; an archive holds a few (manifests, configs). Past this,
/// members are read again on demand, so 300 members of 8 MiB cost another pass, not 2.5 GB.
const KEPT_SMALL_BUDGET: usize = 64 << 20;

/// Kept whatever the budget: every archive's resolution starts from them.
const ROOT_MEMBERS: [&str; 2] = ["manifest.json", "index.json"];

pub(crate) struct StreamedSource {
    path: PathBuf,
    compression: Compression,
    limits: Limits,
    small: HashMap<String, Vec<u8>>,
    /// JSON-looking members over [`KEPT_SMALL_BUDGET`], read again when asked for.
    not_kept: HashSet<String>,
    names: Vec<String>,
    /// Symlinked members (legacy `docker save` links duplicate layers), resolved.
    links: HashMap<String, String>,
}

fn corrupt(e: &io::Error) -> Failure {
    Failure::from_io(e, ErrorKind::Corrupt).context("corrupt archive")
}

/// What the first pass finds.
struct Index {
    small: HashMap<String, Vec<u8>>,
    not_kept: HashSet<String>,
    names: Vec<String>,
    links: HashMap<String, String>,
}

/// The limits a whole archive answers to: its inflation and the deadline. An archive of
/// many layers may well be larger than one layer may be.
fn archive_limits(limits: &Limits) -> Limits {
    Limits {
        max_layer_bytes: u64::MAX,
        ..*limits
    }
}

/// Inflates `file` through the archive's limits into `f`; a limit reached is reported
/// as such, not as whatever the reader of the inflated bytes made of its error.
fn inflate<T>(
    file: impl Read,
    compression: Compression,
    limits: &Limits,
    f: impl FnOnce(&mut dyn Read) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let compressed = Cell::new(0);
    let hit = Cell::new(None);
    let counted = Counted {
        inner: file,
        count: &compressed,
    };
    let decoder = compression
        .decoder(BufReader::with_capacity(256 << 10, counted))
        .map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt))?;
    let limits = archive_limits(limits);
    let mut inflated = Budgeted {
        inner: decoder,
        compressed: &compressed,
        limits: &limits,
        hit: &hit,
        inflated: 0,
    };
    let result = f(&mut inflated);
    match hit.take() {
        Some(limit) => Err(limit.context("compressed archive")),
        None => result,
    }
}

impl StreamedSource {
    pub fn index(
        path: &Path,
        file: File,
        compression: Compression,
        limits: &Limits,
    ) -> Result<StreamedSource, Failure> {
        let index = inflate(file, compression, limits, read_index)?;
        Ok(StreamedSource {
            path: path.to_owned(),
            compression,
            limits: *limits,
            small: index.small,
            not_kept: index.not_kept,
            names: index.names,
            links: index.links,
        })
    }
}

fn read_index(decoder: &mut dyn Read) -> Result<Index, Failure> {
    {
        let mut archive = tar::Archive::new(decoder);
        let mut small = HashMap::new();
        let mut not_kept = HashSet::new();
        let mut kept = 0;
        let mut names = Vec::new();
        let mut links = HashMap::new();
        let entries = archive
            .entries()
            .map_err(|e| Failure::corrupt(format!("not a tar archive: {}", io_msg(&e))))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| corrupt(&e))?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = clean_member(&name) else {
                continue;
            };
            let kind = entry.header().entry_type();
            if kind.is_symlink() || kind.is_hard_link() {
                if let Some(t) = link_target(&entry, &name) {
                    links.insert(name, t);
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            if entry.size() <= SMALL_MEMBER_LIMIT {
                let mut head = [0u8; 1];
                let n = read_full(&mut entry, &mut head).map_err(|e| corrupt(&e))?;
                let root = ROOT_MEMBERS.contains(&name.as_str());
                // The size is the header's; what fits is decided before reading.
                let fits = kept + entry.size() as usize <= KEPT_SMALL_BUDGET;
                if n == 1 && (head[0] == b'{' || head[0] == b'[') {
                    if root || fits {
                        let mut data = head.to_vec();
                        entry.read_to_end(&mut data).map_err(|e| corrupt(&e))?;
                        if !root {
                            kept += data.len();
                        }
                        small.insert(name.clone(), data);
                    } else {
                        not_kept.insert(name.clone());
                    }
                }
            }
            names.push(name);
        }
        // Drain so a corrupt trailer is reported now, not silently ignored.
        io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(|e| corrupt(&e))?;
        if names.is_empty() {
            return Err(Failure::unsupported(
                "not an image archive: the tar is empty",
            ));
        }
        Ok(Index {
            small,
            not_kept,
            names,
            links,
        })
    }
}

impl BlobSource for StreamedSource {
    fn read_small(&self, name: &str) -> Result<Vec<u8>, Failure> {
        if let Some(data) = self.small.get(name) {
            return Ok(data.clone());
        }
        if !self.not_kept.contains(name) {
            return Err(Failure::not_found(format!(
                "{name}: missing from the archive (or not JSON)"
            )));
        }
        let mut found = None;
        self.stream_members(&[name.to_owned()], &mut |n, r| {
            found = Some(read_limited(n, r)?);
            Ok(())
        })?;
        found.ok_or_else(|| Failure::not_found(format!("{name}: missing from the archive")))
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure> {
        Err(Failure::unsupported(format!(
            "{name}: cannot seek in a compressed archive"
        )))
    }

    fn random_access(&self) -> bool {
        false
    }

    /// Inflates the archive once more on a second thread while this one walks its
    /// members.
    fn stream_members(
        &self,
        wanted: &[String],
        f: &mut dyn FnMut(&str, &mut dyn Read) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let file =
            File::open(&self.path).map_err(|e| Failure::new(ErrorKind::Io, e.to_string()))?;
        let compression = self.compression;
        let limits = self.limits;
        let (produced, consumed) = crate::pipe::pipelined(
            move |out| {
                let raw = super::Tagged(file);
                // The copy's own error is kept as it is: a broken pipe only means the
                // reader stopped first.
                let mut copy_error = None;
                let inflated = inflate(raw, compression, &limits, |decoder| {
                    io::copy(decoder, out).map(drop).map_err(|e| {
                        let failure = Failure::from_io(&e, ErrorKind::Corrupt);
                        copy_error = Some(e);
                        failure
                    })
                });
                match (inflated, copy_error) {
                    (Ok(()), _) => Ok(()),
                    (Err(f), Some(e)) if f.kind != ErrorKind::Limit => Err(e),
                    (Err(f), _) => Err(f.into_io()),
                }
            },
            |input| -> Result<(), Failure> {
                let mut archive = tar::Archive::new(input);
                let entries = archive
                    .entries()
                    .map_err(|e| Failure::from_io(&e, ErrorKind::Corrupt))?;
                for entry in entries {
                    let mut entry = entry.map_err(|e| corrupt(&e))?;
                    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                    let Some(name) = clean_member(&name) else {
                        continue;
                    };
                    if wanted.contains(&name) {
                        f(&name, &mut entry)?;
                    }
                }
                Ok(())
            },
        );
        match produced {
            Some(Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => {
                let failure = Failure::from_io(&e, ErrorKind::Corrupt);
                Err(match failure.kind {
                    ErrorKind::Limit => failure,
                    _ => failure.context("corrupt or truncated archive"),
                })
            }
            None => Err(Failure::new(
                ErrorKind::Io,
                "archive decoder thread panicked",
            )),
            _ => consumed,
        }
    }

    fn size_of(&self, _name: &str) -> Option<u64> {
        None
    }

    fn exists(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn canonical(&self, name: &str) -> String {
        follow_links(name, |n| self.links.get(n).map(String::as_str))
    }
}
