//! Tests of `attr_op`.
use super::*;
use serde_json::json;

/// JSON to a value, with `{"unknown": "reason"}` standing for an unknown (as `to_json` marks
/// them), so fixtures with unknowns stay one line.
fn val(j: &Json) -> Value {
    match j {
        Json::Object(o) if o.len() == 1 && o.contains_key("unknown") => {
            Value::unknown(o["unknown"].as_str().unwrap_or_default())
        }
        Json::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), val(v))).collect()),
        Json::Array(a) => Value::List(a.iter().map(val).collect()),
        other => Value::from_json(other),
    }
}

fn json(s: &str) -> Json {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("bad test JSON {s}: {e}"))
}

fn check(j: &Json) -> Check {
    Check::parse(j).unwrap_or_else(|e| panic!("{j} should parse: {e:?}"))
}

/// Lines `attrs: {…}` set the attributes; lines `{check} => pass | fail: found |
/// unknown: path: reason` test a check against them.
fn run_table(table: &str) {
    let mut attrs = Value::Null;
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(a) = line.strip_prefix("attrs:") {
            attrs = val(&json(a));
            continue;
        }
        let (c, want) = line
            .split_once(" => ")
            .unwrap_or_else(|| panic!("bad line {line}"));
        let want = match want.split_once(": ") {
            None if want == "pass" => Outcome::Pass,
            Some(("fail", found)) => Outcome::Fail {
                found: found.to_string(),
            },
            Some(("unknown", rest)) => {
                let (path, reason) = rest.split_once(": ").unwrap_or((rest, ""));
                Outcome::Unknown {
                    path: path.to_string(),
                    reason: reason.to_string(),
                }
            }
            _ => panic!("bad outcome in {line}"),
        };
        assert_eq!(check(&json(c)).test(&attrs), want, "{line}");
    }
}

#[test]
fn op_names_round_trip() {
    for op in Op::ALL {
        assert_eq!(Op::parse(op.as_str()), Some(*op));
    }
    assert_eq!(Op::ALL.len(), 14);
    assert_eq!((Op::parse("eq"), Op::parse("Equals")), (None, None));
    assert_eq!(Match::default(), Match::All);
}

#[test]
fn parse_reads_every_field() {
    let c = check(&json!({"path": "a[*].port", "op": "gt", "value": 22, "match": "any"}));
    assert_eq!(c.path.as_str(), "a[*].port");
    assert_eq!((c.op, c.match_), (Op::Gt, Match::Any));
    assert_eq!(c.value(), Some(&Value::Number(22.0)));
    let c = check(&json!({"path": "acl", "op": "exists"}));
    assert_eq!((c.op, c.match_, c.value()), (Op::Exists, Match::All, None));
    let c = check(&json!({"path": "acl", "op": "in", "value": ["a", 1]}));
    let list = Value::List(vec![Value::string("a"), Value::Number(1.0)]);
    assert_eq!(c.value(), Some(&list));
}

/// `{check} => key: part of the message`; each check has exactly that one error.
const PARSE_ERRORS: &str = r##"
    "acl equals private" => : must be a mapping with `path` and `op` (got a string)
    {"path": "a", "op": "equals", "values": 1, "value": 1} => values: unknown key `values` in `check`: did you mean `value`?
    {"path": "a", "op": "exists", "frobnicate": 1} => frobnicate: expected path, op, value or match
    {"op": "exists"} => path: `check` needs a `path`
    {"path": 3, "op": "exists"} => path: `path` must be a string
    {"path": "a..b", "op": "exists"} => path: empty key (`..`) at character 3
    {"path": "", "op": "exists"} => path: the attribute path is empty
    {"path": "a"} => op: `check` needs an `op`: one of exists, not_exists, equals
    {"path": "a", "op": 1} => op: `op` must be a string
    {"path": "a", "op": "eq", "value": 1} => op: unknown op `eq`: did you mean `equals`?
    {"path": "a", "op": "contain", "value": 1} => op: did you mean `contains`?
    {"path": "a", "op": "between", "value": 1} => op: unknown op `between`: Valid ops: exists, not_exists, equals, not_equals, in, not_in, matches, not_matches, gt, gte, lt, lte, contains, not_contains
    {"path": "a", "op": "exists", "match": "al"} => match: `match` must be `all` or `any`, not "al" (did you mean `all`?)
    {"path": "a", "op": "exists", "match": true} => match: must be `all` or `any`, not true
    {"path": "a", "op": "exists", "value": true} => value: `exists` takes no `value`
    {"path": "a", "op": "not_exists", "value": null} => value: `not_exists` takes no `value`
    {"path": "a", "op": "equals"} => value: `equals` needs a `value`: a value
    {"path": "a", "op": "not_equals", "value": null} => value: `value` is null
    {"path": "a", "op": "contains"} => value: `contains` needs a `value`
    {"path": "a", "op": "not_contains", "value": null} => value: use `op: exists` or `op: not_exists`
    {"path": "a", "op": "in"} => value: `in` needs a `value`: a list of values
    {"path": "a", "op": "in", "value": "x"} => value: `in` needs a list as `value`, e.g. [a, b] (got a string; for one value use `equals`)
    {"path": "a", "op": "not_in", "value": {"a": 1}} => value: (got a mapping; for one value use `not_equals`)
    {"path": "a", "op": "in", "value": []} => value: `in` needs at least one value in its list
    {"path": "a", "op": "matches"} => value: `matches` needs a `value`: a regular expression
    {"path": "a", "op": "matches", "value": "(abc"} => value: `value` is not a valid regular expression: unclosed group
    {"path": "a", "op": "not_matches", "value": 3} => value: searches anywhere in the value unless anchored
    {"path": "a", "op": "gt"} => value: `gt` needs a `value`: a number
    {"path": "a", "op": "gte", "value": "10"} => value: `gte` needs a number as `value` (got a string "10")
    {"path": "a", "op": "lt", "value": [1]} => value: (got a list [1])
    {"path": "a", "op": "lte", "value": true} => value: (got a boolean true)
"##;

#[test]
fn parse_errors_name_their_key() {
    for line in PARSE_ERRORS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (c, want) = line.split_once(" => ").unwrap_or_default();
        let (key, needle) = want.split_once(": ").unwrap_or_default();
        let errors = Check::parse(&json(c)).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{line}: {errors:?}");
        assert_eq!(errors[0].key.as_deref().unwrap_or(""), key, "{line}");
        assert!(
            errors[0].message.contains(needle),
            "{line}: {}",
            errors[0].message
        );
    }
}

#[test]
fn parse_collects_every_error() {
    let keys = |j: Json| -> Vec<String> {
        let e = Check::parse(&j).err().unwrap_or_default();
        e.into_iter().map(|e| e.key.unwrap_or_default()).collect()
    };
    let all = json!({"path": "a[", "op": "gte", "value": "x", "match": "some", "mach": 1});
    assert_eq!(keys(all), vec!["mach", "path", "match", "value"]);
    // Without a known op the value cannot be judged, but everything else is.
    assert_eq!(
        keys(json!({"op": "equalz", "value": null})),
        vec!["path", "op"]
    );
}

#[test]
fn blocks_and_conversions() {
    run_table(
        r##"
        attrs: {"versioning": [{"enabled": true}], "off": [{"enabled": false}], "logging": []}
        {"path": "versioning.enabled", "op": "equals", "value": true} => pass
        {"path": "versioning[0].enabled", "op": "equals", "value": "true"} => pass
        {"path": "off.enabled", "op": "equals", "value": true} => fail: `off[0].enabled` is false
        {"path": "logging", "op": "exists"} => pass
        {"path": "logging.target", "op": "exists"} => fail: `logging.target` is not set
        attrs: {"port": "443", "n": 10, "flag": "true", "b": false, "acl": "private"}
        {"path": "port", "op": "equals", "value": 443} => pass
        {"path": "n", "op": "equals", "value": "10"} => pass
        {"path": "n", "op": "equals", "value": 10.0} => pass
        {"path": "flag", "op": "equals", "value": true} => pass
        {"path": "b", "op": "equals", "value": "false"} => pass
        {"path": "acl", "op": "equals", "value": "private"} => pass
        {"path": "acl", "op": "equals", "value": "Private"} => fail: `acl` is "private"
        {"path": "b", "op": "equals", "value": 0} => fail: `b` is false
        {"path": "n", "op": "equals", "value": true} => fail: `n` is 10
        {"path": "acl", "op": "equals", "value": ["private"]} => fail: `acl` is "private"
        {"path": "port", "op": "in", "value": [80, 443]} => pass
        {"path": "port", "op": "not_in", "value": [80, 443]} => fail: `port` is "443"
        {"path": "acl", "op": "in", "value": ["public-read"]} => fail: `acl` is "private"
        {"path": "acl", "op": "not_in", "value": ["public-read", "public-read-write"]} => pass
        {"path": "acl", "op": "not_equals", "value": "public-read"} => pass
        {"path": "acl", "op": "not_equals", "value": "private"} => fail: `acl` is "private"
        "##,
    );
}

#[test]
fn lists_sets_and_maps_compare_structurally() {
    run_table(
        r##"
        attrs: {"cidr": ["10.0.0.0/8", "0.0.0.0/0"], "tags": {"env": "prod", "n": 1}}
        {"path": "cidr", "op": "equals", "value": ["10.0.0.0/8", "0.0.0.0/0"]} => pass
        {"path": "cidr", "op": "equals", "value": ["0.0.0.0/0", "10.0.0.0/8"]} => fail: `cidr` is ["10.0.0.0/8", "0.0.0.0/0"]
        {"path": "cidr", "op": "equals", "value": ["10.0.0.0/8"]} => fail: `cidr` is ["10.0.0.0/8", "0.0.0.0/0"]
        {"path": "cidr", "op": "in", "value": [[], ["10.0.0.0/8", "0.0.0.0/0"]]} => pass
        {"path": "tags", "op": "equals", "value": {"n": "1", "env": "prod"}} => pass
        {"path": "tags", "op": "equals", "value": {"env": "prod"}} => fail: `tags` is { env = "prod", n = 1 }
        "##,
    );
    // Sets have no order.
    let set = Value::set(vec![Value::string("b"), Value::string("a")]);
    let attrs = Value::Map([("s".to_string(), set)].into());
    let t = |v: Json| check(&json!({"path": "s", "op": "equals", "value": v})).test(&attrs);
    assert_eq!(t(json!(["b", "a"])), Outcome::Pass);
    assert_eq!(
        t(json!(["a", "c"])),
        Outcome::Fail {
            found: "`s` is [\"a\", \"b\"]".into()
        }
    );
    assert_eq!(t(json!(["a", "b", "a"])), Outcome::Pass);
}

#[test]
fn matches_and_ordering() {
    run_table(
        r##"
        attrs: {"name": "app-prod-1", "size": 100, "text": "20", "list": ["a"], "yes": true}
        {"path": "name", "op": "matches", "value": "prod"} => pass
        {"path": "name", "op": "matches", "value": "^prod"} => fail: `name` is "app-prod-1"
        {"path": "name", "op": "matches", "value": "^app-.*-[0-9]+$"} => pass
        {"path": "name", "op": "not_matches", "value": "^prod"} => pass
        {"path": "name", "op": "not_matches", "value": "prod"} => fail: `name` is "app-prod-1"
        {"path": "size", "op": "matches", "value": "^1[0-9]{2}$"} => pass
        {"path": "yes", "op": "matches", "value": "^true$"} => pass
        {"path": "list", "op": "matches", "value": "a"} => fail: `list` is ["a"], not a string (test its elements with `list[*]`)
        {"path": "list", "op": "not_matches", "value": "b"} => fail: `list` is ["a"], not a string (test its elements with `list[*]`)
        {"path": "list[*]", "op": "matches", "value": "a"} => pass
        {"path": "size", "op": "gt", "value": 99} => pass
        {"path": "size", "op": "gt", "value": 100} => fail: `size` is 100
        {"path": "size", "op": "gte", "value": 100} => pass
        {"path": "size", "op": "gte", "value": 100.5} => fail: `size` is 100
        {"path": "size", "op": "lt", "value": 100.5} => pass
        {"path": "size", "op": "lt", "value": 100} => fail: `size` is 100
        {"path": "size", "op": "lte", "value": 100} => pass
        {"path": "size", "op": "lte", "value": 99} => fail: `size` is 100
        {"path": "text", "op": "lt", "value": 100} => pass
        {"path": "name", "op": "gt", "value": 1} => fail: `name` is "app-prod-1", not a number
        {"path": "yes", "op": "lte", "value": 1} => fail: `yes` is true, not a number
        {"path": "list", "op": "gte", "value": 1} => fail: `list` is ["a"], not a number (test its elements with `list[*]`)
        "##,
    );
}

#[test]
fn contains_looks_in_lists_strings_and_maps() {
    run_table(
        r##"
        attrs: {"cidr": ["10.0.0.0/8", "0.0.0.0/0"], "ports": [22, 443], "desc": "managed by ops", "tags": {"owner": "x"}, "n": 5}
        {"path": "cidr", "op": "contains", "value": "0.0.0.0/0"} => pass
        {"path": "cidr", "op": "not_contains", "value": "0.0.0.0/0"} => fail: `cidr` is ["10.0.0.0/8", "0.0.0.0/0"]
        {"path": "ports", "op": "contains", "value": "443"} => pass
        {"path": "ports", "op": "contains", "value": 80} => fail: `ports` is [22, 443]
        {"path": "desc", "op": "contains", "value": "by ops"} => pass
        {"path": "desc", "op": "not_contains", "value": "terraform"} => pass
        {"path": "desc", "op": "contains", "value": ["by"]} => fail: `desc` is "managed by ops"
        {"path": "tags", "op": "contains", "value": "owner"} => pass
        {"path": "tags", "op": "not_contains", "value": "cost-center"} => pass
        {"path": "tags", "op": "contains", "value": "x"} => fail: `tags` is { owner = "x" }
        {"path": "n", "op": "contains", "value": 5} => fail: `n` is 5, not a list, string or map
        {"path": "n", "op": "not_contains", "value": 5} => fail: `n` is 5, not a list, string or map
        {"path": "tags", "op": "matches", "value": "x"} => fail: `tags` is { owner = "x" }, not a string (test its elements with `tags[*]`)
        "##,
    );
}

#[test]
fn reaching_nothing() {
    let attrs = val(&json!({"other": 1, "nothing": null, "blocks": []}));
    for path in ["missing", "nothing", "blocks.x", "blocks[0]", "other.x"] {
        for op in Op::ALL {
            let mut c = json!({"path": path, "op": op.as_str()});
            let value = match op {
                Op::Exists | Op::NotExists => None,
                Op::In | Op::NotIn => Some(json!(["x"])),
                Op::Gt | Op::Gte | Op::Lt | Op::Lte => Some(json!(1)),
                _ => Some(json!("x")),
            };
            if let Some(v) = value {
                c["value"] = v;
            }
            let passes = matches!(
                op,
                Op::NotExists | Op::NotEquals | Op::NotIn | Op::NotContains | Op::NotMatches
            );
            let want = match passes {
                true => Outcome::Pass,
                false => Outcome::Fail {
                    found: format!("`{path}` is not set"),
                },
            };
            assert_eq!(check(&c).test(&attrs), want, "{c}");
            c["match"] = json!("any");
            assert_eq!(check(&c).test(&attrs), want, "{c}");
        }
    }
}

#[test]
fn all_and_any() {
    run_table(
        r##"
        attrs: {"ingress": [{"from_port": 443, "cidr_blocks": ["10.0.0.0/8"]}, {"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}
        {"path": "ingress[*].from_port", "op": "equals", "value": 443} => fail: `ingress[1].from_port` is 22
        {"path": "ingress[*].from_port", "op": "equals", "value": 443, "match": "any"} => pass
        {"path": "ingress.from_port", "op": "gt", "value": 0} => pass
        {"path": "ingress.from_port", "op": "lt", "value": 10, "match": "any"} => fail: `ingress[0].from_port` is 443 (and 1 more)
        {"path": "ingress.cidr_blocks", "op": "not_contains", "value": "0.0.0.0/0"} => fail: `ingress[1].cidr_blocks` is ["0.0.0.0/0"]
        {"path": "ingress.cidr_blocks", "op": "contains", "value": "0.0.0.0/0", "match": "any"} => pass
        {"path": "ingress[0].cidr_blocks[*]", "op": "matches", "value": "^10\\."} => pass
        {"path": "ingress.cidr_blocks[*]", "op": "matches", "value": "^10\\."} => fail: `ingress[1].cidr_blocks[0]` is "0.0.0.0/0"
        {"path": "ingress", "op": "not_exists"} => fail: `ingress` is [{ cidr_blocks = ["10.0.0.0/8"], from_port = 443 }, { cidr_blocks = ["0.0.0.0/0…
        "##,
    );
}

#[test]
fn unknowns_decide_only_when_known_values_do_not() {
    run_table(
        r##"
        attrs: {"rule": [{"port": 443}, {"port": {"unknown": "var.port has no value"}}]}
        {"path": "rule.port", "op": "equals", "value": 443} => unknown: rule[1].port: var.port has no value
        {"path": "rule.port", "op": "exists"} => unknown: rule[1].port: var.port has no value
        {"path": "rule.port", "op": "equals", "value": 22, "match": "any"} => unknown: rule[1].port: var.port has no value
        {"path": "rule.port", "op": "equals", "value": 22} => fail: `rule[0].port` is 443
        {"path": "rule.port", "op": "equals", "value": 443, "match": "any"} => pass
        {"path": "rule.port", "op": "exists", "match": "any"} => pass
        {"path": "rule.port", "op": "not_exists", "match": "any"} => fail: `rule[0].port` is 443
        attrs: {"rule": [{"port": {"unknown": "first"}}, {"port": 22}, {"port": {"unknown": "second"}}]}
        {"path": "rule.port", "op": "gt", "value": 1} => unknown: rule[0].port: first
        {"path": "rule.port", "op": "gt", "value": 100} => fail: `rule[1].port` is 22
        attrs: {"acl": {"unknown": "computed"}, "blocks": {"unknown": "dynamic"}}
        {"path": "acl", "op": "exists"} => unknown: acl: computed
        {"path": "acl", "op": "not_exists"} => unknown: acl: computed
        {"path": "acl", "op": "not_equals", "value": 1} => unknown: acl: computed
        {"path": "blocks.x.y", "op": "equals", "value": 1, "match": "any"} => unknown: blocks: dynamic
        {"path": "missing", "op": "exists"} => fail: `missing` is not set
        "##,
    );
}

#[test]
fn unknowns_inside_a_reached_value() {
    run_table(
        r##"
        attrs: {"cidr": ["10.0.0.0/8", {"unknown": "aws_subnet.a.cidr_block"}], "tags": {"a": {"unknown": "t"}}}
        {"path": "cidr", "op": "contains", "value": "10.0.0.0/8"} => pass
        {"path": "cidr", "op": "contains", "value": "0.0.0.0/0"} => unknown: cidr[1]: aws_subnet.a.cidr_block
        {"path": "cidr", "op": "not_contains", "value": "0.0.0.0/0"} => unknown: cidr[1]: aws_subnet.a.cidr_block
        {"path": "cidr", "op": "not_contains", "value": "10.0.0.0/8"} => fail: `cidr` is ["10.0.0.0/8", (known after apply)]
        {"path": "cidr", "op": "equals", "value": ["10.0.0.0/8", "x"]} => unknown: cidr[1]: aws_subnet.a.cidr_block
        {"path": "cidr", "op": "equals", "value": ["1", "x"]} => fail: `cidr` is ["10.0.0.0/8", (known after apply)]
        {"path": "cidr", "op": "equals", "value": ["10.0.0.0/8"]} => fail: `cidr` is ["10.0.0.0/8", (known after apply)]
        {"path": "cidr", "op": "in", "value": [["10.0.0.0/8", "x"], "y"]} => unknown: cidr[1]: aws_subnet.a.cidr_block
        {"path": "cidr", "op": "exists"} => pass
        {"path": "cidr[*]", "op": "matches", "value": "^10\\.", "match": "any"} => pass
        {"path": "cidr[*]", "op": "matches", "value": "^10\\."} => unknown: cidr[1]: aws_subnet.a.cidr_block
        {"path": "tags", "op": "equals", "value": {"a": "x"}} => unknown: tags.a: t
        {"path": "tags", "op": "contains", "value": "a"} => pass
        "##,
    );
}

#[test]
fn describe_reads_as_a_sentence() {
    let d = |c: Json| check(&c).describe();
    let c = json!({"path": "versioning.enabled", "op": "equals", "value": true});
    assert_eq!(d(c), "`versioning.enabled` equals true");
    let c = json!({"path": "acl", "op": "not_in", "value": ["public-read", "public-read-write"]});
    assert_eq!(
        d(c),
        "`acl` not in [\"public-read\", \"public-read-write\"]"
    );
    assert_eq!(d(json!({"path": "sse", "op": "exists"})), "`sse` is set");
    assert_eq!(
        d(json!({"path": "sse", "op": "not_exists"})),
        "`sse` is not set"
    );
    let c = json!({"path": "name", "op": "not_matches", "value": "^prod-"});
    assert_eq!(d(c), "`name` does not match \"^prod-\"");
    let c = json!({"path": "a[*].port", "op": "gte", "value": 1024, "match": "any"});
    assert_eq!(d(c), "at least one `a[*].port` is at least 1024");
    let text = d(json!({"path": "a", "op": "equals", "value": "x".repeat(200)}));
    assert!(
        text.ends_with('…') && text.chars().count() == 4 + 7 + 80,
        "{text}"
    );
}

#[test]
fn doc_states_the_rules() {
    let needles = [
        "`match: all`",
        "unless anchored",
        "reaches nothing",
        "passes only",
        "unknown",
    ];
    for needle in needles {
        assert!(DOC.contains(needle), "{needle}");
    }
}
