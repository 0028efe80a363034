//! Data to template values. minijinja is built without its `serde` feature, so data goes
//! through `serde_json::Value` (field names as in `data.rs`, `None` as `none`).

use minijinja::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// `data` as a template value; a value serde cannot represent becomes `none` (the site's
/// data has none: maps are keyed by strings, and non-finite floats become `none` too).
pub fn to_value<T: Serialize + ?Sized>(data: &T) -> Value {
    match serde_json::to_value(data) {
        Ok(json) => from_json(&json),
        Err(_) => Value::from(()),
    }
}

pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => items.iter().map(from_json).collect(),
        serde_json::Value::Object(map) => {
            let map: BTreeMap<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect();
            Value::from(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        name: String,
        cost: Option<f64>,
        count: usize,
        pairs: Vec<(String, String)>,
    }

    #[test]
    fn converts_structs() {
        let v = to_value(&Sample {
            name: "<x>".into(),
            cost: Some(1.5),
            count: 3,
            pairs: vec![("k".into(), "v".into())],
        });
        let env = minijinja::Environment::new();
        let out = env
            .render_str(
                "{{ s.name }} {{ s.cost }} {{ s.count }} {% for k, v in s.pairs %}{{ k }}={{ v }}{% endfor %}",
                minijinja::context! { s => v },
            )
            .unwrap();
        assert_eq!(out, "<x> 1.5 3 k=v");
        let none = to_value(&Option::<f64>::None);
        assert!(none.is_none());
        assert!(to_value(&f64::NAN).is_none());
    }
}
