//! Function calls: `try` and `can` (which need the unevaluated argument) here, everything
//! else through the function library after `...` expansion.

use super::expr::{Ctx, UNSUPPORTED_FUNCTION, eval_at, fail, first_error, has_errors};
use super::expr_refs::walk;
use super::functions::{self, FnEnv, FnError};
use super::scope::{Diag, Scope};
use super::template;
use super::value::Value;
use hcl::Expression;
use hcl::expr::{FuncCall, TraversalOperator};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn eval_call(
    call: &FuncCall,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    let namespace: Vec<&str> = call.name.namespace.iter().map(|i| i.as_str()).collect();
    let name = call.name.name.as_str();
    // `core::` names Terraform's own functions; other namespaces are provider functions.
    let builtin = namespace.is_empty() || namespace == ["core"];
    if builtin && name == "try" {
        return eval_try(&call.args, scope, ctx, diags);
    }
    if builtin && name == "can" {
        return eval_can(&call.args, scope, ctx, diags);
    }
    let full_name = if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{}::{name}", namespace.join("::"))
    };

    let start = diags.len();
    let mut args: Vec<Value> = call
        .args
        .iter()
        .map(|a| eval_at(a, scope, ctx, diags))
        .collect();
    if has_errors(&diags[start..]) {
        return Value::unknown("the expression has an error");
    }
    if call.expand_final {
        match args.pop() {
            Some(Value::List(items) | Value::Set(items)) => args.extend(items),
            Some(u @ Value::Unknown(_)) => return u,
            Some(Value::Null) => {
                return fail(
                    diags,
                    format!(
                        "Invalid expanding argument value: the expanding argument (indicated by ...) \
of `{full_name}` must not be null."
                    ),
                );
            }
            Some(other) => {
                return fail(
                    diags,
                    format!(
                        "Invalid expanding argument value: the expanding argument (indicated by ...) \
of `{full_name}` must be of a tuple, list, or set type, got {}.",
                        other.type_name()
                    ),
                );
            }
            None => {}
        }
    }
    if !builtin {
        return unsupported(&full_name, diags);
    }
    // Unknown arguments go to the library as they are: it applies Terraform's rule (an
    // unknown argument makes the result unknown) except for functions that can do better.
    let env = Env::new(scope, ctx);
    let result = functions::call(name, args, &env);
    diags.extend(env.take_diags());
    match result {
        Ok(v) => v,
        Err(FnError::Unsupported) => unsupported(&full_name, diags),
        Err(FnError::Invalid(message)) => fail(
            diags,
            format!("Error in function call: Call to function \"{full_name}\" failed: {message}"),
        ),
    }
}

fn unsupported(name: &str, diags: &mut Vec<Diag>) -> Value {
    diags.push(Diag::new(
        UNSUPPORTED_FUNCTION,
        format!("function `{name}` is not evaluated by stackgate; its result is unknown"),
    ));
    Value::unknown(format!("function `{name}` is not evaluated by stackgate"))
}

/// `try(a, b, …)`: the first argument that evaluates without errors; the failed ones'
/// diagnostics are dropped. An argument that depends on unknown values makes the result
/// unknown, since whether it fails is not known yet (Terraform's rule).
fn eval_try(args: &[Expression], scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    if args.is_empty() {
        return fail(
            diags,
            "Invalid function call: `try` needs at least one argument.",
        );
    }
    let mut failures = Vec::new();
    for arg in args {
        if let Some(u) = depends_on_unknowns(arg, scope, ctx) {
            return u;
        }
        let mut arg_diags = Vec::new();
        let v = eval_at(arg, scope, ctx, &mut arg_diags);
        if let Some(message) = first_error(&arg_diags) {
            failures.push(format!("- {message}"));
            continue;
        }
        diags.extend(arg_diags);
        return v;
    }
    fail(
        diags,
        format!(
            "Error in function call: Call to function \"try\" failed: no expression succeeded:\n{}",
            failures.join("\n")
        ),
    )
}

/// `can(expr)`: whether the expression evaluates without errors; unknown while it depends on
/// values not known yet.
fn eval_can(args: &[Expression], scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    let [arg] = args else {
        return fail(
            diags,
            format!(
                "Invalid function call: `can` takes exactly one argument, got {}.",
                args.len()
            ),
        );
    };
    if let Some(u) = depends_on_unknowns(arg, scope, ctx) {
        return u;
    }
    let mut arg_diags = Vec::new();
    let v = eval_at(arg, scope, ctx, &mut arg_diags);
    if has_errors(&arg_diags) {
        return Value::Bool(false);
    }
    diags.extend(arg_diags);
    match v {
        Value::Unknown(_) => v,
        _ => Value::Bool(true),
    }
}

/// The first unknown met by following the references in `expr` as far as they are static
/// (`local.a.b["k"][0]`). References that fail are skipped: they fail whatever the unknowns.
fn depends_on_unknowns(expr: &Expression, scope: &dyn Scope, ctx: Ctx) -> Option<Value> {
    let mut found: Option<Value> = None;
    walk(expr, &mut Vec::new(), ctx.depth, &mut |root, ops| {
        if found.is_some() {
            return;
        }
        let Some(mut cur) = scope.get(root) else {
            if scope.is_open(root) {
                found = Some(Value::unknown(format!(
                    "`{root}` is known only after apply"
                )));
            }
            return;
        };
        for op in ops {
            let next = match op {
                TraversalOperator::GetAttr(a) => cur.as_map().and_then(|m| m.get(a.as_str())),
                TraversalOperator::LegacyIndex(n) => cur.as_list().and_then(|l| l.get(*n as usize)),
                TraversalOperator::Index(Expression::Number(n)) => n
                    .as_u64()
                    .and_then(|i| cur.as_list().and_then(|l| l.get(usize::try_from(i).ok()?))),
                TraversalOperator::Index(Expression::String(k)) => {
                    cur.as_map().and_then(|m| m.get(k))
                }
                // Not static: the walk stops here and looks at what it reached.
                _ => break,
            };
            match next {
                Some(v) => cur = v,
                // Missing on an open root is unknown; anywhere else it is an error.
                None if matches!(cur, Value::Map(_)) && scope.is_open(root) => {
                    found = Some(Value::unknown(format!(
                        "`{root}` is known only after apply"
                    )));
                    return;
                }
                None => return,
            }
            if cur.is_unknown() {
                break;
            }
        }
        if let Some(u) = cur.first_unknown() {
            found = Some(Value::Unknown(u.clone()));
        }
    });
    found
}

/// What functions see of the evaluator: files through the scope, and template rendering for
/// `templatefile` (refused inside a template, as Terraform refuses recursion there).
pub(crate) struct Env<'a> {
    scope: &'a dyn Scope,
    ctx: Ctx,
    /// Warnings from rendered templates, handed to the caller after the call.
    diags: Cell<Vec<Diag>>,
}

impl<'a> Env<'a> {
    pub(crate) fn new(scope: &'a dyn Scope, ctx: Ctx) -> Env<'a> {
        Env {
            scope,
            ctx,
            diags: Cell::new(Vec::new()),
        }
    }

    pub(crate) fn take_diags(&self) -> Vec<Diag> {
        self.diags.take()
    }
}

impl FnEnv for Env<'_> {
    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        self.scope.read_file(path)
    }

    fn render_template(&self, text: &str, vars: &BTreeMap<String, Value>) -> Result<Value, String> {
        if self.ctx.in_template {
            return Err(
                "cannot call templatefile from inside a template rendered by templatefile"
                    .to_string(),
            );
        }
        let mut diags = self.diags.take();
        let result = template::render_at(text, vars, self.scope, self.ctx, &mut diags);
        self.diags.set(diags);
        result
    }
}

#[cfg(test)]
#[path = "expr_call_tests.rs"]
mod tests;
