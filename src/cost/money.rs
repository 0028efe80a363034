//! Money as users read it: `$1,234.56`, `+$12.00`, and Infracost's decimal strings.

/// `$1,234.56`; negative amounts `-$5.00`.
pub fn usd(v: f64) -> String {
    let v = if v.abs() < 0.005 { 0.0 } else { v };
    let cents = format!("{:.2}", v.abs());
    let (int, frac) = cents.split_once('.').unwrap_or((&cents, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${grouped}.{frac}")
}

/// `+$12.00`, `-$3.50`, `$0.00`.
pub fn signed_usd(v: f64) -> String {
    if v >= 0.005 {
        format!("+{}", usd(v))
    } else {
        usd(v)
    }
}

/// A unit price: enough digits to show what is billed (`$0.0416`, `$0.0000166667`).
pub fn unit_price(v: f64) -> String {
    if v >= 0.01 || v == 0.0 {
        let s = format!("{v:.4}");
        let trimmed = s.trim_end_matches('0');
        let trimmed = match trimmed.split_once('.') {
            Some((_, frac)) if frac.len() < 2 => format!("{trimmed}{}", "0".repeat(2 - frac.len())),
            _ => trimmed.to_string(),
        };
        format!("${trimmed}")
    } else {
        format!("${}", decimal(v))
    }
}

/// A decimal string without float noise (`70.08`, not `70.08000000000001`), as Infracost
/// writes money in JSON. Twelve significant digits (at most ten decimals) are kept: sums of
/// thousands of prices carry float noise below that, and no price is finer.
pub fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let int_digits = if v.abs() >= 1.0 {
        v.abs().log10().floor() as usize + 1
    } else {
        0
    };
    let decimals = 12usize.saturating_sub(int_digits).min(10);
    let s = format!("{v:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A quantity as shown in tables: `730`, `0.5`, `1,000`.
pub fn quantity(v: f64) -> String {
    if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
        let s = format!("{}", v.round() as i64);
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::from(sign);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(-5.0), "-$5.00");
        assert_eq!(usd(-0.001), "$0.00");
        assert_eq!(signed_usd(12.0), "+$12.00");
        assert_eq!(signed_usd(-3.5), "-$3.50");
        assert_eq!(signed_usd(0.0), "$0.00");
        assert_eq!(decimal(730.0 * 0.096), "70.08");
        assert_eq!(decimal(0.0000166667), "0.0000166667");
        assert_eq!(decimal(-0.0), "0");
        assert_eq!(decimal(405097.7619999996), "405097.762");
        assert_eq!(decimal(-3472.4640000001), "-3472.464");
        assert_eq!(decimal(123456789012.7), "123456789013");
        assert_eq!(unit_price(0.0416), "$0.0416");
        assert_eq!(unit_price(0.1), "$0.10");
        assert_eq!(unit_price(0.0000166667), "$0.0000166667");
        assert_eq!(quantity(730.0), "730");
        assert_eq!(quantity(1_000_000.0), "1,000,000");
        assert_eq!(quantity(0.25), "0.25");
    }
}
