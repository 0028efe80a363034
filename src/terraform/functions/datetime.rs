//! Date and time functions on RFC 3339 timestamps, hand-parsed: `formatdate`, `timeadd`,
//! `timecmp`. `timestamp()` and `plantimestamp()` are impure and handled in `mod.rs`.

use super::args::{Args, R, Stop};
use crate::terraform::value::Value;

/// A moment with the UTC offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Time {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset: i64,
}

impl Time {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    fn unix_nanos(&self) -> i128 {
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - self.offset;
        i128::from(secs) * 1_000_000_000 + i128::from(self.nanos)
    }

    fn from_unix_nanos(n: i128, offset: i64) -> Time {
        let local = n + i128::from(offset) * 1_000_000_000;
        let secs = local.div_euclid(1_000_000_000) as i64;
        let nanos = local.rem_euclid(1_000_000_000) as u32;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Time {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
            nanos,
            offset,
        }
    }

    /// 0 is Sunday.
    fn weekday(&self) -> usize {
        (days_from_civil(self.year, self.month, self.day) + 4).rem_euclid(7) as usize
    }

    /// `-0700` or `-07:00`.
    fn zone(&self, colon: bool) -> String {
        let sign = if self.offset < 0 { '-' } else { '+' };
        let m = self.offset.abs() / 60;
        if colon {
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        } else {
            format!("{sign}{:02}{:02}", m / 60, m % 60)
        }
    }

    /// RFC 3339 without fractional seconds, `Z` for UTC.
    pub(super) fn rfc3339(&self) -> String {
        let zone = if self.offset == 0 {
            "Z".to_string()
        } else {
            self.zone(true)
        };
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            year4(self.year),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        )
    }
}

fn year4(y: i64) -> String {
    if y < 0 {
        format!("-{:03}", -y)
    } else {
        format!("{y:04}")
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Takes exactly `n` ASCII digits.
fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

/// Takes one or two ASCII digits.
fn digits12(s: &str) -> Option<(u32, &str)> {
    let n = s.bytes().take(2).take_while(u8::is_ascii_digit).count();
    if n == 0 { None } else { digits(s, n) }
}

fn err(msg: impl std::fmt::Display) -> String {
    format!("not a valid RFC3339 timestamp: {msg}")
}

fn cannot(rest: &str, what: &str) -> String {
    if rest.is_empty() {
        err(format!("end of string before {what}"))
    } else {
        err(format!("cannot use {} as {what}", go_str(rest)))
    }
}

fn literal(s: &str, lit: char) -> Result<&str, String> {
    match s.strip_prefix(lit) {
        Some(rest) => Ok(rest),
        None if lit == 'T' => Err(err("missing required time introducer 'T'")),
        None if s.is_empty() => Err(err(format!("end of string where \"{lit}\" is expected"))),
        None => Err(err(format!(
            "found {} where \"{lit}\" is expected",
            go_str(s)
        ))),
    }
}

fn go_str(s: &str) -> String {
    format!("{s:?}")
}

/// Parses `2006-01-02T15:04:05Z07:00` strictly, with cty's messages.
pub(super) fn parse_rfc3339(s: &str) -> Result<Time, String> {
    let (year, rest) = digits(s, 4).ok_or_else(|| cannot(s, "year"))?;
    let rest = literal(rest, '-')?;
    let (month, rest) = digits(rest, 2).ok_or_else(|| cannot(rest, "month"))?;
    let rest = literal(rest, '-')?;
    let (day, rest) = digits(rest, 2).ok_or_else(|| cannot(rest, "day of month"))?;
    let rest = literal(rest, 'T')?;
    let (hour, after) = digits12(rest).ok_or_else(|| cannot(rest, "hour"))?;
    if rest.len() - after.len() != 2 {
        return Err(err("hour must have exactly two digits"));
    }
    let rest = literal(after, ':')?;
    let (minute, rest) = digits(rest, 2).ok_or_else(|| {
        if rest.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            err("minute must have exactly two digits")
        } else {
            cannot(rest, "minute")
        }
    })?;
    let rest = literal(rest, ':')?;
    let (second, mut rest) = digits(rest, 2).ok_or_else(|| cannot(rest, "second"))?;
    let mut nanos = 0;
    if rest.starts_with(',') {
        return Err(err("cannot use \",\" as timestamp segment"));
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            let mut ns = 0u32;
            for (i, b) in frac.bytes().take(n).enumerate() {
                if i < 9 {
                    ns = ns * 10 + u32::from(b - b'0');
                }
            }
            for _ in n..9 {
                ns *= 10;
            }
            nanos = ns;
            rest = &frac[n..];
        }
    }
    let offset = if let Some(r) = rest.strip_prefix('Z') {
        rest = r;
        0
    } else {
        let sign = match rest.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(cannot(rest, "UTC offset")),
        };
        let bad = || cannot(rest, "UTC offset");
        let (h, r) = digits(&rest[1..], 2).ok_or_else(bad)?;
        let r = r.strip_prefix(':').ok_or_else(bad)?;
        let (m, r) = digits(r, 2).ok_or_else(bad)?;
        if h >= 24 || m >= 60 {
            return Err(bad());
        }
        rest = r;
        sign * (i64::from(h) * 3600 + i64::from(m) * 60)
    };
    if !rest.is_empty() {
        return Err(err(format!("extra text: {}", go_str(rest))));
    }
    let range = |what: &str| Err(err(format!("{what} out of range")));
    if !(1..=12).contains(&month) {
        return range("month");
    }
    if day < 1 || day > days_in(month, i64::from(year)) {
        return range("day");
    }
    if hour > 23 {
        return range("hour");
    }
    if minute > 59 {
        return range("minute");
    }
    if second > 59 {
        return range("second");
    }
    Ok(Time {
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset,
    })
}

fn arg_time(a: &Args, i: usize) -> Result<Time, Stop> {
    parse_rfc3339(&a.str(i)?).map_err(|m| Stop::Arg(i, m))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

pub(super) fn formatdate(a: &Args) -> R {
    let f = a.str(0)?;
    let t = arg_time(a, 1)?;
    let mut out = String::new();
    let chars: Vec<char> = f.chars().collect();
    let mut i = 0;
    let bad = |tok: &str, why: &str| {
        let q = go_str(tok);
        Err(Stop::Arg(
            0,
            if why.is_empty() {
                format!("invalid date format verb {q}")
            } else {
                format!("invalid date format verb {q}: {why}")
            },
        ))
    };
    while let Some(&c) = chars.get(i) {
        if c == '\'' {
            // A quoted literal; `''` is a quote.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            let mut lit = String::new();
            loop {
                match chars.get(j) {
                    None => return Err(Stop::Arg(0, "unterminated literal '".into())),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        lit.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(&x) => {
                        lit.push(x);
                        j += 1;
                    }
                }
            }
            out.push_str(&lit);
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&x| x == c)
            .count();
        let tok: String = std::iter::repeat_n(c, n).collect();
        i += n;
        let month = MONTHS
            .get((t.month as usize).saturating_sub(1))
            .copied()
            .unwrap_or("");
        let weekday = DAYS.get(t.weekday()).copied().unwrap_or("");
        let h12 = if t.hour % 12 == 0 { 12 } else { t.hour % 12 };
        let piece = match (c, n) {
            ('Y', 2) => format!("{:02}", t.year.rem_euclid(100)),
            ('Y', 4) => year4(t.year),
            ('Y', _) => return bad(&tok, "year must either be \"YY\" or \"YYYY\""),
            ('M', 1) => t.month.to_string(),
            ('M', 2) => format!("{:02}", t.month),
            ('M', 3) => month.chars().take(3).collect(),
            ('M', 4) => month.to_string(),
            ('M', _) => return bad(&tok, "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\""),
            ('D', 1) => t.day.to_string(),
            ('D', 2) => format!("{:02}", t.day),
            ('D', _) => return bad(&tok, "day of month must either be \"D\" or \"DD\""),
            ('E', 3) => weekday.chars().take(3).collect(),
            ('E', 4) => weekday.to_string(),
            ('E', _) => return bad(&tok, "day of week must either be \"EEE\" or \"EEEE\""),
            ('h', 1) => t.hour.to_string(),
            ('h', 2) => format!("{:02}", t.hour),
            ('h', _) => return bad(&tok, "24-hour must either be \"h\" or \"hh\""),
            ('H', 1) => h12.to_string(),
            ('H', 2) => format!("{h12:02}"),
            ('H', _) => return bad(&tok, "12-hour must either be \"H\" or \"HH\""),
            ('A' | 'a', 2) => {
                let pm = t.hour >= 12;
                match (c == 'A', pm) {
                    (true, false) => "AM".into(),
                    (true, true) => "PM".into(),
                    (false, false) => "am".into(),
                    (false, true) => "pm".into(),
                }
            }
            ('A' | 'a', _) => return bad(&tok, &format!("must be \"{c}{c}\"")),
            ('m', 1) => t.minute.to_string(),
            ('m', 2) => format!("{:02}", t.minute),
            ('m', _) => return bad(&tok, "minute must either be \"m\" or \"mm\""),
            ('s', 1) => t.second.to_string(),
            ('s', 2) => format!("{:02}", t.second),
            ('s', _) => return bad(&tok, "second must either be \"s\" or \"ss\""),
            ('Z', 1) => {
                if t.offset == 0 {
                    "Z".into()
                } else {
                    t.zone(true)
                }
            }
            ('Z', 3) => {
                if t.offset == 0 {
                    "UTC".into()
                } else {
                    t.zone(false)
                }
            }
            ('Z', 4) => t.zone(false),
            ('Z', 5) => t.zone(true),
            ('Z', _) => return bad(&tok, "timezone must be Z, ZZZZ, or ZZZZZ"),
            _ => return bad(&tok, ""),
        };
        out.push_str(&piece);
    }
    Ok(Value::String(out))
}

pub(super) fn timeadd(a: &Args) -> R {
    let t = parse_rfc3339(&a.str(0)?).map_err(Stop::Call)?;
    let d = parse_duration(&a.str(1)?).map_err(Stop::Call)?;
    let moved = t.unix_nanos() + i128::from(d);
    Ok(Value::String(
        Time::from_unix_nanos(moved, t.offset).rfc3339(),
    ))
}

pub(super) fn timecmp(a: &Args) -> R {
    let x = arg_time(a, 0)?.unix_nanos();
    let y = arg_time(a, 1)?.unix_nanos();
    Ok(Value::Number(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

/// Go's `time.ParseDuration`, messages included.
pub(super) fn parse_duration(orig: &str) -> Result<i64, String> {
    let quote = |s: &str| format!("\"{s}\"");
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(r) = s.strip_prefix(['-', '+']) {
        neg = s.starts_with('-');
        s = r;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for b in s.bytes().take(int_len) {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
                .ok_or_else(invalid)?;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        s = &s[int_len..];
        let (mut f, mut scale, mut frac_len) = (0u64, 1f64, 0);
        if let Some(r) = s.strip_prefix('.') {
            s = r;
            frac_len = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for b in s.bytes().take(frac_len) {
                if overflow {
                    continue;
                }
                match f
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(u64::from(b - b'0')))
                {
                    Some(x) if x <= 1 << 63 => {
                        f = x;
                        scale *= 10.0;
                    }
                    _ => overflow = true,
                }
            }
            s = &s[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let u = &s[..unit_len];
        s = &s[unit_len..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(u),
                    quote(orig)
                ));
            }
        };
        if v > (1 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        total = total
            .checked_add(v)
            .filter(|t| *t <= 1 << 63)
            .ok_or_else(invalid)?;
    }
    if neg {
        return Ok((total as i128).wrapping_neg() as i64);
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// YAML 1.1 timestamps (`2001-12-14`, `2001-12-14 21:59:43.10`, `2001-12-14T21:59:43Z`) as
/// RFC 3339 text, the way Terraform's `yamldecode` turns them into strings.
pub(super) fn yaml_timestamp(s: &str) -> Option<String> {
    let (year, rest) = digits(s, 4)?;
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = digits12(rest)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits12(rest)?;
    let mut t = Time {
        year: i64::from(year),
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: 0,
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, t.year) {
        return None;
    }
    if rest.is_empty() {
        return Some(t.rfc3339());
    }
    let (zoned, rest) = match rest.as_bytes().first() {
        Some(b'T' | b't') => (true, &rest[1..]),
        Some(b' ') => (false, &rest[1..]),
        _ => return None,
    };
    let (hour, rest) = digits12(rest)?;
    let (minute, rest) = digits12(rest.strip_prefix(':')?)?;
    let (second, mut rest) = digits12(rest.strip_prefix(':')?)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    t.hour = hour;
    t.minute = minute;
    t.second = second;
    if zoned {
        if let Some(r) = rest.strip_prefix('Z') {
            rest = r;
        } else {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let (h, r) = digits(&rest[1..], 2)?;
            let (m, r) = digits(r.strip_prefix(':')?, 2)?;
            t.offset = sign * (i64::from(h) * 3600 + i64::from(m) * 60);
            rest = r;
        }
    }
    rest.is_empty().then(|| t.rfc3339())
}
