//! drydock's names for the facts it records in CycloneDX properties and SPDX annotations.
//!
//! The writer (`drydock-report`) and the reader (`drydock-sbom`) both use these, so a
//! document drydock wrote reads back into the same [`crate::Inventory`]. The names follow
//! Trivy's `aquasecurity:trivy:` properties for the same facts (`PkgType`, `SrcName`,
//! `LayerDigest`, `FilePath`), under a `drydock:` namespace.

/// Namespace of every drydock property name.
pub const NAMESPACE: &str = "drydock:";

/// Package facts (one value each).
pub const PKG_TYPE: &str = "drydock:PkgType";
pub const SRC_NAME: &str = "drydock:SrcName";
pub const SRC_VERSION: &str = "drydock:SrcVersion";
pub const FILE_PATH: &str = "drydock:FilePath";
pub const LAYER_INDEX: &str = "drydock:LayerIndex";
pub const LAYER_DIGEST: &str = "drydock:LayerDigest";
pub const LAYER_DIFF_ID: &str = "drydock:LayerDiffID";
/// Architecture of a non-OS package (OS packages carry it in the purl's `arch`).
pub const ARCH: &str = "drydock:Arch";
/// `true` for development-only dependencies.
pub const DEV: &str = "drydock:Dev";
/// `true` for packages read from a lockfile rather than found installed.
pub const LOCKFILE: &str = "drydock:Lockfile";
/// `true` for go.mod `// indirect` requirements.
pub const INDIRECT: &str = "drydock:Indirect";
/// `binary` for a package identified from a version string in a program.
pub const IDENTIFIED_BY: &str = "drydock:IdentifiedBy";

/// Trivy's names for the source package, written beside drydock's: `trivy sbom` reads
/// a package's source (which Alpine and Debian advisories are keyed by) only from
/// these, and finds 4 of alpine-310's 20 vulnerabilities without them.
pub const TRIVY_SRC_NAME: &str = "aquasecurity:trivy:SrcName";
pub const TRIVY_SRC_VERSION: &str = "aquasecurity:trivy:SrcVersion";

/// Image facts, on the document's main component.
pub const ARTIFACT_FORMAT: &str = "drydock:ArtifactFormat";
pub const INPUT: &str = "drydock:Input";
pub const MANIFEST_DIGEST: &str = "drydock:ManifestDigest";
pub const IMAGE_ID: &str = "drydock:ImageID";
pub const REPO_TAG: &str = "drydock:RepoTag";
pub const PLATFORM: &str = "drydock:Platform";
pub const FILE_COUNT: &str = "drydock:FileCount";
pub const OS_CODENAME: &str = "drydock:OsCodename";
/// `drydock:NotCovered:<scope>` = reason: what the scan that wrote the SBOM could not read.
pub const NOT_COVERED_PREFIX: &str = "drydock:NotCovered:";

/// `drydock:Layer:<index>:<field>`, one group per layer of the image.
pub fn layer_field(index: usize, field: LayerField) -> String {
    format!("drydock:Layer:{index}:{}", field.as_str())
}

/// The recorded facts of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerField {
    Digest,
    DiffId,
    Size,
    CreatedBy,
}

impl LayerField {
    pub const ALL: [LayerField; 4] = [
        LayerField::Digest,
        LayerField::DiffId,
        LayerField::Size,
        LayerField::CreatedBy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LayerField::Digest => "Digest",
            LayerField::DiffId => "DiffID",
            LayerField::Size => "Size",
            LayerField::CreatedBy => "CreatedBy",
        }
    }

    /// Parses a `drydock:Layer:<index>:<field>` property name.
    pub fn parse_name(name: &str) -> Option<(usize, LayerField)> {
        let rest = name.strip_prefix("drydock:Layer:")?;
        let (index, field) = rest.split_once(':')?;
        let field = LayerField::ALL.into_iter().find(|f| f.as_str() == field)?;
        Some((index.parse().ok()?, field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names_parse_back() {
        for field in LayerField::ALL {
            assert_eq!(
                LayerField::parse_name(&layer_field(7, field)),
                Some((7, field))
            );
        }
        assert_eq!(LayerField::parse_name("drydock:Layer:x:Digest"), None);
        assert_eq!(LayerField::parse_name("drydock:Layer:1:Other"), None);
    }
}
