//! Maven ordering, ported from `org.apache.maven.artifact.versioning.ComparableVersion`
//! (apache/maven, `compat/maven-artifact`), including `CombinationItem` (`X1`, `X-1`)
//! and list normalisation.

use std::cmp::Ordering;

use crate::num::Num;
use crate::{Scheme, VersionError};

/// `StringItem`: a qualifier, already lowercased and de-aliased.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Qualifier(String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// `IntItem`, `LongItem` and `BigIntegerItem` (they order exactly like one unbounded integer).
    Int(Num),
    Str(Qualifier),
    /// `CombinationItem`: a qualifier immediately followed by a number (`rc1`, `sp-2`).
    Comb(Qualifier, Num),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
/// `comparableQualifier("")`: the position of a plain release.
const RELEASE_INDEX: &str = "5";

impl Qualifier {
    fn new(value: &str, followed_by_digit: bool) -> Self {
        let value = match value {
            "a" if followed_by_digit => "alpha",
            "b" if followed_by_digit => "beta",
            "m" if followed_by_digit => "milestone",
            "cr" => "rc",
            v => v,
        };
        Qualifier(value.to_owned())
    }

    /// `comparableQualifier`: known qualifiers map to their index, unknown ones sort
    /// after all of them, lexically.
    fn comparable(&self) -> String {
        let q = self.0.as_str();
        if matches!(q, "ga" | "final" | "release") {
            return RELEASE_INDEX.to_owned();
        }
        match QUALIFIERS.iter().position(|k| *k == q) {
            Some(i) => i.to_string(),
            None => format!("{}-{q}", QUALIFIERS.len()),
        }
    }

    fn cmp_null(&self) -> Ordering {
        self.comparable().as_str().cmp(RELEASE_INDEX)
    }

    fn cmp_qualifier(&self, other: &Qualifier) -> Ordering {
        self.comparable().cmp(&other.comparable())
    }
}

fn num_cmp_null(n: &Num) -> Ordering {
    if n.is_zero() {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_zero(),
            Item::Str(q) => q.0.is_empty(),
            Item::Comb(..) => false,
            Item::List(l) => l.is_empty(),
        }
    }

    /// `compareTo(null)`: how this item compares to a missing one (`1-rc < 1 < 1-sp`).
    fn cmp_null(&self) -> Ordering {
        match self {
            Item::Int(n) => num_cmp_null(n),
            Item::Str(q) => q.cmp_null(),
            Item::Comb(q, n) => q.cmp_null().then_with(|| num_cmp_null(n)),
            Item::List(l) => l
                .iter()
                .map(Item::cmp_null)
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal),
        }
    }

    fn cmp_item(&self, other: &Item) -> Ordering {
        use Item::{Comb, Int, List, Str};
        match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Int(_), _) => Ordering::Greater,
            (_, Int(_)) => Ordering::Less,
            (Str(a), Str(b)) => a.cmp_qualifier(b),
            (Str(a), Comb(bq, bn)) => match a.cmp_qualifier(bq) {
                Ordering::Equal if a.cmp_null() == Ordering::Equal => num_cmp_null(bn).reverse(),
                Ordering::Equal => Ordering::Less,
                o => o,
            },
            (Comb(..), Str(_)) => other.cmp_item(self).reverse(),
            (Comb(aq, an), Comb(bq, bn)) => aq.cmp_qualifier(bq).then_with(|| an.cmp(bn)),
            (List(l), Str(_) | Comb(..)) => {
                let first = match l.first() {
                    None => other.cmp_null().reverse(),
                    Some(head) => head.cmp_item(other),
                };
                l.iter()
                    .skip(1)
                    .fold(first, |acc, it| acc.then_with(|| it.cmp_null()))
            }
            (Str(_) | Comb(..), List(_)) => other.cmp_item(self).reverse(),
            (List(a), List(b)) => {
                for i in 0..a.len().max(b.len()) {
                    let ord = match (a.get(i), b.get(i)) {
                        (Some(x), Some(y)) => x.cmp_item(y),
                        (Some(x), None) => x.cmp_null(),
                        (None, Some(y)) => y.cmp_null().reverse(),
                        (None, None) => Ordering::Equal,
                    };
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            }
        }
    }

    fn canonical(&self) -> String {
        match self {
            Item::Int(n) => n.as_str().to_owned(),
            Item::Str(q) => q.0.clone(),
            Item::Comb(q, n) => format!("{}{}", q.0, n.as_str()),
            Item::List(items) => {
                let mut out = String::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(if matches!(item, Item::List(_)) {
                            '-'
                        } else {
                            '.'
                        });
                    }
                    out.push_str(&item.canonical());
                }
                out
            }
        }
    }
}

/// `ListItem.normalize`: drop null items that do not separate anything meaningful.
fn normalize(list: &mut Vec<Item>) {
    for i in (0..list.len()).rev() {
        let null = list.get(i).is_some_and(Item::is_null);
        if !null {
            continue;
        }
        let remove = match list.get(i + 1) {
            None | Some(Item::Str(_)) => true,
            Some(Item::List(next)) => matches!(next.first(), Some(Item::Comb(..) | Item::Str(_))),
            Some(_) => false,
        };
        if remove {
            list.remove(i);
        }
    }
    if let [Item::List(inner)] = list.as_mut_slice() {
        let inner = std::mem::take(inner);
        *list = inner;
    }
}

/// `parseItem`.
fn parse_item(combination: bool, digit: bool, buf: &str) -> Item {
    if combination {
        let value = buf.replace('-', "");
        let idx = value.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        let (q, n) = value.split_at(idx);
        Item::Comb(Qualifier::new(q, true), Num::new(n))
    } else if digit {
        Item::Int(Num::new(buf))
    } else {
        Item::Str(Qualifier::new(buf, false))
    }
}

/// Builds the nested lists. Each `-` (and each digit/letter transition) opens a
/// sub-list that holds the rest of the version, so the structure is a chain; we keep
/// the chain as a vector of levels and fold it back together at the end.
fn parse_items(version: &str) -> Item {
    let chars: Vec<char> = version.to_lowercase().chars().collect();
    let text = |a: usize, b: usize| {
        chars
            .get(a..b)
            .unwrap_or_default()
            .iter()
            .collect::<String>()
    };
    let mut levels: Vec<Vec<Item>> = vec![Vec::new()];
    let mut digit = false;
    let mut combination = false;
    let mut start = 0;

    fn push(levels: &mut [Vec<Item>], item: Item) {
        if let Some(top) = levels.last_mut() {
            top.push(item);
        }
    }
    fn top_is_empty(levels: &[Vec<Item>]) -> bool {
        levels.last().is_none_or(Vec::is_empty)
    }

    let mut i = 0;
    while i < chars.len() {
        let c = chars.get(i).copied().unwrap_or_default();
        if c == '.' {
            if i == start {
                push(&mut levels, Item::Int(Num::zero()));
            } else {
                push(&mut levels, parse_item(combination, digit, &text(start, i)));
            }
            combination = false;
            start = i + 1;
        } else if c == '-' {
            if i == start {
                push(&mut levels, Item::Int(Num::zero()));
            } else {
                // "X-1" is read as "X1".
                if !digit && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    combination = true;
                    i += 1;
                    continue;
                }
                push(&mut levels, parse_item(combination, digit, &text(start, i)));
            }
            start = i + 1;
            if !top_is_empty(&levels) {
                levels.push(Vec::new());
            }
            combination = false;
        } else if c.is_ascii_digit() {
            if !digit && i > start {
                combination = true;
                if !top_is_empty(&levels) {
                    levels.push(Vec::new());
                }
            }
            digit = true;
        } else {
            if digit && i > start {
                push(&mut levels, parse_item(combination, true, &text(start, i)));
                start = i;
                levels.push(Vec::new());
                combination = false;
            }
            digit = false;
        }
        i += 1;
    }
    if chars.len() > start {
        // "1.0.0.X1" < "1.0.0-X2": a trailing ".X" is treated like "-X".
        if !digit && !top_is_empty(&levels) {
            levels.push(Vec::new());
        }
        push(
            &mut levels,
            parse_item(combination, digit, &text(start, chars.len())),
        );
    }
    // Normalise innermost first, nesting each level into its parent.
    let mut inner: Option<Vec<Item>> = None;
    while let Some(mut level) = levels.pop() {
        if let Some(child) = inner.take() {
            level.push(Item::List(child));
        }
        normalize(&mut level);
        inner = Some(level);
    }
    Item::List(inner.unwrap_or_default())
}

#[derive(Debug, Clone)]
pub(crate) struct Maven {
    items: Item,
}

impl Maven {
    pub(crate) fn parse(input: &str) -> Result<Self, VersionError> {
        if input.is_empty() {
            return Err(VersionError::Empty {
                scheme: Scheme::Maven,
            });
        }
        Ok(Maven {
            items: parse_items(input),
        })
    }

    /// `getCanonical()`.
    pub(crate) fn canonical(&self) -> String {
        self.items.canonical()
    }
}

impl Ord for Maven {
    fn cmp(&self, other: &Self) -> Ordering {
        self.items.cmp_item(&other.items)
    }
}

impl PartialOrd for Maven {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Maven {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Maven {}
