//! dpkg databases: `var/lib/dpkg/status`, distroless `status.d/<pkg>` and `info/<pkg>.list`.

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind, StreamAnalysis, control};
use std::sync::Arc;

const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";
const INFO: &str = "var/lib/dpkg/info/";

/// Reads dpkg's installed-package database in its three on-disk shapes.
#[derive(Debug, Clone, Copy, Default)]
pub struct DpkgAnalyzer;

impl Analyzer for DpkgAnalyzer {
    fn name(&self) -> &'static str {
        "dpkg"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        if path == STATUS {
            return true;
        }
        if let Some(name) = path.strip_prefix(STATUS_D) {
            // Distroless keeps `<pkg>.md5sums` next to each control file; those are not stanzas.
            return !name.is_empty() && !name.contains('/') && !name.ends_with(".md5sums");
        }
        if let Some(name) = path.strip_prefix(INFO) {
            return name.len() > ".list".len() && !name.contains('/') && name.ends_with(".list");
        }
        false
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        if let Some(list) = path
            .strip_prefix(INFO)
            .and_then(|n| n.strip_suffix(".list"))
        {
            // `<pkg>:<arch>.list` for Multi-Arch: same packages; the owner is the bare name.
            let pkg = list.split_once(':').map_or(list, |(name, _arch)| name);
            let files = parse_list(&String::from_utf8_lossy(content));
            return Ok(Analysis {
                owned_files: Some((pkg.to_owned(), files)),
                ..Analysis::default()
            });
        }
        // Only the main status file records install state; a status.d file is a bare
        // control file that never carries `Status`.
        // Sized up front: growing a million-entry Vec briefly holds it twice.
        let count = memchr::memmem::find_iter(content, b"\nPackage:").count() + 1;
        let mut parser = StatusParser::new(path, path == STATUS, count);
        parser.paragraphs(content, 0)?;
        Ok(parser.finish())
    }

    /// The main status file of a big install is read as it streams; `info` lists and
    /// `status.d` files are small.
    fn stream(&self, path: &str) -> Option<Box<dyn StreamAnalysis>> {
        (path == STATUS).then(|| {
            Box::new(StatusStream {
                parser: StatusParser::new(path, true, 0),
                pending: Vec::new(),
                scanned: 0,
                lines_before: 0,
                error: None,
            }) as Box<dyn StreamAnalysis>
        })
    }
}

/// Reads the paragraphs of a status file or a status.d control file into installed packages.
///
/// Paragraphs without `Package` or `Version`, or with a version dpkg rejects, are skipped.
/// With `needs_status` (the main status file) a paragraph without `Status` is not installed,
/// as dpkg reads it; distroless `status.d` files are bare control files that never carry one.
struct StatusParser {
    /// Shared by every package of the file, as `location`.
    path: Arc<str>,
    needs_status: bool,
    packages: Vec<Package>,
    /// The architectures seen so far (a DB has a handful), shared by their packages.
    arches: Vec<Arc<str>>,
}

impl StatusParser {
    fn new(path: &str, needs_status: bool, capacity: usize) -> Self {
        Self {
            path: path.into(),
            needs_status,
            packages: Vec::with_capacity(capacity),
            arches: Vec::new(),
        }
    }

    /// Reads whole paragraphs; `lines_before` numbers the lines of errors.
    fn paragraphs(&mut self, content: &[u8], lines_before: usize) -> Result<(), AnalyzeError> {
        // Old packages may carry Latin-1 in Maintainer/Description; lossy decoding keeps the
        // file readable and only touches fields we do not keep.
        let text = String::from_utf8_lossy(content);
        control::for_each(&text, lines_before, |p| self.paragraph(p))
            .map_err(|m| AnalyzeError::new(&self.path, m))
    }

    fn paragraph(&mut self, p: &control::Paragraph<'_>) {
        let (Some(name), Some(version)) = (p.get("Package"), p.get("Version")) else {
            return;
        };
        if name.is_empty() || !valid_version(version) {
            return;
        }
        match p.get("Status") {
            // "want flag status", e.g. `install ok installed` or `deinstall ok config-files`.
            Some(status) if status.split_whitespace().nth(2) != Some("installed") => return,
            None if self.needs_status => return,
            _ => {}
        }
        let (source_name, source_version) = match p.get("Source") {
            Some(src) if !src.is_empty() => match src.split_once('(') {
                Some((n, rest)) => {
                    let v = rest.trim_end().trim_end_matches(')').trim();
                    (n.trim(), if v.is_empty() { version } else { v })
                }
                None => (src, version),
            },
            _ => (name, version),
        };
        let arch = p
            .get("Architecture")
            .filter(|a| !a.is_empty())
            .map(|a| self.arch(a));
        let name: Arc<str> = name.into();
        let version: Arc<str> = version.into();
        // A package that is its own source shares its strings with it.
        let share = |own: &Arc<str>, given: &str| {
            if **own == *given {
                Arc::clone(own)
            } else {
                given.into()
            }
        };
        self.packages.push(Package {
            kind: PackageKind::Dpkg,
            source_name: Some(share(&name, source_name)),
            source_version: Some(share(&version, source_version)),
            name,
            version,
            arch,
            licenses: Box::default(),
            files: Box::default(),
            location: Arc::clone(&self.path),
            layer: None,
            purl: None,
            dev: false,
            lockfile: false,
            indirect: false,
            confidence: None,
        });
    }

    fn arch(&mut self, arch: &str) -> Arc<str> {
        if let Some(known) = self.arches.iter().find(|a| ***a == *arch) {
            return Arc::clone(known);
        }
        let arch: Arc<str> = arch.into();
        self.arches.push(Arc::clone(&arch));
        arch
    }

    fn finish(mut self) -> Analysis {
        self.packages.shrink_to_fit();
        Analysis::of(self.packages)
    }
}

/// A large status file read a paragraph at a time: only the unfinished paragraph at the
/// end of what was fed is kept, not the file (a million packages are 151 MB of text).
struct StatusStream {
    parser: StatusParser,
    /// Bytes after the last blank line seen so far.
    pending: Vec<u8>,
    /// Offset in `pending` of the first line not yet looked at.
    scanned: usize,
    /// Lines of the file before `pending`.
    lines_before: usize,
    error: Option<AnalyzeError>,
}

impl StreamAnalysis for StatusStream {
    fn feed(&mut self, chunk: &[u8]) {
        if self.error.is_some() {
            return;
        }
        self.pending.extend_from_slice(chunk);
        // Everything up to the end of the last blank line is whole paragraphs; a paragraph
        // never spans a blank line, so reading them now reads them as the whole file would.
        let mut cut = 0;
        while let Some(n) = memchr::memchr(b'\n', &self.pending[self.scanned..]) {
            let end = self.scanned + n;
            if self.pending[self.scanned..end].trim_ascii().is_empty() {
                cut = end + 1;
            }
            self.scanned = end + 1;
        }
        if cut == 0 {
            return;
        }
        if let Err(e) = self
            .parser
            .paragraphs(&self.pending[..cut], self.lines_before)
        {
            self.error = Some(e);
            self.pending = Vec::new();
            return;
        }
        self.lines_before += memchr::memchr_iter(b'\n', &self.pending[..cut]).count();
        self.pending.drain(..cut);
        self.scanned -= cut;
    }

    fn finish(mut self: Box<Self>) -> Result<Analysis, AnalyzeError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let pending = std::mem::take(&mut self.pending);
        self.parser.paragraphs(&pending, self.lines_before)?;
        Ok(self.parser.finish())
    }
}

/// A version `dpkg --validate-version` accepts (Debian Policy 5.6.12): `[epoch:]upstream
/// [-revision]` with a numeric epoch, an upstream part that starts with a digit and holds
/// only alphanumerics and `.+~-:`, and a non-empty revision of alphanumerics and `.+~`.
fn valid_version(v: &str) -> bool {
    let (epoch, rest) = match v.split_once(':') {
        Some((e, rest)) => (Some(e), rest),
        None => (None, v),
    };
    if epoch.is_some_and(|e| e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, Some(r)),
        None => (rest, None),
    };
    let allowed = |s: &str, extra: &[u8]| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    };
    upstream.starts_with(|c: char| c.is_ascii_digit())
        && allowed(upstream, b".+~-:")
        && revision.is_none_or(|r| !r.is_empty() && allowed(r, b".+~"))
}

/// Files listed in an `info/<pkg>.list`, without the directories.
///
/// The list names directories too, each before its contents; a line is taken for a directory when
/// the next line lies beneath it (the same rule Trivy uses). An empty directory a package ships
/// is therefore reported as a file, which is harmless for ownership lookups.
fn parse_list(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && *l != "/.")
        .collect();
    let mut files = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let is_dir = lines.get(i + 1).is_some_and(|next| {
            next.strip_prefix(line)
                .is_some_and(|rest| rest.starts_with('/'))
        });
        if !is_dir {
            files.push((*line).to_owned());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &Analysis) -> Vec<(String, String)> {
        a.packages
            .iter()
            .map(|p| (p.name.to_string(), p.version.to_string()))
            .collect()
    }

    #[test]
    fn wants_only_dpkg_files() {
        let a = DpkgAnalyzer;
        assert!(a.wants("var/lib/dpkg/status", 0, 0o644));
        assert!(a.wants("var/lib/dpkg/status.d/libc6", 0, 0o644));
        assert!(a.wants("var/lib/dpkg/info/bash.list", 0, 0o644));
        assert!(a.wants("var/lib/dpkg/info/zlib1g:amd64.list", 0, 0o644));
        assert!(!a.wants("var/lib/dpkg/status-old", 0, 0o644));
        assert!(!a.wants("var/lib/dpkg/status.d/libc6.md5sums", 0, 0o644));
        assert!(!a.wants("var/lib/dpkg/status.d/", 0, 0o644));
        assert!(!a.wants("var/lib/dpkg/info/bash.md5sums", 0, 0o644));
        assert!(!a.wants("var/lib/dpkg/info/.list", 0, 0o644));
        assert!(!a.wants("usr/var/lib/dpkg/status", 0, 0o644));
        assert!(!a.wants("/var/lib/dpkg/status", 0, 0o644));
    }

    #[test]
    fn status_file_keeps_only_installed() {
        // Hand-written: a installed with Source+version, b removed (config-files),
        // c half-installed, d installed without Source, e with Source but no version.
        let text = "Package: a\nStatus: install ok installed\nSource: a-src (1.0-1)\nVersion: 1:1.0-1+b1\nArchitecture: amd64\nDescription: x\n y\n\n\
Package: b\nStatus: deinstall ok config-files\nVersion: 2\n\n\
Package: c\nStatus: install reinstreq half-installed\nVersion: 3\n\n\
Package: d\nStatus: install ok installed\nVersion: 4\nArchitecture: all\n\n\
Package: e\nStatus: install ok installed\nVersion: 5-1\nSource: esrc\n";
        let a = DpkgAnalyzer.analyze(STATUS, text.as_bytes()).unwrap();
        assert_eq!(
            names(&a),
            [("a", "1:1.0-1+b1"), ("d", "4"), ("e", "5-1")].map(|(n, v)| (n.into(), v.into()))
        );
        let p = &a.packages[0];
        assert_eq!(p.source_name.as_deref(), Some("a-src"));
        assert_eq!(p.source_version.as_deref(), Some("1.0-1"));
        assert_eq!(p.arch.as_deref(), Some("amd64"));
        assert_eq!(&*p.location, STATUS);
        assert_eq!(p.kind, PackageKind::Dpkg);
        assert_eq!(a.packages[1].source_name.as_deref(), Some("d"));
        assert_eq!(a.packages[1].source_version.as_deref(), Some("4"));
        assert_eq!(a.packages[2].source_name.as_deref(), Some("esrc"));
        assert_eq!(a.packages[2].source_version.as_deref(), Some("5-1"));
    }

    #[test]
    fn crlf_blank_runs_no_final_newline_and_incomplete_stanza() {
        let text = "Package: x\r\nVersion: 1\r\n\r\n\r\n\r\nPackage: noversion\r\n\r\nVersion: 9\r\n\r\nPackage: y\r\nVersion: 2";
        let a = DpkgAnalyzer
            .analyze("var/lib/dpkg/status.d/x", text.as_bytes())
            .unwrap();
        assert_eq!(
            names(&a),
            [("x", "1"), ("y", "2")].map(|(n, v)| (n.into(), v.into()))
        );
    }

    /// Feeds `content` to the streaming reader in pieces of `size` bytes.
    fn streamed(content: &[u8], size: usize) -> Result<Analysis, AnalyzeError> {
        let mut s = DpkgAnalyzer.stream(STATUS).unwrap();
        for piece in content.chunks(size) {
            s.feed(piece);
        }
        s.finish()
    }

    #[test]
    fn streamed_status_reads_as_the_whole_file() {
        // Copied from Debian 12 (testdata/os/debian-slim): 1,987 lines, paragraphs cut
        // anywhere, even inside a line or a CRLF pair.
        let content = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/os/debian-slim/var/lib/dpkg/status"
        ))
        .unwrap();
        let whole = DpkgAnalyzer.analyze(STATUS, &content).unwrap();
        assert!(whole.packages.len() > 50);
        for size in [1, 7, 4096, content.len()] {
            assert_eq!(streamed(&content, size).unwrap(), whole, "pieces of {size}");
        }
        let crlf = String::from_utf8(content).unwrap().replace('\n', "\r\n");
        assert_eq!(streamed(crlf.as_bytes(), 3).unwrap(), whole);
    }

    #[test]
    fn streamed_error_names_the_line_of_the_file() {
        let text =
            "Package: a\nStatus: install ok installed\nVersion: 1\n\n  \nPackage: b\nnot a field\n";
        let whole = DpkgAnalyzer.analyze(STATUS, text.as_bytes()).unwrap_err();
        assert_eq!(whole.message, "line 7: expected \"Field: value\"");
        for size in [1, 5, text.len()] {
            assert_eq!(
                streamed(text.as_bytes(), size).unwrap_err().message,
                whole.message
            );
        }
    }

    #[test]
    fn not_a_control_file_is_an_error() {
        let err = DpkgAnalyzer
            .analyze(STATUS, b"\x7fELF binary junk\n")
            .unwrap_err();
        assert_eq!(err.path, STATUS);
    }

    #[test]
    fn list_file_drops_directories_and_arch_suffix() {
        // Copied from Debian 12 zlib1g:amd64.list (testdata/os/debian-slim).
        let content = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/os/debian-slim/var/lib/dpkg/info/zlib1g:amd64.list"
        ))
        .unwrap();
        let a = DpkgAnalyzer
            .analyze("var/lib/dpkg/info/zlib1g:amd64.list", &content)
            .unwrap();
        let (pkg, files) = a.owned_files.unwrap();
        assert_eq!(pkg, "zlib1g");
        assert_eq!(
            files,
            [
                "/lib/x86_64-linux-gnu/libz.so.1.2.13",
                "/usr/share/doc/zlib1g/changelog.Debian.gz",
                "/usr/share/doc/zlib1g/changelog.gz",
                "/usr/share/doc/zlib1g/copyright",
                "/lib/x86_64-linux-gnu/libz.so.1",
            ]
        );
        assert!(a.packages.is_empty());
    }
}
