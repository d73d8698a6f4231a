//! What Red Hat's VEX folder says changed since its archive, and what drydock remembers
//! having applied. Beside `archive_latest.txt` Red Hat publishes `changes.csv`, one line
//! per document with the time it last changed (`"2025/cve-2025-0001.json","2025-06-02T14:28:08+00:00"`),
//! and `deletions.csv`, the documents removed, in the same shape. Red Hat's
//! security-data-guidelines (`docs/csaf-vex.md`) describe keeping a copy current by
//! reading the archive once, then fetching the documents `changes.csv` names as newer.

use std::collections::BTreeSet;
use std::path::Path;

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::fetch::Location;

use super::parse::bad;

/// The listing of changed documents in Red Hat's folder.
pub(crate) const CHANGES: &str = "changes.csv";
/// The listing of removed documents.
pub(crate) const DELETIONS: &str = "deletions.csv";
/// A kept archive older than this many days is downloaded again rather than patched.
const MAX_AGE_DAYS: u64 = 30;
/// The state file in the folder of fetched documents.
const STATE: &str = "state.txt";
const WHAT: &str = "Red Hat VEX";

/// One line of `changes.csv` or `deletions.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    /// `2025/cve-2025-0001.json`, checked so it can name a file under the cache.
    pub path: String,
    /// `2025-06-02T14:28:08`: UTC (Red Hat writes `+00:00`), so strings compare as times.
    pub at: String,
}

/// Every line of a listing; a line not in Red Hat's shape is an error naming it.
pub(crate) fn parse_listing(b: &[u8], loc: &Location) -> Result<Vec<Listed>> {
    let text = std::str::from_utf8(b).map_err(|e| bad(WHAT, loc, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields = line
            .strip_prefix('"')
            .and_then(|l| l.strip_suffix('"'))
            .and_then(|l| l.split_once("\",\""));
        let listed = fields.and_then(|(path, at)| {
            let at = utc_time(at)?;
            is_document_path(path).then(|| Listed {
                path: path.to_owned(),
                at,
            })
        });
        let Some(listed) = listed else {
            let msg = format!("line {}: not \"<year>/cve-….json\",\"<UTC time>\"", n + 1);
            return Err(bad(WHAT, loc, msg));
        };
        out.push(listed);
    }
    Ok(out)
}

/// `2025/cve-2025-0001.json`: a year folder and a CVE's file, nothing else.
pub(crate) fn is_document_path(p: &str) -> bool {
    let Some((year, file)) = p.split_once('/') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let id = file
        .strip_prefix("cve-")
        .and_then(|f| f.strip_suffix(".json"))
        .and_then(|f| f.split_once('-'));
    year.len() == 4
        && digits(year)
        && id.is_some_and(|(y, n)| y.len() == 4 && digits(y) && digits(n) && n.len() < 12)
}

/// `CVE-2025-0001` for `2025/cve-2025-0001.json`.
pub(crate) fn cve_of(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.trim_end_matches(".json").to_ascii_uppercase()
}

/// `2025-06-02T14:28:08` from `2025-06-02T14:28:08+00:00` (or `...Z`); other offsets are
/// refused rather than compared wrongly.
fn utc_time(s: &str) -> Option<String> {
    let (t, zone) = s.split_at_checked(19)?;
    let shape = t.bytes().enumerate().all(|(i, c)| match i {
        4 | 7 => c == b'-',
        10 => c == b'T',
        13 | 16 => c == b':',
        _ => c.is_ascii_digit(),
    });
    (shape && matches!(zone, "+00:00" | "Z")).then(|| t.to_owned())
}

/// `2025-06-01` in `csaf_vex_2025-06-01.tar.zst`.
fn archive_date(name: &str) -> Option<&str> {
    let d = name.strip_prefix("csaf_vex_")?.strip_suffix(".tar.zst")?;
    utc_time(&format!("{d}T00:00:00Z")).map(|_| d)
}

/// Whether the archive `name` is more than [`MAX_AGE_DAYS`] older than `now` (unix
/// seconds); an archive whose name gives no date always is.
pub(crate) fn too_old(name: &str, now: u64) -> bool {
    let cutoff = rfc3339(now.saturating_sub(MAX_AGE_DAYS * 86_400));
    archive_date(name).is_none_or(|d| d < &cutoff[..10])
}

/// What the kept copy is: the archive read whole, the newest listing time applied on
/// top of it, and the documents deleted since (the fetched ones are files beside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    pub archive: String,
    pub applied: String,
    pub deleted: BTreeSet<String>,
}

impl State {
    /// The state right after `archive` is read: changes from the start of its day on
    /// are applied (re-fetching one the archive already has is harmless). `None` for
    /// an archive whose name gives no date: it is never patched.
    pub(crate) fn new(archive: &str) -> Option<State> {
        Some(State {
            archive: archive.to_owned(),
            applied: format!("{}T00:00:00", archive_date(archive)?),
            deleted: BTreeSet::new(),
        })
    }

    /// The state kept in `dir`; `None` when there is none or it is not one drydock wrote.
    pub(crate) fn load(dir: &Path) -> Option<State> {
        let text = std::fs::read_to_string(dir.join(STATE)).ok()?;
        let mut lines = text.lines();
        let archive = lines.next()?.strip_prefix("archive ")?;
        let applied = utc_time(&format!("{}Z", lines.next()?.strip_prefix("applied ")?))?;
        let mut state = State::new(archive)?;
        state.applied = applied;
        for l in lines {
            let p = l.strip_prefix("deleted ").filter(|p| is_document_path(p))?;
            state.deleted.insert(p.to_owned());
        }
        Some(state)
    }

    /// Writes the state into `dir` (through a temporary file, so a crash leaves the old one).
    pub(crate) fn save(&self, dir: &Path) -> Result<()> {
        let mut text = format!("archive {}\napplied {}\n", self.archive, self.applied);
        for p in &self.deleted {
            text.push_str(&format!("deleted {p}\n"));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tmp = dir.join(format!("{STATE}.part"));
        std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
        let to = dir.join(STATE);
        std::fs::rename(&tmp, &to).map_err(|e| Error::io(&to, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::parse("http://127.0.0.1/vex/changes.csv")
    }

    /// The shape of Red Hat's listings (as anchore/vunnel's test server copies them:
    /// quoted path, quoted `+00:00` time, one per line).
    #[test]
    fn listing_lines_in_red_hats_shape_are_read() {
        let b = b"\"2024/cve-2024-0010.json\",\"2025-02-18T14:28:08+00:00\"\r\n\
                  \"2099/cve-2099-12345.json\",\"2099-04-02T09:00:07Z\"\n\n";
        let got = parse_listing(b, &loc()).expect("parse");
        let want = [
            ("2024/cve-2024-0010.json", "2025-02-18T14:28:08"),
            ("2099/cve-2099-12345.json", "2099-04-02T09:00:07"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|l| (&*l.path, &*l.at)).collect();
        assert_eq!(got, want);
        assert_eq!(cve_of("2099/cve-2099-12345.json"), "CVE-2099-12345");
    }

    /// Paths that could climb out of the cache, other offsets and other shapes are
    /// refused with the line's number.
    #[test]
    fn listing_lines_out_of_shape_are_refused() {
        for line in [
            "\"../cve-2024-0010.json\",\"2025-02-18T14:28:08+00:00\"",
            "\"2024/../../x.json\",\"2025-02-18T14:28:08+00:00\"",
            "\"2024/rhsa-2024_0010.json\",\"2025-02-18T14:28:08+00:00\"",
            "\"2024/cve-2024-0010.json\",\"2025-02-18T14:28:08+02:00\"",
            "\"2024/cve-2024-0010.json\",\"2025-02-18\"",
            "2024/cve-2024-0010.json,2025-02-18T14:28:08+00:00",
        ] {
            let b = format!("\"2024/cve-2024-0001.json\",\"2025-02-18T14:28:08+00:00\"\n{line}\n");
            let e = parse_listing(b.as_bytes(), &loc())
                .expect_err(line)
                .to_string();
            assert!(e.contains("line 2") && e.contains("changes.csv"), "{e}");
        }
    }

    /// 30 days counted from `now`: 2099-04-01 is fresh on 2099-05-01, not on 2099-05-02.
    #[test]
    fn an_archive_over_30_days_old_is_too_old() {
        // 2099-05-01T00:00:00Z and a day later.
        let may1 = 4_081_276_800;
        assert_eq!(rfc3339(may1), "2099-05-01T00:00:00Z");
        assert!(!too_old("csaf_vex_2099-04-01.tar.zst", may1));
        assert!(too_old("csaf_vex_2099-04-01.tar.zst", may1 + 86_400));
        assert!(too_old("vex-latest.tar.zst", may1));
    }

    #[test]
    fn state_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = State::new("csaf_vex_2099-04-01.tar.zst").expect("dated");
        assert_eq!(s.applied, "2099-04-01T00:00:00");
        s.applied = "2099-04-02T12:44:49".into();
        s.deleted.insert("2099/cve-2099-1002.json".into());
        s.save(dir.path()).expect("save");
        assert_eq!(State::load(dir.path()), Some(s));
        std::fs::write(dir.path().join(STATE), "archive x\n").expect("write");
        assert_eq!(State::load(dir.path()), None);
    }
}
