//! Variables of a module instance: the given value converted to the declared type, else the
//! default, else unknown.

use super::expr;
use super::instance::Ctx;
use super::module::{At, ModuleConfig};
use super::scope::Layer;
use super::types;
use super::value::Value;
use crate::finding::Finding;
use std::collections::BTreeMap;

/// Gives every declared variable its value: the given one converted to the declared type, else
/// the default, else unknown. `call` is set for module calls, where a missing required argument
/// is an error (a root variable without value is simply not known yet).
pub fn bind_variables(
    ctx: &mut Ctx,
    cfg: &ModuleConfig,
    mut given: BTreeMap<String, Value>,
    at: &At,
    path: &str,
    call: Option<&str>,
) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let empty = Layer {
        parent: None,
        vars: BTreeMap::new(),
    };
    for v in &cfg.variables {
        if let Some(err) = &v.type_error {
            ctx.findings.push(Finding::new(
                "tf-expression-error",
                v.at.file.clone(),
                v.at.line,
                format!("variable \"{}\": invalid type constraint: {err}", v.name),
            ));
        }
        let default = v.default.as_ref().map(|d| {
            let mut diags = Vec::new();
            let value = expr::eval(d, &empty, &mut diags);
            ctx.diags(diags, &v.at, None);
            value
        });
        let value = match given.remove(&v.name) {
            Some(Value::Null) if !v.nullable => default.clone().unwrap_or(Value::Null),
            Some(value) => value,
            None => match default.clone() {
                Some(d) => d,
                None => {
                    if let Some(module) = call {
                        ctx.findings.push(
                            Finding::new(
                                "tf-expression-error",
                                at.file.clone(),
                                at.line,
                                format!("{module} requires the argument `{}` (variable \"{}\" has no default)", v.name, v.name),
                            )
                            .resource(path.to_string()),
                        );
                    }
                    Value::unknown(format!("variable `{}` has no value", v.name))
                }
            },
        };
        let converted = match &v.ty {
            Some(t) => match types::convert(value, t) {
                Ok(c) => c,
                Err(e) => {
                    let (file, line) = if call.is_some() {
                        (at.file.clone(), at.line)
                    } else {
                        (v.at.file.clone(), v.at.line)
                    };
                    ctx.findings.push(Finding::new(
                        "tf-variable-type",
                        file,
                        line,
                        format!(
                            "variable \"{}\" of {}: {e}",
                            v.name,
                            if path.is_empty() {
                                "the root module"
                            } else {
                                path
                            }
                        ),
                    ));
                    Value::unknown(format!("variable `{}` does not fit its type", v.name))
                }
            },
            None => value,
        };
        out.insert(v.name.clone(), converted);
    }
    if let Some(module) = call {
        for (name, _) in given {
            ctx.findings.push(
                Finding::new(
                    "tf-expression-error",
                    at.file.clone(),
                    at.line,
                    format!("{module} has no variable `{name}` for this argument"),
                )
                .resource(path.to_string()),
            );
        }
    }
    out
}
