//! A plain tar file, indexed once so its members can be read in any order and in
//! parallel.

use super::{BlobSource, clean_member, read_limited};
use crate::error::{ErrorKind, Failure, io_msg};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Links are followed at most this deep; more is a loop.
const MAX_LINK_HOPS: usize = 16;

pub(crate) struct TarSource {
    path: PathBuf,
    members: HashMap<String, Member>,
}

#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

impl TarSource {
    pub fn index(path: &Path, file: File) -> Result<TarSource, Failure> {
        let mut archive = tar::Archive::new(BufReader::with_capacity(64 << 10, file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| Failure::corrupt(format!("not a tar archive: {}", io_msg(&e))))?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                Failure::from_io(&e, ErrorKind::Corrupt).context("corrupt tar archive")
            })?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = clean_member(&name) else {
                continue;
            };
            let kind = entry.header().entry_type();
            let member = if kind.is_symlink() || kind.is_hard_link() {
                match link_target(&entry, &name) {
                    Some(t) => Member::Link(t),
                    None => continue,
                }
            } else if kind.is_file() {
                Member::File {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                }
            } else {
                continue;
            };
            members.insert(name, member);
        }
        if members.is_empty() {
            return Err(Failure::unsupported(
                "not an image archive: the tar is empty or not a tar",
            ));
        }
        Ok(TarSource {
            path: path.to_owned(),
            members,
        })
    }
}

impl BlobSource for TarSource {
    fn read_small(&self, name: &str) -> Result<Vec<u8>, Failure> {
        read_limited(name, &mut self.open(name)?)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure> {
        let mut name = name.to_owned();
        for _ in 0..MAX_LINK_HOPS {
            match self.members.get(&name) {
                Some(Member::File { offset, size }) => {
                    let io = |e: std::io::Error| Failure::from_io(&e, ErrorKind::Io);
                    let mut f = File::open(&self.path)
                        .map_err(|e| Failure::new(ErrorKind::Io, e.to_string()))?;
                    f.seek(SeekFrom::Start(*offset)).map_err(io)?;
                    return Ok(Box::new(f.take(*size)));
                }
                Some(Member::Link(t)) => name.clone_from(t),
                None => {
                    return Err(Failure::not_found(format!(
                        "{name}: missing from the archive"
                    )));
                }
            }
        }
        Err(Failure::corrupt(format!(
            "{name}: too many levels of links in the archive"
        )))
    }

    fn random_access(&self) -> bool {
        true
    }

    fn size_of(&self, name: &str) -> Option<u64> {
        match self.members.get(&self.canonical(name)) {
            Some(Member::File { size, .. }) => Some(*size),
            _ => None,
        }
    }

    fn exists(&self, name: &str) -> bool {
        self.members.contains_key(name)
    }

    fn canonical(&self, name: &str) -> String {
        follow_links(name, |n| match self.members.get(n) {
            Some(Member::Link(t)) => Some(t.as_str()),
            _ => None,
        })
    }
}

/// Follows member links as far as they go (or [`MAX_LINK_HOPS`]).
pub(super) fn follow_links<'a>(name: &str, next: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut name = name.to_owned();
    for _ in 0..MAX_LINK_HOPS {
        match next(&name) {
            Some(t) => t.clone_into(&mut name),
            None => break,
        }
    }
    name
}

/// Where a symlinked or hard-linked member points, as a member name.
pub(super) fn link_target<R: Read>(entry: &tar::Entry<'_, R>, name: &str) -> Option<String> {
    let target = entry
        .link_name_bytes()
        .map(|t| String::from_utf8_lossy(&t).into_owned())?;
    if entry.header().entry_type().is_symlink() {
        join_link(name, &target)
    } else {
        clean_member(&target)
    }
}

/// Resolves a link target relative to the member that holds it.
fn join_link(member: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return clean_member(target);
    }
    let mut parts: Vec<&str> = member.split('/').collect();
    parts.pop();
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}
