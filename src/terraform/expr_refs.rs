//! What an expression refers to, found without evaluating it: the module evaluator orders
//! locals and finds cycles with it, and `try`/`can` use it to tell whether an argument
//! depends on values not known yet.

use super::expr::MAX_DEPTH;
use hcl::Expression;
use hcl::expr::{ObjectKey, Operation, TraversalOperator};
use hcl::template::{Directive, Element, Template};
use std::collections::BTreeSet;

/// The root names an expression references (`var`, `local`, `aws_instance`, `module`, …) with
/// their first attribute (e.g. ("local", Some("tags")), ("aws_instance", Some("web"))): the
/// module evaluator orders locals and detects cycles with it. Sorted, without duplicates;
/// names bound by the expression's own `for` are not references.
pub fn references(expr: &Expression) -> Vec<(String, Option<String>)> {
    let mut out = BTreeSet::new();
    walk(expr, &mut Vec::new(), 0, &mut |root, ops| {
        let attr = |op: Option<&TraversalOperator>| match op {
            Some(TraversalOperator::GetAttr(a)) => Some(a.to_string()),
            Some(TraversalOperator::Index(Expression::String(s))) => Some(s.clone()),
            _ => None,
        };
        let mut first = attr(ops.first());
        // A data source is named by two attributes: `data.<type>.<name>` → ("data", "type.name").
        if root == "data" {
            if let (Some(ty), Some(name)) = (&first, attr(ops.get(1))) {
                first = Some(format!("{ty}.{name}"));
            }
        }
        out.insert((root.to_string(), first));
    });
    out.into_iter().collect()
}

/// Calls `found(root, operators)` for every reference in `expr` that is not bound by an
/// enclosing `for` of the expression itself. `operators` are everything written after the
/// root (empty for a bare name).
pub(crate) fn walk(
    expr: &Expression,
    bound: &mut Vec<String>,
    depth: u32,
    found: &mut dyn FnMut(&str, &[TraversalOperator]),
) {
    if depth > MAX_DEPTH {
        return;
    }
    let depth = depth + 1;
    let mut sub = |e: &Expression, bound: &mut Vec<String>| walk(e, bound, depth, found);
    match expr {
        Expression::Variable(v) if !bound.iter().any(|b| b == v.as_str()) => found(v.as_str(), &[]),
        Expression::Traversal(t) => {
            match &t.expr {
                Expression::Variable(v) => {
                    if !bound.iter().any(|b| b == v.as_str()) {
                        found(v.as_str(), &t.operators);
                    }
                }
                other => walk(other, bound, depth, found),
            }
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op {
                    walk(e, bound, depth, found);
                }
            }
        }
        Expression::Array(items) => {
            for e in items {
                sub(e, bound);
            }
        }
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                if let ObjectKey::Expression(k) = key {
                    // Keywords and bare names as keys are literal names, not references.
                    if !matches!(
                        k,
                        Expression::Bool(_) | Expression::Null | Expression::Variable(_)
                    ) {
                        sub(k, bound);
                    }
                }
                sub(value, bound);
            }
        }
        Expression::TemplateExpr(t) => {
            if let Ok(template) = Template::from_expr(t) {
                walk_template(&template, bound, depth, found);
            }
        }
        Expression::FuncCall(call) => {
            for e in &call.args {
                sub(e, bound);
            }
        }
        Expression::Parenthesis(inner) => sub(inner, bound),
        Expression::Conditional(c) => {
            sub(&c.cond_expr, bound);
            sub(&c.true_expr, bound);
            sub(&c.false_expr, bound);
        }
        Expression::Operation(op) => match op.as_ref() {
            Operation::Unary(u) => sub(&u.expr, bound),
            Operation::Binary(b) => {
                sub(&b.lhs_expr, bound);
                sub(&b.rhs_expr, bound);
            }
        },
        Expression::ForExpr(f) => {
            sub(&f.collection_expr, bound);
            let before = bound.len();
            if let Some(k) = &f.key_var {
                bound.push(k.to_string());
            }
            bound.push(f.value_var.to_string());
            if let Some(k) = &f.key_expr {
                sub(k, bound);
            }
            sub(&f.value_expr, bound);
            if let Some(c) = &f.cond_expr {
                sub(c, bound);
            }
            bound.truncate(before);
        }
        _ => {}
    }
}

/// The same walk over a parsed template.
pub(crate) fn walk_template(
    template: &Template,
    bound: &mut Vec<String>,
    depth: u32,
    found: &mut dyn FnMut(&str, &[TraversalOperator]),
) {
    if depth > MAX_DEPTH {
        return;
    }
    let depth = depth + 1;
    for element in template.elements() {
        match element {
            Element::Literal(_) => {}
            Element::Interpolation(i) => walk(&i.expr, bound, depth, found),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    walk(&d.cond_expr, bound, depth, found);
                    walk_template(&d.true_template, bound, depth, found);
                    if let Some(f) = &d.false_template {
                        walk_template(f, bound, depth, found);
                    }
                }
                Directive::For(d) => {
                    walk(&d.collection_expr, bound, depth, found);
                    let before = bound.len();
                    if let Some(k) = &d.key_var {
                        bound.push(k.to_string());
                    }
                    bound.push(d.value_var.to_string());
                    walk_template(&d.template, bound, depth, found);
                    bound.truncate(before);
                }
            },
        }
    }
}
