//! The scan report: what drydock writes as JSON (schema v1) and reads back.
//!
//! Field order here is the JSON field order; fields are only ever added within a schema
//! version, so every new field is optional on the way in.

use crate::{
    Filtered, Finding, LayerRef, NotCovered, OsInfo, Package, Remediation, SecretFinding, Severity,
    SkippedByRequest, SkippedCandidate, Suppressed,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Bumped whenever a field changes meaning or disappears (additions do not bump it).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub artifact: Artifact,
    /// None when no release file was found.
    pub os: Option<OsInfo>,
    pub layers: Vec<LayerInfo>,
    pub packages: Vec<Package>,
    /// Whiteouts applied while merging layers, with how many lower-layer entries each hid.
    pub whiteouts: Vec<Whiteout>,
    /// Present when the vulnerability scanner ran; sorted by severity, then KEV, then
    /// EPSS (each finding's `risk` gives the order the table uses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Vec<Finding>>,
    /// Present when the vulnerability scanner ran: upgrades per package and where the
    /// findings came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Remediation>,
    /// Present when the secret scanner ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretReport>>,
    /// With `--debug`: secret candidates that were not reported, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_skipped: Option<Vec<SkippedCandidate>>,
    /// Present when the misconfiguration scanner ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misconfigurations: Option<Vec<Misconfig>>,
    /// What drydock could not look at, and why: never silently empty.
    pub not_covered: Vec<NotCovered>,
    pub warnings: Vec<String>,
    /// Present when a policy was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Findings an ignore rule or a VEX statement suppressed, each with why: kept here
    /// rather than dropped, so an audit sees what the gate did not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppressed>,
    /// What `--severity`, `--ignore-unfixed` and `--pkg-types` left out, when any is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Filtered>,
    /// Paths not read because `--skip-dirs` / `--skip-files` asked so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_by_request: Vec<SkippedByRequest>,
}

/// How the scanned artifact was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactFormat {
    /// `docker save` before Docker 25: manifest.json + `<id>/layer.tar`.
    DockerArchive,
    /// `docker save` from Docker 25 on: an OCI layout plus manifest.json.
    DockerArchiveOci,
    OciLayout,
    OciArchive,
    /// An unpacked root filesystem (`drydock rootfs`).
    Rootfs,
    /// A project checkout (`drydock fs`): lockfiles, no OS expected.
    SourceTree,
    /// An imported CycloneDX or SPDX document (`drydock sbom`).
    Sbom,
    /// Pulled from a registry (`Artifact::origin` says which).
    Registry,
    /// Exported by a container engine over its socket (`Artifact::origin` says which).
    Engine,
}

impl ArtifactFormat {
    /// The name in reports (the JSON value).
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactFormat::DockerArchive => "docker-archive",
            ArtifactFormat::DockerArchiveOci => "docker-archive-oci",
            ArtifactFormat::OciLayout => "oci-layout",
            ArtifactFormat::OciArchive => "oci-archive",
            ArtifactFormat::Rootfs => "rootfs",
            ArtifactFormat::SourceTree => "source-tree",
            ArtifactFormat::Sbom => "sbom",
            ArtifactFormat::Registry => "registry",
            ArtifactFormat::Engine => "engine",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    pub input: String,
    pub format: ArtifactFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    /// sha256 of the image config (the image ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Regular files (and hard links) in the final, merged filesystem.
    pub file_count: usize,
    /// The image config's `created` timestamp, as written there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The image config's labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The image this one was built from, when its labels or history tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_image: Option<BaseImage>,
    /// Where an image that was not a local file came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The signature check asked for with `--verify-key`; a policy with
    /// `require_signature` fails without a verified one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureCheck>,
}

/// The base image, as far as the image itself records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseImage {
    /// `org.opencontainers.image.base.name` (a reference such as `docker.io/library/debian:12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `org.opencontainers.image.base.digest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// How many of the image's layers are the base's, when the history shows where the
    /// base ends (its last `CMD`/`ENTRYPOINT` before the image's own layers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<usize>,
    /// `label` or `history`: where the above came from.
    pub source: String,
}

/// Which kind of source served an image named by reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginSource {
    Registry,
    /// A Docker or Podman engine, reached over its Unix socket (`Origin::engine`).
    Engine,
}

/// The registry (or engine) an image was read from, and what its name resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub source: OriginSource,
    /// The full, normalised name: `docker.io/library/nginx:1.25`.
    pub reference: String,
    /// The registry as named (`docker.io`), not the host contacted.
    pub registry: String,
    pub repository: String,
    /// The digest the tag (or digest) resolved to: a multi-platform index, or the
    /// manifest itself (then equal to `Artifact::manifest_digest`). For an engine, the
    /// image id the engine resolved the name to (the config's digest).
    pub resolved_digest: String,
    /// The engine's socket (`unix:///var/run/docker.sock`), for images read from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// The registry digests the engine knows for the image (`name@sha256:…`, from a
    /// pull or push); empty for images built or loaded locally and never pushed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_digests: Vec<String>,
}

/// A verified cosign signature over the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub verified: bool,
    /// What scheme was checked: `cosign` (simple signing, `sha256-<digest>.sig` tag).
    pub scheme: String,
    /// sha256 of the public key (DER SubjectPublicKeyInfo), to tell keys apart.
    pub key_fingerprint: String,
    /// The digest the signature covers (the index or the manifest).
    pub signed_digest: String,
    /// The tag the signature was found under.
    pub signature_tag: String,
    /// `docker-reference` claimed by the signed payload, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    pub index: usize,
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WhiteoutKind {
    /// `.wh.<name>`: one path removed.
    Whiteout,
    /// `.wh..wh..opq`: a directory's lower-layer contents removed.
    OpaqueDir,
}

/// A whiteout applied while merging layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whiteout {
    pub layer: usize,
    pub kind: WhiteoutKind,
    pub path: String,
    /// Entries removed from lower layers (the whited-out path itself counts).
    pub removed_entries: usize,
}

/// A secret found in a file of some layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretReport {
    #[serde(flatten)]
    pub finding: SecretFinding,
    pub layer: LayerRef,
    /// False when a later layer deleted or replaced the file: the secret is gone from the
    /// container's filesystem but still ships inside that layer's blob.
    pub in_final_filesystem: bool,
}

/// A failed configuration check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misconfig {
    /// Stable id, `DD-CFG-NNN`.
    pub id: Cow<'static, str>,
    /// CIS Docker Benchmark v1.6 recommendation (section 4) the check
    /// implements, e.g. `4.1`; absent when none corresponds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cis: Option<Cow<'static, str>>,
    pub title: Cow<'static, str>,
    pub severity: Severity,
    /// What exactly was found (file, user, port...).
    pub message: String,
    pub remediation: Cow<'static, str>,
    pub path: Option<String>,
    pub layer_index: Option<usize>,
}

/// The policy's answer to "may this image ship?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub pass: bool,
    /// Each rule that failed, with its reason; empty when `pass`.
    pub failures: Vec<VerdictFailure>,
    /// Rules that did not fail but need attention (findings inside their remediation
    /// deadline, expired ignores, unusable VEX statements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<VerdictFailure>,
    /// The date the policy was evaluated on (`YYYY-MM-DD`): deadlines are relative to it,
    /// and a later `--baseline` run dates findings first seen here by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictFailure {
    /// The policy rule, e.g. `severity`.
    pub rule: String,
    pub reason: String,
}
