//! Where credentials come from, in Docker's order: given explicitly, else docker's
//! `config.json` — a per-registry `credHelpers` entry, an `auths` entry, then the
//! `credsStore` helper. Helpers are the `docker-credential-<name>` executables, asked
//! with `get` and the server on stdin. Passwords never appear in messages or `Debug`.

use crate::Options;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use drydock_image::{DOCKER_HUB, ErrorKind, Failure};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The key Docker stores Docker Hub credentials under.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";
/// Host names that all mean Docker Hub in `auths` keys.
const DOCKER_HUB_HOSTS: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];
/// Helpers answer with a few hundred bytes.
const HELPER_OUTPUT_LIMIT: u64 = 1 << 16;

pub(crate) struct Credentials {
    pub username: String,
    pub password: String,
    /// Where they came from, for messages: `--username/--password`, a file, a helper.
    pub origin: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials(from {})", self.origin)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default)]
    creds_store: Option<String>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// Credentials for `registry` (as named) reached at `host`, or None for anonymous.
pub(crate) fn lookup(
    registry: &str,
    host: &str,
    opts: &Options,
) -> Result<Option<Credentials>, Failure> {
    match (&opts.username, &opts.password) {
        (Some(u), Some(p)) => {
            return Ok(Some(Credentials {
                username: u.clone(),
                password: p.clone(),
                origin: "--username/--password".into(),
            }));
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(Failure::new(
                ErrorKind::Auth,
                "give both --username and --password (or DRYDOCK_USERNAME and DRYDOCK_PASSWORD)",
            ));
        }
        (None, None) => {}
    }
    let Some(path) = config_path(opts) else {
        return Ok(None);
    };
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(config_error(&path, e)),
    };
    let config: DockerConfig = serde_json::from_slice(&text).map_err(|e| config_error(&path, e))?;
    let shown = path.display().to_string();
    let matches = |key: &str| {
        let h = key_host(key);
        h == registry || h == host || registry == DOCKER_HUB && DOCKER_HUB_HOSTS.contains(&h)
    };
    let server = if registry == DOCKER_HUB {
        DOCKER_HUB_KEY
    } else {
        registry
    };
    if let Some((_, helper)) = config.cred_helpers.iter().find(|(k, _)| matches(k)) {
        return run_helper(helper, server, opts.timeout);
    }
    if let Some((key, entry)) = config.auths.iter().find(|(k, _)| matches(k))
        && let Some(c) = from_auth_entry(entry, &format!("{shown} (auths.\"{key}\")"))?
    {
        return Ok(Some(c));
    }
    match &config.creds_store {
        Some(store) if !store.is_empty() => run_helper(store, server, opts.timeout),
        _ => Ok(None),
    }
}

fn config_path(opts: &Options) -> Option<PathBuf> {
    if let Some(p) = &opts.docker_config {
        return Some(p.clone());
    }
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker/config.json"))
}

fn config_error(path: &std::path::Path, e: impl fmt::Display) -> Failure {
    Failure::new(ErrorKind::Auth, format!("{}: {e}", path.display()))
}

/// `https://host[:port]/path` → `host[:port]`, as Docker matches `auths` keys.
fn key_host(key: &str) -> &str {
    let rest = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    rest.split('/').next().unwrap_or(rest)
}

/// `auth` is base64 of `user:password`; older files spell the two out.
fn from_auth_entry(entry: &AuthEntry, origin: &str) -> Result<Option<Credentials>, Failure> {
    let bad = |why: &str| Failure::new(ErrorKind::Auth, format!("{origin}: {why}"));
    if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
        let decoded = STANDARD
            .decode(auth.trim())
            .map_err(|_| bad("'auth' is not base64"))?;
        let text = String::from_utf8(decoded).map_err(|_| bad("'auth' is not UTF-8"))?;
        let (user, password) = text
            .split_once(':')
            .ok_or_else(|| bad("'auth' is not user:password"))?;
        return Ok(Some(Credentials {
            username: user.to_owned(),
            password: password.to_owned(),
            origin: origin.to_owned(),
        }));
    }
    Ok(match (&entry.username, &entry.password) {
        (Some(u), Some(p)) => Some(Credentials {
            username: u.clone(),
            password: p.clone(),
            origin: origin.to_owned(),
        }),
        _ => None,
    })
}

#[derive(Deserialize)]
struct HelperReply {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// Runs `docker-credential-<name> get`; "not found" means anonymous. The helper's
/// output is never echoed (it holds the secret), only its exit status and stderr.
fn run_helper(name: &str, server: &str, timeout: Duration) -> Result<Option<Credentials>, Failure> {
    let program = format!("docker-credential-{name}");
    let fail = |why: String| {
        Failure::new(
            ErrorKind::Auth,
            format!("credential helper {program}: {why}"),
        )
    };
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run it: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading is judged by its exit status below.
        let _ = stdin.write_all(server.as_bytes());
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "no answer within {} s",
                    timeout.as_secs_f64()
                )));
            }
            Err(e) => return Err(fail(e.to_string())),
        }
    };
    let mut out = Vec::new();
    let mut err = String::new();
    if let Some(s) = child.stdout.take() {
        let _ = s.take(HELPER_OUTPUT_LIMIT).read_to_end(&mut out);
    }
    if let Some(s) = child.stderr.take() {
        let _ = s.take(HELPER_OUTPUT_LIMIT).read_to_string(&mut err);
    }
    if !status.success() {
        let said = String::from_utf8_lossy(&out).to_lowercase() + &err.to_lowercase();
        if said.contains("credentials not found") {
            return Ok(None);
        }
        let first = err.lines().next().unwrap_or("").trim().to_owned();
        return Err(fail(format!(
            "failed ({status}){}",
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        )));
    }
    let reply: HelperReply = serde_json::from_slice(&out)
        .map_err(|_| fail("answered with something other than its JSON".into()))?;
    if reply.username == "<token>" {
        return Err(fail(
            "returned an identity token, which drydock does not support; use --username/--password"
                .into(),
        ));
    }
    Ok(Some(Credentials {
        username: reply.username,
        password: reply.secret,
        origin: program,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auths_keys_match_like_docker() {
        assert_eq!(key_host("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(key_host("127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(key_host("http://localhost:5000/v2/"), "localhost:5000");
        let entry = AuthEntry {
            // base64("corpus:corpus-pass"), as `docker login` writes it.
            auth: Some("Y29ycHVzOmNvcnB1cy1wYXNz".into()),
            ..AuthEntry::default()
        };
        let c = from_auth_entry(&entry, "test").expect("ok").expect("some");
        assert_eq!(
            (c.username.as_str(), c.password.as_str()),
            ("corpus", "corpus-pass")
        );
        assert!(!format!("{c:?}").contains("corpus-pass"));
    }
}
