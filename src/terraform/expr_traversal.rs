//! References and what follows them: `.attr`, `[key]`, `.0`, and the splats `.*` / `[*]`.
//! Values are walked by reference as long as possible, so `var.settings.size` does not copy
//! all of `var`.

use super::expr::{Ctx, eval_at, fail, has_errors};
use super::expr_ops::parse_number;
use super::scope::{Diag, Scope};
use super::value::{Value, format_number};
use hcl::Expression;
use hcl::expr::{Traversal, TraversalOperator};
use std::borrow::Cow;

/// A root name (`var`, `local`, `aws_instance`, a `for` variable).
pub(crate) fn eval_variable(name: &str, scope: &dyn Scope, diags: &mut Vec<Diag>) -> Value {
    lookup_root(name, scope, diags).into_owned()
}

fn lookup_root<'s>(name: &str, scope: &'s dyn Scope, diags: &mut Vec<Diag>) -> Cow<'s, Value> {
    match scope.get(name) {
        Some(v) => Cow::Borrowed(v),
        None if scope.is_open(name) => Cow::Owned(Value::unknown(format!(
            "`{name}` is known only after apply"
        ))),
        None => Cow::Owned(fail(
            diags,
            format!("Reference to undeclared name: there is no `{name}` in this scope."),
        )),
    }
}

pub(crate) fn eval_traversal(
    t: &Traversal,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    let mut walk = Walk {
        scope,
        ctx,
        open: false,
        path: String::new(),
    };
    let root = match &t.expr {
        Expression::Variable(v) => {
            walk.open = scope.is_open(v.as_str());
            walk.path.push_str(v.as_str());
            let start = diags.len();
            let root = lookup_root(v.as_str(), scope, diags);
            if has_errors(&diags[start..]) {
                return root.into_owned();
            }
            root
        }
        other => {
            walk.path.push_str("the value");
            Cow::Owned(eval_at(other, scope, ctx, diags))
        }
    };
    walk.apply(root, &t.operators, diags).into_owned()
}

/// One traversal in progress: the scope for index expressions, whether the root is open
/// (a missing attribute there is only not known yet) and the path so far, for messages.
struct Walk<'s> {
    scope: &'s dyn Scope,
    ctx: Ctx,
    open: bool,
    path: String,
}

/// What one step selects from the current value.
enum Step {
    Key(String),
    Position(usize),
    /// The value stays as it is (it is unknown).
    Keep,
    Unknown(String),
    Error(String),
}

impl Walk<'_> {
    fn apply<'v>(
        &mut self,
        mut cur: Cow<'v, Value>,
        ops: &[TraversalOperator],
        diags: &mut Vec<Diag>,
    ) -> Cow<'v, Value> {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            let step = match op {
                TraversalOperator::GetAttr(name) => {
                    let step = get_attr(&cur, name.as_str(), self.open, &self.path);
                    self.path.push('.');
                    self.path.push_str(name.as_str());
                    step
                }
                TraversalOperator::Index(e) => {
                    let start = diags.len();
                    let key = eval_at(e, self.scope, self.ctx, diags);
                    if has_errors(&diags[start..]) {
                        return Cow::Owned(key);
                    }
                    let step = index(&cur, &key, self.open, &self.path);
                    self.path.push_str(&format!("[{key}]"));
                    step
                }
                TraversalOperator::LegacyIndex(n) => {
                    let step = index(&cur, &Value::Number(*n as f64), self.open, &self.path);
                    self.path.push_str(&format!("[{n}]"));
                    step
                }
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    // `[*]` applies everything after it to each element; the older `.*`
                    // only the attribute accesses right after it.
                    let rest = ops.get(i + 1..).unwrap_or_default();
                    let each_len = if matches!(op, TraversalOperator::FullSplat) {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let each = rest.get(..each_len).unwrap_or_default();
                    cur = Cow::Owned(self.splat(cur.into_owned(), each, diags));
                    i += 1 + each_len;
                    continue;
                }
            };
            cur = match take(cur, step) {
                Ok(v) => v,
                Err(Err(message)) => return Cow::Owned(fail(diags, message)),
                Err(Ok(unknown)) => return Cow::Owned(unknown),
            };
            i += 1;
        }
        cur
    }

    /// Applies `each` to every element. A value that is not a list, tuple or set counts as a
    /// one-element list, and null as an empty one (Terraform's splat on single values).
    fn splat(&mut self, v: Value, each: &[TraversalOperator], diags: &mut Vec<Diag>) -> Value {
        let items = match v {
            Value::Unknown(_) => return v,
            Value::Null => Vec::new(),
            Value::List(items) | Value::Set(items) => items,
            single => vec![single],
        };
        let base = format!("{}[*]", self.path);
        let start = diags.len();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            self.path.clone_from(&base);
            out.push(self.apply(Cow::Owned(item), each, diags).into_owned());
        }
        self.path = base;
        if has_errors(&diags[start..]) {
            return Value::unknown("the expression has an error");
        }
        Value::List(out)
    }
}

/// Moves the selected part out of the value (or borrows it). `Err(Ok(unknown))` when the
/// result is merely unknown, `Err(Err(message))` on an error.
fn take<'v>(cur: Cow<'v, Value>, step: Step) -> Result<Cow<'v, Value>, Result<Value, String>> {
    let lost = || Err(Err("Invalid traversal".to_string()));
    match step {
        Step::Keep => Ok(cur),
        Step::Unknown(reason) => Err(Ok(Value::unknown(reason))),
        Step::Error(message) => Err(Err(message)),
        Step::Key(k) => match cur {
            Cow::Borrowed(Value::Map(m)) => m.get(&k).map(Cow::Borrowed).map_or_else(lost, Ok),
            Cow::Owned(Value::Map(mut m)) => m.remove(&k).map(Cow::Owned).map_or_else(lost, Ok),
            _ => lost(),
        },
        Step::Position(i) => match cur {
            Cow::Borrowed(Value::List(v)) => v.get(i).map(Cow::Borrowed).map_or_else(lost, Ok),
            Cow::Owned(Value::List(v)) => {
                v.into_iter().nth(i).map(Cow::Owned).map_or_else(lost, Ok)
            }
            _ => lost(),
        },
    }
}

fn get_attr(v: &Value, name: &str, open: bool, path: &str) -> Step {
    match v {
        Value::Map(m) if m.contains_key(name) => Step::Key(name.to_string()),
        Value::Map(_) if open => {
            Step::Unknown(format!("`{path}.{name}` is known only after apply"))
        }
        Value::Map(_) => Step::Error(format!(
            "Unsupported attribute: `{path}` does not have an attribute named \"{name}\"."
        )),
        Value::Unknown(_) => Step::Keep,
        Value::Null => Step::Error(format!(
            "Attempt to get attribute from null value: `{path}` is null, so it does not have \
any attributes (reading \"{name}\")."
        )),
        Value::List(_) | Value::Set(_) => Step::Error(format!(
            "Unsupported attribute: Can't access attributes on a list of objects (`{path}`). Did \
you mean to access attribute \"{name}\" for a specific element of the list, or across all \
elements of the list (`{path}[*].{name}`)?"
        )),
        other => Step::Error(format!(
            "Unsupported attribute: Can't access attribute \"{name}\" on a primitive-typed value \
(`{path}` is a {}).",
            other.type_name()
        )),
    }
}

fn index(v: &Value, key: &Value, open: bool, path: &str) -> Step {
    if let Value::Unknown(_) = v {
        return Step::Keep;
    }
    if let Value::Unknown(u) = key {
        return Step::Unknown(u.reason.to_string());
    }
    if *key == Value::Null {
        return Step::Error(format!("Invalid index: the index into `{path}` is null."));
    }
    match v {
        Value::List(items) => list_index(items.len(), key, path),
        Value::Map(m) => {
            let Some(k) = key.to_string_lossless() else {
                return Step::Error(format!(
                    "Invalid index: `{path}` is indexed by strings, got {}.",
                    key.type_name()
                ));
            };
            if m.contains_key(&k) {
                Step::Key(k)
            } else if open {
                Step::Unknown(format!("`{path}[\"{k}\"]` is known only after apply"))
            } else {
                Step::Error(format!(
                    "Invalid index: The given key does not identify an element in this collection \
value: `{path}` has no element \"{k}\"."
                ))
            }
        }
        Value::Set(_) => Step::Error(format!(
            "Invalid index: `{path}` is a set. Elements of a set are identified only by their value \
and don't have any separate index or key to select with, so it's only possible to perform \
operations across all elements of the set."
        )),
        Value::Null => Step::Error(format!("Attempt to index null value: `{path}` is null.")),
        other => Step::Error(format!(
            "Invalid index: `{path}` is a {} and does not have any indices.",
            other.type_name()
        )),
    }
}

fn list_index(len: usize, key: &Value, path: &str) -> Step {
    let n = match key {
        Value::Number(n) => Some(*n),
        Value::String(s) => parse_number(s),
        _ => None,
    };
    let Some(n) = n else {
        return Step::Error(format!(
            "Invalid index: `{path}` is indexed by numbers, got {}.",
            match key {
                Value::String(_) => format!("the string {key}"),
                other => other.type_name().to_string(),
            }
        ));
    };
    if n.fract() != 0.0 || n < 0.0 || n >= len as f64 {
        let why = if n.fract() != 0.0 {
            "the index must be a whole number".to_string()
        } else if len == 0 {
            "the collection has no elements".to_string()
        } else {
            format!(
                "the collection has {len} elements, index {} is out of range",
                format_number(n)
            )
        };
        return Step::Error(format!(
            "Invalid index: The given key does not identify an element in `{path}`: {why}."
        ));
    }
    Step::Position(n as usize)
}
