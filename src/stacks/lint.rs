//! Checks on a stack's form beyond its schema: use cases against `.cycloid.yml`, duplicate
//! keys, defaults and values against the var's type, conditions naming real fields, and keys
//! the stack's Terraform declares.

use super::cycloid::CycloidFile;
use super::forms::{Form, FormUseCase, Var};
use super::values::{self, Condition, DefaultValue, Problem, Values, VarType};
use crate::finding::Finding;
use crate::terraform::TerraformScan;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a stack's Terraform declares: root variables, and module blocks with the variables of
/// their (local, parsed) source when known.
#[derive(Debug, Clone, Default)]
pub struct TfDecls {
    pub variables: BTreeSet<String>,
    pub modules: BTreeMap<String, Option<BTreeSet<String>>>,
}

/// Module arguments that are Terraform's own, not variables of the module.
const META_ARGS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Reads the declarations of a Terraform folder. `None` when the folder was not parsed or a
/// file of it failed to parse: warning about undeclared keys would then be guesswork.
pub fn tf_decls(dir: &str, tf: &TerraformScan) -> Option<TfDecls> {
    let (variables, modules_src) = declarations(dir, tf)?;
    let modules = modules_src
        .into_iter()
        .map(|(name, target)| {
            let vars = target.and_then(|t| declarations(&t, tf)).map(|(v, _)| v);
            (name, vars)
        })
        .collect();
    Some(TfDecls { variables, modules })
}

type Decls = (BTreeSet<String>, BTreeMap<String, Option<String>>);

fn declarations(dir: &str, tf: &TerraformScan) -> Option<Decls> {
    let parsed = tf.modules.get(dir)?;
    // A file that did not parse may hold the declaration: better say nothing than guess.
    if parsed.parse_failures > 0 {
        return None;
    }
    let mut variables = BTreeSet::new();
    let mut modules = BTreeMap::new();
    for file in &parsed.files {
        for block in file.body.blocks() {
            let Some(label) = block.labels().first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            match block.identifier() {
                "variable" => {
                    variables.insert(label);
                }
                "module" => {
                    let target = parsed
                        .local_calls
                        .iter()
                        .find(|c| c.name == label)
                        .map(|c| c.dir.clone());
                    modules.insert(label, target);
                }
                _ => {}
            }
        }
    }
    Some((variables, modules))
}

/// Everything a form check needs to know about its stack.
pub struct Ctx<'a> {
    pub cycloid_file: &'a str,
    pub cycloid: &'a CycloidFile,
    pub form: &'a Form,
    pub tf: Option<&'a TfDecls>,
    pub tf_dir: Option<&'a str>,
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let file = ctx.form.file.as_str();
    let config_keys: Vec<&str> = ctx.cycloid.config.iter().map(|c| c.key.as_str()).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for uc in &ctx.form.use_cases {
        if let Some(first) = seen.get(uc.name.as_str()) {
            out.push(
                Finding::new(
                    "forms-use-case-duplicate",
                    file,
                    uc.line,
                    format!(
                        "use case `{}` is defined twice (first at line {first})",
                        uc.name
                    ),
                )
                .resource(uc.name.clone()),
            );
            continue;
        }
        seen.insert(&uc.name, uc.line);
        if !config_keys.contains(&uc.name.as_str()) {
            let known = if config_keys.is_empty() {
                format!("{} has no `config` use cases", ctx.cycloid_file)
            } else {
                format!("{} defines: {}", ctx.cycloid_file, config_keys.join(", "))
            };
            let mut f = Finding::new(
                "forms-use-case-unknown",
                file,
                uc.line,
                format!(
                    "use case `{}` is not a key of `config` in .cycloid.yml",
                    uc.name
                ),
            )
            .resource(uc.name.clone());
            f = match values::closest(&uc.name, config_keys.iter().copied()) {
                Some(s) => f.help(format!("did you mean `{s}`? {known}")),
                None => f.help(known),
            };
            out.push(f);
        }
        check_use_case(ctx, uc, &mut out);
    }
    for c in &ctx.cycloid.config {
        if !seen.contains_key(c.key.as_str()) {
            out.push(
                Finding::new(
                    "forms-use-case-missing",
                    ctx.cycloid_file,
                    c.line,
                    format!("use case `{}` has no form in {file}", c.key),
                )
                .resource(c.key.clone()),
            );
        }
    }
    out
}

fn check_use_case(ctx: &Ctx<'_>, uc: &FormUseCase, out: &mut Vec<Finding>) {
    let file = ctx.form.file.as_str();
    // Per key: the line and technologies of each var using it.
    let mut by_key: HashMap<&str, Vec<(usize, Vec<&str>)>> = HashMap::new();
    for (_, var, group) in uc.vars() {
        let techs: Vec<&str> = if group.technologies.is_empty() {
            vec!["terraform"]
        } else {
            group.technologies.iter().map(String::as_str).collect()
        };
        let entry = by_key.entry(var.key.as_str()).or_default();
        // Two vars with one key feed the same input when they share a technology.
        if let Some((line, _)) = entry
            .iter()
            .find(|(_, t)| t.iter().any(|x| techs.contains(x)))
        {
            out.push(
                Finding::new(
                    "forms-key-duplicate",
                    file,
                    var.key_line,
                    format!(
                        "key `{}` is already used in use case `{}` at line {line}",
                        var.key, uc.name
                    ),
                )
                .resource(var.key.clone())
                .help("two fields would set the same input; remove one or give it another key"),
            );
        }
        entry.push((var.key_line, techs));

        check_key(ctx, var, group.feeds_terraform(), out);
        check_values(file, var, out);
        check_default(file, var, out);
        for c in conditions(var, group.condition.as_ref()) {
            check_fields(file, uc, c, out);
        }
    }
}

fn conditions<'a>(var: &'a Var, group: Option<&'a Condition>) -> Vec<&'a Condition> {
    let mut out: Vec<&Condition> = group.into_iter().chain(var.condition.as_ref()).collect();
    if let Some(Values::Options { options }) = &var.values {
        out.extend(options.iter().map(|o| &o.condition));
    }
    if let Some(DefaultValue::Options { options }) = &var.default {
        out.extend(options.iter().map(|o| &o.condition));
    }
    out
}

fn check_fields(file: &str, uc: &FormUseCase, c: &Condition, out: &mut Vec<Finding>) {
    let Some(expr) = &c.expr else { return };
    for field in expr.fields() {
        if uc.field(field).is_some() {
            continue;
        }
        let mut f = Finding::new(
            "forms-condition-unknown-field",
            file,
            c.line,
            format!(
                "condition `{}` names `${field}`, which is no field of use case `{}`",
                c.text, uc.name
            ),
        );
        if let Some(s) = values::closest(field, uc.index.by_key.keys().map(String::as_str)) {
            f = f.help(format!("did you mean `${s}`?"));
        } else if uc.index.by_name.get(field).is_some_and(|v| v.len() > 1) {
            f = f.help(format!(
                "several fields are named `{field}`; refer to one by its key"
            ));
        }
        out.push(f);
    }
}

fn check_key(ctx: &Ctx<'_>, var: &Var, terraform: bool, out: &mut Vec<Finding>) {
    let file = ctx.form.file.as_str();
    let module = var
        .key
        .strip_prefix("module.")
        .map(|rest| rest.split_once('.'));
    if let Some(parts) = module {
        let valid = parts.is_some_and(|(m, a)| !m.is_empty() && !a.is_empty() && !a.contains('.'));
        if !valid {
            out.push(
                Finding::new("forms-key-invalid", file, var.key_line, format!("key `{}` is not `module.<module>.<argument>`", var.key))
                    .resource(var.key.clone())
                    .help("a key is a root variable name, or `module.<module>.<argument>` for a module argument"),
            );
            return;
        }
    }
    let (Some(decls), true) = (ctx.tf, terraform) else {
        return;
    };
    let dir = ctx.tf_dir.unwrap_or("terraform");
    let problem = match module.flatten() {
        None => (!decls.variables.contains(&var.key)).then(|| {
            format!(
                "key `{}`: the stack's Terraform ({dir}) declares no `variable \"{}\"`",
                var.key, var.key
            )
        }),
        Some((m, arg)) => match decls.modules.get(m) {
            None => Some(format!(
                "key `{}`: the stack's Terraform ({dir}) has no `module \"{m}\"`",
                var.key
            )),
            Some(Some(vars)) if !vars.contains(arg) && !META_ARGS.contains(&arg) => Some(format!(
                "key `{}`: module \"{m}\" declares no `variable \"{arg}\"`",
                var.key
            )),
            Some(_) => None,
        },
    };
    if let Some(message) = problem {
        out.push(
            Finding::new("forms-key-undeclared", file, var.key_line, message)
                .resource(var.key.clone())
                .help("the value would not reach Terraform; fix the key or declare the variable"),
        );
    }
}

/// The type of items in a list of allowed values.
fn check_values(file: &str, var: &Var, out: &mut Vec<Finding>) {
    let (Some(ty), Some(values)) = (var.ty, &var.values) else {
        return;
    };
    let scalar = matches!(
        ty,
        VarType::Integer | VarType::Float | VarType::String | VarType::Boolean
    );
    let mut lists: Vec<&Values> = vec![values];
    if let Values::Options { options } = values {
        lists = options.iter().map(|o| &o.values).collect();
    }
    for v in lists {
        let bad = match v {
            Values::List { items } if scalar => items.iter().find(|i| !ty.accepts(i)),
            Values::Labeled { items } if scalar => {
                items.iter().map(|l| &l.value).find(|i| !ty.accepts(i))
            }
            Values::Range { .. } if !matches!(ty, VarType::Integer | VarType::Float) => {
                out.push(
                    Finding::new(
                        "forms-values-invalid",
                        file,
                        var.lines.values,
                        format!(
                            "var `{}`: a slider_range needs type integer or float, not {}",
                            var.key,
                            ty.as_str()
                        ),
                    )
                    .resource(var.key.clone()),
                );
                None
            }
            _ => None,
        };
        if let Some(bad) = bad {
            out.push(
                Finding::new(
                    "forms-values-invalid",
                    file,
                    var.lines.values,
                    format!(
                        "var `{}` has type {}, but its `values` include {}",
                        var.key,
                        ty.as_str(),
                        values::describe(bad)
                    ),
                )
                .resource(var.key.clone()),
            );
        }
    }
}

fn check_default(file: &str, var: &Var, out: &mut Vec<Finding>) {
    let Some(default) = &var.default else { return };
    let candidates: Vec<(&Json, usize)> = match default {
        DefaultValue::Value { value } => vec![(value, var.lines.default)],
        DefaultValue::Options { options } => options
            .iter()
            .map(|o| (&o.default, o.condition.line))
            .collect(),
    };
    for (value, line) in candidates {
        if value.is_null() || values::is_opaque(value) {
            continue;
        }
        if let Some(ty) = var.ty {
            if !ty.accepts(value) {
                out.push(
                    Finding::new(
                        "forms-default-invalid",
                        file,
                        line,
                        format!(
                            "var `{}`: default {} is not of type {}",
                            var.key,
                            values::describe(value),
                            ty.as_str()
                        ),
                    )
                    .resource(var.key.clone()),
                );
                continue;
            }
        }
        if var.values_ref.is_some() {
            continue;
        }
        let problem = match &var.values {
            None => None,
            // Which option applies depends on other fields: the default must fit at least one.
            Some(Values::Options { options }) => {
                let problems: Vec<Problem> = options
                    .iter()
                    .filter_map(|o| values::check_allowed(value, &o.values, var.ty))
                    .collect();
                if problems.len() == options.len() {
                    problems.into_iter().next()
                } else {
                    None
                }
            }
            Some(v) => values::check_allowed(value, v, var.ty),
        };
        if let Some(p) = problem {
            out.push(
                Finding::new(
                    "forms-default-invalid",
                    file,
                    line,
                    format!("var `{}`: default {}", var.key, p.describe()),
                )
                .resource(var.key.clone()),
            );
        }
    }
}
