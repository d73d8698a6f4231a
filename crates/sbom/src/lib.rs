//! Reads CycloneDX (1.4–1.7) and SPDX (2.2, 2.3) JSON into the same [`Inventory`] an
//! image scan assembles, so an imported SBOM is matched exactly like a scanned image.
//!
//! Each format's reader ([`cyclonedx`], [`spdx`]) only walks its document into
//! [`Document`] entries; [`assemble`] turns those into packages from their purls, with
//! the facts drydock (`drydock:` properties), Trivy (`aquasecurity:trivy:`) and Syft
//! (`syft:`) record about source packages, layers and locations. Whatever cannot be
//! matched (purl types drydock has no advisories for, components without a purl) is
//! listed in [`Inventory::coverage`], never dropped.

mod assemble;
mod cyclonedx;
mod purl;
mod spdx;

use drydock_model::{Artifact, Inventory};
use serde_json::Value;
use std::collections::BTreeMap;

/// An imported SBOM: the artifact it describes and its inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Sbom {
    /// `input` is the SBOM's name as given; format [`drydock_model::ArtifactFormat::Sbom`];
    /// digests, tags and platform as the document records them.
    pub artifact: Artifact,
    pub inventory: Inventory,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "neither a CycloneDX nor an SPDX JSON document (no \"bomFormat\": \"CycloneDX\" or \"spdxVersion\")"
    )]
    UnknownSpec,
    #[error("{0} is not supported (drydock reads CycloneDX 1.4–1.7 and SPDX 2.2–2.3 JSON)")]
    Version(String),
    #[error("{0}")]
    Malformed(String),
}

/// Reads `bytes` (a CycloneDX or SPDX JSON document) named `input`.
pub fn read(input: &str, bytes: &[u8]) -> Result<Sbom, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes)?;
    let obj = value.as_object().ok_or(Error::UnknownSpec)?;
    let document = if obj.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        cyclonedx::document(obj)?
    } else if let Some(version) = obj.get("spdxVersion") {
        spdx::document(version, obj)?
    } else {
        return Err(Error::UnknownSpec);
    };
    Ok(assemble::assemble(document, input))
}

/// Named facts of one element: CycloneDX properties, or SPDX annotations of the form
/// `name: value`. A name may repeat (one `RepoTag` per tag).
#[derive(Debug, Clone, Default)]
pub(crate) struct Props(BTreeMap<String, Vec<String>>);

impl Props {
    pub fn push(&mut self, name: String, value: String) {
        self.0.entry(name).or_default().push(value);
    }

    pub fn first(&self, name: &str) -> Option<&str> {
        self.0.get(name)?.first().map(String::as_str)
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.as_str(), v.as_str())))
    }
}

/// What an element of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A package, to be read from its purl.
    Package,
    OperatingSystem,
    /// A library without a purl: cannot be matched, reported as such.
    Unidentified,
    /// The image itself, an application or a file grouping packages: not matched.
    Structural,
}

/// One component (CycloneDX) or package (SPDX).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub role: Role,
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub purl: Option<String>,
    pub licenses: Vec<String>,
    pub props: Props,
    /// Source package name and version stated in prose (SPDX `sourceInfo`).
    pub source: Option<(String, String)>,
}

/// A document walked into its elements, before any package is made.
#[derive(Debug, Default)]
pub(crate) struct Document {
    /// Facts about the image (CycloneDX `metadata.component`, SPDX container package).
    pub image: Props,
    pub entries: Vec<Entry>,
}

fn malformed(what: impl Into<String>) -> Error {
    Error::Malformed(what.into())
}
