//! Where an image's blobs come from. Manifest resolution and layer reading only see the
//! [`BlobSource`] trait, so a new kind of source (a registry, an engine socket) is one
//! more implementation here rather than one more branch everywhere.

mod dir;
mod streamed;
mod tar;

use crate::Limits;
use crate::digest::parse_sha256;
use crate::error::{ErrorKind, Failure, cannot_open};
use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::Path;

pub(crate) use dir::DirSource;

/// Manifests, configs and indexes are read whole; anything bigger than this is not one
/// (and is rejected rather than buffered).
pub(crate) const SMALL_MEMBER_LIMIT: u64 = 8 << 20;

/// Blobs and files of one image container.
///
/// Names are paths inside the container (`index.json`, `manifest.json`,
/// `<id>/layer.tar`); content-addressed blobs are named as in an OCI layout,
/// `blobs/sha256/<hex>`, so a registry source serves those names
/// from `/v2/<repo>/blobs/<digest>` and manifests through [`BlobSource::read_manifest`].
/// Sources are shared by the threads that read layers in parallel, hence `Send + Sync`.
pub trait BlobSource: Send + Sync {
    /// Reads a manifest, config or index whole (refusing more than 8 MiB).
    fn read_small(&self, name: &str) -> Result<Vec<u8>, Failure>;

    /// Reads the manifest or index with this digest. Registries serve manifests apart
    /// from blobs; containers on disk keep them among the blobs.
    fn read_manifest(&self, digest: &str) -> Result<Vec<u8>, Failure> {
        self.read_small(&blob_name(digest)?)
    }

    /// Opens a blob for streaming. Only sources with [`BlobSource::random_access`]
    /// support this; errors its reader returns may carry a kind ([`Failure::into_io`]).
    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure>;

    /// Whether blobs can be opened in any order and at once (directories, plain tars,
    /// registries); if not, layers are read with [`BlobSource::stream_members`].
    fn random_access(&self) -> bool;

    /// Calls `f` once for each member named in `wanted`, in the order the container
    /// holds them. Front-to-back-only containers (compressed archives) override this to
    /// make a single pass; the default opens each member in turn.
    fn stream_members(
        &self,
        wanted: &[String],
        f: &mut dyn FnMut(&str, &mut dyn Read) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        for name in wanted {
            f(name, &mut self.open(name)?)?;
        }
        Ok(())
    }

    /// Size of a blob when known without reading it (for progress bars).
    fn size_of(&self, name: &str) -> Option<u64>;

    fn exists(&self, name: &str) -> bool;

    /// The name a link resolves to (legacy `docker save` links duplicate layers), so a
    /// blob listed twice is recognised as one.
    fn canonical(&self, name: &str) -> String {
        name.to_owned()
    }
}

/// The container name of a content-addressed blob. Refuses anything but
/// `sha256:<64 hex>`: other strings could address files outside the blob store.
pub(crate) fn blob_name(digest: &str) -> Result<String, Failure> {
    match parse_sha256(digest) {
        Some(hex) => Ok(format!("blobs/sha256/{hex}")),
        None => Err(Failure::unsupported(format!(
            "unsupported or malformed digest '{digest}'"
        ))),
    }
}

/// Opens an image file on disk: a plain tar is indexed for random access, a compressed
/// one is read front to back.
pub(crate) fn open_archive(path: &Path, limits: &Limits) -> Result<Box<dyn BlobSource>, Failure> {
    let mut file = File::open(path).map_err(|e| cannot_open(&e))?;
    let mut magic = [0u8; 4];
    let n = read_full(&mut file, &mut magic).map_err(|e| Failure::from_io(&e, ErrorKind::Io))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Failure::from_io(&e, ErrorKind::Io))?;
    Ok(match Compression::sniff(&magic[..n]) {
        Compression::None => Box::new(tar::TarSource::index(file)?),
        c => Box::new(streamed::StreamedSource::index(path, file, c, limits)?),
    })
}

/// Opens a plain tar from a handle alone (it may have no name): what an engine's
/// `docker save` export is, spooled to a temporary file.
pub(crate) fn open_plain_tar(file: File) -> Result<Box<dyn BlobSource>, Failure> {
    Ok(Box::new(tar::TarSource::index(file)?))
}

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

/// Tags every error of a source's reader as the source's own (`Io` unless the source
/// already said otherwise), so a failing disk or connection is not reported as a
/// corrupt layer by the decoder that saw the error next.
pub(crate) struct Tagged<R>(pub R);

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| Failure::from_io(&e, ErrorKind::Io).into_io())
    }
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

/// Reads a member whole, refusing members too big to be a manifest or config.
fn read_limited(name: &str, r: &mut dyn Read) -> Result<Vec<u8>, Failure> {
    let mut data = Vec::new();
    r.take(SMALL_MEMBER_LIMIT + 1)
        .read_to_end(&mut data)
        .map_err(|e| Failure::from_io(&e, ErrorKind::Io).context(name))?;
    if data.len() as u64 > SMALL_MEMBER_LIMIT {
        return Err(Failure::corrupt(format!(
            "{name}: larger than {SMALL_MEMBER_LIMIT} bytes, not a manifest or config"
        )));
    }
    Ok(data)
}
