//! One repository on one registry over HTTP: every request goes through [`Client::get`],
//! which authenticates on demand, retries what is worth retrying and turns everything
//! else into a one-line [`Failure`] that names the registry.

use crate::Options;
use crate::auth::{self, Challenge};
use crate::credentials::{self, Credentials};
use drydock_image::{ErrorKind, Failure, Reference};
use std::io::{self, Read};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use ureq::http::Response;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

pub(crate) type Reply = Response<ureq::Body>;

/// Manifests and indexes of both the OCI and the Docker flavour.
pub(crate) const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.docker.distribution.manifest.v2+json";
/// Tries per request (the first plus retries) on 429, 5xx and connection resets.
const MAX_ATTEMPTS: u32 = 4;
/// A `Retry-After` longer than this is cut short: a scan should fail rather than sleep.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// More redirects than this is a loop (blob downloads redirect once, to storage).
const MAX_REDIRECTS: u32 = 5;
/// Error bodies are read this far for the registry's own error code.
const ERROR_BODY_LIMIT: u64 = 4096;

pub(crate) struct Client {
    agent: ureq::Agent,
    scheme: &'static str,
    /// The host contacted, with port.
    host: String,
    /// The registry as the name gave it (`docker.io`), which credentials are stored under.
    registry: String,
    repository: String,
    opts: Options,
    /// Looked up on the first 401 only, so public images never run a credential helper.
    creds: OnceLock<Result<Option<Credentials>, Failure>>,
    /// The `Authorization` value that worked last (basic or bearer), shared by the
    /// threads downloading layers.
    authorization: Mutex<Option<String>>,
}

impl Client {
    pub(crate) fn new(reference: &Reference, opts: &Options) -> Result<Client, Failure> {
        let host = reference.endpoint().to_owned();
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(MAX_REDIRECTS)
            .timeout_connect(Some(opts.timeout))
            .timeout_recv_response(Some(opts.timeout))
            .timeout_per_read(Some(opts.timeout))
            .user_agent(concat!("drydock/", env!("CARGO_PKG_VERSION")));
        if !opts.insecure {
            config = config.https_only(true).tls_config(tls_config(opts)?);
        }
        Ok(Client {
            agent: config.build().into(),
            scheme: if opts.insecure { "http" } else { "https" },
            host,
            registry: reference.registry.clone(),
            repository: reference.repository.clone(),
            opts: opts.clone(),
            creds: OnceLock::new(),
            authorization: Mutex::new(None),
        })
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    pub(crate) fn repository(&self) -> &str {
        &self.repository
    }

    pub(crate) fn insecure(&self) -> bool {
        self.opts.insecure
    }

    pub(crate) fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// A failure of this registry: the message starts with its host.
    pub(crate) fn fail(&self, kind: ErrorKind, message: impl std::fmt::Display) -> Failure {
        Failure::new(kind, format!("registry {}: {message}", self.host))
    }

    pub(crate) fn debug(&self, line: impl std::fmt::Display) {
        if self.opts.debug {
            eprintln!("drydock: debug: {line}");
        }
    }

    pub(crate) fn credentials(&self) -> Result<Option<&Credentials>, Failure> {
        self.creds
            .get_or_init(|| credentials::lookup(&self.registry, &self.host, &self.opts))
            .as_ref()
            .map(Option::as_ref)
            .map_err(Clone::clone)
    }

    /// GETs `/v2/<repository>/<path>`; `what` names the object in errors. Succeeds
    /// with a 200 (or 206 for a range from `from`); 401s are answered once by
    /// authenticating, 429/5xx and resets are retried with backoff.
    pub(crate) fn get(
        &self,
        path: &str,
        what: &str,
        accept: Option<&str>,
        from: Option<u64>,
    ) -> Result<Reply, Failure> {
        let url = format!(
            "{}://{}/v2/{}/{path}",
            self.scheme, self.host, self.repository
        );
        let mut authenticated = false;
        let mut attempt = 0;
        loop {
            let sent_auth = self.authorization.lock().map_or(None, |a| a.clone());
            let mut req = self.agent.get(&url);
            if let Some(a) = accept {
                req = req.header("Accept", a);
            }
            if let Some(a) = &sent_auth {
                req = req.header("Authorization", a);
            }
            if let Some(start) = from {
                req = req.header("Range", format!("bytes={start}-"));
            }
            let reply = match req.call() {
                Ok(r) => r,
                Err(e) => {
                    self.debug(format_args!("GET {url} -> {e}"));
                    let (failure, retry) = self.transport(&e);
                    if retry && attempt + 1 < MAX_ATTEMPTS {
                        std::thread::sleep(backoff(attempt));
                        attempt += 1;
                        continue;
                    }
                    return Err(failure);
                }
            };
            let status = reply.status().as_u16();
            self.debug(format_args!("GET {url} -> {status}"));
            match status {
                200 | 206 => return Ok(reply),
                401 if !authenticated => {
                    let challenge = header(&reply, "www-authenticate")
                        .map(|h| Challenge::parse(&h))
                        .ok_or_else(|| {
                            self.fail(
                                ErrorKind::Auth,
                                format!("{what}: HTTP 401 without a WWW-Authenticate challenge"),
                            )
                        })?;
                    self.authenticate(&challenge, sent_auth.as_deref())?;
                    authenticated = true;
                }
                401 => return Err(self.rejected(what)),
                429 | 500..=599 if attempt + 1 < MAX_ATTEMPTS => {
                    let wait = retry_after(&reply)
                        .unwrap_or_else(|| backoff(attempt))
                        .min(MAX_RETRY_WAIT);
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                _ => return Err(self.status_failure(what, reply)),
            }
        }
    }

    /// Replaces the shared `Authorization` unless another thread already did since
    /// `sent` was read (then its answer is simply used).
    fn authenticate(&self, challenge: &Challenge, sent: Option<&str>) -> Result<(), Failure> {
        let mut current = self
            .authorization
            .lock()
            .map_err(|_| self.fail(ErrorKind::Io, "authentication state poisoned"))?;
        if current.as_deref() != sent {
            return Ok(());
        }
        *current = Some(auth::authorization(self, challenge)?);
        Ok(())
    }

    /// A 401 after authenticating: the credentials (or their absence) are the problem.
    fn rejected(&self, what: &str) -> Failure {
        let why = match self.credentials() {
            Ok(Some(c)) => format!("the credentials from {} were rejected", c.origin),
            _ => "credentials are required: give --username/--password (or DRYDOCK_USERNAME/DRYDOCK_PASSWORD) or `docker login`".to_owned(),
        };
        self.fail(
            ErrorKind::Auth,
            format!("{what}: authentication failed (HTTP 401): {why}"),
        )
    }

    fn status_failure(&self, what: &str, reply: Reply) -> Failure {
        let status = reply.status().as_u16();
        let detail = error_detail(reply);
        let (kind, label) = match status {
            404 => (ErrorKind::NotFound, "not found"),
            403 => (ErrorKind::Auth, "access denied"),
            429 => (
                ErrorKind::Transport { retryable: true },
                "rate limited (gave up after retries)",
            ),
            500..=599 => (
                ErrorKind::Transport { retryable: true },
                "server error (gave up after retries)",
            ),
            _ => (
                ErrorKind::Transport { retryable: false },
                "unexpected answer",
            ),
        };
        self.fail(kind, format!("{what}: {label} (HTTP {status}{detail})"))
    }

    /// What a failed request means, and whether trying again may help.
    pub(crate) fn transport(&self, e: &ureq::Error) -> (Failure, bool) {
        let retryable = |retry| ErrorKind::Transport { retryable: retry };
        match e {
            ureq::Error::Timeout(_) => (self.timed_out(), false),
            ureq::Error::Io(io) => self.io_failure(io),
            ureq::Error::HostNotFound => (
                self.fail(retryable(false), "cannot resolve the host name"),
                false,
            ),
            ureq::Error::ConnectionFailed => (
                self.fail(
                    retryable(false),
                    "cannot connect (is the registry running?)",
                ),
                false,
            ),
            ureq::Error::TooManyRedirects => (
                self.fail(
                    retryable(false),
                    format!("redirect loop (more than {MAX_REDIRECTS} redirects)"),
                ),
                false,
            ),
            ureq::Error::RequireHttpsOnly(_) => (
                self.fail(
                    retryable(false),
                    "redirected to plain HTTP; pass --insecure to allow it",
                ),
                false,
            ),
            other => (
                self.fail(retryable(false), with_hint(other.to_string())),
                false,
            ),
        }
    }

    /// Resets and aborted connections are retried; refusals are not (nothing listens).
    pub(crate) fn io_failure(&self, e: &io::Error) -> (Failure, bool) {
        use io::ErrorKind as K;
        if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
            return self.transport(inner);
        }
        match e.kind() {
            K::TimedOut | K::WouldBlock => (self.timed_out(), false),
            K::ConnectionRefused => (
                self.fail(
                    ErrorKind::Transport { retryable: false },
                    "connection refused (is the registry running?)",
                ),
                false,
            ),
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => (
                self.fail(
                    ErrorKind::Transport { retryable: true },
                    format!("connection lost: {e}"),
                ),
                true,
            ),
            _ => (
                self.fail(
                    ErrorKind::Transport { retryable: false },
                    with_hint(e.to_string()),
                ),
                false,
            ),
        }
    }

    fn timed_out(&self) -> Failure {
        self.fail(
            ErrorKind::Transport { retryable: true },
            format!(
                "timed out: no answer within {} s (--timeout)",
                self.opts.timeout.as_secs_f64()
            ),
        )
    }
}

/// TLS failures say what usually causes them.
fn with_hint(text: String) -> String {
    let hint = if text.contains("certificate") {
        " (a private CA? pass it with --ca-cert FILE)"
    } else if text.contains("corrupt message") || text.contains("InvalidContentType") {
        " (a plain-HTTP registry? pass --insecure)"
    } else {
        ""
    };
    format!("{text}{hint}")
}

/// System roots plus `--ca-cert`; Mozilla's roots when the system has none.
fn tls_config(opts: &Options) -> Result<TlsConfig, Failure> {
    let mut roots: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    if let Some(path) = &opts.ca_cert {
        let bad = |why: String| {
            Failure::new(
                ErrorKind::Io,
                format!("--ca-cert {}: {why}", path.display()),
            )
        };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let before = roots.len();
        for item in ureq::tls::parse_pem(&pem) {
            if let ureq::tls::PemItem::Certificate(c) = item.map_err(|e| bad(e.to_string()))? {
                roots.push(c);
            }
        }
        if roots.len() == before {
            return Err(bad("no PEM certificate in it".into()));
        }
    }
    let root_certs = if roots.is_empty() {
        RootCerts::WebPki
    } else {
        RootCerts::new_with_certs(&roots)
    };
    Ok(TlsConfig::builder().root_certs(root_certs).build())
}

pub(crate) fn header(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF * 2u32.pow(attempt)
}

/// `Retry-After` in seconds (the HTTP-date form falls back to backoff).
fn retry_after(reply: &Reply) -> Option<Duration> {
    header(reply, "retry-after")?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// `: CODE: message` from a distribution error body (`{"errors":[{code,message}]}`),
/// else the first line of a short text body.
fn error_detail(reply: Reply) -> String {
    let mut body = String::new();
    let _ = reply
        .into_body()
        .into_reader()
        .take(ERROR_BODY_LIMIT)
        .read_to_string(&mut body);
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<ErrorEntry>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorEntry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    if let Ok(Errors { errors }) = serde_json::from_str::<Errors>(&body)
        && let Some(e) = errors.first()
    {
        return format!(" {}: {}", e.code, e.message);
    }
    let line: String = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(160)
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!(": {line}")
    }
}
