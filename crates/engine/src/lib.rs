//! Reads an image from a container engine — Docker, or Podman's compatible API — over
//! its Unix socket: `GET /images/{name}/json` says whether the engine has the image and
//! which id the name resolves to, `GET /images/{id}/get` exports it as a `docker save`
//! tar.
//!
//! The export is spooled to an anonymous temporary file (created already unlinked in
//! `$TMPDIR`, so nothing is left behind even when drydock is killed) and read from there
//! like a docker-archive on disk: the archive's `manifest.json` comes last, after the
//! layers, so a single front-to-back pass could not know which members are layers, and
//! the layer reader wants random access. The image is never held in memory.

mod http;

use drydock_image::{ErrorKind, Image, OpenOptions};
use serde::Deserialize;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use drydock_image::Format;

/// Docker's socket, tried first when `DOCKER_HOST` is unset.
pub const DOCKER_SOCKET: &str = "/var/run/docker.sock";
/// Rootful Podman's API socket (`podman system service`, `podman.socket`).
pub const PODMAN_ROOT_SOCKET: &str = "/run/podman/podman.sock";

/// How to find and talk to the engine.
#[derive(Debug, Clone)]
pub struct Options {
    /// `DOCKER_HOST`: when set, the only engine tried; only `unix://PATH` is supported.
    pub docker_host: Option<String>,
    /// `XDG_RUNTIME_DIR`, where rootless Podman puts `podman/podman.sock`.
    pub runtime_dir: Option<PathBuf>,
    /// The longest wait for any one read or write on the socket.
    pub timeout: Duration,
    /// Where the export is spooled (an unnamed file; default the system's temp dir).
    pub spool_dir: PathBuf,
}

impl Options {
    /// From `DOCKER_HOST` and `XDG_RUNTIME_DIR`; the spool in `$TMPDIR`.
    pub fn from_env(timeout: Duration) -> Options {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        Options {
            docker_host: var("DOCKER_HOST").map(|v| v.to_string_lossy().into_owned()),
            runtime_dir: var("XDG_RUNTIME_DIR").map(PathBuf::from),
            timeout,
            spool_dir: std::env::temp_dir(),
        }
    }
}

/// An image the engine exported, opened (`image.repo_tags` are the engine's names).
pub struct Exported {
    pub image: Image,
    /// The socket it came from, as a URL: `unix:///var/run/docker.sock`.
    pub socket: String,
    /// What the engine resolved the name to (`Id`: the config digest).
    pub id: String,
    /// Registry digests the engine recorded (`name@sha256:…`); none for local builds.
    pub repo_digests: Vec<String>,
}

/// Why no engine served the image.
#[derive(Debug)]
pub enum Failed {
    /// The engine is absent or lacks the image: one `engine (socket): why` line per
    /// socket tried, so the next source may try.
    Unavailable(Vec<String>),
    /// The engine was asked to be used in a way drydock does not support, or it has the
    /// image and exporting or reading it failed: falling back to another source could
    /// scan a different image, so the scan ends here.
    Fatal(String),
}

/// The sockets to try: `DOCKER_HOST` alone when set, else Docker's, then rootless and
/// rootful Podman's (the order Trivy uses).
pub fn sockets(opts: &Options) -> Result<Vec<PathBuf>, String> {
    if let Some(host) = &opts.docker_host {
        return match host.strip_prefix("unix://") {
            Some(path) if !path.is_empty() => Ok(vec![PathBuf::from(path)]),
            _ => Err(format!(
                "DOCKER_HOST={host}: not supported (drydock reaches engines over unix:// sockets only; use --image-src registry or unset DOCKER_HOST)"
            )),
        };
    }
    let mut all = vec![PathBuf::from(DOCKER_SOCKET)];
    if let Some(dir) = &opts.runtime_dir {
        all.push(dir.join("podman/podman.sock"));
    }
    all.push(PathBuf::from(PODMAN_ROOT_SOCKET));
    all.dedup();
    Ok(all)
}

fn url(socket: &Path) -> String {
    format!("unix://{}", socket.display())
}

/// Asks each engine socket in turn for `name` (as the user wrote it: engines resolve
/// short names themselves) and opens the first export found.
pub fn export(name: &str, opts: &Options, open: &OpenOptions) -> Result<Exported, Failed> {
    let sockets = sockets(opts).map_err(Failed::Fatal)?;
    let (present, absent): (Vec<_>, Vec<_>) = sockets.iter().partition(|s| s.exists());
    let mut tried = Vec::new();
    if !absent.is_empty() {
        let names: Vec<String> = absent.iter().map(|s| url(s)).collect();
        tried.push(format!("engine ({}): no such socket", names.join(", ")));
    }
    for socket in present {
        match from_socket(socket, name, opts, open) {
            Ok(found) => return Ok(found),
            Err(Attempt::Next(why)) => tried.push(format!("engine ({}): {why}", url(socket))),
            Err(Attempt::Fatal(why)) => {
                return Err(Failed::Fatal(format!("engine ({}): {why}", url(socket))));
            }
        }
    }
    Err(Failed::Unavailable(tried))
}

enum Attempt {
    Next(String),
    Fatal(String),
}

/// The fields of `GET /images/{name}/json` drydock uses; Docker and Podman both send them.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Inspect {
    id: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    #[serde(default)]
    repo_digests: Option<Vec<String>>,
}

fn from_socket(
    socket: &Path,
    name: &str,
    opts: &Options,
    open: &OpenOptions,
) -> Result<Exported, Attempt> {
    let inspect: Inspect = {
        let target = format!("/images/{}/json", encode(name));
        let mut resp = request(socket, &target, opts)?;
        let body = read_small(&mut resp.body).map_err(|e| Attempt::Next(one_line(&e)))?;
        match resp.status {
            200 => serde_json::from_slice(&body).map_err(|e| {
                Attempt::Next(format!("GET {target}: not an image inspection: {e}"))
            })?,
            404 => return Err(Attempt::Next("not in the engine".into())),
            s => {
                return Err(Attempt::Next(format!(
                    "GET {target}: HTTP {s}: {}",
                    message(&body)
                )));
            }
        }
    };
    // Exporting by id, not by name, so a tag moved in between cannot swap the image.
    let target = format!("/images/{}/get", encode(&inspect.id));
    let resp = request(socket, &target, opts)?;
    if resp.status != 200 {
        let mut body = resp.body;
        let text = read_small(&mut body).unwrap_or_default();
        return Err(Attempt::Fatal(format!(
            "exporting {name} ({}): HTTP {}: {}",
            inspect.id,
            resp.status,
            message(&text)
        )));
    }
    let file = spool(resp.body, &opts.spool_dir).map_err(Attempt::Fatal)?;
    let mut image = Image::open_export(name, file, open).map_err(|e| {
        let why = format!("export of {name} ({}): {}", inspect.id, e.message);
        // A platform the engine's image is not: another source may have it.
        if e.kind == ErrorKind::NotFound {
            Attempt::Next(why)
        } else {
            Attempt::Fatal(why)
        }
    })?;
    // Classic stores (Docker's graph drivers, Podman) name images by their config's
    // digest; Docker's containerd store names them by manifest or index instead.
    if image.format == Format::DockerArchive
        && image.config_digest.as_deref() != Some(inspect.id.as_str())
    {
        return Err(Attempt::Fatal(format!(
            "export of {name}: the engine said image {} but exported config {}",
            inspect.id,
            image.config_digest.as_deref().unwrap_or("(none)")
        )));
    }
    image.format = Format::Engine;
    // The names `docker images` shows; an export by id carries none.
    image.repo_tags = inspect.repo_tags.unwrap_or_default();
    Ok(Exported {
        image,
        socket: url(socket),
        id: inspect.id,
        repo_digests: inspect.repo_digests.unwrap_or_default(),
    })
}

fn request(socket: &Path, target: &str, opts: &Options) -> Result<http::Response, Attempt> {
    http::get(socket, target, opts.timeout).map_err(|e| {
        Attempt::Next(match e.kind() {
            io::ErrorKind::ConnectionRefused => {
                "cannot connect: connection refused (is the engine running?)".into()
            }
            io::ErrorKind::PermissionDenied => {
                "cannot connect: permission denied (is this user allowed to use the engine?)".into()
            }
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                format!("GET {target}: no answer within {:?}", opts.timeout)
            }
            _ => format!("GET {target}: {}", one_line(&e)),
        })
    })
}

/// Copies the export into an unnamed file in `dir` and rewinds it.
fn spool(mut body: Box<dyn Read + Send>, dir: &Path) -> Result<std::fs::File, String> {
    let mut file = tempfile::tempfile_in(dir)
        .map_err(|e| format!("cannot create a spool file in {}: {e}", dir.display()))?;
    let mut copied = 0u64;
    let mut buf = vec![0u8; 256 << 10];
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("export cut after {copied} bytes: {}", one_line(&e))),
        };
        io::Write::write_all(&mut file, &buf[..n])
            .map_err(|e| format!("spooling the export to {}: {e}", dir.display()))?;
        copied += n as u64;
    }
    file.rewind()
        .map_err(|e| format!("spooling the export to {}: {e}", dir.display()))?;
    Ok(file)
}

/// Error bodies and inspections are small; more than this is not one.
fn read_small(body: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    body.take(8 << 20).read_to_end(&mut out)?;
    Ok(out)
}

/// The engine's `{"message": …}`, else the body's first line, at most 200 characters.
fn message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Message {
        message: String,
    }
    let text = match serde_json::from_slice::<Message>(body) {
        Ok(m) => m.message,
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}

fn one_line(e: &io::Error) -> String {
    e.to_string().replace('\n', " ")
}

/// Percent-encodes a name for the request path; `/`, `:` and `@` stay, as engines route
/// `/images/{name:.*}/json` on the raw path.
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(host: Option<&str>, runtime: Option<&str>) -> Options {
        Options {
            docker_host: host.map(str::to_owned),
            runtime_dir: runtime.map(PathBuf::from),
            timeout: Duration::from_secs(1),
            spool_dir: std::env::temp_dir(),
        }
    }

    #[test]
    fn docker_host_is_the_only_socket_when_set() {
        assert_eq!(
            sockets(&opts(Some("unix:///tmp/p.sock"), Some("/run/user/1"))).unwrap(),
            vec![PathBuf::from("/tmp/p.sock")]
        );
        for bad in [
            "tcp://127.0.0.1:2375",
            "ssh://host",
            "unix://",
            "/var/run/docker.sock",
        ] {
            let e = sockets(&opts(Some(bad), None)).unwrap_err();
            assert!(
                e.starts_with(&format!("DOCKER_HOST={bad}: not supported")),
                "{e}"
            );
        }
    }

    #[test]
    fn without_docker_host_docker_then_podman() {
        assert_eq!(
            sockets(&opts(None, Some("/run/user/1000"))).unwrap(),
            vec![
                PathBuf::from("/var/run/docker.sock"),
                PathBuf::from("/run/user/1000/podman/podman.sock"),
                PathBuf::from("/run/podman/podman.sock"),
            ]
        );
        assert_eq!(sockets(&opts(None, None)).unwrap().len(), 2);
    }

    #[test]
    fn a_missing_socket_is_a_reason_to_try_the_next_source() {
        let o = opts(Some("unix:///nonexistent/drydock.sock"), None);
        match export("alpine:3.10", &o, &OpenOptions::default()) {
            Err(Failed::Unavailable(tried)) => assert_eq!(
                tried,
                vec!["engine (unix:///nonexistent/drydock.sock): no such socket".to_owned()]
            ),
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn a_socket_nobody_listens_on_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dead.sock");
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        let o = opts(Some(&format!("unix://{}", path.display())), None);
        match export("alpine:3.10", &o, &OpenOptions::default()) {
            Err(Failed::Unavailable(tried)) => {
                assert_eq!(tried.len(), 1);
                assert!(
                    tried[0].ends_with("connection refused (is the engine running?)"),
                    "{}",
                    tried[0]
                );
            }
            other => panic!("{:?}", other.err()),
        }
    }

    /// Serves one canned answer per connection (in order) on a socket in `dir`, as a
    /// faulty engine would; returns the `DOCKER_HOST` to reach it.
    fn faulty_engine(dir: &Path, answers: Vec<Vec<u8>>) -> String {
        use std::io::{BufRead, BufReader, Write};
        let path = dir.join("faulty.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        std::thread::spawn(move || {
            for answer in answers {
                let (mut conn, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 2 {
                    line.clear();
                }
                let _ = conn.write_all(&answer);
            }
        });
        format!("unix://{}", path.display())
    }

    fn inspect_answer() -> Vec<u8> {
        let body = br#"{"Id":"sha256:aaaa","RepoTags":["x:1"],"RepoDigests":[]}"#;
        let mut a =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        a.extend_from_slice(body);
        a
    }

    #[test]
    fn an_export_cut_short_ends_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\nonly a few bytes"
            .to_vec();
        let host = faulty_engine(dir.path(), vec![inspect_answer(), cut]);
        let mut o = opts(Some(&host), None);
        o.spool_dir = dir.path().join("spool");
        std::fs::create_dir(&o.spool_dir).unwrap();
        match export("x:1", &o, &OpenOptions::default()) {
            Err(Failed::Fatal(why)) => assert_eq!(
                why,
                format!(
                    "engine ({host}): export cut after 16 bytes: chunked body: connection closed inside a chunk"
                )
            ),
            other => panic!("{:?}", other.err()),
        }
        // The spool file never had a name.
        assert_eq!(std::fs::read_dir(&o.spool_dir).unwrap().count(), 0);
    }

    #[test]
    fn an_engine_error_is_quoted_and_the_next_source_may_try() {
        let dir = tempfile::tempdir().unwrap();
        let body = br#"{"message":"storage is on fire"}"#;
        let mut answer = format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(body);
        let host = faulty_engine(dir.path(), vec![answer]);
        match export("x:1", &opts(Some(&host), None), &OpenOptions::default()) {
            Err(Failed::Unavailable(tried)) => assert_eq!(
                tried,
                vec![format!(
                    "engine ({host}): GET /images/x:1/json: HTTP 500: storage is on fire"
                )]
            ),
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn names_keep_their_separators() {
        assert_eq!(encode("localhost:5000/a/b:1.0"), "localhost:5000/a/b:1.0");
        assert_eq!(encode("alpine@sha256:ab"), "alpine@sha256:ab");
        assert_eq!(encode("a b?c#d%"), "a%20b%3Fc%23d%25");
    }

    #[test]
    fn engine_messages_are_one_short_line() {
        assert_eq!(
            message(br#"{"message":"No such image: x","cause":"y"}"#),
            "No such image: x"
        );
        assert_eq!(message(b"oops\nmore"), "oops");
        assert_eq!(message(&[b'a'; 500]).len(), 200);
    }
}
