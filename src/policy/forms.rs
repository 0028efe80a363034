//! Forms that lead into a violation: a `.forms.yml` field offering (in `values` or as its
//! `default`) a region or instance type that a policy forbids. Only policies that hold for
//! every use of the form are applied: one scoped by environment or project path may not apply
//! to the instance a developer creates.

use super::{Policy, Verdict};
use crate::finding::Finding;
use crate::stacks::{DefaultValue, Stack, Values, Var};
use serde_json::Value as Json;

pub fn check(policies: &[Policy], stacks: &[Stack]) -> Vec<Finding> {
    let mut out = Vec::new();
    for stack in stacks {
        let Some(file) = stack.forms_file.as_deref() else {
            continue;
        };
        let applicable: Vec<&Policy> = policies
            .iter()
            .filter(|p| p.scope.applies_to_form(&stack.canonical))
            .collect();
        if applicable.is_empty() {
            continue;
        }
        for uc in &stack.use_cases {
            let Some(form) = &uc.form else {
                continue;
            };
            for (_, var, _) in form.vars() {
                for p in &applicable {
                    out.extend(check_var(p, file, &uc.name, var));
                }
            }
        }
    }
    out
}

fn check_var(p: &Policy, file: &str, use_case: &str, var: &Var) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut offered = Vec::new();
    if let Some(v) = &var.values {
        collect_values(v, &mut offered);
    }
    let mut bad_values = Vec::new();
    let mut first_reason = None;
    for value in &offered {
        if let Some(Verdict::Violation { message, .. }) = p.rule.check_value(&var.key, value) {
            first_reason.get_or_insert(message);
            bad_values.push(value.clone());
        }
    }
    if !bad_values.is_empty() {
        bad_values.dedup();
        found.push(
            Finding::new(
                "form-offers-forbidden",
                file,
                var.lines.values.max(var.line),
                format!(
                    "field `{}` of use case `{use_case}` offers {} that policy `{}` forbids ({})",
                    var.key,
                    bad_values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                    p.id,
                    first_reason.unwrap_or_default()
                ),
            )
            .policy(p.id.clone())
            .help("remove the value from the form, or change the policy, so the golden path never leads into a violation"),
        );
    }
    let mut defaults = Vec::new();
    match &var.default {
        Some(DefaultValue::Value { value }) => defaults.extend(scalar(value)),
        Some(DefaultValue::Options { options }) => {
            defaults.extend(options.iter().filter_map(|o| scalar(&o.default)));
        }
        None => {}
    }
    for d in defaults {
        if bad_values.contains(&d) {
            continue;
        }
        if let Some(Verdict::Violation { message, .. }) = p.rule.check_value(&var.key, &d) {
            found.push(
                Finding::new(
                    "form-offers-forbidden",
                    file,
                    var.lines.default.max(var.line),
                    format!(
                        "the default of field `{}` of use case `{use_case}` is `{d}`, which policy `{}` forbids ({message})",
                        var.key, p.id
                    ),
                )
                .policy(p.id.clone()),
            );
        }
    }
    found
}

fn collect_values(v: &Values, out: &mut Vec<String>) {
    match v {
        Values::List { items } => out.extend(items.iter().filter_map(scalar)),
        Values::Labeled { items } => out.extend(items.iter().filter_map(|l| scalar(&l.value))),
        Values::Options { options } => {
            for o in options {
                collect_values(&o.values, out);
            }
        }
        Values::Range { .. } => {}
    }
}

fn scalar(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        _ => None,
    }
}
