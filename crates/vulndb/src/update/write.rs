//! The single SQLite writer of a build: parsed records arrive over a channel (or
//! directly, for records fetched one by one) and are stored with their ecosystem
//! membership and per-ecosystem counters.

use std::collections::HashMap;
use std::sync::mpsc::Receiver;

use rusqlite::{Connection, OptionalExtension, params};

use super::{BadRecord, Ctx};
use crate::error::{Error, Result};
use crate::osv::{Parsed, encode_list, encode_ranges};

/// Message from the parsing side to the single SQLite writer.
pub(super) enum Msg {
    Record {
        eco: usize,
        id: String,
        /// `modified` from `modified_id.csv`, kept for unparseable records.
        listed: Option<String>,
        result: Result<Box<Parsed>, String>,
    },
    /// Same id and `modified` as a record already sent for another ecosystem.
    Duplicate {
        eco: usize,
        id: String,
    },
    EcoStart {
        eco: usize,
        newest: Option<String>,
    },
    Fail(Error),
}

/// Owns the build connection and all writes; parsing happens on rayon threads and
/// arrives over a channel.
pub(super) struct Writer {
    pub(super) conn: Connection,
    /// Ids written during this run (for cross-ecosystem duplicates) and their modified.
    written: HashMap<String, String>,
    /// Ids that failed to parse during this run: listed modified and the error.
    failed: HashMap<String, (String, String)>,
    pub(super) bad_records: Vec<BadRecord>,
    /// Records read per ecosystem index.
    pub(super) fetched: HashMap<usize, usize>,
    /// Newest `modified` per ecosystem name, from the csv read with its zip.
    pub(super) newest: HashMap<String, String>,
}

impl Writer {
    /// `conn` must be inside the build's transaction.
    pub(super) fn new(conn: Connection) -> Self {
        Writer {
            conn,
            written: HashMap::new(),
            failed: HashMap::new(),
            bad_records: Vec::new(),
            fetched: HashMap::new(),
            newest: HashMap::new(),
        }
    }

    pub(super) fn record(
        &mut self,
        eco: &str,
        id: String,
        listed: Option<&str>,
        result: Result<Parsed, String>,
    ) -> Result<()> {
        match result {
            Ok(p) => {
                if self.written.get(&p.id) != Some(&p.modified) {
                    upsert(&self.conn, &p)?;
                    self.written.insert(p.id.clone(), p.modified.clone());
                }
                self.member(eco, &id, &p.modified, true)
            }
            Err(error) => {
                let listed = listed.unwrap_or_default().to_owned();
                self.failed
                    .insert(id.clone(), (listed.clone(), error.clone()));
                self.bad(eco, id, &listed, error)
            }
        }
    }

    fn bad(&mut self, eco: &str, id: String, listed: &str, error: String) -> Result<()> {
        self.member(eco, &id, listed, false)?;
        self.bad_records.push(BadRecord {
            ecosystem: eco.to_owned(),
            id,
            error,
        });
        Ok(())
    }

    fn duplicate(&mut self, eco: &str, id: String) -> Result<()> {
        if let Some((listed, err)) = self.failed.get(&id).cloned() {
            return self.bad(eco, id, &listed, err);
        }
        match self.written.get(&id).cloned() {
            Some(m) => self.member(eco, &id, &m, true),
            None => self.bad(
                eco,
                id,
                "",
                "duplicate of a record that was not stored".into(),
            ),
        }
    }

    fn member(&self, eco: &str, id: &str, modified: &str, ok: bool) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO eco_record(ecosystem, id, modified, ok)
                 VALUES(?1, ?2, ?3, ?4)",
            )?
            .execute(params![eco, id, modified, ok])?;
        Ok(())
    }

    /// Consumes messages until the channel closes or a failure arrives.
    pub(super) fn consume(&mut self, ctx: &Ctx, rx: Receiver<Msg>) -> Result<()> {
        for msg in rx {
            match msg {
                Msg::Record {
                    eco,
                    id,
                    listed,
                    result,
                } => {
                    let name = ctx.eco_name(eco)?;
                    *self.fetched.entry(eco).or_default() += 1;
                    self.record(name, id, listed.as_deref(), result.map(|p| *p))?;
                }
                Msg::Duplicate { eco, id } => {
                    *self.fetched.entry(eco).or_default() += 1;
                    self.duplicate(ctx.eco_name(eco)?, id)?;
                }
                Msg::EcoStart { eco, newest } => {
                    let name = ctx.eco_name(eco)?;
                    // The zip is the complete list: forget what the ecosystem had before.
                    self.conn
                        .execute("DELETE FROM eco_record WHERE ecosystem = ?1", [name])?;
                    if let Some(n) = newest {
                        self.newest.insert(name.to_owned(), n);
                    }
                }
                Msg::Fail(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Inserts or replaces one advisory and its affected entries, keeping its `rid`.
pub(super) fn upsert(conn: &Connection, p: &Parsed) -> Result<()> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT rid FROM advisory WHERE id = ?1")?
        .query_row([&p.id], |r| r.get(0))
        .optional()?;
    let (sev, sev_src) = match &p.severity {
        Some((s, src)) => (Some(s.as_str()), Some(src.as_str())),
        None => (None, None),
    };
    let values = params![
        p.id,
        p.modified,
        p.published,
        p.withdrawn,
        p.summary,
        sev,
        sev_src,
        encode_list(&p.aliases),
        encode_list(&p.related_cves),
        p.url
    ];
    let rid = match existing {
        Some(rid) => {
            conn.prepare_cached("DELETE FROM affected WHERE adv = ?1")?
                .execute([rid])?;
            conn.prepare_cached(
                "UPDATE advisory SET id=?1, modified=?2, published=?3, withdrawn=?4, summary=?5,
                 severity=?6, severity_source=?7, aliases=?8, related_cves=?9, url=?10
                 WHERE rid = ?11",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain([&rid as &dyn rusqlite::ToSql]),
            ))?;
            rid
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO advisory(id, modified, published, withdrawn, summary, severity,
                 severity_source, aliases, related_cves, url) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            )?
            .execute(values)?;
            conn.last_insert_rowid()
        }
    };
    let mut ins = conn.prepare_cached(
        "INSERT INTO affected(adv, ecosystem, package, name, ranges, versions, vendor_rating,
         vendor_status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for a in &p.affected {
        let ranges = encode_ranges(&a.ranges);
        ins.execute(params![
            rid,
            a.ecosystem,
            a.package,
            a.name,
            ranges,
            encode_list(&a.versions),
            a.vendor_rating,
            a.vendor_status
        ])?;
    }
    Ok(())
}

/// Recomputes the per-ecosystem counters from `eco_record`; returns (valid, bad).
pub(super) fn write_eco_state(
    conn: &Connection,
    eco: &str,
    newest: Option<&String>,
) -> Result<(usize, usize)> {
    let (ok, bad, max_mod): (i64, i64, Option<String>) = conn.query_row(
        "SELECT COALESCE(SUM(ok),0), COALESCE(SUM(1-ok),0), MAX(modified)
         FROM eco_record WHERE ecosystem = ?1",
        [eco],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let last = newest.cloned().or(max_mod);
    conn.execute(
        "INSERT OR REPLACE INTO eco_state(ecosystem, last_modified, records, bad)
         VALUES(?1, ?2, ?3, ?4)",
        params![eco, last, ok, bad],
    )?;
    Ok((
        usize::try_from(ok).unwrap_or(0),
        usize::try_from(bad).unwrap_or(0),
    ))
}
