//! A plain tar file, indexed once so its members can be read in any order and in
//! parallel.

use super::{BlobSource, clean_member, read_limited};
use crate::error::{ErrorKind, Failure, io_msg};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// Links are followed at most this deep; more is a loop.
const MAX_LINK_HOPS: usize = 16;

pub(crate) struct TarSource {
    /// Members are read with positional reads on this one handle, so the file may have
    /// no name at all (an engine's export spooled to an unlinked temporary file).
    file: Arc<File>,
    members: HashMap<String, Member>,
    /// Set when the tar stops right after a member, without its end-of-archive blocks:
    /// a cut at a block boundary, which the tar reader takes for a normal end.
    unterminated: Option<String>,
}

#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

impl TarSource {
    pub fn index(file: File) -> Result<TarSource, Failure> {
        let file_len = file.metadata().map(|m| m.len()).ok();
        let mut archive = tar::Archive::new(BufReader::with_capacity(64 << 10, &file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| Failure::corrupt(format!("not a tar archive: {}", io_msg(&e))))?;
        // The member read last and where its data ends: a cut archive ends inside it.
        let mut last: Option<(String, u64)> = None;
        for entry in entries {
            let entry = entry.map_err(|e| match truncation(file_len, last.as_ref()) {
                Some(t) => t,
                None => Failure::from_io(&e, ErrorKind::Corrupt).context("corrupt tar archive"),
            })?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            last = Some((name.clone(), entry.raw_file_position() + entry.size()));
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
        // Seeking over member data never reads it, and the reader takes a partial header for
        // the end, so a cut inside the last member or the header after it only shows in the
        // file's length.
        if let Some(t) = truncation(file_len, last.as_ref()) {
            return Err(t);
        }
        let unterminated = match (file_len, &last) {
            (Some(len), Some((name, end))) if end.next_multiple_of(512) == len => Some(format!(
                "truncated archive (ends after {name} at byte {len}, without the end-of-archive blocks)"
            )),
            _ => None,
        };
        if let Some(cut) = &unterminated
            && !members.contains_key("manifest.json")
            && !members.contains_key("index.json")
        {
            return Err(Failure::corrupt(cut.clone()));
        }
        if members.is_empty() {
            return Err(Failure::unsupported(
                "not an image archive: the tar is empty or not a tar",
            ));
        }
        drop(archive);
        Ok(TarSource {
            file: Arc::new(file),
            members,
            unterminated,
        })
    }
}

/// A "truncated archive" failure when the file ends before the last member read does, or
/// inside the header after it.
fn truncation(file_len: Option<u64>, last: Option<&(String, u64)>) -> Option<Failure> {
    let len = file_len?;
    let (name, end) = last?;
    if *end > len {
        return Some(Failure::corrupt(format!(
            "truncated archive (ends inside {name} at byte {len})"
        )));
    }
    // A tar is a whole number of 512-byte blocks; a cut one ends in a partial header.
    (len % 512 != 0).then(|| {
        Failure::corrupt(format!(
            "truncated archive (ends in the tar header after {name}, at byte {len})"
        ))
    })
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
                    return Ok(Box::new(Positioned {
                        file: Arc::clone(&self.file),
                        at: *offset,
                        end: offset + size,
                    }));
                }
                Some(Member::Link(t)) => name.clone_from(t),
                None => {
                    return Err(match &self.unterminated {
                        Some(cut) => Failure::corrupt(format!("{name}: missing: {cut}")),
                        None => Failure::not_found(format!("{name}: missing from the archive")),
                    });
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

/// One member's bytes, read at their offset without moving a shared file position, so
/// layers can be read in parallel from one handle.
struct Positioned {
    file: Arc<File>,
    at: u64,
    end: u64,
}

impl Read for Positioned {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end - self.at).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
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
