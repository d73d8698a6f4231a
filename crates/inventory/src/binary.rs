//! Programs identified by the version string compiled into them, for images that carry
//! no package metadata for them (distroless, scratch, `COPY --from` builds): busybox,
//! OpenSSL's libcrypto, Node.js, CPython, the OpenJDK launcher, nginx and Redis. Each is
//! picked by file name, so `wants` stays a few string comparisons; the packages it finds
//! carry `confidence: binary`.

use crate::{Analysis, AnalyzeError, Analyzer, Identification, Package, PackageKind};

pub struct BinaryClassifier;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Program {
    Busybox,
    OpenSsl,
    Node,
    /// `python3.11`, `libpython3.11.so.1.0`: the name carries major.minor.
    Python,
    Java,
    Nginx,
    Redis,
}

/// Bytes read after a marker: every version string here is far shorter.
const AFTER: usize = 64;
/// Programs whose version needs the whole file are not read past this size when streamed.
const WHOLE_LIMIT: usize = 64 << 20;

fn program(path: &str) -> Option<Program> {
    let file = path.rsplit('/').next().unwrap_or(path);
    Some(match file {
        "busybox" => Program::Busybox,
        "node" | "nodejs" => Program::Node,
        "java" => Program::Java,
        "nginx" => Program::Nginx,
        "redis-server" | "redis-check-rdb" => Program::Redis,
        _ if file.starts_with("libcrypto.so") || file.starts_with("libcrypto-") => Program::OpenSsl,
        _ if file.starts_with("libnode.so") => Program::Node,
        _ if python_series(file).is_some() => Program::Python,
        _ => return None,
    })
}

/// `3.11` from `python3.11`, `libpython3.11.so.1.0` or `libpython3.11d.so`.
fn python_series(file: &str) -> Option<&str> {
    let rest = file
        .strip_prefix("libpython")
        .filter(|r| r.contains(".so"))
        .or_else(|| file.strip_prefix("python"))?;
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(rest.len());
    let series = rest[..end].trim_end_matches('.');
    let (major, minor) = series.split_once('.')?;
    let tail = &rest[series.len()..];
    // `python3.11-config` is a script; only the interpreter or the library.
    let ok_tail = tail.is_empty()
        || tail.starts_with(".so")
        || tail.starts_with("d.so")
        || tail.starts_with("m.so");
    (!major.is_empty() && !minor.is_empty() && !minor.contains('.') && ok_tail).then_some(series)
}

impl Analyzer for BinaryClassifier {
    fn name(&self) -> &'static str {
        "binary-classifier"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, size: u64, _mode: u32) -> bool {
        size > 1024 && program(path).is_some()
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let Some(program) = program(path) else {
            return Ok(Analysis::default());
        };
        let found = match marker(program, path) {
            Some((needle, parse)) => memchr::memmem::find_iter(content, &needle)
                .find_map(|at| parse(tail(content, at + needle.len())))
                .map(|f| package_for(program, path, f)),
            None => whole(program, content).map(|(n, v)| package(&n, &v, path)),
        };
        Ok(Analysis::of(found.into_iter().collect()))
    }

    fn stream(&self, path: &str) -> Option<Box<dyn crate::StreamAnalysis>> {
        let program = program(path)?;
        Some(Box::new(Stream {
            path: path.to_owned(),
            program,
            marker: marker(program, path),
            carry: Vec::new(),
            whole: Vec::new(),
            found: None,
        }))
    }
}

fn tail(content: &[u8], from: usize) -> &[u8] {
    content
        .get(from..(from + AFTER).min(content.len()))
        .unwrap_or_default()
}

fn package(name: &str, version: &str, path: &str) -> Package {
    let mut p = Package::app(PackageKind::Binary, name, version, path);
    p.confidence = Some(Identification::Binary);
    p
}

type Parse = fn(&[u8]) -> Option<(String, String)>;

/// The marker a version follows, and how to read it; `None` for programs read whole.
fn marker(program: Program, path: &str) -> Option<(Vec<u8>, Parse)> {
    let file = path.rsplit('/').next().unwrap_or(path);
    Some(match program {
        // `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)`
        Program::Busybox => (b"BusyBox v".to_vec(), |b| {
            named("busybox", version_until(b, b" ")?)
        }),
        // `OpenSSL 3.0.22 25 Aug 2026`, `OpenSSL 1.1.1w  11 Sep 2023`: a date follows.
        Program::OpenSsl => (b"OpenSSL ".to_vec(), |b| {
            let v = version_until(b, b" ")?;
            let date = b.get(v.len()..)?.iter().position(|c| *c != b' ')?;
            b.get(v.len() + date)?
                .is_ascii_digit()
                .then(|| ("openssl".into(), v.into()))
        }),
        Program::Node => (b"https://nodejs.org/download/release/v".to_vec(), |b| {
            named("node", version_until(b, b"/")?)
        }),
        Program::Nginx => (b"nginx version: nginx/".to_vec(), |b| {
            named("nginx", version_until(b, b"\0 \n")?)
        }),
        // `Py_GetVersion` prints a NUL-terminated `3.11.2` (or `3.13.0rc1`) on its own.
        Program::Python => {
            let mut needle = vec![0];
            needle.extend_from_slice(python_series(file)?.as_bytes());
            needle.push(b'.');
            let parse: Parse = |b| {
                let end = b.iter().position(|c| *c == 0)?;
                let rest = std::str::from_utf8(&b[..end]).ok()?;
                let ok = !rest.is_empty()
                    && rest.starts_with(|c: char| c.is_ascii_digit())
                    && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '+');
                ok.then(|| rest.to_owned())
                    .map(|patch| ("python".into(), patch))
            };
            (needle, parse)
        }
        Program::Java | Program::Redis => return None,
    })
}

/// The package for what a marker's parser read: Python's marker holds the series, which
/// goes back in front of the patch level it found.
fn package_for(program: Program, path: &str, (name, version): (String, String)) -> Package {
    let file = path.rsplit('/').next().unwrap_or(path);
    match (program, python_series(file)) {
        (Program::Python, Some(series)) => package(&name, &format!("{series}.{version}"), path),
        _ => package(&name, &version, path),
    }
}

fn named(name: &str, version: &str) -> Option<(String, String)> {
    Some((name.to_owned(), version.to_owned()))
}

/// The version at the start of `b`: digits first, then version characters, up to one of
/// `stops` (or any other byte a version cannot hold).
fn version_until<'a>(b: &'a [u8], stops: &[u8]) -> Option<&'a str> {
    let end = b
        .iter()
        .position(|c| {
            stops.contains(c)
                || !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+' | b'~'))
        })
        .unwrap_or(b.len());
    let v = std::str::from_utf8(&b[..end]).ok()?;
    (v.starts_with(|c: char| c.is_ascii_digit()) && v.contains('.')).then_some(v)
}

/// NUL-delimited strings of a file, as a C compiler lays out literals.
fn c_strings(content: &[u8]) -> impl Iterator<Item = &str> {
    content
        .split(|b| *b == 0)
        .filter(|s| (3..=64).contains(&s.len()))
        .filter_map(|s| std::str::from_utf8(s).ok())
}

fn is_dotted(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn whole(program: Program, content: &[u8]) -> Option<(String, String)> {
    match program {
        // The launcher's FULL_VERSION, `17.0.21.1+2-1-deb12u1-Debian` or `21.0.2+13-LTS`:
        // what `java -version` prints is the part before `+`.
        Program::Java => {
            let full = c_strings(content).find(|s| {
                s.split_once('+').is_some_and(|(v, build)| {
                    is_dotted(v) && build.starts_with(|c: char| c.is_ascii_digit())
                })
            })?;
            let vendor = if memchr::memmem::find(content, b"\0openjdk\0").is_some() {
                "openjdk"
            } else {
                "java"
            };
            named(vendor, full.split('+').next()?)
        }
        // `REDIS_VERSION` is a NUL-terminated literal, and also the start of the build-id
        // literal (version, build id, dirty flag and SHA-1 run together, packed after
        // other constants); of the plain dotted literals (command tables hold many
        // `since` versions), the longest that starts such a run is the version.
        Program::Redis => {
            memchr::memmem::find(content, b"redis_version:")?;
            let mut candidates: Vec<&str> = c_strings(content).filter(|s| is_dotted(s)).collect();
            candidates.sort_unstable_by_key(|v| std::cmp::Reverse(v.len()));
            candidates.dedup();
            let starts_build_id = |v: &str| {
                memchr::memmem::find_iter(content, v.as_bytes()).any(|at| {
                    let after = &content[at + v.len()..];
                    let run = after
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                        .count();
                    run >= 9 && after.get(run) == Some(&0)
                })
            };
            named(
                "redis",
                candidates.into_iter().find(|v| starts_build_id(v))?,
            )
        }
        _ => None,
    }
}

/// A large file read in chunks: markers are searched across chunk boundaries; programs
/// read whole are kept up to [`WHOLE_LIMIT`].
struct Stream {
    path: String,
    program: Program,
    marker: Option<(Vec<u8>, Parse)>,
    /// The last bytes of the previous chunk, so a marker and its version may straddle two.
    carry: Vec<u8>,
    whole: Vec<u8>,
    found: Option<(String, String)>,
}

impl crate::StreamAnalysis for Stream {
    fn feed(&mut self, chunk: &[u8]) {
        if self.found.is_some() {
            return;
        }
        let Some((needle, parse)) = &self.marker else {
            if self.whole.len() + chunk.len() <= WHOLE_LIMIT {
                self.whole.extend_from_slice(chunk);
            }
            return;
        };
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(chunk);
        self.found = memchr::memmem::find_iter(&joined, needle)
            .find_map(|at| parse(tail(&joined, at + needle.len())));
        let keep = needle.len() + AFTER;
        self.carry = joined[joined.len().saturating_sub(keep)..].to_vec();
    }

    fn finish(self: Box<Self>) -> Result<Analysis, AnalyzeError> {
        let found = match &self.marker {
            Some(_) => self.found.map(|f| package_for(self.program, &self.path, f)),
            None => whole(self.program, &self.whole).map(|(n, v)| package(&n, &v, &self.path)),
        };
        Ok(Analysis::of(found.into_iter().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_programs_by_name() {
        for (path, want) in [
            ("bin/busybox", Some(Program::Busybox)),
            (
                "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
                Some(Program::OpenSsl),
            ),
            ("usr/local/bin/python3.12", Some(Program::Python)),
            ("usr/lib/libpython3.11.so.1.0", Some(Program::Python)),
            ("usr/bin/python3.11-config", None),
            ("usr/bin/python3", None),
            ("usr/local/bin/node", Some(Program::Node)),
            ("opt/java/openjdk/bin/java", Some(Program::Java)),
            ("usr/sbin/nginx", Some(Program::Nginx)),
            ("usr/local/bin/redis-server", Some(Program::Redis)),
            ("usr/bin/redis-cli", None),
            ("usr/lib/libssl.so.3", None),
        ] {
            assert_eq!(program(path), want, "{path}");
        }
        assert_eq!(python_series("python3.11"), Some("3.11"));
        assert!(!BinaryClassifier.wants("bin/busybox", 100, 0o755));
    }

    #[test]
    fn markers_across_chunks_and_garbage() {
        let mut data = vec![b'x'; 3000];
        data.extend_from_slice(b"\0BusyBox v1.36.1 (2023-01-01) multi-call\0");
        let split = 3000 + 5;
        let mut s = BinaryClassifier.stream("bin/busybox").unwrap();
        s.feed(&data[..split]);
        s.feed(&data[split..]);
        let a = s.finish().unwrap();
        assert_eq!(&*a.packages[0].version, "1.36.1");
        assert_eq!(a.packages[0].confidence, Some(Identification::Binary));
        let junk = BinaryClassifier
            .analyze("bin/busybox", &[0xff; 4096])
            .unwrap();
        assert!(junk.packages.is_empty());
        let fake = BinaryClassifier
            .analyze("usr/bin/redis-server", b"redis_version:\0\x007.2.4\0")
            .unwrap();
        assert!(fake.packages.is_empty(), "no build id: no version");
    }
}
