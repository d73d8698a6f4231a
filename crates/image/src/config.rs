//! The parts of the OCI/Docker image config that scanning needs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Subset of the image config (`application/vnd.oci.image.config.v1+json`). Docker's
/// config uses the same field names, so one struct reads both.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default)]
    pub config: RuntimeConfig,
    #[serde(default)]
    pub rootfs: RootFs,
    #[serde(default)]
    pub history: Vec<History>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct RuntimeConfig {
    #[serde(default, deserialize_with = "null_default")]
    pub user: String,
    #[serde(default, deserialize_with = "null_default")]
    pub env: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_default")]
    pub exposed_ports: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "null_default")]
    pub cmd: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub entrypoint: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub working_dir: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct RootFs {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub created_by: String,
    #[serde(default)]
    pub empty_layer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Docker writes `null` for empty lists and maps; treat it as empty.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl ImageConfig {
    /// The `created_by` of the history entry that produced each non-empty layer, in
    /// layer order. Images with inconsistent history get `None` rather than a wrong
    /// attribution.
    pub fn layer_history(&self, layer_count: usize) -> Vec<Option<String>> {
        let made: Vec<&History> = self.history.iter().filter(|h| !h.empty_layer).collect();
        if made.len() != layer_count {
            return vec![None; layer_count];
        }
        made.iter()
            .map(|h| Some(h.created_by.clone()).filter(|s| !s.is_empty()))
            .collect()
    }

    pub fn platform(&self) -> Platform {
        Platform {
            os: self.os.clone(),
            architecture: self.architecture.clone(),
            variant: self.variant.clone(),
        }
    }
}

/// `os/arch[/variant]`, compared the way container runtimes do (arm64 means arm64/v8).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    pub fn parse(s: &str) -> Option<Platform> {
        let mut parts = s.split('/');
        let os = parts.next().filter(|p| !p.is_empty())?;
        let architecture = parts.next().filter(|p| !p.is_empty())?;
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            return None;
        }
        Some(Platform {
            os: os.to_owned(),
            architecture: architecture.to_owned(),
            variant,
        })
    }

    /// The platform this binary runs on, the default choice in a multi-arch index.
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            other => other,
        };
        Platform {
            os: "linux".into(),
            architecture: architecture.into(),
            variant: None,
        }
    }

    /// Whether an image built for `self` satisfies a request for `wanted`; a request
    /// without a variant accepts any variant.
    pub fn satisfies(&self, wanted: &Platform) -> bool {
        if self.os != wanted.os || self.architecture != wanted.architecture {
            return false;
        }
        match (&wanted.variant, self.normalized_variant()) {
            (None, _) => true,
            (Some(w), mine) => mine.as_deref() == Some(w.as_str()),
        }
    }

    fn normalized_variant(&self) -> Option<String> {
        match (&self.variant, self.architecture.as_str()) {
            (Some(v), _) => Some(v.clone()),
            (None, "arm64") => Some("v8".into()),
            (None, _) => None,
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}
