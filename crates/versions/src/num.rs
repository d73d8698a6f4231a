//! Arbitrary-length unsigned integers kept as digit strings.
//!
//! Version components routinely exceed `u64` (dates, build ids, hostile input), and
//! every reference implementation we mirror compares them exactly, so we never parse
//! digits into a fixed-width integer.

use std::cmp::Ordering;

/// Compares two ASCII digit strings numerically: leading zeros are ignored, then the
/// longer string is larger, then the strings are compared lexically.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A non-negative integer of unbounded size, stored without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Num(String);

impl Num {
    /// Builds a number from ASCII digits; callers guarantee `digits` is all `0-9`.
    pub(crate) fn new(digits: &str) -> Self {
        let t = digits.trim_start_matches('0');
        Num(if t.is_empty() {
            "0".to_owned()
        } else {
            t.to_owned()
        })
    }

    pub(crate) fn zero() -> Self {
        Num("0".to_owned())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0 == "0"
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.0, &other.0)
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Length of the run of ASCII digits at the start of `s`.
pub(crate) fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_compare_exactly() {
        assert_eq!(
            cmp_digits("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(cmp_digits("0007", "7"), Ordering::Equal);
        assert_eq!(cmp_digits("000", ""), Ordering::Equal);
        assert!(Num::new("000").is_zero());
    }
}
