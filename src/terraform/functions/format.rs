//! `format` and `formatlist`: printf-style verbs as cty implements them (`%v %s %q %d %x
//! %f %e %g %t`, flags `-+ #0`, width, precision, `%[n]` argument indexes).

use super::args::{Args, R, Stop, go_quote, known, to_bool, to_num, to_str};
use super::graphemes;
use super::json;
use crate::terraform::value::Value;

/// Widths and precisions beyond this would only build huge strings.
const MAX_WIDTH: usize = 10_000;

pub(super) fn format(a: &Args) -> R {
    let f = a.str(0)?;
    let args = a.rest(1);
    for v in args {
        known(v)?;
    }
    sprintf(&f, args).map(Value::String)
}

pub(super) fn formatlist(a: &Args) -> R {
    let f = a.str(0)?;
    let args = a.rest(1);
    if args.is_empty() {
        return Ok(Value::List(vec![Value::String(sprintf(&f, args)?)]));
    }
    // The first list argument decides how many results there are; the rest must agree.
    let mut len: Option<(usize, usize)> = None;
    for (i, v) in args.iter().enumerate() {
        match v {
            Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
            Value::List(items) | Value::Set(items) => match len {
                None => len = Some((items.len(), i)),
                Some((n, first)) if n != items.len() => {
                    return Err(Stop::Arg(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {}",
                            i + 1,
                            items.len(),
                            first + 1,
                            n
                        ),
                    ));
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    let n = len.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(n);
    for it in 0..n {
        let row: Vec<Value> = args
            .iter()
            .map(|v| match v {
                Value::List(items) | Value::Set(items) => {
                    items.get(it).cloned().unwrap_or_default()
                }
                other => other.clone(),
            })
            .collect();
        if let Some(u) = row.iter().find_map(Value::first_unknown) {
            out.push(Value::Unknown(u.clone()));
            continue;
        }
        match sprintf(&f, &row) {
            Ok(s) => out.push(Value::String(s)),
            Err(Stop::Call(m) | Stop::Arg(_, m)) => {
                return Err(Stop::Call(format!("error on format iteration {it}: {m}")));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Value::List(out))
}

#[derive(Default)]
struct Verb {
    raw: String,
    offset: usize,
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `f` with `args` (all known). Errors are cty's; `Stop::Arg` indexes count the
/// format string as argument 0.
fn sprintf(f: &str, args: &[Value]) -> Result<String, Stop> {
    let b = f.as_bytes();
    let mut out = String::with_capacity(f.len());
    let mut p = 0;
    let mut next_arg = 1;
    let mut highest = 0;
    while p < b.len() {
        if b[p] != b'%' {
            let end = f[p..].find('%').map_or(b.len(), |i| p + i);
            out.push_str(&f[p..end]);
            p = end;
            continue;
        }
        if b.get(p + 1) == Some(&b'%') {
            out.push('%');
            p += 2;
            continue;
        }
        let mut v = Verb {
            offset: p,
            arg: next_arg,
            ..Verb::default()
        };
        p += 1;
        while let Some(&c) = b.get(p) {
            match c {
                b'0' => v.zero = true,
                b'#' => v.sharp = true,
                b'-' => v.minus = true,
                b'+' => v.plus = true,
                b' ' => v.space = true,
                _ => break,
            }
            p += 1;
        }
        if matches!(b.get(p), Some(b'1'..=b'9')) {
            v.width = Some(number(b, &mut p));
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            v.prec = Some(if b.get(p).is_some_and(u8::is_ascii_digit) {
                number(b, &mut p)
            } else {
                0
            });
        }
        if b.get(p) == Some(&b'[') {
            p += 1;
            if !matches!(b.get(p), Some(b'1'..=b'9')) {
                return Err(bad_char(f, p));
            }
            v.arg = number(b, &mut p);
            if b.get(p) != Some(&b']') {
                return Err(bad_char(f, p));
            }
            p += 1;
        }
        match b.get(p) {
            Some(c) if c.is_ascii_alphabetic() => v.mode = *c as char,
            Some(_) => return Err(bad_char(f, p)),
            None => {
                return Err(Stop::Call(format!(
                    "invalid format string starting at offset {p}"
                )));
            }
        }
        p += 1;
        v.raw = f[v.offset..p].to_string();
        if v.width.unwrap_or(0) > MAX_WIDTH || v.prec.unwrap_or(0) > MAX_WIDTH {
            return Err(Stop::Call(format!(
                "width or precision in {} at offset {} exceeds the supported maximum of {MAX_WIDTH}",
                go_quote(&v.raw),
                v.offset
            )));
        }
        highest = highest.max(v.arg);
        append(&v, &mut out, args)?;
        next_arg = v.arg.saturating_add(1);
    }
    if highest < args.len() {
        let first_bad = highest + 1;
        let msg = if highest == 0 {
            "too many arguments; no verbs in format string".to_string()
        } else {
            format!("too many arguments; only {highest} used by format string")
        };
        return Err(Stop::Arg(first_bad, msg));
    }
    Ok(out)
}

/// Reads decimal digits, saturating so a silly width cannot overflow.
fn number(b: &[u8], p: &mut usize) -> usize {
    let mut n: usize = 0;
    while let Some(d) = b.get(*p).filter(|c| c.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        *p += 1;
    }
    n
}

fn bad_char(f: &str, p: usize) -> Stop {
    let c = f.get(p..).and_then(|s| s.chars().next()).unwrap_or('?');
    Stop::Call(format!("unrecognized format character '{c}' at offset {p}"))
}

fn append(v: &Verb, out: &mut String, args: &[Value]) -> Result<(), Stop> {
    let Some(arg) = args.get(v.arg - 1) else {
        return Err(Stop::Call(format!(
            "not enough arguments for {} at {}: need index {} but have {} total",
            go_quote(&v.raw),
            v.offset,
            v.arg,
            args.len()
        )));
    };
    let unsupported = |m: &str| {
        Stop::Call(format!(
            "unsupported value for {} at {}: {m}",
            go_quote(&v.raw),
            v.offset
        ))
    };
    if v.mode != 'v' && matches!(arg, Value::Null) {
        return Err(unsupported("null value cannot be formatted"));
    }
    match v.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !v.sharp => s.clone(),
                Value::Number(n) if !v.sharp => float_text(*n, 'g', None),
                other => json::encode(other).map_err(|m| unsupported(&m))?,
            };
            out.push_str(&pad(v, text));
        }
        't' => out.push_str(if to_bool(arg).map_err(|m| unsupported(&m))? {
            "true"
        } else {
            "false"
        }),
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let n = to_num(arg).map_err(|m| unsupported(&m))?;
            if !n.is_finite() || n.fract() != 0.0 {
                return Err(unsupported("an integer is required"));
            }
            out.push_str(&integer(v, n));
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = to_num(arg).map_err(|m| unsupported(&m))?;
            out.push_str(&float(v, n));
        }
        's' | 'q' => {
            let mut s = to_str(arg).map_err(|m| unsupported(&m))?;
            if let Some(p) = v.prec.filter(|p| *p > 0) {
                s = graphemes::clusters(&s).into_iter().take(p).collect();
            }
            let text = if v.mode == 'q' { json::quote(&s) } else { s };
            out.push_str(&pad(v, text));
        }
        m => {
            return Err(Stop::Call(format!(
                "unsupported format verb '{m}' in {} at offset {}",
                go_quote(&v.raw),
                v.offset
            )));
        }
    }
    Ok(())
}

/// cty pads by characters as people count them, with zeros if asked, even for strings.
fn pad(v: &Verb, s: String) -> String {
    let Some(w) = v.width else { return s };
    let n = graphemes::count(&s);
    if n >= w {
        return s;
    }
    let fill = (if v.zero { "0" } else { " " }).repeat(w - n);
    if v.minus { s + &fill } else { fill + &s }
}

/// Go's integer formatting: `[pad][sign][prefix][zeros][digits][pad]`.
fn integer(v: &Verb, n: f64) -> String {
    let base = match v.mode {
        'b' => 2,
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let mut digits = int_digits(n.abs(), base);
    if v.mode == 'X' {
        digits.make_ascii_uppercase();
    }
    let sign = if n < 0.0 {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let prefix = match (v.sharp, v.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(p) = v.prec {
        if digits.len() < p {
            zeros = p - digits.len();
        } else if digits == "0" && p == 0 {
            return String::new();
        }
    }
    let len = sign.len() + prefix.len() + zeros + digits.len();
    let (mut left, mut right) = (0, 0);
    if let Some(w) = v.width.filter(|w| *w > len) {
        let d = w - len;
        if v.minus {
            right = d;
        } else if v.zero && v.prec.is_none() {
            zeros = d;
        } else {
            left = d;
        }
    }
    format!(
        "{}{sign}{prefix}{}{digits}{}",
        " ".repeat(left),
        "0".repeat(zeros),
        " ".repeat(right)
    )
}

/// The digits of a whole, non-negative f64 in `base`, however large.
fn int_digits(n: f64, base: u32) -> String {
    if n < 3.4e38 {
        let mut x = n as u128;
        if x == 0 {
            return "0".into();
        }
        let mut d = Vec::new();
        while x > 0 {
            d.push(std::char::from_digit((x % u128::from(base)) as u32, base).unwrap_or('?'));
            x /= u128::from(base);
        }
        return d.into_iter().rev().collect();
    }
    // Beyond u128: the f64 is mantissa * 2^exp exactly; divide a little-endian bignum.
    let bits = n.to_bits();
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mut limbs: Vec<u32> = vec![mantissa as u32, (mantissa >> 32) as u32];
    for _ in 0..exp.max(0) {
        let mut carry = 0u32;
        for l in &mut limbs {
            let v = (u64::from(*l) << 1) | u64::from(carry);
            *l = v as u32;
            carry = (v >> 32) as u32;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut d = Vec::new();
    while limbs.iter().any(|l| *l != 0) {
        let mut rem = 0u64;
        for l in limbs.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*l);
            *l = (v / u64::from(base)) as u32;
            rem = v % u64::from(base);
        }
        d.push(std::char::from_digit(rem as u32, base).unwrap_or('?'));
    }
    d.into_iter().rev().collect()
}

/// Go's big.Float formatting for `%e %E %f %g %G`: sign, then zero or space padding.
fn float(v: &Verb, n: f64) -> String {
    let prec = match (v.mode, v.prec) {
        ('g' | 'G', None) => None,
        (_, None) => Some(6),
        (_, p) => p,
    };
    let body = float_text(n.abs(), v.mode, prec);
    let sign = if n.is_sign_negative() && n != 0.0 || n == f64::NEG_INFINITY {
        "-"
    } else if n == f64::INFINITY {
        if v.space { " " } else { "+" }
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let width = v.width.unwrap_or(0);
    let padding = width.saturating_sub(sign.len() + body.len());
    if v.zero && n.is_finite() {
        format!("{sign}{}{body}", "0".repeat(padding))
    } else if v.minus {
        format!("{sign}{body}{}", " ".repeat(padding))
    } else {
        format!("{}{sign}{body}", " ".repeat(padding))
    }
}

/// A number's text for one verb, without its sign unless negative (used by `%v` too):
/// `prec` None means the shortest digits that read back the same.
pub(super) fn float_text(n: f64, mode: char, prec: Option<usize>) -> String {
    if n.is_infinite() {
        return if n > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = if n < 0.0 { "-" } else { "" };
    let x = n.abs();
    let upper = mode.is_ascii_uppercase();
    let text = match mode {
        'f' => format!("{:.*}", prec.unwrap_or(6), x),
        'e' | 'E' => {
            let p = prec.unwrap_or(6);
            let (d, dp) = decimal(x, Some(p + 1));
            fmt_e(&d, dp, p, upper)
        }
        _ => {
            let shortest = prec.is_none();
            let (d, dp) = decimal(x, prec.map(|p| p.max(1)));
            let mut p = prec.map_or(d.len(), |p| p.max(1));
            let mut eprec = p;
            if eprec > d.len() && d.len() as i64 >= dp {
                eprec = d.len();
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec as i64 {
                p = p.min(d.len());
                fmt_e(&d, dp, p.saturating_sub(1), upper)
            } else {
                if p as i64 > dp {
                    p = d.len();
                }
                fmt_f(&d, dp, (p as i64 - dp).max(0) as usize)
            }
        }
    };
    format!("{neg}{text}")
}

/// Decimal digits (no trailing zeros) and the decimal point position: x = 0.d1d2… × 10^dp.
/// `sig` rounds to that many significant digits (half to even, as Go's big.Float does).
fn decimal(x: f64, sig: Option<usize>) -> (Vec<u8>, i64) {
    if x == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match sig {
        Some(n) => format!("{:.*e}", n.saturating_sub(1), x),
        None => format!("{x:e}"),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

fn fmt_e(d: &[u8], dp: i64, prec: usize, upper: bool) -> String {
    let mut out = String::new();
    out.push(d.first().map_or('0', |c| *c as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.get(i).map_or('0', |c| *c as char));
        }
    }
    out.push(if upper { 'E' } else { 'e' });
    let exp = if d.is_empty() { 0 } else { dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

fn fmt_f(d: &[u8], dp: i64, prec: usize) -> String {
    let digit = |i: i64| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| d.get(i))
            .map_or('0', |c| *c as char)
    };
    let mut out = String::new();
    if dp > 0 {
        for i in 0..dp {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i64 {
            out.push(digit(dp - 1 + i));
        }
    }
    out
}
