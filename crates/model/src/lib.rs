//! drydock's vocabulary, shared by every stage and depending on no other drydock crate.
//!
//! The JSON report is the serde form of [`Report`] and nothing else, so renaming a field
//! anywhere in the pipeline cannot silently change the published schema, and a report
//! drydock wrote can be read back (`drydock sbom`, the server) without loss.
//!
//! Stages and the types that cross between them:
//! image → files → [`Inventory`] → matcher → [`Finding`]s → policy ([`Verdict`]) → [`Report`].

mod coverage;
mod finding;
mod gate;
mod names;
mod package;
mod purl;
mod remediation;
mod report;
pub mod sbom;
mod scheme;
mod secret;
mod severity;

pub use coverage::NotCovered;
pub use finding::{CvssScore, EpssScore, Finding, KevEntry, Risk, Status, VendorRating};
pub use gate::{Filtered, SkippedByRequest, Suppressed, SuppressedBy, SuppressedItem};
pub use names::pep503;
pub use package::{
    Identification, Inventory, LayerRef, OsInfo, OsRelease, Package, PackageKind,
    UBUNTU_ESM_SERVICES,
};
pub use purl::{Purl, bitnami_purl, purl_for};
pub use remediation::{Remediation, Upgrade};
pub use report::{
    Artifact, ArtifactFormat, BaseImage, LayerInfo, Misconfig, Origin, OriginSource,
    REPORT_SCHEMA_VERSION, Report, SecretReport, SignatureCheck, Verdict, VerdictFailure, Whiteout,
    WhiteoutKind,
};
pub use scheme::Scheme;
pub use secret::{Confidence, SecretFinding, SkipReason, SkippedCandidate};
pub use severity::Severity;
