//! Bitnami images: the components Bitnami builds (`opt/bitnami/<component>/.spdx-*.spdx`)
//! are inventoried as kind `bitnami` and matched against OSV's `Bitnami` ecosystem, whose
//! SEMVER ranges are over upstream versions while the image's carry Bitnami's revision
//! (`17.2.0-8`). Expected values are worked out by hand from
//! `testdata/distros/bitnami-postgresql` and `testdata/distro-advisories/osv/Bitnami`
//! (provenance in the READMEs there).

#[path = "support/distros.rs"]
mod distros;

use std::collections::BTreeSet;

use distros::*;
use drydock_model::{PackageKind, Report};

const SPDX: &str = "opt/bitnami/postgresql/.spdx-postgresql.spdx";

/// `name=version` of every Bitnami component.
fn components(r: &Report) -> BTreeSet<String> {
    r.packages
        .iter()
        .filter(|p| p.kind == PackageKind::Bitnami)
        .map(|p| format!("{}={}", p.name, p.version))
        .collect()
}

/// syft's real PostgreSQL 17.2.0 document lists 19 packages: 16 with a `pkg:bitnami` purl
/// (named as the purl names them: `nss_wrapper`, where `name` says `nss-wrapper`) and the
/// three pljava jars as `pkg:maven`, which are not Bitnami components.
#[test]
fn bitnami_components_are_inventoried_from_the_spdx_document() {
    let r = scan_distro("bitnami-postgresql");
    assert_eq!(
        components(&r),
        set(&[
            "gdal=3.10.1",
            "geos=3.13.0",
            "json-c=0.16.20220414",
            "nss_wrapper=1.1.16",
            "orafce=4.14.1",
            "pgaudit=17.0.0",
            "pgbackrest=2.54.2",
            "pljava=1.6.8",
            "postgis=3.4.4",
            "postgresql=17.2.0-8",
            "proj=6.3.2",
            "protobuf=3.21.12",
            "protobuf-c=1.5.1",
            "psqlodbc=16.0.0",
            "unixodbc=2.3.12",
            "wal2json=2.6.0",
        ])
    );
    assert!(r.packages.iter().all(|p| p.kind == PackageKind::Bitnami));
    let pg = r
        .packages
        .iter()
        .find(|p| &*p.name == "postgresql")
        .expect("pg");
    assert_eq!(&*pg.location, SPDX);
    assert_eq!(pg.arch.as_deref(), Some("arm64"));
    assert_eq!(&*pg.licenses, ["PostgreSQL"]);
    assert_eq!(
        pg.purl().as_deref(),
        Some("pkg:bitnami/postgresql@17.2.0-8?arch=arm64&distro=debian-12")
    );
}

/// postgresql 17.2.0-8 against the three records:
/// - BIT-postgresql-2025-1094: introduced 17.0.0, fixed 17.3.0; 17.0.0 <= 17.2.0-8 < 17.3.0,
///   affected, fixed in 17.3.0.
/// - BIT-postgresql-2024-10979: 17.x fixed in 17.1.0 <= 17.2.0-8: not affected.
/// - BIT-gdal-2025-29480: gdal introduced 3.10.2; the image's gdal 3.10.1 is older: not
///   affected.
#[test]
fn bitnami_components_match_the_bitnami_ecosystem() {
    let r = scan_distro("bitnami-postgresql");
    assert_eq!(
        findings(&r),
        set(&["postgresql BIT-postgresql-2025-1094 [17.3.0] Fixed"])
    );
    let f = r.vulnerabilities.iter().flatten().next().expect("finding");
    assert_eq!(f.ecosystem, "Bitnami");
    assert_eq!(f.id, "CVE-2025-1094");
    assert_eq!(f.installed_version, "17.2.0-8");
    // Bitnami's own level, the record's `database_specific.severity` ("High").
    assert_eq!(
        vendor_ratings(&r),
        set(&["BIT-postgresql-2025-1094 Bitnami severity: high"])
    );
    // The fixture has no dpkg database, so only the OS side is reported as not covered.
    let bitnami_uncovered: Vec<_> = r
        .not_covered
        .iter()
        .filter(|n| n.scope.contains("Bitnami") || n.reason.contains("Bitnami"))
        .collect();
    assert!(bitnami_uncovered.is_empty(), "{bitnami_uncovered:?}");
}

/// The same image rebuilt at 17.3.0 (revision 0): Bitnami's `17.3.0-0` is revision 0 of
/// the fixed release, not a SemVer pre-release before it, so BIT-postgresql-2025-1094
/// (fixed 17.3.0) no longer applies. The document is the fixture's with postgresql's
/// `versionInfo` and purl edited; nothing else changes.
#[test]
fn a_revision_of_the_fixed_release_is_not_affected() {
    let src = testdata("distros/bitnami-postgresql");
    let root = tempfile::tempdir().expect("tmp");
    for rel in ["usr/lib/os-release", SPDX] {
        let text = std::fs::read_to_string(src.join(rel)).expect("read");
        let text = text.replace("postgresql@17.2.0-8", "postgresql@17.3.0-0");
        let text = text.replace(
            "\"versionInfo\": \"17.2.0-8\"",
            "\"versionInfo\": \"17.3.0-0\"",
        );
        let out = root.path().join(rel);
        std::fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
        std::fs::write(out, text).expect("write");
    }
    let r = scan_rootfs(root.path());
    assert!(components(&r).contains("postgresql=17.3.0-0"));
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
}
