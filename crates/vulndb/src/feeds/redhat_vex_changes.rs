//! Red Hat's VEX folder kept current without downloading its archive (hundreds of MB)
//! on every update: the archive is read whole once, then only the documents
//! `changes.csv` lists as newer are fetched, one by one, into
//! `<cache>/feeds/redhat-vex-changes/<year>/cve-….json`, and the ones `deletions.csv`
//! lists are dropped. What is read is the kept archive with each fetched document in
//! place of the archive's (same CVE) and without the deleted ones: what a fresh archive
//! holding the same documents gives.
//!
//! The archive is downloaded again (and the fetched documents cleared) when
//! `archive_latest.txt` names another one, the kept one is over 30 days old, the
//! listings cannot be read, or more than [`MAX_FETCHES`] documents changed. A document
//! that cannot be fetched or read fails the whole step: nothing of it is applied (the
//! documents are staged first), one warning names it, and the state before is read.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::error::{Error, Result};
use crate::fetch::Location;

use super::csaf::Vex;
use super::parse::{Parsed, bad, date_prefix};
use super::redhat_vex::{ARCHIVE_LATEST, NAME, RED_HAT, archive_name, parse_document};
use super::redhat_vex_listing::{
    CHANGES, DELETIONS, Listed, State, cve_of, is_document_path, parse_listing, too_old,
};
use super::{FeedState, Reader};

/// At most this many documents are fetched in one update; more and the archive is
/// downloaded again.
pub(crate) const MAX_FETCHES: usize = 5_000;
/// The folder of fetched documents (and their state) in the feeds cache.
const KEPT: &str = "redhat-vex-changes";
/// Where one step's documents wait until all of them have read.
const STAGED: &str = "redhat-vex-changes.part";

/// The outcome of patching the kept archive with the folder's listings.
enum Step {
    /// Applied; the state to read.
    Applied(State),
    /// The archive must be downloaded again.
    Full,
    /// A document could not be fetched or read (the message names it).
    Failed(String),
}

impl Reader<'_> {
    /// Red Hat's folder at `dir` (given as `at`), read incrementally (see the module's
    /// comment); `now` in unix seconds dates the kept archive.
    pub(super) fn redhat_vex_folder(&mut self, at: &str, dir: &Location, now: u64) -> Vex {
        let kept_dir = self.cache.join(KEPT);
        let copy = self.cache.join(RED_HAT.copy);
        let kept = State::load(&kept_dir).filter(|_| copy.is_file());
        let latest_loc = dir.join(&[ARCHIVE_LATEST]);
        let latest = (self.f.get(&latest_loc)).and_then(|b| archive_name(&b, &latest_loc));
        if let (Ok(name), Some(kept)) = (&latest, &kept)
            && kept.archive == *name
            && !too_old(name, now)
        {
            match self.redhat_vex_step(dir, kept) {
                Step::Applied(state) => return self.redhat_vex_kept(at, &state, None),
                Step::Failed(why) => {
                    let of = &kept.applied;
                    let w = format!("{NAME} changes not applied ({why}); using those up to {of}");
                    return self.redhat_vex_kept(at, kept, Some(w));
                }
                Step::Full => {}
            }
        }
        let scratch = self.cache.join(RED_HAT.scratch);
        let fresh = latest.and_then(|name| {
            let loc = dir.join(&[&name]);
            let read = self.download_vex(at, &scratch, &RED_HAT, |_| Ok(loc))?;
            Ok((name, read))
        });
        match fresh {
            Ok((name, (parsed, vex))) => self.redhat_vex_fresh(at, dir, &name, parsed, vex),
            Err(e) => {
                let _ = std::fs::remove_file(&scratch);
                match self.redhat_vex_read(kept.as_ref()) {
                    Ok((parsed, vex)) => {
                        self.stale(NAME, &e, &parsed);
                        self.status(NAME, at.to_owned(), parsed, FeedState::Cached);
                        vex
                    }
                    Err(_) => {
                        self.unavailable(NAME, at, &e);
                        Vex::default()
                    }
                }
            }
        }
    }

    /// The archive just downloaded becomes the copy, the fetched documents of the one
    /// before are cleared, and the changes since its date are applied on top.
    fn redhat_vex_fresh(
        &mut self,
        at: &str,
        dir: &Location,
        name: &str,
        parsed: Parsed,
        vex: Vex,
    ) -> Vex {
        let copy = self.cache.join(RED_HAT.copy);
        let scratch = self.cache.join(RED_HAT.scratch);
        let kept_dir = self.cache.join(KEPT);
        let mut kept = std::fs::rename(&scratch, &copy).map_err(|e| Error::io(&copy, e));
        let _ = std::fs::remove_dir_all(&kept_dir);
        let state = State::new(name);
        if let (Ok(()), Some(state)) = (&kept, &state) {
            kept = state.save(&kept_dir);
        }
        let mut read = (parsed, vex);
        match (kept, state) {
            (Err(e), _) => {
                let w = format!("{NAME}: could not keep a copy: {e}");
                self.feeds.warnings.push(w);
            }
            (Ok(()), None) => {}
            (Ok(()), Some(state)) => match self.redhat_vex_step(dir, &state) {
                Step::Applied(state) => {
                    if let Err(e) = self.redhat_vex_overlay(&mut read.0, &mut read.1, &state) {
                        let _ = std::fs::remove_dir_all(&kept_dir);
                        let w = format!("{NAME} changes since {name} not applied ({e})");
                        self.feeds.warnings.push(w);
                    }
                }
                Step::Failed(why) => {
                    let w = format!("{NAME} changes since {name} not applied ({why})");
                    self.feeds.warnings.push(w);
                }
                Step::Full => {}
            },
        }
        self.status(NAME, at.to_owned(), read.0, FeedState::Fresh);
        read.1
    }

    /// The kept archive with `state`'s changes; with a warning it is the state before a
    /// step that failed (`Cached`), else the state just reached (`Fresh`).
    fn redhat_vex_kept(&mut self, at: &str, state: &State, warning: Option<String>) -> Vex {
        match self.redhat_vex_read(Some(state)) {
            Ok((parsed, vex)) => {
                let fresh = warning.is_none();
                self.feeds.warnings.extend(warning);
                let s = if fresh {
                    FeedState::Fresh
                } else {
                    FeedState::Cached
                };
                self.status(NAME, at.to_owned(), parsed, s);
                vex
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(self.cache.join(KEPT));
                self.unavailable(NAME, at, &e);
                Vex::default()
            }
        }
    }

    /// The copy of the archive, hashed and read, with `state`'s documents applied (none
    /// without a state: a copy kept before drydock fetched documents).
    fn redhat_vex_read(&mut self, state: Option<&State>) -> Result<(Parsed, Vex)> {
        let copy = self.cache.join(RED_HAT.copy);
        let loc = Location::parse(&copy.display().to_string());
        self.hash_file(&loc.display(), &copy)?;
        let (mut parsed, mut vex) = super::csaf::parse_archive_file(&copy, &loc, &RED_HAT)?;
        if let Some(state) = state {
            self.redhat_vex_overlay(&mut parsed, &mut vex, state)?;
        }
        Ok((parsed, vex))
    }

    /// `vex` with the fetched documents in place of the archive's and without the
    /// deleted ones; all of it goes into the digest. Left as it was when a document
    /// does not read.
    fn redhat_vex_overlay(
        &mut self,
        parsed: &mut Parsed,
        vex: &mut Vex,
        state: &State,
    ) -> Result<()> {
        let kept_dir = self.cache.join(KEPT);
        let mut replaced: HashSet<String> = state.deleted.iter().map(|p| cve_of(p)).collect();
        let mut fetched = Vec::new();
        let mut date = parsed.date.clone();
        for rel in kept_documents(&kept_dir)? {
            let path = kept_dir.join(&rel);
            let b = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            self.hash(&rel, &b);
            replaced.insert(cve_of(&rel));
            let loc = Location::parse(&path.display().to_string());
            if let Some(cve) = parse_document(&b).map_err(|e| bad(NAME, &loc, e))? {
                date = date.max(date_prefix(&cve.modified));
                replaced.insert(cve.cve.clone());
                if !cve.entries.is_empty() {
                    fetched.push(cve);
                }
            }
        }
        for p in &state.deleted {
            self.hash("deleted", p.as_bytes());
        }
        vex.cves.retain(|c| !replaced.contains(&c.cve));
        vex.cves.extend(fetched);
        vex.cves.sort_by(|a, b| a.cve.cmp(&b.cve));
        parsed.entries = vex.cves.iter().map(|c| c.entries.len()).sum();
        parsed.date = date;
        Ok(())
    }

    /// Reads the listings, fetches what changed since `kept.applied` and, when all of
    /// it has read, moves it into the kept folder and saves the new state.
    fn redhat_vex_step(&mut self, dir: &Location, kept: &State) -> Step {
        let listing = |name: &str, optional: bool| {
            let loc = dir.join(&[name]);
            match self.f.get_optional(&loc)? {
                Some(b) => parse_listing(&b, &loc),
                None if optional => Ok(Vec::new()),
                None => Err(Error::NotFound { url: loc.display() }),
            }
        };
        let (Ok(changes), Ok(deletions)) = (listing(CHANGES, false), listing(DELETIONS, true))
        else {
            return Step::Full;
        };
        let newest = newest_events(&changes, &deletions, &kept.applied);
        let fetch: Vec<&str> = (newest.iter())
            .filter(|(_, (_, deleted))| !deleted)
            .map(|(p, _)| p.as_str())
            .collect();
        if fetch.len() > MAX_FETCHES {
            return Step::Full;
        }
        let staged = self.cache.join(STAGED);
        let _ = std::fs::remove_dir_all(&staged);
        let commit = self.stage(dir, &fetch, &staged).and_then(|()| {
            let mut state = kept.clone();
            for (p, (at, deleted)) in &newest {
                if *deleted {
                    state.deleted.insert(p.clone());
                } else {
                    state.deleted.remove(p);
                }
                state.applied = state.applied.max(at.clone());
            }
            commit(&staged, &self.cache.join(KEPT), &newest, &state).map_err(|e| e.to_string())?;
            Ok(state)
        });
        let _ = std::fs::remove_dir_all(&staged);
        match commit {
            Ok(state) => Step::Applied(state),
            Err(why) => Step::Failed(why),
        }
    }

    /// Fetches and reads every document of `paths` into `staged`; the first that fails
    /// is the error, naming it.
    fn stage(
        &self,
        dir: &Location,
        paths: &[&str],
        staged: &Path,
    ) -> std::result::Result<(), String> {
        for p in paths {
            let segs: Vec<&str> = p.split('/').collect();
            let loc = dir.join(&segs);
            let b = self.f.get(&loc).map_err(|e| format!("{p}: {e}"))?;
            parse_document(&b).map_err(|e| format!("{p}: {e}"))?;
            let to = staged.join(p);
            let write = (to.parent().map_or(Ok(()), std::fs::create_dir_all))
                .and_then(|()| std::fs::write(&to, &b));
            write.map_err(|e| format!("{p}: {}", Error::io(&to, e)))?;
        }
        Ok(())
    }
}

/// Per document, the newest listed event after `applied`: (time, deleted).
fn newest_events(
    changes: &[Listed],
    deletions: &[Listed],
    applied: &str,
) -> BTreeMap<String, (String, bool)> {
    let mut newest: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let events = (changes.iter().map(|l| (l, false))).chain(deletions.iter().map(|l| (l, true)));
    for (l, deleted) in events.filter(|(l, _)| l.at.as_str() > applied) {
        let e = newest
            .entry(l.path.clone())
            .or_insert_with(|| (l.at.clone(), deleted));
        if l.at >= e.0 {
            *e = (l.at.clone(), deleted);
        }
    }
    newest
}

/// Moves the staged documents into `kept`, removes the deleted ones, then saves `state`
/// (a crash before that leaves documents newer than the old state, fetched again next).
fn commit(
    staged: &Path,
    kept: &Path,
    events: &BTreeMap<String, (String, bool)>,
    state: &State,
) -> Result<()> {
    for (p, (_, deleted)) in events {
        let to = kept.join(p);
        if *deleted {
            let _ = std::fs::remove_file(&to);
            continue;
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::rename(staged.join(p), &to).map_err(|e| Error::io(&to, e))?;
    }
    state.save(kept)
}

/// The fetched documents kept in `dir` (`<year>/cve-….json`), in order.
fn kept_documents(dir: &Path) -> Result<Vec<String>> {
    let names = |d: &Path| -> Result<Vec<String>> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(d).map_err(|e| Error::io(d, e))? {
            let e = e.map_err(|e| Error::io(d, e))?;
            v.push(e.file_name().to_string_lossy().into_owned());
        }
        v.sort();
        Ok(v)
    };
    let mut out = Vec::new();
    for year in names(dir)? {
        let sub = dir.join(&year);
        if !sub.is_dir() {
            continue;
        }
        for file in names(&sub)? {
            let rel = format!("{year}/{file}");
            if is_document_path(&rel) {
                out.push(rel);
            }
        }
    }
    Ok(out)
}
