//! Local vulnerability database for drydock.
//!
//! Builds a compact SQLite database from an OSV bucket mirror (`<base>/<ECOSYSTEM>/all.zip`
//! plus `modified_id.csv`), joins CVE extras (CISA KEV, CVSS, NVD CVSS, EPSS) and gap-fills Alpine
//! from secdb, then serves the per-package lookups the matcher needs.
//!
//! The database file is only ever replaced by an atomic rename of a fully written
//! temporary file, so a crash or failed download never leaves a half-updated database.

mod admin;
mod clock;
mod error;
mod feeds;
mod fetch;
mod normalize;
mod osv;
mod query;
mod schema;
mod update;

pub use admin::{DbStatus, export, import, status};
pub use clock::{civil_from_days, now_rfc3339, today_utc};
pub use error::{Error, Result};
pub use feeds::{
    ALPINE_EDGE_SECDB_URL, AMAZON_LINUX_CDN_URL, AZURE_LINUX_OVAL_URL, BOTTLEROCKET_ADVISORIES_URL,
    CISA_KEV_URL, DEBIAN_TRACKER_URL, FEDORA_UPDATES_URL, FIRST_EPSS_URL, FeedLocation, FeedState,
    FeedStatus, NVD_FEEDS_URL, ORACLE_ELSA_URL, PHOTON_OVAL_URL,
};
pub use normalize::normalize_package;
pub use osv::{Event, Range, RangeKind};
pub use query::{
    Advisory, AffectedEntry, CveInfo, Cvss, Db, EcosystemInfo, Epss, FixedVersion, Kev, Severity,
};
pub use schema::{ALPINE_EDGE, SCHEMA_VERSION};
pub use update::{
    BadRecord, EcosystemReport, FeedReport, UpdateMode, UpdateOptions, UpdateReport, update,
};

/// File name of the database inside the cache directory.
pub const DB_FILE: &str = "db.sqlite";

/// Parses one OSV record the way the importer does, returning how many affected package
/// entries it holds: public for the `osv_record` fuzz target and for checking a record
/// written by hand.
pub fn parse_osv_record(bytes: &[u8]) -> std::result::Result<usize, String> {
    osv::parse_record(bytes).map(|parsed| parsed.affected.len())
}

/// Parses an Amazon Linux `updateinfo.xml` the way `db update` does, returning how many
/// security advisories it holds: public for the `alas_updateinfo` fuzz target.
pub fn parse_alas_updateinfo(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("updateinfo.xml"));
    feeds::alas::parse_updateinfo(bytes, &origin, "2023")
        .map(|updates| updates.len())
        .map_err(|e| e.to_string())
}

/// Decompresses (xz, zstd, gzip, bzip2 or none) and parses a Fedora repository's
/// `updateinfo.xml` the way `db update` does, returning how many security updates it
/// holds: public for the `fedora_updateinfo` fuzz target.
pub fn parse_fedora_updateinfo(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("updateinfo.xml.xz"));
    feeds::parse_fedora(bytes, &origin, "41")
        .map(|updates| updates.len())
        .map_err(|e| e.to_string())
}

/// Parses Oracle's ELSA OVAL file the way `db update` does, returning how many
/// advisories it holds: public for the `elsa_oval` fuzz target.
pub fn parse_elsa_oval(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("com.oracle.elsa-all.xml"));
    feeds::elsa::parse_oval(bytes, &origin)
        .map(|defs| defs.len())
        .map_err(|e| e.to_string())
}

/// Parses one of Microsoft's Azure Linux OVAL files the way `db update` does, returning
/// how many (CVE, package) definitions it holds: public for the `azure_oval` fuzz target.
pub fn parse_azure_oval(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("azurelinux-3.0-oval.xml"));
    feeds::azure::parse_oval(bytes, &origin)
        .map(|defs| defs.len())
        .map_err(|e| e.to_string())
}

/// Parses one of Broadcom's Photon OS OVAL files (inflated) the way `db update` does,
/// returning how many (CVE, package) entries it holds: public for the `photon_oval` fuzz
/// target.
pub fn parse_photon_oval(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("com.vmware.phsa-photon5.xml"));
    feeds::photon::parse_oval(bytes, &origin)
        .map(|defs| defs.len())
        .map_err(|e| e.to_string())
}

/// Parses the Debian security tracker's JSON export the way `db update` does, returning
/// how many release entries it keeps: public for the `debian_tracker` fuzz target.
pub fn parse_debian_tracker(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("tracker.json"));
    feeds::parse_debian_tracker(bytes, &origin)
        .map(|(parsed, _)| parsed.entries)
        .map_err(|e| e.to_string())
}

/// Parses Canonical's CVE listing (`cves.json`) the way `db update` reads it, returning
/// how many release-stream entries it keeps: public for the `ubuntu_tracker` fuzz target.
pub fn parse_ubuntu_tracker(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("cves.json"));
    feeds::parse_ubuntu_tracker(bytes, &origin)
        .map(|(parsed, _)| parsed.entries)
        .map_err(|e| e.to_string())
}

/// Parses one Red Hat CSAF VEX document the way `db update` reads each member of the
/// archive, returning how many unfixed RHEL components it keeps: public for the
/// `redhat_vex` fuzz target.
pub fn parse_redhat_vex(bytes: &[u8]) -> std::result::Result<usize, String> {
    feeds::parse_redhat_vex_document(bytes).map(|c| c.map_or(0, |c| c.entries.len()))
}

/// Parses Red Hat's `changes.csv` (or `deletions.csv`, the same shape) the way `db update`
/// reads it to patch its kept archive, returning how many lines it lists: public for the
/// `redhat_vex_listing` fuzz target.
pub fn parse_redhat_vex_listing(bytes: &[u8]) -> std::result::Result<usize, String> {
    let origin = fetch::Location::Dir(std::path::PathBuf::from("changes.csv"));
    feeds::parse_redhat_vex_listing(bytes, &origin)
        .map(|l| l.len())
        .map_err(|e| e.to_string())
}

/// Parses one SUSE CSAF VEX document the way `db update` reads each member of the
/// archive, returning how many unfixed rpms of the kept products it keeps: public for
/// the `suse_vex` fuzz target.
pub fn parse_suse_vex(bytes: &[u8]) -> std::result::Result<usize, String> {
    feeds::parse_suse_vex_document(bytes).map(|c| c.map_or(0, |c| c.entries.len()))
}

/// Path of the database file inside `cache_dir`.
pub fn db_path(cache_dir: &std::path::Path) -> std::path::PathBuf {
    cache_dir.join(DB_FILE)
}
