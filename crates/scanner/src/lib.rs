//! The scan pipeline: image -> streamed layers -> analyzers and detectors -> one report.
//!
//! This is the only place that knows both the image reader and what reads files, so
//! each of those stays usable on its own.

mod date;

pub use date::today;

use drydock_detect::{
    ConfigFacts, FileCheckOptions, FileFact, HistoryEntry, Misconfig, SecretConfig, SecretFinding,
    SecretScanner, SkippedCandidate,
};
use drydock_image::{EntryKind, FileHandler, FileView, Image, ImageConfig, WalkOptions, Walked};
use drydock_inventory::{
    Analysis, AnalyzeError, Analyzer, LayerRef, OsInfo, OsRelease, Package, PackageKind,
};
use drydock_inventory::{STREAM_CHUNK, STREAM_THRESHOLD, StreamAnalysis};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// Bumped whenever a field changes meaning or disappears (additions do not bump it).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Release files whose symlinks must be followed (Debian's `/etc/os-release` points
/// into `/usr/lib`).
const RELEASE_LINKS: &[&str] = &["etc/os-release", "etc/system-release", "etc/redhat-release"];

/// The check for setuid/setgid files (see [`misconfigs`]).
const SETUID_CHECK: &str = "DD-CFG-012";

/// The analyzer that reads release files rather than a package database.
const RELEASE_ANALYZER: &str = "os-release";

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub artifact: Artifact,
    /// None when no release file was found.
    pub os: Option<OsInfo>,
    pub layers: Vec<LayerInfo>,
    pub packages: Vec<Package>,
    /// Whiteouts applied while merging layers, with how many lower-layer entries each hid.
    pub whiteouts: Vec<drydock_image::WhiteoutApplied>,
    /// Present when the vulnerability scanner ran; sorted most urgent first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Vec<drydock_matcher::Finding>>,
    /// Present when the secret scanner ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretReport>>,
    /// With `--debug`: secret candidates that were not reported, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets_skipped: Option<Vec<SkippedCandidate>>,
    /// Present when the misconfiguration scanner ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misconfigurations: Option<Vec<Misconfig>>,
    /// What drydock could not look at, and why: never silently empty.
    pub not_covered: Vec<NotCovered>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Artifact {
    pub input: String,
    pub format: drydock_image::Format,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    /// sha256 of the image config (the image ID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Regular files (and hard links) in the final, merged filesystem.
    pub file_count: usize,
}

#[derive(Debug, Serialize)]
pub struct LayerInfo {
    pub index: usize,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct NotCovered {
    /// What was not scanned: `os-packages`, or a file path.
    pub scope: String,
    pub reason: String,
}

/// A secret found in a file of some layer.
#[derive(Debug, Serialize)]
pub struct SecretReport {
    #[serde(flatten)]
    pub finding: SecretFinding,
    pub layer: LayerRef,
    /// False when a later layer deleted or replaced the file: the secret is gone from the
    /// container's filesystem but still ships inside that layer's blob.
    pub in_final_filesystem: bool,
}

/// Which scanners run besides the inventory.
#[derive(Debug, Clone, Default)]
pub struct Scanners {
    pub secret: bool,
    pub misconfig: bool,
    /// A TOML file adding, replacing or disabling secret rules.
    pub secret_config: Option<std::path::PathBuf>,
    /// Keep secret candidates that were dropped, with the reason (`--debug`).
    pub debug: bool,
}

pub struct ScanOptions<'a> {
    pub walk: WalkOptions,
    pub scanners: Scanners,
    /// `YYYY-MM-DD`, for end-of-life checks.
    pub today: String,
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// What happened to one wanted file.
struct FileOutcome {
    /// Each wanting analyzer's name and result.
    analyses: Vec<(&'static str, Result<Analysis, AnalyzeError>)>,
    secrets: Vec<SecretFinding>,
    secrets_skipped: Vec<SkippedCandidate>,
    /// Kept for misconfiguration checks that read a file (`/etc/shadow`, ...).
    content: Option<Vec<u8>>,
}

/// Routes each file to the analyzers and detectors that want it.
struct Readers<'a> {
    analyzers: &'a [Box<dyn Analyzer>],
    secrets: Option<&'a SecretScanner>,
    misconfig: bool,
    debug: bool,
}

impl FileHandler for Readers<'_> {
    type Output = FileOutcome;

    /// Large files go through the analyzers' bounded-memory readers when every reader
    /// that wants the file has one (big Go and Rust executables).
    fn streams(&self, path: &str, size: u64, mode: u32) -> bool {
        size >= STREAM_THRESHOLD
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
        let mut states: Vec<(&'static str, Box<dyn StreamAnalysis>)> = self
            .wanting(path, size, mode)
            .filter_map(|a| a.stream(path).map(|s| (a.name(), s)))
            .collect();
        let mut chunk = vec![0u8; STREAM_CHUNK];
        loop {
            let n = read_full(reader, &mut chunk)?;
            for (_, state) in &mut states {
                state.feed(&chunk[..n]);
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
            content: None,
        })
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.analyzers.iter().any(|a| a.wants(path, size, mode))
            || self.secrets.is_some_and(|s| s.wants(path, size))
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
                .analyzers
                .iter()
                .filter(|a| a.wants(path, size, mode))
                .map(|a| (a.name(), a.analyze(path, content)))
                .collect(),
            secrets,
            secrets_skipped,
            content: (self.misconfig && drydock_detect::wanted_files(path))
                .then(|| content.to_vec()),
        }
    }
}

impl Readers<'_> {
    fn wanting(&self, path: &str, size: u64, mode: u32) -> impl Iterator<Item = &dyn Analyzer> {
        self.analyzers
            .iter()
            .map(AsRef::as_ref)
            .filter(move |a| a.wants(path, size, mode))
    }
}

/// Reads until `buf` is full or the input ends.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Streams the image once and builds its report.
pub fn scan(image: &Image, opts: &ScanOptions<'_>) -> Result<Report, ScanError> {
    let analyzers = drydock_inventory::all_analyzers();
    let secret_scanner = if opts.scanners.secret {
        let config = match &opts.scanners.secret_config {
            Some(path) => SecretConfig::from_toml_file(path),
            None => Ok(SecretConfig::builtin()),
        };
        let scanner = config.and_then(|c| SecretScanner::new(&c));
        let source = opts
            .scanners
            .secret_config
            .as_ref()
            .map_or_else(|| "built-in rules".to_owned(), |p| p.display().to_string());
        Some(scanner.map_err(|e| ScanError::Rules(format!("{source}: {e}")))?)
    } else {
        None
    };
    let readers = Readers {
        analyzers: &analyzers,
        secrets: secret_scanner.as_ref(),
        misconfig: opts.scanners.misconfig,
        debug: opts.scanners.debug,
    };
    let walked = image.walk(&readers, &opts.walk, opts.progress)?;
    let layers: Vec<LayerInfo> = image
        .layers
        .iter()
        .map(|l| LayerInfo {
            index: l.index,
            digest: l.digest.clone(),
            diff_id: l.diff_id.clone(),
            size: l.size,
            created_by: l.created_by.clone(),
        })
        .collect();
    let mut warnings = walked.warnings.clone();
    let mut not_covered: Vec<NotCovered> = walked
        .skipped
        .iter()
        .map(|(path, reason)| NotCovered {
            scope: format!("/{path}"),
            reason: reason.clone(),
        })
        .collect();
    let mut packages = Vec::new();
    let mut releases: Vec<(String, OsRelease)> = Vec::new();
    let mut owned: HashMap<String, Vec<String>> = HashMap::new();
    // Package-DB analyzers: seeing any of their files means OS packages were looked at.
    let os_dbs: Vec<Box<dyn Analyzer>> = drydock_inventory::os_analyzers()
        .into_iter()
        .filter(|a| a.name() != RELEASE_ANALYZER)
        .collect();
    let is_db = |name: &str| os_dbs.iter().any(|a| a.name() == name);
    let mut db_seen = walked
        .skipped
        .iter()
        .any(|(p, _)| os_dbs.iter().any(|a| a.wants(p, 0, 0)));
    let histories = walked.histories();
    for (path, layer, outcome) in walked.current() {
        let history = DbHistory::new(histories.get(path).map_or(&[][..], Vec::as_slice), layer);
        for (name, result) in &outcome.analyses {
            db_seen |= is_db(name);
            match result {
                Ok(a) => {
                    for p in &a.packages {
                        let mut p = p.clone();
                        p.layer = Some(layer_ref(image, history.introduced(&p).unwrap_or(layer)));
                        packages.push(p);
                    }
                    if let Some(os) = &a.os {
                        releases.push((path.to_owned(), os.clone()));
                    }
                    if let Some((name, files)) = &a.owned_files {
                        owned
                            .entry(name.clone())
                            .or_default()
                            .extend(files.iter().cloned());
                    }
                }
                Err(e) => {
                    not_covered.push(NotCovered {
                        scope: format!("/{}", e.path),
                        reason: e.message.clone(),
                    });
                }
            }
        }
    }
    add_linked_releases(&walked, &mut releases, &mut warnings);
    for p in &mut packages {
        if p.kind == PackageKind::Dpkg
            && p.files.is_empty()
            && let Some(files) = owned.remove(&p.name)
        {
            p.files = files;
        }
    }
    let mut packages = dedupe(
        packages,
        image.format == drydock_image::Format::SourceTree,
        &walked.view,
    );
    let os = drydock_inventory::choose_os(&releases, &opts.today);
    for p in &mut packages {
        p.purl = Some(drydock_inventory::purl_for(p, os.as_ref()));
    }
    packages.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.location).cmp(&(b.kind, &b.name, &b.version, &b.location))
    });
    if !db_seen && image.format != drydock_image::Format::SourceTree {
        let reason = match &os {
            None => "OS: unknown — no package database found; OS packages not scanned".to_owned(),
            Some(os) => format!(
                "OS {} {}: no package database found; OS packages not scanned",
                os.family, os.version
            ),
        };
        not_covered.push(NotCovered {
            scope: "os-packages".into(),
            reason,
        });
    }
    let secrets = opts
        .scanners
        .secret
        .then(|| collect_secrets(image, &walked));
    let misconfigurations = opts.scanners.misconfig.then(|| {
        misconfigs(
            image,
            &walked,
            secrets.as_deref().unwrap_or_default(),
            &packages,
        )
    });
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact: Artifact {
            input: image.input().to_owned(),
            format: image.format,
            manifest_digest: image.manifest_digest.clone(),
            image_id: image.config_digest.clone(),
            repo_tags: image.repo_tags.clone(),
            platform: image.platform.as_ref().map(ToString::to_string),
            file_count: walked
                .view
                .iter()
                .filter(|(_, n)| matches!(n.kind, EntryKind::File | EntryKind::Hardlink(_)))
                .count(),
        },
        os,
        layers,
        packages,
        whiteouts: walked.whiteouts.clone(),
        vulnerabilities: None,
        secrets_skipped: (opts.scanners.secret && opts.scanners.debug).then(|| {
            walked
                .current()
                .flat_map(|(_, _, o)| o.secrets_skipped.iter().cloned())
                .collect()
        }),
        secrets,
        misconfigurations,
        not_covered,
        warnings,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Image(#[from] drydock_image::ImageError),
    #[error("secret rules: {0}")]
    Rules(String),
}

/// Each package once: an app package whose metadata file an OS package owns (Debian's
/// `python3-requests`) is that OS package; a lockfile entry that is also installed is the
/// installed one.
///
/// Images and root filesystems report what is installed: a `requirements.txt` or
/// `package-lock.json` copied into an image says what someone meant to install, not what
/// is there (debian-app lists Flask, which a later layer deleted). Lockfiles count there
/// only for Rust, whose `Cargo.lock` is the one record a non-auditable binary leaves, as
/// Trivy and Syft also read it in images. `drydock fs` keeps every lockfile entry.
fn dedupe(packages: Vec<Package>, source_tree: bool, view: &FileView) -> Vec<Package> {
    let os_owned = os_owned_paths(&packages, view);
    let installed: HashSet<(PackageKind, &str, &str)> = packages
        .iter()
        .filter(|p| !p.lockfile)
        .map(|p| (p.kind, p.name.as_str(), p.version.as_str()))
        .collect();
    let keep: Vec<bool> = packages
        .iter()
        .map(|p| {
            if is_os_kind(p.kind) {
                return true;
            }
            let owned = os_owned.contains(p.location.as_str());
            let shadowed =
                p.lockfile && installed.contains(&(p.kind, p.name.as_str(), p.version.as_str()));
            let intent_only = p.lockfile && !source_tree && p.kind != PackageKind::Cargo;
            !owned && !shadowed && !intent_only
        })
        .collect();
    packages
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// Files OS packages own, as paths in the image (no leading `/`). Package file lists name
/// paths as installed (`/bin/su`); on merged-/usr systems the file lives behind a
/// symlinked directory (`usr/bin/su`), so the paths are resolved through the view.
fn os_owned_paths(packages: &[Package], view: &FileView) -> HashSet<String> {
    packages
        .iter()
        .filter(|p| is_os_kind(p.kind))
        .flat_map(|p| p.files.iter())
        .filter_map(|f| view.resolve(f).ok().flatten())
        .collect()
}

fn is_os_kind(kind: PackageKind) -> bool {
    matches!(
        kind,
        PackageKind::Dpkg | PackageKind::Apk | PackageKind::Rpm
    )
}

/// Matches the report's packages against the vulnerability database; what could not be
/// checked joins `not_covered`.
pub fn add_vulnerabilities(
    report: &mut Report,
    db: &drydock_vulndb::Db,
) -> Result<(), drydock_matcher::Error> {
    let result = drydock_matcher::match_packages(db, report.os.as_ref(), &report.packages)?;
    report
        .not_covered
        .extend(result.not_covered.into_iter().map(|n| NotCovered {
            scope: n.scope,
            reason: n.reason,
        }));
    report.warnings.extend(result.warnings);
    report.vulnerabilities = Some(result.findings);
    Ok(())
}

fn layer_ref(image: &Image, index: usize) -> LayerRef {
    let layer = image.layers.get(index);
    LayerRef {
        index,
        digest: layer.map(|l| l.digest.clone()).unwrap_or_default(),
        created_by: layer.and_then(|l| l.created_by.clone()),
    }
}

/// The packages each layer's version of one package-DB file lists, oldest first, up to
/// the version still in the final filesystem.
struct DbHistory<'a> {
    versions: Vec<(usize, HashSet<(&'a str, &'a str)>)>,
}

impl<'a> DbHistory<'a> {
    /// `versions`: every analysed version of one file (from [`Walked::histories`]).
    fn new(versions: &[(usize, &'a FileOutcome)], current: usize) -> Self {
        let versions = versions
            .iter()
            .copied()
            .filter(|(l, _)| *l <= current)
            .map(|(layer, outcome)| {
                let listed = outcome
                    .analyses
                    .iter()
                    .filter_map(|(_, r)| r.as_ref().ok())
                    .flat_map(|a| {
                        a.packages
                            .iter()
                            .map(|q| (q.name.as_str(), q.version.as_str()))
                    })
                    .collect();
                (layer, listed)
            })
            .collect();
        Self { versions }
    }

    /// The oldest layer from which `pkg` (same name and version) was continuously listed:
    /// a layer that rewrites the DB to add one package does not "introduce" the hundred
    /// it already had.
    fn introduced(&self, pkg: &Package) -> Option<usize> {
        let key = (pkg.name.as_str(), pkg.version.as_str());
        self.versions
            .iter()
            .rev()
            .take_while(|(_, listed)| listed.contains(&key))
            .last()
            .map(|(layer, _)| *layer)
    }
}

/// Release files are often symlinks; analyse their targets under the link's name so
/// `etc/os-release` keeps its priority.
fn add_linked_releases(
    walked: &Walked<FileOutcome>,
    releases: &mut Vec<(String, OsRelease)>,
    warnings: &mut Vec<String>,
) {
    for link in RELEASE_LINKS {
        if !walked
            .view
            .get(link)
            .is_some_and(|n| matches!(n.kind, EntryKind::Symlink(_)))
        {
            continue;
        }
        match walked.view.resolve(link) {
            Ok(Some(target)) => {
                if let Some(os) = releases
                    .iter()
                    .find(|(p, _)| *p == target)
                    .map(|(_, o)| o.clone())
                {
                    releases.push(((*link).to_owned(), os));
                }
            }
            Ok(None) => {}
            Err(e) => warnings.push(e.to_string()),
        }
    }
}

/// Secrets from every layer: one a later layer deleted still ships in its layer blob.
/// A secret that survives unchanged into the final file is reported once, at the layer
/// that holds the final file.
fn collect_secrets(image: &Image, walked: &Walked<FileOutcome>) -> Vec<SecretReport> {
    let current: HashSet<(&str, usize)> = walked.current().map(|(p, l, _)| (p, l)).collect();
    let final_keys: HashSet<(&str, &str, usize, &str)> = walked
        .current()
        .flat_map(|(_, _, o)| {
            o.secrets.iter().map(|s| {
                (
                    s.path.as_str(),
                    s.rule_id.as_str(),
                    s.line,
                    s.masked.as_str(),
                )
            })
        })
        .collect();
    let mut out = Vec::new();
    for (layer, results) in walked.layer_results.iter().enumerate() {
        for (path, outcome) in results {
            let in_final = current.contains(&(path.as_str(), layer));
            for s in &outcome.secrets {
                if !in_final
                    && final_keys.contains(&(
                        s.path.as_str(),
                        s.rule_id.as_str(),
                        s.line,
                        s.masked.as_str(),
                    ))
                {
                    continue;
                }
                out.push(SecretReport {
                    finding: s.clone(),
                    layer: layer_ref(image, layer),
                    in_final_filesystem: in_final,
                });
            }
        }
    }
    out
}

/// Image and filesystem checks. A setuid/setgid file that an OS package owns (`passwd`,
/// `mount`, `su` in every Debian base) is the distribution's design, not something the
/// image added: only files no package owns are reported as DD-CFG-012.
fn misconfigs(
    image: &Image,
    walked: &Walked<FileOutcome>,
    secrets: &[SecretReport],
    packages: &[Package],
) -> Vec<Misconfig> {
    let os_owned = os_owned_paths(packages, &walked.view);
    let mut out = Vec::new();
    if let Some(config) = &image.config {
        out.extend(drydock_detect::check_config(&config_facts(config)));
    }
    let facts: Vec<FileFact> = walked
        .view
        .iter()
        .map(|(path, n)| {
            let (type_bits, link_target) = match &n.kind {
                EntryKind::Dir => (0o040_000, None),
                EntryKind::Symlink(t) => (0o120_000, Some(t.clone())),
                EntryKind::Hardlink(t) => (0o100_000, Some(t.clone())),
                EntryKind::File => (0o100_000, None),
                EntryKind::Other => (0, None),
            };
            FileFact {
                path: path.to_owned(),
                mode: type_bits | (n.mode & 0o7777),
                uid: n.uid,
                gid: n.gid,
                size: n.size,
                layer_index: n.layer,
                link_target,
            }
        })
        .collect();
    let contents: HashMap<&str, &[u8]> = walked
        .current()
        .filter_map(|(p, _, o)| o.content.as_deref().map(|c| (p, c)))
        .collect();
    out.extend(
        drydock_detect::check_files(
            facts.iter(),
            &|p: &str| contents.get(p.trim_start_matches('/')).map(|c| c.to_vec()),
            FileCheckOptions::default(),
        )
        .into_iter()
        .filter(|m| {
            m.id != SETUID_CHECK
                || m.path
                    .as_deref()
                    .is_none_or(|p| !os_owned.contains(p.trim_start_matches('/')))
        }),
    );
    let final_secrets: Vec<SecretFinding> = secrets
        .iter()
        .filter(|s| s.in_final_filesystem)
        .map(|s| s.finding.clone())
        .collect();
    out.extend(drydock_detect::private_key_misconfigs(&final_secrets));
    out
}

fn config_facts(config: &ImageConfig) -> ConfigFacts {
    let c = &config.config;
    ConfigFacts {
        user: Some(c.user.clone()).filter(|u| !u.is_empty()),
        env: c.env.clone(),
        labels: c.labels.clone(),
        exposed_ports: c.exposed_ports.keys().cloned().collect(),
        healthcheck: c
            .healthcheck
            .as_ref()
            .and_then(|h| h.get("Test"))
            .and_then(|t| serde_json::from_value(t.clone()).ok()),
        history: config
            .history
            .iter()
            .map(|h| HistoryEntry {
                created_by: h.created_by.clone(),
                empty_layer: h.empty_layer,
            })
            .collect(),
    }
}
