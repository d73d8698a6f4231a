//! PEP 440 versions, following `packaging.version` (its `VERSION_PATTERN`, its
//! normalisation in `__str__`, and its `_cmpkey` ordering).

use std::cmp::Ordering;
use std::fmt;

use crate::num::{Num, digit_run};
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// A local version segment; numbers sort after strings (`packaging` uses
/// `(-inf, s)` for strings and `(n, "")` for numbers).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    Str(String),
    Num(Num),
}

#[derive(Debug, Clone)]
pub(crate) struct Pep440 {
    epoch: Num,
    release: Vec<Num>,
    pre: Option<(PreKind, Num)>,
    post: Option<Num>,
    dev: Option<Num>,
    local: Vec<LocalPart>,
}

/// A cursor over the lowercased input that backtracks like the reference regex.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat_sep(&mut self) -> bool {
        matches!(self.peek(), Some(b'-' | b'_' | b'.')) && {
            self.pos += 1;
            true
        }
    }

    /// Consumes the first (longest-listed-first) label that matches.
    fn eat_label<T: Copy>(&mut self, labels: &[(&str, T)]) -> Option<T> {
        let rest = self.s.get(self.pos..).unwrap_or_default();
        let (label, value) = labels
            .iter()
            .find(|(l, _)| rest.starts_with(l.as_bytes()))?;
        self.pos += label.len();
        Some(*value)
    }

    fn number(&mut self) -> Option<Num> {
        let rest = self.s.get(self.pos..).unwrap_or_default();
        let n = digit_run(rest);
        if n == 0 {
            return None;
        }
        self.pos += n;
        Some(Num::new(std::str::from_utf8(rest.get(..n)?).ok()?))
    }
}

const PRE_LABELS: &[(&str, PreKind)] = &[
    ("alpha", PreKind::Alpha),
    ("a", PreKind::Alpha),
    ("beta", PreKind::Beta),
    ("b", PreKind::Beta),
    ("preview", PreKind::Rc),
    ("pre", PreKind::Rc),
    ("c", PreKind::Rc),
    ("rc", PreKind::Rc),
];
const POST_LABELS: &[(&str, ())] = &[("post", ()), ("rev", ()), ("r", ())];
const DEV_LABELS: &[(&str, ())] = &[("dev", ())];

/// Parses `[-_.]?label[-_.]?N?` at the cursor, restoring it when no label matches.
fn labelled<T: Copy>(c: &mut Cursor<'_>, labels: &[(&str, T)]) -> Option<(T, Num)> {
    let start = c.pos;
    c.eat_sep();
    let Some(kind) = c.eat_label(labels) else {
        c.pos = start;
        return None;
    };
    // A trailing separator is harmless even without a number: every later component
    // may start without one, so consuming it greedily never rejects a valid version.
    c.eat_sep();
    let n = c.number().unwrap_or_else(Num::zero);
    Some((kind, n))
}

impl Pep440 {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |reason| VersionError::invalid(Scheme::Pep440, input, reason);
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Pep440,
            });
        }
        if !trimmed.is_ascii() {
            return Err(err("non-ASCII character"));
        }
        let lower = trimmed.to_ascii_lowercase();
        let mut c = Cursor {
            s: lower.as_bytes(),
            pos: 0,
        };
        c.eat(b'v');
        let mut epoch = Num::zero();
        let mut release = vec![c.number().ok_or_else(|| err("missing release number"))?];
        if c.eat(b'!') {
            epoch = release.pop().unwrap_or_else(Num::zero);
            release.push(c.number().ok_or_else(|| err("missing release number"))?);
        }
        loop {
            let save = c.pos;
            if c.eat(b'.')
                && let Some(n) = c.number()
            {
                release.push(n);
                continue;
            }
            c.pos = save;
            break;
        }
        let pre = labelled(&mut c, PRE_LABELS);
        let post = {
            let save = c.pos;
            if c.eat(b'-')
                && let Some(n) = c.number()
            {
                Some(n)
            } else {
                c.pos = save;
                labelled(&mut c, POST_LABELS).map(|(_, n)| n)
            }
        };
        let dev = labelled(&mut c, DEV_LABELS).map(|(_, n)| n);
        let mut local = Vec::new();
        if c.eat(b'+') {
            let rest = c.s.get(c.pos..).unwrap_or_default();
            let text = std::str::from_utf8(rest).map_err(|_| err("invalid local version"))?;
            for part in text.split(['-', '_', '.']) {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(err("invalid local version"));
                }
                local.push(if part.bytes().all(|b| b.is_ascii_digit()) {
                    LocalPart::Num(Num::new(part))
                } else {
                    LocalPart::Str(part.to_owned())
                });
            }
            c.pos = c.s.len();
        }
        if c.peek().is_some() {
            return Err(err("unexpected trailing characters"));
        }
        Ok(Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// Release with trailing zeros dropped, as `packaging` compares it.
    fn trimmed_release(&self) -> &[Num] {
        let keep = self
            .release
            .iter()
            .rposition(|n| !n.is_zero())
            .map_or(0, |i| i + 1);
        self.release.get(..keep).unwrap_or_default()
    }
}

/// `packaging`'s pre-release key: a dev release without pre/post sorts before any
/// pre-release of the same release, and a final release after all of them.
fn pre_key(v: &Pep440) -> (u8, Option<&(PreKind, Num)>) {
    match (&v.pre, &v.post, &v.dev) {
        (None, None, Some(_)) => (0, None),
        (Some(p), _, _) => (1, Some(p)),
        (None, _, _) => (2, None),
    }
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.trimmed_release().cmp(other.trimmed_release()))
            .then_with(|| pre_key(self).cmp(&pre_key(other)))
            // None (no post release) sorts first, as Option does.
            .then_with(|| self.post.cmp(&other.post))
            // No dev release sorts last.
            .then_with(|| match (&self.dev, &other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440 {}

impl fmt::Display for Pep440 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.epoch.is_zero() {
            write!(f, "{}!", self.epoch.as_str())?;
        }
        let release: Vec<&str> = self.release.iter().map(Num::as_str).collect();
        f.write_str(&release.join("."))?;
        if let Some((kind, n)) = &self.pre {
            let label = match kind {
                PreKind::Alpha => "a",
                PreKind::Beta => "b",
                PreKind::Rc => "rc",
            };
            write!(f, "{label}{}", n.as_str())?;
        }
        if let Some(n) = &self.post {
            write!(f, ".post{}", n.as_str())?;
        }
        if let Some(n) = &self.dev {
            write!(f, ".dev{}", n.as_str())?;
        }
        if !self.local.is_empty() {
            let parts: Vec<&str> = self
                .local
                .iter()
                .map(|p| match p {
                    LocalPart::Str(s) => s.as_str(),
                    LocalPart::Num(n) => n.as_str(),
                })
                .collect();
            write!(f, "+{}", parts.join("."))?;
        }
        Ok(())
    }
}
