//! Red Hat content manifests (`root/buildinfo/content_manifests/*.json`): Red Hat's image
//! build system writes one per image layer it builds, and its `content_sets` name the
//! repositories (`rhel-9-for-x86_64-baseos-rpms`, `ubi-8-appstream-rpms`) the packages
//! came from. Red Hat's advisories are filed per repository, so these decide which
//! `Red Hat:...` ecosystems the image's packages are matched in.

use crate::{Analysis, AnalyzeError, Analyzer};

const DIR: &str = "root/buildinfo/content_manifests/";

/// Larger manifests are not read: a real one lists a few repositories and, at most, the
/// image's source components (kilobytes).
const MAX_BYTES: u64 = 8 << 20;

pub struct ContentManifestAnalyzer;

#[derive(serde::Deserialize)]
struct Manifest {
    #[serde(default)]
    content_sets: Vec<String>,
}

impl Analyzer for ContentManifestAnalyzer {
    fn name(&self) -> &'static str {
        "rh-content-manifest"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, size: u64, _mode: u32) -> bool {
        size <= MAX_BYTES
            && path
                .strip_prefix(DIR)
                .is_some_and(|f| f.ends_with(".json") && !f.contains('/'))
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let m: Manifest = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("content manifest: {e}")))?;
        let mut sets: Vec<String> = m
            .content_sets
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        sets.sort();
        sets.dedup();
        Ok(Analysis {
            content_sets: sets,
            ..Analysis::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_only_manifests() {
        let a = ContentManifestAnalyzer;
        assert!(a.wants(
            "root/buildinfo/content_manifests/ubi9-container-9.4-1123.json",
            900,
            0o644
        ));
        assert!(!a.wants("root/buildinfo/Dockerfile-ubi9-9.4-1123", 900, 0o644));
        assert!(!a.wants("root/buildinfo/content_manifests/x/y.json", 900, 0o644));
        assert!(!a.wants(
            "root/buildinfo/content_manifests/big.json",
            MAX_BYTES + 1,
            0o644
        ));
    }

    #[test]
    fn reads_content_sets_and_rejects_bad_json() {
        let a = ContentManifestAnalyzer;
        let text = br#"{"metadata":{"icm_version":1,"image_layer_index":1},
            "content_sets":["rhel-9-for-x86_64-baseos-rpms","rhel-9-for-x86_64-appstream-rpms"],
            "image_contents":[]}"#;
        let got = a
            .analyze("root/buildinfo/content_manifests/m.json", text)
            .unwrap();
        assert_eq!(
            got.content_sets,
            [
                "rhel-9-for-x86_64-appstream-rpms",
                "rhel-9-for-x86_64-baseos-rpms"
            ]
        );
        let err = a
            .analyze("root/buildinfo/content_manifests/m.json", b"{")
            .unwrap_err();
        assert!(
            err.to_string().contains("content_manifests/m.json"),
            "{err}"
        );
    }
}
