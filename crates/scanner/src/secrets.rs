//! Stage 4, secrets: findings from every layer's files, each with the layer that holds
//! it and whether it survives into the final filesystem.

use crate::assemble::layer_ref;
use crate::route::FileOutcome;
use crate::{Current, ScanError, Scanners};
use drydock_detect::{SecretConfig, SecretScanner};
use drydock_image::{Image, Walked};
use drydock_model::{NotCovered, SecretReport};
use std::collections::HashSet;

/// The secret scanner the options ask for and the rules it was built from (they key the
/// layer cache), or None when secrets are not scanned.
pub(crate) fn scanner(
    scanners: &Scanners,
) -> Result<Option<(SecretScanner, SecretConfig)>, ScanError> {
    if !scanners.secret {
        return Ok(None);
    }
    let config = match &scanners.secret_config {
        Some(path) => SecretConfig::from_toml_file(path),
        None => Ok(SecretConfig::builtin()),
    };
    let source = scanners
        .secret_config
        .as_ref()
        .map_or_else(|| "built-in rules".to_owned(), |p| p.display().to_string());
    config
        .and_then(|c| SecretScanner::new(&c).map(|s| Some((s, c))))
        .map_err(|e| ScanError::Rules {
            rules: source,
            error: e,
        })
}

/// Secrets from every layer: one a later layer deleted still ships in its layer blob.
/// A secret that survives unchanged into the final file is reported once, at the layer
/// that holds the final file.
pub(crate) fn collect(
    image: &Image,
    walked: &Walked<FileOutcome>,
    current: &[Current<'_>],
) -> Vec<SecretReport> {
    let in_final: HashSet<(&str, usize)> = current.iter().map(|&(p, l, _)| (p, l)).collect();
    let final_keys: HashSet<(&str, &str, usize, &str)> = current
        .iter()
        .flat_map(|(_, _, o)| {
            o.secrets.iter().map(|s| {
                (
                    s.path.as_str(),
                    s.rule_id.as_str(),
                    s.line,
                    s.masked.as_str(),
                )
            })
        })
        .collect();
    let mut out = Vec::new();
    for (layer, results) in walked.layer_results.iter().enumerate() {
        for (path, outcome) in results {
            let surviving = in_final.contains(&(path.as_str(), layer));
            for s in &outcome.secrets {
                let key = (
                    s.path.as_str(),
                    s.rule_id.as_str(),
                    s.line,
                    s.masked.as_str(),
                );
                if !surviving && final_keys.contains(&key) {
                    continue;
                }
                out.push(SecretReport {
                    finding: s.clone(),
                    layer: layer_ref(image, layer),
                    in_final_filesystem: surviving,
                });
            }
        }
    }
    out
}

/// Files the secret scanner would have read but for its size limit, once per path and
/// layer: reported as not covered rather than passed over as clean.
pub(crate) fn too_large(walked: &Walked<FileOutcome>, limit: u64) -> Vec<NotCovered> {
    let mut out = Vec::new();
    for (layer, results) in walked.layer_results.iter().enumerate() {
        for (path, outcome) in results {
            if let Some(size) = outcome.secrets_too_large {
                out.push(NotCovered::new(
                    format!("/{path}"),
                    format!(
                        "secrets: {size} bytes (layer {layer}), over the secret scanner's \
                         {limit} byte limit; not scanned for secrets"
                    ),
                ));
            }
        }
    }
    out
}
