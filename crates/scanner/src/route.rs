//! Stage 1, routing: which analyzer and detector gets which file, while layers stream.

use crate::skip::SkipPaths;
use drydock_detect::{SecretFinding, SecretScanner, SkippedCandidate};
use drydock_image::FileHandler;
use drydock_inventory::{
    Analysis, AnalyzeError, Analyzer, STREAM_CHUNK, STREAM_THRESHOLD, StreamAnalysis,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::io::Read;

/// What happened to one wanted file. Serialisable: a layer's outcomes are what the
/// layer cache keeps.
#[derive(Serialize, Deserialize)]
pub(crate) struct FileOutcome {
    /// Each wanting analyzer's name and result.
    pub(crate) analyses: Vec<(String, Result<Analysis, AnalyzeError>)>,
    pub(crate) secrets: Vec<SecretFinding>,
    pub(crate) secrets_skipped: Vec<SkippedCandidate>,
    /// The file's size when the secret scanner would have read it but for its size limit.
    pub(crate) secrets_too_large: Option<u64>,
    /// Kept for misconfiguration checks that read a file (`/etc/shadow`, ...).
    pub(crate) content: Option<Vec<u8>>,
    /// Set once a newer layer rewrote the file: [`FileOutcome::package_keys`] of the
    /// packages it listed, all its history is still read for (the packages are dropped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) superseded_packages: Option<Vec<u64>>,
}

impl FileOutcome {
    /// The [`package_key`] of every package the analyses list, sorted and deduplicated.
    pub(crate) fn package_keys(&self) -> Cow<'_, [u64]> {
        if let Some(keys) = &self.superseded_packages {
            return Cow::Borrowed(keys);
        }
        let mut keys: Vec<u64> = self
            .analyses
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .flat_map(|a| a.packages.iter())
            .map(|p| package_key(&p.name, &p.version))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Cow::Owned(keys)
    }

    fn lists_packages(&self) -> bool {
        self.analyses
            .iter()
            .any(|(_, r)| r.as_ref().is_ok_and(|a| !a.packages.is_empty()))
    }
}

/// A package's identity in a package DB's history, as one word instead of two strings:
/// 2,000 rewrites of a 1,000-package DB keep 16 MB of keys, not 2,000 parsed DBs. A
/// collision could only misattribute which layer introduced a package.
pub(crate) fn package_key(name: &str, version: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (name, version).hash(&mut h);
    h.finish()
}

/// Routes each file to the analyzers and detectors that want it.
pub(crate) struct Readers<'a> {
    pub(crate) analyzers: &'a [Box<dyn Analyzer>],
    pub(crate) secrets: Option<&'a SecretScanner>,
    pub(crate) misconfig: bool,
    pub(crate) debug: bool,
    /// `--skip-dirs` / `--skip-files`: such files are not wanted by anyone.
    pub(crate) skip: &'a SkipPaths,
}

impl FileHandler for Readers<'_> {
    type Output = FileOutcome;

    /// Large files go through the analyzers' bounded-memory readers when every reader
    /// that wants the file has one (big Go and Rust executables). A file wanted only to
    /// record that it is too large for the secret scanner is "streamed" without a read.
    fn streams(&self, path: &str, size: u64, mode: u32) -> bool {
        self.secrets_too_large(path, size).is_some()
            && self.wanting(path, size, mode).next().is_none()
            && !(self.misconfig && drydock_detect::wanted_files(path))
            || size >= STREAM_THRESHOLD
                && !self.secrets.is_some_and(|s| s.wants(path, size))
                && !(self.misconfig && drydock_detect::wanted_files(path))
                && self
                    .wanting(path, size, mode)
                    .all(|a| a.stream(path).is_some())
    }

    fn handle_stream(
        &self,
        path: &str,
        reader: &mut dyn Read,
        size: u64,
        mode: u32,
    ) -> std::io::Result<FileOutcome> {
        let mut states: Vec<(String, Box<dyn StreamAnalysis>)> = self
            .wanting(path, size, mode)
            .filter_map(|a| a.stream(path).map(|s| (a.name().to_owned(), s)))
            .collect();
        let too_large = self.secrets_too_large(path, size);
        let mut chunk = Vec::with_capacity(STREAM_CHUNK);
        // Nothing to analyze: only the start is read, to tell text from binary.
        let mut text = too_large.is_some();
        if states.is_empty() && text {
            reader
                .take(SecretScanner::SNIFF_BYTES as u64)
                .read_to_end(&mut chunk)?;
            text = !SecretScanner::looks_binary(&chunk);
        }
        let mut first = true;
        while !states.is_empty() {
            chunk.clear();
            // Every chunk but the last is exactly STREAM_CHUNK long, as analyzers expect.
            let n = reader.take(STREAM_CHUNK as u64).read_to_end(&mut chunk)?;
            if std::mem::take(&mut first) && text {
                text = !SecretScanner::looks_binary(&chunk);
            }
            for (_, state) in &mut states {
                state.feed(&chunk);
            }
            if n < STREAM_CHUNK {
                break;
            }
        }
        Ok(FileOutcome {
            analyses: states
                .into_iter()
                .map(|(name, state)| (name, state.finish()))
                .collect(),
            secrets: Vec::new(),
            secrets_skipped: Vec::new(),
            // Binary files are never scanned for secrets, so nothing is missing from them.
            secrets_too_large: too_large.filter(|_| text),
            content: None,
            superseded_packages: None,
        })
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        if self.skip.skips(path) {
            return false;
        }
        self.analyzers.iter().any(|a| a.wants(path, size, mode))
            || self
                .secrets
                .is_some_and(|s| s.wants(path, size) || s.too_large(path, size))
            || (self.misconfig && drydock_detect::wanted_files(path))
    }

    fn handle(&self, path: &str, content: &[u8], mode: u32) -> FileOutcome {
        let size = content.len() as u64;
        let (secrets, secrets_skipped) = match self.secrets.filter(|s| s.wants(path, size)) {
            Some(scanner) if self.debug => {
                let report = scanner.scan_debug(path, content);
                (report.findings, report.skipped)
            }
            Some(scanner) => (scanner.scan(path, content), Vec::new()),
            None => (Vec::new(), Vec::new()),
        };
        FileOutcome {
            analyses: self
                .wanting(path, size, mode)
                .map(|a| (a.name().to_owned(), a.analyze(path, content)))
                .collect(),
            secrets,
            secrets_skipped,
            secrets_too_large: self
                .secrets_too_large(path, size)
                .filter(|_| !SecretScanner::looks_binary(content)),
            content: (self.misconfig && drydock_detect::wanted_files(path))
                .then(|| content.to_vec()),
            superseded_packages: None,
        }
    }

    /// An outcome with no analysis (which may have found nothing, but says a package DB
    /// was seen), no secret, no size note and no kept content has nothing to report.
    fn keeps(&self, o: &FileOutcome) -> bool {
        !o.analyses.is_empty()
            || !o.secrets.is_empty()
            || !o.secrets_skipped.is_empty()
            || o.secrets_too_large.is_some()
            || o.content.is_some()
    }

    fn compacts(&self, output: &FileOutcome) -> bool {
        output.lists_packages()
    }

    /// Keeps the package keys and the secrets (a secret in a rewritten file is still in
    /// the image); drops the packages and the analyses' other products, which only the
    /// current version of a file contributes.
    fn supersede(&self, output: &mut FileOutcome) {
        if output.superseded_packages.is_some() {
            return;
        }
        output.superseded_packages = Some(output.package_keys().into_owned());
        for (_, result) in &mut output.analyses {
            if let Ok(a) = result {
                *a = Analysis::default();
            }
        }
        output.content = None;
    }
}

impl Readers<'_> {
    fn secrets_too_large(&self, path: &str, size: u64) -> Option<u64> {
        self.secrets
            .is_some_and(|s| s.too_large(path, size))
            .then_some(size)
    }

    fn wanting(&self, path: &str, size: u64, mode: u32) -> impl Iterator<Item = &dyn Analyzer> {
        self.analyzers
            .iter()
            .map(AsRef::as_ref)
            .filter(move |a| a.wants(path, size, mode))
    }
}
