//! The operators of a check (`exists`, `eq`, `gt`, `matches`...) and what they make of the
//! value a path or a fact yields, with the words of the rule's message.

use super::value::{Shown, as_number, as_text, is_empty, loose_eq, show};
use serde_json::Value as Json;

/// The names an `op` may have, for validation and messages.
pub const OP_NAMES: &[&str] = &[
    "exists",
    "absent",
    "not_exists",
    "not_empty",
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "matches",
    "contains",
];

#[derive(Debug, Clone)]
pub enum Op {
    Exists,
    Absent,
    NotEmpty,
    Eq(Json),
    Ne(Json),
    Cmp(Cmp, f64),
    In(Vec<Json>),
    Matches(regex::Regex),
    Contains(Json),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// A problem with an op or its value, and which of the two keys it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    pub key: &'static str,
    pub message: String,
}

/// What a path or fact yielded, as the operators see it.
pub enum Found<'a> {
    One(&'a Json),
    /// The values a filter matched (at least one), and how to say so.
    Many(Vec<&'a Json>, String),
    /// Nothing, and why in words (`spec.owner is missing`).
    Missing(String),
}

impl Op {
    pub fn parse(name: &str, value: Option<&Json>) -> Result<Op, OpError> {
        let needs = |what: &str| OpError {
            key: "value",
            message: format!("`{name}` needs a `value`: {what}"),
        };
        let wrong = |what: &str| OpError {
            key: "value",
            message: format!("the `value` of `{name}` must be {what}"),
        };
        match name {
            "exists" | "absent" | "not_exists" | "not_empty" => {
                if value.is_some() {
                    return Err(OpError {
                        key: "value",
                        message: format!("`{name}` takes no `value`; remove it or use `eq`"),
                    });
                }
                Ok(match name {
                    "exists" => Op::Exists,
                    "not_empty" => Op::NotEmpty,
                    _ => Op::Absent,
                })
            }
            "eq" | "ne" | "contains" => {
                let v = value
                    .cloned()
                    .ok_or_else(|| needs("the value to compare with"))?;
                Ok(match name {
                    "eq" => Op::Eq(v),
                    "ne" => Op::Ne(v),
                    _ => Op::Contains(v),
                })
            }
            "gt" | "gte" | "lt" | "lte" => {
                let v = value.ok_or_else(|| needs("a number"))?;
                let n = v
                    .as_f64()
                    .filter(|_| v.is_number())
                    .ok_or_else(|| wrong("a number"))?;
                let cmp = match name {
                    "gt" => Cmp::Gt,
                    "gte" => Cmp::Gte,
                    "lt" => Cmp::Lt,
                    _ => Cmp::Lte,
                };
                Ok(Op::Cmp(cmp, n))
            }
            "in" => match value {
                None => Err(needs("a list of allowed values")),
                Some(Json::Array(items)) if !items.is_empty() => Ok(Op::In(items.clone())),
                Some(Json::Array(_)) => Err(wrong("a non-empty list")),
                Some(_) => Err(wrong("a list (`[a, b]`)")),
            },
            "matches" => {
                let pattern = match value {
                    None => return Err(needs("a regular expression")),
                    Some(Json::String(s)) => s,
                    Some(_) => return Err(wrong("a regular expression, as text")),
                };
                regex::RegexBuilder::new(pattern)
                    .size_limit(1 << 20)
                    .build()
                    .map(Op::Matches)
                    .map_err(|e| OpError {
                        key: "value",
                        message: format!("invalid regular expression: {e}"),
                    })
            }
            _ => {
                let hint = crate::stacks::closest(name, OP_NAMES.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                Err(OpError {
                    key: "op",
                    message: format!("unknown op `{name}`{hint}; one of: {}", OP_NAMES.join(", ")),
                })
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Op::Exists => "exists",
            Op::Absent => "absent",
            Op::NotEmpty => "not_empty",
            Op::Eq(_) => "eq",
            Op::Ne(_) => "ne",
            Op::Cmp(Cmp::Gt, _) => "gt",
            Op::Cmp(Cmp::Gte, _) => "gte",
            Op::Cmp(Cmp::Lt, _) => "lt",
            Op::Cmp(Cmp::Lte, _) => "lte",
            Op::In(_) => "in",
            Op::Matches(_) => "matches",
            Op::Contains(_) => "contains",
        }
    }

    /// The rule's value, for load-time checks against a fact's type.
    pub fn values(&self) -> Vec<&Json> {
        match self {
            Op::Eq(v) | Op::Ne(v) | Op::Contains(v) => vec![v],
            Op::In(items) => items.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// What a passing value looks like, after "expected".
    fn expectation(&self) -> String {
        match self {
            Op::Exists | Op::NotEmpty => "a value".to_string(),
            Op::Absent => "nothing".to_string(),
            Op::Eq(v) => show(v),
            Op::Ne(v) => format!("anything but {}", show(v)),
            Op::Cmp(c, n) => {
                let sign = match c {
                    Cmp::Gt => ">",
                    Cmp::Gte => ">=",
                    Cmp::Lt => "<",
                    Cmp::Lte => "<=",
                };
                format!(
                    "{sign} {}",
                    super::facts::number(*n).map_or(n.to_string(), |v| v.to_string())
                )
            }
            Op::In(items) => format!(
                "one of {}",
                items.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            Op::Matches(re) => format!("text matching /{}/", re.as_str()),
            Op::Contains(v) => format!("a value containing {}", show(v)),
        }
    }

    /// Whether one value passes; `Err` with what the op needs when the value's type cannot.
    fn test(&self, v: &Json) -> Result<bool, &'static str> {
        match self {
            Op::Exists => Ok(true),
            Op::Absent => Ok(false),
            Op::NotEmpty => Ok(!is_empty(v)),
            Op::Eq(x) => Ok(loose_eq(v, x)),
            Op::Ne(x) => Ok(!loose_eq(v, x)),
            Op::In(items) => Ok(items.iter().any(|x| loose_eq(v, x))),
            Op::Cmp(c, n) => {
                let x = as_number(v).ok_or("compares numbers")?;
                Ok(match c {
                    Cmp::Gt => x > *n,
                    Cmp::Gte => x >= *n,
                    Cmp::Lt => x < *n,
                    Cmp::Lte => x <= *n,
                })
            }
            Op::Matches(re) => as_text(v).map(|t| re.is_match(&t)).ok_or("needs text"),
            Op::Contains(x) => match v {
                Json::Array(items) => Ok(items.iter().any(|i| loose_eq(i, x))),
                Json::String(s) => Ok(as_text(x).is_some_and(|t| s.contains(&t))),
                _ => Err("needs a list or text"),
            },
        }
    }

    /// Whether the rule passes, and what was found in words. `subject` names what was looked at
    /// (the path or the fact).
    ///
    /// With several values (a filter): `exists` and `not_empty` hold when there is at least
    /// one, `absent` when there is none, and every other op must hold for each value.
    pub fn apply(&self, subject: &str, found: &Found) -> (bool, String) {
        match (self, found) {
            (Op::Exists, Found::Missing(why)) => (false, why.clone()),
            (Op::Absent, Found::Missing(why)) => (true, why.clone()),
            (Op::Ne(_), Found::Missing(why)) => (true, why.clone()),
            (_, Found::Missing(why)) => (false, format!("{why}, expected {}", self.expectation())),
            (Op::Exists | Op::NotEmpty, Found::Many(_, said)) => (true, said.clone()),
            (Op::Absent, Found::Many(_, said)) => (false, said.clone()),
            (Op::Absent, Found::One(v)) => (false, format!("{subject} is present: {}", Shown(v))),
            (Op::NotEmpty, Found::One(v)) if is_empty(v) => (false, format!("{subject} is empty")),
            (_, Found::One(v)) => self.judge(subject, v, "is"),
            (_, Found::Many(values, said)) => {
                for v in values {
                    let (ok, message) = self.judge(subject, v, "has");
                    if !ok {
                        return (false, message);
                    }
                }
                (true, said.clone())
            }
        }
    }

    fn judge(&self, subject: &str, v: &Json, verb: &str) -> (bool, String) {
        match self.test(v) {
            Ok(true) => (true, format!("{subject} {verb} {}", Shown(v))),
            Ok(false) => (
                false,
                format!(
                    "{subject} {verb} {}, expected {}",
                    Shown(v),
                    self.expectation()
                ),
            ),
            Err(needs) => (
                false,
                format!(
                    "{subject} {verb} {} ({}), but `{}` {needs}",
                    Shown(v),
                    super::value::kind(v),
                    self.name()
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(name: &str, value: Option<Json>) -> Op {
        Op::parse(name, value.as_ref()).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    fn one(o: &Op, v: Json) -> (bool, String) {
        o.apply("spec.x", &Found::One(&v))
    }

    fn missing(o: &Op) -> (bool, String) {
        o.apply("spec.x", &Found::Missing("spec.x is missing".into()))
    }

    #[test]
    fn parse_checks_values() {
        assert_eq!(
            Op::parse("exists", Some(&json!(true))).unwrap_err().key,
            "value"
        );
        assert!(
            Op::parse("eq", None)
                .unwrap_err()
                .message
                .contains("needs a `value`")
        );
        assert!(
            Op::parse("gt", Some(&json!("3")))
                .unwrap_err()
                .message
                .contains("number")
        );
        assert!(
            Op::parse("in", Some(&json!("a")))
                .unwrap_err()
                .message
                .contains("list")
        );
        assert!(Op::parse("in", Some(&json!([]))).is_err());
        assert!(
            Op::parse("matches", Some(&json!("(")))
                .unwrap_err()
                .message
                .contains("invalid regular expression")
        );
        let e = Op::parse("equals", None).unwrap_err();
        assert_eq!(e.key, "op");
        assert!(e.message.contains("unknown op `equals`"), "{}", e.message);
        let e = Op::parse("exist", None).unwrap_err();
        assert!(e.message.contains("did you mean `exists`"), "{}", e.message);
        assert_eq!(op("not_exists", None).name(), "absent");
        for name in OP_NAMES {
            let value = match *name {
                "exists" | "absent" | "not_exists" | "not_empty" => None,
                "in" => Some(json!([1])),
                "matches" => Some(json!("^a")),
                _ => Some(json!(1)),
            };
            assert!(Op::parse(name, value.as_ref()).is_ok(), "{name}");
        }
    }

    #[test]
    fn presence_ops() {
        assert_eq!(
            one(&op("exists", None), json!("a")),
            (true, "spec.x is 'a'".into())
        );
        assert_eq!(
            missing(&op("exists", None)),
            (false, "spec.x is missing".into())
        );
        assert_eq!(
            missing(&op("absent", None)),
            (true, "spec.x is missing".into())
        );
        assert_eq!(
            one(&op("absent", None), json!(1)),
            (false, "spec.x is present: 1".into())
        );
        assert_eq!(
            one(&op("not_empty", None), json!(" ")),
            (false, "spec.x is empty".into())
        );
        assert!(one(&op("not_empty", None), json!([1])).0);
        assert!(!one(&op("not_empty", None), json!({})).0);
        assert!(!missing(&op("not_empty", None)).0);
    }

    #[test]
    fn comparisons() {
        let eq = op("eq", Some(json!("production")));
        assert_eq!(
            one(&eq, json!("experimental")),
            (
                false,
                "spec.x is 'experimental', expected 'production'".into()
            )
        );
        assert!(one(&eq, json!("production")).0);
        assert_eq!(
            missing(&eq),
            (false, "spec.x is missing, expected 'production'".into())
        );
        let ne = op("ne", Some(json!("experimental")));
        assert!(missing(&ne).0);
        assert!(!one(&ne, json!("experimental")).0);
        assert!(one(&op("eq", Some(json!(0))), json!("0")).0);
        assert!(one(&op("eq", Some(json!(false))), json!(false)).0);
        let gt = op("gt", Some(json!(2)));
        assert!(one(&gt, json!(3)).0);
        assert!(one(&gt, json!("3")).0);
        assert_eq!(
            one(&gt, json!(2)),
            (false, "spec.x is 2, expected > 2".into())
        );
        assert!(one(&op("gte", Some(json!(2))), json!(2)).0);
        assert!(one(&op("lt", Some(json!(2.5))), json!(2)).0);
        assert!(!one(&op("lte", Some(json!(1))), json!(2)).0);
        assert_eq!(
            one(&gt, json!("three")),
            (
                false,
                "spec.x is 'three' (a string), but `gt` compares numbers".into()
            )
        );
        let within = op("in", Some(json!(["production", "experimental"])));
        assert!(one(&within, json!("production")).0);
        assert_eq!(
            one(&within, json!("deprecated")).1,
            "spec.x is 'deprecated', expected one of 'production', 'experimental'"
        );
    }

    #[test]
    fn text_and_list_ops() {
        let m = op("matches", Some(json!("^https://")));
        assert!(one(&m, json!("https://x")).0);
        assert_eq!(
            one(&m, json!("http://x")).1,
            "spec.x is 'http://x', expected text matching /^https:///"
        );
        assert!(one(&op("matches", Some(json!("^1\\."))), json!(1.5)).0);
        assert!(
            one(&m, json!(["https://x"]))
                .1
                .contains("but `matches` needs text")
        );
        let c = op("contains", Some(json!("pci")));
        assert!(one(&c, json!(["java", "pci"])).0);
        assert!(!one(&c, json!(["java"])).0);
        assert!(one(&c, json!("has pci inside")).0);
        assert!(
            one(&c, json!({"pci": 1}))
                .1
                .contains("needs a list or text")
        );
        assert!(one(&op("contains", Some(json!(3))), json!(["3"])).0);
    }

    #[test]
    fn several_values_must_all_pass() {
        let a = json!("https://a");
        let b = json!("http://b");
        let said = "links is 'https://a', 'http://b'".to_string();
        let m = op("matches", Some(json!("^https://")));
        let (ok, msg) = m.apply("links", &Found::Many(vec![&a, &b], said.clone()));
        assert!(!ok);
        assert_eq!(
            msg,
            "links has 'http://b', expected text matching /^https:///"
        );
        assert!(m.apply("links", &Found::Many(vec![&a], said.clone())).0);
        assert!(
            op("exists", None)
                .apply("l", &Found::Many(vec![&b], said.clone()))
                .0
        );
        assert!(
            !op("absent", None)
                .apply("l", &Found::Many(vec![&b], said))
                .0
        );
    }
}
