//! OSV range evaluation, following the `IncludedInRanges`/`BeforeLimits` pseudocode of
//! the OSV schema (<https://ossf.github.io/osv-schema/#evaluation>) for one range of
//! type `ECOSYSTEM` or `SEMVER`.

use std::cmp::Ordering;

use crate::{Scheme, Version, VersionError};

/// One entry of `affected[].ranges[].events`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// Versions from this one on are affected; `"0"` means "from the beginning".
    Introduced(String),
    /// This version and later are no longer affected.
    Fixed(String),
    /// This version is the last affected one (inclusive).
    LastAffected(String),
    /// Only versions below this one are considered; a value containing `*` means no limit.
    Limit(String),
}

impl Event {
    fn value(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

/// Where an event sits in the spec's `sorted(range.events)`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// `introduced: "0"` sorts before every version.
    Min,
    At(Version),
    /// A `limit` containing `*` is infinity.
    Max,
}

fn key(scheme: Scheme, event: &Event) -> Result<Key, VersionError> {
    Ok(match event {
        Event::Introduced(v) if v == "0" => Key::Min,
        Event::Limit(v) if v.contains('*') => Key::Max,
        e => Key::At(Version::parse(scheme, e.value())?),
    })
}

/// Whether `version` is inside the range described by `events`, parsing every version
/// with `scheme`. Any unparsable event or version is an error rather than a guess,
/// because silently skipping an event can turn an affected version into a clean one.
pub fn osv_range_affected(
    scheme: Scheme,
    version: &str,
    events: &[Event],
) -> Result<bool, VersionError> {
    osv_range_affected_parsed(&Version::parse(scheme, version)?, events)
}

/// [`osv_range_affected`] for an already parsed version; events are parsed with the
/// version's scheme.
pub fn osv_range_affected_parsed(
    version: &Version,
    events: &[Event],
) -> Result<bool, VersionError> {
    let mut keyed = events
        .iter()
        .map(|e| Ok((key(version.scheme(), e)?, e)))
        .collect::<Result<Vec<_>, VersionError>>()?;
    // Stable, so events at equal versions keep the order the record lists them in.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let at_or_after = |k: &Key| match k {
        Key::Min => true,
        Key::At(v) => version >= v,
        Key::Max => false,
    };

    let mut limits = keyed
        .iter()
        .filter(|(_, e)| matches!(e, Event::Limit(_)))
        .peekable();
    if limits.peek().is_some() && !limits.any(|(k, _)| !at_or_after(k)) {
        return Ok(false);
    }

    let mut vulnerable = false;
    for (k, e) in &keyed {
        match e {
            Event::Introduced(_) if at_or_after(k) => vulnerable = true,
            Event::Fixed(_) if at_or_after(k) => vulnerable = false,
            Event::LastAffected(_) if matches!(k, Key::At(v) if version.cmp(v) == Ordering::Greater) =>
            {
                vulnerable = false;
            }
            _ => {}
        }
    }
    Ok(vulnerable)
}
