//! Reading arguments the way Terraform converts them: numbers and booleans become strings
//! where a string is wanted, `"1"` becomes 1 where a number is wanted, and anything else is
//! an error in Terraform's words. Unknowns met on the way stop the function with an unknown
//! result.

use super::FnEnv;
use crate::terraform::value::{Unknown, Value, format_number};

/// Why a function stopped without a value.
#[derive(Debug)]
pub(super) enum Stop {
    /// Argument `i` is wrong (`Invalid value for "str" parameter: …`).
    Arg(usize, String),
    /// The call as a whole failed; the caller reports it as `Call to function "x" failed: …`.
    Call(String),
    /// Something the result depends on is unknown.
    Unknown(Unknown),
    /// stackgate cannot compute this.
    Unsupported,
}

pub(super) type R = Result<Value, Stop>;

pub(super) fn call_err<T>(msg: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Call(msg.into()))
}

pub(super) fn arg_err<T>(i: usize, msg: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Arg(i, msg.into()))
}

/// Stops with the first unknown inside `v`, if any.
pub(super) fn known(v: &Value) -> Result<(), Stop> {
    match v.first_unknown() {
        Some(u) => Err(Stop::Unknown(u.clone())),
        None => Ok(()),
    }
}

pub(super) struct Args<'a> {
    pub name: &'a str,
    pub vals: &'a [Value],
    pub env: &'a dyn FnEnv,
}

static NULL: Value = Value::Null;

/// The gocty wording for a number that must fit an int.
pub(super) const WHOLE: &str =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

impl Args<'_> {
    pub fn name(&self) -> &str {
        self.name
    }

    pub fn len(&self) -> usize {
        self.vals.len()
    }

    /// Argument `i`; null when absent (arity is checked before functions run).
    pub fn get(&self, i: usize) -> &Value {
        self.vals.get(i).unwrap_or(&NULL)
    }

    pub fn rest(&self, from: usize) -> &[Value] {
        self.vals.get(from..).unwrap_or(&[])
    }

    pub fn str(&self, i: usize) -> Result<String, Stop> {
        let v = self.get(i);
        check_top(i, v)?;
        to_str(v).map_err(|m| Stop::Arg(i, m))
    }

    pub fn num(&self, i: usize) -> Result<f64, Stop> {
        let v = self.get(i);
        check_top(i, v)?;
        to_num(v).map_err(|m| Stop::Arg(i, m))
    }

    /// A whole number that fits an i64 (gocty's `int`).
    pub fn int(&self, i: usize) -> Result<i64, Stop> {
        let n = self.num(i)?;
        to_int(n).ok_or_else(|| Stop::Arg(i, WHOLE.into()))
    }

    /// The items of a list, tuple or set argument.
    pub fn list(&self, i: usize, want: &str) -> Result<&[Value], Stop> {
        let v = self.get(i);
        check_top(i, v)?;
        match v {
            Value::List(items) | Value::Set(items) => Ok(items),
            _ => arg_err(i, format!("{want} required")),
        }
    }

    /// A list of strings (Terraform's `list(string)` parameter): elements convert, unknown
    /// elements stop the function.
    pub fn str_list(&self, i: usize) -> Result<Vec<String>, Stop> {
        let items = self.list(i, "list of string")?;
        if let Some(Value::Unknown(u)) = items.iter().find(|v| v.is_unknown()) {
            return Err(Stop::Unknown(u.clone()));
        }
        strings_of(items).map_err(|(e, m)| Stop::Arg(i, format!("element {e}: {m}")))
    }
}

/// Converts known list items to strings; on failure the index and the reason.
fn strings_of(items: &[Value]) -> Result<Vec<String>, (usize, String)> {
    items
        .iter()
        .enumerate()
        .map(|(e, v)| match v {
            Value::Null => Err((e, "string required, but have null".to_string())),
            _ => to_str(v).map_err(|m| (e, m)),
        })
        .collect()
}

fn check_top(i: usize, v: &Value) -> Result<(), Stop> {
    match v {
        Value::Unknown(u) => Err(Stop::Unknown(u.clone())),
        Value::Null => arg_err(i, "argument must not be null"),
        _ => Ok(()),
    }
}

/// A whole f64 as i64, if it is one and fits.
pub(super) fn to_int(n: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or above it does not fit.
    if n.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n)
    {
        Some(n as i64)
    } else {
        None
    }
}

/// A primitive as a string, the way Terraform converts it.
pub(super) fn to_str(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err("argument must not be null".into()),
        _ => Err("string required".into()),
    }
}

pub(super) fn to_num(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(s).ok_or_else(|| "a number is required".to_string()),
        Value::Null => Err("argument must not be null".into()),
        _ => Err("number required".into()),
    }
}

pub(super) fn to_bool(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(match other.to_lowercase().as_str() {
                "true" => {
                    "a bool is required; to convert from string, use lowercase \"true\"".into()
                }
                "false" => {
                    "a bool is required; to convert from string, use lowercase \"false\"".into()
                }
                _ => "a bool is required".into(),
            }),
        },
        Value::Null => Err("argument must not be null".into()),
        _ => Err("bool required".into()),
    }
}

/// A decimal number as HCL and cty accept it: optional sign, digits with an optional point,
/// optional exponent. No spaces, no hex, no infinities.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut mantissa = i - digits_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let f = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        mantissa += i - f;
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Type names as Terraform's messages give them.
pub(super) fn friendly(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "tuple",
        Value::Set(_) => "set",
        Value::Map(_) => "object",
        Value::Unknown(_) => "dynamic",
    }
}

/// Brings collection elements to one type as Terraform's type unification does for the
/// cases that matter here: mixed primitives become strings; primitives mixed with
/// collections, or lists with maps, cannot be unified. Nulls and unknowns fit anything.
pub(super) fn unify(items: Vec<Value>) -> Result<Vec<Value>, String> {
    #[derive(PartialEq, Clone, Copy)]
    enum K {
        Bool,
        Num,
        Str,
        Seq,
        Map,
    }
    let kind = |v: &Value| match v {
        Value::Bool(_) => Some(K::Bool),
        Value::Number(_) => Some(K::Num),
        Value::String(_) => Some(K::Str),
        Value::List(_) | Value::Set(_) => Some(K::Seq),
        Value::Map(_) => Some(K::Map),
        Value::Null | Value::Unknown(_) => None,
    };
    let mut kinds = items.iter().filter_map(kind);
    let Some(first) = kinds.next() else {
        return Ok(items);
    };
    let mut mixed = false;
    let mut structural = matches!(first, K::Seq | K::Map);
    for k in kinds {
        mixed |= k != first;
        structural |= matches!(k, K::Seq | K::Map);
    }
    if !mixed {
        return Ok(items);
    }
    if structural {
        return Err("all elements must have the same type".into());
    }
    Ok(items
        .into_iter()
        .map(|v| match &v {
            Value::Bool(_) | Value::Number(_) => to_str(&v).map_or(v, Value::String),
            _ => v,
        })
        .collect())
}

/// Go's `%q`: a double-quoted string with Go escapes, printable Unicode kept.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || c == '\u{feff}' => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
