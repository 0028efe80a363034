//! Block bodies and their instances: attributes and nested blocks evaluated into an object,
//! `dynamic` blocks expanded, and `count` / `for_each` turned into instance keys.

use super::expr;
use super::instance::Ctx;
use super::module::At;
use super::resource::InstanceKey;
use super::scope::{Diag, Layer, Scope};
use super::value::Value;
use crate::finding::Finding;
use hcl::{Body, Expression, Structure};
use std::collections::BTreeMap;

/// Evaluates a body into an object: attributes by name, nested blocks as lists of objects,
/// `dynamic` blocks expanded.
pub fn eval_body(body: &Body, scope: &dyn Scope, diags: &mut Vec<Diag>, depth: usize) -> Value {
    eval_body_marked(body, scope, diags, depth, &mut Vec::new())
}

/// `eval_body` that also records, for each top-level structure, how many diagnostics there were
/// before it and its name, so diagnostics can point at the attribute's own line.
pub(crate) fn eval_body_marked(
    body: &Body,
    scope: &dyn Scope,
    diags: &mut Vec<Diag>,
    depth: usize,
    marks: &mut Vec<(usize, String)>,
) -> Value {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    if depth > 32 {
        diags.push(Diag::new("tf-expression-error", "blocks nested too deeply"));
        return Value::Map(out);
    }
    for s in body.iter() {
        marks.push((
            diags.len(),
            match s {
                Structure::Attribute(a) => a.key().to_string(),
                Structure::Block(b) => b.identifier().to_string(),
            },
        ));
        match s {
            Structure::Attribute(a) => {
                out.insert(a.key().to_string(), expr::eval(a.expr(), scope, diags));
            }
            Structure::Block(b) if b.identifier() == "dynamic" => {
                let Some(name) = b.labels().first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                let iterator = b
                    .body()
                    .attributes()
                    .find(|a| a.key() == "iterator")
                    .and_then(|a| match a.expr() {
                        Expression::Variable(v) => Some(v.to_string()),
                        _ => None,
                    })
                    .unwrap_or_else(|| name.clone());
                let Some(content) = b.body().blocks().find(|c| c.identifier() == "content") else {
                    continue;
                };
                let for_each = b
                    .body()
                    .attributes()
                    .find(|a| a.key() == "for_each")
                    .map_or(Value::Null, |a| expr::eval(a.expr(), scope, diags));
                let items: Vec<(Value, Value)> = match &for_each {
                    Value::Map(m) => m
                        .iter()
                        .map(|(k, v)| (Value::string(k.clone()), v.clone()))
                        .collect(),
                    Value::List(v) => v
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                        .collect(),
                    Value::Set(v) => v.iter().map(|x| (x.clone(), x.clone())).collect(),
                    Value::Unknown(u) => {
                        out.insert(name.clone(), Value::Unknown(u.clone()));
                        continue;
                    }
                    Value::Null => Vec::new(),
                    other => {
                        diags.push(Diag::new(
                            "tf-expression-error",
                            format!(
                                "dynamic \"{name}\": for_each must be a collection, found {}",
                                other.type_name()
                            ),
                        ));
                        continue;
                    }
                };
                let list = out
                    .entry(name.clone())
                    .or_insert_with(|| Value::List(Vec::new()));
                let mut produced = Vec::new();
                for (key, value) in items {
                    let layer = Layer {
                        parent: Some(scope),
                        vars: BTreeMap::from([(
                            iterator.clone(),
                            Value::Map(BTreeMap::from([
                                ("key".to_string(), key),
                                ("value".to_string(), value),
                            ])),
                        )]),
                    };
                    produced.push(eval_body(content.body(), &layer, diags, depth + 1));
                }
                if let Value::List(v) = list {
                    v.extend(produced);
                }
            }
            Structure::Block(b) => {
                let v = eval_body(b.body(), scope, diags, depth + 1);
                let list = out
                    .entry(b.identifier().to_string())
                    .or_insert_with(|| Value::List(Vec::new()));
                if let Value::List(items) = list {
                    items.push(v);
                }
            }
        }
    }
    Value::Map(out)
}

/// How many instances a block has.
enum Expansion {
    Single,
    Count(usize),
    Each(Vec<(String, Value)>),
}

/// Evaluates `count` / `for_each`.
fn expand(
    count: Option<&Expression>,
    for_each: Option<&Expression>,
    scope: &dyn Scope,
    diags: &mut Vec<Diag>,
    what: &str,
) -> Result<Expansion, String> {
    if let Some(c) = count {
        return match expr::eval(c, scope, diags) {
            Value::Unknown(u) => Err(format!(
                "`count` of {what} is not known statically ({})",
                u.reason
            )),
            v => match v.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 100_000.0 => {
                    Ok(Expansion::Count(n as usize))
                }
                _ => {
                    diags.push(Diag::new(
                        "tf-expression-error",
                        format!("`count` of {what} must be a whole number, found {v}"),
                    ));
                    Ok(Expansion::Count(0))
                }
            },
        };
    }
    if let Some(f) = for_each {
        let v = expr::eval(f, scope, diags);
        // Only the keys must be known: a map of resources has known keys and unknown values.
        let unknown = match &v {
            Value::Map(_) => None,
            other => other.first_unknown(),
        };
        if let Some(u) = unknown {
            return Err(format!(
                "`for_each` of {what} is not known statically ({})",
                u.reason
            ));
        }
        return match v {
            Value::Map(m) => Ok(Expansion::Each(m.into_iter().collect())),
            Value::Set(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.to_string_lossless() {
                        Some(k) => out.push((k, item)),
                        None => diags.push(Diag::new(
                            "tf-expression-error",
                            format!(
                                "`for_each` of {what}: a set must hold strings, found {}",
                                item.type_name()
                            ),
                        )),
                    }
                }
                Ok(Expansion::Each(out))
            }
            // `cond ? toset(x) : []`: Terraform unifies the empty tuple into an empty set.
            Value::List(items) if items.is_empty() => Ok(Expansion::Each(Vec::new())),
            Value::Null => {
                diags.push(Diag::new(
                    "tf-expression-error",
                    format!("`for_each` of {what} is null"),
                ));
                Ok(Expansion::Each(Vec::new()))
            }
            other => {
                diags.push(Diag::new(
                    "tf-expression-error",
                    format!(
                        "`for_each` of {what} supports maps and sets of strings, found a {}; use toset() or a map",
                        other.type_name()
                    ),
                ));
                Ok(Expansion::Each(Vec::new()))
            }
        };
    }
    Ok(Expansion::Single)
}

/// The instances of a block: (key, extra bindings).
fn instances(expansion: Expansion) -> Vec<(Option<InstanceKey>, BTreeMap<String, Value>)> {
    match expansion {
        Expansion::Single => vec![(None, BTreeMap::new())],
        Expansion::Count(n) => (0..n)
            .map(|i| {
                let count = Value::Map(BTreeMap::from([(
                    "index".to_string(),
                    Value::Number(i as f64),
                )]));
                (
                    Some(InstanceKey::Int(i)),
                    BTreeMap::from([("count".to_string(), count)]),
                )
            })
            .collect(),
        Expansion::Each(items) => items
            .into_iter()
            .map(|(k, v)| {
                let each = Value::Map(BTreeMap::from([
                    ("key".to_string(), Value::string(k.clone())),
                    ("value".to_string(), v),
                ]));
                (
                    Some(InstanceKey::Str(k)),
                    BTreeMap::from([("each".to_string(), each)]),
                )
            })
            .collect(),
    }
}

/// Instances of a block whose count or for_each is unknown: one, with unknown bindings.
fn unknown_instance(
    count: bool,
    reason: &str,
) -> Vec<(Option<InstanceKey>, BTreeMap<String, Value>)> {
    let u = Value::unknown(reason.to_string());
    if count {
        let c = Value::Map(BTreeMap::from([("index".to_string(), Value::Number(0.0))]));
        vec![(
            Some(InstanceKey::Int(0)),
            BTreeMap::from([("count".to_string(), c)]),
        )]
    } else {
        let each = Value::Map(BTreeMap::from([
            ("key".to_string(), u.clone()),
            ("value".to_string(), u),
        ]));
        vec![(
            Some(InstanceKey::Str("(unknown)".into())),
            BTreeMap::from([("each".to_string(), each)]),
        )]
    }
}

/// The instances of a block with `count` / `for_each` and their bindings. When the number cannot
/// be known, one instance stands for them and a finding says why.
pub(crate) fn block_instances(
    ctx: &mut Ctx,
    count: Option<&Expression>,
    for_each: Option<&Expression>,
    scope: &dyn Scope,
    at: &At,
    base: &str,
) -> Vec<(Option<InstanceKey>, BTreeMap<String, Value>)> {
    let mut diags = Vec::new();
    let expansion = expand(count, for_each, scope, &mut diags, base);
    ctx.diags(diags, at, Some(base));
    match expansion {
        Ok(e) => instances(e),
        Err(why) => {
            ctx.findings.push(
                Finding::new(
                    "tf-unknown-count",
                    at.file.clone(),
                    at.line,
                    format!("{why}: evaluated as one instance"),
                )
                .resource(base.to_string()),
            );
            unknown_instance(count.is_some(), &why)
        }
    }
}
