//! Type conversion functions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`,
//! and the sensitivity markers, which stackgate does not track.

use super::args::{Args, R, arg_err, friendly, go_quote, parse_number, unify};
use crate::terraform::value::{Value, format_number};

pub(super) fn tostring(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(Value::String(s.clone())),
        Value::Number(n) => Ok(Value::String(format_number(*n))),
        Value::Bool(b) => Ok(Value::String(b.to_string())),
        other => arg_err(0, format!("cannot convert {} to string", friendly(other))),
    }
}

pub(super) fn tonumber(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::String(s) => match parse_number(s) {
            Some(n) => Ok(Value::Number(n)),
            None => arg_err(
                0,
                format!(
                    "cannot convert {} to number; given string must be a decimal representation of a number",
                    go_quote(s)
                ),
            ),
        },
        other => arg_err(0, format!("cannot convert {} to number", friendly(other))),
    }
}

pub(super) fn tobool(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::String(s) if s == "true" || s == "1" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" || s == "0" => Ok(Value::Bool(false)),
        Value::String(s) => arg_err(
            0,
            format!(
                "cannot convert {} to bool; only the strings \"true\" or \"false\" are allowed",
                go_quote(s)
            ),
        ),
        other => arg_err(0, format!("cannot convert {} to bool", friendly(other))),
    }
}

/// Keeps unknown elements.
pub(super) fn tolist(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) | Value::Set(items) => unify(items.clone())
            .map(Value::List)
            .or_else(|_| arg_err(0, "cannot convert tuple to list of any single type")),
        other => arg_err(
            0,
            format!(
                "cannot convert {} to list of any single type",
                friendly(other)
            ),
        ),
    }
}

pub(super) fn toset(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) | Value::Set(items) => unify(items.clone())
            .map(Value::set)
            .or_else(|_| arg_err(0, "cannot convert tuple to set of any single type")),
        other => arg_err(
            0,
            format!(
                "cannot convert {} to set of any single type",
                friendly(other)
            ),
        ),
    }
}

pub(super) fn tomap(a: &Args) -> R {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::Map(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            match unify(m.values().cloned().collect()) {
                Ok(vals) => Ok(Value::Map(keys.into_iter().zip(vals).collect())),
                Err(_) => arg_err(0, "cannot convert object to map of any single type"),
            }
        }
        other => arg_err(
            0,
            format!(
                "cannot convert {} to map of any single type",
                friendly(other)
            ),
        ),
    }
}

/// `sensitive`, `nonsensitive`, `ephemeralasnull`: stackgate keeps no marks.
pub(super) fn identity(a: &Args) -> R {
    Ok(a.get(0).clone())
}

pub(super) fn issensitive(_: &Args) -> R {
    Ok(Value::Bool(false))
}
