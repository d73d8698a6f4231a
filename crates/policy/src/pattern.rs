//! Globs for names, licenses and image references in policy rules.

use globset::{GlobBuilder, GlobMatcher};

/// A glob where `*` stays within one `/`-separated segment, as in the skip flags.
#[derive(Debug, Clone)]
pub(crate) struct Glob(GlobMatcher);

impl Glob {
    pub(crate) fn new(pattern: &str, case_insensitive: bool) -> Option<Glob> {
        GlobBuilder::new(pattern)
            .literal_separator(true)
            .case_insensitive(case_insensitive)
            .build()
            .ok()
            .map(|g| Glob(g.compile_matcher()))
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// An image reference split the way Docker resolves it: `alpine:3.10` is
/// `docker.io/library/alpine` tagged `3.10`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef {
    pub(crate) registry: String,
    pub(crate) repository: String,
    pub(crate) tag: Option<String>,
    pub(crate) digest: Option<String>,
}

impl ImageRef {
    pub(crate) fn parse(text: &str) -> Option<ImageRef> {
        let text = text.trim();
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(c) => (
                &rest[..last_slash + c],
                Some(rest[last_slash + c + 1..].to_owned()),
            ),
            None => (rest, None),
        };
        if name.is_empty() {
            return None;
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains(['.', ':']) || first.eq_ignore_ascii_case("localhost") =>
            {
                (first.to_ascii_lowercase(), path.to_owned())
            }
            Some(_) => ("docker.io".to_owned(), name.to_owned()),
            None => ("docker.io".to_owned(), format!("library/{name}")),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
            _ => registry,
        };
        Some(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// `registry/repository`, no tag or digest.
    pub(crate) fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    /// Docker's reference normalisation, as `docker pull` shows it
    /// (`docker.io/library/alpine:3.10`).
    #[test]
    fn docker_normalisation() {
        let cases = [
            ("alpine:3.10", "docker.io/library/alpine", Some("3.10")),
            (
                "drydock-corpus/debian-app:1.0",
                "docker.io/drydock-corpus/debian-app",
                Some("1.0"),
            ),
            ("ghcr.io/acme/app", "ghcr.io/acme/app", None),
            ("localhost:5000/app:dev", "localhost:5000/app", Some("dev")),
            (
                "index.docker.io/library/debian:12",
                "docker.io/library/debian",
                Some("12"),
            ),
        ];
        for (text, name, tag) in cases {
            let r = ImageRef::parse(text).expect("reference");
            assert_eq!((r.name().as_str(), r.tag.as_deref()), (name, tag), "{text}");
        }
        let pinned = ImageRef::parse("debian@sha256:abcd").expect("reference");
        assert_eq!(pinned.digest.as_deref(), Some("sha256:abcd"));
        assert_eq!(pinned.tag, None);
    }
}
