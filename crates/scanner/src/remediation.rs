//! The remediation view: the matcher's per-package upgrades, plus which findings came
//! with the base image and which this image added.
//!
//! The base image is named by the `org.opencontainers.image.base.name`/`.digest`
//! labels when the builder set them, but no label says how many layers it made. That
//! is read from the history: a Dockerfile ends with `CMD`/`ENTRYPOINT`, so such an
//! entry followed by more layer-making entries is where the base image's history ended
//! and this image's began (`FROM alpine` + `RUN apk add` leaves
//! `ADD file:… in /`, `CMD ["/bin/sh"]`, `RUN apk add …`). Without that boundary the
//! split is reported as unknown rather than guessed: a single `ADD file:` layer may be
//! the base or this image's own root filesystem.

use drydock_image::ImageConfig;
use drydock_model::{BaseImage, Finding, Remediation, Upgrade};

const BASE_NAME_LABEL: &str = "org.opencontainers.image.base.name";
const BASE_DIGEST_LABEL: &str = "org.opencontainers.image.base.digest";

/// `config` is `None` for root filesystems and source trees.
pub(crate) fn build(
    config: Option<&ImageConfig>,
    layer_count: usize,
    findings: &[Finding],
    mut upgrades: Vec<Upgrade>,
) -> Remediation {
    let base_image = config.map(|c| base_image(c, layer_count));
    let (mut from_base, mut added) = (None, None);
    if let Some(n) = base_image.as_ref().and_then(|b| b.layers) {
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
        base_image,
        from_base_image: from_base,
        added_by_image: added,
        upgrades,
    }
}

fn base_image(config: &ImageConfig, layer_count: usize) -> BaseImage {
    let labels = &config.config.labels;
    let name = labels.get(BASE_NAME_LABEL).cloned();
    let digest = labels.get(BASE_DIGEST_LABEL).cloned();
    let (layers, basis) = match history_boundary(config, layer_count) {
        Some((n, instruction)) => (
            Some(n),
            format!(
                "history: layers 0-{} end with the base image's `{instruction}`",
                n - 1
            ),
        ),
        None if name.is_some() => (
            None,
            format!(
                "{BASE_NAME_LABEL} names it, but the history shows no boundary to count its layers"
            ),
        ),
        None => (
            None,
            format!(
                "no {BASE_NAME_LABEL} label, and no CMD/ENTRYPOINT followed by more layers in the history"
            ),
        ),
    };
    BaseImage {
        name,
        digest,
        layers,
        basis,
    }
}

/// Number of layers before the last `CMD`/`ENTRYPOINT` that more layers follow, with
/// that instruction; `None` when there is none or the history does not match the
/// layers one to one.
fn history_boundary(config: &ImageConfig, layer_count: usize) -> Option<(usize, String)> {
    let history = &config.history;
    if history.iter().filter(|h| !h.empty_layer).count() != layer_count {
        return None;
    }
    let mut layers = 0;
    let (mut pending, mut confirmed) = (None, None);
    for h in history {
        if !h.empty_layer {
            layers += 1;
            // Only a candidate that a layer follows separates two images.
            if let Some(p) = pending.take() {
                confirmed = Some(p);
            }
        } else if layers > 0
            && let Some(instruction) = closing_instruction(&h.created_by)
        {
            pending = Some((layers, instruction));
        }
    }
    confirmed
}

/// `CMD …`/`ENTRYPOINT …` as classic Docker (`/bin/sh -c #(nop)  CMD ["sh"]`) and
/// BuildKit (`CMD ["sh"]`) record it.
fn closing_instruction(created_by: &str) -> Option<String> {
    let s = created_by.trim();
    let s = s.strip_prefix("/bin/sh -c #(nop)").unwrap_or(s).trim();
    (s.starts_with("CMD ") || s.starts_with("ENTRYPOINT ")).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> ImageConfig {
        serde_json::from_str(json).expect("valid config")
    }

    #[test]
    fn boundary_after_the_base_images_cmd() {
        // `FROM alpine:3.10` + `RUN apk add curl` + `COPY app /app` + `CMD`, as
        // `docker build` (classic builder) records it: the last CMD closes this image,
        // the earlier one, followed by layers, closes the base.
        let c = config(
            r#"{"history":[
              {"created_by":"/bin/sh -c #(nop) ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in / "},
              {"created_by":"/bin/sh -c #(nop)  CMD [\"/bin/sh\"]","empty_layer":true},
              {"created_by":"/bin/sh -c apk add --no-cache curl"},
              {"created_by":"/bin/sh -c #(nop) COPY dir:abc in /app "},
              {"created_by":"/bin/sh -c #(nop)  CMD [\"/app/run\"]","empty_layer":true}]}"#,
        );
        let b = base_image(&c, 3);
        assert_eq!(b.layers, Some(1));
        assert!(b.basis.contains(r#"CMD ["/bin/sh"]"#), "{}", b.basis);
        // The history must match the layers one to one.
        assert_eq!(base_image(&c, 4).layers, None);
    }

    #[test]
    fn no_boundary_is_unknown_even_with_a_label() {
        // alpine:3.10 itself: its CMD is the last entry, nothing of another image follows.
        let c = config(
            r#"{"config":{"Labels":{"org.opencontainers.image.base.name":"docker.io/library/alpine:3.10"}},
              "history":[
              {"created_by":"/bin/sh -c #(nop) ADD file:d48c in / "},
              {"created_by":"/bin/sh -c #(nop)  CMD [\"/bin/sh\"]","empty_layer":true},
              {"created_by":"ENV A=b","empty_layer":true}]}"#,
        );
        let b = base_image(&c, 1);
        assert_eq!(b.layers, None);
        assert_eq!(b.name.as_deref(), Some("docker.io/library/alpine:3.10"));
    }

    #[test]
    fn buildkit_entrypoint_and_the_split() {
        let c = config(
            r#"{"history":[
              {"created_by":"ADD alpine-minirootfs.tar.gz / # buildkit"},
              {"created_by":"RUN /bin/sh -c apk add python3 # buildkit"},
              {"created_by":"ENTRYPOINT [\"python3\"]","empty_layer":true},
              {"created_by":"COPY app.py / # buildkit"}]}"#,
        );
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
            f.layer = Some(layer(i));
            findings.push(f);
        }
        let r = build(Some(&c), 3, &findings, Vec::new());
        assert_eq!(r.base_image.and_then(|b| b.layers), Some(2));
        assert_eq!((r.from_base_image, r.added_by_image), (Some(2), Some(1)));
    }
}
