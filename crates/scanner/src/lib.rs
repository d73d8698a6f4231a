//! The scan pipeline: image -> streamed layers -> analyzers -> one inventory report.
//!
//! This is the only place that knows both the image reader and the analyzers, so each
//! of those stays usable on its own.

mod date;

pub use date::today;

use drydock_image::{EntryKind, FileHandler, Image, WalkOptions, Walked};
use drydock_inventory::{
    Analysis, AnalyzeError, Analyzer, LayerRef, OsInfo, OsRelease, Package, PackageKind,
};
use serde::Serialize;
use std::collections::HashMap;

/// Bumped whenever a field changes meaning or disappears (additions do not bump it).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Release files whose symlinks must be followed (Debian's `/etc/os-release` points
/// into `/usr/lib`).
const RELEASE_LINKS: &[&str] = &["etc/os-release", "etc/system-release", "etc/redhat-release"];

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

/// Runs every analyzer that wants a file over it.
struct Analyzers<'a>(&'a [Box<dyn Analyzer>]);

/// Each wanting analyzer's name and result for one file.
type FileOutcome = Vec<(&'static str, Result<Analysis, AnalyzeError>)>;

/// The analyzer that reads release files rather than a package database.
const RELEASE_ANALYZER: &str = "os-release";

impl FileHandler for Analyzers<'_> {
    type Output = FileOutcome;

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.0.iter().any(|a| a.wants(path, size, mode))
    }

    fn handle(&self, path: &str, content: &[u8], mode: u32) -> FileOutcome {
        let size = content.len() as u64;
        self.0
            .iter()
            .filter(|a| a.wants(path, size, mode))
            .map(|a| (a.name(), a.analyze(path, content)))
            .collect()
    }
}

pub struct ScanOptions<'a> {
    pub walk: WalkOptions,
    /// `YYYY-MM-DD`, for end-of-life checks.
    pub today: String,
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// Streams the image once and builds its OS package inventory.
pub fn inventory(
    image: &Image,
    opts: &ScanOptions<'_>,
) -> Result<Report, drydock_image::ImageError> {
    let analyzers = drydock_inventory::os_analyzers();
    let walked = image.walk(&Analyzers(&analyzers), &opts.walk, opts.progress)?;
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
    let mut db_seen = walked.skipped.iter().any(|(p, _)| {
        analyzers
            .iter()
            .any(|a| a.name() != RELEASE_ANALYZER && a.wants(p, u64::MAX, 0))
    });
    for (path, layer, outcomes) in walked.current() {
        for (name, outcome) in outcomes {
            db_seen |= *name != RELEASE_ANALYZER;
            match outcome {
                Ok(a) => {
                    for p in &a.packages {
                        let mut p = p.clone();
                        p.layer = Some(layer_ref(image, introduced_in(&walked, path, layer, &p)));
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
                    warnings.push(e.to_string());
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
        if p.kind == PackageKind::Dpkg && p.files.is_empty() {
            if let Some(files) = owned.remove(&p.name) {
                p.files = files;
            }
        }
    }
    packages.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.location).cmp(&(b.kind, &b.name, &b.version, &b.location))
    });
    let os = drydock_inventory::choose_os(&releases, &opts.today);
    if !db_seen {
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
        not_covered,
        warnings,
    })
}

fn layer_ref(image: &Image, index: usize) -> LayerRef {
    let layer = image.layers.get(index);
    LayerRef {
        index,
        digest: layer.map(|l| l.digest.clone()).unwrap_or_default(),
        created_by: layer.and_then(|l| l.created_by.clone()),
    }
}

/// The oldest layer from which `pkg` (same name and version) was continuously present in
/// the package DB file at `path`: a layer that rewrites the DB to add one package does
/// not "introduce" the hundred it already had.
fn introduced_in(walked: &Walked<FileOutcome>, path: &str, current: usize, pkg: &Package) -> usize {
    let versions: Vec<(usize, &FileOutcome)> = walked
        .history(path)
        .filter(|(l, _)| *l <= current)
        .collect();
    let mut earliest = current;
    for (layer, outcomes) in versions.iter().rev() {
        let present = outcomes
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .any(|a| {
                a.packages
                    .iter()
                    .any(|q| q.name == pkg.name && q.version == pkg.version)
            });
        if !present {
            break;
        }
        earliest = *layer;
    }
    earliest
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
            Err(e) => warnings.push(e),
        }
    }
}
