//! The remediation view: the matcher's per-package upgrades, plus which findings came
//! with the base image and which this image added.
//!
//! Which layers are the base image's is `Artifact::base_image` (labels and history, see
//! `base_image` in `lib.rs`); without it the split is reported as unknown, not guessed.

use drydock_matcher::MatchResult;
use drydock_model::{Artifact, BaseImage, Finding, NotCovered, Remediation, Upgrade};

/// The findings of a match (when the vuln scanner ran) and their remediation view; the
/// match's coverage gaps and warnings join the report's.
pub(crate) fn findings(
    matched: Option<MatchResult>,
    artifact: &Artifact,
    not_covered: &mut Vec<NotCovered>,
    warnings: &mut Vec<String>,
) -> (Option<Vec<Finding>>, Option<Remediation>) {
    let Some(m) = matched else {
        return (None, None);
    };
    not_covered.extend(m.not_covered);
    warnings.extend(m.warnings);
    let plan = build(artifact.base_image.as_ref(), &m.findings, m.upgrades);
    (Some(m.findings), Some(plan))
}

pub(crate) fn build(
    base: Option<&BaseImage>,
    findings: &[Finding],
    mut upgrades: Vec<Upgrade>,
) -> Remediation {
    let (mut from_base, mut added) = (None, None);
    if let Some(n) = base.and_then(|b| b.layers) {
        let is_base = |layer: Option<usize>| layer.is_some_and(|l| l < n);
        let base = findings
            .iter()
            .filter(|f| is_base(f.layer.as_ref().map(|l| l.index)))
            .count();
        from_base = Some(base);
        added = Some(findings.len() - base);
        for u in &mut upgrades {
            u.from_base_image = Some(is_base(u.layer));
        }
    }
    Remediation {
        from_base_image: from_base,
        added_by_image: added,
        upgrades,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_split_at_the_base_images_last_layer() {
        let layer = |i| drydock_model::LayerRef {
            index: i,
            digest: String::new(),
            created_by: None,
        };
        let mut findings = Vec::new();
        for (i, id) in [(0, "A"), (1, "B"), (2, "C")] {
            let mut f: Finding = serde_json::from_str(&format!(
                r#"{{"id":"{id}","aliases":[],"advisory_ids":[],"package":"p","package_kind":"apk",
                "installed_version":"1","ecosystem":"e","fixed_versions":[],"status":"affected",
                "severity":"LOW","severity_source":"none","location":"l","url":""}}"#
            ))
            .expect("finding");
            f.layer = Some(layer(i).into());
            findings.push(f);
        }
        let base = BaseImage {
            name: None,
            digest: None,
            layers: Some(2),
            source: "history".into(),
        };
        let r = build(Some(&base), &findings, Vec::new());
        assert_eq!((r.from_base_image, r.added_by_image), (Some(2), Some(1)));
        let unknown = build(None, &findings, Vec::new());
        assert_eq!(
            (unknown.from_base_image, unknown.added_by_image),
            (None, None)
        );
    }
}
