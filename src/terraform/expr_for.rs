//! `for` expressions (`[for …]`, `{for … : k => v}`, grouping with `...`) and the iteration
//! they share with the template `%{for}` directive.

use super::expr::{Ctx, eval_at, fail, has_errors};
use super::expr_refs::walk;
use super::scope::{Diag, Scope};
use super::value::{Unknown, Value};
use hcl::Expression;
use hcl::expr::ForExpr;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

/// The bindings of one iteration over a parent scope. `open` says whether the collection came
/// from an open root (resources, data sources, modules): then a missing attribute of an
/// element is not known yet rather than an error, exactly as it would be on the root.
pub(crate) struct ForScope<'a> {
    parent: &'a dyn Scope,
    bindings: Vec<(&'a str, Value)>,
    open: bool,
}

impl<'a> ForScope<'a> {
    pub(crate) fn new(parent: &'a dyn Scope, open: bool) -> ForScope<'a> {
        ForScope {
            parent,
            bindings: Vec::with_capacity(2),
            open,
        }
    }

    pub(crate) fn bind(&mut self, name: &'a str, value: Value) {
        // The value variable is bound last and wins when both names are equal.
        self.bindings.retain(|(n, _)| *n != name);
        self.bindings.push((name, value));
    }
}

impl Scope for ForScope<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        match self.bindings.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(v),
            None => self.parent.get(name),
        }
    }

    fn is_open(&self, name: &str) -> bool {
        if self.bindings.iter().any(|(n, _)| *n == name) {
            self.open
        } else {
            self.parent.is_open(name)
        }
    }

    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        self.parent.read_file(path)
    }
}

/// Whether a collection expression draws on an open root. `depth` is the evaluation's, so
/// the walk stays within the same recursion budget.
pub(crate) fn from_open_root(expr: &Expression, scope: &dyn Scope, depth: u32) -> bool {
    let mut open = false;
    walk(expr, &mut Vec::new(), depth, &mut |root, _| {
        open = open || scope.is_open(root)
    });
    open
}

/// The (key, value) pairs a `for` visits: index and element for lists, element twice for
/// sets (as Terraform does), key and value for maps in key order. `Ok(Err(u))` when the
/// collection is unknown; `Err(message)` when it cannot be iterated.
pub(crate) fn iteration(
    coll: Value,
    what: &str,
) -> Result<Result<Vec<(Value, Value)>, Unknown>, String> {
    match coll {
        Value::List(items) => Ok(Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect())),
        Value::Set(items) => Ok(Ok(items.into_iter().map(|v| (v.clone(), v)).collect())),
        Value::Map(m) => Ok(Ok(m
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect())),
        Value::Unknown(u) => Ok(Err(u)),
        Value::Null => Err(format!(
            "Iteration over null value: A null value cannot be used as the collection in {what}."
        )),
        other => Err(format!(
            "Iteration over non-iterable value: A value of type {} cannot be used as the collection \
in {what}.",
            other.type_name()
        )),
    }
}

pub(crate) fn eval_for(f: &ForExpr, scope: &dyn Scope, ctx: Ctx, diags: &mut Vec<Diag>) -> Value {
    let start = diags.len();
    let coll = eval_at(&f.collection_expr, scope, ctx, diags);
    if has_errors(&diags[start..]) {
        return coll;
    }
    let items = match iteration(coll, "a 'for' expression") {
        Ok(Ok(items)) => items,
        Ok(Err(u)) => return Value::Unknown(u),
        Err(message) => return fail(diags, message),
    };
    let open = from_open_root(&f.collection_expr, scope, ctx.depth);
    let mut state = Collect {
        grouping: f.grouping,
        ..Collect::default()
    };
    for (k, v) in items {
        let mut layer = ForScope::new(scope, open);
        if let Some(key_var) = &f.key_var {
            layer.bind(key_var.as_str(), k);
        }
        layer.bind(f.value_var.as_str(), v);
        state.element(f, &layer, ctx, diags);
    }
    // An element that failed fails the whole value: it is reported, and stays unknown.
    if has_errors(&diags[start..]) {
        return Value::unknown("the expression has an error");
    }
    state.finish(f.key_expr.is_some())
}

/// What a `for` has produced so far.
#[derive(Default)]
struct Collect {
    grouping: bool,
    list: Vec<Value>,
    object: BTreeMap<String, Value>,
    groups: BTreeMap<String, Vec<Value>>,
    /// Set when a condition or key is unknown or failed: the result's shape is not known.
    unknown: Option<Value>,
}

impl Collect {
    fn element(&mut self, f: &ForExpr, layer: &ForScope, ctx: Ctx, diags: &mut Vec<Diag>) {
        if let Some(cond) = &f.cond_expr {
            let start = diags.len();
            let c = eval_at(cond, layer, ctx, diags);
            let include = match &c {
                _ if has_errors(&diags[start..]) => None,
                Value::Unknown(_) => None,
                Value::Null => {
                    fail(
                        diags,
                        "Invalid 'for' condition: The value of the 'if' clause must not be null.",
                    );
                    None
                }
                other => match other.as_bool() {
                    Some(b) => Some(b),
                    None => {
                        fail(
                            diags,
                            format!(
                                "Invalid 'for' condition: The 'if' clause value is invalid: a bool is \
required, got {}.",
                                other.type_name()
                            ),
                        );
                        None
                    }
                },
            };
            match include {
                Some(true) => {}
                Some(false) => return,
                None => {
                    self.unknown.get_or_insert(c);
                    return;
                }
            }
        }
        let Some(key_expr) = &f.key_expr else {
            let v = eval_at(&f.value_expr, layer, ctx, diags);
            self.list.push(v);
            return;
        };
        let start = diags.len();
        let key = eval_at(key_expr, layer, ctx, diags);
        let key = match key {
            _ if has_errors(&diags[start..]) => None,
            Value::Unknown(_) => None,
            Value::Null => {
                fail(
                    diags,
                    "Invalid object key: Key expression in 'for' expression must not produce a null value.",
                );
                None
            }
            ref other => match other.to_string_lossless() {
                Some(k) => Some(k),
                None => {
                    fail(
                        diags,
                        format!(
                            "Invalid object key: The key expression produced an invalid result: \
string required, got {}.",
                            other.type_name()
                        ),
                    );
                    None
                }
            },
        };
        let value = eval_at(&f.value_expr, layer, ctx, diags);
        let Some(k) = key else {
            self.unknown
                .get_or_insert(Value::unknown("a 'for' key is not known"));
            return;
        };
        if self.grouping {
            self.groups.entry(k).or_default().push(value);
            return;
        }
        match self.object.entry(k) {
            Entry::Vacant(e) => {
                e.insert(value);
            }
            Entry::Occupied(e) => {
                fail(
                    diags,
                    format!(
                        "Duplicate object key: Two different items produced the key \"{}\" in this \
'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression \
to enable grouping by key.",
                        e.key()
                    ),
                );
            }
        }
    }

    fn finish(self, object: bool) -> Value {
        if let Some(u) = self.unknown {
            return match u {
                Value::Unknown(_) => u,
                _ => Value::unknown("the expression has an error"),
            };
        }
        match (object, self.grouping) {
            (false, _) => Value::List(self.list),
            (true, false) => Value::Map(self.object),
            (true, true) => Value::Map(
                self.groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
        }
    }
}
