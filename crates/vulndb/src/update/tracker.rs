//! Advisories derived from vendors' status data: Red Hat's and SUSE's VEX files (one
//! advisory per vendor and CVE holding every unfixed component, with its status), and
//! the Debian security tracker and Ubuntu CVE tracker: one per CVE, holding every release
//! (for Ubuntu, release stream: free or Pro) whose fix status OSV's records cannot tell. An unfixed entry (affected,
//! will not fix, deferred, end of life, under investigation) is always kept, with its
//! status; a fixed one only where no OSV record of that release names the (source
//! package, CVE) pair, so a mirror without a release's OSV data still gets its fixes
//! and one with it gets no duplicates.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;

use super::write::upsert;
use crate::clock::{rfc3339, unix_now};
use crate::error::Result;
use crate::feeds::{Tracker, TrackerState, UbuntuTracker, Vex};
use crate::normalize::normalize_package;
use crate::osv::{Event, Parsed, ParsedAffected, Range, RangeKind, advisory_cves};
use crate::schema::{REDHAT_VEX_PREFIX, SUSE_VEX_PREFIX, TRACKER_PREFIX, UBUNTU_TRACKER_PREFIX};

/// Deletes the advisories whose ids start with `prefix`.
pub(super) fn delete_prefixed(conn: &Connection, prefix: &str) -> Result<()> {
    let like = format!("{prefix}%");
    conn.execute(
        "DELETE FROM affected WHERE adv IN (SELECT rid FROM advisory WHERE id LIKE ?1)",
        [&like],
    )?;
    conn.execute("DELETE FROM advisory WHERE id LIKE ?1", [&like])?;
    Ok(())
}

/// Replaces the advisories from Red Hat's VEX files.
pub(super) fn rebuild_redhat_vex(conn: &Connection, vex: &Vex) -> Result<()> {
    rebuild_vex(conn, REDHAT_VEX_PREFIX, vex, |cve| {
        format!("https://access.redhat.com/security/cve/{cve}")
    })
}

/// Replaces the advisories from SUSE's VEX files.
pub(super) fn rebuild_suse_vex(conn: &Connection, vex: &Vex) -> Result<()> {
    rebuild_vex(conn, SUSE_VEX_PREFIX, vex, |cve| {
        format!("https://www.suse.com/security/cve/{cve}")
    })
}

/// Replaces the advisories whose ids start with `prefix` by those of `vex`, with the
/// vendor's CVE page as `url`: only unfixed components are kept there (OSV's records of
/// the vendor hold the fixes), each affected from the start.
fn rebuild_vex(
    conn: &Connection,
    prefix: &str,
    vex: &Vex,
    url: impl Fn(&str) -> String,
) -> Result<()> {
    delete_prefixed(conn, prefix)?;
    for c in &vex.cves {
        let affected = c
            .entries
            .iter()
            .map(|e| ParsedAffected {
                ecosystem: e.ecosystem.clone(),
                package: e.package.clone(),
                name: None,
                ranges: vec![Range {
                    kind: RangeKind::Ecosystem,
                    events: vec![Event::Introduced("0".into())],
                }],
                versions: Vec::new(),
                vendor_rating: e.rating.clone(),
                // `affected` is what a record without a fix already means.
                vendor_status: (e.status != "affected").then(|| e.status.to_owned()),
            })
            .collect();
        upsert(
            conn,
            &Parsed {
                id: format!("{prefix}{}", c.cve),
                modified: c.modified.clone(),
                published: c.published.clone(),
                withdrawn: None,
                summary: c.summary.clone(),
                severity: c.severity.clone(),
                aliases: Vec::new(),
                related_cves: vec![c.cve.clone()],
                url: Some(url(&c.cve)),
                affected,
            },
        )?;
    }
    Ok(())
}

/// One status entry of a tracker (Debian's, Ubuntu's), in its OSV ecosystem.
struct StatusEntry<'a> {
    ecosystem: String,
    package: &'a str,
    cve: &'a str,
    state: &'a TrackerState,
    rating: Option<String>,
}

/// Replaces the Debian tracker's advisories.
pub(super) fn rebuild_tracker(conn: &Connection, tracker: &Tracker) -> Result<()> {
    let entries = tracker.entries.iter().map(|e| StatusEntry {
        ecosystem: format!("Debian:{}", e.release),
        package: &e.package,
        cve: &e.cve,
        state: &e.state,
        rating: e.urgency.clone(),
    });
    let now = rfc3339(unix_now());
    rebuild_statuses(conn, TRACKER_PREFIX, entries, |cve, affected| Parsed {
        id: format!("{TRACKER_PREFIX}{cve}"),
        modified: now.clone(),
        published: None,
        withdrawn: None,
        summary: tracker.descriptions.get(cve).cloned(),
        severity: None,
        aliases: Vec::new(),
        related_cves: vec![cve.to_owned()],
        url: Some(format!("https://security-tracker.debian.org/tracker/{cve}")),
        affected,
    })
}

/// Replaces the Ubuntu CVE tracker's advisories (one per CVE, every release stream and
/// source package in it), rated with the CVE's Ubuntu priority.
pub(super) fn rebuild_ubuntu_tracker(conn: &Connection, tracker: &UbuntuTracker) -> Result<()> {
    let entries = tracker.entries.iter().map(|e| StatusEntry {
        ecosystem: e.ecosystem.clone(),
        package: &e.package,
        cve: &e.cve,
        state: &e.state,
        rating: tracker.cves.get(&e.cve).and_then(|c| c.priority.clone()),
    });
    let now = rfc3339(unix_now());
    let prefix = UBUNTU_TRACKER_PREFIX;
    rebuild_statuses(conn, prefix, entries, |cve, affected| {
        let c = tracker.cves.get(cve).cloned().unwrap_or_default();
        Parsed {
            id: format!("{prefix}{cve}"),
            modified: now.clone(),
            published: c.published,
            withdrawn: None,
            summary: c.summary,
            severity: c.cvss3.map(|v| (v, "CVSS_V3".to_owned())),
            aliases: Vec::new(),
            related_cves: vec![cve.to_owned()],
            url: Some(format!("https://ubuntu.com/security/{cve}")),
            affected,
        }
    })
}

/// Replaces the advisories whose ids start with `prefix` by one per CVE of `entries`:
/// unfixed entries always, fixed ones only where no other advisory of that ecosystem
/// names the (package, CVE) pair. `advisory` makes the record of a CVE from its entries.
fn rebuild_statuses<'a>(
    conn: &Connection,
    prefix: &str,
    entries: impl Iterator<Item = StatusEntry<'a>>,
    advisory: impl Fn(&str, Vec<ParsedAffected>) -> Parsed,
) -> Result<()> {
    delete_prefixed(conn, prefix)?;
    let mut covered: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    let mut by_cve: BTreeMap<&str, Vec<ParsedAffected>> = BTreeMap::new();
    for e in entries {
        let package = normalize_package(&e.ecosystem, e.package).into_owned();
        let (events, vendor_status) = match e.state {
            TrackerState::Fixed(v) => {
                if !covered.contains_key(&e.ecosystem) {
                    let pairs = osv_pairs(conn, &e.ecosystem)?;
                    covered.insert(e.ecosystem.clone(), pairs);
                }
                if covered[&e.ecosystem].contains(&(package.clone(), e.cve.to_owned())) {
                    continue;
                }
                (
                    vec![Event::Introduced("0".into()), Event::Fixed(v.clone())],
                    None,
                )
            }
            TrackerState::Unfixed(status) => (
                vec![Event::Introduced("0".into())],
                // `affected` is what a record without a fix already means.
                (*status != "affected").then(|| (*status).to_owned()),
            ),
        };
        by_cve.entry(e.cve).or_default().push(ParsedAffected {
            ecosystem: e.ecosystem,
            name: (package != e.package).then(|| e.package.to_owned()),
            package,
            ranges: vec![Range {
                kind: RangeKind::Ecosystem,
                events,
            }],
            versions: Vec::new(),
            vendor_rating: e.rating,
            vendor_status,
        });
    }
    for (cve, affected) in by_cve {
        upsert(conn, &advisory(cve, affected))?;
    }
    Ok(())
}

/// (package, CVE) pairs the other advisories of `ecosystem` name.
pub(super) fn osv_pairs(conn: &Connection, ecosystem: &str) -> Result<HashSet<(String, String)>> {
    let mut st = conn.prepare(
        "SELECT f.package, a.id, a.aliases, a.related_cves FROM affected f
         JOIN advisory a ON a.rid = f.adv WHERE f.ecosystem = ?1",
    )?;
    let mut rows = st.query([ecosystem])?;
    let mut out = HashSet::new();
    while let Some(r) = rows.next()? {
        let pkg: String = r.get(0)?;
        for cve in advisory_cves(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?) {
            out.insert((pkg.clone(), cve));
        }
    }
    Ok(out)
}
