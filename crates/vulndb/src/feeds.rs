//! CVE extras (KEV, CVSS, EPSS) and Alpine secdb, read from folders beside the OSV mirror.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::fetch::{Fetcher, Location};

/// Per-CVE data joined onto advisories.
#[derive(Debug, Clone, Default)]
pub(crate) struct CveExtra {
    pub kev_added: Option<String>,
    pub kev_due: Option<String>,
    pub cvss3: Option<(String, f64, Option<String>)>,
    pub cvss4: Option<(String, f64)>,
    pub epss: Option<(f64, f64)>,
}

/// One secdb fix: `package` in Alpine `release` (e.g. `v3.20`) fixed `cve` in `fixed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecdbFix {
    pub release: String,
    pub package: String,
    pub cve: String,
    pub fixed: String,
}

#[derive(Debug, Default)]
pub(crate) struct Feeds {
    pub cve: HashMap<String, CveExtra>,
    pub secdb: Vec<SecdbFix>,
    /// Digest over every feed byte read; unchanged digest means nothing to re-derive.
    pub digest: String,
    pub kev: usize,
    pub cvss: usize,
    pub epss: usize,
    pub missing: Vec<String>,
}

pub(crate) fn fetch_feeds(f: &Fetcher, root: &Location, alpine: &[String]) -> Result<Feeds> {
    let mut feeds = Feeds::default();
    let mut hasher = Sha256::new();
    let mut take = |loc: &Location, feeds: &mut Feeds| -> Result<Option<Vec<u8>>> {
        let b = f.get_optional(loc)?;
        match &b {
            Some(b) => {
                hasher.update(loc.display().as_bytes());
                hasher.update((b.len() as u64).to_le_bytes());
                hasher.update(b);
            }
            None => feeds.missing.push(loc.display()),
        }
        Ok(b)
    };

    let kev = root.join(&["kev", "known_exploited_vulnerabilities.json"]);
    if let Some(b) = take(&kev, &mut feeds)? {
        parse_kev(&b, &kev, &mut feeds)?;
    }
    let cvss = root.join(&["cvss", "cvss.jsonl"]);
    if let Some(b) = take(&cvss, &mut feeds)? {
        parse_cvss(&b, &cvss, &mut feeds)?;
    }
    let epss = find_epss(f, root);
    if let Some(b) = take(&epss, &mut feeds)? {
        parse_epss(&b, &epss, &mut feeds)?;
    }
    for rel in alpine {
        for repo in ["main.json", "community.json"] {
            let loc = root.join(&["alpine-secdb", rel, repo]);
            if let Some(b) = take(&loc, &mut feeds)? {
                parse_secdb(&b, &loc, rel, &mut feeds.secdb)?;
            }
        }
    }
    feeds.digest = hex::encode(hasher.finalize());
    Ok(feeds)
}

/// EPSS files carry their date in the name, so take the newest `*.csv` in the folder;
/// fall back to FIRST's `epss_scores-current.csv` when the folder cannot be listed.
fn find_epss(f: &Fetcher, root: &Location) -> Location {
    let dir = root.join(&["epss"]);
    let newest = f
        .list(&dir)
        .ok()
        .and_then(|names| names.into_iter().filter(|n| n.ends_with(".csv")).max());
    dir.join(&[newest.as_deref().unwrap_or("epss_scores-current.csv")])
}

fn bad(what: &'static str, loc: &Location, msg: impl ToString) -> Error {
    Error::BadData {
        what,
        url: loc.display(),
        msg: msg.to_string(),
    }
}

#[derive(Deserialize)]
struct KevCatalog {
    vulnerabilities: Vec<KevEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KevEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    date_added: Option<String>,
    due_date: Option<String>,
}

fn parse_kev(b: &[u8], loc: &Location, feeds: &mut Feeds) -> Result<()> {
    let cat: KevCatalog = serde_json::from_slice(b).map_err(|e| bad("KEV catalog", loc, e))?;
    for v in cat.vulnerabilities {
        let e = feeds.cve.entry(v.cve_id).or_default();
        e.kev_added = Some(v.date_added.unwrap_or_default());
        e.kev_due = v.due_date;
        feeds.kev += 1;
    }
    Ok(())
}

#[derive(Deserialize)]
struct CvssLine {
    cve: String,
    cvss3_vector: Option<String>,
    cvss3_score: Option<f64>,
    cvss3_source: Option<String>,
    cvss4_vector: Option<String>,
    cvss4_score: Option<f64>,
}

fn parse_cvss(b: &[u8], loc: &Location, feeds: &mut Feeds) -> Result<()> {
    for (n, line) in b.split(|&c| c == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let l: CvssLine = serde_json::from_slice(line)
            .map_err(|e| bad("CVSS jsonl", loc, format!("line {}: {e}", n + 1)))?;
        let e = feeds.cve.entry(l.cve).or_default();
        if let (Some(v), Some(s)) = (l.cvss3_vector, l.cvss3_score) {
            e.cvss3 = Some((v, s, l.cvss3_source));
        }
        if let (Some(v), Some(s)) = (l.cvss4_vector, l.cvss4_score) {
            e.cvss4 = Some((v, s));
        }
        feeds.cvss += 1;
    }
    Ok(())
}

/// Accepts FIRST's layout (`#model_version...` comment, then `cve,epss,percentile`
/// header) and the same without the comment line.
fn parse_epss(b: &[u8], loc: &Location, feeds: &mut Feeds) -> Result<()> {
    let text = std::str::from_utf8(b).map_err(|e| bad("EPSS csv", loc, e))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("cve,") {
            continue;
        }
        let mut it = line.split(',');
        let parsed = match (it.next(), it.next(), it.next()) {
            (Some(c), Some(s), Some(p)) => s
                .parse::<f64>()
                .ok()
                .zip(p.parse::<f64>().ok())
                .map(|sp| (c, sp)),
            _ => None,
        };
        let (cve, sp) =
            parsed.ok_or_else(|| bad("EPSS csv", loc, format!("line {}: {line:?}", n + 1)))?;
        feeds.cve.entry(cve.to_owned()).or_default().epss = Some(sp);
        feeds.epss += 1;
    }
    Ok(())
}

#[derive(Deserialize)]
struct Secdb {
    #[serde(default)]
    packages: Vec<SecdbPackage>,
}

#[derive(Deserialize)]
struct SecdbPackage {
    pkg: SecdbPkg,
}

#[derive(Deserialize)]
struct SecdbPkg {
    name: String,
    #[serde(default)]
    secfixes: OrderedFixes,
}

/// `secfixes` in document order: when a CVE is listed under two versions, the first
/// listed one wins (a plain map would sort the versions as strings).
#[derive(Default)]
struct OrderedFixes(Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for OrderedFixes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedFixes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of version to fix list")
            }
            fn visit_unit<E>(self) -> Result<OrderedFixes, E> {
                Ok(OrderedFixes::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<OrderedFixes, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Option<Vec<String>>>()? {
                    out.push((k, v.unwrap_or_default()));
                }
                Ok(OrderedFixes(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_secdb(b: &[u8], loc: &Location, release: &str, out: &mut Vec<SecdbFix>) -> Result<()> {
    let db: Secdb = serde_json::from_slice(b).map_err(|e| bad("Alpine secdb", loc, e))?;
    for p in db.packages {
        let mut seen = std::collections::HashSet::new();
        for (version, items) in p.pkg.secfixes.0 {
            // Version "0" means "never affected" in Alpine.
            if version == "0" {
                continue;
            }
            for item in &items {
                for cve in cve_ids(item) {
                    if seen.insert(cve.clone()) {
                        out.push(SecdbFix {
                            release: release.to_owned(),
                            package: p.pkg.name.clone(),
                            cve,
                            fixed: version.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// All `CVE-\d{4}-\d{4,}` occurrences in `s`.
pub(crate) fn cve_ids(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s.get(i..).and_then(|t| t.find("CVE-")) {
        let start = i + off;
        let digits = |from: usize| {
            b.get(from..)
                .map_or(0, |t| t.iter().take_while(|c| c.is_ascii_digit()).count())
        };
        let y = digits(start + 4);
        let n = if y == 4 && b.get(start + 8) == Some(&b'-') {
            digits(start + 9)
        } else {
            0
        };
        if n >= 4 {
            let end = start + 9 + n;
            out.push(s[start..end].to_owned());
            i = end;
        } else {
            i = start + 4;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_scanner() {
        assert_eq!(
            cve_ids("CVE-2021-1234 CVE-2020-12345, XSA-1 CVE-21-1 CVE-2020-123"),
            vec!["CVE-2021-1234", "CVE-2020-12345"]
        );
        assert!(cve_ids("ALPINE-13661").is_empty());
    }

    #[test]
    fn secdb_order_and_zero_version() {
        let j = br#"{"packages":[{"pkg":{"name":"p","secfixes":{
            "2.0-r0":["CVE-2020-0002 CVE-2020-0001"],"0":["CVE-2020-0003"],
            "1.0-r0":["CVE-2020-0001","XSA-7"]}}}]}"#;
        let mut out = Vec::new();
        parse_secdb(j, &Location::parse("x"), "v3.20", &mut out).expect("valid secdb");
        let got: Vec<_> = out
            .iter()
            .map(|f| (f.cve.as_str(), f.fixed.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![("CVE-2020-0002", "2.0-r0"), ("CVE-2020-0001", "2.0-r0")]
        );
    }

    #[test]
    fn epss_with_and_without_comment() {
        for text in [
            "#model_version:v1,score_date:x\ncve,epss,percentile\nCVE-2020-0001,0.5,0.9\n",
            "cve,epss,percentile\nCVE-2020-0001,0.5,0.9\n",
        ] {
            let mut f = Feeds::default();
            parse_epss(text.as_bytes(), &Location::parse("x"), &mut f).expect("valid csv");
            assert_eq!(f.cve["CVE-2020-0001"].epss, Some((0.5, 0.9)));
        }
        let mut f = Feeds::default();
        assert!(parse_epss(b"CVE-1,x,y\n", &Location::parse("x"), &mut f).is_err());
    }
}
