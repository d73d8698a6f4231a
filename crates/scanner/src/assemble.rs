//! Stage 2, assembly: per-file analyses of every layer become one [`Inventory`] — the
//! packages each with the layer that introduced it, the OS, and what was not covered.
//! An imported SBOM enters the pipeline at the same seam.

use crate::Mode;
use crate::route::{FileOutcome, package_key};
use drydock_image::{EntryKind, FileView, Image, Walked};
use drydock_inventory::{LayerRef, OsRelease, Package, PackageKind};
use drydock_model::{Inventory, LayerInfo, NotCovered, Purl};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Release files whose symlinks must be followed (Debian's `/etc/os-release` points
/// into `/usr/lib`).
const RELEASE_LINKS: &[&str] = &["etc/os-release", "etc/system-release", "etc/redhat-release"];

pub(crate) struct Assembled {
    pub(crate) inventory: Inventory,
    /// Files OS packages own (paths without a leading `/`), for the misconfig checks.
    pub(crate) os_owned: HashSet<String>,
    pub(crate) warnings: Vec<String>,
}

pub(crate) fn assemble(
    image: &Image,
    walked: &mut Walked<FileOutcome>,
    mode: Mode,
    today: &str,
) -> Assembled {
    let mut warnings = Vec::new();
    let mut coverage: Vec<NotCovered> = walked
        .skipped
        .iter()
        .map(|(path, reason)| NotCovered::new(format!("/{path}"), reason.clone()))
        .collect();
    let db_analyzers = drydock_inventory::package_db_analyzers();
    let is_db = |name: &str| db_analyzers.iter().any(|a| a.name() == name);
    // Seeing any package-DB file means OS packages were looked at.
    let mut db_seen = walked
        .skipped
        .iter()
        .any(|(p, _)| db_analyzers.iter().any(|a| a.wants(p, 0, 0)));
    let positions = walked.current_positions();
    let introduced = introducing_layers(walked, &positions);
    let layers: Vec<Arc<LayerRef>> = (0..image.layers.len())
        .map(|i| Arc::new(layer_ref(image, i)))
        .collect();
    let mut packages = Vec::new();
    let mut releases: Vec<(String, OsRelease)> = Vec::new();
    let mut owned: HashMap<String, Vec<String>> = HashMap::new();
    let mut content_sets: Vec<String> = Vec::new();
    for (&(layer, i), introduced) in positions.iter().zip(introduced) {
        let (path, outcome) = &mut walked.layer_results[layer][i];
        let mut introduced = introduced.into_iter();
        for (name, result) in &mut outcome.analyses {
            db_seen |= is_db(name);
            match result {
                Ok(a) => {
                    // Moved, not cloned: the inventory is the analyses' only reader.
                    let mut found = std::mem::take(&mut a.packages);
                    for p in &mut found {
                        let at = introduced.next().flatten().unwrap_or(layer);
                        p.layer = layers.get(at).cloned();
                    }
                    if packages.is_empty() {
                        packages = found;
                    } else {
                        packages.append(&mut found);
                    }
                    coverage.extend(a.not_covered.iter().cloned());
                    if let Some(os) = &a.os {
                        releases.push((path.clone(), os.clone()));
                    }
                    content_sets.extend(a.content_sets.iter().cloned());
                    if let Some((name, files)) = &a.owned_files {
                        owned
                            .entry(name.clone())
                            .or_default()
                            .extend(files.iter().cloned());
                    }
                }
                Err(e) => coverage.push(NotCovered::new(format!("/{}", e.path), e.message.clone())),
            }
        }
    }
    let walked = &*walked;
    add_linked_releases(walked, &mut releases, &mut warnings);
    for p in &mut packages {
        if p.kind == PackageKind::Dpkg
            && p.files.is_empty()
            && let Some(files) = owned.remove(&*p.name)
        {
            p.files = files.into();
        }
    }
    let os_owned = os_owned_paths(&packages, &walked.view);
    let mut packages = dedupe(packages, mode, &os_owned);
    content_sets.sort();
    content_sets.dedup();
    let os = drydock_inventory::choose_os(&releases, today).map(|os| {
        let os = drydock_inventory::infer_variant(os, |p| walked.view.get(p).is_some());
        drydock_inventory::with_repositories(os, content_sets, today)
    });
    // One OS shared by every package's purl, written out only when read; a purl the
    // file itself states (Bitnami's) is kept.
    let purl_os = Arc::new(os.clone());
    for p in packages.iter_mut().filter(|p| p.purl.is_none()) {
        p.purl = Some(Purl::Derived(Arc::clone(&purl_os)));
    }
    // Unstable sort: no second buffer of the whole inventory; the arch and layer break
    // ties so the order is still the same on every run.
    packages.sort_unstable_by(|a, b| {
        (
            a.kind,
            &a.name,
            &a.version,
            &a.location,
            &a.arch,
            layer_index(a),
        )
            .cmp(&(
                b.kind,
                &b.name,
                &b.version,
                &b.location,
                &b.arch,
                layer_index(b),
            ))
    });
    if !db_seen && mode != Mode::SourceTree {
        let reason = match &os {
            None => "OS: unknown — no package database found; OS packages not scanned".to_owned(),
            Some(os) => format!(
                "OS {} {}: no package database found; OS packages not scanned",
                os.family, os.version
            ),
        };
        coverage.push(NotCovered::new("os-packages", reason));
    }
    Assembled {
        inventory: Inventory {
            os,
            packages,
            layers: layer_infos(image),
            coverage,
        },
        os_owned,
        warnings,
    }
}

fn layer_index(p: &Package) -> Option<usize> {
    p.layer.as_ref().map(|l| l.index)
}

fn layer_infos(image: &Image) -> Vec<LayerInfo> {
    image
        .layers
        .iter()
        .map(|l| LayerInfo {
            index: l.index,
            digest: l.digest.clone(),
            diff_id: l.diff_id.clone(),
            size: l.size,
            created_by: l.created_by.clone(),
        })
        .collect()
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
fn dedupe(mut packages: Vec<Package>, mode: Mode, os_owned: &HashSet<String>) -> Vec<Package> {
    // Only kinds a lockfile lists can shadow anything: a million dpkg packages need no
    // set of their own.
    let locked: HashSet<PackageKind> = packages
        .iter()
        .filter(|p| p.lockfile)
        .map(|p| p.kind)
        .collect();
    let installed: HashSet<(PackageKind, &str, &str)> = packages
        .iter()
        .filter(|p| !p.lockfile && locked.contains(&p.kind))
        .map(|p| (p.kind, &*p.name, &*p.version))
        .collect();
    let keep: Vec<bool> = packages
        .iter()
        .map(|p| {
            if p.kind.is_os() {
                return true;
            }
            let owned = os_owned.contains(&*p.location);
            let shadowed = p.lockfile && installed.contains(&(p.kind, &*p.name, &*p.version));
            let intent_only =
                p.lockfile && mode != Mode::SourceTree && p.kind != PackageKind::Cargo;
            !owned && !shadowed && !intent_only
        })
        .collect();
    let mut keep = keep.into_iter();
    packages.retain(|_| keep.next().unwrap_or(true));
    packages
}

/// Files OS packages own, as paths in the image (no leading `/`). Package file lists name
/// paths as installed (`/bin/su`); on merged-/usr systems the file lives behind a
/// symlinked directory (`usr/bin/su`), so the paths are resolved through the view.
fn os_owned_paths(packages: &[Package], view: &FileView) -> HashSet<String> {
    packages
        .iter()
        .filter(|p| p.kind.is_os())
        .flat_map(|p| p.files.iter())
        .filter_map(|f| view.resolve(f).ok().flatten())
        .collect()
}

pub(crate) fn layer_ref(image: &Image, index: usize) -> LayerRef {
    let layer = image.layers.get(index);
    LayerRef {
        index,
        digest: layer.map(|l| l.digest.clone()).unwrap_or_default(),
        created_by: layer.and_then(|l| l.created_by.clone()),
    }
}

/// For each current result (at `positions`), the layer that introduced each of its
/// packages, in the order its analyses list them; empty where the path has no older
/// version (the layer that wrote it introduced everything), as for most files.
fn introducing_layers(
    walked: &Walked<FileOutcome>,
    positions: &[(usize, usize)],
) -> Vec<Vec<Option<usize>>> {
    let histories = walked.histories();
    positions
        .iter()
        .map(|&(layer, i)| {
            let (path, outcome) = &walked.layer_results[layer][i];
            let older = histories.get(path.as_str()).map_or(&[][..], Vec::as_slice);
            let history = PackageDbHistory::new(older, layer);
            if history.versions.is_empty() {
                return Vec::new();
            }
            outcome
                .analyses
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .flat_map(|a| a.packages.iter())
                .map(|q| {
                    let key = package_key(&q.name, &q.version);
                    Some(history.introduced(key).unwrap_or(layer))
                })
                .collect()
        })
        .collect()
}

/// The packages each older layer's version of one package-DB file lists (as
/// [`FileOutcome::package_keys`]), oldest first, up to (not including) the version still
/// in the final filesystem.
struct PackageDbHistory<'a> {
    versions: Vec<(usize, Cow<'a, [u64]>)>,
}

impl<'a> PackageDbHistory<'a> {
    /// `versions`: every analysed version of one file (from [`Walked::histories`]).
    fn new(versions: &[(usize, &'a FileOutcome)], current: usize) -> Self {
        let versions = versions
            .iter()
            .copied()
            .filter(|(l, _)| *l < current)
            .map(|(layer, outcome)| (layer, outcome.package_keys()))
            .collect();
        Self { versions }
    }

    /// The oldest layer from which a package (same name and version) was continuously
    /// listed before the current version: a layer that rewrites the DB to add one package
    /// does not "introduce" the hundred it already had. `None`: the current one did.
    fn introduced(&self, key: u64) -> Option<usize> {
        self.versions
            .iter()
            .rev()
            .take_while(|(_, listed)| listed.binary_search(&key).is_ok())
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
