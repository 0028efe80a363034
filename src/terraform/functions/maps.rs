//! Map functions: `keys`, `values`, `lookup`, `merge`, `zipmap`, `transpose`, `matchkeys`.

use super::args::{Args, R, Stop, arg_err, call_err, friendly, go_quote, known, to_str, unify};
use super::collection::equal;
use crate::terraform::value::Value;
use std::collections::BTreeMap;

pub(super) fn keys(a: &Args) -> R {
    match a.get(0) {
        Value::Map(m) => Ok(Value::List(m.keys().map(Value::string).collect())),
        _ => arg_err(0, "must have map or object type"),
    }
}

/// Known when the key is present, even if other entries are unknown.
pub(super) fn lookup(a: &Args) -> R {
    let map = match a.get(0) {
        Value::Map(m) => m,
        Value::Unknown(u) => return Err(Stop::Unknown(u.clone())),
        Value::Null => return arg_err(0, "argument must not be null"),
        _ => return arg_err(0, "lookup() requires a map as the first argument"),
    };
    let key = a.str(1)?;
    if let Some(v) = map.get(&key) {
        return Ok(v.clone());
    }
    if a.len() == 3 {
        return Ok(a.get(2).clone());
    }
    call_err(format!("lookup failed to find key {}", go_quote(&key)))
}

pub(super) fn matchkeys(a: &Args) -> R {
    let values = a.list(0, "list of any single type")?.to_vec();
    let keys = a.list(1, "list of any single type")?;
    let search = a.list(2, "list of any single type")?;
    if values.len() != keys.len() {
        return call_err("length of keys and values should be equal");
    }
    // Keys and search set are compared after being brought to one type.
    let mut both = keys.to_vec();
    both.extend(search.iter().cloned());
    let both = unify(both)
        .map_err(|_| Stop::Call("keys and searchset must be of the same type".into()))?;
    let (keys, search) = both.split_at(keys.len());
    if search.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    known(a.get(0))?;
    known(a.get(1))?;
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        for s in search {
            match equal(k, s) {
                None => return Ok(Value::List(Vec::new())),
                Some(true) => {
                    out.push(values.get(i).cloned().unwrap_or_default());
                    break;
                }
                Some(false) => {}
            }
        }
    }
    Ok(Value::List(out))
}

/// Keeps unknown entries: only the keys need to be known.
pub(super) fn merge(a: &Args) -> R {
    let mut out = BTreeMap::new();
    for v in a.vals {
        match v {
            Value::Null => {}
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => {
                return call_err(format!(
                    "arguments must be maps or objects, got \"{}\"",
                    friendly(other)
                ));
            }
        }
    }
    Ok(Value::Map(out))
}

pub(super) fn transpose(a: &Args) -> R {
    let Value::Map(m) = a.get(0) else {
        return arg_err(0, "map of list of string required");
    };
    known(a.get(0))?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, list) in m {
        let items = match list {
            Value::Null => return call_err("input must not contain null list"),
            Value::List(items) | Value::Set(items) => items,
            _ => {
                return arg_err(
                    0,
                    format!("element {}: list of string required", go_quote(k)),
                );
            }
        };
        for v in items {
            let s = match v {
                Value::Null => return call_err("input list must not contain null string"),
                v => to_str(v)
                    .map_err(|_| Stop::Call("input must be a map of lists of strings".into()))?,
            };
            let keys = out.entry(s).or_default();
            keys.push(k.clone());
            keys.sort();
        }
    }
    Ok(Value::Map(
        out.into_iter()
            .map(|(k, v)| (k, Value::List(v.into_iter().map(Value::String).collect())))
            .collect(),
    ))
}

pub(super) fn values(a: &Args) -> R {
    match a.get(0) {
        Value::Map(m) => Ok(Value::List(m.values().cloned().collect())),
        _ => call_err("values() requires a map as the first argument"),
    }
}

pub(super) fn zipmap(a: &Args) -> R {
    let keys = a.list(0, "list of string")?;
    let values = match a.get(1) {
        Value::List(items) => items,
        _ => return call_err("values argument must be a list or tuple value"),
    };
    known(a.get(0))?;
    if keys.len() != values.len() {
        return call_err(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        ));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        if matches!(k, Value::Null) {
            return call_err(format!("keys list has null value at index {i}"));
        }
        let k = to_str(k).map_err(|m| Stop::Arg(0, format!("element {i}: {m}")))?;
        out.insert(k, v.clone());
    }
    Ok(Value::Map(out))
}
