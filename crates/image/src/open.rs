//! What the user names (an [`ImageRef`]) becomes a [`BlobSource`] plus one resolved
//! manifest, config and layer list; the resolution itself lives in `docker` and `oci`
//! and works over any source.

mod docker;
mod oci;

use crate::config::{ImageConfig, Platform};
use crate::error::{Failure, Result, cannot_open};
use crate::source::{self, BlobSource, DirSource};
use crate::{Content, Format, Image, Layer, OpenOptions};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Which image to read. Only local paths today; registry and engine references are
/// meant to become further variants, so callers should not assume every image has a
/// path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// A docker-archive (plain or compressed), OCI layout directory or OCI archive;
    /// `tag` picks one image of several inside.
    Path { path: PathBuf, tag: Option<String> },
}

impl ImageRef {
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
    }
    .map_err(|f| f.in_input(&input))?;
    Ok(Image {
        input,
        format,
        manifest_digest: resolved.manifest_digest,
        config_digest: Some(resolved.config_digest),
        repo_tags: resolved.repo_tags,
        platform: Some(resolved.platform),
        config: Some(resolved.config),
        layers: resolved.layers,
        content: Content::Blobs(source),
    })
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
        source::open_archive(path)?
    };
    let (format, resolved) = if source.exists("manifest.json") {
        let format = if source.exists("index.json") {
            Format::DockerArchiveOci
        } else {
            Format::DockerArchive
        };
        (format, docker::resolve(&*source, opts, tag)?)
    } else if source.exists("index.json") {
        let format = if is_dir {
            Format::OciLayout
        } else {
            Format::OciArchive
        };
        (format, oci::resolve_layout(&*source, opts, tag)?)
    } else {
        return Err(Failure::unsupported(
            "not a container image: no manifest.json (docker-archive) or index.json (OCI) inside",
        ));
    };
    Ok((format, source, resolved))
}

fn parse_json<T: for<'de> Deserialize<'de>>(data: &[u8], what: &str) -> Result<T, Failure> {
    serde_json::from_slice(data).map_err(|e| Failure::corrupt(format!("{what}: invalid JSON: {e}")))
}
