//! VEX: statements by a supplier (or the team itself) that a vulnerability does not
//! affect a product, or is fixed in it. OpenVEX 0.2 (and the 0.0.x shapes) and
//! CycloneDX VEX are read into one [`VexStatement`] list; `not_affected` (with a
//! justification or impact statement) and `fixed` suppress matching findings.

mod cyclonedx;
mod openvex;

use crate::pattern::ImageRef;
use crate::purl::Purl;
use drydock_model::{Artifact, Finding};

/// One statement, normalised from either format.
#[derive(Debug, Clone, PartialEq)]
pub struct VexStatement {
    pub vulnerability: String,
    pub aliases: Vec<String>,
    pub products: Vec<Product>,
    pub status: VexStatus,
    pub justification: Option<String>,
    /// OpenVEX `impact_statement`, CycloneDX `analysis.detail`.
    pub statement: Option<String>,
    /// When the statement was made (its own timestamp, else its document's): the latest
    /// statement about a finding wins.
    pub timestamp: Option<jiff::Timestamp>,
    /// The file and document id it came from.
    pub source: String,
}

/// A product the statement is about: identifiers (purls or IRIs) and, when the
/// vulnerability is in a component of it, the components' identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Product {
    pub ids: Vec<String>,
    pub subcomponents: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// A parsed VEX file: its usable statements, and why others were left out.
#[derive(Debug, Clone, Default)]
pub struct VexDocument {
    pub statements: Vec<VexStatement>,
    pub rejected: Vec<String>,
}

/// Reads an OpenVEX or CycloneDX (JSON) document; `source` names it in the report.
pub fn parse(text: &str, source: &str) -> Result<VexDocument, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let context = value.get("@context").and_then(|c| c.as_str()).unwrap_or("");
    let mut doc = if context.contains("openvex") {
        openvex::parse(value, source)?
    } else if value.get("bomFormat").and_then(|f| f.as_str()) == Some("CycloneDX") {
        cyclonedx::parse(value, source)?
    } else {
        return Err(
            "neither an OpenVEX document (@context) nor a CycloneDX BOM (bomFormat)".into(),
        );
    };
    let (valid, invalid): (Vec<_>, Vec<_>) = doc.statements.into_iter().partition(|s| {
        s.status != VexStatus::NotAffected || s.justification.is_some() || s.statement.is_some()
    });
    doc.rejected.extend(invalid.iter().map(|s| {
        format!(
            "{}: statement on {} ignored: not_affected needs a justification or an impact statement",
            s.source, s.vulnerability
        )
    }));
    doc.statements = valid;
    Ok(doc)
}

impl VexStatement {
    /// Why the finding is suppressed, in words for the report.
    pub fn reason(&self) -> String {
        let mut out = format!("VEX {}", self.status.as_str());
        if let Some(j) = &self.justification {
            out.push_str(": ");
            out.push_str(j);
        }
        if let Some(s) = &self.statement {
            out.push_str(if self.justification.is_some() {
                " — "
            } else {
                ": "
            });
            out.push_str(s);
        }
        out
    }

    fn names_vulnerability(&self, f: &Finding) -> bool {
        let theirs = std::iter::once(&self.vulnerability).chain(&self.aliases);
        let ours: Vec<&String> = std::iter::once(&f.id)
            .chain(&f.aliases)
            .chain(&f.advisory_ids)
            .collect();
        theirs
            .into_iter()
            .any(|t| ours.iter().any(|o| o.eq_ignore_ascii_case(t)))
    }
}

/// How the scanned image can be named by a VEX product: its digests and references.
pub(crate) struct ArtifactIds {
    digests: Vec<String>,
    refs: Vec<ImageRef>,
}

impl ArtifactIds {
    pub(crate) fn new(a: &Artifact) -> ArtifactIds {
        ArtifactIds {
            digests: a
                .manifest_digest
                .iter()
                .chain(&a.image_id)
                .cloned()
                .collect(),
            refs: a
                .repo_tags
                .iter()
                .filter_map(|t| ImageRef::parse(t))
                .collect(),
        }
    }

    /// `pkg:oci/<name>@<digest>` with this image's manifest or config digest, or, without a
    /// digest, the name (and `repository_url`/`tag` qualifiers when given) of a tag it carries.
    fn named_by(&self, id: &str) -> bool {
        let Some(p) = Purl::parse(id).filter(|p| p.ty == "oci") else {
            return false;
        };
        if let Some(d) = &p.version {
            return self.digests.iter().any(|own| own.eq_ignore_ascii_case(d));
        }
        self.refs.iter().any(|r| {
            r.repository.rsplit('/').next() == Some(p.name.as_str())
                && p.qualifiers
                    .get("repository_url")
                    .is_none_or(|u| ImageRef::parse(u).is_some_and(|u| u.name() == r.name()))
                && p.qualifiers
                    .get("tag")
                    .is_none_or(|t| r.tag.as_deref() == Some(t.as_str()))
        })
    }
}

fn names_package(ids: &[String], package: Option<&Purl>) -> bool {
    package.is_some_and(|pkg| {
        ids.iter()
            .filter_map(|id| Purl::parse(id))
            .any(|want| want.names(pkg))
    })
}

impl Product {
    /// A product without subcomponents is the package itself or the whole image; with
    /// subcomponents, the product must be this image and a subcomponent the package.
    fn covers(&self, package: Option<&Purl>, image: &ArtifactIds) -> bool {
        let is_image = self.ids.iter().any(|id| image.named_by(id));
        if self.subcomponents.is_empty() {
            is_image || names_package(&self.ids, package)
        } else {
            is_image && self.subcomponents.iter().any(|s| names_package(s, package))
        }
    }
}

/// The statement that decides `finding`'s status, when it suppresses it: of all
/// statements naming the finding's vulnerability and package, the latest (by timestamp,
/// then by order given) wins.
pub(crate) fn deciding<'s>(
    statements: &'s [VexStatement],
    finding: &Finding,
    package: Option<&Purl>,
    image: &ArtifactIds,
) -> Option<&'s VexStatement> {
    statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.names_vulnerability(finding))
        .filter(|(_, s)| s.products.iter().any(|p| p.covers(package, image)))
        .max_by_key(|(i, s)| (s.timestamp, *i))
        .map(|(_, s)| s)
        .filter(|s| s.status.suppresses())
}
