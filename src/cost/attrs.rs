//! Reading the attributes that decide a price, keeping "not set" apart from "unknown".

use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

/// An attribute as pricing sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    Value(T),
    /// Not set (or null): the provider's default applies.
    Absent,
    /// Set, but unknown until apply (why), or of the wrong type.
    Unknown(String),
}

impl<T> Known<T> {
    /// The value, or `default` when absent; unknown stays unknown.
    pub fn or(self, default: T) -> Result<T, String> {
        match self {
            Known::Value(v) => Ok(v),
            Known::Absent => Ok(default),
            Known::Unknown(why) => Err(why),
        }
    }
}

/// The value at a path of names and list indexes (`["root_block_device", "0", "volume_size"]`).
pub fn at<'a>(r: &'a Resource, path: &[&str]) -> Option<&'a Value> {
    let mut v = &r.attributes;
    for seg in path {
        v = match v {
            Value::Map(m) => m.get(*seg)?,
            Value::List(items) | Value::Set(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

fn classify<'a, T>(
    r: &'a Resource,
    path: &[&str],
    what: &str,
    get: impl Fn(&'a Value) -> Option<T>,
) -> Known<T> {
    match at(r, path) {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::Unknown(u)) => Known::Unknown(u.reason.to_string()),
        Some(v) => match get(v) {
            Some(x) => Known::Value(x),
            None => Known::Unknown(format!(
                "`{}` is {}, not {what}",
                path.join("."),
                v.type_name()
            )),
        },
    }
}

pub fn text<'a>(r: &'a Resource, path: &[&str]) -> Known<&'a str> {
    classify(r, path, "a string", Value::as_str)
}

pub fn number(r: &Resource, path: &[&str]) -> Known<f64> {
    classify(r, path, "a number", |v| match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

pub fn boolean(r: &Resource, path: &[&str]) -> Known<bool> {
    classify(r, path, "a bool", |v| match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// The blocks of a nested block type (`ebs_block_device`): each is a map.
pub fn blocks<'a>(r: &'a Resource, name: &str) -> Vec<&'a Value> {
    match r.attr(name) {
        Some(Value::List(items)) | Some(Value::Set(items)) => {
            items.iter().filter(|v| v.as_map().is_some()).collect()
        }
        Some(v @ Value::Map(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// A field of one block.
pub fn field<'a>(block: &'a Value, name: &str) -> Option<&'a Value> {
    block
        .as_map()
        .and_then(|m| m.get(name))
        .filter(|v| !matches!(v, Value::Null))
}
