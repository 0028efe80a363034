//! List functions: `length`, `concat`, `flatten`, `slice`, `range`, `contains`, `coalesce`, …

use super::args::{
    Args, R, Stop, WHOLE, arg_err, call_err, friendly, known, to_bool, to_int, to_num, to_str,
    unify,
};
use super::graphemes;
use crate::terraform::value::Value;

/// Nesting deeper than this is not configuration any more; stop instead of recursing.
const MAX_DEPTH: usize = 256;

/// Equality as cty sees it, with unknowns: `None` when the answer depends on one.
pub(super) fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        _ => Some(a == b),
    }
}

fn unknown_of(v: &Value) -> Stop {
    match v.first_unknown() {
        Some(u) => Stop::Unknown(u.clone()),
        None => Stop::Call("value is not known".into()),
    }
}

/// A list-typed parameter (`list(any)`): the items, brought to one type.
fn any_list(a: &Args, i: usize) -> Result<Vec<Value>, Stop> {
    let items = a.list(i, "list of any single type")?;
    unify(items.to_vec())
        .map_err(|_| Stop::Arg(i, "all list elements must have the same type".into()))
}

fn bools(a: &Args) -> Result<Vec<Option<bool>>, Stop> {
    let items = a.list(0, "list of bool")?;
    items
        .iter()
        .enumerate()
        .map(|(e, v)| match v {
            Value::Unknown(_) => Ok(None),
            Value::Null => Ok(Some(false)),
            v => to_bool(v)
                .map(Some)
                .map_err(|m| Stop::Arg(0, format!("element {e}: {m}"))),
        })
        .collect()
}

pub(super) fn alltrue(a: &Args) -> R {
    let items = bools(a)?;
    for (v, b) in a.list(0, "list of bool")?.iter().zip(&items) {
        match b {
            None => return Err(unknown_of(v)),
            Some(false) => return Ok(Value::Bool(false)),
            Some(true) => {}
        }
    }
    Ok(Value::Bool(true))
}

pub(super) fn anytrue(a: &Args) -> R {
    let items = bools(a)?;
    if items.contains(&Some(true)) {
        return Ok(Value::Bool(true));
    }
    match a.list(0, "list of bool")?.iter().find(|v| v.is_unknown()) {
        Some(v) => Err(unknown_of(v)),
        None => Ok(Value::Bool(false)),
    }
}

pub(super) fn chunklist(a: &Args) -> R {
    let items = any_list(a, 0)?;
    let size = to_num(a.get(1))
        .ok()
        .and_then(to_int)
        .ok_or_else(|| Stop::Call(format!("invalid size: {WHOLE}")))?;
    if size < 0 {
        return call_err("the size argument must be positive");
    }
    if items.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items)]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::List(
        items
            .chunks(size)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

pub(super) fn coalesce(a: &Args) -> R {
    let vals = unify(a.vals.to_vec())
        .map_err(|_| Stop::Call("all arguments must have the same type".into()))?;
    let all_strings = vals
        .iter()
        .all(|v| matches!(v, Value::String(_) | Value::Null | Value::Unknown(_)));
    for v in &vals {
        match v {
            Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
            Value::Null => continue,
            Value::String(s) if all_strings && s.is_empty() => continue,
            v => return Ok(v.clone()),
        }
    }
    call_err("no non-null, non-empty-string arguments")
}

pub(super) fn coalescelist(a: &Args) -> R {
    if a.len() == 0 {
        return call_err("at least one argument is required");
    }
    for v in a.vals {
        match v {
            Value::Unknown(_) => break,
            Value::List(_) | Value::Null => {}
            _ => return call_err("coalescelist arguments must be lists or tuples"),
        }
    }
    for v in a.vals {
        match v {
            Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
            Value::List(items) if !items.is_empty() => return Ok(v.clone()),
            _ => {}
        }
    }
    call_err("no non-null arguments")
}

pub(super) fn compact(a: &Args) -> R {
    let items = a.list(0, "list of string")?;
    known(a.get(0))?;
    let mut out = Vec::new();
    for (e, v) in items.iter().enumerate() {
        if matches!(v, Value::Null) {
            continue;
        }
        let s = to_str(v).map_err(|m| Stop::Arg(0, format!("element {e}: {m}")))?;
        if !s.is_empty() {
            out.push(Value::String(s));
        }
    }
    Ok(Value::List(out))
}

pub(super) fn concat(a: &Args) -> R {
    if a.len() == 0 {
        return call_err("at least one argument is required");
    }
    let mut out = Vec::new();
    for (i, v) in a.vals.iter().enumerate() {
        match v {
            Value::List(items) => out.extend(items.iter().cloned()),
            other => {
                return arg_err(
                    i,
                    format!(
                        "all arguments must be lists or tuples; got {}",
                        friendly(other)
                    ),
                );
            }
        }
    }
    Ok(Value::List(out))
}

pub(super) fn contains(a: &Args) -> R {
    let items = match a.get(0) {
        Value::List(items) | Value::Set(items) => items,
        _ => return call_err("argument must be list, tuple, or set"),
    };
    let mut undecided = None;
    for v in items {
        match equal(a.get(1), v) {
            Some(true) => return Ok(Value::Bool(true)),
            Some(false) => {}
            None => undecided = Some(v),
        }
    }
    match undecided {
        Some(v) => Err(unknown_of(if v.contains_unknown() { v } else { a.get(1) })),
        None => Ok(Value::Bool(false)),
    }
}

pub(super) fn distinct(a: &Args) -> R {
    let items = any_list(a, 0)?;
    known(a.get(0))?;
    let mut out: Vec<Value> = Vec::new();
    for v in items {
        if !out.iter().any(|x| x == &v) {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}

pub(super) fn element(a: &Args) -> R {
    let items = match a.get(0) {
        Value::List(items) => items,
        other => return call_err(format!("cannot read elements from {}", friendly(other))),
    };
    let index = to_num(a.get(1))
        .ok()
        .and_then(to_int)
        .ok_or_else(|| Stop::Call(format!("invalid index: {WHOLE}")))?;
    if items.is_empty() {
        return call_err("cannot use element function with an empty list");
    }
    let len = items.len() as i64;
    let i = index.rem_euclid(len);
    Ok(items.get(i as usize).cloned().unwrap_or_default())
}

pub(super) fn flatten(a: &Args) -> R {
    match a.get(0) {
        Value::List(_) | Value::Set(_) => {}
        _ => return call_err("can only flatten lists, sets and tuples"),
    }
    let mut out = Vec::new();
    flatten_into(a.get(0), &mut out, 0)?;
    Ok(Value::List(out))
}

fn flatten_into(v: &Value, out: &mut Vec<Value>, depth: usize) -> Result<(), Stop> {
    if depth > MAX_DEPTH {
        return call_err("lists are nested too deeply to flatten");
    }
    if let Value::List(items) | Value::Set(items) = v {
        for x in items {
            match x {
                // An unknown item may itself be a list: the shape of the result is unknown.
                Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
                Value::List(_) | Value::Set(_) => flatten_into(x, out, depth + 1)?,
                other => out.push(other.clone()),
            }
        }
    }
    Ok(())
}

pub(super) fn index(a: &Args) -> R {
    let items = match a.get(0) {
        Value::List(items) => items,
        _ => return call_err("argument must be a list or tuple"),
    };
    if items.is_empty() {
        return call_err("cannot search an empty list");
    }
    for (i, v) in items.iter().enumerate() {
        match equal(v, a.get(1)) {
            Some(true) => return Ok(Value::Number(i as f64)),
            Some(false) => {}
            None => return Err(unknown_of(if v.contains_unknown() { v } else { a.get(1) })),
        }
    }
    call_err("item not found")
}

/// Knows the length of a collection whose items are unknown.
pub(super) fn length(a: &Args) -> R {
    match a.get(0) {
        Value::String(s) => Ok(Value::Number(graphemes::count(s) as f64)),
        Value::List(items) | Value::Set(items) => Ok(Value::Number(items.len() as f64)),
        Value::Map(m) => Ok(Value::Number(m.len() as f64)),
        _ => call_err("argument must be a string, a collection type, or a structural type"),
    }
}

pub(super) fn one(a: &Args) -> R {
    match a.get(0) {
        Value::List(items) | Value::Set(items) if items.len() <= 1 => {
            Ok(items.first().cloned().unwrap_or_default())
        }
        _ => arg_err(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        ),
    }
}

/// Terraform stops at 1024 values; so do we.
pub(super) fn range(a: &Args) -> R {
    let mut p = Vec::with_capacity(3);
    for i in 0..a.len() {
        p.push(a.num(i)?);
    }
    let (start, end, step) = match p[..] {
        [end] => (0.0, end, if end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (start, end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (start, end, step),
        _ => return call_err("must have one, two, or three arguments"),
    };
    if step == 0.0 {
        return arg_err(2, "step must not be zero");
    }
    let down = step < 0.0;
    if down && end > start {
        return arg_err(1, "end must be less than start when step is negative");
    }
    if !down && end < start {
        return arg_err(1, "end must be greater than start when step is positive");
    }
    let mut out = Vec::new();
    for i in 0.. {
        // Multiplying rather than accumulating keeps decimal steps from drifting.
        let n = start + f64::from(i) * step;
        if (down && n <= end) || (!down && n >= end) {
            break;
        }
        if out.len() >= 1024 {
            return call_err(
                "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            );
        }
        out.push(Value::Number(n));
    }
    Ok(Value::List(out))
}

pub(super) fn reverse(a: &Args) -> R {
    match a.get(0) {
        Value::List(items) | Value::Set(items) => {
            Ok(Value::List(items.iter().rev().cloned().collect()))
        }
        other => arg_err(
            0,
            format!(
                "can only reverse list or tuple values, not {}",
                friendly(other)
            ),
        ),
    }
}

pub(super) fn slice(a: &Args) -> R {
    let items = match a.get(0) {
        Value::Set(_) => {
            return arg_err(
                0,
                "cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important",
            );
        }
        Value::List(items) => items,
        _ => return arg_err(0, "must be a list or tuple value"),
    };
    let len = items.len() as i64;
    let start = to_num(a.get(1))
        .ok()
        .and_then(to_int)
        .ok_or_else(|| Stop::Arg(1, format!("invalid start index: {WHOLE}")))?;
    if start < 0 {
        return arg_err(1, "start index must not be less than zero");
    }
    if start > len {
        return arg_err(
            1,
            "start index must not be greater than the length of the list",
        );
    }
    let end = to_num(a.get(2))
        .ok()
        .and_then(to_int)
        .ok_or_else(|| Stop::Arg(2, format!("invalid end index: {WHOLE}")))?;
    if end < 0 {
        return arg_err(2, "end index must not be less than zero");
    }
    if end > len {
        return arg_err(
            2,
            "end index must not be greater than the length of the list",
        );
    }
    if start > end {
        return arg_err(1, "start index must not be greater than end index");
    }
    Ok(Value::List(
        items
            .get(start as usize..end as usize)
            .unwrap_or(&[])
            .to_vec(),
    ))
}

pub(super) fn sort(a: &Args) -> R {
    let items = a.list(0, "list of string")?;
    known(a.get(0))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        if matches!(v, Value::Null) {
            return call_err(format!(
                "given list element {i} is null; a null string cannot be sorted"
            ));
        }
        out.push(to_str(v).map_err(|m| Stop::Arg(0, format!("element {i}: {m}")))?);
    }
    out.sort();
    Ok(Value::List(out.into_iter().map(Value::String).collect()))
}

pub(super) fn sum(a: &Args) -> R {
    let items = match a.get(0) {
        Value::List(items) | Value::Set(items) => items.as_slice(),
        Value::Map(m) if m.is_empty() => &[],
        Value::Map(_) => {
            return arg_err(0, "argument must be list, set, or tuple. Received object");
        }
        _ => return arg_err(0, "cannot sum noniterable"),
    };
    if items.is_empty() {
        return arg_err(0, "cannot sum an empty list");
    }
    known(a.get(0))?;
    let mut total = 0.0;
    for v in items {
        let n = match v {
            Value::Null => None,
            v => to_num(v).ok(),
        };
        let Some(n) = n else {
            return arg_err(0, "argument must be list, set, or tuple of number values");
        };
        total += n;
        if total.is_nan() {
            return call_err("can't compute sum of opposing infinities");
        }
    }
    Ok(Value::Number(total))
}
