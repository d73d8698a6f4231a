//! cosign signatures as `cosign sign --key` stores them: an OCI manifest under the tag
//! `sha256-<hex>.sig` whose layers are "simple signing" JSON payloads, each with its
//! base64 ECDSA signature in the `dev.cosignproject.cosign/signature` annotation. A
//! signature counts when it verifies with the key over the payload bytes *and* the
//! payload names the digest being checked (so a signature cannot be moved to another
//! image).

use crate::client::{Client, MANIFEST_ACCEPT};
use crate::source::read_small;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use drydock_image::{ErrorKind, Failure};
use drydock_model::SignatureCheck;
use ring::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
const PAYLOAD_TYPE: &str = "cosign container image signature";
/// Payloads are a few hundred bytes; signature manifests a few kB.
const PAYLOAD_LIMIT: u64 = 1 << 20;
/// DER SubjectPublicKeyInfo of an uncompressed P-256 key, up to the point: SEQUENCE {
/// SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits) }. DER is
/// canonical, so every such key starts with exactly these bytes.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A cosign public key (`cosign.pub`: PEM `PUBLIC KEY`, ECDSA P-256).
pub struct VerifyKey {
    /// The uncompressed point (`04 || X || Y`), as ring verifies with it.
    point: Vec<u8>,
    /// sha256 of the DER SubjectPublicKeyInfo.
    fingerprint: String,
}

impl VerifyKey {
    /// Reads a PEM public key; the error names the file and what is wrong.
    pub fn load(path: &Path) -> Result<VerifyKey, String> {
        let bad = |why: &str| format!("--verify-key {}: {why}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| bad(&e.to_string()))?;
        let body: String = text
            .lines()
            .skip_while(|l| l.trim() != "-----BEGIN PUBLIC KEY-----")
            .skip(1)
            .take_while(|l| l.trim() != "-----END PUBLIC KEY-----")
            .map(str::trim)
            .collect();
        if body.is_empty() {
            return Err(bad("no PEM 'PUBLIC KEY' block"));
        }
        let der = STANDARD
            .decode(body)
            .map_err(|_| bad("the PEM block is not base64"))?;
        if der.len() != P256_SPKI_PREFIX.len() + 65 || !der.starts_with(&P256_SPKI_PREFIX) {
            return Err(bad("not an ECDSA P-256 public key (cosign's key type)"));
        }
        Ok(VerifyKey {
            point: der[P256_SPKI_PREFIX.len()..].to_vec(),
            fingerprint: format!("sha256:{}", hex::encode(Sha256::digest(&der))),
        })
    }

    fn verifies(&self, payload: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &self.point)
            .verify(payload, signature)
            .is_ok()
    }
}

/// Why an image does not count as signed.
#[derive(Debug)]
pub enum SignatureError {
    /// No signature tag for any of the digests.
    Missing(String),
    /// Signatures exist, none verifies with the key for this image.
    Invalid(String),
    /// The registry could not be asked.
    Fetch(Failure),
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Missing(m) | SignatureError::Invalid(m) => f.write_str(m),
            SignatureError::Fetch(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SignatureError {}

#[derive(Deserialize)]
struct SigManifest {
    #[serde(default)]
    layers: Vec<SigLayer>,
}

#[derive(Deserialize)]
struct SigLayer {
    digest: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Payload {
    critical: Critical,
}

#[derive(Deserialize)]
struct Critical {
    #[serde(rename = "type")]
    kind: String,
    image: PayloadImage,
    #[serde(default)]
    identity: Option<PayloadIdentity>,
}

#[derive(Deserialize)]
struct PayloadImage {
    #[serde(rename = "docker-manifest-digest")]
    digest: String,
}

#[derive(Deserialize)]
struct PayloadIdentity {
    #[serde(rename = "docker-reference", default)]
    reference: Option<String>,
}

pub(crate) fn verify(
    client: &Client,
    key: &VerifyKey,
    digests: &[&str],
) -> Result<SignatureCheck, SignatureError> {
    let mut tags = Vec::new();
    let mut reasons = Vec::new();
    for digest in digests {
        let Some(hex) = digest.strip_prefix("sha256:") else {
            continue;
        };
        let tag = format!("sha256-{hex}.sig");
        let what = format!("signature {}:{tag}", client.repository());
        let manifest = match client.get(
            &format!("manifests/{tag}"),
            &what,
            Some(MANIFEST_ACCEPT),
            None,
        ) {
            Err(f) if f.kind == ErrorKind::NotFound => {
                tags.push(tag);
                continue;
            }
            Err(f) => return Err(SignatureError::Fetch(f)),
            Ok(reply) => {
                read_small(client, reply, &what, PAYLOAD_LIMIT).map_err(SignatureError::Fetch)?
            }
        };
        let parsed: SigManifest = serde_json::from_slice(&manifest)
            .map_err(|e| SignatureError::Invalid(format!("{what}: invalid manifest: {e}")))?;
        let before = reasons.len();
        for layer in &parsed.layers {
            let Some(sig) = layer.annotations.get(SIGNATURE_ANNOTATION) else {
                continue;
            };
            match check_layer(client, key, digest, layer, sig) {
                Ok(reference) => {
                    return Ok(SignatureCheck {
                        verified: true,
                        scheme: "cosign".into(),
                        key_fingerprint: key.fingerprint.clone(),
                        signed_digest: (*digest).to_owned(),
                        signature_tag: tag,
                        docker_reference: reference,
                    });
                }
                Err(SignatureError::Fetch(f)) => return Err(SignatureError::Fetch(f)),
                Err(e) => reasons.push(e.to_string()),
            }
        }
        if reasons.len() == before {
            reasons.push(format!(
                "{what}: no layer carries a {SIGNATURE_ANNOTATION} annotation"
            ));
        }
    }
    if reasons.is_empty() {
        return Err(SignatureError::Missing(format!(
            "registry {}: no cosign signature for {}: tag {} not found",
            client.host(),
            client.repository(),
            tags.join(" or ")
        )));
    }
    Err(SignatureError::Invalid(format!(
        "registry {}: cosign signature does not verify: {}",
        client.host(),
        reasons.join("; ")
    )))
}

/// One signature layer: the payload blob must hash to its descriptor, the signature
/// must verify over it, and it must name `digest`. Returns the claimed reference.
fn check_layer(
    client: &Client,
    key: &VerifyKey,
    digest: &str,
    layer: &SigLayer,
    sig_b64: &str,
) -> Result<Option<String>, SignatureError> {
    let invalid = |why: String| SignatureError::Invalid(format!("payload {}: {why}", layer.digest));
    if layer.size > PAYLOAD_LIMIT {
        return Err(invalid(format!(
            "{} bytes, too large for a payload",
            layer.size
        )));
    }
    let what = format!("signature payload {}", layer.digest);
    let reply = client
        .get(&format!("blobs/{}", layer.digest), &what, None, None)
        .map_err(SignatureError::Fetch)?;
    let payload = read_small(client, reply, &what, PAYLOAD_LIMIT).map_err(SignatureError::Fetch)?;
    let actual = format!("sha256:{}", hex::encode(Sha256::digest(&payload)));
    if actual != layer.digest {
        return Err(invalid(format!("content hashes to {actual}")));
    }
    let signature = STANDARD
        .decode(sig_b64.trim())
        .map_err(|_| invalid("the signature annotation is not base64".into()))?;
    if !key.verifies(&payload, &signature) {
        return Err(invalid(format!(
            "signature does not verify with key {}",
            key.fingerprint
        )));
    }
    let parsed: Payload = serde_json::from_slice(&payload)
        .map_err(|e| invalid(format!("not a simple-signing payload: {e}")))?;
    if parsed.critical.kind != PAYLOAD_TYPE {
        return Err(invalid(format!(
            "payload type is '{}'",
            parsed.critical.kind
        )));
    }
    if parsed.critical.image.digest != digest {
        return Err(invalid(format!(
            "signed for {}, not {digest}",
            parsed.critical.image.digest
        )));
    }
    Ok(parsed.critical.identity.and_then(|i| i.reference))
}
