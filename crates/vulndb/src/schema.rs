//! SQLite schema and version checks.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

/// Version of the on-disk layout; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 4;

/// Prefix of advisories synthesized from Alpine secdb (rebuilt on every update).
pub(crate) const SECDB_PREFIX: &str = "ALPINE-SECDB-";

/// drydock's own ecosystem for Alpine edge. OSV publishes `Alpine:v3.X` only, so edge's
/// advisories are derived from secdb's `edge/{main,community}.json` alone (as
/// `SECDB_PREFIX` advisories, apk versions like any `Alpine:` ecosystem); it has no
/// `eco_state` row and is covered only when secdb had fixes for it.
pub const ALPINE_EDGE: &str = "Alpine:edge";

/// Prefix of advisories derived from the Debian security tracker (rebuilt on every
/// update): `DEBIAN-TRACKER-CVE-2023-45853`.
pub(crate) const TRACKER_PREFIX: &str = "DEBIAN-TRACKER-";

/// Prefix of advisories derived from the Ubuntu CVE tracker (rebuilt on every update):
/// `UBUNTU-TRACKER-CVE-2024-1234`, filed under OSV's Ubuntu ecosystem names.
pub(crate) const UBUNTU_TRACKER_PREFIX: &str = "UBUNTU-TRACKER-";

/// Prefix of advisories derived from Red Hat's VEX files (rebuilt on every update):
/// `REDHAT-VEX-CVE-2024-1234`, filed under `Red Hat VEX:` ecosystems keyed by source rpm.
pub(crate) const REDHAT_VEX_PREFIX: &str = "REDHAT-VEX-";

/// Prefix of advisories derived from SUSE's VEX files (rebuilt on every update):
/// `SUSE-VEX-CVE-2023-47627`, filed under `SUSE VEX:` ecosystems keyed by binary rpm.
pub(crate) const SUSE_VEX_PREFIX: &str = "SUSE-VEX-";

/// Prefix of advisories derived from Microsoft's Azure Linux OVAL files (rebuilt on
/// every update): `AZURE-OVAL-CVE-2024-7264`, filed under OSV's `Azure Linux:<N>`.
pub(crate) const AZURE_OVAL_PREFIX: &str = "AZURE-OVAL-";

/// Prefix of advisories derived from Broadcom's Photon OS OVAL files (rebuilt on every
/// update): `PHOTON-OVAL-CVE-2023-2602`, filed under OSV's `Photon OS:<N>.0`.
pub(crate) const PHOTON_OVAL_PREFIX: &str = "PHOTON-OVAL-";

/// Family of the ecosystems (`Amazon Linux:2`, `Amazon Linux:2023`) whose advisories come
/// from Amazon's ALAS feed, not OSV (rebuilt on every update; no `eco_state` row).
pub(crate) const ALAS_FAMILY: &str = "Amazon Linux";

/// Likewise `Oracle Linux:8`, `Oracle Linux:9`, from Oracle's ELSA OVAL feed.
pub(crate) const ELSA_FAMILY: &str = "Oracle Linux";

/// And `Bottlerocket` (one ecosystem: its advisories name no release) from
/// Bottlerocket's `updateinfo.xml`.
pub(crate) const BOTTLEROCKET_FAMILY: &str = "Bottlerocket";

/// And `Fedora:41`, `Fedora:42`, from each release's `updateinfo.xml`.
pub(crate) const FEDORA_FAMILY: &str = "Fedora";

/// `affected.ranges` holds the ECOSYSTEM/SEMVER ranges in the compact text form of
/// `osv::encode_ranges`; `versions`, `aliases` and `related_cves` are `osv::encode_list`
/// lists (NULL when empty). `name` is the original package name, only when
/// it differs from the normalized `package` key. `eco_record` tracks which record ids
/// each ecosystem feed lists (with `ok = 0` for unparseable ones) so incremental
/// updates can diff against `modified_id.csv`. `cve_ref` maps each CVE to the advisories
/// that name it and carry a severity (v2): a distro record without one can borrow the
/// assessment another feed published for the same CVE. `affected.vendor_rating` (v3)
/// is the distribution's own rating for that package (Debian urgency, Ubuntu priority, the
/// Red Hat level of AlmaLinux/Rocky errata, openEuler severity); `affected.vendor_status`
/// (v4) the vendor's fix status when a tracker says more than fixed / not fixed.
const DDL: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE advisory(
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  modified TEXT NOT NULL,
  published TEXT,
  withdrawn TEXT,
  summary TEXT,
  severity TEXT,
  severity_source TEXT,
  aliases TEXT,
  related_cves TEXT,
  url TEXT
);
CREATE TABLE affected(
  adv INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  name TEXT,
  ranges TEXT NOT NULL,
  versions TEXT,
  vendor_rating TEXT,
  vendor_status TEXT
);
CREATE INDEX affected_pkg ON affected(ecosystem, package);
CREATE INDEX affected_adv ON affected(adv);
CREATE TABLE eco_record(
  ecosystem TEXT NOT NULL,
  id TEXT NOT NULL,
  modified TEXT NOT NULL,
  ok INTEGER NOT NULL,
  PRIMARY KEY(ecosystem, id)
) WITHOUT ROWID;
CREATE TABLE eco_state(
  ecosystem TEXT PRIMARY KEY,
  last_modified TEXT,
  records INTEGER NOT NULL,
  bad INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE cve_ref(
  cve TEXT NOT NULL,
  adv INTEGER NOT NULL,
  PRIMARY KEY(cve, adv)
) WITHOUT ROWID;
CREATE TABLE cve(
  cve TEXT PRIMARY KEY,
  kev_added TEXT,
  kev_due TEXT,
  cvss3_vector TEXT,
  cvss3_score REAL,
  cvss3_source TEXT,
  cvss4_vector TEXT,
  cvss4_score REAL,
  epss REAL,
  epss_percentile REAL
) WITHOUT ROWID;
";

pub(crate) fn create(conn: &Connection) -> Result<()> {
    conn.execute_batch(DDL)?;
    set_meta(conn, "schema_version", &SCHEMA_VERSION.to_string())?;
    Ok(())
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES(?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )?;
    Ok(())
}

pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Opens an existing database read-only and checks its schema version.
pub(crate) fn open_checked(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::Missing(path.to_path_buf()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // The file behind a path is never written in place (updates rename a new file over
    // it), so it can be opened `immutable`: no locking or change detection per query,
    // which otherwise dominates the cost of small lookups.
    let conn = match path.to_str() {
        Some(p) => {
            let uri = format!(
                "file:{}?immutable=1",
                p.replace('%', "%25")
                    .replace('?', "%3F")
                    .replace('#', "%23")
            );
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?
        }
        None => Connection::open_with_flags(path, flags)?,
    };
    stable_plans(&conn)?;
    check_version(&conn, path)?;
    Ok(conn)
}

/// Turns on the query planner stability guarantee. Without it, the bundled SQLite
/// (built with STAT4) marks bound parameters as plan-relevant and re-prepares cached
/// statements on every new binding, which was half the cost of a lookup.
pub(crate) fn stable_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Errors unless the database has exactly this crate's schema version.
pub(crate) fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let not_db = |msg: String| Error::NotADb {
        path: path.to_path_buf(),
        msg,
    };
    let v = get_meta(conn, "schema_version").map_err(|e| not_db(e.to_string()))?;
    let v: u32 = v
        .ok_or_else(|| not_db("no schema_version".into()))?
        .parse()
        .map_err(|_| not_db("unparseable schema_version".into()))?;
    if v > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: v,
            supported: SCHEMA_VERSION,
        });
    }
    if v < SCHEMA_VERSION {
        return Err(not_db(format!(
            "schema v{v} is older than v{SCHEMA_VERSION}; run `drydock db update --full`"
        )));
    }
    Ok(())
}
