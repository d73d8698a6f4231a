//! Reading the policy's inputs from files: the only part of this crate that does I/O.
//! Every error names the file, for the CLI's one-line message (exit code 2).

use crate::{Baseline, Date, Ignore, Policy, VexDocument};
use std::path::{Path, PathBuf};

/// The policy file names looked for in the working directory, in order.
pub const POLICY_FILES: [&str; 2] = ["drydock.yaml", "drydock.yml"];

/// `drydock.yaml` (or `.yml`) in `dir`, when there is one.
pub fn find_policy(dir: &Path) -> Option<PathBuf> {
    POLICY_FILES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads and checks a policy file.
pub fn read_policy(path: &Path) -> Result<Policy, String> {
    let text = read(path)?;
    let named = |e: String| format!("{}: {e}", path.display());
    let mut policy: Policy = if text.trim().is_empty() {
        Policy::default()
    } else {
        serde_saphyr::from_str(&text).map_err(|e| named(e.to_string()))?
    };
    if let Some(p) = policy.fail_on_epss
        && !(0.0..=1.0).contains(&p)
    {
        return Err(named(format!(
            "fail_on_epss: {p} is not a probability (0 to 1)"
        )));
    }
    for i in &mut policy.ignores {
        i.source = path.display().to_string();
    }
    if let Some(bad) = crate::ignore::invalid_globs(&policy.ignores) {
        return Err(named(bad));
    }
    Ok(policy)
}

/// Reads an ignore file: YAML (`.yaml`/`.yml`: drydock's `ignores:` or Trivy's
/// `.trivyignore.yaml` sections), else `.trivyignore` lines.
pub fn read_ignores(path: &Path) -> Result<Vec<Ignore>, String> {
    let text = read(path)?;
    let source = path.display().to_string();
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let ignores = if yaml {
        if text.trim().is_empty() {
            Ok(Vec::new())
        } else {
            crate::ignore::parse_yaml(&text, &source)
        }
    } else {
        crate::ignore::parse_trivyignore(&text, &source)
    }
    .map_err(|e| format!("{source}: {e}"))?;
    if let Some(bad) = crate::ignore::invalid_globs(&ignores) {
        return Err(format!("{source}: {bad}"));
    }
    Ok(ignores)
}

/// Reads an OpenVEX or CycloneDX VEX document.
pub fn read_vex(path: &Path) -> Result<VexDocument, String> {
    let source = path.display().to_string();
    crate::vex::parse(&read(path)?, &source).map_err(|e| format!("{source}: {e}"))
}

/// Reads a previous drydock JSON report as a baseline. A report that carries no date
/// of its own is dated by the file's modification time.
pub fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let text = read(path)?;
    let report: drydock_model::Report = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a drydock JSON report: {e}", path.display()))?;
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .and_then(Date::from_unix_seconds)
        .ok_or_else(|| format!("{}: cannot tell when it was written", path.display()))?;
    Ok(Baseline::from_report(&report, modified))
}
