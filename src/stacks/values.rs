//! The shapes a var's `values` and `default` take in a form, and the checks a single value
//! goes through: its type, membership in the allowed values, a slider's range.

use super::condition::{Expr, loose_eq};
use serde::Serialize;
use serde_json::Value as Json;

/// A var's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VarType {
    Integer,
    Float,
    String,
    Boolean,
    Array,
    Map,
}

impl VarType {
    pub fn parse(s: &str) -> Option<VarType> {
        Some(match s {
            "integer" => VarType::Integer,
            "float" => VarType::Float,
            "string" => VarType::String,
            "boolean" => VarType::Boolean,
            "array" => VarType::Array,
            "map" => VarType::Map,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VarType::Integer => "integer",
            VarType::Float => "float",
            VarType::String => "string",
            VarType::Boolean => "boolean",
            VarType::Array => "array",
            VarType::Map => "map",
        }
    }

    /// Whether `v` is of this type. An integer is a valid float.
    pub fn accepts(self, v: &Json) -> bool {
        match self {
            VarType::Integer => v.is_i64() || v.is_u64(),
            VarType::Float => v.is_number(),
            VarType::String => v.is_string(),
            VarType::Boolean => v.is_boolean(),
            VarType::Array => v.is_array(),
            VarType::Map => v.is_object(),
        }
    }
}

/// A condition as written, with its parse (absent when it does not parse; that is reported
/// once, when the form is loaded).
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub text: String,
    pub line: usize,
    #[serde(skip)]
    pub expr: Option<Expr>,
}

impl Condition {
    pub fn new(text: &str, line: usize) -> Condition {
        Condition {
            text: text.to_string(),
            line,
            expr: super::condition::parse(text).ok(),
        }
    }
}

/// One entry of a `[{label, value}]` list.
#[derive(Debug, Clone, Serialize)]
pub struct Labeled {
    pub label: String,
    pub value: Json,
}

/// A var's `values`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Values {
    /// A list of scalars to choose from.
    List { items: Vec<Json> },
    /// `[min, max]` of a `slider_range`.
    Range { min: f64, max: f64 },
    /// `[{label, value}]`.
    Labeled { items: Vec<Labeled> },
    /// `{options: [{condition, values}]}`: the first option whose condition holds applies.
    Options { options: Vec<ValuesOption> },
}

#[derive(Debug, Clone, Serialize)]
pub struct ValuesOption {
    pub condition: Condition,
    pub values: Values,
}

/// A var's `default`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum DefaultValue {
    Value {
        value: Json,
    },
    /// `{options: [{condition, default}]}`: the first option whose condition holds applies.
    Options {
        options: Vec<DefaultOption>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct DefaultOption {
    pub condition: Condition,
    pub default: Json,
}

/// `{options: [{condition, ...}, ...]}`: the conditional shape of `values` and `default`.
pub fn as_options(v: &Json) -> Option<&Vec<Json>> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    let opts = o.get("options")?.as_array()?;
    opts.iter()
        .all(|item| {
            item.as_object()
                .is_some_and(|m| m.contains_key("condition"))
        })
        .then_some(opts)
}

/// Reads `values` (`line_of(option index)` gives the line of an option). `slider_range` makes
/// a two-number list a range. Returns an error text for shapes the form cannot mean.
pub fn parse_values(
    v: &Json,
    slider_range: bool,
    line_of: &dyn Fn(usize) -> usize,
) -> Result<Values, String> {
    if let Some(opts) = as_options(v) {
        let mut options = Vec::new();
        for (i, o) in opts.iter().enumerate() {
            let cond = o
                .get("condition")
                .and_then(Json::as_str)
                .unwrap_or_default();
            let inner = o.get("values").unwrap_or(&Json::Null);
            if as_options(inner).is_some() {
                return Err("conditional `values` cannot nest further `options`".into());
            }
            let values = parse_values(inner, slider_range, &|_| line_of(i))?;
            options.push(ValuesOption {
                condition: Condition::new(cond, line_of(i)),
                values,
            });
        }
        return Ok(Values::Options { options });
    }
    let Some(items) = v.as_array() else {
        return Err("`values` must be a list, or `{options: [{condition, values}]}`".into());
    };
    if slider_range {
        return match items.as_slice() {
            [min, max] => match (min.as_f64(), max.as_f64()) {
                (Some(min), Some(max)) if min <= max => Ok(Values::Range { min, max }),
                (Some(min), Some(max)) => Err(format!(
                    "slider_range `values` [{min}, {max}]: the minimum is above the maximum"
                )),
                _ => Err("slider_range `values` must be two numbers, `[min, max]`".into()),
            },
            _ => Err(format!(
                "slider_range `values` must be `[min, max]`, found {} item(s)",
                items.len()
            )),
        };
    }
    let labeled = !items.is_empty()
        && items
            .iter()
            .all(|i| i.get("label").is_some() && i.get("value").is_some());
    if labeled {
        let items = items
            .iter()
            .map(|i| Labeled {
                label: i.get("label").map(text_of).unwrap_or_default(),
                value: i.get("value").cloned().unwrap_or(Json::Null),
            })
            .collect();
        return Ok(Values::Labeled { items });
    }
    Ok(Values::List {
        items: items.clone(),
    })
}

/// Reads `default`: a plain value, or the conditional shape.
pub fn parse_default(v: &Json, line_of: &dyn Fn(usize) -> usize) -> DefaultValue {
    match as_options(v) {
        Some(opts) => DefaultValue::Options {
            options: opts
                .iter()
                .enumerate()
                .map(|(i, o)| DefaultOption {
                    condition: Condition::new(
                        o.get("condition")
                            .and_then(Json::as_str)
                            .unwrap_or_default(),
                        line_of(i),
                    ),
                    default: o.get("default").cloned().unwrap_or(Json::Null),
                })
                .collect(),
        },
        None => DefaultValue::Value { value: v.clone() },
    }
}

/// Whether a value holds a Cycloid runtime interpolation anywhere: `($ .project $)`,
/// `((aws_cred))`, `${field}`. Such values are only known at run time.
pub fn is_opaque(v: &Json) -> bool {
    match v {
        Json::String(s) => {
            (s.contains("($") && s.contains("$)"))
                || (s.contains("((") && s.contains("))"))
                || s.contains("${")
        }
        Json::Array(a) => a.iter().any(is_opaque),
        Json::Object(o) => o
            .iter()
            .any(|(k, v)| is_opaque(&Json::String(k.clone())) || is_opaque(v)),
        _ => false,
    }
}

/// Why a concrete value is not acceptable for a var with these `values` (already narrowed to
/// one option). `None` when it is acceptable.
pub fn check_allowed(value: &Json, values: &Values, ty: Option<VarType>) -> Option<Problem> {
    match values {
        Values::Range { min, max } => {
            let n = value.as_f64()?;
            (n < *min || n > *max).then(|| Problem::OutOfRange {
                found: short(value),
                min: *min,
                max: *max,
            })
        }
        Values::List { items } => not_among(value, items.iter(), ty, || {
            items.iter().map(short).collect()
        }),
        Values::Labeled { items } => not_among(value, items.iter().map(|l| &l.value), ty, || {
            items.iter().map(|l| short(&l.value)).collect()
        }),
        // Narrowed by the caller; an unresolved option set is not checkable.
        Values::Options { .. } => None,
    }
}

fn not_among<'a>(
    value: &Json,
    allowed: impl Iterator<Item = &'a Json> + Clone,
    ty: Option<VarType>,
    show: impl Fn() -> Vec<String>,
) -> Option<Problem> {
    let contains = |v: &Json| {
        allowed
            .clone()
            .any(|a| a == v || (a.is_number() && v.is_number() && loose_eq(a, v)))
    };
    // An array var with a list of values is a multi-select: each element must be allowed.
    if let (Some(VarType::Array), Json::Array(elems)) = (ty, value) {
        if !contains(value) {
            let bad: Vec<String> = elems.iter().filter(|e| !contains(e)).map(short).collect();
            if !bad.is_empty() {
                return Some(Problem::NotAllowed {
                    found: bad.join(", "),
                    allowed: show(),
                });
            }
        }
        return None;
    }
    (!contains(value)).then(|| Problem::NotAllowed {
        found: short(value),
        allowed: show(),
    })
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    NotAllowed { found: String, allowed: Vec<String> },
    OutOfRange { found: String, min: f64, max: f64 },
}

impl Problem {
    pub fn describe(&self) -> String {
        match self {
            Problem::NotAllowed { found, allowed } => {
                let mut list = allowed
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if allowed.len() > 12 {
                    list.push_str(&format!(", … ({} in all)", allowed.len()));
                }
                format!("{found} is not one of the allowed values: {list}")
            }
            Problem::OutOfRange { found, min, max } => {
                format!("{found} is outside the slider range [{min}, {max}]")
            }
        }
    }
}

/// A value as a user would read it: strings quoted, long values cut.
pub fn short(v: &Json) -> String {
    let mut s = v.to_string();
    if s.chars().count() > 60 {
        s = s.chars().take(57).collect();
        s.push('…');
    }
    s
}

/// What kind of value was found, for type errors: "the string \"3\"", "a list".
pub fn describe(v: &Json) -> String {
    match v {
        Json::Null => "nothing (null)".into(),
        Json::Bool(b) => format!("the boolean {b}"),
        Json::Number(n) if n.is_f64() => format!("the float {n}"),
        Json::Number(n) => format!("the integer {n}"),
        Json::String(_) => format!("the string {}", short(v)),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "a mapping".into(),
    }
}

fn text_of(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| {
            let d = if c.to_lowercase() == lower {
                0
            } else {
                edit_distance(word, c)
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(_: usize) -> usize {
        1
    }

    #[test]
    fn types_accept_what_they_should() {
        assert!(VarType::Float.accepts(&json!(3)));
        assert!(VarType::Float.accepts(&json!(3.5)));
        assert!(!VarType::Integer.accepts(&json!(3.5)));
        assert!(!VarType::Integer.accepts(&json!("3")));
        assert!(VarType::Map.accepts(&json!({"a": 1})));
        assert!(!VarType::Array.accepts(&json!({"a": 1})));
        assert!(!VarType::String.accepts(&json!(1.27)));
        assert_eq!(VarType::parse("bool"), None);
    }

    #[test]
    fn the_four_shapes_of_values() {
        let list = parse_values(&json!(["a", "b"]), false, &line).unwrap();
        assert!(matches!(list, Values::List { ref items } if items.len() == 2));
        assert_eq!(
            check_allowed(&json!("a"), &list, Some(VarType::String)),
            None
        );
        let p = check_allowed(&json!("c"), &list, Some(VarType::String)).unwrap();
        assert!(
            p.describe()
                .contains("\"c\" is not one of the allowed values: \"a\", \"b\""),
            "{p:?}"
        );

        let range = parse_values(&json!([1, 10]), true, &line).unwrap();
        assert_eq!(check_allowed(&json!(10), &range, None), None);
        let p = check_allowed(&json!(11), &range, None).unwrap();
        assert_eq!(p.describe(), "11 is outside the slider range [1, 10]");
        assert!(parse_values(&json!([10, 1]), true, &line).is_err());
        assert!(parse_values(&json!([1, 2, 3]), true, &line).is_err());
        assert!(parse_values(&json!(["a", "b"]), true, &line).is_err());

        let labeled = parse_values(&json!([{"label": "Small", "value": "t3.small"}, {"label": "Big", "value": "m5.large"}]), false, &line).unwrap();
        assert!(matches!(labeled, Values::Labeled { .. }));
        assert_eq!(check_allowed(&json!("m5.large"), &labeled, None), None);
        assert!(check_allowed(&json!("Big"), &labeled, None).is_some());

        let opts = parse_values(
            &json!({"options": [{"condition": "$c == 'aws'", "values": ["x"]}]}),
            false,
            &line,
        )
        .unwrap();
        let Values::Options { options } = opts else {
            panic!("not options")
        };
        assert!(options[0].condition.expr.is_some());
        assert!(matches!(options[0].values, Values::List { .. }));
        assert!(parse_values(&json!("nope"), false, &line).is_err());
    }

    #[test]
    fn multi_select_arrays_check_each_element() {
        let list = parse_values(&json!(["a", "b", "c"]), false, &line).unwrap();
        assert_eq!(
            check_allowed(&json!(["a", "c"]), &list, Some(VarType::Array)),
            None
        );
        let p = check_allowed(&json!(["a", "z"]), &list, Some(VarType::Array)).unwrap();
        assert!(p.describe().starts_with("\"z\""), "{p:?}");
    }

    #[test]
    fn numbers_compare_by_value() {
        let list = parse_values(&json!([1, 2.5]), false, &line).unwrap();
        assert_eq!(
            check_allowed(&json!(1.0), &list, Some(VarType::Float)),
            None
        );
        assert!(check_allowed(&json!("1"), &list, Some(VarType::Float)).is_some());
    }

    #[test]
    fn conditional_defaults() {
        let d = parse_default(
            &json!({"options": [{"condition": "$a == 'x'", "default": 3}]}),
            &line,
        );
        assert!(
            matches!(d, DefaultValue::Options { ref options } if options[0].default == json!(3))
        );
        // A map default that merely has an `options` key is a plain value.
        let d = parse_default(&json!({"options": "x"}), &line);
        assert!(matches!(d, DefaultValue::Value { .. }));
    }

    #[test]
    fn interpolations_are_opaque() {
        assert!(is_opaque(&json!("($ .project $)-db")));
        assert!(is_opaque(&json!("((aws_cred))")));
        assert!(is_opaque(&json!(["a", "${field}"])));
        assert!(!is_opaque(&json!("plain (text)")));
        assert!(!is_opaque(&json!(3)));
    }

    #[test]
    fn did_you_mean() {
        let keys = ["aws_region", "instance_type", "module.db.instance_class"];
        assert_eq!(closest("aws_regoin", keys), Some("aws_region"));
        assert_eq!(closest("AWS_REGION", keys), Some("aws_region"));
        assert_eq!(
            closest("module.db.instance_clas", keys),
            Some("module.db.instance_class")
        );
        assert_eq!(closest("completely_else", keys), None);
        assert_eq!(closest("ab", ["xy"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
