//! Calendar dates for waiver expiry: `YYYY-MM-DD`, compared as days. "Today" is the UTC date,
//! or `STACKGATE_TODAY` when set, so runs (and tests) can be reproduced on another day.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    days: i64,
    y: i64,
    m: u32,
    d: u32,
}

impl Date {
    /// A strict `YYYY-MM-DD` (the form YAML and the inline comment use).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let y = digits(0..4)?;
        let m = u32::try_from(digits(5..7)?).ok()?;
        let d = u32::try_from(digits(8..10)?).ok()?;
        if !(1..=12).contains(&m) || d == 0 || d > days_in(m, y) {
            return None;
        }
        Some(Date {
            days: crate::terraform::functions::datetime::days_from_civil(y, m, d),
            y,
            m,
            d,
        })
    }
}

impl Date {
    /// The UTC date of a Unix time (a commit's).
    pub fn from_unix(secs: i64) -> Date {
        let days = secs.div_euclid(86_400);
        let (y, m, d) = civil(days);
        Date { days, y, m, d }
    }

    /// Whole days from `earlier` to this date.
    pub fn days_since(&self, earlier: &Date) -> i64 {
        self.days - earlier.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

fn days_in(m: u32, y: i64) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Today's date (UTC), or `STACKGATE_TODAY`.
pub fn today() -> Date {
    if let Some(d) = std::env::var("STACKGATE_TODAY")
        .ok()
        .and_then(|s| Date::parse(s.trim()))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = civil(days);
    Date { days, y, m, d }
}

/// Days since 1970-01-01 to a civil date.
fn civil(days: i64) -> (i64, u32, u32) {
    crate::terraform::functions::datetime::civil_from_days(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strict_dates_and_orders_them() {
        let a = Date::parse("2026-11-22").unwrap();
        let b = Date::parse("2027-01-31").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2026-11-22");
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-00",
            "२०२६-01-01",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn unix_times_and_day_counts() {
        let d = Date::from_unix(1_763_769_600); // 2025-11-22T00:00:00Z
        assert_eq!(d.to_string(), "2025-11-22");
        assert_eq!(Date::from_unix(1_763_769_599).to_string(), "2025-11-21");
        let later = Date::parse("2026-11-22").unwrap();
        assert_eq!(later.days_since(&d), 365);
        assert_eq!(Date::from_unix(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn civil_round_trips() {
        let d = Date::parse("2031-07-04").unwrap();
        assert_eq!(civil(d.days), (2031, 7, 4));
    }
}
