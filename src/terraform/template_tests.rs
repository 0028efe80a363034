//! Tests of templates: interpolation, directives, strip markers, heredocs, escapes, and
//! `templatefile` rendering.

use super::*;
use crate::terraform::expr::UNSUPPORTED_FUNCTION;
use crate::terraform::expr::tests::{err, ev, j, ok, scope, unknown};
use crate::terraform::expr_call::Env;
use crate::terraform::functions::FnEnv;
use serde_json::json;

fn s(x: &str) -> Value {
    Value::string(x)
}

#[test]
fn interpolation_converts_primitives() {
    assert_eq!(ok("\"hello ${var.name}!\""), s("hello web!"));
    assert_eq!(
        ok("\"n=${var.size}, on=${var.enabled}, f=${1.5}, big=${1e20}\""),
        s("n=3, on=true, f=1.5, big=100000000000000000000")
    );
    assert_eq!(ok("\"${var.tags.env}-${var.zones[0]}\""), s("prod-a"));
    assert_eq!(ok("\"${\"nested ${var.name}\"}\""), s("nested web"));
}

#[test]
fn single_interpolation_keeps_the_value() {
    assert_eq!(ok("\"${var.size}\""), Value::Number(3.0));
    assert_eq!(ok("\"${var.zones}\""), j(json!(["a", "b", "c"])));
    assert_eq!(ok("\"${var.nothing}\""), Value::Null);
    assert_eq!(ok("\"${~ var.enabled ~}\""), Value::Bool(true));
}

#[test]
fn interpolation_errors_and_unknowns() {
    assert!(err("\"a${var.nothing}\"").contains("Cannot include a null value"));
    assert!(err("\"a${var.zones}\"").contains("string required, got list"));
    assert!(err("\"a${var.tags}\"").contains("string required, got object"));
    assert!(err("\"a${var.nothing.x}b\"").contains("Attempt to get attribute from null value"));
    assert_eq!(
        ok("\"a${var.unknown_thing}b\""),
        unknown("var.unknown_thing has no value")
    );
    assert_eq!(
        ok("\"${var.name}${aws_instance.web.id}\""),
        unknown("`aws_instance.web.id` is known only after apply")
    );
}

#[test]
fn if_directive() {
    assert_eq!(ok("\"%{if var.enabled}yes%{else}no%{endif}\""), s("yes"));
    assert_eq!(ok("\"%{if !var.enabled}yes%{else}no%{endif}\""), s("no"));
    assert_eq!(ok("\"[%{if false}yes%{endif}]\""), s("[]"));
    assert_eq!(ok("\"%{if \"true\"}t%{endif}\""), s("t"));
    assert_eq!(
        ok("\"a%{if var.unknown_thing}yes%{endif}\""),
        unknown("var.unknown_thing has no value")
    );
    // The branch not taken is not evaluated.
    assert_eq!(
        ok("\"%{if false}${var.nothing.x}%{else}ok%{endif}\""),
        s("ok")
    );
    assert!(err("\"%{if var.nothing}x%{endif}\"").contains("Null condition"));
    assert!(err("\"%{if var.zones}x%{endif}\"").contains("must be of type bool, got list"));
}

#[test]
fn for_directive() {
    assert_eq!(ok("\"%{for z in var.zones}${z},%{endfor}\""), s("a,b,c,"));
    assert_eq!(
        ok("\"%{for i, z in var.zones}${i}=${z} %{endfor}\""),
        s("0=a 1=b 2=c ")
    );
    assert_eq!(
        ok("\"%{for k, v in var.tags}${k}:${v};%{endfor}\""),
        s("env:prod;team:core;")
    );
    assert_eq!(ok("\"[%{for z in var.empty}${z}%{endfor}]\""), s("[]"));
    assert_eq!(
        ok("\"%{for x in local.grid}%{for y in x.xs}${y}%{endfor}|%{endfor}\""),
        s("12|34|")
    );
    assert_eq!(
        ok("\"%{for z in var.unknown_thing}${z}%{endfor}\""),
        unknown("var.unknown_thing has no value")
    );
    assert!(err("\"%{for z in var.nothing}${z}%{endfor}\"").contains("Iteration over null value"));
    assert!(err("\"%{for z in var.name}${z}%{endfor}\"").contains("non-iterable"));
}

#[test]
fn strip_markers_remove_all_adjacent_whitespace() {
    assert_eq!(ok("\"a \\n ${~ var.name ~} \\n b\""), s("awebb"));
    assert_eq!(ok("\"a ${~ var.name} b\""), s("aweb b"));
    assert_eq!(ok("\"%{ if true ~}  yes  %{~ endif }\""), s("yes"));
    assert_eq!(ok("\"%{ if false }x%{ else ~}  no  %{~ endif }\""), s("no"));
    assert_eq!(
        ok("\"%{ if true }  yes  %{~ else }x%{ endif }\""),
        s("  yes")
    );
    // In a quoted string the escapes inside directives are decoded before stripping.
    assert_eq!(
        ok("\"%{ for z in var.zones ~}\\n- ${z}\\n%{ endfor ~}\""),
        s("- a\n- b\n- c\n")
    );
    assert_eq!(
        ok("\"<%{ for z in var.zones ~} ${z} %{~ endfor ~} >\""),
        s("<abc>")
    );
}

#[test]
fn heredocs() {
    let list = "<<EOT\n%{ for z in var.zones ~}\n- ${z}\n%{ endfor ~}\nEOT";
    assert_eq!(ok(list), s("- a\n- b\n- c\n"));
    assert_eq!(
        ok("<<EOT\n  hi ${var.name}\n    there\nEOT"),
        s("  hi web\n    there\n")
    );
    // `<<-` removes the common indentation of the lines, not of interpolated values.
    let indented = "<<-EOT\n    hello\n      ${var.name}\n    bye ${\"  x\"}\n    EOT";
    assert_eq!(ok(indented), s("hello\n  web\nbye   x\n"));
    assert_eq!(ok("<<-EOT\n    a\n\n    b\n  EOT"), s("a\n\nb\n"));
    // Heredocs take backslashes literally; `$${` still escapes.
    assert_eq!(
        ok("<<EOT\nC:\\dir $${x} %%{y}\nEOT"),
        s("C:\\dir ${x} %{y}\n")
    );
}

#[test]
fn quoted_escapes() {
    assert_eq!(ok("\"q\\\"${var.name}\\\"\\t\""), s("q\"web\"\t"));
    assert_eq!(
        ok("\"%{if true}\\\"in\\\"\\n\\\\%{endif}\""),
        s("\"in\"\n\\")
    );
    assert_eq!(ok("\"%{if true}\\u00e9\\U0001F600%{endif}\""), s("é😀"));
    assert_eq!(ok("\"$${var.name} ${var.name}\""), s("${var.name} web"));
    assert_eq!(ok("\"%{if true}$${x} %%{y}%{endif}\""), s("${x} %{y}"));
}

#[test]
fn unescape_decodes_and_rejects() {
    assert_eq!(unescape("plain").ok(), Some(Cow::Borrowed("plain")));
    assert_eq!(
        unescape("a\\tb\\\\c\\u0041\\U0001F600").ok().as_deref(),
        Some("a\tb\\cA😀")
    );
    assert!(
        unescape("\\x")
            .unwrap_err()
            .contains("\"x\" is not a valid escape")
    );
    assert!(
        unescape("a\\")
            .unwrap_err()
            .contains("ends with a backslash")
    );
    assert!(unescape("\\u12").unwrap_err().contains("\\u12"));
    assert!(
        unescape("\\uD800")
            .unwrap_err()
            .contains("not a valid Unicode")
    );
}

fn vars() -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("name".to_string(), s("db")),
        ("items".to_string(), j(json!(["a", "b"]))),
        ("later".to_string(), unknown("computed")),
    ])
}

fn render(text: &str) -> (Result<Value, String>, Vec<Diag>) {
    let mut diags = Vec::new();
    let r = render_template(text, &vars(), &scope(), &mut diags);
    (r, diags)
}

#[test]
fn templatefile_renders_with_its_vars_only() {
    let text = "Hello ${name}\n%{ for i in items ~}\n* ${i}\n%{ endfor ~}\nbye\n";
    assert_eq!(render(text), (Ok(s("Hello db\n* a\n* b\nbye\n")), vec![]));
    assert_eq!(render("${items}"), (Ok(j(json!(["a", "b"]))), vec![]));
    assert_eq!(render("id=${later}"), (Ok(unknown("computed")), vec![]));
    // Template files take backslashes literally.
    assert_eq!(render("a\\nb ${name}"), (Ok(s("a\\nb db")), vec![]));
    let (r, _) = render("${var.name}");
    assert!(
        r.unwrap_err()
            .contains("vars map does not contain key \"var\"")
    );
    // Checked even in a branch that is not taken.
    let (r, _) = render("%{if false}${other}%{endif}");
    assert!(r.unwrap_err().contains("does not contain key \"other\""));
    let (r, _) = render("%{for i in items}${i}%{endfor}${i}");
    assert!(r.unwrap_err().contains("does not contain key \"i\""));
    let (r, _) = render("${name");
    assert!(r.unwrap_err().contains("invalid template"));
    let (r, _) = render("${items[5]}!");
    assert!(r.unwrap_err().contains("out of range"));
}

#[test]
fn templatefile_rejects_bad_names_and_keeps_warnings() {
    let mut diags = Vec::new();
    let bad = BTreeMap::from([("1x".to_string(), Value::Null)]);
    let r = render_template("x", &bad, &scope(), &mut diags);
    assert!(
        r.unwrap_err()
            .contains("invalid template variable name \"1x\"")
    );
    let (r, diags) = render("${nosuchfn(name)}!");
    assert!(r.is_ok_and(|v| v.is_unknown()));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, UNSUPPORTED_FUNCTION);
}

#[test]
fn function_env_renders_and_reads_files() {
    let sc = scope();
    let env = Env::new(&sc, Ctx::default());
    assert_eq!(env.read_file("greeting.tmpl").as_deref(), Ok("Hi ${who}!"));
    assert!(env.read_file("missing").is_err());
    let vars = BTreeMap::from([("who".to_string(), s("you"))]);
    assert_eq!(env.render_template("Hi ${who}!", &vars), Ok(s("Hi you!")));
    assert!(
        env.render_template("${nosuchfn()}x", &vars)
            .is_ok_and(|v| v.is_unknown())
    );
    assert_eq!(env.take_diags().len(), 1);
    // Inside a template, templatefile may not render another one.
    let inner = Env::new(
        &sc,
        Ctx {
            depth: 3,
            in_template: true,
        },
    );
    assert!(
        inner
            .render_template("x", &vars)
            .unwrap_err()
            .contains("cannot call templatefile")
    );
}

#[test]
fn template_results_do_not_depend_on_evaluation_order() {
    // Errors anywhere make the string unknown, even after an unknown part.
    let (v, diags) = ev("\"${var.unknown_thing}${var.nothing}\"");
    assert!(v.is_unknown());
    assert_eq!(diags.len(), 1);
}
