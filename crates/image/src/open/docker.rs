//! `docker save` archives: `manifest.json` lists each image's config and layer paths.

use super::{Resolved, parse_json};
use crate::Layer;
use crate::OpenOptions;
use crate::config::ImageConfig;
use crate::digest::{parse_sha256, sha256_bytes};
use crate::error::Failure;
use crate::layer::Verify;
use crate::source::{BlobSource, clean_member};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManifestEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

pub(super) fn resolve(
    source: &dyn BlobSource,
    opts: &OpenOptions,
    tag: Option<&str>,
) -> Result<Resolved, Failure> {
    let raw = source.read_small("manifest.json")?;
    let entries: Vec<ManifestEntry> = parse_json(&raw, "manifest.json")?;
    let entry = pick(&entries, tag)?;
    let (config_digest, config) = read_config(source, &entry.config)?;
    if let Some(wanted) = &opts.platform {
        let actual = config.platform();
        if !actual.satisfies(wanted) {
            return Err(Failure::not_found(format!(
                "image is {actual}, not {wanted}"
            )));
        }
    }
    let layers = layers(source, entry, &config)?;
    Ok(Resolved {
        manifest_digest: None,
        config_digest,
        repo_tags: entry.repo_tags.clone().unwrap_or_default(),
        platform: config.platform(),
        config,
        layers,
    })
}

/// The image tagged `tag` (`repo:tag` or just `tag`), else the first.
fn pick<'a>(entries: &'a [ManifestEntry], tag: Option<&str>) -> Result<&'a ManifestEntry, Failure> {
    match tag {
        Some(t) => entries
            .iter()
            .find(|e| {
                e.repo_tags
                    .iter()
                    .flatten()
                    .any(|rt| rt == t || rt.rsplit_once(':').is_some_and(|(_, x)| x == t))
            })
            .ok_or_else(|| Failure::not_found(format!("no image tagged '{t}' in manifest.json"))),
        None => entries
            .first()
            .ok_or_else(|| Failure::not_found("manifest.json lists no images")),
    }
}

/// Reads the config and checks it against the digest its file name carries.
fn read_config(source: &dyn BlobSource, path: &str) -> Result<(String, ImageConfig), Failure> {
    let config_path = clean_member(path)
        .ok_or_else(|| Failure::corrupt(format!("manifest.json: bad config path '{path}'")))?;
    let config_raw = source.read_small(&config_path)?;
    let config_digest = sha256_bytes(&config_raw);
    let expected = config_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json");
    if expected.len() == 64 && !config_digest.ends_with(expected) {
        return Err(Failure::digest_mismatch(format!(
            "config {config_path}: digest mismatch (content is {config_digest})"
        )));
    }
    let config = parse_json(&config_raw, &config_path)?;
    Ok((config_digest, config))
}

fn layers(
    source: &dyn BlobSource,
    entry: &ManifestEntry,
    config: &ImageConfig,
) -> Result<Vec<Layer>, Failure> {
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != entry.layers.len() {
        return Err(Failure::corrupt(format!(
            "manifest.json lists {} layers but the config has {} diff_ids",
            entry.layers.len(),
            diff_ids.len()
        )));
    }
    let history = config.layer_history(entry.layers.len());
    let mut layers = Vec::new();
    for (index, (loc, diff_id)) in entry.layers.iter().zip(diff_ids).enumerate() {
        let loc = clean_member(loc)
            .ok_or_else(|| Failure::corrupt(format!("manifest.json: bad layer path '{loc}'")))?;
        let location = source.canonical(&loc);
        if !source.exists(&location) {
            return Err(Failure::not_found(format!(
                "layer {loc} listed in manifest.json is missing"
            )));
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
            size: source.size_of(&location),
            created_by: history[index].clone(),
            location,
            verify: Some(verify),
        });
    }
    Ok(layers)
}
