//! The scan pipeline, as explicit stages over one streamed pass of the artifact:
//!
//! 1. [`route`]: while layers stream, each wanted file goes to the analyzers and
//!    detectors that asked for it;
//! 2. [`assemble`]: per-file results become one [`Inventory`] (packages with the layer
//!    that introduced them, the OS, what was not covered);
//! 3. matching: the inventory against the advisory data ([`Matcher`]);
//! 4. [`secrets`] from every layer; 5. [`misconfig`] checks on config and filesystem;
//! 6. the [`Report`] that carries all of it.
//!
//! This is the only crate that knows both the image reader and what reads files, so
//! each of those stays usable on its own.

mod assemble;
mod cached;
mod misconfig;
mod open;
mod remediation;
mod route;
mod secrets;
mod skip;

use drydock_image::{EntryKind, Image, OpenOptions, Platform, WalkOptions};
use drydock_model::{
    Artifact, ArtifactFormat, BaseImage, Inventory, OsInfo, OsRelease, REPORT_SCHEMA_VERSION,
    Report, Whiteout, WhiteoutKind,
};
use route::{FileOutcome, Readers};
use std::path::PathBuf;

pub use drydock_cache::LayerCache;
pub use drydock_engine::Options as EngineOptions;
pub use drydock_image::Limits;
pub use drydock_matcher::Matcher;
pub use drydock_registry::Options as RegistryOptions;
/// Today's UTC date as `YYYY-MM-DD` (for end-of-life checks).
pub use drydock_vulndb::today_utc as today;
pub use open::{ImageSource, RemoteOptions};
pub use skip::SkipPaths;

/// One file still in the final filesystem: path, the layer that wrote it, its results.
type Current<'a> = (&'a str, usize, &'a FileOutcome);

/// What to scan.
#[derive(Debug, Clone)]
pub enum ScanTarget {
    /// An image archive or layout (`PATH[:TAG]`), else an image name looked up in the
    /// `remote` sources; `platform` (`os/arch[/variant]`) picks one image of a
    /// multi-platform index.
    Image {
        input: PathBuf,
        platform: Option<String>,
        /// Boxed: registry and engine options dwarf the other variants.
        remote: Box<RemoteOptions>,
    },
    /// An unpacked root filesystem.
    Rootfs(PathBuf),
    /// A project checkout: lockfiles count, no OS is expected.
    SourceTree(PathBuf),
}

/// How inventory assembly treats what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Images and root filesystems: installed packages; an OS package DB is expected.
    Installed,
    /// Source trees: declared (lockfile) packages too, and no OS.
    SourceTree,
}

/// A target whose manifest and config were read and verified; layers not yet read.
pub struct OpenedTarget {
    image: Image,
    mode: Mode,
    origin: Option<drydock_model::Origin>,
    signature: Option<drydock_model::SignatureCheck>,
}

impl ScanTarget {
    /// The input as the user named it, for messages.
    pub fn label(&self) -> String {
        match self {
            ScanTarget::Image { input, .. } => input.display().to_string(),
            ScanTarget::Rootfs(dir) | ScanTarget::SourceTree(dir) => dir.display().to_string(),
        }
    }

    /// Opens the target, checking that it exists and is what it claims to be.
    pub fn open(&self) -> Result<OpenedTarget, ScanError> {
        self.open_with(&Limits::default())
    }

    /// [`ScanTarget::open`] under the scan's limits, which a compressed archive's first
    /// pass already answers to.
    pub fn open_with(&self, limits: &Limits) -> Result<OpenedTarget, ScanError> {
        let (opened, mode) = match self {
            ScanTarget::Image {
                input,
                platform,
                remote,
            } => {
                let platform = platform
                    .as_deref()
                    .map(|p| {
                        Platform::parse(p).ok_or_else(|| {
                            ScanError::Platform(format!(
                                "--platform '{p}': expected os/arch[/variant]"
                            ))
                        })
                    })
                    .transpose()?;
                let opts = OpenOptions {
                    platform,
                    limits: *limits,
                };
                (open::open_image(input, &opts, remote)?, Mode::Installed)
            }
            ScanTarget::Rootfs(dir) => (local(Image::rootfs(dir)?), Mode::Installed),
            ScanTarget::SourceTree(dir) => (local(Image::rootfs(dir)?), Mode::SourceTree),
        };
        Ok(OpenedTarget {
            image: opened.image,
            mode,
            origin: opened.origin,
            signature: opened.signature,
        })
    }
}

fn local(image: Image) -> open::OpenedImage {
    open::OpenedImage {
        image,
        origin: None,
        signature: None,
    }
}

impl OpenedTarget {
    /// Sum of the layer blob sizes when known (for progress bars).
    pub fn total_layer_bytes(&self) -> Option<u64> {
        self.image.total_layer_bytes()
    }

    /// What the progress line counts: `7 layers`, or `files` for a directory.
    pub fn progress_noun(&self) -> String {
        match self.image.layer_count() {
            _ if self.image.is_tree() => "files".to_owned(),
            1 => "1 layer".to_owned(),
            n => format!("{n} layers"),
        }
    }
}

/// Which scanners run besides the inventory (vulnerabilities: [`ScanOptions::matcher`]).
#[derive(Debug, Clone, Default)]
pub struct Scanners {
    pub secret: bool,
    pub misconfig: bool,
    /// A TOML file adding, replacing or disabling secret rules.
    pub secret_config: Option<PathBuf>,
    /// Keep secret candidates that were dropped, with the reason (`--debug`).
    pub debug: bool,
}

pub struct ScanOptions<'a> {
    /// Wanted files larger than this are skipped (and reported) instead of buffered.
    pub max_file_size: u64,
    /// Layer size, inflation and time limits; a layer that reaches one fails the scan.
    pub limits: drydock_image::Limits,
    pub scanners: Scanners,
    /// Matches the inventory against advisories when given.
    pub matcher: Option<&'a Matcher>,
    /// `YYYY-MM-DD`, for end-of-life checks.
    pub today: String,
    /// Paths not to read at all (`--skip-dirs`, `--skip-files`).
    pub skip: SkipPaths,
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// Per-layer results of earlier scans: layers found there are not read again.
    pub cache: Option<&'a LayerCache>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Image(#[from] drydock_image::ImageError),
    #[error("{0}")]
    Platform(String),
    #[error("secret rules: {rules}: {error}")]
    Rules {
        rules: String,
        error: drydock_detect::DetectError,
    },
    #[error(transparent)]
    Match(#[from] drydock_matcher::Error),
    /// Neither a local path nor found by any image source; one reason per attempt.
    #[error("{input}: cannot open: {}", tried.join("; "))]
    NotOpened { input: String, tried: Vec<String> },
    /// `--verify-key` was given and the image has no signature that verifies.
    #[error("{0}")]
    Signature(String),
    /// The engine has the image but exporting or reading it failed, or `DOCKER_HOST`
    /// names an engine drydock cannot reach.
    #[error("{0}")]
    Engine(String),
}

/// Streams the target once and runs every stage over it.
pub fn scan(target: &OpenedTarget, opts: &ScanOptions<'_>) -> Result<Report, ScanError> {
    let image = &target.image;
    // Image scans discard declared-only (lockfile) packages, so those files are not parsed.
    let analyzers: Vec<_> = drydock_inventory::all_analyzers()
        .into_iter()
        .filter(|a| target.mode == Mode::SourceTree || !a.declared_only())
        .collect();
    let secret_rules = secrets::scanner(&opts.scanners)?;
    let (secret_scanner, secret_config) = secret_rules.unzip();
    let readers = Readers {
        analyzers: &analyzers,
        secrets: secret_scanner.as_ref(),
        misconfig: opts.scanners.misconfig,
        debug: opts.scanners.debug,
        skip: &opts.skip,
    };
    let walk = WalkOptions {
        max_file_size: opts.max_file_size,
        limits: opts.limits,
    };
    let mut walked = cached::walk(
        image,
        &readers,
        secret_config.as_ref(),
        &walk,
        opts.cache,
        target
            .origin
            .as_ref()
            .is_some_and(|o| matches!(o.source, drydock_model::OriginSource::Registry)),
        opts.progress,
    )?;
    let assembled = assemble::assemble(image, &mut walked, target.mode, &opts.today);
    let current: Vec<Current<'_>> = walked.current().collect();
    let inventory = assembled.inventory;
    let matched = opts
        .matcher
        .map(|m| m.match_packages(inventory.os.as_ref(), &inventory.packages))
        .transpose()?;
    let secrets = opts
        .scanners
        .secret
        .then(|| secrets::collect(image, &walked, &current));
    let misconfigurations = opts.scanners.misconfig.then(|| {
        let found = secrets.as_deref().unwrap_or_default();
        misconfig::check(
            image,
            &walked,
            &current,
            found,
            &assembled.os_owned,
            &opts.skip,
        )
    });
    let secrets_skipped = (opts.scanners.secret && opts.scanners.debug).then(|| {
        current
            .iter()
            .flat_map(|(_, _, o)| o.secrets_skipped.iter().cloned())
            .collect()
    });

    let mut not_covered = inventory.coverage;
    if let Some(s) = &secret_scanner {
        not_covered.extend(secrets::too_large(&walked, s.max_file_size()));
    }
    let mut warnings = walked.warnings.clone();
    warnings.extend(assembled.warnings);
    let artifact = artifact(target, &walked);
    let (vulnerabilities, remediation) =
        remediation::findings(matched, &artifact, &mut not_covered, &mut warnings);
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact,
        os: inventory.os,
        layers: inventory.layers,
        packages: inventory.packages,
        whiteouts: whiteouts(&walked),
        vulnerabilities,
        remediation,
        secrets,
        secrets_skipped,
        misconfigurations,
        not_covered,
        warnings,
        verdict: None,
        suppressed: Vec::new(),
        filtered: None,
        skipped_by_request: opts.skip.report(&walked.view),
    })
}

/// Matches an inventory that comes from elsewhere (an imported SBOM) exactly as [`scan`]
/// matches an image's. The OS's end of life is looked up in drydock's own table as of
/// `today`, as for a scanned image, rather than taken from the document.
pub fn scan_inventory(
    artifact: Artifact,
    inventory: Inventory,
    matcher: Option<&Matcher>,
    today: &str,
) -> Result<Report, ScanError> {
    let os = inventory.os.map(|os| with_support_dates(os, today));
    let matched = matcher
        .map(|m| m.match_packages(os.as_ref(), &inventory.packages))
        .transpose()?;
    let mut not_covered = inventory.coverage;
    let mut warnings = Vec::new();
    let (vulnerabilities, remediation) =
        remediation::findings(matched, &artifact, &mut not_covered, &mut warnings);
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact,
        os,
        layers: inventory.layers,
        packages: inventory.packages,
        whiteouts: Vec::new(),
        vulnerabilities,
        remediation,
        secrets: None,
        secrets_skipped: None,
        misconfigurations: None,
        not_covered,
        warnings,
        verdict: None,
        suppressed: Vec::new(),
        filtered: None,
        skipped_by_request: Vec::new(),
    })
}

fn with_support_dates(os: OsInfo, today: &str) -> OsInfo {
    let release = OsRelease {
        family: os.family.clone(),
        version: os.version.clone(),
        codename: os.codename.clone(),
        pretty_name: os.pretty_name.clone(),
        variant: os.variant.clone(),
        support_end: os.eol_date.clone(),
    };
    drydock_inventory::choose_os(&[("etc/os-release".to_owned(), release)], today).unwrap_or(os)
}

fn artifact(target: &OpenedTarget, walked: &drydock_image::Walked<FileOutcome>) -> Artifact {
    let image = &target.image;
    Artifact {
        input: image.input().to_owned(),
        format: match target.mode {
            Mode::SourceTree => ArtifactFormat::SourceTree,
            Mode::Installed => image.format,
        },
        manifest_digest: image.manifest_digest.clone(),
        image_id: image.config_digest.clone(),
        repo_tags: image.repo_tags.clone(),
        platform: image.platform.as_ref().map(ToString::to_string),
        file_count: walked
            .view
            .iter()
            .filter(|(_, n)| matches!(n.kind, EntryKind::File | EntryKind::Hardlink(_)))
            .count(),
        created: image.config.as_ref().and_then(|c| c.created.clone()),
        labels: image
            .config
            .as_ref()
            .map(|c| c.config.labels.clone())
            .unwrap_or_default(),
        base_image: image
            .config
            .as_ref()
            .and_then(|c| base_image(c, image.layers.len())),
        origin: target.origin.clone(),
        signature: target.signature.clone(),
    }
}

const BASE_NAME_LABEL: &str = "org.opencontainers.image.base.name";
const BASE_DIGEST_LABEL: &str = "org.opencontainers.image.base.digest";

/// The base image from the OCI base-image annotations (as labels), and how many layers
/// are the base's from the history: a base image ends with its own `CMD` or `ENTRYPOINT`
/// (an empty-layer entry), so the last such entry that still has layers after it marks
/// where the image's own layers begin.
fn base_image(config: &drydock_image::ImageConfig, layer_count: usize) -> Option<BaseImage> {
    let label = |k: &str| {
        config
            .config
            .labels
            .get(k)
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let (name, digest) = (label(BASE_NAME_LABEL), label(BASE_DIGEST_LABEL));
    let made = config.history.iter().filter(|h| !h.empty_layer).count();
    let layers = (made == layer_count)
        .then(|| {
            let mut below = 0;
            let mut boundary = None;
            for h in &config.history {
                if h.empty_layer {
                    if is_run_instruction(&h.created_by) && below > 0 && below < made {
                        boundary = Some(below);
                    }
                } else {
                    below += 1;
                }
            }
            boundary
        })
        .flatten();
    let source = if name.is_some() || digest.is_some() {
        "label"
    } else if layers.is_some() {
        "history"
    } else {
        return None;
    };
    Some(BaseImage {
        name,
        digest,
        layers,
        source: source.into(),
    })
}

/// `CMD`/`ENTRYPOINT` as BuildKit (`CMD ["sh"]`) and the classic builder
/// (`/bin/sh -c #(nop)  CMD ["sh"]`) record them.
fn is_run_instruction(created_by: &str) -> bool {
    let s = created_by.trim();
    let s = s
        .strip_prefix("/bin/sh -c #(nop)")
        .map_or(s, str::trim_start);
    s.starts_with("CMD ") || s.starts_with("ENTRYPOINT ")
}

fn whiteouts(walked: &drydock_image::Walked<FileOutcome>) -> Vec<Whiteout> {
    walked
        .whiteouts
        .iter()
        .map(|w| Whiteout {
            layer: w.layer,
            kind: if w.kind == "opaque-dir" {
                WhiteoutKind::OpaqueDir
            } else {
                WhiteoutKind::Whiteout
            },
            path: w.path.clone(),
            removed_entries: w.removed_entries,
        })
        .collect()
}
