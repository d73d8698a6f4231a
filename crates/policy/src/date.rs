//! Calendar dates: the policy's clock (`Context::today`), deadlines, expiries.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A civil date (`YYYY-MM-DD`), compared and counted in whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp
    /// (`2021-03-25T17:15:00Z`), as advisories and image configs write them.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let day = text.get(..10)?;
        if text.len() > 10 && !text[10..].starts_with(['T', 't', ' ']) {
            return None;
        }
        day.parse().ok().map(Date)
    }

    /// Whether this can be a real event date: Go's zero time (`0001-01-01T00:00:00Z`)
    /// stands for "unknown" in some advisory feeds.
    pub fn is_plausible(self) -> bool {
        self.0.year() >= 1970
    }

    /// The date `days` later.
    pub fn plus_days(self, days: u32) -> Date {
        // Beyond jiff's range (year 9999) means "never", which the maximum date says.
        Date(
            self.0
                .checked_add(jiff::Span::new().days(i64::from(days)))
                .unwrap_or(jiff::civil::Date::MAX),
        )
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(
            (self.0 - earlier.0)
                .get_days()
                .clamp(i32::MIN + 1, i32::MAX),
        )
    }

    /// The UTC date of a Unix timestamp (seconds).
    pub fn from_unix_seconds(secs: i64) -> Option<Date> {
        jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().try_days(secs.div_euclid(86_400)).ok()?)
            .ok()
            .map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a date (expected YYYY-MM-DD)"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn parses_dates_and_timestamps() {
        assert_eq!(d("2021-03-25T17:15:00Z"), d("2021-03-25"));
        assert_eq!(d(" 2024-02-29 "), d("2024-02-29"));
        for bad in ["2023-02-29", "2023-13-01", "20230101", "2023-01-01x", ""] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn day_arithmetic() {
        // Reference values: `date -u -d '2024-02-20 + 10 days' +%F` → 2024-03-01 (leap year).
        assert_eq!(d("2024-02-20").plus_days(10), d("2024-03-01"));
        assert_eq!(d("2023-02-20").plus_days(10), d("2023-03-02"));
        assert_eq!(d("2026-12-02").days_since(d("2026-01-01")), 335);
        assert_eq!(d("2026-01-01").days_since(d("2026-12-02")), -335);
        // `date -u -d @1700000000 +%F` → 2023-11-14.
        assert_eq!(
            Date::from_unix_seconds(1_700_000_000),
            Some(d("2023-11-14"))
        );
    }
}
