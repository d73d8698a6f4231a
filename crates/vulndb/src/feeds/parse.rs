//! Parsers for the CVE feeds in the shapes their publishers use: CISA's KEV catalog
//! (JSON), FIRST's EPSS scores (CSV, plain or gzip, with its `#model_version` line),
//! per-CVE CVSS lines (`cvss/cvss.jsonl`, also the NVD store's format) and Alpine secdb.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use crate::error::{Error, Result};
use crate::fetch::Location;

/// Per-CVE data joined onto advisories.
#[derive(Debug, Clone, Default)]
pub(crate) struct CveExtra {
    pub kev_added: Option<String>,
    pub kev_due: Option<String>,
    pub cvss3: Option<(String, f64, Option<String>)>,
    pub cvss4: Option<(String, f64)>,
    pub epss: Option<(f64, f64)>,
}

/// CVE id -> what the feeds say about it.
pub(crate) type CveMap = HashMap<String, CveExtra>;

/// What one feed file held: its entry count and the date it states for itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub entries: usize,
    pub date: Option<String>,
}

/// One secdb fix: `package` in Alpine `release` (`v3.20`, or `edge`) fixed `cve` in `fixed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecdbFix {
    pub release: String,
    pub package: String,
    pub cve: String,
    pub fixed: String,
}

pub(crate) fn bad(what: &'static str, loc: &Location, msg: impl ToString) -> Error {
    Error::BadData {
        what,
        url: loc.display(),
        msg: msg.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KevCatalog {
    catalog_version: Option<String>,
    date_released: Option<String>,
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

/// CISA's catalog; its date is `dateReleased` (else `catalogVersion`, `YYYY.MM.DD`).
pub(crate) fn parse_kev(b: &[u8], loc: &Location, cve: &mut CveMap) -> Result<Parsed> {
    let cat: KevCatalog = serde_json::from_slice(b).map_err(|e| bad("KEV catalog", loc, e))?;
    let date = cat
        .date_released
        .as_deref()
        .and_then(date_prefix)
        .or_else(|| cat.catalog_version.map(|v| v.replace('.', "-")));
    let entries = cat.vulnerabilities.len();
    for v in cat.vulnerabilities {
        let e = cve.entry(v.cve_id).or_default();
        e.kev_added = Some(v.date_added.unwrap_or_default());
        e.kev_due = v.due_date;
    }
    Ok(Parsed { entries, date })
}

/// The leading `YYYY-MM-DD` of a timestamp.
pub(crate) fn date_prefix(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    let ok = d.bytes().enumerate().all(|(i, c)| match i {
        4 | 7 => c == b'-',
        _ => c.is_ascii_digit(),
    });
    ok.then(|| d.to_owned())
}

#[derive(Debug, Deserialize, serde::Serialize)]
pub(crate) struct CvssLine {
    pub cve: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss3_vector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss3_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss3_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss4_vector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss4_score: Option<f64>,
}

impl CvssLine {
    /// Sets this line's scores on its CVE where no earlier feed set them.
    pub(crate) fn fill(self, cve: &mut CveMap) {
        let e = cve.entry(self.cve).or_default();
        if let (None, Some(v), Some(s)) = (&e.cvss3, self.cvss3_vector, self.cvss3_score) {
            e.cvss3 = Some((v, s, self.cvss3_source));
        }
        if let (None, Some(v), Some(s)) = (&e.cvss4, self.cvss4_vector, self.cvss4_score) {
            e.cvss4 = Some((v, s));
        }
    }
}

/// One JSON object per line. Lines fill only what earlier feeds left empty, so the
/// mirror's own `cvss.jsonl` (read first) wins over the NVD store read after it.
pub(crate) fn parse_cvss(b: &[u8], loc: &Location, cve: &mut CveMap) -> Result<Parsed> {
    let mut entries = 0;
    for (n, line) in b.split(|&c| c == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let l: CvssLine = serde_json::from_slice(line)
            .map_err(|e| bad("CVSS jsonl", loc, format!("line {}: {e}", n + 1)))?;
        l.fill(cve);
        entries += 1;
    }
    Ok(Parsed {
        entries,
        date: None,
    })
}

/// FIRST's layout: `#model_version:v2025.03.14,score_date:2025-06-01T00:00:00+0000`,
/// then `cve,epss,percentile` and one row per CVE; also without the comment line (the
/// date then comes from a `YYYY-MM-DD` in the file name, if any). Gzip is recognised
/// by its magic bytes, as FIRST publishes `.csv.gz`.
pub(crate) fn parse_epss(b: &[u8], loc: &Location, cve: &mut CveMap) -> Result<Parsed> {
    let unzipped;
    let b = if b.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b)
            .read_to_end(&mut out)
            .map_err(|e| bad("EPSS csv.gz", loc, e))?;
        unzipped = out;
        &unzipped[..]
    } else {
        b
    };
    let text = std::str::from_utf8(b).map_err(|e| bad("EPSS csv", loc, e))?;
    let mut parsed = Parsed::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(comment) = line.strip_prefix('#') {
            parsed.date = comment
                .split(',')
                .find_map(|kv| kv.trim().strip_prefix("score_date:"))
                .and_then(date_prefix)
                .or(parsed.date);
            continue;
        }
        if line.is_empty() || line.starts_with("cve,") {
            continue;
        }
        let mut it = line.split(',');
        let row = match (it.next(), it.next(), it.next()) {
            (Some(c), Some(s), Some(p)) => s
                .parse::<f64>()
                .ok()
                .zip(p.parse::<f64>().ok())
                .map(|sp| (c, sp)),
            _ => None,
        };
        let (id, sp) =
            row.ok_or_else(|| bad("EPSS csv", loc, format!("line {}: {line:?}", n + 1)))?;
        cve.entry(id.to_owned()).or_default().epss = Some(sp);
        parsed.entries += 1;
    }
    if parsed.date.is_none() {
        parsed.date = date_in(&loc.display());
    }
    Ok(parsed)
}

/// The last `YYYY-MM-DD` in `s` (EPSS files are named by their date).
fn date_in(s: &str) -> Option<String> {
    (0..s.len().saturating_sub(9))
        .rev()
        .find_map(|i| s.get(i..).and_then(date_prefix))
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

pub(crate) fn parse_secdb(
    b: &[u8],
    loc: &Location,
    release: &str,
    out: &mut Vec<SecdbFix>,
) -> Result<()> {
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

    /// The real, trimmed edge file (testdata/distro-advisories/README.md): 86 distinct
    /// CVEs under versions other than "0", counted with Python's json and re.
    #[test]
    fn secdb_edge_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/distro-advisories/alpine-secdb/edge/main.json"
        );
        let b = std::fs::read(path).expect("edge main.json");
        let mut out = Vec::new();
        parse_secdb(&b, &Location::parse(path), "edge", &mut out).expect("valid secdb");
        assert_eq!(out.len(), 86);
        assert!(out.iter().all(|f| f.release == "edge"));
        let find = |cve: &str| out.iter().find(|f| f.cve == cve).map(|f| f.fixed.as_str());
        assert_eq!(find("CVE-2020-28928"), Some("1.2.2_pre2-r0"));
        assert_eq!(find("CVE-2022-1292"), None, "openssl's, under \"0\"");
        let e = parse_secdb(
            b"{\"packages\": 7}",
            &Location::parse("edge/x.json"),
            "edge",
            &mut out,
        )
        .expect_err("not a secdb");
        assert!(e.to_string().contains("edge/x.json"), "{e}");
    }

    #[test]
    fn epss_with_and_without_comment() {
        for text in [
            "#model_version:v1,score_date:x\ncve,epss,percentile\nCVE-2020-0001,0.5,0.9\n",
            "cve,epss,percentile\nCVE-2020-0001,0.5,0.9\n",
        ] {
            let mut cve = CveMap::new();
            parse_epss(text.as_bytes(), &Location::parse("x"), &mut cve).expect("valid csv");
            assert_eq!(cve["CVE-2020-0001"].epss, Some((0.5, 0.9)));
        }
        let mut cve = CveMap::new();
        assert!(parse_epss(b"CVE-1,x,y\n", &Location::parse("x"), &mut cve).is_err());
        let named = Location::parse("mirror/epss/epss_subset_emba_2026-08-16.csv");
        let p = parse_epss(b"cve,epss,percentile\n", &named, &mut cve).expect("valid");
        assert_eq!(p.date.as_deref(), Some("2026-08-16"));
    }
}
