//! Stage 5, misconfiguration: checks on the image config and the final filesystem.

use crate::Current;
use crate::route::FileOutcome;
use crate::skip::SkipPaths;
use drydock_detect::{ConfigFacts, FileCheckOptions, FileFact, HistoryEntry, SecretFinding};
use drydock_image::{EntryKind, Image, ImageConfig, Walked};
use drydock_model::{Misconfig, SecretReport};
use std::collections::{HashMap, HashSet};

/// Image and filesystem checks. `os_owned` are the files OS packages own: a setuid file
/// among them (`passwd`, `mount`, `su` in every Debian base) is the distribution's design,
/// not something the image added.
pub(crate) fn check(
    image: &Image,
    walked: &Walked<FileOutcome>,
    current: &[Current<'_>],
    secrets: &[SecretReport],
    os_owned: &HashSet<String>,
    skip: &SkipPaths,
) -> Vec<Misconfig> {
    let mut out = Vec::new();
    if let Some(config) = &image.config {
        out.extend(drydock_detect::check_config(&config_facts(config)));
    }
    let facts = walked
        .view
        .iter()
        .filter(|(path, n)| !skip.skips_entry(path, n.kind == EntryKind::Dir))
        .map(|(path, n)| {
            let (type_bits, link_target) = match &n.kind {
                EntryKind::Dir => (0o040_000, None),
                EntryKind::Symlink(t) => (0o120_000, Some(t.clone())),
                EntryKind::Hardlink(t) => (0o100_000, Some(t.clone())),
                EntryKind::File => (0o100_000, None),
                EntryKind::Other => (0, None),
            };
            FileFact {
                path: path.to_owned(),
                mode: type_bits | (n.mode & 0o7777),
                uid: n.uid,
                gid: n.gid,
                size: n.size,
                layer_index: n.layer,
                link_target,
            }
        });
    let contents: HashMap<&str, &[u8]> = current
        .iter()
        .filter_map(|&(p, _, o)| o.content.as_deref().map(|c| (p, c)))
        .collect();
    out.extend(drydock_detect::check_files(
        facts,
        &|p: &str| contents.get(p.trim_start_matches('/')).map(|c| c.to_vec()),
        FileCheckOptions {
            package_owned: Some(os_owned),
            ..FileCheckOptions::default()
        },
    ));
    let final_secrets: Vec<SecretFinding> = secrets
        .iter()
        .filter(|s| s.in_final_filesystem)
        .map(|s| s.finding.clone())
        .collect();
    out.extend(drydock_detect::private_key_misconfigs(&final_secrets));
    out
}

fn config_facts(config: &ImageConfig) -> ConfigFacts {
    let c = &config.config;
    ConfigFacts {
        user: Some(c.user.clone()).filter(|u| !u.is_empty()),
        env: c.env.clone(),
        labels: c.labels.clone(),
        exposed_ports: c.exposed_ports.keys().cloned().collect(),
        healthcheck: c
            .healthcheck
            .as_ref()
            .and_then(|h| h.get("Test"))
            .and_then(|t| serde_json::from_value(t.clone()).ok()),
        history: config
            .history
            .iter()
            .map(|h| HistoryEntry {
                created_by: h.created_by.clone(),
                empty_layer: h.empty_layer,
            })
            .collect(),
    }
}
