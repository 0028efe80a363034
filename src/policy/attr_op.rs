//! The check of an `attribute` policy: `{path, op, value, match}`, validated up front, and its
//! test against a resource's evaluated attributes, unknown values included.

use super::attr_path::{AttrPath, locate};
use crate::stacks::closest;
use crate::terraform::value::{Unknown, Value};
use regex::Regex;
use serde_json::Value as Json;
use std::fmt;

pub const DOC: &str = "The path's reached values are tested one by one: with `match: all` \
(the default) the check passes when every reached value passes, with `match: any` when at least \
one does. A key step through a list reaches into every element, so `versioning.enabled` on a \
nested block works like `versioning[*].enabled`; `[*]` reaches every element of a list or every \
value of a map (and a single value itself); null and missing keys reach nothing. A path that reaches nothing fails `exists`, \
`equals`, `in`, `matches`, `gt`, `gte`, `lt`, `lte` and `contains` (\"not set\"), and passes \
`not_exists`, `not_equals`, `not_in`, `not_matches` and `not_contains`; `not_exists` passes only \
when nothing is reached. Values that are unknown until apply matter only when the known values \
do not decide: with `all` a known failing value fails the check, with `any` a known passing \
value passes it; otherwise the result is unknown and reported with the unknown value's path and \
reason. Comparisons: numbers numerically (a string that parses as a number compares as one, as \
Terraform converts it), booleans with booleans and the strings \"true\"/\"false\", strings \
exactly, lists and maps structurally (a set equals a list of the same elements in any order). \
`in`/`not_in` take a list of values. `matches`/`not_matches` take a regular expression that \
searches anywhere in the value unless anchored (`^prod-` matches at the start only, `^a$` \
the whole value); numbers and booleans are matched as their text. `contains` is true of a list \
or set with an element equal to `value`, a string containing `value` as a substring, or a map \
with `value` as a key. `gt`, `gte`, `lt` and `lte` take a number. A value of the wrong type \
for `matches`, `contains`, `gt`, `gte`, `lt`, `lte` or their negations fails the check \
(test a list's elements with `path[*]`).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Exists,
    NotExists,
    Equals,
    NotEquals,
    In,
    NotIn,
    Matches,
    NotMatches,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    NotContains,
}

impl Op {
    pub const ALL: &[Op] = &[
        Op::Exists,
        Op::NotExists,
        Op::Equals,
        Op::NotEquals,
        Op::In,
        Op::NotIn,
        Op::Matches,
        Op::NotMatches,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::Contains,
        Op::NotContains,
    ];

    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|o| o.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Exists => "exists",
            Op::NotExists => "not_exists",
            Op::Equals => "equals",
            Op::NotEquals => "not_equals",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Matches => "matches",
            Op::NotMatches => "not_matches",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
        }
    }

    /// The positive op of a negated one (`not_in` → `in`), and whether it is negated.
    fn base(self) -> (Op, bool) {
        match self {
            Op::NotExists => (Op::Exists, true),
            Op::NotEquals => (Op::Equals, true),
            Op::NotIn => (Op::In, true),
            Op::NotMatches => (Op::Matches, true),
            Op::NotContains => (Op::Contains, true),
            op => (op, false),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Common spellings from other tools, for "did you mean".
const OP_ALIASES: &[(&str, Op)] = &[
    ("eq", Op::Equals),
    ("equal", Op::Equals),
    ("is", Op::Equals),
    ("ne", Op::NotEquals),
    ("neq", Op::NotEquals),
    ("not_equal", Op::NotEquals),
    ("ge", Op::Gte),
    ("le", Op::Lte),
    ("regex", Op::Matches),
    ("match", Op::Matches),
    ("includes", Op::Contains),
    ("present", Op::Exists),
    ("exist", Op::Exists),
    ("absent", Op::NotExists),
    ("missing", Op::NotExists),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Match {
    #[default]
    All,
    Any,
}

/// A validated check.
#[derive(Debug, Clone)]
pub struct Check {
    pub path: AttrPath,
    pub op: Op,
    pub match_: Match,
    /// The expected value: the list for `in`, the pattern text for `matches`, `None` for
    /// `exists`/`not_exists`.
    value: Option<Value>,
    regex: Option<Regex>,
}

/// A problem in a check; `key` is the check's key it is about (`path`, `op`, `value`, `match`,
/// or an unknown key), `None` for the check as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail { found: String },
    Unknown { path: String, reason: String },
}

const KEYS: &[&str] = &["path", "op", "value", "match"];

fn error(key: &str, message: impl Into<String>) -> CheckError {
    CheckError {
        key: Some(key.to_string()),
        message: message.into(),
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

fn op_list() -> String {
    Op::ALL
        .iter()
        .map(|o| o.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Check {
    /// Validates a whole check, collecting every problem rather than stopping at the first.
    pub fn parse(check: &Json) -> Result<Check, Vec<CheckError>> {
        let Some(obj) = check.as_object() else {
            return Err(vec![CheckError {
                key: None,
                message: format!(
                    "`check` must be a mapping with `path` and `op` (got {})",
                    json_kind(check)
                ),
            }]);
        };
        let mut errors = Vec::new();
        for k in obj.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            let hint = match closest(k, KEYS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "expected path, op, value or match".to_string(),
            };
            errors.push(error(k, format!("unknown key `{k}` in `check`: {hint}")));
        }
        let path = match obj.get("path") {
            None => {
                errors.push(error(
                    "path",
                    "`check` needs a `path`, e.g. `versioning.enabled`",
                ));
                None
            }
            Some(Json::String(s)) => AttrPath::parse(s)
                .map_err(|m| errors.push(error("path", m)))
                .ok(),
            Some(other) => {
                errors.push(error(
                    "path",
                    format!(
                        "`path` must be a string such as `a.b[0].c` (got {})",
                        json_kind(other)
                    ),
                ));
                None
            }
        };
        let op = match obj.get("op") {
            None => {
                errors.push(error(
                    "op",
                    format!("`check` needs an `op`: one of {}", op_list()),
                ));
                None
            }
            Some(Json::String(s)) => Op::parse(s).or_else(|| {
                errors.push(error("op", unknown_op(s)));
                None
            }),
            Some(other) => {
                errors.push(error(
                    "op",
                    format!(
                        "`op` must be a string, one of {} (got {})",
                        op_list(),
                        json_kind(other)
                    ),
                ));
                None
            }
        };
        let match_ = match obj.get("match") {
            None => Match::All,
            Some(Json::String(s)) if s == "all" => Match::All,
            Some(Json::String(s)) if s == "any" => Match::Any,
            Some(other) => {
                let hint = other
                    .as_str()
                    .and_then(|s| closest(s, ["all", "any"]))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                errors.push(error(
                    "match",
                    format!("`match` must be `all` or `any`, not {other}{hint}"),
                ));
                Match::All
            }
        };
        // The value can only be judged against a known op.
        let (value, regex) = match op {
            Some(op) => expected(op, obj.get("value"), &mut errors),
            None => (None, None),
        };
        match (path, op) {
            (Some(path), Some(op)) if errors.is_empty() => Ok(Check {
                path,
                op,
                match_,
                value,
                regex,
            }),
            _ => Err(errors),
        }
    }

    /// The expected value (the list for `in`, the pattern for `matches`).
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// The condition as a phrase: "`versioning.enabled` equals true".
    pub fn describe(&self) -> String {
        let subject = match self.match_ {
            Match::All => format!("`{}`", self.path),
            Match::Any => format!("at least one `{}`", self.path),
        };
        let v = self.value.as_ref().map(short).unwrap_or_default();
        let verb = match self.op {
            Op::Exists => "is set".to_string(),
            Op::NotExists => "is not set".to_string(),
            Op::Equals => format!("equals {v}"),
            Op::NotEquals => format!("does not equal {v}"),
            Op::In => format!("in {v}"),
            Op::NotIn => format!("not in {v}"),
            Op::Matches => format!("matches {v}"),
            Op::NotMatches => format!("does not match {v}"),
            Op::Gt => format!("is greater than {v}"),
            Op::Gte => format!("is at least {v}"),
            Op::Lt => format!("is less than {v}"),
            Op::Lte => format!("is at most {v}"),
            Op::Contains => format!("contains {v}"),
            Op::NotContains => format!("does not contain {v}"),
        };
        format!("{subject} {verb}")
    }

    pub fn test(&self, attributes: &Value) -> Outcome {
        let sel = self.path.select(attributes);
        let mut unknown = sel
            .unknown
            .first()
            .map(|(p, u)| (p.clone(), u.reason.to_string()));
        if sel.values.is_empty() {
            return match unknown {
                Some((path, reason)) => Outcome::Unknown { path, reason },
                None if self.passes_unset() => Outcome::Pass,
                None => Outcome::Fail {
                    found: format!("`{}` is not set", self.path),
                },
            };
        }
        // Anything reached is a value that exists, whatever the unknowns beside it.
        if let (Op::NotExists, Some((at, v))) = (self.op, sel.values.first()) {
            return Outcome::Fail {
                found: found(at, v),
            };
        }
        let mut fails = Vec::new();
        for (at, v) in &sel.values {
            match (self.test_one(at, v), self.match_) {
                (Outcome::Pass, Match::Any) => return Outcome::Pass,
                (Outcome::Pass, Match::All) => {}
                (Outcome::Fail { found }, Match::All) => return Outcome::Fail { found },
                (Outcome::Fail { found }, Match::Any) => fails.push(found),
                (Outcome::Unknown { path, reason }, _) => {
                    unknown.get_or_insert((path, reason));
                }
            }
        }
        match (unknown, self.match_) {
            (Some((path, reason)), _) => Outcome::Unknown { path, reason },
            (None, Match::All) => Outcome::Pass,
            (None, Match::Any) => Outcome::Fail {
                found: join_fails(fails),
            },
        }
    }

    fn passes_unset(&self) -> bool {
        matches!(
            self.op,
            Op::NotExists | Op::NotEquals | Op::NotIn | Op::NotContains | Op::NotMatches
        )
    }

    /// One reached value (never null or unknown itself, but possibly holding unknowns).
    fn test_one(&self, at: &str, v: &Value) -> Outcome {
        let (base, negated) = self.op.base();
        let expected = self.value.as_ref();
        let tri = match base {
            Op::Exists => Tri::Yes,
            Op::Equals => expected.map_or(Tri::No, |e| eq3(v, e)),
            Op::In => {
                let list = expected.and_then(Value::as_list).unwrap_or_default();
                any3(list.iter().map(|e| eq3(v, e)))
            }
            Op::Matches => match (v.to_string_lossless(), &self.regex) {
                (Some(s), Some(re)) => Tri::from(re.is_match(&s)),
                _ => return self.wrong_type(at, v, "a string"),
            },
            Op::Contains => match (v, expected) {
                (Value::List(items) | Value::Set(items), Some(e)) => {
                    any3(items.iter().map(|x| eq3(x, e)))
                }
                (Value::String(s), Some(e)) => {
                    Tri::from(e.to_string_lossless().is_some_and(|e| s.contains(&e)))
                }
                (Value::Map(m), Some(e)) => {
                    Tri::from(e.to_string_lossless().is_some_and(|k| m.contains_key(&k)))
                }
                _ => return self.wrong_type(at, v, "a list, string or map"),
            },
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                let (Some(x), Some(e)) = (v.as_f64(), expected.and_then(Value::as_f64)) else {
                    return self.wrong_type(at, v, "a number");
                };
                Tri::from(match base {
                    Op::Gt => x > e,
                    Op::Gte => x >= e,
                    Op::Lt => x < e,
                    _ => x <= e,
                })
            }
            // `base` is never a negated op.
            _ => Tri::No,
        };
        match (tri, negated) {
            (Tri::Yes, false) | (Tri::No, true) => Outcome::Pass,
            (Tri::Yes, true) | (Tri::No, false) => Outcome::Fail {
                found: found(at, v),
            },
            (Tri::Unknown(u), _) => {
                let mut path = at.to_string();
                locate(v, u, &mut path);
                unknown_outcome(path, u)
            }
        }
    }

    fn wrong_type(&self, at: &str, v: &Value, wanted: &str) -> Outcome {
        let hint = if v.as_list().is_some() || v.as_map().is_some() {
            format!(" (test its elements with `{}[*]`)", self.path)
        } else {
            String::new()
        };
        Outcome::Fail {
            found: format!("{}, not {wanted}{hint}", found(at, v)),
        }
    }
}

fn unknown_op(s: &str) -> String {
    let alias = OP_ALIASES
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(s))
        .map(|(_, o)| o.as_str());
    let guess = alias.or_else(|| closest(s, Op::ALL.iter().map(|o| o.as_str())));
    let hint = guess
        .map(|g| format!("did you mean `{g}`? "))
        .unwrap_or_default();
    format!("unknown op `{s}`: {hint}Valid ops: {}", op_list())
}

/// Checks `value` against the op; returns the expected value and, for `matches`, its regex.
fn expected(
    op: Op,
    value: Option<&Json>,
    errors: &mut Vec<CheckError>,
) -> (Option<Value>, Option<Regex>) {
    let mut fail = |m: String| {
        errors.push(error("value", m));
        (None, None)
    };
    let Some(value) = value else {
        let what = match op {
            Op::Exists | Op::NotExists => return (None, None),
            Op::In | Op::NotIn => "a list of values",
            Op::Matches | Op::NotMatches => "a regular expression",
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => "a number",
            _ => "a value",
        };
        return fail(format!("`{op}` needs a `value`: {what}"));
    };
    match (op, value) {
        (Op::Exists | Op::NotExists, _) => fail(format!(
            "`{op}` takes no `value` (to compare with a value, use `equals`)"
        )),
        (_, Json::Null) => fail(format!(
            "`value` is null; an attribute set to null is not set: use `op: exists` or `op: \
             not_exists` (`{op}` needs a value)"
        )),
        (Op::In | Op::NotIn, Json::Array(items)) if items.is_empty() => {
            fail(format!("`{op}` needs at least one value in its list"))
        }
        (Op::In | Op::NotIn, Json::Array(_)) => (Some(Value::from_json(value)), None),
        (Op::In | Op::NotIn, other) => fail(format!(
            "`{op}` needs a list as `value`, e.g. [a, b] (got {}; for one value use `{}`)",
            json_kind(other),
            if op == Op::In { "equals" } else { "not_equals" }
        )),
        (Op::Matches | Op::NotMatches, Json::String(s)) => match Regex::new(s) {
            Ok(re) => (Some(Value::string(s.as_str())), Some(re)),
            Err(e) => fail(format!(
                "`value` is not a valid regular expression: {}",
                regex_error(&e)
            )),
        },
        (Op::Matches | Op::NotMatches, other) => fail(format!(
            "`{op}` needs a regular expression string as `value` (got {}); it searches \
             anywhere in the value unless anchored with ^ and $",
            json_kind(other)
        )),
        (Op::Gt | Op::Gte | Op::Lt | Op::Lte, Json::Number(n)) => match n.as_f64() {
            Some(n) if n.is_finite() => (Some(Value::Number(n)), None),
            _ => fail(format!("`value` {n} is out of range")),
        },
        (Op::Gt | Op::Gte | Op::Lt | Op::Lte, other) => fail(format!(
            "`{op}` needs a number as `value` (got {} {other})",
            json_kind(other)
        )),
        _ => (Some(Value::from_json(value)), None),
    }
}

/// The regex crate's message is several lines with a caret under the pattern; keep the reason.
fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.strip_prefix("error: "))
        .map_or_else(
            || text.split_whitespace().collect::<Vec<_>>().join(" "),
            str::to_string,
        )
}

/// A three-valued truth: unknown carries the unknown that left it undecided.
enum Tri<'a> {
    Yes,
    No,
    Unknown(&'a Unknown),
}

impl From<bool> for Tri<'_> {
    fn from(b: bool) -> Self {
        if b { Tri::Yes } else { Tri::No }
    }
}

/// Yes when some item is yes; unknown when none is but some is unknown.
fn any3<'a>(items: impl Iterator<Item = Tri<'a>>) -> Tri<'a> {
    let mut unknown = None;
    for t in items {
        match t {
            Tri::Yes => return Tri::Yes,
            Tri::No => {}
            Tri::Unknown(u) => unknown = unknown.or(Some(u)),
        }
    }
    unknown.map_or(Tri::No, Tri::Unknown)
}

/// No when some item is no; unknown when none is but some is unknown.
fn all3<'a>(items: impl Iterator<Item = Tri<'a>>) -> Tri<'a> {
    let mut unknown = None;
    for t in items {
        match t {
            Tri::Yes => {}
            Tri::No => return Tri::No,
            Tri::Unknown(u) => unknown = unknown.or(Some(u)),
        }
    }
    unknown.map_or(Tri::Yes, Tri::Unknown)
}

/// Whether an attribute value equals an expected one (expected values are never unknown).
fn eq3<'a>(actual: &'a Value, expected: &Value) -> Tri<'a> {
    match (actual, expected) {
        (Value::Unknown(u), _) => Tri::Unknown(u),
        (Value::List(a), Value::List(e) | Value::Set(e)) => {
            if a.len() != e.len() {
                return Tri::No;
            }
            all3(a.iter().zip(e).map(|(x, y)| eq3(x, y)))
        }
        // A set has no order: every element must have an equal on the other side.
        (Value::Set(a), Value::List(e) | Value::Set(e)) => {
            let mine = all3(e.iter().map(|y| any3(a.iter().map(|x| eq3(x, y)))));
            let theirs = all3(a.iter().map(|x| any3(e.iter().map(|y| eq3(x, y)))));
            all3([mine, theirs].into_iter())
        }
        (Value::Map(a), Value::Map(e)) => {
            if !a.keys().eq(e.keys()) {
                return Tri::No;
            }
            all3(a.values().zip(e.values()).map(|(x, y)| eq3(x, y)))
        }
        (Value::Number(_) | Value::String(_), Value::Number(n)) => {
            Tri::from(actual.as_f64() == Some(*n))
        }
        (Value::Number(x), Value::String(e)) => Tri::from(e.trim().parse::<f64>() == Ok(*x)),
        (Value::Bool(_) | Value::String(_), Value::Bool(b)) => {
            Tri::from(actual.as_bool() == Some(*b))
        }
        (Value::Bool(x), Value::String(_)) => Tri::from(expected.as_bool() == Some(*x)),
        (Value::String(x), Value::String(e)) => Tri::from(x == e),
        _ => Tri::No,
    }
}

fn unknown_outcome(path: String, u: &Unknown) -> Outcome {
    Outcome::Unknown {
        path,
        reason: u.reason.to_string(),
    }
}

/// "`acl` is \"public-read\"".
fn found(at: &str, v: &Value) -> String {
    format!("`{at}` is {}", short(v))
}

const SHORT: usize = 80;

/// A value as text, cut to about 80 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= SHORT {
        return s;
    }
    let mut cut: String = s.chars().take(SHORT - 1).collect();
    cut.push('…');
    cut
}

fn join_fails(mut fails: Vec<String>) -> String {
    match fails.len() {
        0 => String::new(),
        1 => fails.remove(0),
        n => format!("{} (and {} more)", fails.remove(0), n - 1),
    }
}

#[cfg(test)]
#[path = "attr_op_tests.rs"]
mod tests;
