//! Numeric functions: `abs`, `ceil`, `floor`, `log`, `pow`, `max`, `min`, `parseint`, `signum`.

use super::args::{Args, R, Stop, WHOLE, arg_err, call_err, friendly, go_quote, to_int};
use crate::terraform::value::Value;

pub(super) fn abs(a: &Args) -> R {
    Ok(Value::Number(a.num(0)?.abs()))
}

pub(super) fn ceil(a: &Args) -> R {
    Ok(Value::Number(a.num(0)?.ceil()))
}

pub(super) fn floor(a: &Args) -> R {
    Ok(Value::Number(a.num(0)?.floor()))
}

pub(super) fn log(a: &Args) -> R {
    let n = a.num(0)?;
    let base = a.num(1)?;
    finite_or_nan(n.ln() / base.ln())
}

pub(super) fn pow(a: &Args) -> R {
    let n = a.num(0)?;
    let p = a.num(1)?;
    finite_or_nan(n.powf(p))
}

fn finite_or_nan(r: f64) -> R {
    if r.is_nan() {
        return call_err("result is not a number");
    }
    Ok(Value::Number(r))
}

pub(super) fn max(a: &Args) -> R {
    extreme(a, |x, best| x > best)
}

pub(super) fn min(a: &Args) -> R {
    extreme(a, |x, best| x < best)
}

fn extreme(a: &Args, better: fn(f64, f64) -> bool) -> R {
    if a.len() == 0 {
        return call_err("must pass at least one number");
    }
    let mut best = a.num(0)?;
    for i in 1..a.len() {
        let x = a.num(i)?;
        if better(x, best) {
            best = x;
        }
    }
    Ok(Value::Number(best))
}

/// cty converts the argument to an int first, so a fraction is an error.
pub(super) fn signum(a: &Args) -> R {
    let n = a.num(0)?;
    if to_int(n).is_none() {
        return call_err(WHOLE);
    }
    Ok(Value::Number(if n < 0.0 {
        -1.0
    } else if n > 0.0 {
        1.0
    } else {
        0.0
    }))
}

/// Go's `big.Int.SetString`: bases up to 36 are case-insensitive; above, `a`–`z` are 10–35
/// and `A`–`Z` are 36–61.
pub(super) fn parseint(a: &Args) -> R {
    let s = match a.get(0) {
        Value::String(s) => s.clone(),
        Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
        other => {
            return arg_err(
                0,
                format!("first argument must be a string, not {}", friendly(other)),
            );
        }
    };
    let base = a.int(1)?;
    if !(2..=62).contains(&base) {
        return arg_err(1, "base must be a whole number between 2 and 62 inclusive");
    }
    let fail = || {
        Stop::Arg(
            0,
            format!("cannot parse {} as a base {base} integer", go_quote(&s)),
        )
    };
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s.as_str()),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    let mut n = 0.0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(fail()),
        };
        if d >= base {
            return Err(fail());
        }
        n = n * base as f64 + d as f64;
    }
    Ok(Value::Number(if neg { -n } else { n }))
}
