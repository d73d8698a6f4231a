//! Recognises the input format and resolves it to one image manifest, config and layer list.

use crate::config::{ImageConfig, Platform};
use crate::digest::{parse_sha256, sha256_bytes};
use crate::error::{Ctx, Result};
use crate::layer::Verify;
use crate::store::{Store, clean_member};
use crate::{Format, Image, Layer, OpenOptions};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Index nesting deeper than this is treated as a cycle.
const MAX_INDEX_DEPTH: usize = 4;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifestEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

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
struct Candidate {
    desc: Descriptor,
    platform: Option<Platform>,
    tag: Option<String>,
}

pub(crate) fn open(input: &Path, opts: &OpenOptions) -> Result<Image> {
    let ctx = Ctx {
        input: input.display().to_string(),
    };
    let (path, tag) = split_tag(input);
    let meta = std::fs::metadata(&path).map_err(|e| ctx.err(format!("cannot open: {e}")))?;
    let store = if meta.is_dir() {
        if !path.join("index.json").is_file() && !path.join("manifest.json").is_file() {
            return Err(ctx.err("directory is not an OCI layout or docker-archive (no index.json or manifest.json); use `drydock rootfs` for a plain filesystem"));
        }
        Store::open_dir(&path)
    } else {
        Store::open_tar(&path, &ctx)?
    };
    let is_dir = meta.is_dir();
    if store.exists("manifest.json") {
        let docker25 = store.exists("index.json");
        let format = match (is_dir, docker25) {
            (_, true) => Format::DockerArchiveOci,
            _ => Format::DockerArchive,
        };
        open_docker(store, ctx, format, opts, tag.as_deref())
    } else if store.exists("index.json") {
        let format = if is_dir {
            Format::OciLayout
        } else {
            Format::OciArchive
        };
        open_oci(store, ctx, format, opts, tag.as_deref())
    } else {
        Err(ctx.err(
            "not a container image: no manifest.json (docker-archive) or index.json (OCI) inside",
        ))
    }
}

/// `layout:tag` selects a tagged manifest (skopeo's syntax), when `layout:tag` itself
/// does not exist.
fn split_tag(input: &Path) -> (std::path::PathBuf, Option<String>) {
    if input.exists() {
        return (input.to_owned(), None);
    }
    let s = input.to_string_lossy();
    match s.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') && !t.is_empty() && Path::new(p).exists() => {
            (p.into(), Some(t.to_owned()))
        }
        _ => (input.to_owned(), None),
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(data: &[u8], what: &str, ctx: &Ctx) -> Result<T> {
    serde_json::from_slice(data).map_err(|e| ctx.err(format!("{what}: invalid JSON: {e}")))
}

fn open_docker(
    store: Store,
    ctx: Ctx,
    format: Format,
    opts: &OpenOptions,
    tag: Option<&str>,
) -> Result<Image> {
    let raw = store.read_small("manifest.json", &ctx)?;
    let entries: Vec<DockerManifestEntry> = parse_json(&raw, "manifest.json", &ctx)?;
    let entry = match tag {
        Some(t) => entries
            .iter()
            .find(|e| {
                e.repo_tags
                    .iter()
                    .flatten()
                    .any(|rt| rt == t || rt.rsplit_once(':').is_some_and(|(_, x)| x == t))
            })
            .ok_or_else(|| ctx.err(format!("no image tagged '{t}' in manifest.json")))?,
        None => entries
            .first()
            .ok_or_else(|| ctx.err("manifest.json lists no images"))?,
    };
    let config_path = clean_member(&entry.config)
        .ok_or_else(|| ctx.err(format!("manifest.json: bad config path '{}'", entry.config)))?;
    let config_raw = store.read_small(&config_path, &ctx)?;
    let config_digest = sha256_bytes(&config_raw);
    let expected = config_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json");
    if expected.len() == 64 && !config_digest.ends_with(expected) {
        return Err(ctx.err(format!(
            "config {config_path}: digest mismatch (content is {config_digest})"
        )));
    }
    let config: ImageConfig = parse_json(&config_raw, &config_path, &ctx)?;
    if let Some(wanted) = &opts.platform {
        let actual = config.platform();
        if !actual.satisfies(wanted) {
            return Err(ctx.err(format!("image is {actual}, not {wanted}")));
        }
    }
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != entry.layers.len() {
        return Err(ctx.err(format!(
            "manifest.json lists {} layers but the config has {} diff_ids",
            entry.layers.len(),
            diff_ids.len()
        )));
    }
    let history = config.layer_history(entry.layers.len());
    let mut layers = Vec::new();
    for (index, (loc, diff_id)) in entry.layers.iter().zip(diff_ids).enumerate() {
        let loc = clean_member(loc)
            .ok_or_else(|| ctx.err(format!("manifest.json: bad layer path '{loc}'")))?;
        let location = store.canonical(&loc);
        if !store.exists(&location) {
            return Err(ctx.err(format!("layer {loc} listed in manifest.json is missing")));
        }
        // Docker 25 names blobs by their digest; older saves only have the diff_id.
        let blob_digest = location
            .strip_prefix("blobs/sha256/")
            .filter(|h| parse_sha256(&format!("sha256:{h}")).is_some())
            .map(|h| format!("sha256:{h}"));
        let verify = match &blob_digest {
            Some(d) => Verify::Blob(d.clone()),
            None => Verify::DiffId(diff_id.clone()),
        };
        layers.push(Layer {
            index,
            digest: blob_digest.unwrap_or_else(|| diff_id.clone()),
            diff_id: Some(diff_id.clone()),
            media_type: None,
            size: store.size_of(&location),
            created_by: history[index].clone(),
            location,
            verify: Some(verify),
        });
    }
    Ok(Image {
        ctx,
        format,
        manifest_digest: None,
        config_digest: Some(config_digest),
        repo_tags: entry.repo_tags.clone().unwrap_or_default(),
        platform: Some(config.platform()),
        config: Some(config),
        layers,
        store,
    })
}

fn blob_path(digest: &str, ctx: &Ctx) -> Result<String> {
    let hex = parse_sha256(digest)
        .ok_or_else(|| ctx.err(format!("unsupported or malformed digest '{digest}'")))?;
    Ok(format!("blobs/sha256/{hex}"))
}

/// Reads a small blob and checks it against its digest.
fn read_blob(store: &Store, digest: &str, ctx: &Ctx) -> Result<Vec<u8>> {
    let data = store
        .read_small(&blob_path(digest, ctx)?, ctx)
        .map_err(|_| {
            ctx.err(format!(
                "blob {digest} is missing (referenced but not in the layout)"
            ))
        })?;
    let actual = sha256_bytes(&data);
    if actual != digest {
        return Err(ctx.err(format!(
            "blob {digest}: digest mismatch (content is {actual})"
        )));
    }
    Ok(data)
}

fn collect_candidates(
    store: &Store,
    descs: &[Descriptor],
    depth: usize,
    ctx: &Ctx,
    out: &mut Vec<Candidate>,
) -> Result<()> {
    for d in descs {
        let tag = d.annotations.get(REF_NAME).cloned();
        match d.media_type.as_str() {
            MT_OCI_INDEX | MT_DOCKER_LIST => {
                if depth >= MAX_INDEX_DEPTH {
                    return Err(ctx.err(format!("index {} nests too deep (cycle?)", d.digest)));
                }
                let doc: IndexDoc = parse_json(&read_blob(store, &d.digest, ctx)?, &d.digest, ctx)?;
                let start = out.len();
                collect_candidates(
                    store,
                    doc.manifests.as_deref().unwrap_or_default(),
                    depth + 1,
                    ctx,
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

fn open_oci(
    store: Store,
    ctx: Ctx,
    format: Format,
    opts: &OpenOptions,
    tag: Option<&str>,
) -> Result<Image> {
    let index: IndexDoc = parse_json(&store.read_small("index.json", &ctx)?, "index.json", &ctx)?;
    let mut candidates = Vec::new();
    collect_candidates(
        &store,
        index.manifests.as_deref().unwrap_or_default(),
        0,
        &ctx,
        &mut candidates,
    )?;
    if let Some(t) = tag {
        candidates.retain(|c| c.tag.as_deref() == Some(t));
        if candidates.is_empty() {
            return Err(ctx.err(format!("no manifest tagged '{t}' in index.json")));
        }
    }
    // Manifests without a platform in their descriptor: learn it from the config.
    let mut manifests = Vec::new();
    for c in candidates {
        let raw = read_blob(&store, &c.desc.digest, &ctx)?;
        let doc: IndexDoc = parse_json(&raw, &c.desc.digest, &ctx)?;
        let mt = doc
            .media_type
            .as_deref()
            .unwrap_or(c.desc.media_type.as_str());
        if !(mt.is_empty() || mt == MT_OCI_MANIFEST || mt == MT_DOCKER_MANIFEST) {
            return Err(ctx.err(format!(
                "manifest {}: unsupported media type '{mt}'",
                c.desc.digest
            )));
        }
        let config_desc = doc
            .config
            .ok_or_else(|| ctx.err(format!("manifest {} has no config", c.desc.digest)))?;
        let config_raw = read_blob(&store, &config_desc.digest, &ctx)?;
        let config: ImageConfig = parse_json(&config_raw, &config_desc.digest, &ctx)?;
        let platform = c.platform.unwrap_or_else(|| config.platform());
        manifests.push((
            c.desc,
            platform,
            config_desc,
            config,
            doc.layers.unwrap_or_default(),
        ));
    }
    if manifests.is_empty() {
        return Err(ctx.err("index.json lists no image manifests"));
    }
    let pick = if let Some(wanted) = &opts.platform {
        manifests
            .iter()
            .position(|m| m.1.satisfies(wanted))
            .ok_or_else(|| {
                ctx.err(format!(
                    "no image for platform {wanted}; available: {}",
                    platforms(&manifests)
                ))
            })?
    } else if manifests.len() == 1 {
        0
    } else {
        let host = Platform::host();
        let distinct: std::collections::BTreeSet<String> =
            manifests.iter().map(|m| m.1.to_string()).collect();
        match manifests.iter().position(|m| m.1.satisfies(&host)) {
            Some(i) => i,
            None if distinct.len() == 1 => 0,
            None => {
                return Err(ctx.err(format!("the index holds several platforms ({}) and none is this host's ({host}); choose one with --platform", platforms(&manifests))));
            }
        }
    };
    let (desc, platform, config_desc, config, layer_descs) = manifests.swap_remove(pick);
    if config.rootfs.diff_ids.len() != layer_descs.len() && !config.rootfs.diff_ids.is_empty() {
        return Err(ctx.err(format!(
            "manifest {} has {} layers but its config has {} diff_ids",
            desc.digest,
            layer_descs.len(),
            config.rootfs.diff_ids.len()
        )));
    }
    let history = config.layer_history(layer_descs.len());
    let mut layers = Vec::new();
    for (index, d) in layer_descs.into_iter().enumerate() {
        if !is_layer_media_type(&d.media_type) {
            return Err(ctx.err(format!(
                "layer {}: unsupported media type '{}'",
                d.digest, d.media_type
            )));
        }
        let location = blob_path(&d.digest, &ctx)?;
        if !store.exists(&location) {
            return Err(ctx.err(format!(
                "layer blob {} is missing (manifest points nowhere)",
                d.digest
            )));
        }
        layers.push(Layer {
            index,
            diff_id: config.rootfs.diff_ids.get(index).cloned(),
            media_type: Some(d.media_type),
            size: d.size,
            created_by: history[index].clone(),
            location,
            verify: Some(Verify::Blob(d.digest.clone())),
            digest: d.digest,
        });
    }
    Ok(Image {
        ctx,
        format,
        manifest_digest: Some(desc.digest),
        config_digest: Some(config_desc.digest),
        repo_tags: desc
            .annotations
            .get(REF_NAME)
            .cloned()
            .into_iter()
            .collect(),
        platform: Some(platform),
        config: Some(config),
        layers,
        store,
    })
}

fn platforms(
    m: &[(
        Descriptor,
        Platform,
        Descriptor,
        ImageConfig,
        Vec<Descriptor>,
    )],
) -> String {
    m.iter()
        .map(|x| x.1.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_layer_media_type(mt: &str) -> bool {
    mt.is_empty()
        || mt.starts_with("application/vnd.oci.image.layer.v1.tar")
        || mt.starts_with("application/vnd.oci.image.layer.nondistributable.v1.tar")
        || mt.starts_with("application/vnd.docker.image.rootfs.diff.tar")
        || mt == "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
}
