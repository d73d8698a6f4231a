//! Bottlerocket's software inventory, `usr/share/bottlerocket/application-inventory.json`.
//!
//! Bottlerocket is built from rpms but ships no rpm database; the build writes this file
//! instead (host-ctr bind-mounts it into host containers): `{"Content": [{"Name",
//! "Publisher", "Version", "Release", "Epoch", "Architecture", ...}]}`. Older releases
//! (bottlerocket.dev's example is 1.16.1) have no `Epoch`, and their `Version` and `Release`
//! are the OS release and build id for every entry, not the package's own: they are kept
//! as written, since Bottlerocket's advisories of that time name the same versions.

use crate::json::{Any, parse_manifest};
use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use serde::Deserialize;

const INVENTORY: &str = "usr/share/bottlerocket/application-inventory.json";

pub struct BottlerocketAnalyzer;

#[derive(Deserialize)]
struct Inventory<'a> {
    #[serde(rename = "Content", borrow)]
    content: Option<Vec<Entry<'a>>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(rename = "Name", borrow, default)]
    name: Any<'a>,
    #[serde(rename = "Version", borrow, default)]
    version: Any<'a>,
    #[serde(rename = "Release", borrow, default)]
    release: Any<'a>,
    #[serde(rename = "Epoch", borrow, default)]
    epoch: Any<'a>,
    #[serde(rename = "Architecture", borrow, default)]
    arch: Any<'a>,
}

impl Analyzer for BottlerocketAnalyzer {
    fn name(&self) -> &'static str {
        "bottlerocket"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == INVENTORY
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let doc: Inventory = parse_manifest(path, content)?;
        let entries = doc
            .content
            .ok_or_else(|| AnalyzeError::new(path, "no `Content` list"))?;
        let packages = entries.iter().filter_map(|e| package(path, e)).collect();
        Ok(Analysis::of(packages))
    }
}

/// `[epoch:]version-release`, the rpm form, with epoch 0 left out as the rpm analyzers
/// do. Entries without a name or version are dropped.
fn package(path: &str, e: &Entry) -> Option<Package> {
    let (name, version) = (e.name.text()?, e.version.text()?);
    let mut full = match e.epoch.text().filter(|&epoch| epoch != "0") {
        Some(epoch) => format!("{epoch}:{version}"),
        None => version.to_owned(),
    };
    if let Some(release) = e.release.text() {
        full = format!("{full}-{release}");
    }
    let mut pkg = Package::app(PackageKind::Bottlerocket, name, &full, path);
    pkg.arch = e.arch.text().map(Into::into);
    Some(pkg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_the_inventory_only() {
        assert!(BottlerocketAnalyzer.wants(INVENTORY, 1, 0o644));
        assert!(!BottlerocketAnalyzer.wants(
            "var/lib/bottlerocket/inventory/application.json",
            1,
            0o644
        ));
    }

    #[test]
    fn an_inventory_before_the_kits_has_no_epoch() {
        // The example entry on bottlerocket.dev's "Software Inventory" page (1.16.1).
        let text = br#"{"Content": [{"Name": "kernel-6.1", "Publisher": "Bottlerocket",
            "Version": "1.16.1", "Release": "763f6d4c", "InstalledTime": "2023-11-09T08:15:34Z",
            "ApplicationType": "Unspecified", "Architecture": "x86_64",
            "Url": "https://www.kernel.org/", "Summary": "The Linux kernel"},
            {"Name": "", "Version": "1.16.1"}]}"#;
        let a = BottlerocketAnalyzer.analyze(INVENTORY, text).unwrap();
        assert_eq!(a.packages.len(), 1);
        let p = &a.packages[0];
        assert_eq!((&*p.name, &*p.version), ("kernel-6.1", "1.16.1-763f6d4c"));
        assert_eq!(p.arch.as_deref(), Some("x86_64"));
        assert_eq!(p.kind, PackageKind::Bottlerocket);
    }

    #[test]
    fn not_an_inventory_is_an_error_naming_the_file() {
        for bad in [&b"[]"[..], b"{}", b"{\"Content\": 3}", b"\x7fELF"] {
            let e = BottlerocketAnalyzer.analyze(INVENTORY, bad).unwrap_err();
            assert_eq!(e.path, INVENTORY);
        }
    }
}
