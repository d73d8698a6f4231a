//! Ubuntu Pro (Expanded Security Maintenance) in an image: `pro attach` records the
//! services it enabled in `var/lib/ubuntu-advantage/status.json` (`services[]` with
//! `name` and `status`). With `esm-infra` or `esm-apps` enabled the image gets its fixes
//! from Ubuntu's ESM repositories, which OSV publishes as `Ubuntu:Pro:<release>:LTS`;
//! this analyzer reports those services as repositories for the matcher to add that
//! stream. (Trivy reads the same file for `esm-infra`.)

use crate::{Analysis, AnalyzeError, Analyzer};

const PATH: &str = "var/lib/ubuntu-advantage/status.json";

/// A real status file is a few kilobytes.
const MAX_BYTES: u64 = 1 << 20;

use drydock_model::UBUNTU_ESM_SERVICES;

pub struct UbuntuProAnalyzer;

#[derive(serde::Deserialize)]
struct Status {
    #[serde(default)]
    services: Vec<Service>,
}

#[derive(serde::Deserialize)]
struct Service {
    name: String,
    status: Option<String>,
}

impl Analyzer for UbuntuProAnalyzer {
    fn name(&self) -> &'static str {
        "ubuntu-pro-status"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, size: u64, _mode: u32) -> bool {
        size <= MAX_BYTES && path == PATH
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let s: Status = serde_json::from_slice(content)
            .map_err(|e| AnalyzeError::new(path, format!("Ubuntu Pro status: {e}")))?;
        let mut enabled: Vec<String> = s
            .services
            .into_iter()
            .filter(|svc| svc.status.as_deref() == Some("enabled"))
            .filter(|svc| UBUNTU_ESM_SERVICES.contains(&svc.name.as_str()))
            .map(|svc| svc.name)
            .collect();
        enabled.sort();
        enabled.dedup();
        Ok(Analysis {
            content_sets: enabled,
            ..Analysis::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabled_esm_services_only() {
        let a = UbuntuProAnalyzer;
        assert!(a.wants(PATH, 2660, 0o644));
        assert!(!a.wants("var/lib/ubuntu-advantage/other.json", 10, 0o644));
        let got = a
            .analyze(
                PATH,
                br#"{"services":[{"name":"esm-infra","status":"enabled"},
                   {"name":"esm-apps","status":"disabled"},{"name":"fips","status":"n/a"},
                   {"name":"livepatch","status":"enabled"}]}"#,
            )
            .expect("valid");
        assert_eq!(got.content_sets, ["esm-infra"]);
        assert!(a.analyze(PATH, b"{\"services\": 3}").is_err());
    }
}
