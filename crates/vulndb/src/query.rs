//! Read-side API used by the matcher and reports.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::normalize::normalize_package;
use crate::osv::{Event, Range, advisory_cves, decode_list, decode_ranges};
use crate::schema;

/// One affected-package entry of an advisory, as needed for version matching.
#[derive(Debug, Clone, PartialEq)]
pub struct AffectedEntry {
    pub advisory_id: String,
    pub aliases: Vec<String>,
    /// Withdrawn advisories are kept for reference; matchers should skip them.
    pub withdrawn: bool,
    pub ecosystem: String,
    /// Normalized package key (see [`normalize_package`]).
    pub package: String,
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    pub versions: Vec<String>,
    /// The distribution's own rating for this package (Debian urgency, Ubuntu
    /// priority), lowercase as published.
    pub vendor_rating: Option<String>,
    /// The vendor's fix status beyond fixed / no fix (`will_not_fix`, `fix_deferred`,
    /// `end_of_life`, `under_investigation`), from the Debian security tracker.
    pub vendor_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Severity {
    /// CVSS vector or textual level (e.g. `HIGH`).
    pub value: String,
    /// `CVSS_V3`, `CVSS_V4`, ... or `database_specific`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cvss {
    pub vector: String,
    pub score: f64,
    /// Who scored it (`cna`, `CISA-ADP`, ...) when known.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kev {
    pub date_added: String,
    pub due_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epss {
    pub score: f64,
    pub percentile: f64,
}

/// Extras for one CVE referenced by an advisory.
#[derive(Debug, Clone, PartialEq)]
pub struct CveInfo {
    pub cve: String,
    pub kev: Option<Kev>,
    pub cvss3: Option<Cvss>,
    pub cvss4: Option<Cvss>,
    pub epss: Option<Epss>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedVersion {
    pub ecosystem: String,
    pub package: String,
    pub version: String,
}

/// Report-level details of one advisory.
#[derive(Debug, Clone, PartialEq)]
pub struct Advisory {
    pub id: String,
    pub modified: String,
    pub published: Option<String>,
    pub withdrawn: Option<String>,
    pub summary: Option<String>,
    pub severity: Option<Severity>,
    pub aliases: Vec<String>,
    pub url: Option<String>,
    /// CVEs the advisory refers to (id, aliases, upstream/related) with their extras;
    /// CVEs without any extra data are listed with all fields `None`.
    pub cves: Vec<CveInfo>,
    /// `fixed` events over all affected entries.
    pub fixed_versions: Vec<FixedVersion>,
}

impl Advisory {
    /// Whether any referenced CVE is in CISA KEV.
    pub fn known_exploited(&self) -> bool {
        self.cves.iter().any(|c| c.kev.is_some())
    }

    /// Highest CVSS base score over referenced CVEs (v4 preferred per CVE).
    pub fn max_cvss(&self) -> Option<f64> {
        self.cves
            .iter()
            .filter_map(|c| c.cvss4.as_ref().or(c.cvss3.as_ref()).map(|s| s.score))
            .reduce(f64::max)
    }

    /// Highest EPSS score over referenced CVEs.
    pub fn max_epss(&self) -> Option<Epss> {
        self.cves
            .iter()
            .filter_map(|c| c.epss)
            .reduce(|a, b| if b.score > a.score { b } else { a })
    }
}

/// Per-ecosystem coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemInfo {
    pub name: String,
    pub records: usize,
    pub bad: usize,
    pub last_modified: Option<String>,
}

/// A read-only handle on the database.
pub struct Db {
    conn: Connection,
}

impl Db {
    /// Opens `path` read-only; errors if it is missing or has an unsupported schema.
    pub fn open(path: &Path) -> Result<Db> {
        let conn = schema::open_checked(path)?;
        // Lookups hop between the package index, affected rows and advisories; mapping
        // the file avoids a read syscall per page (the DB is tens of MB).
        conn.execute_batch("PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768;")?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(Db { conn })
    }

    /// Opens `<cache_dir>/db.sqlite`.
    pub fn open_cache(cache_dir: &Path) -> Result<Db> {
        Db::open(&crate::db_path(cache_dir))
    }

    /// All affected entries for `package` in exactly `ecosystem` (e.g. `Debian:11`),
    /// including withdrawn ones (flagged). The name is normalized like at import.
    pub fn advisories_for(&self, ecosystem: &str, package: &str) -> Result<Vec<AffectedEntry>> {
        let key = normalize_package(ecosystem, package);
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, a.aliases, a.withdrawn IS NOT NULL, f.ranges, f.versions, f.vendor_rating,
             f.vendor_status FROM affected f JOIN advisory a ON a.rid = f.adv
             WHERE f.ecosystem = ?1 AND f.package = ?2",
        )?;
        let mut rows = st.query((ecosystem, key.as_ref()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let ranges = r.get_ref(3)?.as_str()?;
            out.push(AffectedEntry {
                advisory_id: r.get(0)?,
                aliases: decode_list(r.get_ref(1)?.as_str_or_null()?),
                withdrawn: r.get(2)?,
                ecosystem: ecosystem.to_owned(),
                package: key.clone().into_owned(),
                ranges: decode_ranges(ranges).ok_or_else(|| corrupt_row(ranges))?,
                versions: decode_list(r.get_ref(4)?.as_str_or_null()?),
                vendor_rating: r.get(5)?,
                vendor_status: r.get(6)?,
            });
        }
        Ok(out)
    }

    /// Details of advisory `id`, with CVE extras joined; `None` if unknown.
    /// Severities that advisories naming `cve` publish, as (advisory id, severity).
    pub fn cve_severities(&self, cve: &str) -> Result<Vec<(String, Severity)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, a.severity, a.severity_source FROM cve_ref r JOIN advisory a ON a.rid = r.adv
             WHERE r.cve = ?1 ORDER BY a.id",
        )?;
        let rows = st.query_map([cve], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            if let (id, Some(value), source) = row? {
                out.push((
                    id,
                    Severity {
                        value,
                        source: source.unwrap_or_default(),
                    },
                ));
            }
        }
        Ok(out)
    }

    pub fn advisory(&self, id: &str) -> Result<Option<Advisory>> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT rid, id, modified, published, withdrawn, summary, severity,
                 severity_source, aliases, related_cves, url FROM advisory WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            })
            .optional()?;
        let Some((
            rid,
            id,
            modified,
            published,
            withdrawn,
            summary,
            sev,
            sev_src,
            aliases,
            rel,
            url,
        )) = row
        else {
            return Ok(None);
        };
        let cves = advisory_cves(&id, aliases.clone(), rel)
            .into_iter()
            .map(|c| self.cve(&c))
            .collect::<Result<Vec<_>>>()?;
        let fixed_versions = self.fixed_versions(rid)?;
        Ok(Some(Advisory {
            id,
            modified,
            published,
            withdrawn,
            summary,
            severity: sev.map(|value| Severity {
                value,
                source: sev_src.unwrap_or_default(),
            }),
            aliases: decode_list(aliases.as_deref()),
            url,
            cves,
            fixed_versions,
        }))
    }

    /// Every fixed version named by the ranges of the advisory with row id `rid`.
    fn fixed_versions(&self, rid: i64) -> Result<Vec<FixedVersion>> {
        let mut fixed_versions = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT ecosystem, COALESCE(name, package), ranges FROM affected WHERE adv = ?1",
        )?;
        let mut rows = st.query([rid])?;
        while let Some(r) = rows.next()? {
            let text = r.get_ref(2)?.as_str()?;
            let ranges: Vec<Range> = decode_ranges(text).ok_or_else(|| corrupt_row(text))?;
            for ev in ranges.iter().flat_map(|r| &r.events) {
                if let Event::Fixed(v) = ev {
                    fixed_versions.push(FixedVersion {
                        ecosystem: r.get(0)?,
                        package: r.get(1)?,
                        version: v.clone(),
                    });
                }
            }
        }
        Ok(fixed_versions)
    }

    /// KEV/CVSS/EPSS data for one CVE (all `None` when the feeds have nothing).
    pub fn cve(&self, cve: &str) -> Result<CveInfo> {
        let mut st = self.conn.prepare_cached(
            "SELECT kev_added, kev_due, cvss3_vector, cvss3_score, cvss3_source,
             cvss4_vector, cvss4_score, epss, epss_percentile FROM cve WHERE cve = ?1",
        )?;
        let info = st
            .query_row([cve], |r| {
                let kev = r.get::<_, Option<String>>(0)?.map(|date_added| Kev {
                    date_added,
                    due_date: r.get(1).ok().flatten(),
                });
                let cvss3 = match (r.get::<_, Option<String>>(2)?, r.get::<_, Option<f64>>(3)?) {
                    (Some(vector), Some(score)) => Some(Cvss {
                        vector,
                        score,
                        source: r.get(4)?,
                    }),
                    _ => None,
                };
                let cvss4 = match (r.get::<_, Option<String>>(5)?, r.get::<_, Option<f64>>(6)?) {
                    (Some(vector), Some(score)) => Some(Cvss {
                        vector,
                        score,
                        source: None,
                    }),
                    _ => None,
                };
                let epss = match (r.get::<_, Option<f64>>(7)?, r.get::<_, Option<f64>>(8)?) {
                    (Some(score), Some(percentile)) => Some(Epss { score, percentile }),
                    _ => None,
                };
                Ok(CveInfo {
                    cve: cve.to_owned(),
                    kev,
                    cvss3,
                    cvss4,
                    epss,
                })
            })
            .optional()?;
        Ok(info.unwrap_or(CveInfo {
            cve: cve.to_owned(),
            kev: None,
            cvss3: None,
            cvss4: None,
            epss: None,
        }))
    }

    /// Ecosystems the database has data for, so a scanner can report an OS release
    /// without data as "not covered" rather than "no vulnerabilities".
    pub fn ecosystems(&self) -> Result<Vec<EcosystemInfo>> {
        let mut st = self.conn.prepare_cached(
            "SELECT ecosystem, records, bad, last_modified FROM eco_state ORDER BY ecosystem",
        )?;
        let rows = st.query_map([], |r| {
            Ok(EcosystemInfo {
                name: r.get(0)?,
                records: usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                bad: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                last_modified: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Whether `ecosystem` (exact OSV name) was imported: as a feed of its own, or within
    /// its family's feed (OSV exports all of Red Hat as `Red Hat`, whose records name
    /// `Red Hat:enterprise_linux:9::baseos`, ...) when that feed has records for it, or
    /// (Amazon, Oracle Linux) from the ALAS / ELSA feed when it had advisories for that release. A
    /// record of another release's feed that also names it (a DSA listed under `Debian:11`
    /// with a `Debian:10` entry) does not count: that feed is not this one's data. A
    /// Debian release the security tracker lists is covered by the tracker, an Ubuntu
    /// release stream the Ubuntu CVE tracker lists by that tracker, `Bottlerocket` by its
    /// own feed's advisories, a Fedora release by Fedora's updates, an Azure Linux release
    /// by Microsoft's OVAL, a Photon OS release by Broadcom's OVAL, `Alpine:edge` by
    /// secdb, and `Red Hat VEX:` and `SUSE VEX:` ecosystems by the vendors' VEX files.
    pub fn has_ecosystem(&self, ecosystem: &str) -> Result<bool> {
        let mut feed = self
            .conn
            .prepare_cached("SELECT 1 FROM eco_state WHERE ecosystem = ?1")?;
        if feed.exists([ecosystem])? {
            return Ok(true);
        }
        let family = ecosystem.split(':').next().unwrap_or_default();
        let tracked = |prefix: &str| -> Result<bool> {
            let mut q = self.conn.prepare_cached(
                "SELECT 1 FROM affected f JOIN advisory a ON a.rid = f.adv
                 WHERE f.ecosystem = ?1 AND a.id LIKE ?2 LIMIT 1",
            )?;
            Ok(q.exists((ecosystem, format!("{prefix}%")))?)
        };
        if ecosystem == schema::ALPINE_EDGE {
            return tracked(schema::SECDB_PREFIX);
        }
        if family == "Debian" && ecosystem != family {
            return tracked(schema::TRACKER_PREFIX);
        }
        // An Ubuntu release stream the CVE tracker lists is covered by it (OSV's own
        // Ubuntu feed is checked below as any family's).
        if family == "Ubuntu" && ecosystem != family && tracked(schema::UBUNTU_TRACKER_PREFIX)? {
            return Ok(true);
        }
        // Microsoft's OVAL covers an Azure Linux release without OSV's (frozen) export.
        if family == "Azure Linux" && ecosystem != family && tracked(schema::AZURE_OVAL_PREFIX)? {
            return Ok(true);
        }
        // Broadcom's OVAL covers a Photon OS release as OSV's records of it do.
        if family == "Photon OS" && ecosystem != family && tracked(schema::PHOTON_OVAL_PREFIX)? {
            return Ok(true);
        }
        // Families drydock derives from a vendor feed: covered when that feed had
        // advisories for the release (Bottlerocket's one ecosystem is the family itself).
        let derived = [
            schema::ALAS_FAMILY,
            schema::ELSA_FAMILY,
            schema::BOTTLEROCKET_FAMILY,
            schema::FEDORA_FAMILY,
            crate::feeds::VEX_FAMILY,
            crate::feeds::SUSE_VEX_FAMILY,
        ]
        .contains(&family);
        if !derived && (family == ecosystem || !feed.exists([family])?) {
            return Ok(false);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM affected WHERE ecosystem = ?1 LIMIT 1")?
            .exists([ecosystem])?)
    }
}

fn corrupt_row(text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("malformed stored ranges {text:?}").into(),
    )
}
