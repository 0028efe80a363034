//! The path of an `attribute` policy check (`versioning.enabled`, `ingress[*].cidr_blocks`,
//! `tags["kubernetes.io/cluster"]`) and what it reaches in a resource's evaluated attributes.

use crate::terraform::value::{Unknown, Value};
use std::fmt;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `name` or `["name"]`: a map key (or, on a list, that key in every element).
    Key(String),
    /// `[N]`: one element of a list.
    Index(usize),
    /// `[*]`: every element of a list, every value of a map.
    Every,
}

/// A parsed path; keeps its source text for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    text: String,
    steps: Vec<Step>,
}

/// What a path reaches: known values and unknowns, each with its concrete path
/// (`ingress[1].cidr_blocks`), in the order of the attributes.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    pub values: Vec<(String, &'a Value)>,
    pub unknown: Vec<(String, &'a Unknown)>,
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AttrPath {
    pub fn parse(s: &str) -> Result<AttrPath, String> {
        Ok(AttrPath {
            text: s.to_string(),
            steps: parse_steps(s)?,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Every value the path reaches. A key step on a list reaches into every element (nested
    /// blocks are lists of objects); null and missing keys reach nothing; an unknown met on the
    /// way, or at the end, is recorded in `unknown` with the path up to it.
    pub fn select<'a>(&self, v: &'a Value) -> Selection<'a> {
        let mut out = Selection::default();
        walk(&self.steps, v, &mut String::new(), &mut out);
        // Only an unknown (or a splat over a scalar) at the root has an empty concrete path:
        // name it by the whole path so messages never show an empty name.
        for p in out.values.iter_mut().map(|(p, _)| p) {
            if p.is_empty() {
                p.clone_from(&self.text);
            }
        }
        for p in out.unknown.iter_mut().map(|(p, _)| p) {
            if p.is_empty() {
                p.clone_from(&self.text);
            }
        }
        out
    }
}

fn walk<'a>(steps: &[Step], v: &'a Value, at: &mut String, out: &mut Selection<'a>) {
    if let Value::Unknown(u) = v {
        out.unknown.push((at.clone(), u));
        return;
    }
    let Some((step, rest)) = steps.split_first() else {
        if !matches!(v, Value::Null) {
            out.values.push((at.clone(), v));
        }
        return;
    };
    let len = at.len();
    match (step, v) {
        // The key is looked up in every element: the same steps go on, one level down.
        (Step::Key(_), Value::List(items) | Value::Set(items)) => {
            for (i, item) in items.iter().enumerate() {
                push_index(at, i);
                walk(steps, item, at, out);
                at.truncate(len);
            }
        }
        (Step::Key(k), Value::Map(m)) => {
            if let Some(x) = m.get(k) {
                push_key(at, k);
                walk(rest, x, at, out);
                at.truncate(len);
            }
        }
        (Step::Index(n), Value::List(items) | Value::Set(items)) => {
            if let Some(x) = items.get(*n) {
                push_index(at, *n);
                walk(rest, x, at, out);
                at.truncate(len);
            }
        }
        // Terraform converts a number index on a map to a string key.
        (Step::Index(n), Value::Map(m)) => {
            let k = n.to_string();
            if let Some(x) = m.get(&k) {
                push_key(at, &k);
                walk(rest, x, at, out);
                at.truncate(len);
            }
        }
        (Step::Every, Value::List(items) | Value::Set(items)) => {
            for (i, item) in items.iter().enumerate() {
                push_index(at, i);
                walk(rest, item, at, out);
                at.truncate(len);
            }
        }
        (Step::Every, Value::Map(m)) => {
            for (k, x) in m {
                push_key(at, k);
                walk(rest, x, at, out);
                at.truncate(len);
            }
        }
        // A splat over a single value is that value, as in Terraform.
        (Step::Every, Value::Bool(_) | Value::Number(_) | Value::String(_)) => {
            walk(rest, v, at, out);
        }
        _ => {}
    }
}

/// Extends the concrete path `at` with the path of `target` inside `v`, found by identity so a
/// message names the very unknown that left a check undecided; false when it is not there.
pub(crate) fn locate(v: &Value, target: &Unknown, at: &mut String) -> bool {
    let len = at.len();
    match v {
        Value::Unknown(u) => return std::ptr::eq(u, target),
        Value::List(items) | Value::Set(items) => {
            for (i, x) in items.iter().enumerate() {
                push_index(at, i);
                if locate(x, target, at) {
                    return true;
                }
                at.truncate(len);
            }
        }
        Value::Map(m) => {
            for (k, x) in m {
                push_key(at, k);
                if locate(x, target, at) {
                    return true;
                }
                at.truncate(len);
            }
        }
        _ => {}
    }
    false
}

/// A key can be written bare when it has none of the characters the path syntax uses.
fn is_bare(key: &str) -> bool {
    !key.is_empty() && key != "*" && key.chars().all(bare_char)
}

fn bare_char(c: char) -> bool {
    !matches!(c, '.' | '[' | ']' | '"' | '\'' | '\\') && !c.is_whitespace() && !c.is_control()
}

/// Appends a key step to a concrete path, quoted when needed so the result parses back.
fn push_key(at: &mut String, key: &str) {
    if is_bare(key) {
        if !at.is_empty() {
            at.push('.');
        }
        at.push_str(key);
    } else {
        at.push_str("[\"");
        for c in key.chars() {
            if matches!(c, '"' | '\\') {
                at.push('\\');
            }
            at.push(c);
        }
        at.push_str("\"]");
    }
}

fn push_index(at: &mut String, i: usize) {
    at.push('[');
    at.push_str(&i.to_string());
    at.push(']');
}

fn parse_steps(s: &str) -> Result<Vec<Step>, String> {
    let chars: Vec<char> = s.chars().collect();
    let err = |i: usize, what: &str| {
        Err(format!(
            "bad attribute path `{s}`: {what} at character {}",
            i + 1
        ))
    };
    if s.trim().is_empty() {
        return Err("the attribute path is empty".to_string());
    }
    let mut steps = Vec::new();
    let mut i = 0;
    // True at the start and right after a `.`: a step must come next.
    let mut need_step = true;
    while need_step || i < chars.len() {
        let Some(&c) = chars.get(i) else {
            return err(i.saturating_sub(1), "the path ends with `.`");
        };
        if !need_step {
            match c {
                '.' => {
                    need_step = true;
                    i += 1;
                }
                '[' => i = bracket(s, &chars, i, &mut steps)?,
                _ => return err(i, &format!("expected `.` or `[` before `{c}`")),
            }
            continue;
        }
        need_step = false;
        match c {
            '.' if i == 0 => return err(i, "the path starts with `.`"),
            '.' => return err(i, "empty key (`..`)"),
            '[' if i == 0 => i = bracket(s, &chars, i, &mut steps)?,
            '[' => return err(i, "`[` right after `.` (write `a[0]`, not `a.[0]`)"),
            _ => {
                let start = i;
                while chars.get(i).is_some_and(|c| bare_char(*c)) {
                    i += 1;
                }
                match chars.get(i) {
                    Some(c) if c.is_whitespace() => {
                        return err(i, "a space in a key (quote the key: `a[\"b c\"]`)");
                    }
                    Some('"' | '\'' | '\\') => {
                        return err(
                            i,
                            "a quote in a bare key (quote keys in brackets: `a[\"b\"]`)",
                        );
                    }
                    Some(c) if c.is_control() => return err(i, "a control character"),
                    _ => {}
                }
                if i == start {
                    return err(i, &format!("unexpected `{c}`"));
                }
                let key: String = chars[start..i].iter().collect();
                if key == "*" {
                    return err(start, "`*` as a key (write `a[*]` for every element)");
                }
                steps.push(Step::Key(key));
            }
        }
    }
    Ok(steps)
}

/// Parses the bracket step starting at `open` (`[`); returns the index after its `]`.
fn bracket(s: &str, chars: &[char], open: usize, steps: &mut Vec<Step>) -> Result<usize, String> {
    let err =
        |i: usize, what: &str| format!("bad attribute path `{s}`: {what} at character {}", i + 1);
    let first = open + 1;
    if let Some(&q) = chars.get(first).filter(|c| matches!(c, '"' | '\'')) {
        let mut key = String::new();
        let mut i = first + 1;
        loop {
            match chars.get(i) {
                None => return Err(err(first, "unclosed quote")),
                Some('\\') => match chars.get(i + 1) {
                    Some(&e @ ('"' | '\'' | '\\')) => {
                        key.push(e);
                        i += 2;
                    }
                    _ => return Err(err(i, "unknown escape (only \\\", \\' and \\\\)")),
                },
                Some(&c) if c == q => break,
                Some(&c) => {
                    key.push(c);
                    i += 1;
                }
            }
        }
        return match chars.get(i + 1) {
            Some(']') => {
                steps.push(Step::Key(key));
                Ok(i + 2)
            }
            None => Err(err(open, "unclosed `[`")),
            Some(_) => Err(err(i + 1, "expected `]` after the quoted key")),
        };
    }
    let Some(close) = chars[first.min(chars.len())..]
        .iter()
        .position(|c| *c == ']')
        .map(|p| p + first)
    else {
        return Err(err(open, "unclosed `[`"));
    };
    let inside: String = chars[first..close].iter().collect();
    if inside == "*" {
        steps.push(Step::Every);
    } else if !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit()) {
        match inside.parse() {
            Ok(n) => steps.push(Step::Index(n)),
            Err(_) => return Err(err(first, &format!("index `[{inside}]` is too large"))),
        }
    } else {
        return Err(err(
            first,
            &format!("bad index `[{inside}]` (expected a number, `*` or a quoted key)"),
        ));
    }
    Ok(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(&j)
    }

    fn steps(s: &str) -> Vec<Step> {
        AttrPath::parse(s).map(|p| p.steps).unwrap_or_default()
    }

    fn reached(path: &str, attrs: &Value) -> Vec<(String, Value)> {
        let p = AttrPath::parse(path).expect("valid path");
        p.select(attrs)
            .values
            .into_iter()
            .map(|(p, v)| (p, v.clone()))
            .collect()
    }

    fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }

    #[test]
    fn parses_every_step_kind() {
        assert_eq!(steps("acl"), vec![key("acl")]);
        assert_eq!(
            steps("ingress[*].cidr_blocks"),
            vec![key("ingress"), Step::Every, key("cidr_blocks")]
        );
        assert_eq!(
            steps("a[0].b[12]"),
            vec![key("a"), Step::Index(0), key("b"), Step::Index(12)]
        );
        assert_eq!(
            steps(r#"tags["kubernetes.io/cluster"].x"#),
            vec![key("tags"), key("kubernetes.io/cluster"), key("x")]
        );
        assert_eq!(
            steps(r#"metadata.annotations['pagerduty.com/id']"#),
            vec![key("metadata"), key("annotations"), key("pagerduty.com/id")]
        );
        assert_eq!(steps(r#"["a.b"]"#), vec![key("a.b")]);
        assert_eq!(
            steps(r#"t["say \"hi\" \\ "]"#),
            vec![key("t"), key("say \"hi\" \\ ")]
        );
        assert_eq!(
            steps("tags.aws:cloudformation-id"),
            vec![key("tags"), key("aws:cloudformation-id")]
        );
        assert_eq!(
            AttrPath::parse("a[*].b").map(|p| p.to_string()),
            Ok("a[*].b".to_string())
        );
    }

    #[test]
    fn bad_syntax_is_explained() {
        let e = |s: &str| AttrPath::parse(s).err().unwrap_or_default();
        assert_eq!(e(""), "the attribute path is empty");
        assert_eq!(e("  "), "the attribute path is empty");
        assert_eq!(
            e("a..b"),
            "bad attribute path `a..b`: empty key (`..`) at character 3"
        );
        assert!(e(".a").contains("starts with `.`"), "{}", e(".a"));
        assert!(
            e("a.").contains("ends with `.` at character 2"),
            "{}",
            e("a.")
        );
        assert!(
            e("a[0").contains("unclosed `[` at character 2"),
            "{}",
            e("a[0")
        );
        assert!(e("a[\"b\"").contains("unclosed `[`"), "{}", e("a[\"b\""));
        assert!(e("a[\"b").contains("unclosed quote"), "{}", e("a[\"b"));
        assert!(
            e("a[\"b\"x]").contains("expected `]`"),
            "{}",
            e("a[\"b\"x]")
        );
        assert!(e("a[x]").contains("bad index `[x]`"), "{}", e("a[x]"));
        assert!(e("a[-1]").contains("bad index `[-1]`"), "{}", e("a[-1]"));
        assert!(e("a[]").contains("bad index `[]`"), "{}", e("a[]"));
        assert!(e("a[99999999999999999999999]").contains("too large"));
        assert!(
            e("a[0]b").contains("expected `.` or `[` before `b`"),
            "{}",
            e("a[0]b")
        );
        assert!(e("a.[0]").contains("right after `.`"), "{}", e("a.[0]"));
        assert!(e("a b").contains("a space in a key"), "{}", e("a b"));
        assert!(e("a.*").contains("write `a[*]`"), "{}", e("a.*"));
        assert!(e("a]").contains("before `]`"), "{}", e("a]"));
        assert!(e("]").contains("unexpected `]`"), "{}", e("]"));
        assert!(
            e(r#"a["\n"]"#).contains("unknown escape"),
            "{}",
            e(r#"a["\n"]"#)
        );
        assert!(e("a\"b").contains("a quote in a bare key"));
    }

    #[test]
    fn key_steps_reach_into_blocks() {
        let attrs = v(json!({
            "versioning": [{"enabled": true}],
            "rule": [{"apply": [{"algo": "aws:kms"}]}, {"apply": [{"algo": "AES256"}, {}]}]
        }));
        assert_eq!(
            reached("versioning.enabled", &attrs),
            vec![("versioning[0].enabled".to_string(), Value::Bool(true))]
        );
        assert_eq!(
            reached("versioning[*].enabled", &attrs),
            reached("versioning.enabled", &attrs)
        );
        assert_eq!(
            reached("rule.apply.algo", &attrs),
            vec![
                (
                    "rule[0].apply[0].algo".to_string(),
                    Value::string("aws:kms")
                ),
                ("rule[1].apply[0].algo".to_string(), Value::string("AES256")),
            ]
        );
        assert_eq!(
            reached("rule[1].apply[0].algo", &attrs),
            vec![("rule[1].apply[0].algo".to_string(), Value::string("AES256"))]
        );
        assert!(reached("rule[5].apply", &attrs).is_empty());
    }

    #[test]
    fn splat_reaches_list_elements_and_map_values() {
        let attrs = v(json!({
            "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"],
            "tags": {"Name": "web", "kubernetes.io/role": "node"},
            "one": "x"
        }));
        assert_eq!(
            reached("cidr_blocks[*]", &attrs),
            vec![
                ("cidr_blocks[0]".to_string(), Value::string("10.0.0.0/8")),
                ("cidr_blocks[1]".to_string(), Value::string("0.0.0.0/0")),
            ]
        );
        assert_eq!(
            reached("tags[*]", &attrs),
            vec![
                ("tags.Name".to_string(), Value::string("web")),
                (
                    r#"tags["kubernetes.io/role"]"#.to_string(),
                    Value::string("node")
                ),
            ]
        );
        assert_eq!(
            reached(r#"tags["kubernetes.io/role"]"#, &attrs),
            vec![(
                r#"tags["kubernetes.io/role"]"#.to_string(),
                Value::string("node")
            )]
        );
        assert_eq!(
            reached("one[*]", &attrs),
            vec![("one".to_string(), Value::string("x"))]
        );
        // The whole list, not its elements, when the path ends at it.
        assert_eq!(reached("cidr_blocks", &attrs).len(), 1);
    }

    #[test]
    fn concrete_paths_parse_back() {
        let attrs = v(json!({"t": {"a b": {"q\"x": [1]}}, "m": {"0": "zero"}}));
        let got = reached("t[*][*][*]", &attrs);
        assert_eq!(got.len(), 1);
        let (p, x) = &got[0];
        assert_eq!(p, r#"t["a b"]["q\"x"][0]"#);
        assert_eq!(reached(p, &attrs), vec![(p.clone(), x.clone())]);
        // A number index on a map is the string key, as in Terraform.
        assert_eq!(
            reached("m[0]", &attrs),
            vec![("m.0".to_string(), Value::string("zero"))]
        );
    }

    #[test]
    fn null_and_missing_reach_nothing() {
        let attrs = v(json!({"a": null, "b": [null, {"c": null}], "s": "x"}));
        for p in [
            "a",
            "a.b",
            "a[*]",
            "b.c",
            "b[0]",
            "missing",
            "missing[0]",
            "s.x",
            "s[0]",
        ] {
            let sel = AttrPath::parse(p).expect("valid").select(&attrs);
            assert!(sel.values.is_empty() && sel.unknown.is_empty(), "{p}");
        }
    }

    #[test]
    fn unknowns_are_recorded_where_met() {
        let mut m = std::collections::BTreeMap::new();
        m.insert("id".to_string(), Value::unknown("computed"));
        m.insert(
            "ingress".to_string(),
            Value::List(vec![
                Value::Map([("cidr".to_string(), Value::string("a"))].into()),
                Value::unknown("dynamic block"),
                Value::Map([("cidr".to_string(), Value::unknown("var.cidr"))].into()),
            ]),
        );
        let attrs = Value::Map(m);
        let p = AttrPath::parse("ingress.cidr").expect("valid");
        let sel = p.select(&attrs);
        assert_eq!(sel.values.len(), 1);
        assert_eq!(sel.values[0].0, "ingress[0].cidr");
        let unknown: Vec<(String, String)> = sel
            .unknown
            .iter()
            .map(|(p, u)| (p.clone(), u.reason.to_string()))
            .collect();
        assert_eq!(
            unknown,
            vec![
                ("ingress[1]".to_string(), "dynamic block".to_string()),
                ("ingress[2].cidr".to_string(), "var.cidr".to_string()),
            ]
        );
        let sel = AttrPath::parse("id.x").expect("valid").select(&attrs);
        assert_eq!(sel.unknown.len(), 1);
        assert_eq!(sel.unknown[0].0, "id");
        let root = Value::unknown("whole resource");
        let sel = AttrPath::parse("a.b").expect("valid").select(&root);
        assert_eq!(sel.unknown[0].0, "a.b");
    }
}
