//! Opening an image target: a local path always first, then each source `--image-src`
//! lists, in order. When none works the error lists what was tried and why each
//! failed, in one line.

use crate::ScanError;
use drydock_image::{Image, ImageRef, OpenOptions, Reference};
use drydock_model::{Origin, OriginSource, SignatureCheck};
use drydock_registry::{Remote, VerifyKey};
use std::path::{Path, PathBuf};

/// Where to look for an image named by reference rather than by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSource {
    /// A container engine's socket (Docker, Podman's compatible API).
    Engine,
    Registry,
}

/// How to find and check an image that is not a local file.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Tried in order after the local path (Trivy's `--image-src`).
    pub sources: Vec<ImageSource>,
    pub registry: drydock_registry::Options,
    pub engine: drydock_engine::Options,
    /// A cosign public key: the image must carry a signature that verifies with it.
    pub verify_key: Option<PathBuf>,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            sources: vec![ImageSource::Engine, ImageSource::Registry],
            registry: drydock_registry::Options::default(),
            engine: drydock_engine::Options::from_env(std::time::Duration::from_secs(60)),
            verify_key: None,
        }
    }
}

/// An image opened, and for a remote one where it came from and its signature check.
pub(crate) struct OpenedImage {
    pub image: Image,
    pub origin: Option<Origin>,
    pub signature: Option<SignatureCheck>,
}

pub(crate) fn open_image(
    input: &Path,
    opts: &OpenOptions,
    remote: &RemoteOptions,
) -> Result<OpenedImage, ScanError> {
    let key = remote
        .verify_key
        .as_deref()
        .map(VerifyKey::load)
        .transpose()
        .map_err(ScanError::Signature)?;
    let shown = input.display().to_string();
    let name = match ImageRef::parse(input) {
        ImageRef::Named(name) => name,
        local => {
            if key.is_some() {
                return Err(ScanError::Signature(format!(
                    "{shown}: --verify-key needs an image in a registry, where cosign stores signatures"
                )));
            }
            return Ok(OpenedImage {
                image: Image::open(&local, opts)?,
                origin: None,
                signature: None,
            });
        }
    };
    let mut tried = vec!["path: no such file or directory".to_owned()];
    for source in &remote.sources {
        match source {
            // Signatures live in a registry, beside the image they sign.
            ImageSource::Engine if key.is_some() => {
                tried.push("engine: skipped (--verify-key checks signatures in a registry)".into());
            }
            ImageSource::Engine => match from_engine(&shown, &name, opts, remote) {
                Ok(opened) => return Ok(opened),
                Err(Attempt::Failed(why)) => tried.push(why),
                Err(Attempt::Fatal(e)) => return Err(e),
            },
            ImageSource::Registry => {
                match from_registry(&shown, &name, opts, remote, key.as_ref()) {
                    Ok(opened) => return Ok(opened),
                    Err(Attempt::Failed(why)) => tried.push(why),
                    Err(Attempt::Fatal(e)) => return Err(e),
                }
            }
        }
    }
    Err(ScanError::NotOpened {
        input: shown,
        tried,
    })
}

/// A source that does not have the image lets the next one try; a signature that
/// fails ends the scan.
enum Attempt {
    Failed(String),
    Fatal(ScanError),
}

/// Asks the engine for the name as the user wrote it (engines resolve short names
/// their own way: Podman's `localhost/` images, its search registries).
fn from_engine(
    input: &str,
    name: &Reference,
    opts: &OpenOptions,
    remote: &RemoteOptions,
) -> Result<OpenedImage, Attempt> {
    use drydock_engine::Failed;
    let exported = drydock_engine::export(input, &remote.engine, opts).map_err(|f| match f {
        Failed::Unavailable(tried) => Attempt::Failed(tried.join("; ")),
        Failed::Fatal(why) => Attempt::Fatal(ScanError::Engine(format!("{input}: {why}"))),
    })?;
    Ok(OpenedImage {
        origin: Some(Origin {
            source: OriginSource::Engine,
            reference: name.to_string(),
            registry: name.registry.clone(),
            repository: name.repository.clone(),
            resolved_digest: exported.id,
            engine: Some(exported.socket),
            repo_digests: exported.repo_digests,
        }),
        image: exported.image,
        signature: None,
    })
}

fn from_registry(
    input: &str,
    name: &Reference,
    opts: &OpenOptions,
    remote: &RemoteOptions,
    key: Option<&VerifyKey>,
) -> Result<OpenedImage, Attempt> {
    let pulled = Remote::pull(name, &remote.registry).map_err(|f| Attempt::Failed(f.message))?;
    let mut image = Image::open_remote(input, pulled.source(), pulled.root(), opts)
        .map_err(|e| Attempt::Failed(format!("registry {}: {}", pulled.endpoint(), e.message)))?;
    image.repo_tags = vec![name.to_string()];
    let signature = match key {
        None => None,
        Some(key) => {
            let root = pulled.root().digest.as_str();
            let mut digests = vec![root];
            if let Some(m) = image.manifest_digest.as_deref().filter(|m| *m != root) {
                digests.push(m);
            }
            let check = pulled
                .verify_signature(key, &digests)
                .map_err(|e| Attempt::Fatal(ScanError::Signature(format!("{input}: {e}"))))?;
            Some(check)
        }
    };
    Ok(OpenedImage {
        origin: Some(Origin {
            source: OriginSource::Registry,
            reference: name.to_string(),
            registry: name.registry.clone(),
            repository: name.repository.clone(),
            resolved_digest: pulled.root().digest.clone(),
            engine: None,
            repo_digests: Vec::new(),
        }),
        image,
        signature,
    })
}
