//! Random or streamed access to the files of an image container (a directory, a plain
//! tar, or a compressed tar that can only be read front to back).

use crate::error::{Ctx, Result, io_msg};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Small JSON members (manifests, configs, indexes) are kept in memory by the first pass
/// over a compressed archive; layers are never bigger than this in practice... and if a
/// JSON member is, the archive is rejected rather than buffered.
const SMALL_MEMBER_LIMIT: u64 = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn sniff(magic: &[u8]) -> Compression {
        if magic.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    pub fn decoder<'a, R: BufRead + 'a>(self, r: R) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Compression::None => Box::new(r),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(r)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(r)?),
        })
    }
}

pub(crate) enum Store {
    /// An OCI layout directory (or an unpacked docker save).
    Dir(PathBuf),
    /// A plain tar file, indexed once so members can be read in any order and in parallel.
    Tar {
        path: PathBuf,
        members: HashMap<String, Member>,
    },
    /// A compressed tar: members are only reachable by streaming it again, so small
    /// members are kept from the first pass and layers are read in archive order.
    Streamed {
        path: PathBuf,
        compression: Compression,
        small: HashMap<String, Vec<u8>>,
        names: Vec<String>,
        /// Symlinked members (legacy `docker save` links duplicate layers), resolved.
        links: HashMap<String, String>,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

/// Normalises a member name or a path from a manifest: no leading `./` or `/`, no `..`.
/// Returns None for names that try to leave the archive root.
pub(crate) fn clean_member(name: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => out.push(p),
        }
    }
    (!out.is_empty()).then(|| out.join("/"))
}

/// Where a symlinked or hard-linked member points, as a member name.
fn link_target<R: Read>(entry: &tar::Entry<'_, R>, name: &str) -> Option<String> {
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

impl Store {
    pub fn open_dir(path: &Path) -> Store {
        Store::Dir(path.to_owned())
    }

    /// Opens a tar file (plain or compressed) and indexes its members.
    pub fn open_tar(path: &Path, ctx: &Ctx) -> Result<Store> {
        let mut file = File::open(path).map_err(|e| ctx.err(format!("cannot open: {e}")))?;
        let mut magic = [0u8; 4];
        let n = read_full(&mut file, &mut magic).map_err(|e| ctx.err(io_msg(&e)))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| ctx.err(io_msg(&e)))?;
        match Compression::sniff(&magic[..n]) {
            Compression::None => Self::index_plain(path, file, ctx),
            c => Self::index_streamed(path, file, c, ctx),
        }
    }

    fn index_plain(path: &Path, file: File, ctx: &Ctx) -> Result<Store> {
        let mut archive = tar::Archive::new(BufReader::with_capacity(64 << 10, file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| ctx.err(format!("not a tar archive: {}", io_msg(&e))))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| ctx.err(format!("corrupt tar archive: {}", io_msg(&e))))?;
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
            return Err(ctx.err("not an image archive: the tar is empty or not a tar"));
        }
        Ok(Store::Tar {
            path: path.to_owned(),
            members,
        })
    }

    fn index_streamed(
        path: &Path,
        file: File,
        compression: Compression,
        ctx: &Ctx,
    ) -> Result<Store> {
        let decoder = compression
            .decoder(BufReader::with_capacity(256 << 10, file))
            .map_err(|e| ctx.err(io_msg(&e)))?;
        let mut archive = tar::Archive::new(decoder);
        let mut small = HashMap::new();
        let mut names = Vec::new();
        let mut links = HashMap::new();
        let entries = archive
            .entries()
            .map_err(|e| ctx.err(format!("not a tar archive: {}", io_msg(&e))))?;
        for entry in entries {
            let mut entry =
                entry.map_err(|e| ctx.err(format!("corrupt archive: {}", io_msg(&e))))?;
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
                let n = read_full(&mut entry, &mut head)
                    .map_err(|e| ctx.err(format!("corrupt archive: {}", io_msg(&e))))?;
                if n == 1 && (head[0] == b'{' || head[0] == b'[') {
                    let mut data = head.to_vec();
                    entry
                        .read_to_end(&mut data)
                        .map_err(|e| ctx.err(format!("corrupt archive: {}", io_msg(&e))))?;
                    small.insert(name.clone(), data);
                }
            }
            names.push(name);
        }
        // Drain so a corrupt trailer is reported now, not silently ignored.
        io::copy(&mut archive.into_inner(), &mut io::sink())
            .map_err(|e| ctx.err(format!("corrupt archive: {}", io_msg(&e))))?;
        if names.is_empty() {
            return Err(ctx.err("not an image archive: the tar is empty"));
        }
        Ok(Store::Streamed {
            path: path.to_owned(),
            compression,
            small,
            names,
            links,
        })
    }

    pub fn exists(&self, name: &str) -> bool {
        match self {
            Store::Dir(root) => root.join(name).is_file(),
            Store::Tar { members, .. } => members.contains_key(name),
            Store::Streamed { names, .. } => names.iter().any(|n| n == name),
        }
    }

    /// Reads a small member (manifest, config) fully.
    pub fn read_small(&self, name: &str, ctx: &Ctx) -> Result<Vec<u8>> {
        if let Store::Streamed { small, .. } = self {
            return small
                .get(name)
                .cloned()
                .ok_or_else(|| ctx.err(format!("{name}: missing from the archive (or not JSON)")));
        }
        let mut r = self.open(name, ctx)?;
        let mut data = Vec::new();
        r.by_ref()
            .take(SMALL_MEMBER_LIMIT + 1)
            .read_to_end(&mut data)
            .map_err(|e| ctx.err(format!("{name}: {}", io_msg(&e))))?;
        if data.len() as u64 > SMALL_MEMBER_LIMIT {
            return Err(ctx.err(format!(
                "{name}: larger than {SMALL_MEMBER_LIMIT} bytes, not a manifest or config"
            )));
        }
        Ok(data)
    }

    /// Opens a member for streaming. Not available for compressed archives, whose layers
    /// are read by [`Store::stream_members`].
    pub fn open(&self, name: &str, ctx: &Ctx) -> Result<Box<dyn Read + Send>> {
        match self {
            Store::Dir(root) => {
                let p = root.join(name);
                let meta = std::fs::metadata(&p)
                    .map_err(|_| ctx.err(format!("blob {name} is missing")))?;
                if !meta.is_file() {
                    return Err(ctx.err(format!("blob {name} is not a regular file")));
                }
                let f = File::open(&p).map_err(|e| ctx.err(format!("{name}: {e}")))?;
                Ok(Box::new(f))
            }
            Store::Tar { path, members } => {
                let mut name = name.to_owned();
                for _ in 0..16 {
                    match members.get(&name) {
                        Some(Member::File { offset, size }) => {
                            let mut f = File::open(path).map_err(|e| ctx.err(e.to_string()))?;
                            f.seek(SeekFrom::Start(*offset))
                                .map_err(|e| ctx.err(io_msg(&e)))?;
                            return Ok(Box::new(f.take(*size)));
                        }
                        Some(Member::Link(t)) => name = t.clone(),
                        None => return Err(ctx.err(format!("{name}: missing from the archive"))),
                    }
                }
                Err(ctx.err(format!("{name}: too many levels of links in the archive")))
            }
            Store::Streamed { .. } => {
                Err(ctx.err(format!("{name}: cannot seek in a compressed archive")))
            }
        }
    }

    /// For compressed archives: streams the archive once more and calls `f` for each
    /// member in `wanted`, in archive order.
    pub fn stream_members(
        &self,
        wanted: &[String],
        ctx: &Ctx,
        f: &mut dyn FnMut(&str, &mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        let Store::Streamed {
            path, compression, ..
        } = self
        else {
            return Err(ctx.err("internal: stream_members on a seekable store"));
        };
        let file = File::open(path).map_err(|e| ctx.err(e.to_string()))?;
        let compression = *compression;
        // One thread inflates the archive, this one walks its members and their layers.
        let (produced, consumed) = crate::pipe::pipelined(
            move |out| {
                let mut decoder = compression.decoder(BufReader::with_capacity(256 << 10, file))?;
                io::copy(&mut decoder, out).map(drop)
            },
            |input| -> Result<()> {
                let mut archive = tar::Archive::new(input);
                let entries = archive.entries().map_err(|e| ctx.err(io_msg(&e)))?;
                for entry in entries {
                    let mut entry =
                        entry.map_err(|e| ctx.err(format!("corrupt archive: {}", io_msg(&e))))?;
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
                Err(ctx.err(format!("corrupt or truncated archive: {}", io_msg(&e))))
            }
            None => Err(ctx.err("archive decoder thread panicked")),
            _ => consumed,
        }
    }

    pub fn is_streamed(&self) -> bool {
        matches!(self, Store::Streamed { .. })
    }

    /// Size of a member, when it can be known without reading it.
    pub fn size_of(&self, name: &str) -> Option<u64> {
        match self {
            Store::Dir(root) => std::fs::metadata(root.join(name)).ok().map(|m| m.len()),
            Store::Tar { members, .. } => match members.get(&self.canonical(name)) {
                Some(Member::File { size, .. }) => Some(*size),
                _ => None,
            },
            Store::Streamed { .. } => None,
        }
    }

    /// Follows symlinked members (legacy `docker save` links duplicate layers).
    pub fn canonical(&self, name: &str) -> String {
        let mut name = name.to_owned();
        for _ in 0..16 {
            let next = match self {
                Store::Tar { members, .. } => match members.get(&name) {
                    Some(Member::Link(t)) => Some(t.clone()),
                    _ => None,
                },
                Store::Streamed { links, .. } => links.get(&name).cloned(),
                Store::Dir(_) => None,
            };
            match next {
                Some(t) => name = t,
                None => break,
            }
        }
        name
    }

    pub fn path(&self) -> &Path {
        match self {
            Store::Dir(p) | Store::Tar { path: p, .. } | Store::Streamed { path: p, .. } => p,
        }
    }
}

/// Reads until `buf` is full or EOF; returns bytes read.
pub(crate) fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
