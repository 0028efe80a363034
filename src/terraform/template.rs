//! Templates: quoted strings and heredocs with `${…}` interpolations and `%{if}`/`%{for}`
//! directives, and the texts `templatefile` renders. Strip markers (`~`) remove all the
//! whitespace of the literal next to them, as HCL does.

use super::expr::{Ctx, EXPR_ERROR, dedup_from, eval_at, fail, first_error, has_errors};
use super::expr_for::{ForScope, from_open_root, iteration};
use super::expr_refs::walk_template;
use super::scope::{Diag, Scope};
use super::value::{Unknown, Value, format_number};
use hcl::expr::TemplateExpr;
use hcl::template::{Directive, Element, ForDirective, IfDirective, Template};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

/// Renders a template text (templatefile) with only `vars` in scope (Terraform gives
/// templatefile no access to var/local/etc.). `Err` when the template does not parse,
/// refers to something that is not in `vars`, or fails to evaluate; warnings (unsupported
/// functions) go to `diags`.
pub fn render_template(
    text: &str,
    vars: &BTreeMap<String, Value>,
    scope_for_files: &dyn Scope,
    diags: &mut Vec<Diag>,
) -> Result<Value, String> {
    let start = diags.len();
    let result = render_at(text, vars, scope_for_files, Ctx::default(), diags);
    dedup_from(diags, start);
    result
}

pub(crate) fn render_at(
    text: &str,
    vars: &BTreeMap<String, Value>,
    files: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Result<Value, String> {
    if ctx.too_deep() {
        return Err("templates nest too deeply".to_string());
    }
    let template = Template::from_str(text).map_err(|e| format!("invalid template: {e}"))?;
    if let Some(bad) = vars
        .keys()
        .find(|k| hcl::Identifier::new(k.as_str()).is_err())
    {
        return Err(format!(
            "invalid template variable name \"{bad}\": must start with a letter, followed by zero or \
more letters, digits, and underscores"
        ));
    }
    // Terraform checks every reference against `vars` before rendering, taken branches or not.
    let mut missing: Option<String> = None;
    walk_template(&template, &mut Vec::new(), ctx.depth, &mut |root, _| {
        if missing.is_none() && !vars.contains_key(root) {
            missing = Some(root.to_string());
        }
    });
    if let Some(name) = missing {
        return Err(format!(
            "vars map does not contain key \"{name}\", referenced in the template"
        ));
    }
    let scope = TemplateScope { vars, files };
    let ctx = Ctx {
        depth: ctx.depth.saturating_add(1),
        in_template: true,
    };
    let mut local = Vec::new();
    let value = eval_template(&template, false, &scope, ctx, &mut local);
    let error = first_error(&local).map(str::to_string);
    diags.extend(local.into_iter().filter(|d| d.code != EXPR_ERROR));
    match error {
        Some(message) => Err(message),
        None => Ok(value),
    }
}

/// What a `templatefile` template sees: its variables, and files through the caller's scope.
struct TemplateScope<'a> {
    vars: &'a BTreeMap<String, Value>,
    files: &'a dyn Scope,
}

impl Scope for TemplateScope<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    fn is_open(&self, _name: &str) -> bool {
        false
    }

    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        self.files.read_file(path)
    }
}

pub(crate) fn eval_template_expr(
    t: &TemplateExpr,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    match Template::from_expr(t) {
        Ok(template) => eval_template(
            &template,
            matches!(t, TemplateExpr::QuotedString(_)),
            scope,
            ctx,
            diags,
        ),
        Err(e) => fail(diags, format!("Invalid template: {e}")),
    }
}

/// `quoted`: the template came from a quoted string, whose literals inside directives the
/// parser leaves with their backslash escapes (top-level literals arrive decoded).
fn eval_template(
    template: &Template,
    quoted: bool,
    scope: &dyn Scope,
    ctx: Ctx,
    diags: &mut Vec<Diag>,
) -> Value {
    // A template that is exactly one interpolation gives that value as it is (HCL's rule).
    if let [Element::Interpolation(i)] = template.elements() {
        return eval_at(&i.expr, scope, ctx, diags);
    }
    let start = diags.len();
    let mut render = Render {
        quoted,
        text: String::new(),
        unknown: None,
    };
    render.elements(
        template.elements(),
        (false, false),
        false,
        scope,
        ctx,
        diags,
    );
    if has_errors(&diags[start..]) {
        return Value::unknown("the expression has an error");
    }
    match render.unknown {
        Some(u) => Value::Unknown(u),
        None => Value::String(render.text),
    }
}

struct Render {
    quoted: bool,
    text: String,
    /// The first unknown met: the whole string is then unknown.
    unknown: Option<Unknown>,
}

/// Whether `el`, just before a literal, strips the whitespace at the literal's start (`~}`).
fn strips_after(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_strip.strip_end(),
            Directive::For(d) => d.endfor_strip.strip_end(),
        },
    }
}

/// Whether `el`, just after a literal, strips the whitespace at the literal's end (`${~`).
fn strips_before(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_strip.strip_start(),
            Directive::For(d) => d.for_strip.strip_start(),
        },
    }
}

impl Render {
    /// Renders a sequence of elements. `edges` says whether the markers enclosing the
    /// sequence (the directive around it) strip its first literal's start and its last
    /// literal's end; `nested` whether it is inside a directive.
    fn elements(
        &mut self,
        els: &[Element],
        edges: (bool, bool),
        nested: bool,
        scope: &dyn Scope,
        ctx: Ctx,
        diags: &mut Vec<Diag>,
    ) {
        if ctx.too_deep() {
            fail(
                diags,
                "Template too complex: its directives nest too deeply",
            );
            return;
        }
        let ctx = ctx.deeper();
        for (i, el) in els.iter().enumerate() {
            match el {
                Element::Literal(s) => {
                    let text = if self.quoted && nested {
                        match unescape(s) {
                            Ok(t) => t,
                            Err(message) => {
                                fail(diags, message);
                                continue;
                            }
                        }
                    } else {
                        Cow::Borrowed(s.as_str())
                    };
                    let strip_start = match i.checked_sub(1) {
                        Some(p) => els.get(p).is_some_and(strips_after),
                        None => edges.0,
                    };
                    let strip_end = match els.get(i + 1) {
                        Some(next) => strips_before(next),
                        None => edges.1,
                    };
                    let mut t: &str = &text;
                    if strip_start {
                        t = t.trim_start();
                    }
                    if strip_end {
                        t = t.trim_end();
                    }
                    self.text.push_str(t);
                }
                Element::Interpolation(interp) => {
                    let v = eval_at(&interp.expr, scope, ctx, diags);
                    self.push_value(v, diags);
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => self.if_directive(d, scope, ctx, diags),
                    Directive::For(d) => self.for_directive(d, scope, ctx, diags),
                },
            }
        }
    }

    fn push_value(&mut self, v: Value, diags: &mut Vec<Diag>) {
        match v {
            Value::String(s) => self.text.push_str(&s),
            Value::Number(n) => self.text.push_str(&format_number(n)),
            Value::Bool(b) => self.text.push_str(if b { "true" } else { "false" }),
            Value::Unknown(u) => {
                self.unknown.get_or_insert(u);
            }
            Value::Null => {
                fail(
                    diags,
                    "Invalid template interpolation value: The expression result is null. Cannot \
include a null value in a string template.",
                );
            }
            other => {
                fail(
                    diags,
                    format!(
                        "Invalid template interpolation value: Cannot include the given value in a \
string template: string required, got {}.",
                        other.type_name()
                    ),
                );
            }
        }
    }

    fn if_directive(
        &mut self,
        d: &IfDirective,
        scope: &dyn Scope,
        ctx: Ctx,
        diags: &mut Vec<Diag>,
    ) {
        let start = diags.len();
        let cond = eval_at(&d.cond_expr, scope, ctx, diags);
        if has_errors(&diags[start..]) {
            return;
        }
        let chosen = match &cond {
            Value::Unknown(u) => {
                self.unknown.get_or_insert(u.clone());
                return;
            }
            Value::Null => {
                fail(
                    diags,
                    "Null condition: The condition value is null. Conditions must either be true or false.",
                );
                return;
            }
            other => match other.as_bool() {
                Some(b) => b,
                None => {
                    fail(
                        diags,
                        format!(
                            "Incorrect condition type: The condition of an 'if' directive must be of \
type bool, got {}.",
                            other.type_name()
                        ),
                    );
                    return;
                }
            },
        };
        if chosen {
            let end = match d.false_template {
                Some(_) => d.else_strip.strip_start(),
                None => d.endif_strip.strip_start(),
            };
            let edges = (d.if_strip.strip_end(), end);
            self.elements(d.true_template.elements(), edges, true, scope, ctx, diags);
        } else if let Some(f) = &d.false_template {
            let edges = (d.else_strip.strip_end(), d.endif_strip.strip_start());
            self.elements(f.elements(), edges, true, scope, ctx, diags);
        }
    }

    fn for_directive(
        &mut self,
        d: &ForDirective,
        scope: &dyn Scope,
        ctx: Ctx,
        diags: &mut Vec<Diag>,
    ) {
        let start = diags.len();
        let coll = eval_at(&d.collection_expr, scope, ctx, diags);
        if has_errors(&diags[start..]) {
            return;
        }
        let items = match iteration(coll, "a template 'for' directive") {
            Ok(Ok(items)) => items,
            Ok(Err(u)) => {
                self.unknown.get_or_insert(u);
                return;
            }
            Err(message) => {
                fail(diags, message);
                return;
            }
        };
        let open = from_open_root(&d.collection_expr, scope, ctx.depth);
        let edges = (d.for_strip.strip_end(), d.endfor_strip.strip_start());
        for (k, v) in items {
            let mut layer = ForScope::new(scope, open);
            if let Some(key_var) = &d.key_var {
                layer.bind(key_var.as_str(), k);
            }
            layer.bind(d.value_var.as_str(), v);
            self.elements(d.template.elements(), edges, true, &layer, ctx, diags);
        }
    }
}

/// Decodes the backslash escapes of a quoted string: `\n`, `\r`, `\t`, `\"`, `\\`,
/// `\uNNNN` and `\UNNNNNNNN`.
pub(crate) fn unescape(s: &str) -> Result<Cow<'_, str>, String> {
    if !s.contains('\\') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next() {
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('"') => '"',
            Some('\\') => '\\',
            Some(u @ ('u' | 'U')) => {
                let len = if u == 'u' { 4 } else { 8 };
                let digits: String = chars.by_ref().take(len).collect();
                let code = (digits.len() == len && digits.chars().all(|d| d.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(&digits, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                match code {
                    Some(ch) => ch,
                    None => {
                        return Err(format!(
                            "Invalid escape sequence: \\{u}{digits} is not a valid Unicode character escape."
                        ));
                    }
                }
            }
            Some(other) => {
                return Err(format!(
                    "Invalid escape sequence: the symbol \"{other}\" is not a valid escape sequence \
selector."
                ));
            }
            None => {
                return Err(
                    "Invalid escape sequence: the string ends with a backslash.".to_string()
                );
            }
        };
        out.push(decoded);
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
