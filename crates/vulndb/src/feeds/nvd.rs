//! NVD's CVSS from its JSON 2.0 data feeds, kept up to date incrementally.
//!
//! NVD publishes `nvdcve-2.0-<YEAR>.json.gz` for 2002 to this year and
//! `nvdcve-2.0-modified.json.gz` (every CVE changed in the last eight days), each with a
//! `.meta` file whose `sha256` is that of the uncompressed JSON. The CVSS taken from
//! them is kept in `<cache>/nvd/` (`cvss.jsonl`, one line per CVE, and `state.json`
//! with the digests already applied), so a later update reads only the `modified`
//! feed, plus any yearly feed whose digest changed when the last full pass is older
//! than the modified feed's window.

use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::parse::{CvssLine, bad, date_prefix};
use crate::clock::civil_from_days;
use crate::error::{Error, Result};
use crate::fetch::{Fetcher, Location};

/// First yearly feed NVD publishes (it also holds the CVE-1999..2001 ids).
const FIRST_YEAR: i64 = 2002;
/// The modified feed covers eight days; a day of margin for clocks and publishing.
const MODIFIED_WINDOW_SECS: u64 = 7 * 86_400;

/// The CVSS store after a sync, or as last synced.
#[derive(Debug, Default)]
pub(crate) struct NvdData {
    pub lines: Vec<CvssLine>,
    /// Newest `timestamp` of the feeds applied.
    pub date: Option<String>,
    /// Changes exactly when the store's content does (digests of the feeds applied).
    pub digest: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    source: String,
    /// Unix seconds of the last sync that applied the modified feed.
    synced_at: u64,
    date: Option<String>,
    /// Feed name (`2021`, `modified`) -> sha256 of the JSON applied.
    applied: BTreeMap<String, String>,
}

/// Brings the store in `dir` up to date from `base`; `Ok(None)` when `base` has no
/// NVD feeds at all (no `nvdcve-2.0-modified.meta`).
pub(crate) fn sync(f: &Fetcher, base: &Location, dir: &Path, now: u64) -> Result<Option<NvdData>> {
    let Some(modified_meta) = f.get_optional(&meta_loc(base, "modified"))? else {
        return Ok(None);
    };
    let (mut state, mut store) = load(dir, base);
    let mut changed = false;
    if now.saturating_sub(state.synced_at) > MODIFIED_WINDOW_SECS {
        let (this_year, _, _) = civil_from_days(i64::try_from(now / 86_400).unwrap_or(0));
        for year in FIRST_YEAR..=this_year {
            let name = year.to_string();
            // A year the server lacks is skipped; the next full pass asks again.
            if let Some(meta) = f.get_optional(&meta_loc(base, &name))? {
                changed |= apply(f, base, &name, &meta, &mut state, &mut store)?;
            }
        }
    }
    changed |= apply(f, base, "modified", &modified_meta, &mut state, &mut store)?;
    state.synced_at = now;
    save(dir, &state, changed.then_some(&store))?;
    Ok(Some(data(&state, store)))
}

/// The store as last synced from `base`, for when `base` cannot be reached.
pub(crate) fn last_synced(dir: &Path, base: &Location) -> Option<NvdData> {
    let (state, store) = load(dir, base);
    (!state.applied.is_empty()).then(|| data(&state, store))
}

fn data(state: &State, store: BTreeMap<String, CvssLine>) -> NvdData {
    let mut h = Sha256::new();
    for (name, sha) in &state.applied {
        h.update(name.as_bytes());
        h.update(sha.as_bytes());
    }
    NvdData {
        lines: store.into_values().collect(),
        date: state.date.clone(),
        digest: hex::encode(h.finalize()),
    }
}

fn meta_loc(base: &Location, name: &str) -> Location {
    base.join(&[&format!("nvdcve-2.0-{name}.meta")])
}

/// Applies feed `name` unless its digest was applied already; returns whether the
/// store changed.
fn apply(
    f: &Fetcher,
    base: &Location,
    name: &str,
    meta: &[u8],
    state: &mut State,
    store: &mut BTreeMap<String, CvssLine>,
) -> Result<bool> {
    let meta_at = meta_loc(base, name);
    let want = String::from_utf8_lossy(meta)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("sha256:")
                .map(str::to_ascii_lowercase)
        })
        .ok_or_else(|| bad("NVD feed meta", &meta_at, "no sha256 line"))?;
    if state.applied.get(name) == Some(&want) {
        return Ok(false);
    }
    let loc = base.join(&[&format!("nvdcve-2.0-{name}.json.gz")]);
    let gz = f.get(&loc)?;
    let mut reader = Hashing {
        inner: flate2::read::GzDecoder::new(&gz[..]),
        hash: Sha256::new(),
    };
    let doc: FeedDoc = serde_json::from_reader(BufReader::new(&mut reader))
        .map_err(|e| bad("NVD JSON 2.0 feed", &loc, e))?;
    let got = hex::encode(reader.hash.finalize());
    if got != want {
        return Err(bad(
            "NVD JSON 2.0 feed",
            &loc,
            format!("sha256 {got} does not match its .meta ({want})"),
        ));
    }
    for item in doc.vulnerabilities {
        let id = item.cve.id.clone();
        match item.cve.cvss() {
            Some(line) => store.insert(id, line),
            None => store.remove(&id),
        };
    }
    if let Some(d) = doc.timestamp.as_deref().and_then(date_prefix)
        && state.date.as_ref().is_none_or(|old| *old < d)
    {
        state.date = Some(d);
    }
    state.applied.insert(name.to_owned(), want);
    Ok(true)
}

/// Hashes what the JSON parser reads, to check the `.meta` digest without a second pass.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

#[derive(Deserialize)]
struct FeedDoc {
    timestamp: Option<String>,
    #[serde(default)]
    vulnerabilities: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    cve: NvdCve,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NvdCve {
    id: String,
    vuln_status: Option<String>,
    #[serde(default)]
    metrics: Metrics,
}

#[derive(Deserialize, Default)]
struct Metrics {
    #[serde(rename = "cvssMetricV40", default)]
    v40: Vec<Metric>,
    #[serde(rename = "cvssMetricV31", default)]
    v31: Vec<Metric>,
    #[serde(rename = "cvssMetricV30", default)]
    v30: Vec<Metric>,
}

#[derive(Deserialize)]
struct Metric {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "cvssData")]
    data: CvssData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CvssData {
    vector_string: String,
    base_score: f64,
}

impl NvdCve {
    /// NVD's own (`Primary`) score first, else the CNA's it republishes; v3.1 before
    /// v3.0. CVSS v2 is left out: its bands differ from v3's. `None` for rejected CVEs.
    fn cvss(self) -> Option<CvssLine> {
        if self.vuln_status.as_deref() == Some("Rejected") {
            return None;
        }
        let pick = |list: &[Metric]| {
            list.iter()
                .find(|m| m.kind.as_deref() == Some("Primary"))
                .or(list.first())
                .map(|m| {
                    let who = match m.kind.as_deref() {
                        Some("Primary") => "NVD",
                        _ => "CNA via NVD",
                    };
                    (m.data.vector_string.clone(), m.data.base_score, who)
                })
        };
        let v3 = pick(&self.metrics.v31).or_else(|| pick(&self.metrics.v30));
        let v4 = pick(&self.metrics.v40);
        if v3.is_none() && v4.is_none() {
            return None;
        }
        Some(CvssLine {
            cve: self.id,
            cvss3_vector: v3.as_ref().map(|v| v.0.clone()),
            cvss3_score: v3.as_ref().map(|v| v.1),
            cvss3_source: v3.map(|v| v.2.to_owned()),
            cvss4_vector: v4.as_ref().map(|v| v.0.clone()),
            cvss4_score: v4.map(|v| v.1),
        })
    }
}

fn state_path(dir: &Path) -> PathBuf {
    dir.join("state.json")
}

fn store_path(dir: &Path) -> PathBuf {
    dir.join("cvss.jsonl")
}

/// The stored state and CVSS lines, or empty ones when they are missing, unreadable
/// or from another source.
fn load(dir: &Path, base: &Location) -> (State, BTreeMap<String, CvssLine>) {
    let state: Option<State> = std::fs::read(state_path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|s: &State| s.source == base.display());
    let store: Option<BTreeMap<String, CvssLine>> = state.as_ref().and_then(|_| {
        let text = std::fs::read_to_string(store_path(dir)).ok()?;
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<CvssLine>(l)
                    .ok()
                    .map(|c| (c.cve.clone(), c))
            })
            .collect()
    });
    match (state, store) {
        (Some(s), Some(st)) => (s, st),
        _ => (
            State {
                source: base.display(),
                ..State::default()
            },
            BTreeMap::new(),
        ),
    }
}

/// Writes the store (when changed) and then the state, each through a rename, so a
/// crash leaves either the old pair or a store newer than its state (re-applied).
fn save(dir: &Path, state: &State, store: Option<&BTreeMap<String, CvssLine>>) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if let Some(store) = store {
        let mut out = Vec::new();
        for line in store.values() {
            serde_json::to_writer(&mut out, line).map_err(|e| Error::Config(e.to_string()))?;
            out.push(b'\n');
        }
        write_atomic(&store_path(dir), &out)?;
    }
    let json = serde_json::to_vec_pretty(state).map_err(|e| Error::Config(e.to_string()))?;
    write_atomic(&state_path(dir), &json)
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(path, e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;

    /// Writes feed `name` as NVD publishes it: gzip JSON plus a `.meta` with its sha256.
    fn publish(dir: &Path, name: &str, cves: &[(&str, &str, f64)]) {
        let items: Vec<String> = cves
            .iter()
            .map(|(id, vector, score)| {
                format!(
                    r#"{{"cve":{{"id":"{id}","vulnStatus":"Analyzed","metrics":{{"cvssMetricV31":[
                    {{"source":"nvd@nist.gov","type":"Primary","cvssData":{{"version":"3.1",
                    "vectorString":"{vector}","baseScore":{score}}}}}]}}}}}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"format":"NVD_CVE","version":"2.0","timestamp":"2026-11-30T00:00:00.000","vulnerabilities":[{}]}}"#,
            items.join(",")
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(json.as_bytes()).expect("gzip");
        let gz = gz.finish().expect("gzip");
        std::fs::write(dir.join(format!("nvdcve-2.0-{name}.json.gz")), gz).expect("write");
        let sha = hex::encode_upper(Sha256::digest(json.as_bytes()));
        let meta = format!("lastModifiedDate:2026-11-30T00:00:00-05:00\r\nsha256:{sha}\r\n");
        std::fs::write(dir.join(format!("nvdcve-2.0-{name}.meta")), meta).expect("write");
    }

    fn score(d: &NvdData, cve: &str) -> Option<f64> {
        d.lines
            .iter()
            .find(|l| l.cve == cve)
            .and_then(|l| l.cvss3_score)
    }

    #[test]
    fn yearly_feeds_are_read_again_only_past_the_modified_window() {
        let feeds = tempfile::tempdir().expect("tmp");
        let store = tempfile::tempdir().expect("tmp");
        let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
        publish(feeds.path(), "2021", &[("CVE-2021-0001", v, 7.5)]);
        publish(feeds.path(), "modified", &[]);
        let f = Fetcher::new(Duration::from_secs(5), 0);
        let base = Location::Dir(feeds.path().to_path_buf());
        let t0 = 1_796_000_000; // 2026-11-29
        let d = sync(&f, &base, store.path(), t0)
            .expect("sync")
            .expect("feeds");
        assert_eq!(score(&d, "CVE-2021-0001"), Some(7.5));

        // The yearly feed changes but the modified feed does not list it: within the
        // window the store trusts the modified feed alone.
        publish(feeds.path(), "2021", &[("CVE-2021-0001", v, 5.0)]);
        let day = 86_400;
        let d = sync(&f, &base, store.path(), t0 + day)
            .expect("sync")
            .expect("feeds");
        assert_eq!(score(&d, "CVE-2021-0001"), Some(7.5));
        // Eight days after the last sync the window is over: the yearly feeds are read.
        let d = sync(&f, &base, store.path(), t0 + 9 * day)
            .expect("sync")
            .expect("feeds");
        assert_eq!(score(&d, "CVE-2021-0001"), Some(5.0));
        // No NVD feeds at all: `None`, not an error.
        let empty = tempfile::tempdir().expect("tmp");
        let none = Location::Dir(empty.path().to_path_buf());
        assert!(sync(&f, &none, store.path(), t0).expect("sync").is_none());
    }
}
