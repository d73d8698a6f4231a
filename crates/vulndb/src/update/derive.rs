//! Data derived at the end of every build from the stored advisories and the feeds:
//! Alpine secdb gap-fill advisories, Amazon Linux advisories from ALAS, the CVE extras
//! table and the CVE -> advisory severity index. Rebuilt whole each time (a few thousand rows) so it can never drift.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};

use super::write::upsert;
use crate::clock::{rfc3339, unix_now};
use crate::error::Result;
use crate::feeds::{AlasUpdate, Feeds, SecdbFix};
use crate::osv::{Event, Parsed, ParsedAffected, Range, RangeKind, advisory_cves};
use crate::schema::{ALAS_FAMILY, BOTTLEROCKET_FAMILY, ELSA_FAMILY, FEDORA_FAMILY, SECDB_PREFIX};

/// (ecosystem, package, fixed version) of a secdb fix OSV lacks.
type Gap<'f> = (String, &'f str, &'f str);

/// Rebuilds everything derived from the feeds; returns the number of secdb fixes added.
pub(super) fn derive(conn: &Connection, feeds: &Feeds) -> Result<usize> {
    let added = gap_fill_secdb(conn, feeds)?;
    rebuild_alas(conn, ALAS_FAMILY, &feeds.alas)?;
    rebuild_alas(conn, ELSA_FAMILY, &feeds.elsa)?;
    rebuild_alas(conn, BOTTLEROCKET_FAMILY, &feeds.bottlerocket)?;
    rebuild_alas(conn, FEDORA_FAMILY, &feeds.fedora)?;
    super::tracker::rebuild_tracker(conn, &feeds.debian)?;
    super::tracker::rebuild_redhat_vex(conn, &feeds.redhat_vex)?;
    super::tracker::rebuild_ubuntu_tracker(conn, &feeds.ubuntu)?;
    super::tracker::rebuild_suse_vex(conn, &feeds.suse_vex)?;
    super::oval::rebuild_azure_oval(conn, &feeds.azure)?;
    super::oval::rebuild_photon_oval(conn, &feeds.photon)?;
    rebuild_cve_extras(conn, feeds)?;
    Ok(added)
}

/// Replaces the `SECDB_PREFIX` advisories with one per CVE that Alpine secdb fixes for
/// a package whose OSV records do not mention that CVE.
/// Edge's fixes all become such advisories (under `Alpine:edge`): OSV has no edge records.
fn gap_fill_secdb(conn: &Connection, feeds: &Feeds) -> Result<usize> {
    let like = format!("{SECDB_PREFIX}%");
    conn.execute(
        "DELETE FROM affected WHERE adv IN (SELECT rid FROM advisory WHERE id LIKE ?1)",
        [&like],
    )?;
    conn.execute("DELETE FROM advisory WHERE id LIKE ?1", [&like])?;
    let mut added = 0;
    let now = rfc3339(unix_now());
    for (cve, gaps) in secdb_gaps(conn, feeds)? {
        let p = secdb_advisory(cve, gaps, &now);
        added += p.affected.len();
        upsert(conn, &p)?;
    }
    Ok(added)
}

/// Replaces the Amazon (or Oracle) Linux advisories with one per ALAS (ELSA) update:
/// each fixed binary package affected from the start up to its fixed version, the
/// vendor's severity both as the advisory's level and as the vendor rating.
fn rebuild_alas(conn: &Connection, family: &str, updates: &[AlasUpdate]) -> Result<()> {
    let like = format!("{family}:%");
    conn.execute(
        "DELETE FROM advisory WHERE rid IN
         (SELECT adv FROM affected WHERE ecosystem LIKE ?1 OR ecosystem = ?2)",
        [&like, family],
    )?;
    conn.execute(
        "DELETE FROM affected WHERE ecosystem LIKE ?1 OR ecosystem = ?2",
        [&like, family],
    )?;
    for u in updates {
        upsert(conn, &alas_advisory(family, u))?;
    }
    Ok(())
}

/// `2024-03-13 22:10:00` (ALAS), `2024-01-04` (ELSA) or `2023-11-13T22:21:51Z`
/// (Bottlerocket), also Photon OS OVAL's `2023-06-07`, as RFC 3339.
pub(super) fn alas_date(d: &str) -> String {
    let d = d.trim();
    if d.len() == 10 {
        format!("{d}T00:00:00Z")
    } else if d.ends_with('Z') {
        d.to_owned()
    } else {
        format!("{}Z", d.replacen(' ', "T", 1))
    }
}

fn alas_advisory(family: &str, u: &AlasUpdate) -> Parsed {
    // ALAS2-2023-2050 -> AL2/ALAS-2023-2050.html; ALAS2023-2024-550 -> AL2023/ALAS-2024-550.html
    let page = if family == ELSA_FAMILY {
        Some(format!("https://linux.oracle.com/errata/{}.html", u.id))
    } else if family == FEDORA_FAMILY {
        Some(format!("https://bodhi.fedoraproject.org/updates/{}", u.id))
    } else if family == BOTTLEROCKET_FAMILY {
        // GHSA ids are the repository's advisories; BRSA ids have no page of their own.
        Some(if u.id.starts_with("GHSA-") {
            format!(
                "https://github.com/bottlerocket-os/bottlerocket/security/advisories/{}",
                u.id
            )
        } else {
            "https://advisories.bottlerocket.aws/".to_owned()
        })
    } else {
        u.id.strip_prefix(&format!("ALAS{}-", u.release))
            .map(|n| format!("https://alas.aws.amazon.com/AL{}/ALAS-{n}.html", u.release))
    };
    let source = match family {
        ELSA_FAMILY => "ELSA",
        BOTTLEROCKET_FAMILY => "Bottlerocket",
        FEDORA_FAMILY => "Fedora",
        _ => "ALAS",
    };
    let issued = u.issued.as_deref().map(alas_date);
    Parsed {
        id: u.id.clone(),
        modified: u
            .updated
            .as_deref()
            .map(alas_date)
            .or_else(|| issued.clone())
            .unwrap_or_default(),
        published: issued,
        withdrawn: None,
        summary: u.title.clone(),
        severity: u.severity.clone().map(|s| (s, source.to_owned())),
        aliases: Vec::new(),
        related_cves: u.cves.clone(),
        url: page,
        affected: u
            .packages
            .iter()
            .map(|(name, fixed)| ParsedAffected {
                ecosystem: if u.release.is_empty() {
                    family.to_owned()
                } else {
                    format!("{family}:{}", u.release)
                },
                package: name.clone(),
                name: None,
                ranges: vec![Range {
                    kind: RangeKind::Ecosystem,
                    events: vec![Event::Introduced("0".into()), Event::Fixed(fixed.clone())],
                }],
                versions: Vec::new(),
                vendor_rating: u.severity.clone(),
                vendor_status: None,
            })
            .collect(),
    }
}

/// CVE -> the secdb fixes for it that OSV does not cover.
fn secdb_gaps<'f>(conn: &Connection, feeds: &'f Feeds) -> Result<HashMap<&'f str, Vec<Gap<'f>>>> {
    let mut by_release: HashMap<&str, Vec<&SecdbFix>> = HashMap::new();
    for f in &feeds.secdb {
        by_release.entry(f.release.as_str()).or_default().push(f);
    }
    let mut missing: HashMap<&str, Vec<Gap>> = HashMap::new();
    for (release, fixes) in by_release {
        let eco = format!("Alpine:{release}");
        let mut covered: HashSet<(String, String)> = HashSet::new();
        let mut st = conn.prepare(
            "SELECT f.package, a.id, a.aliases, a.related_cves FROM affected f
             JOIN advisory a ON a.rid = f.adv WHERE f.ecosystem = ?1",
        )?;
        let mut rows = st.query([&eco])?;
        while let Some(r) = rows.next()? {
            let pkg: String = r.get(0)?;
            for cve in advisory_cves(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?) {
                covered.insert((pkg.clone(), cve));
            }
        }
        for f in fixes {
            if !covered.contains(&(f.package.clone(), f.cve.clone())) {
                missing.entry(f.cve.as_str()).or_default().push((
                    eco.clone(),
                    f.package.as_str(),
                    f.fixed.as_str(),
                ));
            }
        }
    }
    Ok(missing)
}

/// The synthetic advisory for one CVE: fixed in `fixed`, affected since the start.
fn secdb_advisory(cve: &str, gaps: Vec<Gap>, now: &str) -> Parsed {
    Parsed {
        id: format!("{SECDB_PREFIX}{cve}"),
        modified: now.to_owned(),
        published: None,
        withdrawn: None,
        summary: Some(format!("{cve} (from Alpine secdb)")),
        severity: None,
        aliases: Vec::new(),
        related_cves: vec![cve.to_owned()],
        url: Some(format!("https://security.alpinelinux.org/vuln/{cve}")),
        affected: gaps
            .into_iter()
            .map(|(ecosystem, package, fixed)| ParsedAffected {
                ecosystem,
                package: package.to_owned(),
                name: None,
                ranges: vec![Range {
                    kind: RangeKind::Ecosystem,
                    events: vec![
                        Event::Introduced("0".into()),
                        Event::Fixed(fixed.to_owned()),
                    ],
                }],
                versions: Vec::new(),
                vendor_rating: None,
                vendor_status: None,
            })
            .collect(),
    }
}

/// Refills the `cve` table (KEV, CVSS, EPSS) with only the CVEs some advisory mentions.
fn rebuild_cve_extras(conn: &Connection, feeds: &Feeds) -> Result<()> {
    conn.execute("DELETE FROM cve", [])?;
    let mut referenced: HashSet<String> = HashSet::new();
    {
        let mut st = conn.prepare("SELECT id, aliases, related_cves FROM advisory")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            referenced.extend(advisory_cves(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?));
        }
    }
    let mut ins = conn.prepare(
        "INSERT INTO cve(cve, kev_added, kev_due, cvss3_vector, cvss3_score, cvss3_source,
         cvss4_vector, cvss4_score, epss, epss_percentile) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    )?;
    for (cve, x) in &feeds.cve {
        if !referenced.contains(cve) {
            continue;
        }
        let (v3, s3, src3) = match &x.cvss3 {
            Some((v, s, src)) => (Some(v), Some(*s), src.as_ref()),
            None => (None, None, None),
        };
        let (v4, s4) = match &x.cvss4 {
            Some((v, s)) => (Some(v), Some(*s)),
            None => (None, None),
        };
        ins.execute(params![
            cve,
            x.kev_added,
            x.kev_due,
            v3,
            s3,
            src3,
            v4,
            s4,
            x.epss.map(|e| e.0),
            x.epss.map(|e| e.1)
        ])?;
    }
    Ok(())
}

/// Rebuilds `cve_ref` from the advisories that carry a severity.
pub(super) fn index_cve_severities(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM cve_ref", [])?;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare("SELECT rid, id, aliases, related_cves FROM advisory WHERE severity IS NOT NULL AND withdrawn IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut ins = conn.prepare_cached("INSERT OR IGNORE INTO cve_ref(cve, adv) VALUES(?1, ?2)")?;
    for (rid, id, aliases, related) in rows {
        for cve in advisory_cves(&id, aliases, related) {
            ins.execute(params![cve, rid])?;
        }
    }
    Ok(())
}
