//! Reading the attributes that decide a price, keeping "not set" apart from "unknown". Every
//! family reads through these, so an unknown value is reported the same way everywhere:
//! "`os_disk[0].disk_size_gb` is unknown: variable `size` has no value".

use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

/// An attribute as pricing sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    Value(T),
    /// Not set (or null): the provider's default applies.
    Absent,
    /// Set, but unknown until apply, or of the wrong type: why, naming the attribute.
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

    /// `Ok(None)` when absent.
    pub fn optional(self) -> Result<Option<T>, String> {
        match self {
            Known::Value(v) => Ok(Some(v)),
            Known::Absent => Ok(None),
            Known::Unknown(why) => Err(why),
        }
    }
}

/// The raw value at a path of names and list indexes (`["alias", "0", "name"]`), unknown
/// values included; `None` when the path does not exist.
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

/// The value at a path of block and attribute names. An unknown block on the way makes the
/// value unknown (a `dynamic` block over an unknown collection), and a single block written as
/// an object is read as block 0.
pub fn get<'a>(r: &'a Resource, path: &[&str]) -> Known<&'a Value> {
    let mut v = &r.attributes;
    for seg in path {
        v = match v {
            Value::Unknown(u) => return Known::Unknown(unknown_at(path, &u.reason)),
            Value::Map(m) => match m.get(*seg) {
                Some(x) => x,
                None if *seg == "0" => continue,
                None => return Known::Absent,
            },
            Value::List(items) | Value::Set(items) => {
                match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(x) => x,
                    None => return Known::Absent,
                }
            }
            _ => return Known::Absent,
        };
    }
    match v {
        Value::Null => Known::Absent,
        Value::Unknown(u) => Known::Unknown(unknown_at(path, &u.reason)),
        v => Known::Value(v),
    }
}

/// A path under a prefix: `["default_node_pool", "0"]` + `["vm_size"]`.
pub fn join<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    prefix.iter().chain(rest).copied().collect()
}

/// "`os_disk[0].disk_size_gb` is unknown: variable `size` has no value".
fn unknown_at(path: &[&str], reason: &str) -> String {
    format!("`{}` is unknown: {reason}", show_path(path))
}

/// A path the way it is written in Terraform: `os_disk[0].disk_size_gb`.
pub fn show_path(path: &[&str]) -> String {
    let mut out = String::new();
    for seg in path {
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

fn wrong_type(path: &[&str], v: &Value, what: &str) -> String {
    format!("`{}` is {}, not {what}", show_path(path), v.type_name())
}

fn typed<'a, T>(
    r: &'a Resource,
    path: &[&str],
    what: &str,
    convert: impl Fn(&'a Value) -> Option<T>,
) -> Known<T> {
    match get(r, path) {
        Known::Value(v) => match convert(v) {
            Some(x) => Known::Value(x),
            None => Known::Unknown(wrong_type(path, v, what)),
        },
        Known::Absent => Known::Absent,
        Known::Unknown(why) => Known::Unknown(why),
    }
}

pub fn text<'a>(r: &'a Resource, path: &[&str]) -> Known<&'a str> {
    typed(r, path, "a string", Value::as_str)
}

/// Numbers written as strings count too, as Terraform converts them.
pub fn number(r: &Resource, path: &[&str]) -> Known<f64> {
    typed(r, path, "a number", |v| match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

pub fn boolean(r: &Resource, path: &[&str]) -> Known<bool> {
    typed(r, path, "a bool", |v| match v {
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

/// How many blocks of `name` the resource has; unknown when the blocks are.
pub fn block_count(r: &Resource, name: &str) -> Known<usize> {
    match r.attr(name) {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::Unknown(u)) => Known::Unknown(unknown_at(&[name], &u.reason)),
        Some(Value::List(items)) | Some(Value::Set(items)) => Known::Value(items.len()),
        Some(Value::Map(_)) => Known::Value(1),
        Some(v) => Known::Unknown(wrong_type(&[name], v, "a block")),
    }
}

/// A field of one block.
pub fn field<'a>(block: &'a Value, name: &str) -> Option<&'a Value> {
    block
        .as_map()
        .and_then(|m| m.get(name))
        .filter(|v| !matches!(v, Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::test_support::resource;
    use serde_json::json;

    #[test]
    fn paths_see_unknown_blocks_and_single_objects() {
        let r = resource(
            "x",
            "eastus",
            json!({"os_disk": "(unknown) dynamic block", "b": {"size": 3}, "c": [{"size": 4}]}),
        );
        assert!(
            matches!(number(&r, &["os_disk", "0", "size"]), Known::Unknown(w) if w.starts_with("`os_disk[0].size` is unknown"))
        );
        assert_eq!(number(&r, &["b", "0", "size"]), Known::Value(3.0));
        assert_eq!(number(&r, &["c", "0", "size"]), Known::Value(4.0));
        assert_eq!(number(&r, &["c", "1", "size"]), Known::Absent);
        assert_eq!(block_count(&r, "c"), Known::Value(1));
        assert_eq!(block_count(&r, "d"), Known::Absent);
    }
}
