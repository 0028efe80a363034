//! Tests of the expression evaluator: literals, objects, references, splats, operators,
//! conditionals, `for`. Shared helpers for the other evaluator test files live here too.

use super::*;
use crate::terraform::value::Unknown;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A scope from fixed bindings; `open` roots answer missing attributes with Unknown.
pub(crate) struct TestScope {
    pub vars: BTreeMap<String, Value>,
    pub open: BTreeSet<String>,
    pub files: BTreeMap<String, String>,
}

impl Scope for TestScope {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    fn is_open(&self, name: &str) -> bool {
        self.open.contains(name)
    }

    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        self.files
            .get(path)
            .map(|s| Arc::from(s.as_str()))
            .ok_or_else(|| format!("no file {path}"))
    }
}

pub(crate) fn unknown(reason: &str) -> Value {
    Value::Unknown(Unknown {
        reason: Arc::from(reason),
    })
}

pub(crate) fn j(v: serde_json::Value) -> Value {
    Value::from_json(&v)
}

/// The scope every test evaluates in.
pub(crate) fn scope() -> TestScope {
    let mut var = j(json!({
        "name": "web", "size": 3, "enabled": true, "count_str": "2",
        "tags": {"env": "prod", "team": "core"},
        "zones": ["a", "b", "c"], "empty": [], "nothing": null,
        "nested": {"a": {"b": [1, 2]}},
    }));
    let mut local = j(json!({
        "k": "kk",
        "items": [{"name": "x", "id": 1}, {"name": "y", "id": 2}],
        "grid": [{"xs": [1, 2]}, {"xs": [3, 4]}],
        "m": {"a": 1, "b": 2},
        "obj": {"name": "solo"},
        "people": [{"team": "a", "n": "x"}, {"team": "b", "n": "y"}, {"team": "a", "n": "z"}],
        "partial": {"known": 1},
    }));
    if let (Value::Map(v), Value::Map(l)) = (&mut var, &mut local) {
        v.insert(
            "unknown_thing".into(),
            unknown("var.unknown_thing has no value"),
        );
        l.insert(
            "set".into(),
            Value::set(vec![Value::string("b"), Value::string("a")]),
        );
        if let Some(Value::Map(p)) = l.get_mut("partial") {
            p.insert("u".into(), unknown("computed"));
        }
    }
    let vars = BTreeMap::from([
        ("var".to_string(), var),
        ("local".to_string(), local),
        (
            "aws_instance".to_string(),
            j(json!({"web": {"ami": "ami-1", "tags": {"Name": "w"}}})),
        ),
        ("data".to_string(), j(json!({}))),
    ]);
    TestScope {
        vars,
        open: ["aws_instance", "data", "module"]
            .into_iter()
            .map(String::from)
            .collect(),
        files: BTreeMap::from([("greeting.tmpl".to_string(), "Hi ${who}!".to_string())]),
    }
}

pub(crate) fn parse(src: &str) -> Expression {
    let body = hcl::parse(&format!("x = {src}\n")).unwrap_or_else(|e| panic!("parse {src}: {e}"));
    let attr = body
        .attributes()
        .next()
        .unwrap_or_else(|| panic!("no attribute in {src}"));
    attr.expr().clone()
}

pub(crate) fn ev(src: &str) -> (Value, Vec<Diag>) {
    let mut diags = Vec::new();
    let v = eval(&parse(src), &scope(), &mut diags);
    (v, diags)
}

/// Evaluates and asserts there are no diagnostics.
pub(crate) fn ok(src: &str) -> Value {
    let (v, diags) = ev(src);
    assert!(diags.is_empty(), "{src}: unexpected diagnostics {diags:?}");
    v
}

/// Evaluates, asserts the result is Unknown with at least one error, returns the messages.
pub(crate) fn err(src: &str) -> String {
    let (v, diags) = ev(src);
    assert!(v.is_unknown(), "{src}: expected unknown, got {v:?}");
    assert!(
        !diags.is_empty() && diags.iter().all(|d| d.code == EXPR_ERROR),
        "{src}: expected errors, got {diags:?}"
    );
    diags
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn s(x: &str) -> Value {
    Value::string(x)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

#[test]
fn literals() {
    assert_eq!(ok("1"), n(1.0));
    assert_eq!(ok("1.5e3"), n(1500.0));
    assert_eq!(ok("-2"), n(-2.0));
    assert_eq!(ok("\"a\""), s("a"));
    assert_eq!(ok("true"), Value::Bool(true));
    assert_eq!(ok("null"), Value::Null);
    assert_eq!(
        ok("[1, \"a\", false, null]"),
        j(json!([1, "a", false, null]))
    );
    assert_eq!(ok("[]"), Value::List(vec![]));
    assert_eq!(ok("(((2)))"), n(2.0));
}

#[test]
fn objects_and_keys() {
    assert_eq!(
        ok("{ a = 1, \"b c\" = 2, (local.k) = 3, \"${var.name}-x\" = 4 }"),
        j(json!({"a": 1, "b c": 2, "kk": 3, "web-x": 4}))
    );
    // Keywords are literal names; numbers and bools from expressions become strings.
    assert_eq!(
        ok("{ true = 1, null = 2 }"),
        j(json!({"true": 1, "null": 2}))
    );
    assert_eq!(
        ok("{ (var.size) = \"x\", (var.enabled) = \"y\" }"),
        j(json!({"3": "x", "true": "y"}))
    );
    // HCL keeps the later of two equal keys.
    assert_eq!(ok("{ a = 1, \"a\" = 2 }"), j(json!({"a": 2})));
    assert_eq!(
        ok("{ a = var.unknown_thing }")
            .as_map()
            .map(|m| m["a"].is_unknown()),
        Some(true)
    );
    // An unknown key makes the set of attributes unknown.
    assert_eq!(
        ok("{ (var.unknown_thing) = 1, b = 2 }"),
        unknown("var.unknown_thing has no value")
    );
    assert!(err("{ (var.nothing) = 1 }").contains("Null value as key"));
    assert!(err("{ (var.zones) = 1 }").contains("Incorrect key type"));
    assert!(err("{ var.name = 1 }").contains("Ambiguous attribute key"));
}

#[test]
fn references_and_indexes() {
    assert_eq!(ok("var.name"), s("web"));
    assert_eq!(ok("var.tags.env"), s("prod"));
    assert_eq!(ok("var.tags[\"team\"]"), s("core"));
    assert_eq!(ok("var.zones[1]"), s("b"));
    assert_eq!(ok("var.zones[\"2\"]"), s("c"));
    assert_eq!(ok("var.zones.0"), s("a"));
    assert_eq!(ok("var.nested.a.b[1]"), n(2.0));
    assert_eq!(ok("var.zones[var.count_str]"), s("c"));
    assert_eq!(ok("[10, 20][1]"), n(20.0));
    assert_eq!(ok("{a = {b = 5}}.a.b"), n(5.0));
    assert_eq!(ok("local.m[\"a\"]"), n(1.0));
}

#[test]
fn reference_errors() {
    assert!(err("var.zones[3]").contains("3 elements, index 3 is out of range"));
    assert!(err("var.zones[-1]").contains("Invalid index"));
    assert!(err("var.zones[0.5]").contains("whole number"));
    assert!(err("var.empty[0]").contains("has no elements"));
    assert!(err("var.zones[\"x\"]").contains("indexed by numbers"));
    assert!(err("var.zones[null]").contains("null"));
    assert!(
        err("var.tags.missing").contains("`var.tags` does not have an attribute named \"missing\"")
    );
    assert!(err("var.tags[\"missing\"]").contains("no element \"missing\""));
    assert!(err("var.tags[[1]]").contains("indexed by strings"));
    assert!(err("var.nothing.x").contains("Attempt to get attribute from null value"));
    assert!(err("var.nothing[0]").contains("Attempt to index null value"));
    assert!(err("var.name.x").contains("primitive-typed value"));
    assert!(err("var.name[0]").contains("does not have any indices"));
    assert!(err("var.zones.x").contains("Can't access attributes on a list"));
    assert!(err("local.set[0]").contains("is a set"));
    assert!(err("undeclared").contains("there is no `undeclared`"));
    assert!(err("undeclared.attr").contains("there is no `undeclared`"));
    assert!(
        err("var.missing.deeper").contains("`var` does not have an attribute named \"missing\"")
    );
}

#[test]
fn unknowns_propagate_through_references() {
    let u = unknown("var.unknown_thing has no value");
    assert_eq!(ok("var.unknown_thing"), u);
    assert_eq!(ok("var.unknown_thing.a.b[0]"), u);
    assert_eq!(ok("var.unknown_thing[*].id"), u);
    assert_eq!(ok("var.zones[var.unknown_thing]"), u);
    // Open roots: what the provider computes is unknown, not an error.
    assert_eq!(ok("aws_instance.web.ami"), s("ami-1"));
    assert_eq!(
        ok("aws_instance.web.id"),
        unknown("`aws_instance.web.id` is known only after apply")
    );
    assert!(ok("aws_instance.web.tags[\"Other\"]").is_unknown());
    assert!(ok("aws_instance.db.private_ip").is_unknown());
    assert_eq!(
        ok("module.net.vpc_id"),
        unknown("`module` is known only after apply")
    );
    // Errors in the index still count on an unknown value.
    assert!(err("var.unknown_thing[var.nothing.x]").contains("null"));
}

#[test]
fn splats() {
    assert_eq!(ok("local.items[*].name"), j(json!(["x", "y"])));
    assert_eq!(ok("local.items.*.id"), j(json!([1, 2])));
    // `[*]` applies the index to each element, `.*` to the resulting list.
    assert_eq!(ok("local.grid[*].xs[0]"), j(json!([1, 3])));
    assert_eq!(ok("local.grid.*.xs[0]"), j(json!([1, 2])));
    assert_eq!(ok("local.grid[*].xs[*]"), j(json!([[1, 2], [3, 4]])));
    assert_eq!(ok("local.items[*]"), ok("local.items"));
    // Single values become one-element lists; null an empty one.
    assert_eq!(ok("local.obj[*].name"), j(json!(["solo"])));
    assert_eq!(ok("var.name[*]"), j(json!(["web"])));
    assert_eq!(ok("var.nothing[*]"), j(json!([])));
    assert_eq!(ok("var.nothing[*].a.b"), j(json!([])));
    assert_eq!(ok("local.set[*]"), j(json!(["a", "b"])));
    assert_eq!(ok("var.empty[*].id"), j(json!([])));
    assert_eq!(
        ok("aws_instance.web[*].id"),
        Value::List(vec![unknown(
            "`aws_instance.web[*].id` is known only after apply"
        )])
    );
    assert_eq!(
        ok("[var.unknown_thing, {id = 1}][*].id"),
        Value::List(vec![unknown("var.unknown_thing has no value"), n(1.0)])
    );
    assert!(
        err("local.items[*].missing")
            .contains("`local.items[*]` does not have an attribute named \"missing\"")
    );
}

#[test]
fn arithmetic_and_comparison() {
    assert_eq!(ok("1 + 2 * 3"), n(7.0));
    assert_eq!(ok("(1 + 2) * 3"), n(9.0));
    assert_eq!(ok("\"2\" + 1"), n(3.0));
    assert_eq!(ok("var.count_str * var.size"), n(6.0));
    assert_eq!(ok("10 / 4"), n(2.5));
    assert_eq!(ok("7 % 3"), n(1.0));
    assert_eq!(ok("-7 % 3"), n(-1.0));
    assert_eq!(ok("-var.size"), n(-3.0));
    assert_eq!(ok("- \"4\""), n(-4.0));
    assert_eq!(ok("1 < 2"), Value::Bool(true));
    assert_eq!(ok("\"10\" > 9"), Value::Bool(true));
    assert_eq!(ok("2 >= 2"), Value::Bool(true));
    assert_eq!(ok("1 <= 0"), Value::Bool(false));
    assert!(err("1 / 0").contains("divide by zero"));
    assert!(err("5 % 0").contains("divide by zero"));
    assert!(err("\"a\" + 1").contains("left operand: a number is required"));
    assert!(err("1 - true").contains("right operand: a number is required, got bool"));
    assert!(err("null + 1").contains("got null"));
    assert!(err("[1] < 2").contains("got list"));
    assert!(err("\" 1\" + 1").contains("a number is required"));
    assert!(err("-[1]").contains("unary operand"));
    assert_eq!(
        ok("var.unknown_thing + 1"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("1 < var.unknown_thing"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("-var.unknown_thing"),
        unknown("var.unknown_thing has no value")
    );
}

#[test]
fn equality_is_structural_without_conversion() {
    let t = Value::Bool(true);
    let f = Value::Bool(false);
    assert_eq!(ok("1 == \"1\""), f);
    assert_eq!(ok("1 == 1.0"), t);
    assert_eq!(ok("\"a\" != \"b\""), t);
    assert_eq!(ok("[1, \"a\"] == [1, \"a\"]"), t);
    assert_eq!(ok("[1] == [1, 2]"), f);
    assert_eq!(ok("{a = 1} == {a = 1}"), t);
    assert_eq!(ok("{a = 1} != {a = 2}"), t);
    assert_eq!(ok("{a = 1} == {b = 1}"), f);
    assert_eq!(ok("null == null"), t);
    assert_eq!(ok("var.nothing == null"), t);
    assert_eq!(ok("var.name == null"), f);
    assert_eq!(ok("local.set == local.set"), t);
    assert_eq!(ok("[1] == {a = 1}"), f);
    assert_eq!(
        ok("var.unknown_thing == 1"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("var.unknown_thing != null"),
        unknown("var.unknown_thing has no value")
    );
    // Unknowns inside decide only when nothing else does.
    assert_eq!(ok("[var.unknown_thing, 1] == [1, 2]"), f);
    assert_eq!(ok("[var.unknown_thing] == [1, 2]"), f);
    assert_eq!(
        ok("[var.unknown_thing] == [1]"),
        unknown("var.unknown_thing has no value")
    );
}

#[test]
fn logical_operators_short_circuit_like_hcl() {
    let t = Value::Bool(true);
    let f = Value::Bool(false);
    assert_eq!(ok("true && false"), f);
    assert_eq!(ok("true || false"), t);
    assert_eq!(ok("!var.enabled"), f);
    assert_eq!(ok("!\"false\""), t);
    assert_eq!(ok("\"true\" && true"), t);
    assert_eq!(ok("false && var.unknown_thing"), f);
    assert_eq!(ok("var.unknown_thing && false"), f);
    assert_eq!(ok("true || var.unknown_thing"), t);
    assert_eq!(ok("var.unknown_thing || true"), t);
    assert_eq!(
        ok("true && var.unknown_thing"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("var.unknown_thing || var.unknown_thing"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("!var.unknown_thing"),
        unknown("var.unknown_thing has no value")
    );
    // The deciding side wins and the other side's errors are dropped.
    assert_eq!(ok("var.nothing != null && var.nothing.enabled"), f);
    assert_eq!(ok("var.nothing == null || var.nothing.enabled"), t);
    assert!(err("true && var.nothing.x").contains("null"));
    assert!(err("1 && true").contains("a bool is required, got number"));
    assert!(err("!1").contains("a bool is required"));
    assert!(err("null || false").contains("null"));
}

#[test]
fn conditionals() {
    assert_eq!(ok("var.enabled ? \"a\" : \"b\""), s("a"));
    assert_eq!(ok("\"false\" ? 1 : 2"), n(2.0));
    assert_eq!(ok("var.size > 2 ? var.zones[0] : var.zones[1]"), s("a"));
    assert_eq!(
        ok("var.unknown_thing ? 1 : 2"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(ok("var.unknown_thing ? \"same\" : \"same\""), s("same"));
    assert_eq!(
        ok("var.unknown_thing ? var.nothing.x : 1"),
        unknown("var.unknown_thing has no value")
    );
    // Only the chosen branch's errors count.
    assert_eq!(ok("false ? var.nothing.x : \"ok\""), s("ok"));
    assert!(err("true ? var.nothing.x : \"ok\"").contains("null"));
    // Primitive results unify as Terraform's do.
    assert_eq!(ok("true ? 1 : \"x\""), s("1"));
    assert_eq!(ok("false ? \"x\" : true"), s("true"));
    assert_eq!(ok("true ? null : 1"), Value::Null);
    assert_eq!(ok("true ? [1] : {a = 1}"), j(json!([1])));
    assert!(err("true ? 1 : true").contains("Inconsistent conditional result types"));
    assert!(err("true ? \"a\" : [\"a\"]").contains("Inconsistent conditional result types"));
    assert!(err("null ? 1 : 2").contains("Null condition"));
    assert!(err("1 ? 1 : 2").contains("must be of type bool, got number"));
}

#[test]
fn for_expressions() {
    assert_eq!(
        ok("[for z in var.zones : \"${z}-x\"]"),
        j(json!(["a-x", "b-x", "c-x"]))
    );
    assert_eq!(ok("[for i, z in var.zones : i]"), j(json!([0, 1, 2])));
    assert_eq!(
        ok("[for z in var.zones : z if z != \"b\"]"),
        j(json!(["a", "c"]))
    );
    assert_eq!(
        ok("{for k, v in local.m : k => v * 10}"),
        j(json!({"a": 10, "b": 20}))
    );
    assert_eq!(
        ok("{for k, v in local.m : v => k}"),
        j(json!({"1": "a", "2": "b"}))
    );
    assert_eq!(
        ok("{for i in local.items : i.name => i.id}"),
        j(json!({"x": 1, "y": 2}))
    );
    assert_eq!(
        ok("{for p in local.people : p.team => p.n...}"),
        j(json!({"a": ["x", "z"], "b": ["y"]}))
    );
    // Maps iterate in key order; sets give each element as key and value.
    assert_eq!(
        ok("[for k, v in {b = 1, a = 2} : \"${k}${v}\"]"),
        j(json!(["a2", "b1"]))
    );
    assert_eq!(
        ok("[for k, v in local.set : \"${k}${v}\"]"),
        j(json!(["aa", "bb"]))
    );
    assert_eq!(
        ok("[for x in [1, 2] : [for y in [10, 20] : x + y]]"),
        j(json!([[11, 21], [12, 22]]))
    );
    assert_eq!(ok("[for var in [1] : var]"), j(json!([1])));
    assert_eq!(ok("[for z in var.empty : z]"), j(json!([])));
    assert_eq!(
        ok("[for z in var.zones : var.unknown_thing]")
            .as_list()
            .map(<[Value]>::len),
        Some(3)
    );
}

#[test]
fn for_expression_unknowns_and_errors() {
    let u = unknown("var.unknown_thing has no value");
    assert_eq!(ok("[for z in var.unknown_thing : z]"), u);
    assert_eq!(ok("[for z in var.zones : z if var.unknown_thing]"), u);
    assert!(ok("{for z in var.zones : var.unknown_thing => z}").is_unknown());
    // Elements of an open collection keep its openness.
    assert_eq!(
        ok("[for x in aws_instance.web[*] : x.id]"),
        Value::List(vec![unknown("`x.id` is known only after apply")])
    );
    assert!(err("[for z in var.nothing : z]").contains("Iteration over null value"));
    assert!(err("[for z in \"abc\" : z]").contains("Iteration over non-iterable value"));
    assert!(err("[for z in var.zones : z if 1]").contains("'if' clause value is invalid"));
    assert!(err("[for z in var.zones : z if null]").contains("must not be null"));
    assert!(
        err("{for z in var.zones : (z == \"a\" ? null : z) => 1}")
            .contains("must not produce a null value")
    );
    assert!(err("{for z in var.zones : [z] => 1}").contains("string required, got list"));
    assert!(
        err("{for p in local.people : p.team => p.n}")
            .contains("Duplicate object key: Two different items produced the key \"a\"")
    );
    assert!(
        err("[for x in local.items : x.missing]")
            .contains("`x` does not have an attribute named \"missing\"")
    );
    // The same error in every iteration is reported once.
    let (_, diags) = ev("[for z in var.zones : var.nothing.x]");
    assert_eq!(diags.len(), 1, "{diags:?}");
}
