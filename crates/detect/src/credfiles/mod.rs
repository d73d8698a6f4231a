//! Parsers for config files that hold credentials in known places. A parser
//! knows which field is the password, so it finds any password whatever its
//! alphabet; placeholders are dropped by the scanner's common filters.

mod lines;
mod markup;
mod structured;

use crate::config::{Confidence, Parser};

/// A credential field: byte span of the value in the file, and what it is.
pub(crate) struct Field {
    pub start: usize,
    pub end: usize,
    pub confidence: Confidence,
    pub reason: String,
}

impl Field {
    fn high(start: usize, value: &str, reason: String) -> Self {
        Field {
            start,
            end: start + value.len(),
            confidence: Confidence::High,
            reason,
        }
    }
}

/// Whether some parser reads files at `rel` (relative path, no leading `/`).
pub(crate) fn is_credential_file(rel: &str) -> bool {
    ALL.iter().any(|p| p.handles(rel))
}

const ALL: &[Parser] = &[
    Parser::MavenSettings,
    Parser::Netrc,
    Parser::Pgpass,
    Parser::GitCredentials,
    Parser::DockerConfig,
    Parser::Npmrc,
    Parser::PipConfig,
    Parser::NugetConfig,
];

fn named(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| name.eq_ignore_ascii_case(n))
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        && (s.len() == suffix.len() || s.as_bytes()[s.len() - suffix.len() - 1] == b'/')
}

impl Parser {
    /// Whether this parser reads the file at `rel` because of its name (it
    /// also runs wherever its rule's keywords occur). Allocation-free.
    pub(crate) fn handles(self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        match self {
            Parser::MavenSettings => named(name, &["settings.xml", "settings-security.xml"]),
            Parser::Netrc => named(name, &[".netrc", "_netrc"]),
            Parser::Pgpass => named(name, &[".pgpass", "pgpass", "pgpass.conf"]),
            Parser::GitCredentials => {
                named(name, &[".git-credentials", "git-credentials"])
                    || ends_with_ignore_case(rel, ".config/git/credentials")
            }
            Parser::DockerConfig => {
                named(name, &[".dockercfg"])
                    || ends_with_ignore_case(rel, ".docker/config.json")
                    || ends_with_ignore_case(rel, "containers/auth.json")
            }
            Parser::Npmrc => named(name, &[".npmrc", "npmrc", ".yarnrc.yml", ".yarnrc"]),
            Parser::PipConfig => named(name, &["pip.conf", "pip.ini", ".pypirc"]),
            Parser::NugetConfig => named(name, &["nuget.config"]),
            Parser::KubernetesSecret => false,
        }
    }

    /// The credential fields of `content`. Non-UTF-8 files have none: these
    /// formats are text, and byte offsets must stay exact.
    pub(crate) fn parse(self, content: &[u8]) -> Vec<Field> {
        let Ok(text) = std::str::from_utf8(content) else {
            return Vec::new();
        };
        match self {
            Parser::MavenSettings => markup::maven_settings(text),
            Parser::NugetConfig => markup::nuget_config(text),
            Parser::Netrc => lines::netrc(text),
            Parser::Pgpass => lines::pgpass(text),
            Parser::GitCredentials => lines::git_credentials(text),
            Parser::Npmrc => lines::npmrc(text),
            Parser::PipConfig => lines::pip_config(text),
            Parser::DockerConfig => structured::docker_config(text),
            Parser::KubernetesSecret => structured::kubernetes_secret(text),
        }
    }
}

/// The password of a `scheme://user:password@host` URL starting at `from`
/// in `text`: (offset, password, `user@host`).
pub(crate) fn url_password(text: &str, from: usize) -> Option<(usize, &str, String)> {
    let rest = text.get(from..)?;
    let scheme_end = rest.find("://")?;
    let authority_start = scheme_end + 3;
    let authority_len = rest[authority_start..]
        .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '"')
        .unwrap_or(rest.len() - authority_start);
    let authority = &rest[authority_start..authority_start + authority_len];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let (user, pass) = userinfo.split_once(':')?;
    if pass.is_empty() {
        return None;
    }
    let offset = from + authority_start + user.len() + 1;
    Some((offset, pass, format!("{user}@{}", &authority[at + 1..])))
}

/// `value` with one pair of surrounding quotes removed, and the offset shift.
fn unquote(value: &str) -> (&str, usize) {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return (inner, 1);
        }
    }
    (value, 0)
}

/// Byte offset of `part` (a subslice of `whole`) within `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}
