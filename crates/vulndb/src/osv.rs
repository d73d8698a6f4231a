//! OSV record parsing into the compact shape that is stored.

use serde::{Deserialize, Serialize};

use crate::feeds::cve_ids;
use crate::normalize::normalize_package;

mod chainguard;

/// Range type. Only the types a version matcher can evaluate are kept; `GIT` ranges
/// (commit hashes) are dropped at import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeKind {
    #[serde(rename = "ECOSYSTEM")]
    Ecosystem,
    #[serde(rename = "SEMVER")]
    Semver,
}

/// One OSV range event; serializes exactly like OSV (`{"introduced":"1.0"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

/// An OSV affected range: its type and ordered events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    modified: String,
    published: Option<String>,
    withdrawn: Option<String>,
    summary: Option<String>,
    details: Option<String>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    upstream: Option<Vec<String>>,
    #[serde(default)]
    related: Option<Vec<String>>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
    #[serde(default)]
    affected: Option<Vec<RawAffected>>,
    #[serde(default)]
    references: Option<Vec<RawReference>>,
    database_specific: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawAffected {
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Option<Vec<RawRange>>,
    #[serde(default)]
    versions: Option<Vec<String>>,
    ecosystem_specific: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

/// A record reduced to what matching and reporting need.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub id: String,
    pub modified: String,
    pub published: Option<String>,
    pub withdrawn: Option<String>,
    pub summary: Option<String>,
    pub severity: Option<(String, String)>,
    pub aliases: Vec<String>,
    /// CVE ids named in `upstream` / `related` (used for the CVE extras join).
    pub related_cves: Vec<String>,
    pub url: Option<String>,
    pub affected: Vec<ParsedAffected>,
}

#[derive(Debug, Clone)]
pub(crate) struct ParsedAffected {
    pub ecosystem: String,
    pub package: String,
    /// Original name, only when normalization changed it.
    pub name: Option<String>,
    pub ranges: Vec<Range>,
    pub versions: Vec<String>,
    /// The distribution's own rating for this package, lowercase as published (Debian's
    /// `urgency`, Ubuntu's `ubuntu_priority` or its `Ubuntu` severity).
    pub vendor_rating: Option<String>,
    /// The vendor's fix status when it is more than "fixed" or "no fix" (a model
    /// `Status` name, `will_not_fix`): trackers carry it, and of OSV records only
    /// Chainguard's (Wolfi, Chainguard) do.
    pub vendor_status: Option<String>,
}

/// Separates list items / range events in stored text (a control character that never
/// occurs in OSV versions or ids; records containing it are rejected at import).
const ITEM: char = '\u{1f}';
/// Separates ranges in stored text.
const RANGE: char = '\u{1e}';

/// Stored form of ranges: `E|i0|f1.2` per range (`|` being `ITEM`), ranges joined by
/// `RANGE`. Much smaller and cheaper to decode than OSV JSON, which matters because
/// every lookup decodes it.
pub(crate) fn encode_ranges(ranges: &[Range]) -> String {
    let mut out = String::new();
    for (n, r) in ranges.iter().enumerate() {
        if n > 0 {
            out.push(RANGE);
        }
        out.push(match r.kind {
            RangeKind::Ecosystem => 'E',
            RangeKind::Semver => 'S',
        });
        for e in &r.events {
            out.push(ITEM);
            let (tag, v) = match e {
                Event::Introduced(v) => ('i', v),
                Event::Fixed(v) => ('f', v),
                Event::LastAffected(v) => ('l', v),
                Event::Limit(v) => ('x', v),
            };
            out.push(tag);
            out.push_str(v);
        }
    }
    out
}

/// Inverse of [`encode_ranges`]; `None` on malformed text.
pub(crate) fn decode_ranges(s: &str) -> Option<Vec<Range>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(RANGE)
        .map(|r| {
            let mut parts = r.split(ITEM);
            let kind = match parts.next()? {
                "E" => RangeKind::Ecosystem,
                "S" => RangeKind::Semver,
                _ => return None,
            };
            let events = parts
                .map(|p| {
                    let v = p.get(1..)?.to_owned();
                    Some(match p.as_bytes().first()? {
                        b'i' => Event::Introduced(v),
                        b'f' => Event::Fixed(v),
                        b'l' => Event::LastAffected(v),
                        b'x' => Event::Limit(v),
                        _ => return None,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Range { kind, events })
        })
        .collect()
}

/// Stored form of a string list; `None` for an empty list.
pub(crate) fn encode_list(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join(&ITEM.to_string()))
}

pub(crate) fn decode_list(s: Option<&str>) -> Vec<String> {
    s.filter(|s| !s.is_empty())
        .map(|s| s.split(ITEM).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// CVE ids an advisory refers to: in its id (`ALPINE-CVE-…`), aliases and
/// upstream/related lists (both in their stored form).
pub(crate) fn advisory_cves(
    id: &str,
    aliases: Option<String>,
    related: Option<String>,
) -> Vec<String> {
    let mut out = cve_ids(id);
    for list in [aliases, related] {
        out.extend(
            decode_list(list.as_deref())
                .into_iter()
                .filter(|c| c.starts_with("CVE-")),
        );
    }
    out.sort();
    out.dedup();
    out
}

fn has_separator(s: &str) -> bool {
    s.contains([ITEM, RANGE])
}

const SUMMARY_MAX: usize = 240;

/// Parses one OSV JSON record. Errors are reported as text because the caller only
/// needs to name and count bad records.
pub(crate) fn parse_record(bytes: &[u8]) -> Result<Parsed, String> {
    let raw: RawRecord = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if raw.id.is_empty() {
        return Err("empty id".into());
    }
    let summary_rating = raw.summary.as_deref().and_then(red_hat_level);
    let summary = raw
        .summary
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            raw.details
                .as_deref()
                .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                .map(|l| l.trim().to_owned())
        })
        .map(|s| truncate(s, SUMMARY_MAX));
    let severity = pick_severity(raw.severity.as_deref(), raw.database_specific.as_ref());
    let record_rating = raw
        .severity
        .iter()
        .flatten()
        .find(|s| s.kind == "Ubuntu")
        .map(|s| s.score.clone());
    let dbs_rating = raw
        .database_specific
        .as_ref()
        .and_then(|v| v.get("severity")?.as_str())
        .map(str::to_owned);
    let url = pick_url(raw.references.as_deref());
    let mut related_cves: Vec<String> = raw
        .upstream
        .into_iter()
        .flatten()
        .chain(raw.related.into_iter().flatten())
        .filter(|c| c.starts_with("CVE-"))
        .collect();
    related_cves.sort();
    related_cves.dedup();
    let mut affected = Vec::new();
    for a in raw.affected.into_iter().flatten() {
        let Some(pkg) = a.package else { continue };
        let ranges: Vec<Range> = a
            .ranges
            .into_iter()
            .flatten()
            .filter_map(convert_range)
            .collect();
        let versions = a.versions.unwrap_or_default();
        let key = normalize_package(&pkg.ecosystem, &pkg.name).into_owned();
        let name = (key != pkg.name).then_some(pkg.name);
        let vendor_status =
            chainguard::vendor_status(&pkg.ecosystem, a.ecosystem_specific.as_ref());
        let vendor_rating = vendor_rating(a.ecosystem_specific.as_ref())
            .or_else(|| record_rating.clone())
            .or_else(|| match pkg.ecosystem.split(':').next() {
                Some("AlmaLinux" | "Rocky Linux" | "Red Hat") => summary_rating.clone(),
                // openEuler's and Bitnami's own levels (`"High"`), record-wide.
                Some("openEuler" | "Bitnami") => dbs_rating.clone(),
                _ => None,
            })
            .map(|r| r.trim().trim_end_matches('*').to_lowercase())
            .filter(|r| !r.is_empty() && !has_separator(r));
        affected.push(ParsedAffected {
            ecosystem: pkg.ecosystem,
            package: key,
            name,
            ranges,
            versions,
            vendor_rating,
            vendor_status,
        });
    }
    let events = affected
        .iter()
        .flat_map(|a| &a.ranges)
        .flat_map(|r| &r.events)
        .map(|e| match e {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        });
    let lists = affected
        .iter()
        .flat_map(|a| &a.versions)
        .chain(raw.aliases.iter().flatten())
        .chain(&related_cves);
    if events.chain(lists).any(|v| has_separator(v)) {
        return Err("control character in a version, alias or id".into());
    }
    Ok(Parsed {
        id: raw.id,
        modified: raw.modified,
        published: raw.published,
        withdrawn: raw.withdrawn,
        summary,
        severity,
        aliases: raw.aliases.unwrap_or_default(),
        related_cves,
        url,
        affected,
    })
}

fn convert_range(r: RawRange) -> Option<Range> {
    let kind = match r.kind.as_str() {
        "ECOSYSTEM" => RangeKind::Ecosystem,
        "SEMVER" => RangeKind::Semver,
        _ => return None,
    };
    let events = r
        .events
        .into_iter()
        .filter_map(|e| {
            e.introduced
                .map(Event::Introduced)
                .or(e.fixed.map(Event::Fixed))
                .or(e.last_affected.map(Event::LastAffected))
                .or(e.limit.map(Event::Limit))
        })
        .collect();
    Some(Range { kind, events })
}

/// Prefers the newest CVSS vector, then any other scored severity, then the textual
/// `database_specific.severity` (GHSA style) so reports always have something to show.
fn pick_severity(
    sev: Option<&[RawSeverity]>,
    dbs: Option<&serde_json::Value>,
) -> Option<(String, String)> {
    let sev = sev.unwrap_or_default();
    for want in ["CVSS_V4", "CVSS_V3", "CVSS_V2"] {
        if let Some(s) = sev.iter().find(|s| s.kind == want) {
            return Some((s.score.clone(), s.kind.clone()));
        }
    }
    if let Some(s) = sev.first() {
        return Some((s.score.clone(), s.kind.clone()));
    }
    dbs.and_then(|v| v.get("severity"))
        .and_then(|v| v.as_str())
        .map(|s| (s.to_owned(), "database_specific".to_owned()))
}

/// Debian's converter writes `ecosystem_specific.urgency` per release, Ubuntu's
/// `ecosystem_specific.ubuntu_priority`; other ecosystems have no such field.
fn vendor_rating(specific: Option<&serde_json::Value>) -> Option<String> {
    let specific = specific?;
    ["urgency", "ubuntu_priority"]
        .iter()
        .find_map(|k| specific.get(k)?.as_str())
        .map(str::to_owned)
}

/// Red Hat's rating as AlmaLinux and Rocky Linux copy it into their errata: the summary's
/// prefix (`Important: openssl security update`); bug-fix and enhancement errata have none.
fn red_hat_level(summary: &str) -> Option<String> {
    let (level, _) = summary.split_once(':')?;
    matches!(level, "Low" | "Moderate" | "Important" | "Critical").then(|| level.to_owned())
}

fn pick_url(refs: Option<&[RawReference]>) -> Option<String> {
    let refs = refs.unwrap_or_default();
    ["ADVISORY", "WEB"]
        .iter()
        .find_map(|t| refs.iter().find(|r| r.kind.as_deref() == Some(t)))
        .or(refs.first())
        .and_then(|r| r.url.clone())
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hand_written_record() {
        let rec = br#"{"id":"GHSA-x","modified":"2024-01-02T00:00:00Z","aliases":["CVE-2024-1"],
          "upstream":["CVE-2024-2","GHSA-y"],"related":["CVE-2024-2"],
          "details":"\n  First line.\nSecond","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N"}],
          "references":[{"type":"WEB","url":"w"},{"type":"ADVISORY","url":"a"}],
          "affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar"},
            "ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"abc"}]},
                      {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}],
            "versions":["1.0"]}]}"#;
        let p = parse_record(rec).expect("valid record");
        assert_eq!(p.summary.as_deref(), Some("First line."));
        assert_eq!(p.related_cves, vec!["CVE-2024-2"]);
        assert_eq!(p.url.as_deref(), Some("a"));
        assert_eq!(p.severity.as_ref().map(|s| s.1.as_str()), Some("CVSS_V3"));
        assert_eq!(p.affected.len(), 1);
        let a = &p.affected[0];
        assert_eq!(
            (a.package.as_str(), a.name.as_deref()),
            ("foo-bar", Some("Foo_Bar"))
        );
        assert_eq!(a.ranges.len(), 1, "GIT range dropped");
        assert_eq!(
            serde_json::to_string(&a.ranges).expect("serializable"),
            r#"[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]"#
        );
    }

    /// Shapes from OSV's Debian converter (`ecosystem_specific.urgency` per release) and
    /// Canonical's records (`ubuntu_priority`, and the schema's `Ubuntu` severity type).
    #[test]
    fn vendor_ratings_per_affected_entry() {
        let debian = br#"{"id":"DEBIAN-CVE-2024-0001","modified":"m","upstream":["CVE-2024-0001"],
          "affected":[
            {"package":{"ecosystem":"Debian:11","name":"curl"},"ecosystem_specific":{"urgency":"low"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]},
            {"package":{"ecosystem":"Debian:12","name":"curl"},"ecosystem_specific":{"urgency":"not yet assigned"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]},
            {"package":{"ecosystem":"Debian:13","name":"curl"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#;
        let p = parse_record(debian).expect("valid");
        let got: Vec<_> = p
            .affected
            .iter()
            .map(|a| a.vendor_rating.as_deref())
            .collect();
        assert_eq!(got, [Some("low"), Some("not yet assigned"), None]);

        let ubuntu = br#"{"id":"UBUNTU-CVE-2024-6387","modified":"m",
          "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                      {"type":"Ubuntu","score":"High"}],
          "affected":[
            {"package":{"ecosystem":"Ubuntu:24.04:LTS","name":"openssh"},
             "ecosystem_specific":{"binaries":[],"ubuntu_priority":"medium"}},
            {"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssh"}}]}"#;
        let p = parse_record(ubuntu).expect("valid");
        let got: Vec<_> = p
            .affected
            .iter()
            .map(|a| a.vendor_rating.as_deref())
            .collect();
        assert_eq!(got, [Some("medium"), Some("high")]);
        assert_eq!(p.severity.as_ref().map(|s| s.1.as_str()), Some("CVSS_V3"));
    }

    /// AlmaLinux/Rocky errata carry Red Hat's level in the summary; openEuler's records in
    /// `database_specific.severity`; neither applies to other ecosystems' records.
    #[test]
    fn vendor_ratings_from_summary_and_database_specific() {
        let alma =
            br#"{"id":"ALSA-2023:0333","modified":"m","summary":"Moderate: curl security update",
          "affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"curl"}}]}"#;
        let p = parse_record(alma).expect("valid");
        assert_eq!(p.affected[0].vendor_rating.as_deref(), Some("moderate"));
        let bugfix = br#"{"id":"ALBA-2022:8256","modified":"m","summary":"systemd bug fix update",
          "affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"systemd"}}]}"#;
        assert_eq!(
            parse_record(bugfix).expect("valid").affected[0].vendor_rating,
            None
        );
        let euler =
            br#"{"id":"OESA-2024-2402","modified":"m","database_specific":{"severity":"High"},
          "affected":[{"package":{"ecosystem":"openEuler:24.03-LTS-SP1","name":"libxml2"}}]}"#;
        let p = parse_record(euler).expect("valid");
        assert_eq!(p.affected[0].vendor_rating.as_deref(), Some("high"));
        let ghsa = br#"{"id":"GHSA-x","modified":"m","summary":"Low: thing","database_specific":{"severity":"HIGH"},
          "affected":[{"package":{"ecosystem":"PyPI","name":"x"}}]}"#;
        assert_eq!(
            parse_record(ghsa).expect("valid").affected[0].vendor_rating,
            None
        );
    }

    #[test]
    fn storage_encoding_roundtrips() {
        let ranges = vec![
            Range {
                kind: RangeKind::Ecosystem,
                events: vec![
                    Event::Introduced("0".into()),
                    Event::Fixed("1:2.3-r1".into()),
                ],
            },
            Range {
                kind: RangeKind::Semver,
                events: vec![
                    Event::LastAffected("2.0.0".into()),
                    Event::Limit("3".into()),
                ],
            },
            Range {
                kind: RangeKind::Semver,
                events: vec![],
            },
        ];
        assert_eq!(decode_ranges(&encode_ranges(&ranges)), Some(ranges));
        assert_eq!(decode_ranges(""), Some(vec![]));
        assert_eq!(decode_ranges("Q"), None);
        let list = vec!["a".to_owned(), "b c".to_owned()];
        assert_eq!(decode_list(encode_list(&list).as_deref()), list);
        assert_eq!(encode_list(&[]), None);
        let bad = "{\"id\":\"X\",\"modified\":\"m\",\"aliases\":[\"a\\u001fb\"]}";
        assert!(parse_record(bad.as_bytes()).is_err());
    }

    #[test]
    fn rejects_bad_json_and_missing_fields() {
        assert!(parse_record(b"{\"id\":\"X\",").is_err());
        assert!(parse_record(br#"{"id":"X"}"#).is_err());
        assert!(parse_record(br#"{"id":"","modified":"m"}"#).is_err());
    }
}
