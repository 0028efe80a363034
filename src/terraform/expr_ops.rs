//! Unary and binary operators with Terraform's conversions: arithmetic and ordering take
//! numbers (numeric strings convert), `!`, `&&` and `||` take bools ("true"/"false" convert),
//! `==` and `!=` compare without any conversion.

use super::expr::{Ctx, eval_at, fail, has_errors};
use super::scope::{Diag, Scope};
use super::value::Value;
use hcl::expr::{BinaryOp, BinaryOperator, Operation, UnaryOp, UnaryOperator};

pub(crate) fn eval_operation(
    op: &Operation,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    match op {
        Operation::Unary(u) => eval_unary(u, scope, ctx, diags),
        Operation::Binary(b) => eval_binary(b, scope, ctx, diags),
    }
}

/// An operand after conversion to the type an operator needs.
pub(crate) enum Operand<T> {
    Known(T),
    Unknown(Value),
    /// Why it does not convert ("a number is required").
    Invalid(String),
}

/// A number from a number, or from a string holding one (`"10"`, `"1.5"`, `"1e3"`), as
/// Terraform converts; no surrounding spaces, no `inf`/`nan`.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let plausible = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
        && s.chars().any(|c| c.is_ascii_digit());
    if !plausible {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

pub(crate) fn to_number(v: &Value) -> Operand<f64> {
    match v {
        Value::Number(n) => Operand::Known(*n),
        Value::String(s) => match parse_number(s) {
            Some(n) => Operand::Known(n),
            None => Operand::Invalid(format!("a number is required, got the string {v}")),
        },
        Value::Unknown(_) => Operand::Unknown(v.clone()),
        Value::Null => Operand::Invalid("a number is required, got null".to_string()),
        other => Operand::Invalid(format!("a number is required, got {}", other.type_name())),
    }
}

pub(crate) fn to_bool(v: &Value) -> Operand<bool> {
    match v {
        Value::Unknown(_) => Operand::Unknown(v.clone()),
        Value::Null => Operand::Invalid("a bool is required, got null".to_string()),
        other => match other.as_bool() {
            Some(b) => Operand::Known(b),
            None => Operand::Invalid(format!("a bool is required, got {}", other.type_name())),
        },
    }
}

fn eval_unary(u: &UnaryOp, scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    let start = diags.len();
    let v = eval_at(&u.expr, scope, ctx, diags);
    if has_errors(&diags[start..]) {
        return v;
    }
    let invalid = |diags: &mut Vec<Diag>, why: String| {
        fail(
            diags,
            format!("Invalid operand: Unsuitable value for unary operand: {why}."),
        )
    };
    match u.operator {
        UnaryOperator::Neg => match to_number(&v) {
            Operand::Known(n) => Value::Number(-n),
            Operand::Unknown(u) => u,
            Operand::Invalid(why) => invalid(diags, why),
        },
        UnaryOperator::Not => match to_bool(&v) {
            Operand::Known(b) => Value::Bool(!b),
            Operand::Unknown(u) => u,
            Operand::Invalid(why) => invalid(diags, why),
        },
    }
}

fn eval_binary(b: &BinaryOp, scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    use BinaryOperator as Op;
    if matches!(b.operator, Op::And | Op::Or) {
        return eval_logical(b, scope, ctx, diags);
    }
    let start = diags.len();
    let lhs = eval_at(&b.lhs_expr, scope, ctx, diags);
    let rhs = eval_at(&b.rhs_expr, scope, ctx, diags);
    if has_errors(&diags[start..]) {
        return Value::unknown("the expression has an error");
    }
    match b.operator {
        Op::Eq => equality(&lhs, &rhs, true),
        Op::NotEq => equality(&lhs, &rhs, false),
        op => numeric(op, &lhs, &rhs, diags),
    }
}

fn equality(lhs: &Value, rhs: &Value, want_equal: bool) -> Value {
    match equals(lhs, rhs) {
        Some(eq) => Value::Bool(eq == want_equal),
        None => first_unknown(lhs, rhs),
    }
}

/// The Unknown of whichever operand holds one, reason kept.
fn first_unknown(lhs: &Value, rhs: &Value) -> Value {
    lhs.first_unknown()
        .or_else(|| rhs.first_unknown())
        .map_or_else(
            || Value::unknown("depends on an unknown value"),
            |u| Value::Unknown(u.clone()),
        )
}

/// Deep equality without conversion (`1 == "1"` is false); `None` when unknowns inside decide.
pub(crate) fn equals(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::Null, Value::Null) => Some(true),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::List(x), Value::List(y)) => all_equal(x.iter().zip(y), x.len() == y.len()),
        // Set order depends on values, so unknown elements cannot be matched up.
        (Value::Set(x), Value::Set(y)) => {
            if a.contains_unknown() || b.contains_unknown() {
                if x.len() != y.len() {
                    Some(false)
                } else {
                    None
                }
            } else {
                Some(x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equals(p, q) == Some(true)))
            }
        }
        (Value::Map(x), Value::Map(y)) => {
            let same_keys = x.len() == y.len() && x.keys().eq(y.keys());
            all_equal(x.values().zip(y.values()), same_keys)
        }
        _ => Some(false),
    }
}

fn all_equal<'a>(
    pairs: impl Iterator<Item = (&'a Value, &'a Value)>,
    same_shape: bool,
) -> Option<bool> {
    if !same_shape {
        return Some(false);
    }
    let mut undecided = false;
    for (p, q) in pairs {
        match equals(p, q) {
            Some(false) => return Some(false),
            None => undecided = true,
            Some(true) => {}
        }
    }
    if undecided { None } else { Some(true) }
}

/// Arithmetic and ordering: both operands must convert to numbers.
fn numeric(op: BinaryOperator, lhs: &Value, rhs: &Value, diags: &mut Vec<Diag>) -> Value {
    use BinaryOperator as Op;
    let (l, r) = (to_number(lhs), to_number(rhs));
    let mut bad = false;
    for (side, operand) in [("left", &l), ("right", &r)] {
        if let Operand::Invalid(why) = operand {
            fail(
                diags,
                format!("Invalid operand: Unsuitable value for {side} operand: {why}."),
            );
            bad = true;
        }
    }
    let (x, y) = match (l, r) {
        _ if bad => return Value::unknown("the expression has an error"),
        (Operand::Unknown(u), _) | (_, Operand::Unknown(u)) => return u,
        (Operand::Known(x), Operand::Known(y)) => (x, y),
        _ => return Value::unknown("the expression has an error"),
    };
    match op {
        Op::Plus => Value::Number(x + y),
        Op::Minus => Value::Number(x - y),
        Op::Mul => Value::Number(x * y),
        Op::Div | Op::Mod if y == 0.0 => fail(
            diags,
            "Operation failed: Error during operation: can't divide by zero.",
        ),
        Op::Div => Value::Number(x / y),
        // Truncated remainder (the sign of the dividend), as Terraform's `%`.
        Op::Mod => Value::Number(x % y),
        Op::Less => Value::Bool(x < y),
        Op::LessEq => Value::Bool(x <= y),
        Op::Greater => Value::Bool(x > y),
        Op::GreaterEq => Value::Bool(x >= y),
        Op::Eq | Op::NotEq | Op::And | Op::Or => {
            fail(diags, format!("Unsupported operator {} here", op.as_str()))
        }
    }
}

/// `&&` and `||`. Both sides are evaluated; as in HCL, a side that decides the result alone
/// (`false && …`, `true || …`) wins and the other side's diagnostics are dropped, so
/// `var.x != null && var.x.enabled` is fine when `var.x` is null.
fn eval_logical(b: &BinaryOp, scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    let is_and = matches!(b.operator, BinaryOperator::And);
    let mut left_diags = Vec::new();
    let lhs = eval_at(&b.lhs_expr, scope, ctx, &mut left_diags);
    let mut right_diags = Vec::new();
    let rhs = eval_at(&b.rhs_expr, scope, ctx, &mut right_diags);
    let (l, r) = (to_bool(&lhs), to_bool(&rhs));

    // Conversion errors come first, as in HCL, whatever the other side says. Null is not a
    // conversion error there, so it is left to the short-circuit below.
    let mut bad = false;
    for (side, operand, value) in [("left", &l, &lhs), ("right", &r, &rhs)] {
        if let (Operand::Invalid(why), false) = (operand, value == &Value::Null) {
            fail(
                diags,
                format!("Invalid operand: Unsuitable value for {side} operand: {why}."),
            );
            bad = true;
        }
    }
    if bad {
        diags.extend(left_diags);
        diags.extend(right_diags);
        return Value::unknown("the expression has an error");
    }

    let decisive = !is_and; // `true` decides `||`, `false` decides `&&`
    let known = |o: &Operand<bool>| match o {
        Operand::Known(v) => Some(*v),
        _ => None,
    };
    let (kl, kr) = (known(&l), known(&r));
    let both_unknown = matches!((&l, &r), (Operand::Unknown(_), Operand::Unknown(_)));
    if both_unknown && !has_errors(&left_diags) {
        diags.extend(left_diags);
        return lhs;
    }
    if kl == Some(decisive) {
        diags.extend(left_diags);
        return Value::Bool(decisive);
    }
    if kr == Some(decisive) {
        diags.extend(right_diags);
        return Value::Bool(decisive);
    }
    if let (Operand::Unknown(u), Some(_)) = (&l, kr) {
        diags.extend(left_diags);
        return u.clone();
    }
    if let (Some(_), Operand::Unknown(u)) = (kl, &r) {
        diags.extend(right_diags);
        return u.clone();
    }

    let errored = has_errors(&left_diags) || has_errors(&right_diags);
    diags.extend(left_diags);
    diags.extend(right_diags);
    if errored {
        return Value::unknown("the expression has an error");
    }
    match (kl, kr) {
        (Some(x), Some(y)) => Value::Bool(if is_and { x && y } else { x || y }),
        _ => {
            let side = if kl.is_none() { "left" } else { "right" };
            fail(
                diags,
                format!(
                    "Invalid operand: the {side} operand of {} is null.",
                    b.operator.as_str()
                ),
            )
        }
    }
}
