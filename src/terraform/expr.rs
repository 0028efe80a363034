//! Evaluates Terraform expressions statically, the way `terraform plan` would, without the
//! terraform binary: literals, references, operators, conditionals, `for`, splats, templates
//! and function calls. Values that cannot be known before apply are `Unknown` and stay so
//! through every operation; problems become diagnostics and never stop evaluation.
//!
//! The evaluator is split by idea: operators in `expr_ops`, references and splats in
//! `expr_traversal`, `for` in `expr_for`, calls in `expr_call`, the reference walker in
//! `expr_refs`, templates in `template`.

use super::expr_call;
use super::expr_for;
use super::expr_ops;
use super::expr_traversal;
use super::scope::{Diag, Scope};
use super::template;
use super::value::{Value, format_number};
use hcl::Expression;
use hcl::expr::{Conditional, ObjectKey};
use std::collections::{BTreeMap, BTreeSet};

pub use super::expr_refs::references;
pub use super::template::render_template;

/// The expression would fail `terraform plan`.
pub(crate) const EXPR_ERROR: &str = "tf-expression-error";
/// A function stackgate does not evaluate; its result is unknown.
pub(crate) const UNSUPPORTED_FUNCTION: &str = "tf-unsupported-function";

/// How deep evaluation may recurse. The HCL parser already caps nesting (64 levels plus 128
/// chained operators), so valid configurations stay well below; the cap protects the stack
/// from trees built some other way and from templates rendering templates.
pub(crate) const MAX_DEPTH: u32 = 256;

/// Where evaluation stands: how deep, and whether inside a `templatefile` template (which
/// Terraform does not let call `templatefile` again).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ctx {
    pub depth: u32,
    pub in_template: bool,
}

impl Ctx {
    pub(crate) fn deeper(self) -> Ctx {
        Ctx {
            depth: self.depth.saturating_add(1),
            ..self
        }
    }

    pub(crate) fn too_deep(self) -> bool {
        self.depth > MAX_DEPTH
    }
}

/// Evaluates an expression. Never fails: problems go to `diags` and the value becomes Unknown.
pub fn eval(expr: &Expression, scope: &dyn Scope, diags: &mut Vec<Diag>) -> Value {
    let start = diags.len();
    let value = eval_at(expr, scope, Ctx::default(), diags);
    dedup_from(diags, start);
    value
}

/// Drops repeated diagnostics among `diags[start..]`: an error inside a `for` body would
/// otherwise be reported once per element.
pub(crate) fn dedup_from(diags: &mut Vec<Diag>, start: usize) {
    if start >= diags.len() {
        return;
    }
    let tail = diags.split_off(start);
    let mut seen = BTreeSet::new();
    for d in tail {
        if seen.insert((d.code, d.message.clone())) {
            diags.push(d);
        }
    }
}

/// Records an expression error and returns the Unknown that stands for the failed value.
pub(crate) fn fail(diags: &mut Vec<Diag>, message: impl Into<String>) -> Value {
    diags.push(Diag::new(EXPR_ERROR, message));
    Value::unknown("the expression has an error")
}

/// Whether any of `diags` is an error (unsupported functions are only warnings).
pub(crate) fn has_errors(diags: &[Diag]) -> bool {
    diags.iter().any(|d| d.code == EXPR_ERROR)
}

/// The first error message among `diags`.
pub(crate) fn first_error(diags: &[Diag]) -> Option<&str> {
    diags
        .iter()
        .find(|d| d.code == EXPR_ERROR)
        .map(|d| d.message.as_str())
}

pub(crate) fn eval_at(
    expr: &Expression,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    if ctx.too_deep() {
        return fail(
            diags,
            format!("Expression too complex: it nests more than {MAX_DEPTH} levels deep"),
        );
    }
    let ctx = ctx.deeper();
    // Every arm is its own function: a debug build gives each local its own stack slot, so
    // keeping this frame small is what lets deep (valid) nesting fit on a thread's stack.
    match expr {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => match n.as_f64() {
            Some(f) => Value::Number(f),
            None => fail(diags, format!("Invalid number literal {n}")),
        },
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => eval_array(items, scope, ctx, diags),
        Expression::Object(object) => eval_object(object, scope, ctx, diags),
        Expression::TemplateExpr(t) => template::eval_template_expr(t, scope, ctx, diags),
        Expression::Variable(v) => expr_traversal::eval_variable(v.as_str(), scope, diags),
        Expression::Traversal(t) => expr_traversal::eval_traversal(t, scope, ctx, diags),
        Expression::FuncCall(call) => expr_call::eval_call(call, scope, ctx, diags),
        Expression::Parenthesis(inner) => eval_at(inner, scope, ctx, diags),
        Expression::Conditional(c) => eval_conditional(c, scope, ctx, diags),
        Expression::Operation(op) => expr_ops::eval_operation(op, scope, ctx, diags),
        Expression::ForExpr(f) => expr_for::eval_for(f, scope, ctx, diags),
        _ => fail(diags, "Unsupported expression syntax"),
    }
}

fn eval_array(items: &[Expression], scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    Value::List(
        items
            .iter()
            .map(|e| eval_at(e, scope, ctx, diags))
            .collect(),
    )
}

/// An object constructor. A key that is an identifier (or the keywords `true`, `false`,
/// `null`) is a literal name; anything else is evaluated and must give a string (numbers and
/// bools convert). As in HCL, a later key overrides an earlier equal one; an unknown key makes
/// the whole object unknown, since its attribute names are not known.
fn eval_object(
    object: &hcl::expr::Object<ObjectKey, Expression>,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    let mut out = BTreeMap::new();
    let mut unknown: Option<Value> = None;
    let mut failed = false;
    for (key, value_expr) in object.iter() {
        let key = object_key(key, scope, ctx, diags);
        let value = eval_at(value_expr, scope, ctx, diags);
        match key {
            Ok(Value::String(k)) => {
                out.insert(k, value);
            }
            Ok(Value::Number(n)) => {
                out.insert(format_number(n), value);
            }
            Ok(Value::Bool(b)) => {
                out.insert(b.to_string(), value);
            }
            Ok(Value::Null) => {
                fail(diags, "Null value as key: Can't use a null value as a key.");
                failed = true;
            }
            Ok(u @ Value::Unknown(_)) => {
                unknown.get_or_insert(u);
            }
            Ok(other) => {
                fail(
                    diags,
                    format!(
                        "Incorrect key type: Can't use this value as a key: string required, got {}.",
                        other.type_name()
                    ),
                );
                failed = true;
            }
            Err(()) => failed = true,
        }
    }
    if failed {
        return Value::unknown("the expression has an error");
    }
    match unknown {
        Some(u) => u,
        None => Value::Map(out),
    }
}

/// The value of an object key before string conversion; `Err` when it already failed.
fn object_key(
    key: &ObjectKey,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Result<Value, ()> {
    let expr = match key {
        ObjectKey::Identifier(id) => return Ok(Value::string(id.as_str())),
        ObjectKey::Expression(e) => e,
        _ => {
            fail(diags, "Unsupported object key syntax");
            return Err(());
        }
    };
    match expr {
        // Keywords written as keys are names, as in HCL: `{ null = 1 }` has the key "null".
        Expression::Bool(b) => Ok(Value::String(b.to_string())),
        Expression::Null => Ok(Value::string("null")),
        Expression::Variable(v) => Ok(Value::string(v.as_str())),
        Expression::Traversal(t) if matches!(t.expr, Expression::Variable(_)) => {
            fail(
                diags,
                "Ambiguous attribute key: If this expression is intended to be a reference, wrap \
it in parentheses. If it's instead intended as a literal name containing periods, wrap it in \
quotes to create a string literal.",
            );
            Err(())
        }
        other => {
            let start = diags.len();
            let v = eval_at(other, scope, ctx, diags);
            if has_errors(&diags[start..]) {
                Err(())
            } else {
                Ok(v)
            }
        }
    }
}

/// `cond ? a : b`. Like HCL, both results are evaluated but only the chosen one's diagnostics
/// count; an unknown condition drops both (Terraform cannot know which applies yet).
fn eval_conditional(c: &Conditional, scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    let cond = eval_at(&c.cond_expr, scope, ctx, diags);
    let mut true_diags = Vec::new();
    let true_value = eval_at(&c.true_expr, scope, ctx, &mut true_diags);
    let mut false_diags = Vec::new();
    let false_value = eval_at(&c.false_expr, scope, ctx, &mut false_diags);
    let chosen = match &cond {
        Value::Unknown(_) => {
            let same = true_value == false_value
                && !true_value.contains_unknown()
                && !has_errors(&true_diags)
                && !has_errors(&false_diags);
            return if same { true_value } else { cond };
        }
        Value::Null => {
            return fail(
                diags,
                "Null condition: The condition value is null. Conditions must either be true or false.",
            );
        }
        other => match other.as_bool() {
            Some(b) => b,
            None => {
                return fail(
                    diags,
                    format!(
                        "Incorrect condition type: The condition expression must be of type bool, got {}.",
                        other.type_name()
                    ),
                );
            }
        },
    };
    let (value, other, branch_diags) = if chosen {
        (true_value, false_value, true_diags)
    } else {
        (false_value, true_value, false_diags)
    };
    let errored = has_errors(&branch_diags);
    diags.extend(branch_diags);
    if errored {
        return value;
    }
    unify_result(value, &other, diags)
}

/// Terraform gives both results of a conditional one type. Only the primitive cases are
/// decided here (a string and a number unify to string; a number and a bool, or a primitive
/// and a collection, do not); collection shapes are left alone rather than guessed.
fn unify_result(value: Value, other: &Value, diags: &mut Vec<Diag>) -> Value {
    let primitive = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let collection = |v: &Value| matches!(v, Value::List(_) | Value::Set(_) | Value::Map(_));
    let mismatch = |diags: &mut Vec<Diag>, a: &Value, b: &Value| {
        fail(
            diags,
            format!(
                "Inconsistent conditional result types: The true and false result expressions \
must have consistent types: one is {}, the other is {}.",
                a.type_name(),
                b.type_name()
            ),
        )
    };
    if primitive(&value) && primitive(other) {
        if std::mem::discriminant(&value) == std::mem::discriminant(other) {
            return value;
        }
        if matches!(value, Value::String(_)) || matches!(other, Value::String(_)) {
            return value.to_string_lossless().map_or(value, Value::String);
        }
        return mismatch(diags, &value, other);
    }
    if (primitive(&value) && collection(other)) || (collection(&value) && primitive(other)) {
        return mismatch(diags, &value, other);
    }
    value
}

#[cfg(test)]
#[path = "expr_tests.rs"]
pub(crate) mod tests;
