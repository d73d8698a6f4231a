//! Which rules run on a file, and over which bytes: the keyword prefilter's
//! hits select rules, and for `line_scoped` rules also the lines to search.

use std::ops::Range;

use super::SecretScanner;

/// Where a selected rule's regex runs.
pub(super) enum Scope {
    File,
    /// Lines (without their newline) holding one of the rule's keywords, in order.
    Lines(Vec<Range<usize>>),
}

/// The line of `content` around byte `at`.
fn line_around(content: &[u8], at: usize) -> Range<usize> {
    let start = memchr::memrchr(b'\n', &content[..at]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &content[at..]).map_or(content.len(), |p| at + p);
    start..end
}

impl SecretScanner {
    /// Rules whose keywords occur in `content`, or whose parser reads files
    /// named like `rel`, in rule order, each with where to search.
    pub(super) fn candidate_rules(&self, rel: &str, content: &[u8]) -> Vec<(usize, Scope)> {
        let mut scopes: Vec<Option<Scope>> = (0..self.rules.len()).map(|_| None).collect();
        let by_name = self
            .parsers
            .iter()
            .filter(|(p, _)| p.handles(rel))
            .map(|(_, i)| i);
        for &i in self.unfiltered.iter().chain(by_name) {
            if let Some(s) = scopes.get_mut(i) {
                *s = Some(Scope::File);
            }
        }
        let mut seen = vec![false; self.keyword_rules.len()];
        let mut remaining = seen.len();
        let any_line_scoped = self.line_keywords.iter().any(|&l| l);
        let mut line = 0..0;
        for m in self.prefilter.find_overlapping_iter(content) {
            let p = m.pattern().as_usize();
            let rules = self.keyword_rules.get(p).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(s) = seen.get_mut(p)
                && !*s
            {
                *s = true;
                remaining -= 1;
                for &ri in rules {
                    if let (Some(slot), Some(rule)) = (scopes.get_mut(ri), self.rules.get(ri))
                        && !rule.def.line_scoped
                    {
                        *slot = Some(Scope::File);
                    }
                }
            }
            if self.line_keywords.get(p).copied().unwrap_or(false) {
                if !line.contains(&m.start()) {
                    line = line_around(content, m.start());
                }
                for &ri in rules {
                    let line_scoped = self.rules.get(ri).is_some_and(|r| r.def.line_scoped);
                    match scopes.get_mut(ri) {
                        Some(slot @ None) if line_scoped => {
                            *slot = Some(Scope::Lines(vec![line.clone()]));
                        }
                        Some(Some(Scope::Lines(lines))) if lines.last() != Some(&line) => {
                            lines.push(line.clone());
                        }
                        _ => {}
                    }
                }
            }
            if remaining == 0 && !any_line_scoped {
                break;
            }
        }
        scopes
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|s| (i, s)))
            .collect()
    }
}
