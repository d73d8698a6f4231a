//! Composer/Packagist ordering: `VersionParser::normalize` from composer/semver, then
//! PHP's `version_compare` on the normalised strings (what Composer's `Comparator`
//! does, with branch comparison enabled).

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use crate::num::cmp_digits;
use crate::{Scheme, VersionError};

/// `VersionParser::$modifierRegex`.
const MODIFIER: &str =
    r"[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?";

fn re(pattern: &str) -> Regex {
    // The patterns are constants; a failure here is a programming error caught by tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in regex {pattern}: {e}"))
}

static ALIAS: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s]+) +as +[^,\s]+$"));
static STABILITY_FLAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)@(?:stable|RC|beta|alpha|dev)$"));
static BUILD: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s+]+)\+[^\s]+$"));
static CLASSICAL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^v?(\d{{1,5}})(\.\d+)?(\.\d+)?(\.\d+)?{MODIFIER}$"
    ))
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^v?(\d{{4}}(?:[.:-]?\d{{2}}){{1,6}}(?:[.:-]?\d{{1,3}}){{0,2}}){MODIFIER}$"
    ))
});
static DEV_SUFFIX: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(.*?)[.-]?dev$"));
static BRANCH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^v?(\d+)(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?$"));

fn expand_stability(s: &str) -> String {
    match s.to_ascii_lowercase().as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        other => other.to_owned(),
    }
}

/// `VersionParser::normalizeBranch` for numeric branches (`1.x` -> `1.9999999.9999999.9999999-dev`).
fn normalize_branch(name: &str) -> Option<String> {
    let caps = BRANCH.captures(name.trim())?;
    let mut parts = Vec::new();
    for i in 1..=4 {
        let part = caps
            .get(i)
            .map_or("x", |m| m.as_str().trim_start_matches('.'));
        parts.push(if matches!(part, "x" | "X" | "*") {
            "9999999"
        } else {
            part
        });
    }
    Some(format!("{}-dev", parts.join(".")))
}

/// `VersionParser::normalize`; `None` where Composer throws.
fn normalize(input: &str) -> Option<String> {
    let mut v = input.trim().to_owned();
    if let Some(c) = ALIAS.captures(&v) {
        v = c.get(1)?.as_str().to_owned();
    }
    if let Some(m) = STABILITY_FLAG.find(&v) {
        v.truncate(m.start());
    }
    if matches!(v.as_str(), "master" | "trunk" | "default") {
        v = format!("dev-{v}");
    }
    if v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("dev-")) {
        return Some(format!("dev-{}", v.get(4..)?));
    }
    if let Some(c) = BUILD.captures(&v) {
        v = c.get(1)?.as_str().to_owned();
    }
    let (mut out, caps, index) = if let Some(c) = CLASSICAL.captures(&v) {
        let mut out = c.get(1)?.as_str().to_owned();
        for i in 2..=4 {
            out.push_str(c.get(i).map_or(".0", |m| m.as_str()));
        }
        (out, c, 5)
    } else if let Some(c) = DATE.captures(&v) {
        let out = c
            .get(1)?
            .as_str()
            .chars()
            .map(|ch| if ch.is_ascii_digit() { ch } else { '.' })
            .collect();
        (out, c, 2)
    } else {
        let c = DEV_SUFFIX.captures(&v)?;
        let branch = normalize_branch(c.get(1)?.as_str())?;
        return Some(branch);
    };
    if let Some(stability) = caps
        .get(index)
        .map(|m| m.as_str())
        .filter(|s| !s.is_empty())
    {
        if stability == "stable" {
            return Some(out);
        }
        out.push('-');
        out.push_str(&expand_stability(stability));
        if let Some(n) = caps.get(index + 1) {
            out.push_str(n.as_str().trim_start_matches(['.', '-']));
        }
    }
    if caps.get(index + 2).is_some_and(|m| !m.as_str().is_empty()) {
        out.push_str("-dev");
    }
    Some(out)
}

/// PHP's `php_canonicalize_version`: `-_+` become `.`, and a `.` is inserted at every
/// digit/non-digit boundary.
fn php_canonicalize(s: &str) -> String {
    let isdig = |c: char| c.is_ascii_digit();
    let isndig = |c: char| !c.is_ascii_digit() && c != '.';
    let mut chars = s.chars();
    let mut out = String::new();
    let Some(mut last) = chars.next() else {
        return out;
    };
    out.push(last);
    for c in chars {
        let needs_dot = !out.ends_with('.');
        if matches!(c, '-' | '_' | '+') {
            if needs_dot {
                out.push('.');
            }
        } else if (isndig(last) && isdig(c)) || (isdig(last) && isndig(c)) {
            if needs_dot {
                out.push('.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if needs_dot {
                out.push('.');
            }
        } else {
            out.push(c);
        }
        last = c;
    }
    out
}

/// PHP's special version forms, by prefix, in `compare_special_version_forms` order.
fn special_order(form: &str) -> i32 {
    const FORMS: [(&str, i32); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| form.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

/// Order of a number relative to special forms (PHP's `#N#`).
const NUMBER: i32 = 4;

fn starts_with_digit(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// PHP's `version_compare` without an operator.
fn php_version_compare(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    let (ca, cb) = (php_canonicalize(a), php_canonicalize(b));
    let mut pa = ca.split('.');
    let mut pb = cb.split('.');
    loop {
        let ord = match (pa.next(), pb.next()) {
            (None, None) => return Ordering::Equal,
            (Some(x), Some(y)) => match (starts_with_digit(x), starts_with_digit(y)) {
                (true, true) => {
                    let dx: String = x.chars().take_while(char::is_ascii_digit).collect();
                    let dy: String = y.chars().take_while(char::is_ascii_digit).collect();
                    cmp_digits(&dx, &dy)
                }
                (false, false) => special_order(x).cmp(&special_order(y)),
                (true, false) => NUMBER.cmp(&special_order(y)),
                (false, true) => special_order(x).cmp(&NUMBER),
            },
            // The longer version wins with a number, else by its special form vs a number.
            (Some(x), None) if starts_with_digit(x) => Ordering::Greater,
            (Some(x), None) => return special_order(x).cmp(&NUMBER),
            (None, Some(y)) if starts_with_digit(y) => Ordering::Less,
            (None, Some(y)) => return NUMBER.cmp(&special_order(y)),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Composer {
    normalized: String,
}

impl Composer {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        if input.trim().is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Composer,
            });
        }
        let normalized = normalize(input).ok_or_else(|| {
            VersionError::invalid(Scheme::Composer, input, "not a Composer version")
        })?;
        Ok(Composer { normalized })
    }

    pub(crate) fn normalized(&self) -> &str {
        &self.normalized
    }

    fn is_branch(&self) -> bool {
        self.normalized.starts_with("dev-")
    }
}

impl Ord for Composer {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.is_branch() && other.is_branch() {
            // Composer considers distinct branches incomparable; order them by name so
            // that `Ord` stays total.
            return self.normalized.cmp(&other.normalized);
        }
        php_version_compare(&self.normalized, &other.normalized)
    }
}

impl PartialOrd for Composer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Composer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Composer {}
