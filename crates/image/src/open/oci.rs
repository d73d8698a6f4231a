//! OCI layouts and archives (and the OCI half of Docker 25 saves): from a list of root
//! descriptors through nested indexes to one manifest, its config and its layers. Only
//! the root comes from `index.json`; a registry's root is the descriptor of a tag.

use super::{Resolved, RootDescriptor, parse_json};
use crate::config::{ImageConfig, Platform};
use crate::digest::sha256_bytes;
use crate::error::{ErrorKind, Failure};
use crate::layer::Verify;
use crate::source::{BlobSource, blob_name};
use crate::{Layer, OpenOptions};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Index nesting deeper than this is treated as a cycle.
const MAX_INDEX_DEPTH: usize = 4;

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    #[serde(default)]
    media_type: String,
    digest: String,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    platform: Option<Platform>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

/// An index or a manifest: both are read with one struct, the media type tells which.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexDoc {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
}

/// A manifest reachable from an index, with what is known of its platform.
#[derive(Clone)]
struct Candidate {
    desc: Descriptor,
    platform: Option<Platform>,
    tag: Option<String>,
}

/// A candidate manifest read, with its config.
struct Manifest {
    desc: Descriptor,
    /// From the index descriptor, else from the config.
    platform: Platform,
    config_desc: Descriptor,
    config: ImageConfig,
    layers: Vec<Descriptor>,
}

/// Resolves the image of a layout whose `index.json` is the root.
pub(super) fn resolve_layout(
    source: &dyn BlobSource,
    opts: &OpenOptions,
    tag: Option<&str>,
) -> Result<Resolved, Failure> {
    let index: IndexDoc = parse_json(&source.read_small("index.json")?, "index.json")?;
    resolve(
        source,
        index.manifests.as_deref().unwrap_or_default(),
        opts,
        tag,
    )
}

/// Resolves the image a registry's tag or digest names: the root is that one manifest
/// or index.
pub(super) fn resolve_root(
    source: &dyn BlobSource,
    root: &RootDescriptor,
    opts: &OpenOptions,
) -> Result<Resolved, Failure> {
    let desc = Descriptor {
        media_type: root.media_type.clone(),
        digest: root.digest.clone(),
        size: Some(root.size),
        platform: None,
        annotations: BTreeMap::new(),
    };
    resolve(source, &[desc], opts, None)
}

fn resolve(
    source: &dyn BlobSource,
    root: &[Descriptor],
    opts: &OpenOptions,
    tag: Option<&str>,
) -> Result<Resolved, Failure> {
    let mut candidates = Vec::new();
    collect_candidates(source, root, 0, &mut HashSet::new(), &mut candidates)?;
    if let Some(t) = tag {
        let mut tags: Vec<String> = candidates.iter().filter_map(|c| c.tag.clone()).collect();
        candidates.retain(|c| c.tag.as_deref() == Some(t));
        if candidates.is_empty() {
            tags.sort();
            tags.dedup();
            let known = if tags.is_empty() {
                "it has no tagged manifests".to_owned()
            } else {
                format!("its tags: {}", tags.join(", "))
            };
            return Err(Failure::not_found(format!(
                "no manifest tagged '{t}' in index.json ({known})"
            )));
        }
    }
    // One manifest listed many times is one candidate (the first listing's tag and
    // platform).
    let mut seen = HashSet::new();
    candidates.retain(|c| seen.insert(c.desc.digest.clone()));
    if candidates.is_empty() {
        return Err(Failure::not_found("index.json lists no image manifests"));
    }
    // The platform comes from the index descriptor where it says, so only the chosen
    // manifest is fetched (a registry round trip per platform otherwise); else from the
    // config, read for that and dropped: 1,000 configs of 1.5 MB are not kept at once.
    let platforms = candidates
        .iter()
        .map(|c| match &c.platform {
            Some(p) => Ok(p.clone()),
            None => read_manifest(source, c.clone()).map(|m| m.platform),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pick = pick_platform(&platforms, opts)?;
    let m = read_manifest(source, candidates.swap_remove(pick))?;
    let layers = layers(source, &m)?;
    Ok(Resolved {
        repo_tags: m
            .desc
            .annotations
            .get(REF_NAME)
            .cloned()
            .into_iter()
            .collect(),
        manifest_digest: Some(m.desc.digest),
        config_digest: m.config_desc.digest,
        platform: m.platform,
        config: m.config,
        layers,
    })
}

/// Checks a small blob just read against the digest it was asked for.
fn verified(read: Result<Vec<u8>, Failure>, digest: &str) -> Result<Vec<u8>, Failure> {
    let data = read.map_err(|e| match e.kind {
        ErrorKind::NotFound => Failure::not_found(format!(
            "blob {digest} is missing (referenced but not in the layout)"
        )),
        _ => e,
    })?;
    let actual = sha256_bytes(&data);
    if actual != digest {
        return Err(Failure::digest_mismatch(format!(
            "blob {digest}: digest mismatch (content is {actual})"
        )));
    }
    Ok(data)
}

/// Walks nested indexes down to image manifests, skipping attestations. An index is
/// read once per tag it is listed under (`visited`): one listed 1,000 times in an index
/// that is itself listed 1,000 times would otherwise yield a million candidates.
fn collect_candidates(
    source: &dyn BlobSource,
    descs: &[Descriptor],
    depth: usize,
    visited: &mut HashSet<(String, Option<String>)>,
    out: &mut Vec<Candidate>,
) -> Result<(), Failure> {
    for d in descs {
        let tag = d.annotations.get(REF_NAME).cloned();
        match d.media_type.as_str() {
            MT_OCI_INDEX | MT_DOCKER_LIST => {
                if !visited.insert((d.digest.clone(), tag.clone())) {
                    continue;
                }
                if depth >= MAX_INDEX_DEPTH {
                    return Err(Failure::corrupt(format!(
                        "index {} nests too deep (cycle?)",
                        d.digest
                    )));
                }
                let doc: IndexDoc = parse_json(
                    &verified(source.read_manifest(&d.digest), &d.digest)?,
                    &d.digest,
                )?;
                let start = out.len();
                collect_candidates(
                    source,
                    doc.manifests.as_deref().unwrap_or_default(),
                    depth + 1,
                    visited,
                    out,
                )?;
                if tag.is_some() {
                    for c in &mut out[start..] {
                        c.tag.clone_from(&tag);
                    }
                }
            }
            _ => {
                // buildx attestation manifests are not runnable images.
                let attestation = d
                    .annotations
                    .get("vnd.docker.reference.type")
                    .is_some_and(|t| t == "attestation-manifest");
                let unknown = d.platform.as_ref().is_some_and(|p| p.os == "unknown");
                if !attestation && !unknown {
                    out.push(Candidate {
                        desc: d.clone(),
                        platform: d.platform.clone(),
                        tag,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Reads a candidate's manifest and config; manifests without a platform in their
/// descriptor learn it from the config.
fn read_manifest(source: &dyn BlobSource, c: Candidate) -> Result<Manifest, Failure> {
    let raw = verified(source.read_manifest(&c.desc.digest), &c.desc.digest)?;
    let doc: IndexDoc = parse_json(&raw, &c.desc.digest)?;
    let mt = doc
        .media_type
        .as_deref()
        .unwrap_or(c.desc.media_type.as_str());
    if !(mt.is_empty() || mt == MT_OCI_MANIFEST || mt == MT_DOCKER_MANIFEST) {
        return Err(Failure::unsupported(format!(
            "manifest {}: unsupported media type '{mt}'",
            c.desc.digest
        )));
    }
    let config_desc = doc
        .config
        .ok_or_else(|| Failure::corrupt(format!("manifest {} has no config", c.desc.digest)))?;
    let config_raw = verified(
        blob_name(&config_desc.digest).and_then(|name| source.read_small(&name)),
        &config_desc.digest,
    )?;
    let config: ImageConfig = parse_json(&config_raw, &config_desc.digest)?;
    Ok(Manifest {
        platform: c.platform.unwrap_or_else(|| config.platform()),
        desc: c.desc,
        config_desc,
        config,
        layers: doc.layers.unwrap_or_default(),
    })
}

/// The manifest for the requested platform; without a request the host's, or the only
/// platform there is.
fn pick_platform(platforms: &[Platform], opts: &OpenOptions) -> Result<usize, Failure> {
    let available = || {
        platforms
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = &opts.platform {
        return platforms
            .iter()
            .position(|p| p.satisfies(wanted))
            .ok_or_else(|| {
                Failure::not_found(format!(
                    "no image for platform {wanted}; available: {}",
                    available()
                ))
            });
    }
    if platforms.len() == 1 {
        return Ok(0);
    }
    let host = Platform::host();
    let distinct: BTreeSet<String> = platforms.iter().map(ToString::to_string).collect();
    match platforms.iter().position(|p| p.satisfies(&host)) {
        Some(i) => Ok(i),
        None if distinct.len() == 1 => Ok(0),
        None => Err(Failure::not_found(format!(
            "the index holds several platforms ({}) and none is this host's ({host}); choose one with --platform",
            available()
        ))),
    }
}

fn layers(source: &dyn BlobSource, m: &Manifest) -> Result<Vec<Layer>, Failure> {
    let diff_ids = &m.config.rootfs.diff_ids;
    if diff_ids.len() != m.layers.len() && !diff_ids.is_empty() {
        return Err(Failure::corrupt(format!(
            "manifest {} has {} layers but its config has {} diff_ids",
            m.desc.digest,
            m.layers.len(),
            diff_ids.len()
        )));
    }
    let history = m.config.layer_history(m.layers.len());
    let mut layers = Vec::new();
    for (index, d) in m.layers.iter().enumerate() {
        if !is_layer_media_type(&d.media_type) {
            return Err(Failure::unsupported(format!(
                "layer {}: unsupported media type '{}'",
                d.digest, d.media_type
            )));
        }
        let location = blob_name(&d.digest)?;
        if !source.exists(&location) {
            return Err(Failure::not_found(format!(
                "layer blob {} is missing (manifest points nowhere)",
                d.digest
            )));
        }
        // A blob whose length is not the descriptor's would fail its digest check, but
        // only after hashing all of it (a sparse 1 TiB file takes hours): compare first.
        if let (Some(want), Some(actual)) = (d.size, source.size_of(&location))
            && want != actual
        {
            return Err(Failure::corrupt(format!(
                "layer blob {} is {actual} bytes but its descriptor declares {want}",
                d.digest
            )));
        }
        layers.push(Layer {
            index,
            diff_id: diff_ids.get(index).cloned(),
            media_type: Some(d.media_type.clone()),
            size: d.size,
            created_by: history[index].clone(),
            location,
            verify: Some(Verify::Blob(d.digest.clone())),
            digest: d.digest.clone(),
        });
    }
    Ok(layers)
}

fn is_layer_media_type(mt: &str) -> bool {
    mt.is_empty()
        || mt.starts_with("application/vnd.oci.image.layer.v1.tar")
        || mt.starts_with("application/vnd.oci.image.layer.nondistributable.v1.tar")
        || mt.starts_with("application/vnd.docker.image.rootfs.diff.tar")
        || mt == "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
}
