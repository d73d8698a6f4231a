//! The registry as a [`BlobSource`]: `blobs/sha256/<hex>` is `/v2/<repo>/blobs/sha256:<hex>`,
//! manifests come from `/v2/<repo>/manifests/<digest>`. Every manifest served is read
//! for the sizes it declares, so a blob is refused before download when it is
//! absurdly large, and never read past its declared size while streaming.

use crate::client::{Client, MANIFEST_ACCEPT, Reply, header};
use drydock_image::{BlobSource, ErrorKind, Failure, Reference, RootDescriptor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// Manifests, indexes and configs are read whole, up to this much.
const SMALL_LIMIT: u64 = 8 << 20;
/// Layers declaring more than this are refused before anything is downloaded: no real
/// layer is this big, and a lying manifest must not start a 50 GB transfer.
pub(crate) const MAX_BLOB_BYTES: u64 = 16 << 30;
/// Resumptions (range requests) per blob after the connection dropped mid-stream.
const MAX_RESUMES: u32 = 3;

/// Fetches what `reference` names and checks it is what the registry claims: a
/// requested digest must match the bytes, and so must `Docker-Content-Digest`.
pub(crate) fn fetch_root(
    client: &Client,
    reference: &Reference,
) -> Result<(RootDescriptor, Vec<u8>), Failure> {
    let what = format!("manifest {}:{}", client.repository(), reference.reference());
    let reply = client.get(
        &format!("manifests/{}", reference.reference()),
        &what,
        Some(MANIFEST_ACCEPT),
        None,
    )?;
    let claimed = header(&reply, "docker-content-digest");
    let content_type = header(&reply, "content-type");
    let bytes = read_small(client, reply, &what, SMALL_LIMIT)?;
    let digest = sha256(&bytes);
    let mismatch = |other: &str, whose: &str| {
        client.fail(
            ErrorKind::DigestMismatch,
            format!("{what}: digest mismatch: content hashes to {digest}, {whose} {other}"),
        )
    };
    if let Some(want) = &reference.digest
        && *want != digest
    {
        return Err(mismatch(want, "the name asks for"));
    }
    if let Some(c) = claimed.as_deref().map(str::trim)
        && c.starts_with("sha256:")
        && c != digest
    {
        return Err(mismatch(c, "the registry says (Docker-Content-Digest)"));
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Typed {
        #[serde(default)]
        media_type: Option<String>,
    }
    let media_type = serde_json::from_slice::<Typed>(&bytes)
        .ok()
        .and_then(|t| t.media_type)
        .or_else(|| content_type.map(|c| c.split(';').next().unwrap_or("").trim().to_owned()))
        .unwrap_or_default();
    let root = RootDescriptor {
        media_type,
        size: bytes.len() as u64,
        digest,
    };
    Ok((root, bytes))
}

pub(crate) struct RegistrySource {
    client: Arc<Client>,
    root_digest: String,
    root_bytes: Arc<Vec<u8>>,
    /// Blob digest → size declared by a manifest served so far.
    declared: Mutex<HashMap<String, u64>>,
}

impl RegistrySource {
    pub(crate) fn new(
        client: Arc<Client>,
        root: &RootDescriptor,
        root_bytes: Arc<Vec<u8>>,
    ) -> Self {
        RegistrySource {
            client,
            root_digest: root.digest.clone(),
            root_bytes,
            declared: Mutex::new(HashMap::new()),
        }
    }

    /// Remembers the sizes a manifest declares, refusing any beyond [`MAX_BLOB_BYTES`].
    fn learn(&self, digest: &str, manifest: &[u8]) -> Result<(), Failure> {
        #[derive(Deserialize)]
        struct Desc {
            digest: String,
            #[serde(default)]
            size: u64,
        }
        #[derive(Deserialize)]
        struct Doc {
            #[serde(default)]
            config: Option<Desc>,
            #[serde(default)]
            layers: Vec<Desc>,
        }
        let Ok(doc) = serde_json::from_slice::<Doc>(manifest) else {
            return Ok(()); // an index, or junk the image crate will name
        };
        let mut declared = self.declared.lock().map_err(|_| poisoned())?;
        for d in doc.config.iter().chain(&doc.layers) {
            if d.size > MAX_BLOB_BYTES {
                return Err(self.client.fail(
                    ErrorKind::Unsupported,
                    format!(
                        "manifest {digest} declares blob {} of {} bytes, over the {} GiB limit; refusing to download it",
                        d.digest,
                        d.size,
                        MAX_BLOB_BYTES >> 30
                    ),
                ));
            }
            declared.insert(d.digest.clone(), d.size);
        }
        Ok(())
    }

    fn declared(&self, digest: &str) -> Option<u64> {
        self.declared.lock().ok()?.get(digest).copied()
    }
}

/// `blobs/sha256/<hex>` → `sha256:<hex>`.
fn digest_of(name: &str) -> Option<String> {
    let hex = name.strip_prefix("blobs/sha256/")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{hex}"))
}

fn poisoned() -> Failure {
    Failure::new(ErrorKind::Io, "registry source state poisoned")
}

impl BlobSource for RegistrySource {
    fn read_small(&self, name: &str) -> Result<Vec<u8>, Failure> {
        let digest = digest_of(name).ok_or_else(|| {
            Failure::not_found(format!(
                "{name}: registries serve only content-addressed blobs"
            ))
        })?;
        let what = format!("blob {digest}");
        let limit = self
            .declared(&digest)
            .map_or(SMALL_LIMIT, |d| d.min(SMALL_LIMIT));
        let reply = self
            .client
            .get(&format!("blobs/{digest}"), &what, None, None)?;
        read_small(&self.client, reply, &what, limit)
    }

    fn read_manifest(&self, digest: &str) -> Result<Vec<u8>, Failure> {
        let bytes = if digest == self.root_digest {
            self.root_bytes.to_vec()
        } else {
            let what = format!("manifest {}@{digest}", self.client.repository());
            let reply = self.client.get(
                &format!("manifests/{digest}"),
                &what,
                Some(MANIFEST_ACCEPT),
                None,
            )?;
            read_small(&self.client, reply, &what, SMALL_LIMIT)?
        };
        self.learn(digest, &bytes)?;
        Ok(bytes)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure> {
        let digest = digest_of(name)
            .ok_or_else(|| Failure::not_found(format!("{name}: not a blob name")))?;
        let declared = self.declared(&digest).ok_or_else(|| {
            Failure::corrupt(format!("blob {digest}: no manifest declares its size"))
        })?;
        Ok(Box::new(BlobStream::open(
            self.client.clone(),
            digest,
            declared,
        )?))
    }

    fn random_access(&self) -> bool {
        true
    }

    fn size_of(&self, name: &str) -> Option<u64> {
        self.declared(&digest_of(name)?)
    }

    /// Only well-formed blob names exist; whether the registry has the blob shows when
    /// it is opened (asking first would cost a round trip per layer).
    fn exists(&self, name: &str) -> bool {
        digest_of(name).is_some()
    }
}

/// Reads a whole small body, refusing more than `limit` bytes.
pub(crate) fn read_small(
    client: &Client,
    reply: Reply,
    what: &str,
    limit: u64,
) -> Result<Vec<u8>, Failure> {
    if let Some(len) = content_length(&reply)
        && len > limit
    {
        return Err(client.fail(
            ErrorKind::Corrupt,
            format!("{what}: {len} bytes, more than the {limit} expected"),
        ));
    }
    let mut data = Vec::new();
    reply
        .into_body()
        .into_reader()
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| client.io_failure(&e).0)?;
    if data.len() as u64 > limit {
        return Err(client.fail(
            ErrorKind::Corrupt,
            format!("{what}: more than the {limit} bytes expected"),
        ));
    }
    Ok(data)
}

fn content_length(reply: &Reply) -> Option<u64> {
    header(reply, "content-length")?.trim().parse().ok()
}

fn sha256(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// A layer download: never more than the declared bytes, and resumed with a range
/// request when the connection drops midway.
struct BlobStream {
    client: Arc<Client>,
    digest: String,
    declared: u64,
    pos: u64,
    body: ureq::BodyReader<'static>,
    resumes: u32,
}

impl BlobStream {
    fn open(client: Arc<Client>, digest: String, declared: u64) -> Result<BlobStream, Failure> {
        let body = request(&client, &digest, declared, 0)?;
        Ok(BlobStream {
            client,
            digest,
            declared,
            pos: 0,
            body,
            resumes: 0,
        })
    }

    fn fail(&self, kind: ErrorKind, why: impl std::fmt::Display) -> io::Error {
        self.client
            .fail(kind, format!("blob {}: {why}", self.digest))
            .into_io()
    }

    /// Asks for the rest from `pos`; false when out of resumptions.
    fn resume(&mut self) -> Result<bool, Failure> {
        if self.resumes >= MAX_RESUMES {
            return Ok(false);
        }
        self.resumes += 1;
        self.client.debug(format_args!(
            "resuming blob {} at byte {}",
            self.digest, self.pos
        ));
        self.body = request(&self.client, &self.digest, self.declared, self.pos)?;
        Ok(true)
    }
}

/// Opens the blob from byte `from`, checking the announced length against the
/// manifest's before any byte is read. A registry that ignores the range gets the
/// bytes already seen skipped.
fn request(
    client: &Client,
    digest: &str,
    declared: u64,
    from: u64,
) -> Result<ureq::BodyReader<'static>, Failure> {
    let what = format!("blob {digest}");
    let reply = client.get(
        &format!("blobs/{digest}"),
        &what,
        None,
        (from > 0).then_some(from),
    )?;
    let partial = reply.status().as_u16() == 206;
    let start = if partial { from } else { 0 };
    if let Some(len) = content_length(&reply)
        && start + len != declared
    {
        let relation = if start + len > declared {
            "longer"
        } else {
            "shorter"
        };
        return Err(client.fail(
            ErrorKind::DigestMismatch,
            format!(
                "{what}: the registry sends {} bytes, {relation} than the {declared} its manifest declares",
                start + len
            ),
        ));
    }
    let mut body = reply.into_body().into_reader();
    if !partial && from > 0 {
        io::copy(&mut (&mut body).take(from), &mut io::sink())
            .map_err(|e| client.io_failure(&e).0)?;
    }
    Ok(body)
}

impl Read for BlobStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.body.read(buf) {
                Ok(0) if self.pos < self.declared => {
                    if !self.resume().map_err(Failure::into_io)? {
                        let why = format!(
                            "ends after {} of {} declared bytes",
                            self.pos, self.declared
                        );
                        return Err(self.fail(ErrorKind::Corrupt, why));
                    }
                }
                Ok(n) if self.pos + n as u64 > self.declared => {
                    let why = format!(
                        "longer than the {} bytes its manifest declares",
                        self.declared
                    );
                    return Err(self.fail(ErrorKind::Corrupt, why));
                }
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(e) => {
                    let (failure, retry) = self.client.io_failure(&e);
                    if !(retry && self.resume().map_err(Failure::into_io)?) {
                        return Err(failure.into_io());
                    }
                }
            }
        }
    }
}
