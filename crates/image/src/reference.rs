//! Image names as Docker reads them (`nginx:1.25`, `registry.example.com:5000/team/app@sha256:…`),
//! so that a name means the same image here as in `docker pull`. The grammar and the
//! normalisation (Docker Hub as `docker.io`, its `library/` namespace, `latest`) follow
//! distribution's `reference` package; only sha256 digests are accepted because only
//! those can be verified here.

use crate::digest::parse_sha256;
use std::fmt;

/// The registry Docker assumes when a name has no host part.
pub const DOCKER_HUB: &str = "docker.io";
/// Where Docker Hub's registry API actually lives.
const DOCKER_HUB_ENDPOINT: &str = "registry-1.docker.io";
/// distribution's limit on the length of a name (host and repository).
const MAX_NAME_LEN: usize = 255;

/// A parsed, normalised image name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The host (and port) as Docker names it: `docker.io` for Docker Hub.
    pub registry: String,
    /// The repository path inside the registry: `library/nginx`.
    pub repository: String,
    /// `latest` when neither a tag nor a digest was given, as in `docker pull`.
    pub tag: Option<String>,
    /// `sha256:<hex>`; when present it is what gets pulled and the tag is only a label.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses a name the way `docker pull` does; the error says what is wrong with it.
    pub fn parse(input: &str) -> Result<Reference, String> {
        let (name, digest) = match input.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (input, None),
        };
        if let Some(d) = digest
            && parse_sha256(d).is_none()
        {
            return Err(format!(
                "invalid digest '{d}' (expected sha256:<64 hex digits>)"
            ));
        }
        let (name, tag) = match name.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, Some(t)),
            _ => (name, None),
        };
        if let Some(t) = tag
            && !valid_tag(t)
        {
            return Err(format!("invalid tag '{t}'"));
        }
        if name.is_empty() {
            return Err("empty repository name".into());
        }
        if name.len() > MAX_NAME_LEN {
            return Err(format!("name longer than {MAX_NAME_LEN} characters"));
        }
        // A bare 64-hex string is an image ID, not a name.
        if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("a 64-hex-digit string is an image ID, not a repository name".into());
        }
        let (registry, path) = split_registry(name);
        if registry != DOCKER_HUB && !valid_host(registry) {
            return Err(format!("invalid registry host '{registry}'"));
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_owned()
        };
        if let Some(bad) = repository.split('/').find(|c| !valid_component(c)) {
            return Err(if bad.bytes().any(|b| b.is_ascii_uppercase()) {
                format!("repository name '{path}' must be lowercase")
            } else {
                format!("invalid repository name '{path}'")
            });
        }
        Ok(Reference {
            registry: registry.to_owned(),
            repository,
            tag: match (tag, digest) {
                (None, None) => Some("latest".into()),
                (t, _) => t.map(str::to_owned),
            },
            digest: digest.map(str::to_owned),
        })
    }

    /// What to ask the registry for: the digest when given, else the tag.
    pub fn reference(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// The host to connect to (`registry-1.docker.io` for Docker Hub).
    pub fn endpoint(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_ENDPOINT
        } else {
            &self.registry
        }
    }
}

/// The full name, `docker.io/library/nginx:1.25[@sha256:…]`.
impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Docker's rule: the first component is a host only if it looks like one (a dot, a
/// port, `localhost`, or capitals, which repositories cannot have).
fn split_registry(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (
                if first == "index.docker.io" {
                    DOCKER_HUB
                } else {
                    first
                },
                rest,
            )
        }
        _ => (DOCKER_HUB, name),
    }
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or any number of `-`.
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

/// `host[:port]` with DNS-style labels or a bracketed IPv6 address.
fn valid_host(host: &str) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        if v6.is_empty() || !v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => return p.strip_prefix(':').is_some_and(valid_port),
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
    };
    name.split('.').all(label) && port.is_none_or(valid_port)
}

fn valid_port(p: &str) -> bool {
    !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn valid_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

    fn full(s: &str) -> String {
        Reference::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .to_string()
    }

    /// Expected names from distribution's normalize_test.go (TestParseAnyReference,
    /// TestParseRepositoryInfo, TestNormalizedSplitHostname), with `:latest` added where
    /// Docker's pull adds it.
    #[test]
    fn normalises_like_docker() {
        let cases = [
            ("redis", "docker.io/library/redis:latest"),
            ("redis:latest", "docker.io/library/redis:latest"),
            (
                "docker.io/library/redis:latest",
                "docker.io/library/redis:latest",
            ),
            ("dmcgowan/myapp", "docker.io/dmcgowan/myapp:latest"),
            ("index.docker.io/fooo/bar", "docker.io/fooo/bar:latest"),
            ("docker.io/foo", "docker.io/library/foo:latest"),
            ("library/foo/bar", "docker.io/library/foo/bar:latest"),
            ("test_com/foo", "docker.io/test_com/foo:latest"),
            ("test.com:8080/foo", "test.com:8080/foo:latest"),
            ("test-com:8080/foo", "test-com:8080/foo:latest"),
            ("xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo:latest"),
            (
                "127.0.0.1:8000/privatebase",
                "127.0.0.1:8000/privatebase:latest",
            ),
            ("localhost/foo", "localhost/foo:latest"),
            (
                "localhost:5000/foo/bar:v1.2_x",
                "localhost:5000/foo/bar:v1.2_x",
            ),
            ("Foo/bar", "Foo/bar:latest"),
            ("192.168.0.1:80", "docker.io/library/192.168.0.1:80"),
            (
                "[fc00::1]:5000/docker/docker",
                "[fc00::1]:5000/docker/docker:latest",
            ),
            (
                "dock__er/docker---rules",
                "docker.io/dock__er/docker---rules:latest",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(full(input), want, "{input}");
        }
        assert_eq!(
            full(&format!("redis@{D}")),
            format!("docker.io/library/redis@{D}")
        );
        let both = Reference::parse(&format!("busybox:latest@{D}")).expect("parse");
        assert_eq!(both.reference(), D, "a digest wins over the tag");
        assert_eq!(both.tag.as_deref(), Some("latest"));
        let hub = Reference::parse("nginx:1.25").expect("parse");
        assert_eq!(
            (hub.endpoint(), hub.repository.as_str(), hub.reference()),
            ("registry-1.docker.io", "library/nginx", "1.25")
        );
        let local = Reference::parse("127.0.0.1:5000/a/b").expect("parse");
        assert_eq!(local.endpoint(), "127.0.0.1:5000");
    }

    /// Invalid names from the same test file.
    #[test]
    fn rejects_what_docker_rejects() {
        for bad in [
            "https://github.com/docker/docker",
            "docker/Docker",
            "-docker",
            "-docker/docker",
            "-docker.io/docker/docker",
            "docker///docker",
            "docker.io/docker/Docker",
            "[fc00::1]:5000",
            "fc00::1:5000/debian",
            "[fe80::1%eth0]:5000/debian",
            "[2001:db8:3:4::192.0.2.33]:5000/debian",
            "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "docker-/docker",
            "____/____",
            "dock..er/docker",
            "dock_.er/docker",
            "docker/",
            "busybox:-foo",
            "busybox@sha256:abc",
            "busybox@md5:d41d8cd98f00b204e9800998ecf8427e",
            "./image.tar",
            "/tmp/image.tar",
            "",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad:?} should be invalid");
        }
        let long = format!("{}/docker", "a".repeat(256));
        assert!(Reference::parse(&long).is_err());
        let msg = Reference::parse("docker/Docker").unwrap_err();
        assert!(msg.contains("lowercase"), "{msg}");
    }
}
