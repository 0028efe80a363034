//! An instance's values against its use case's form: which fields are active (conditions),
//! what each field's value is (instance value, else default, conditional defaults resolved),
//! the checks every value goes through, and the Terraform inputs the instance implies.

use super::condition::Operand;
use super::forms::{FormUseCase, Var};
use super::instance::{Instance, InstanceValue};
use super::values::{self, DefaultValue, Problem, Values, VarType};
use crate::finding::Finding;
use crate::project::TerraformInputs;
use serde_json::Value as Json;

/// Resolution depth beyond which a chain of conditions is treated as unknowable.
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone)]
enum Memo<T> {
    Todo,
    Busy,
    Done(T),
}

/// A field's own value, before conditions decide whether it counts.
#[derive(Debug, Clone)]
enum Raw {
    Value { value: Json, opaque: bool },
    Missing,
    Unknown,
}

struct Resolver<'a> {
    uc: &'a FormUseCase,
    /// Per field: the instance's value, and whether conditions can read it (not when it is an
    /// interpolation, or of the wrong type: that is reported once, not again through every
    /// condition that reads it).
    given: Vec<Option<(&'a Json, bool)>>,
    active: Vec<Memo<Option<bool>>>,
    raw: Vec<Memo<Raw>>,
    depth: usize,
}

impl<'a> Resolver<'a> {
    fn new(uc: &'a FormUseCase, values: &'a [InstanceValue]) -> Resolver<'a> {
        let n = uc.index.flat.len();
        let mut given = vec![None; n];
        for v in values.iter().filter(|v| !v.value.is_null()) {
            for &i in uc.index.by_key.get(&v.key).into_iter().flatten() {
                let wrong_type = uc
                    .var(i)
                    .and_then(|(var, _, _)| var.ty)
                    .is_some_and(|t| !t.accepts(&v.value));
                if let Some(slot) = given.get_mut(i) {
                    *slot = Some((&v.value, wrong_type || values::is_opaque(&v.value)));
                }
            }
        }
        Resolver {
            uc,
            given,
            active: vec![Memo::Todo; n],
            raw: vec![Memo::Todo; n],
            depth: 0,
        }
    }

    /// Whether field `i` is shown (its group's and its own conditions hold). `None`: unknown.
    fn active(&mut self, i: usize) -> Option<bool> {
        match self.active.get(i) {
            Some(Memo::Done(v)) => return *v,
            // A condition that depends on itself cannot be decided.
            Some(Memo::Busy) | None => return None,
            Some(Memo::Todo) => {}
        }
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.active[i] = Memo::Busy;
        self.depth += 1;
        let uc = self.uc;
        let mut result = Some(true);
        if let Some((var, group, _)) = uc.var(i) {
            for c in group.condition.iter().chain(var.condition.iter()) {
                let r = match &c.expr {
                    Some(e) => e.eval(&mut |f| self.lookup(f)),
                    None => None,
                };
                result = match (result, r) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
                if result == Some(false) {
                    break;
                }
            }
        }
        self.depth -= 1;
        self.active[i] = Memo::Done(result);
        result
    }

    /// The instance value of field `i`, else its default.
    fn raw(&mut self, i: usize) -> Raw {
        match self.raw.get(i) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::Busy) | None => return Raw::Unknown,
            Some(Memo::Todo) => {}
        }
        if let Some(Some((v, opaque))) = self.given.get(i) {
            let r = Raw::Value {
                value: (*v).clone(),
                opaque: *opaque,
            };
            self.raw[i] = Memo::Done(r.clone());
            return r;
        }
        if self.depth > MAX_DEPTH {
            return Raw::Unknown;
        }
        self.raw[i] = Memo::Busy;
        self.depth += 1;
        let uc = self.uc;
        let r = match uc.var(i).and_then(|(v, _, _)| v.default.as_ref()) {
            None => Raw::Missing,
            Some(DefaultValue::Value { value }) => plain(value),
            Some(DefaultValue::Options { options }) => {
                let mut r = Raw::Missing;
                for o in options {
                    match o
                        .condition
                        .expr
                        .as_ref()
                        .and_then(|e| e.eval(&mut |f| self.lookup(f)))
                    {
                        Some(true) => {
                            r = plain(&o.default);
                            break;
                        }
                        Some(false) => continue,
                        None => {
                            r = Raw::Unknown;
                            break;
                        }
                    }
                }
                r
            }
        };
        self.depth -= 1;
        self.raw[i] = Memo::Done(r.clone());
        r
    }

    /// What a condition sees for `$name`: nothing when the field is hidden.
    fn lookup(&mut self, name: &str) -> Operand {
        let Some(i) = self.uc.field(name) else {
            return Operand::Missing;
        };
        match self.active(i) {
            Some(false) => Operand::Missing,
            None => Operand::Unknown,
            Some(true) => match self.raw(i) {
                Raw::Value { opaque: true, .. } | Raw::Unknown => Operand::Unknown,
                Raw::Value { value, .. } => Operand::Known(value),
                Raw::Missing => Operand::Missing,
            },
        }
    }

    /// The values a field allows given the other fields; `None` when not checkable.
    fn allowed(&mut self, var: &'a Var) -> Option<&'a Values> {
        if var.values_ref.is_some() {
            return None;
        }
        match var.values.as_ref()? {
            Values::Options { options } => {
                for o in options {
                    match o.condition.expr.as_ref()?.eval(&mut |f| self.lookup(f)) {
                        Some(true) => return Some(&o.values),
                        Some(false) => continue,
                        None => return None,
                    }
                }
                None
            }
            other => Some(other),
        }
    }
}

fn plain(v: &Json) -> Raw {
    if v.is_null() {
        Raw::Missing
    } else {
        Raw::Value {
            value: v.clone(),
            opaque: values::is_opaque(v),
        }
    }
}

/// Where the form defines a field, for `help`.
fn defined_at(form_file: &str, var: &Var) -> String {
    format!("`{}` is defined at {form_file}:{}", var.key, var.key_line)
}

/// Validates an instance against a use case; returns the Terraform inputs it implies.
pub fn validate(
    inst: &Instance,
    uc: &FormUseCase,
    form_file: &str,
) -> (TerraformInputs, Vec<Finding>) {
    let mut out = Vec::new();
    let mut r = Resolver::new(uc, &inst.values);
    let finding = |code: &'static str, line: usize, msg: String| {
        Finding::new(code, inst.file.as_str(), line, msg).resource(inst.name.clone())
    };

    for iv in &inst.values {
        let Some(&i) = uc.index.by_key.get(&iv.key).and_then(|v| v.first()) else {
            out.push(unknown_key(inst, uc, iv));
            continue;
        };
        let Some((var, group, _)) = uc.var(i) else {
            continue;
        };
        if iv.value.is_null() {
            continue;
        }
        if r.active(i) == Some(false) {
            let cond = group
                .condition
                .iter()
                .chain(var.condition.iter())
                .map(|c| format!("`{}`", c.text))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push(
                finding(
                    "instance-value-inactive",
                    iv.line,
                    format!(
                        "`{}` has no effect: the field is hidden because {cond} is false",
                        iv.key
                    ),
                )
                .help(format!(
                    "remove the value, or set the fields its condition depends on; {}",
                    defined_at(form_file, var)
                )),
            );
            continue;
        }
        if values::is_opaque(&iv.value) {
            continue;
        }
        if let Some(ty) = var.ty {
            if !ty.accepts(&iv.value) {
                let hint = match (ty, &iv.value) {
                    (VarType::String, Json::Number(_) | Json::Bool(_)) => {
                        "; quote it to make it a string"
                    }
                    (VarType::Integer | VarType::Float | VarType::Boolean, Json::String(_)) => {
                        "; remove the quotes"
                    }
                    _ => "",
                };
                out.push(
                    finding(
                        "instance-value-type",
                        iv.line,
                        format!(
                            "`{}` must be {} {}, found {}",
                            iv.key,
                            article(ty),
                            ty.as_str(),
                            values::describe(&iv.value)
                        ),
                    )
                    .help(format!("{}{hint}", defined_at(form_file, var))),
                );
                continue;
            }
        }
        if let Some(allowed) = r.allowed(var) {
            if let Some(p) = values::check_allowed(&iv.value, allowed, var.ty) {
                let code = match p {
                    Problem::NotAllowed { .. } => "instance-value-not-allowed",
                    Problem::OutOfRange { .. } => "instance-value-out-of-range",
                };
                out.push(
                    finding(code, iv.line, format!("`{}`: {}", iv.key, p.describe())).help(
                        format!(
                            "the allowed values are listed at {form_file}:{}",
                            var.lines.values
                        ),
                    ),
                );
            }
        }
        check_regexps(inst, iv, var, form_file, &mut out);
    }

    // Required fields that are shown but have neither a value nor a default.
    for (i, var, _) in uc.vars() {
        if !var.required || r.active(i) != Some(true) {
            continue;
        }
        let empty = match r.raw(i) {
            Raw::Missing => true,
            Raw::Value {
                value: Json::String(s),
                ..
            } => s.is_empty(),
            _ => false,
        };
        if empty {
            let line = inst
                .values
                .iter()
                .find(|v| v.key == var.key)
                .map_or(inst.values_line, |v| v.line);
            out.push(
                finding(
                    "instance-value-required",
                    line,
                    format!(
                        "`{}` ({}) is required and has no value and no default",
                        var.key, var.name
                    ),
                )
                .help(defined_at(form_file, var)),
            );
        }
    }

    let mut inputs = TerraformInputs::default();
    for (i, var, group) in uc.vars() {
        if !group.feeds_terraform() || r.active(i) == Some(false) {
            continue;
        }
        if let Raw::Value { value, .. } = r.raw(i) {
            inputs.set(&var.key, value);
        }
    }
    (inputs, out)
}

fn article(ty: VarType) -> &'static str {
    if ty == VarType::Integer || ty == VarType::Array {
        "an"
    } else {
        "a"
    }
}

fn unknown_key(inst: &Instance, uc: &FormUseCase, iv: &InstanceValue) -> Finding {
    let mut f = Finding::new(
        "instance-value-unknown-key",
        inst.file.as_str(),
        iv.line,
        format!("`{}` is not a field of use case `{}`", iv.key, uc.name),
    )
    .resource(inst.name.clone());
    let keys = uc.index.by_key.keys().map(String::as_str);
    if let Some(&[i]) = uc.index.by_name.get(&iv.key).map(Vec::as_slice) {
        if let Some((var, _, _)) = uc.var(i) {
            return f.help(format!(
                "`{}` is the field's name; values are keyed by its key: `{}`",
                iv.key, var.key
            ));
        }
    }
    f = match values::closest(&iv.key, keys) {
        Some(s) => f.help(format!("did you mean `{s}`?")),
        None => {
            let mut all: Vec<&str> = uc.index.by_key.keys().map(String::as_str).collect();
            all.sort_unstable();
            let more = if all.len() > 15 { ", …" } else { "" };
            all.truncate(15);
            f.help(format!("the form's keys: {}{more}", all.join(", ")))
        }
    };
    f
}

fn check_regexps(
    inst: &Instance,
    iv: &InstanceValue,
    var: &Var,
    form_file: &str,
    out: &mut Vec<Finding>,
) {
    let text = match &iv.value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => return,
    };
    for v in &var.validations {
        let Some(re) = &v.regex else { continue };
        if re.is_match(&text) {
            continue;
        }
        let why = v
            .error_message
            .clone()
            .unwrap_or_else(|| format!("must match `{}`", v.regexp));
        out.push(
            Finding::new(
                "instance-value-validation",
                inst.file.as_str(),
                iv.line,
                format!("`{}` = {}: {why}", iv.key, values::short(&iv.value)),
            )
            .resource(inst.name.clone())
            .help(format!(
                "the form requires `{}` ({form_file}:{})",
                v.regexp, v.line
            )),
        );
    }
}
