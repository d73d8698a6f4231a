//! What the user names (an [`ImageRef`]) becomes a [`BlobSource`] plus one resolved
//! manifest, config and layer list; the resolution itself lives in `docker` and `oci`
//! and works over any source.

mod docker;
mod oci;

use crate::config::{ImageConfig, Platform};
use crate::error::{Failure, Result, cannot_open};
use crate::source::{self, BlobSource, DirSource};
use crate::{Content, Format, Image, Layer, OpenOptions, Reference};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Which image to read, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// A docker-archive (plain or compressed), OCI layout directory or OCI archive;
    /// `tag` picks one image of several inside.
    Path { path: PathBuf, tag: Option<String> },
    /// A name that is not an existing path: an image in a registry or a container
    /// engine. This crate has no network code, so such images are opened by a source
    /// that knows how to fetch them ([`Image::open_remote`]), not by [`Image::open`].
    Named(Reference),
}

impl ImageRef {
    /// A local path wins when it exists (`PATH` or `PATH:TAG`); otherwise a valid image
    /// name is [`ImageRef::Named`], and anything else stays a path, so that opening it
    /// says the file is missing.
    pub fn parse(input: impl AsRef<Path>) -> ImageRef {
        let local = ImageRef::parse_local(input.as_ref());
        let exists = matches!(&local, ImageRef::Path { path, .. } if path.exists());
        match input.as_ref().to_str().map(Reference::parse) {
            Some(Ok(name)) if !exists => ImageRef::Named(name),
            _ => local,
        }
    }

    /// `layout:tag` selects a tagged manifest (skopeo's syntax), when `layout:tag`
    /// itself does not exist.
    pub fn parse_local(input: impl AsRef<Path>) -> ImageRef {
        let input = input.as_ref();
        let whole = ImageRef::Path {
            path: input.to_owned(),
            tag: None,
        };
        if input.exists() {
            return whole;
        }
        let s = input.to_string_lossy();
        match s.rsplit_once(':') {
            Some((p, t)) if !t.contains('/') && !t.is_empty() && Path::new(p).exists() => {
                ImageRef::Path {
                    path: p.into(),
                    tag: Some(t.to_owned()),
                }
            }
            _ => whole,
        }
    }
}

/// As the user wrote it: errors and reports name the input this way.
impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageRef::Path { path, tag: None } => write!(f, "{}", path.display()),
            ImageRef::Path { path, tag: Some(t) } => write!(f, "{}:{t}", path.display()),
            ImageRef::Named(name) => write!(f, "{name}"),
        }
    }
}

/// One image picked out of its container, not yet tied to a source.
struct Resolved {
    manifest_digest: Option<String>,
    config_digest: String,
    repo_tags: Vec<String>,
    platform: Platform,
    config: ImageConfig,
    layers: Vec<Layer>,
}

pub(crate) fn open(image: &ImageRef, opts: &OpenOptions) -> Result<Image> {
    let input = image.to_string();
    let (format, source, resolved) = match image {
        ImageRef::Path { path, tag } => open_path(path, tag.as_deref(), opts),
        ImageRef::Named(_) => Err(Failure::unsupported(
            "not a local path; images in registries and engines are opened through their source",
        )),
    }
    .map_err(|f| f.in_input(&input))?;
    Ok(assemble(input, format, source, resolved))
}

/// Opens an image whose blobs a remote source serves, starting from the manifest or
/// index a registry resolved the name to.
pub(crate) fn open_remote(
    input: &str,
    source: Box<dyn BlobSource>,
    root: &RootDescriptor,
    opts: &OpenOptions,
) -> Result<Image> {
    let resolved = oci::resolve_root(&*source, root, opts).map_err(|f| f.in_input(input))?;
    Ok(assemble(
        input.to_owned(),
        Format::Registry,
        source,
        resolved,
    ))
}

/// Opens a `docker save` tar read from a container engine, held by an open handle (a
/// spooled temporary file that has no name, so nothing is left behind).
pub(crate) fn open_export(input: &str, file: std::fs::File, opts: &OpenOptions) -> Result<Image> {
    let source = source::open_plain_tar(file).map_err(|f| f.in_input(input))?;
    let (format, resolved) =
        resolve_container(&*source, false, None, opts).map_err(|f| f.in_input(input))?;
    Ok(assemble(input.to_owned(), format, source, resolved))
}

fn assemble(
    input: String,
    format: Format,
    source: Box<dyn BlobSource>,
    resolved: Resolved,
) -> Image {
    Image {
        input,
        format,
        manifest_digest: resolved.manifest_digest,
        config_digest: Some(resolved.config_digest),
        repo_tags: resolved.repo_tags,
        platform: Some(resolved.platform),
        config: Some(resolved.config),
        layers: resolved.layers,
        content: Content::Blobs(source),
    }
}

/// Where resolving a remote image starts: the manifest or index its tag or digest
/// names, as the registry served it (the digest computed from the bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootDescriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
}

/// Recognises the container by what it holds: `manifest.json` is a docker save (with
/// `index.json` too, from Docker 25 on), `index.json` alone an OCI layout.
fn open_path(
    path: &Path,
    tag: Option<&str>,
    opts: &OpenOptions,
) -> Result<(Format, Box<dyn BlobSource>, Resolved), Failure> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_open(&e))?;
    let is_dir = meta.is_dir();
    let source: Box<dyn BlobSource> = if is_dir {
        if !path.join("index.json").is_file() && !path.join("manifest.json").is_file() {
            return Err(Failure::unsupported(
                "directory is not an OCI layout or docker-archive (no index.json or manifest.json); use `drydock rootfs` for a plain filesystem",
            ));
        }
        Box::new(DirSource::new(path))
    } else {
        source::open_archive(path, &opts.limits)?
    };
    let (format, resolved) = resolve_container(&*source, is_dir, tag, opts)?;
    Ok((format, source, resolved))
}

/// Picks the image out of a container by what it holds.
fn resolve_container(
    source: &dyn BlobSource,
    is_dir: bool,
    tag: Option<&str>,
    opts: &OpenOptions,
) -> Result<(Format, Resolved), Failure> {
    Ok(if source.exists("manifest.json") {
        let format = if source.exists("index.json") {
            Format::DockerArchiveOci
        } else {
            Format::DockerArchive
        };
        (format, docker::resolve(source, opts, tag)?)
    } else if source.exists("index.json") {
        let format = if is_dir {
            Format::OciLayout
        } else {
            Format::OciArchive
        };
        (format, oci::resolve_layout(source, opts, tag)?)
    } else {
        return Err(Failure::unsupported(
            "not a container image: no manifest.json (docker-archive) or index.json (OCI) inside",
        ));
    })
}

fn parse_json<T: for<'de> Deserialize<'de>>(data: &[u8], what: &str) -> Result<T, Failure> {
    serde_json::from_slice(data).map_err(|e| Failure::corrupt(format!("{what}: invalid JSON: {e}")))
}
