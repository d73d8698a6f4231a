//! Answers a registry's 401: `Basic` sends the credentials, `Bearer` trades them (or
//! nothing, for anonymous pulls) for a token at the realm the challenge names, as in
//! the distribution token spec.

use crate::client::Client;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use drydock_image::{ErrorKind, Failure};
use std::io::Read;

/// Token responses are small JSON documents; anything larger is not one.
const TOKEN_BODY_LIMIT: u64 = 1 << 20;

/// A parsed `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// `Scheme k="v", k2=v2`: quoted values may hold commas and `\"` escapes.
    pub(crate) fn parse(header: &str) -> Challenge {
        let header = header.trim();
        let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
        let mut params = Vec::new();
        let mut chars = rest.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
                chars.next();
            }
            let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
            if key.is_empty() {
                break;
            }
            let mut value = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next()),
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                value = chars.by_ref().take_while(|c| *c != ',').collect();
            }
            params.push((key.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        Challenge {
            scheme: scheme.to_ascii_lowercase(),
            params,
        }
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The `Authorization` header value that answers `challenge`.
pub(crate) fn authorization(client: &Client, challenge: &Challenge) -> Result<String, Failure> {
    match challenge.scheme.as_str() {
        "basic" => match client.credentials()? {
            Some(c) => {
                client.debug(format_args!("auth: basic, credentials from {}", c.origin));
                Ok(basic(&c.username, &c.password))
            }
            None => Err(client.fail(
                ErrorKind::Auth,
                "authentication required (HTTP 401, basic): give --username/--password (or DRYDOCK_USERNAME/DRYDOCK_PASSWORD) or `docker login`",
            )),
        },
        "bearer" => bearer(client, challenge),
        other => Err(client.fail(
            ErrorKind::Unsupported,
            format!("unsupported authentication scheme '{other}'"),
        )),
    }
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// Fetches a pull token for the repository from the challenge's realm.
fn bearer(client: &Client, challenge: &Challenge) -> Result<String, Failure> {
    let realm = challenge
        .param("realm")
        .ok_or_else(|| client.fail(ErrorKind::Auth, "bearer challenge without a realm"))?;
    let plain = realm.starts_with("http://");
    if !(realm.starts_with("https://") || plain && client.insecure()) {
        return Err(client.fail(
            ErrorKind::Auth,
            format!("token realm '{realm}' is not HTTPS (pass --insecure to allow plain HTTP)"),
        ));
    }
    let default_scope = format!("repository:{}:pull", client.repository());
    let scope = challenge.param("scope").unwrap_or(&default_scope);
    let mut query = vec![("scope", scope)];
    if let Some(service) = challenge.param("service") {
        query.push(("service", service));
    }
    let sep = if realm.contains('?') { '&' } else { '?' };
    let url = format!(
        "{realm}{sep}{}",
        query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let creds = client.credentials()?;
    let mut req = client.agent().get(&url);
    if let Some(c) = creds {
        client.debug(format_args!("auth: token, credentials from {}", c.origin));
        req = req.header("Authorization", basic(&c.username, &c.password));
    }
    let reply = req.call().map_err(|e| {
        let (f, _) = client.transport(&e);
        Failure::new(f.kind, format!("{} (token server {realm})", f.message))
    })?;
    let status = reply.status().as_u16();
    client.debug(format_args!("GET {url} -> {status}"));
    match status {
        200 => {}
        401 | 403 => {
            let why = match creds {
                Some(c) => format!("rejected the credentials from {}", c.origin),
                None => "requires credentials: give --username/--password (or DRYDOCK_USERNAME/DRYDOCK_PASSWORD) or `docker login`".to_owned(),
            };
            return Err(client.fail(
                ErrorKind::Auth,
                format!("authentication failed (HTTP {status}): token server {realm} {why}"),
            ));
        }
        _ => {
            return Err(client.fail(
                ErrorKind::Auth,
                format!("token server {realm} answered HTTP {status}"),
            ));
        }
    }
    #[derive(serde::Deserialize)]
    struct TokenReply {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        access_token: Option<String>,
    }
    let mut body = Vec::new();
    reply
        .into_body()
        .into_reader()
        .take(TOKEN_BODY_LIMIT)
        .read_to_end(&mut body)
        .map_err(|e| client.io_failure(&e).0)?;
    let parsed: TokenReply = serde_json::from_slice(&body).map_err(|e| {
        client.fail(
            ErrorKind::Auth,
            format!("token server {realm}: invalid answer: {e}"),
        )
    })?;
    match parsed.token.or(parsed.access_token) {
        Some(t) if !t.is_empty() => Ok(format!("Bearer {t}")),
        _ => Err(client.fail(
            ErrorKind::Auth,
            format!("token server {realm} sent no token"),
        )),
    }
}

/// Percent-encodes a query value (scopes hold `:` and `,`).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header forms from the distribution token spec and Docker Hub.
    #[test]
    fn parses_challenges() {
        let c = Challenge::parse(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push""#,
        );
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c.param("service"), Some("registry.docker.io"));
        assert_eq!(
            c.param("scope"),
            Some("repository:samalba/my-app:pull,push")
        );
        let b = Challenge::parse(r#"Basic realm="drydock \"corpus\"""#);
        assert_eq!(b.scheme, "basic");
        assert_eq!(b.param("realm"), Some(r#"drydock "corpus""#));
        let bare = Challenge::parse("Bearer realm=https://x/token, service=reg");
        assert_eq!(bare.param("realm"), Some("https://x/token"));
        assert_eq!(bare.param("service"), Some("reg"));
    }

    #[test]
    fn basic_is_rfc7617() {
        // RFC 7617 section 2's example.
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(
            encode("repository:a/b:pull,push"),
            "repository%3Aa%2Fb%3Apull%2Cpush"
        );
    }
}
