//! Pulls images from registries that speak the OCI distribution API (Docker Hub,
//! `docker-registry`, GHCR, Harbor…), as a [`BlobSource`] the image crate reads like
//! any other container: manifests whole, layers streamed straight into the analyzers.
//!
//! The client is synchronous on purpose. The scan pipeline reads layers on rayon
//! threads through `Box<dyn Read>`; a blocking HTTP body *is* such a reader, so a layer
//! flows from the socket through the digest check and the decompressor into the tar
//! parser without a runtime, a channel or a temporary file in between.

mod auth;
mod client;
mod cosign;
mod credentials;
mod source;

pub use cosign::{SignatureError, VerifyKey};

use client::Client;
use drydock_image::{BlobSource, Failure, Reference, RootDescriptor};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to reach and authenticate to the registry.
#[derive(Clone)]
pub struct Options {
    /// Credentials given explicitly (flags, `DRYDOCK_USERNAME`/`DRYDOCK_PASSWORD`); without
    /// them docker's config (`auths`, `credHelpers`, `credsStore`) is consulted.
    pub username: Option<String>,
    pub password: Option<String>,
    /// A PEM file of CA certificates trusted in addition to the system's.
    pub ca_cert: Option<PathBuf>,
    /// Talk plain HTTP. TLS verification itself is never relaxed.
    pub insecure: bool,
    /// The longest wait for any one network step: connecting, the response, each read.
    pub timeout: Duration,
    /// Log every request (method, URL, status) to stderr; never headers or credentials.
    pub debug: bool,
    /// docker's `config.json`; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    pub docker_config: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            username: None,
            password: None,
            ca_cert: None,
            insecure: false,
            timeout: Duration::from_secs(60),
            debug: false,
            docker_config: None,
        }
    }
}

/// Never shows the password, so options can be logged.
impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("ca_cert", &self.ca_cert)
            .field("insecure", &self.insecure)
            .field("timeout", &self.timeout)
            .field("debug", &self.debug)
            .field("docker_config", &self.docker_config)
            .finish()
    }
}

/// An image name resolved on its registry: the manifest or index its tag or digest
/// points to, fetched and checked, with a client ready to serve the rest.
pub struct Remote {
    client: Arc<Client>,
    root: RootDescriptor,
    root_bytes: Arc<Vec<u8>>,
}

impl Remote {
    /// Resolves `reference` on its registry. Failures name the registry and say what
    /// failed (auth, 404, transport) in one line.
    pub fn pull(reference: &Reference, opts: &Options) -> Result<Remote, Failure> {
        let client = Arc::new(Client::new(reference, opts)?);
        let (root, root_bytes) = source::fetch_root(&client, reference)?;
        Ok(Remote {
            client,
            root,
            root_bytes: Arc::new(root_bytes),
        })
    }

    /// The manifest or index the name resolved to.
    pub fn root(&self) -> &RootDescriptor {
        &self.root
    }

    /// The host contacted (`registry-1.docker.io` for Docker Hub).
    pub fn endpoint(&self) -> &str {
        self.client.host()
    }

    /// The registry's blobs and manifests for [`drydock_image::Image::open_remote`].
    pub fn source(&self) -> Box<dyn BlobSource> {
        Box::new(source::RegistrySource::new(
            self.client.clone(),
            &self.root,
            self.root_bytes.clone(),
        ))
    }

    /// Checks for a cosign signature made with `key` over any of `digests` (the
    /// resolved index, then the platform manifest), stored under cosign's
    /// `sha256-<hex>.sig` tag.
    pub fn verify_signature(
        &self,
        key: &VerifyKey,
        digests: &[&str],
    ) -> Result<drydock_model::SignatureCheck, SignatureError> {
        cosign::verify(&self.client, key, digests)
    }
}
