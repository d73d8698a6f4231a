//! Rules about the image itself: where it comes from, what it is built on, its labels
//! and its age.

use super::{Outcome, some_of};
use crate::date::Date;
use crate::pattern::{Glob, ImageRef};
use crate::{Context, Policy};
use drydock_model::{BaseImage, Report};

const BASE_LABEL: &str = "org.opencontainers.image.base.name";

pub(crate) fn check(report: &Report, policy: &Policy, ctx: &Context, out: &mut Outcome) {
    if !policy.allowed_registries.is_empty() {
        registries(report, &policy.allowed_registries, out);
    }
    if !policy.allowed_base_images.is_empty() {
        base_image(
            report.artifact.base_image.as_ref(),
            &policy.allowed_base_images,
            out,
        );
    }
    if !policy.required_labels.is_empty() {
        labels(report, policy, out);
    }
    if let Some(max) = policy.max_image_age_days {
        age(report, max, ctx.today, out);
    }
    if policy.require_signature {
        signature(report, out);
    }
}

/// A signature counts only when it was checked against a key the user gave; the image's
/// own claim to be signed is not evidence.
fn signature(report: &Report, out: &mut Outcome) {
    match &report.artifact.signature {
        Some(s) if s.verified => {}
        Some(s) => out.fail(
            "require_signature",
            format!(
                "the {} signature over {} did not verify",
                s.scheme, s.signed_digest
            ),
        ),
        None => out.fail(
            "require_signature",
            "no verified signature: scan with --verify-key cosign.pub".to_owned(),
        ),
    }
}

/// An allowed entry is a registry host or a `host/path` prefix, globs allowed:
/// `docker.io`, `ghcr.io/acme`, `*.corp.example`.
fn registry_allows(entry: &str, name: &ImageRef) -> bool {
    let full = name.name();
    let entry = entry.trim().trim_end_matches('/');
    let Some(glob) = Glob::new(entry, true) else {
        return false;
    };
    std::iter::once(name.registry.as_str())
        .chain(full.match_indices('/').map(|(i, _)| &full[..i]))
        .chain([full.as_str()])
        .any(|prefix| glob.is_match(prefix))
}

fn registries(report: &Report, allowed: &[String], out: &mut Outcome) {
    let base = report
        .artifact
        .base_image
        .as_ref()
        .and_then(|b| b.name.as_deref());
    let names: Vec<(ImageRef, &str)> = report
        .artifact
        .repo_tags
        .iter()
        .map(|t| (t.as_str(), "image"))
        .chain(
            report
                .artifact
                .origin
                .as_ref()
                .map(|o| (o.reference.as_str(), "image")),
        )
        .chain(base.map(|b| (b, "base image")))
        .filter_map(|(n, what)| ImageRef::parse(n).map(|r| (r, what)))
        .collect();
    if names.is_empty() {
        out.fail(
            "allowed_registries",
            format!("the image names no registry: no repository tag and no {BASE_LABEL} label"),
        );
        return;
    }
    let refused: Vec<String> = names
        .iter()
        .filter(|(r, _)| !allowed.iter().any(|a| registry_allows(a, r)))
        .map(|(r, what)| format!("{what} {r}"))
        .collect();
    if !refused.is_empty() {
        out.fail(
            "allowed_registries",
            format!(
                "{} not from an allowed registry (allowed: {})",
                some_of(&refused, 3),
                allowed.join(", ")
            ),
        );
    }
}

/// A pattern is a digest (`sha256:...`), or a reference whose name and tag are globs
/// (`debian:12*`, `gcr.io/distroless/*`); a pattern without a tag allows every tag.
fn base_allows(pattern: &str, name: Option<&ImageRef>, digest: Option<&str>) -> bool {
    let pattern = pattern.trim();
    if pattern.starts_with("sha256:") || pattern.starts_with("sha512:") {
        let own = digest.or(name.and_then(|n| n.digest.as_deref()));
        return own.is_some_and(|d| d.eq_ignore_ascii_case(pattern));
    }
    let (Some(want), Some(name)) = (ImageRef::parse(pattern), name) else {
        return false;
    };
    let glob = |p: &str, text: &str| Glob::new(p, false).is_some_and(|g| g.is_match(text));
    glob(&want.name(), &name.name())
        && want
            .tag
            .as_deref()
            .is_none_or(|t| name.tag.as_deref().is_some_and(|own| glob(t, own)))
        && want.digest.as_deref().is_none_or(|d| {
            digest
                .or(name.digest.as_deref())
                .is_some_and(|own| own.eq_ignore_ascii_case(d))
        })
}

fn base_image(base: Option<&BaseImage>, allowed: &[String], out: &mut Outcome) {
    let rule = "allowed_base_images";
    let Some(base) = base.filter(|b| b.name.is_some() || b.digest.is_some()) else {
        let history = base
            .and_then(|b| b.layers)
            .map(|n| {
                format!(
                    " (the history shows {}, but not which image they are)",
                    super::count(n, "base layer", "base layers")
                )
            })
            .unwrap_or_default();
        out.fail(
            rule,
            format!("base image not identified: no {BASE_LABEL} or .digest label{history}"),
        );
        return;
    };
    let name = base.name.as_deref().and_then(ImageRef::parse);
    if !allowed
        .iter()
        .any(|p| base_allows(p, name.as_ref(), base.digest.as_deref()))
    {
        let shown = [base.name.as_deref(), base.digest.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" @ ");
        out.fail(
            rule,
            format!(
                "base image {shown} is not allowed (allowed: {})",
                allowed.join(", ")
            ),
        );
    }
}

fn labels(report: &Report, policy: &Policy, out: &mut Outcome) {
    let have = &report.artifact.labels;
    let problems: Vec<String> = policy
        .required_labels
        .iter()
        .filter_map(|(key, pattern)| match have.get(key) {
            None => Some(format!("{key} missing")),
            Some(v) if v.is_empty() => Some(format!("{key} empty")),
            Some(v) if !Glob::new(pattern, false).is_some_and(|g| g.is_match(v)) => {
                Some(format!("{key}='{v}' does not match '{pattern}'"))
            }
            Some(_) => None,
        })
        .collect();
    if !problems.is_empty() {
        out.fail("required_labels", some_of(&problems, 5));
    }
}

fn age(report: &Report, max: u32, today: Date, out: &mut Outcome) {
    let rule = "max_image_age_days";
    let created = report.artifact.created.as_deref();
    match created.and_then(Date::parse) {
        None => out.fail(
            rule,
            match created {
                Some(c) => format!("the image's creation date '{c}' is not a date"),
                None => "the image has no creation date (config `created`)".into(),
            },
        ),
        Some(c) if today.days_since(c) > i64::from(max) => out.fail(
            rule,
            format!(
                "image created {c}, {} days ago (at most {max} allowed)",
                today.days_since(c)
            ),
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_entries() {
        let r = |s: &str| ImageRef::parse(s).expect("ref");
        let cases = [
            ("docker.io", "alpine:3.10", true),
            ("docker.io/library", "alpine:3.10", true),
            ("docker.io/acme", "alpine:3.10", false),
            ("ghcr.io/acme", "ghcr.io/acme/app:1", true),
            ("ghcr.io/acme", "ghcr.io/acmecorp/app:1", false),
            ("*.corp.example", "registry.corp.example/app", true),
            ("quay.io", "docker.io/drydock-corpus/debian-app:1.0", false),
        ];
        for (entry, name, want) in cases {
            assert_eq!(registry_allows(entry, &r(name)), want, "{entry} vs {name}");
        }
    }

    #[test]
    fn base_patterns() {
        let name = ImageRef::parse("docker.io/library/debian:12-slim");
        let digest = Some("sha256:0123abcd");
        let cases = [
            ("debian:12*", true),
            ("debian", true),
            ("debian:11*", false),
            ("docker.io/library/debian:12-slim", true),
            ("ubuntu:*", false),
            ("sha256:0123abcd", true),
            ("sha256:ffff", false),
            ("debian@sha256:0123abcd", true),
            ("debian@sha256:ffff", false),
        ];
        for (pattern, want) in cases {
            assert_eq!(
                base_allows(pattern, name.as_ref(), digest),
                want,
                "{pattern}"
            );
        }
    }
}
