//! Comparing and showing the JSON values rules look at. Catalog YAML quotes inconsistently
//! (`"3"` in an annotation, `3` in a spec), so scalars compare by meaning, not by JSON type.

use serde_json::Value as Json;
use std::fmt::{self, Write as _};

/// `a list`, `a number`... for messages.
pub(super) fn kind(v: &Json) -> &'static str {
    crate::policy::fields::kind(v)
}

/// Equality where a string equals the number or boolean it spells (`"3"` = `3`, `"true"` =
/// `true`); lists and mappings compare item by item with the same rule.
pub(super) fn loose_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::String(s), Json::Number(n)) | (Json::Number(n), Json::String(s)) => {
            s.trim().parse::<f64>().ok() == n.as_f64()
        }
        (Json::String(s), Json::Bool(v)) | (Json::Bool(v), Json::String(s)) => {
            s.trim() == if *v { "true" } else { "false" }
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| loose_eq(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| loose_eq(a, b)))
        }
        _ => a == b,
    }
}

/// A number, or a string that spells one (annotations are always strings).
pub(super) fn as_number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// The text of a scalar: strings as they are, numbers and booleans as written.
pub(super) fn as_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a value has nothing in it: null, blank text, an empty list or mapping.
pub(super) fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        Json::Bool(_) | Json::Number(_) => false,
    }
}

const SHOWN: usize = 60;

/// A value for a message: `'text'`, `3`, `true`, a short list as JSON, else its size.
pub(super) fn show(v: &Json) -> String {
    Shown(v).to_string()
}

/// [`show`] without an intermediate string, for `format!`: messages are written for every
/// rule of every entity.
pub(super) struct Shown<'a>(pub &'a Json);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Json::String(s) => {
                // One line of at most SHOWN characters.
                f.write_char('\'')?;
                let long = s.chars().nth(SHOWN).is_some();
                let keep = if long { SHOWN - 1 } else { SHOWN };
                for c in s.chars().take(keep) {
                    f.write_char(if c == '\n' || c == '\r' { ' ' } else { c })?;
                }
                if long {
                    f.write_char('…')?;
                }
                f.write_char('\'')
            }
            Json::Number(n) => write!(f, "{n}"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Null => f.write_str("null"),
            Json::Array(a) => {
                let text = self.0.to_string();
                if text.chars().count() <= SHOWN {
                    f.write_str(&text)
                } else {
                    write!(f, "a list of {} items", a.len())
                }
            }
            Json::Object(o) => {
                let text = self.0.to_string();
                if text.chars().count() <= SHOWN {
                    f.write_str(&text)
                } else {
                    write!(f, "a mapping of {} keys", o.len())
                }
            }
        }
    }
}

/// Up to three values, `'a', 'b', 'c' and 2 more`.
pub(super) fn show_list<'a>(values: impl ExactSizeIterator<Item = &'a Json>) -> String {
    let n = values.len();
    let shown: Vec<String> = values.take(3).map(show).collect();
    let mut out = shown.join(", ");
    if n > 3 {
        out.push_str(&format!(" and {} more", n - 3));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_compare_by_meaning() {
        assert!(loose_eq(&json!("3"), &json!(3)));
        assert!(loose_eq(&json!(3.0), &json!(3)));
        assert!(loose_eq(&json!(false), &json!("false")));
        assert!(!loose_eq(&json!("three"), &json!(3)));
        assert!(!loose_eq(&json!("1"), &json!(true)));
        assert!(loose_eq(&json!(["a", 1]), &json!(["a", "1"])));
        assert!(!loose_eq(&json!(["a"]), &json!(["a", "b"])));
        assert!(loose_eq(&json!({"a": 1}), &json!({"a": "1"})));
        assert!(!loose_eq(&json!({"a": 1}), &json!({"b": 1})));
        assert!(loose_eq(&json!(null), &json!(null)));
    }

    #[test]
    fn numbers_texts_and_emptiness() {
        assert_eq!(as_number(&json!(" 2.5 ")), Some(2.5));
        assert_eq!(as_number(&json!("NaN")), None);
        assert_eq!(as_number(&json!(true)), None);
        assert_eq!(as_text(&json!(1.5)).as_deref(), Some("1.5"));
        assert_eq!(as_text(&json!([])), None);
        assert!(is_empty(&json!("  ")) && is_empty(&json!({})) && !is_empty(&json!(0)));
    }

    #[test]
    fn values_are_shown_briefly() {
        assert_eq!(show(&json!("a\nb")), "'a b'");
        assert_eq!(show(&json!(["x"])), r#"["x"]"#);
        assert_eq!(show(&json!(vec!["long value"; 10])), "a list of 10 items");
        let long = "x".repeat(100);
        assert_eq!(show(&json!(long)).chars().count(), 62);
        let values = [json!(1), json!(2), json!(3), json!(4), json!(5)];
        assert_eq!(show_list(values.iter()), "1, 2, 3 and 2 more");
        assert_eq!(show_list(values[..2].iter()), "1, 2");
    }
}
