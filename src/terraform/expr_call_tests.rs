//! Tests of function calls, `try`/`can`, the reference walker, the depth guard, and a
//! property test that evaluation never panics and is deterministic.

use super::*;
use crate::terraform::expr::tests::{err, ev, ok, parse, scope, unknown};
use crate::terraform::expr::{EXPR_ERROR, MAX_DEPTH, eval, references};
use hcl::expr::{
    BinaryOp, BinaryOperator, Conditional, ForExpr, Traversal, UnaryOp, UnaryOperator,
};
use hcl::{Identifier, Number};
use proptest::prelude::*;

/// A function no library will have: calls to it stay unsupported.
const NOPE: &str = "nosuchfn";

fn warn_only(src: &str) -> Value {
    let (v, diags) = ev(src);
    assert_eq!(diags.len(), 1, "{src}: {diags:?}");
    assert_eq!(diags[0].code, UNSUPPORTED_FUNCTION, "{src}: {diags:?}");
    v
}

#[test]
fn unsupported_functions_warn_and_give_unknown() {
    let v = warn_only(&format!("{NOPE}(1, \"a\")"));
    assert_eq!(
        v,
        unknown("function `nosuchfn` is not evaluated by stackgate")
    );
    let (_, diags) = ev(&format!("{NOPE}()"));
    assert!(
        diags[0]
            .message
            .contains("`nosuchfn` is not evaluated by stackgate")
    );
    let v = warn_only("provider::aws::arn_parse(\"arn:aws:s3:::b\")");
    assert_eq!(
        v,
        unknown("function `provider::aws::arn_parse` is not evaluated by stackgate")
    );
    // The result of an unsupported call is unknown wherever it flows.
    assert!(warn_only(&format!("\"x-${{{NOPE}()}}\"")).is_unknown());
    assert!(warn_only(&format!("{NOPE}() + 1")).is_unknown());
}

#[test]
fn call_arguments() {
    // Unknown arguments are the library's to judge; an unknown function stays unsupported.
    assert!(warn_only(&format!("{NOPE}(var.unknown_thing)")).is_unknown());
    // Errors in arguments are reported and the function is not called.
    assert!(err(&format!("{NOPE}(var.nothing.x)")).contains("null"));
    // `...` spreads the last argument.
    warn_only(&format!("{NOPE}(var.zones...)"));
    warn_only(&format!("{NOPE}(1, local.set...)"));
    assert_eq!(
        ok(&format!("{NOPE}(var.unknown_thing...)")),
        unknown("var.unknown_thing has no value")
    );
    assert!(err(&format!("{NOPE}(var.nothing...)")).contains("must not be null"));
    assert!(
        err(&format!("{NOPE}(var.name...)"))
            .contains("must be of a tuple, list, or set type, got string")
    );
}

#[test]
fn try_takes_the_first_argument_that_works() {
    assert_eq!(
        ok("try(var.tags.missing, \"fallback\")"),
        Value::string("fallback")
    );
    assert_eq!(ok("try(var.tags.env, \"fallback\")"), Value::string("prod"));
    assert_eq!(
        ok("try(var.nothing.a, var.zones[9], 3)"),
        Value::Number(3.0)
    );
    assert_eq!(ok("try(var.nothing)"), Value::Null);
    let message = err("try(var.nothing.a, var.tags.missing)");
    assert!(message.contains("no expression succeeded"), "{message}");
    assert!(
        message.contains("null") && message.contains("\"missing\""),
        "{message}"
    );
    assert!(err("try()").contains("at least one argument"));
    // Whether an argument fails may depend on unknowns: then the result is unknown.
    assert_eq!(
        ok("try(var.unknown_thing.a, \"d\")"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(ok("try(local.partial.u, \"d\")"), unknown("computed"));
    assert_eq!(
        ok("try(var.tags[var.unknown_thing], \"d\")"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("try(aws_instance.web.id, \"d\")"),
        unknown("`aws_instance` is known only after apply")
    );
    // … but only the values the references actually reach count.
    assert_eq!(ok("try(local.partial.missing, \"d\")"), Value::string("d"));
    assert_eq!(ok("try(local.partial.known, \"d\")"), Value::Number(1.0));
    assert!(warn_only(&format!("try({NOPE}(), \"d\")")).is_unknown());
}

#[test]
fn can_tells_whether_an_expression_works() {
    assert_eq!(ok("can(var.tags.env)"), Value::Bool(true));
    assert_eq!(ok("can(var.tags.missing)"), Value::Bool(false));
    assert_eq!(ok("can(var.zones[5])"), Value::Bool(false));
    assert_eq!(ok("can(1 / 0)"), Value::Bool(false));
    assert_eq!(
        ok("can(var.unknown_thing.x)"),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(ok("can(var.zones) && !can(var.tags.x)"), Value::Bool(true));
    assert!(warn_only(&format!("can({NOPE}(1))")).is_unknown());
    assert!(err("can(1, 2)").contains("exactly one argument, got 2"));
    assert!(err("can()").contains("exactly one argument, got 0"));
}

fn refs(src: &str) -> Vec<(String, Option<String>)> {
    references(&parse(src))
}

fn want(items: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    items
        .iter()
        .map(|(r, a)| (r.to_string(), a.map(str::to_string)))
        .collect()
}

#[test]
fn references_walk_everything_but_bound_names() {
    assert_eq!(
        refs(
            "var.a + local.b.c + aws_instance.web.id + module.m.out + data.aws_ami.x.id + each.value + count.index + length(path.module)"
        ),
        want(&[
            ("aws_instance", Some("web")),
            ("count", Some("index")),
            ("data", Some("aws_ami.x")),
            ("each", Some("value")),
            ("local", Some("b")),
            ("module", Some("m")),
            ("path", Some("module")),
            ("var", Some("a")),
        ])
    );
    assert_eq!(
        refs("[for x in local.items : x.name if x.id > var.min]"),
        want(&[("local", Some("items")), ("var", Some("min"))])
    );
    assert_eq!(
        refs("{for k, v in local.m : k => [for y in v : y + k + z]...}"),
        want(&[("local", Some("m")), ("z", None)])
    );
    // The collection is outside the loop's own names.
    assert_eq!(refs("[for x in x : x]"), want(&[("x", None)]));
    assert_eq!(
        refs("\"${var.a}-%{for z in local.zs}${z}${path.module}%{endfor}%{if local.on}y%{endif}\""),
        want(&[
            ("local", Some("on")),
            ("local", Some("zs")),
            ("path", Some("module")),
            ("var", Some("a"))
        ])
    );
    assert_eq!(
        refs("merge(local.tags, {Name = var.name})"),
        want(&[("local", Some("tags")), ("var", Some("name"))])
    );
    assert_eq!(refs("local[\"k\"]"), want(&[("local", Some("k"))]));
    assert_eq!(
        refs("{ (local.k) = 1, plain = 2, true = 3 }"),
        want(&[("local", Some("k"))])
    );
    assert_eq!(refs("x"), want(&[("x", None)]));
    assert_eq!(refs("x[0].y"), want(&[("x", None)]));
    assert_eq!(refs("var.a + var.a + var.a.b"), want(&[("var", Some("a"))]));
    assert_eq!(
        refs("local.m[var.key]"),
        want(&[("local", Some("m")), ("var", Some("key"))])
    );
    assert_eq!(
        refs("var.c ? local.t : try(local.f, null)"),
        want(&[
            ("local", Some("f")),
            ("local", Some("t")),
            ("var", Some("c"))
        ])
    );
    assert_eq!(refs("(var.p).q[*].r"), want(&[("var", Some("p"))]));
    assert_eq!(refs("<<EOT\n${var.h}\nEOT"), want(&[("var", Some("h"))]));
    assert_eq!(refs("!-(1 + 2)"), want(&[]));
}

fn num(n: u64) -> Expression {
    Expression::Number(Number::from(n))
}

/// A number expression nested `depth` levels deep, cycling through the recursive constructs.
fn deep(depth: usize) -> Expression {
    let mut e = num(1);
    for level in 0..depth {
        e = match level % 7 {
            0 => Expression::Parenthesis(Box::new(e)),
            1 => BinaryOp::new(e, BinaryOperator::Plus, num(1)).into(),
            2 => Traversal::new(
                Expression::Array(vec![e]),
                [TraversalOperator::Index(num(0))],
            )
            .into(),
            3 => Conditional::new(true, e, num(0)).into(),
            4 => {
                let each = ForExpr::new(
                    Identifier::unchecked("v"),
                    Expression::Array(vec![num(1)]),
                    e,
                );
                Traversal::new(Expression::from(each), [TraversalOperator::LegacyIndex(0)]).into()
            }
            5 => {
                let object = Expression::from_iter([(Identifier::unchecked("a"), e)]);
                Traversal::new(
                    object,
                    [TraversalOperator::GetAttr(Identifier::unchecked("a"))],
                )
                .into()
            }
            _ => UnaryOp::new(UnaryOperator::Neg, UnaryOp::new(UnaryOperator::Neg, e)).into(),
        };
    }
    e
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // 2 MiB is the smallest stack evaluation runs on (rayon's and test threads' default).
    let run = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
        let sc = scope();
        let mut diags = Vec::new();
        let too_deep = eval(&deep(4 * MAX_DEPTH as usize), &sc, &mut diags);
        let refs = references(&deep(4 * MAX_DEPTH as usize));
        let mut fine_diags = Vec::new();
        let fine = eval(&deep(MAX_DEPTH as usize / 2), &sc, &mut fine_diags);
        (too_deep, diags, refs, fine, fine_diags)
    });
    let (too_deep, diags, refs, fine, fine_diags) = run
        .ok()
        .and_then(|h| h.join().ok())
        .unwrap_or_else(|| panic!("thread failed"));
    assert!(too_deep.is_unknown());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, EXPR_ERROR);
    assert!(
        diags[0].message.contains("Expression too complex"),
        "{diags:?}"
    );
    // The walk stops at the same depth and finds nothing past it.
    assert!(refs.is_empty());
    assert!(!fine.is_unknown(), "{fine:?}");
    assert!(fine_diags.is_empty(), "{fine_diags:?}");
}

#[test]
fn long_operator_chains_within_parser_limits_evaluate() {
    let chain = vec!["1"; 120].join(" + ");
    assert_eq!(ok(&chain), Value::Number(120.0));
    let nested = format!("{}1{}", "[".repeat(60), "]".repeat(60));
    assert!(!ok(&nested).is_unknown());
}

/// Expression sources from a small grammar over the test scope; many are ill-typed on
/// purpose.
fn expr_source() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..1000).prop_map(|n| n.to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("\"s\"".to_string()),
        Just("\"2\"".to_string()),
        Just("var.name".to_string()),
        Just("var.zones".to_string()),
        Just("var.tags".to_string()),
        Just("var.nothing".to_string()),
        Just("var.unknown_thing".to_string()),
        Just("local.items".to_string()),
        Just("local.set".to_string()),
        Just("aws_instance.web".to_string()),
        Just("v".to_string()),
        Just("k".to_string()),
    ];
    let ops = prop_oneof![
        Just("+"),
        Just("-"),
        Just("*"),
        Just("/"),
        Just("%"),
        Just("=="),
        Just("!="),
        Just("<"),
        Just(">="),
        Just("&&"),
        Just("||")
    ];
    leaf.prop_recursive(5, 48, 3, move |inner| {
        prop_oneof![
            (inner.clone(), ops.clone(), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("!({a})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("{{ k = {a}, (\"x\") = {b} }}")),
            inner.clone().prop_map(|a| format!("({a})[0]")),
            inner.clone().prop_map(|a| format!("({a}).name")),
            inner.clone().prop_map(|a| format!("({a})[*].id")),
            inner.clone().prop_map(|a| format!("({a}).*.name")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[for k, v in {a} : {b}]")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("{{for k, v in {a} : k => {b}...}}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[for v in {a} : v if {b}]")),
            inner.clone().prop_map(|a| format!("\"pre-${{{a}}}-post\"")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("\"%{{if {a}}}${{{b}}}%{{else}}n%{{endif}}\"")),
            inner
                .clone()
                .prop_map(|a| format!("\"%{{ for v in {a} ~}} ${{v}} %{{~ endfor }}\"")),
            inner.clone().prop_map(|a| format!("try({a}, 1)")),
            inner.clone().prop_map(|a| format!("can({a})")),
            inner.clone().prop_map(|a| format!("{NOPE}({a}...)")),
        ]
    })
}

fn run(src: &str) -> Option<String> {
    let body = hcl::parse(&format!("x = {src}\n")).ok()?;
    let expr = body.attributes().next()?.expr().clone();
    let mut diags = Vec::new();
    let v = eval(&expr, &scope(), &mut diags);
    Some(format!("{v:?} {diags:?} {:?}", references(&expr)))
}

proptest! {
    #[test]
    fn eval_never_panics_and_is_deterministic(src in expr_source()) {
        let first = run(&src);
        prop_assert_eq!(&first, &run(&src));
    }

    #[test]
    fn eval_of_arbitrary_text_never_panics(src in "[a-z0-9 .\\[\\]*+!?:(){}\",=<>&|%$~\\\\-]{0,40}") {
        let first = run(&src);
        prop_assert_eq!(&first, &run(&src));
    }
}

#[test]
fn library_functions_get_evaluated_and_expanded_arguments() {
    assert_eq!(ok("length(var.zones)"), Value::Number(3.0));
    assert_eq!(ok("core::length(var.tags)"), Value::Number(2.0));
    assert_eq!(ok("max([1, 5, 3]...)"), Value::Number(5.0));
    assert_eq!(
        ok("upper(\"${var.name}-${var.size}\")"),
        Value::string("WEB-3")
    );
    assert_eq!(
        ok("templatefile(\"greeting.tmpl\", {who = var.name})"),
        Value::string("Hi web!")
    );
    assert!(err("length(1)").contains("Call to function \"length\" failed"));
}
