//! A module folder's declarations, gathered once from all its files: variables, locals,
//! resources and data sources, module calls, providers and outputs. `override.tf` and
//! `*_override.tf` files are merged into the blocks they override, as Terraform does.

use super::scan::{Lines, ParsedFile, ParsedModule};
use super::types::{self, Type};
use hcl::{Block, Body, Expression, Structure};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// Where a declaration is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct At {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub ty: Option<Type>,
    /// A type constraint that could not be read.
    pub type_error: Option<String>,
    pub default: Option<Expression>,
    pub nullable: bool,
    pub at: At,
}

#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub expr: Expression,
    pub at: At,
}

/// A provider configuration reference: `aws`, `aws.west`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProviderRef {
    pub name: String,
    pub alias: Option<String>,
}

impl ProviderRef {
    pub fn key(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{a}", self.name),
            None => self.name.clone(),
        }
    }

    /// `aws.west` as written in `provider =` or `providers = {}`.
    pub fn parse(text: &str) -> ProviderRef {
        match text.split_once('.') {
            Some((n, a)) => ProviderRef {
                name: n.to_string(),
                alias: Some(a.to_string()),
            },
            None => ProviderRef {
                name: text.to_string(),
                alias: None,
            },
        }
    }

    fn from_expr(e: &Expression) -> Option<ProviderRef> {
        match e {
            Expression::Variable(v) => Some(ProviderRef::parse(v.as_str())),
            Expression::String(s) => Some(ProviderRef::parse(s)),
            Expression::TemplateExpr(t) => {
                Some(ProviderRef::parse(t.to_string().trim_matches('"')))
            }
            Expression::Traversal(t) => {
                let Expression::Variable(root) = &t.expr else {
                    return None;
                };
                let alias = match t.operators.first() {
                    Some(hcl::TraversalOperator::GetAttr(a)) => Some(a.to_string()),
                    _ => None,
                };
                Some(ProviderRef {
                    name: root.to_string(),
                    alias,
                })
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub mode: Mode,
    pub r#type: String,
    pub name: String,
    /// The body without meta-arguments (`count`, `for_each`, `provider`, `depends_on`,
    /// `lifecycle`, `provisioner`, `connection`).
    pub body: Body,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
    pub provider: Option<ProviderRef>,
    pub at: At,
    /// Lines of the body's top-level attributes and blocks, by name.
    pub attr_lines: BTreeMap<String, usize>,
}

impl ResourceBlock {
    /// The provider a resource uses when it names none: the type's prefix (`aws_instance` → aws).
    pub fn provider_ref(&self) -> ProviderRef {
        self.provider.clone().unwrap_or_else(|| ProviderRef {
            name: self
                .r#type
                .split('_')
                .next()
                .unwrap_or(&self.r#type)
                .to_string(),
            alias: None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub source: String,
    pub version: Option<String>,
    /// Input arguments (everything but the meta-arguments).
    pub args: Vec<(String, Expression)>,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
    /// `providers = { aws = aws.west }`: the child's name → the caller's configuration.
    pub providers: Vec<(ProviderRef, ProviderRef)>,
    pub at: At,
}

#[derive(Debug, Clone)]
pub struct ProviderBlock {
    pub r#ref: ProviderRef,
    pub body: Body,
    pub at: At,
}

#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub expr: Expression,
    pub at: At,
}

#[derive(Debug, Clone, Default)]
pub struct ModuleConfig {
    pub dir: String,
    pub variables: Vec<Variable>,
    pub locals: Vec<Local>,
    pub resources: Vec<ResourceBlock>,
    pub calls: Vec<ModuleCall>,
    pub providers: Vec<ProviderBlock>,
    pub outputs: Vec<Output>,
}

/// Terraform's rule: `override.tf`, `override.tf.json` and `*_override.tf(.json)`.
pub fn is_override(path: &str) -> bool {
    let name = crate::snapshot::file_name(path);
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

const RESOURCE_META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
];
const CALL_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

impl ModuleConfig {
    pub fn gather(parsed: &ParsedModule) -> ModuleConfig {
        let mut primary: Vec<(&ParsedFile, usize, &Block)> = Vec::new();
        let mut overrides: Vec<(&ParsedFile, usize, &Block)> = Vec::new();
        for f in &parsed.files {
            let list = if is_override(&f.path) {
                &mut overrides
            } else {
                &mut primary
            };
            for (i, s) in f.body.iter().enumerate() {
                if let Structure::Block(b) = s {
                    list.push((f, i, b));
                }
            }
        }
        let mut m = ModuleConfig {
            dir: parsed.dir.clone(),
            ..Default::default()
        };
        for (f, i, b) in primary {
            m.add(f, i, b);
        }
        for (f, i, b) in overrides {
            m.apply_override(f, i, b);
        }
        m
    }

    fn add(&mut self, f: &ParsedFile, i: usize, b: &Block) {
        let at = At {
            file: f.path.clone(),
            line: f.lines.line(i, 1),
        };
        let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
        let lines = f.lines.child(i);
        match (b.identifier(), labels.as_slice()) {
            ("variable", [name]) => self.variables.push(variable(name, b.body(), at)),
            ("locals", []) => {
                for (j, s) in b.body().iter().enumerate() {
                    if let Structure::Attribute(a) = s {
                        let line = lines.map_or(at.line, |l| l.line(j, at.line));
                        self.locals.push(Local {
                            name: a.key().to_string(),
                            expr: a.expr().clone(),
                            at: At {
                                file: at.file.clone(),
                                line,
                            },
                        });
                    }
                }
            }
            ("resource", [ty, name]) | ("data", [ty, name]) => {
                let mode = if b.identifier() == "resource" {
                    Mode::Managed
                } else {
                    Mode::Data
                };
                self.resources
                    .push(resource(mode, ty, name, b.body(), lines, at));
            }
            ("module", [name]) => self.calls.push(call(name, b.body(), at)),
            ("provider", [name]) => {
                let alias = attr(b.body(), "alias").and_then(|e| match e {
                    Expression::String(s) => Some(s.clone()),
                    _ => None,
                });
                self.providers.push(ProviderBlock {
                    r#ref: ProviderRef {
                        name: name.to_string(),
                        alias,
                    },
                    body: b.body().clone(),
                    at,
                });
            }
            ("output", [name]) => {
                if let Some(e) = attr(b.body(), "value") {
                    self.outputs.push(Output {
                        name: name.to_string(),
                        expr: e.clone(),
                        at,
                    });
                }
            }
            _ => {}
        }
    }

    fn apply_override(&mut self, f: &ParsedFile, i: usize, b: &Block) {
        let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
        match (b.identifier(), labels.as_slice()) {
            ("variable", [name]) => {
                if let Some(v) = self.variables.iter_mut().find(|v| v.name == *name) {
                    let merged = variable(name, b.body(), v.at.clone());
                    if merged.ty.is_some() || merged.type_error.is_some() {
                        v.ty = merged.ty;
                        v.type_error = merged.type_error;
                    }
                    if merged.default.is_some() {
                        v.default = merged.default;
                    }
                }
            }
            ("locals", []) => {
                for s in b.body().iter() {
                    if let Structure::Attribute(a) = s {
                        if let Some(l) = self.locals.iter_mut().find(|l| l.name == a.key()) {
                            l.expr = a.expr().clone();
                        }
                    }
                }
            }
            ("resource", [ty, name]) | ("data", [ty, name]) => {
                let mode = if b.identifier() == "resource" {
                    Mode::Managed
                } else {
                    Mode::Data
                };
                if let Some(r) = self
                    .resources
                    .iter_mut()
                    .find(|r| r.mode == mode && r.r#type == *ty && r.name == *name)
                {
                    // Attributes replace attributes; each nested block type replaces all blocks of
                    // that type.
                    let original = rebuild(&r.body, &r.count, &r.for_each, &r.provider);
                    let merged = merge_bodies(&original, b.body());
                    *r = resource(mode, ty, name, &merged, None, r.at.clone());
                }
            }
            ("module", [name]) => {
                if let Some(c) = self.calls.iter_mut().find(|c| c.name == *name) {
                    let over = call(name, b.body(), c.at.clone());
                    for (k, v) in over.args {
                        c.args.retain(|(ck, _)| *ck != k);
                        c.args.push((k, v));
                    }
                    if attr(b.body(), "source").is_some() {
                        c.source = over.source;
                    }
                    c.count = over.count.or(c.count.take());
                    c.for_each = over.for_each.or(c.for_each.take());
                    if !over.providers.is_empty() {
                        c.providers = over.providers;
                    }
                }
            }
            ("output", [name]) => {
                if let (Some(o), Some(e)) = (
                    self.outputs.iter_mut().find(|o| o.name == *name),
                    attr(b.body(), "value"),
                ) {
                    o.expr = e.clone();
                }
            }
            ("provider", [_]) => {
                let key = ProviderRef {
                    name: labels[0].to_string(),
                    alias: attr(b.body(), "alias").and_then(|e| match e {
                        Expression::String(s) => Some(s.clone()),
                        _ => None,
                    }),
                };
                if let Some(p) = self.providers.iter_mut().find(|p| p.r#ref == key) {
                    p.body = merge_bodies(&p.body, b.body());
                }
            }
            _ => {
                // An override of something not declared elsewhere is added, like Terraform's
                // merge does for blocks it cannot match.
                self.add(f, i, b);
            }
        }
    }
}

fn attr<'a>(body: &'a Body, name: &str) -> Option<&'a Expression> {
    body.attributes()
        .find(|a| a.key() == name)
        .map(|a| a.expr())
}

fn variable(name: &str, body: &Body, at: At) -> Variable {
    let (ty, type_error) = match attr(body, "type") {
        Some(e) => match types::parse(e) {
            Ok(t) => (Some(t), None),
            Err(err) => (None, Some(err)),
        },
        None => (None, None),
    };
    Variable {
        name: name.to_string(),
        ty,
        type_error,
        default: attr(body, "default").cloned(),
        nullable: !matches!(attr(body, "nullable"), Some(Expression::Bool(false))),
        at,
    }
}

fn resource(
    mode: Mode,
    ty: &str,
    name: &str,
    body: &Body,
    lines: Option<&Lines>,
    at: At,
) -> ResourceBlock {
    let mut attr_lines = BTreeMap::new();
    let mut kept = Vec::new();
    for (j, s) in body.iter().enumerate() {
        let key = match s {
            Structure::Attribute(a) => a.key().to_string(),
            Structure::Block(b) => b.identifier().to_string(),
        };
        if RESOURCE_META.contains(&key.as_str()) {
            continue;
        }
        attr_lines
            .entry(key)
            .or_insert_with(|| lines.map_or(at.line, |l| l.line(j, at.line)));
        kept.push(s.clone());
    }
    ResourceBlock {
        mode,
        r#type: ty.to_string(),
        name: name.to_string(),
        body: Body::builder().add_structures(kept).build(),
        count: attr(body, "count").cloned(),
        for_each: attr(body, "for_each").cloned(),
        provider: attr(body, "provider").and_then(ProviderRef::from_expr),
        at,
        attr_lines,
    }
}

/// The body of a resource with its meta-arguments put back (for override merging).
fn rebuild(
    body: &Body,
    count: &Option<Expression>,
    for_each: &Option<Expression>,
    provider: &Option<ProviderRef>,
) -> Body {
    let mut s: Vec<Structure> = body.iter().cloned().collect();
    if let Some(c) = count {
        s.push(Structure::Attribute(hcl::Attribute::new(
            "count",
            c.clone(),
        )));
    }
    if let Some(f) = for_each {
        s.push(Structure::Attribute(hcl::Attribute::new(
            "for_each",
            f.clone(),
        )));
    }
    if let Some(p) = provider {
        s.push(Structure::Attribute(hcl::Attribute::new(
            "provider",
            Expression::String(p.key()),
        )));
    }
    Body::builder().add_structures(s).build()
}

fn merge_bodies(original: &Body, over: &Body) -> Body {
    let over_attrs: Vec<&str> = over.attributes().map(|a| a.key()).collect();
    let over_blocks: Vec<&str> = over.blocks().map(|b| b.identifier()).collect();
    let mut out: Vec<Structure> = original
        .iter()
        .filter(|s| match s {
            Structure::Attribute(a) => !over_attrs.contains(&a.key()),
            Structure::Block(b) => !over_blocks.contains(&b.identifier()),
        })
        .cloned()
        .collect();
    out.extend(over.iter().cloned());
    Body::builder().add_structures(out).build()
}

fn call(name: &str, body: &Body, at: At) -> ModuleCall {
    let source = match attr(body, "source") {
        Some(Expression::String(s)) => s.clone(),
        _ => String::new(),
    };
    let version = match attr(body, "version") {
        Some(Expression::String(s)) => Some(s.clone()),
        _ => None,
    };
    let mut providers = Vec::new();
    if let Some(Expression::Object(o)) = attr(body, "providers") {
        for (k, v) in o {
            let child = match k {
                hcl::ObjectKey::Identifier(i) => ProviderRef::parse(i.as_str()),
                hcl::ObjectKey::Expression(e) => match ProviderRef::from_expr(e) {
                    Some(r) => r,
                    None => continue,
                },
                _ => continue,
            };
            if let Some(parent) = ProviderRef::from_expr(v) {
                providers.push((child, parent));
            }
        }
    }
    ModuleCall {
        name: name.to_string(),
        source,
        version,
        args: body
            .attributes()
            .filter(|a| !CALL_META.contains(&a.key()))
            .map(|a| (a.key().to_string(), a.expr().clone()))
            .collect(),
        count: attr(body, "count").cloned(),
        for_each: attr(body, "for_each").cloned(),
        providers,
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::scan::parse_file;

    fn module(files: &[(&str, &str)]) -> ModuleConfig {
        let parsed = ParsedModule {
            dir: "m".into(),
            files: files
                .iter()
                .map(|(p, t)| parse_file(p, t).unwrap())
                .collect(),
            ..Default::default()
        };
        ModuleConfig::gather(&parsed)
    }

    #[test]
    fn gathers_declarations_with_lines() {
        let m = module(&[(
            "m/main.tf",
            "variable \"size\" {\n  type = number\n  default = 2\n}\n\nlocals {\n  a = 1\n  b = local.a\n}\n\nresource \"aws_instance\" \"web\" {\n  count = var.size\n  provider = aws.west\n  instance_type = \"t3.micro\"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n\nmodule \"net\" {\n  source = \"./net\"\n  cidr = \"10.0.0.0/16\"\n  providers = { aws = aws.west }\n}\n",
        )]);
        assert_eq!(m.variables[0].ty, Some(Type::Number));
        assert_eq!(
            m.locals
                .iter()
                .map(|l| (l.name.as_str(), l.at.line))
                .collect::<Vec<_>>(),
            [("a", 7), ("b", 8)]
        );
        let r = &m.resources[0];
        assert_eq!((r.at.line, r.count.is_some()), (11, true));
        assert_eq!(r.provider_ref().key(), "aws.west");
        assert_eq!(r.attr_lines.get("instance_type"), Some(&14));
        assert!(
            r.body.blocks().next().is_none(),
            "lifecycle is a meta-argument"
        );
        let c = &m.calls[0];
        assert_eq!((c.source.as_str(), c.args.len()), ("./net", 1));
        assert_eq!(c.providers[0].1.key(), "aws.west");
    }

    #[test]
    fn override_files_merge_into_their_blocks() {
        let m = module(&[
            (
                "m/main.tf",
                "resource \"aws_instance\" \"web\" {\n  instance_type = \"t3.micro\"\n  ami = \"a\"\n  ebs_block_device { volume_size = 10 }\n}\nlocals { x = 1 }\n",
            ),
            (
                "m/main_override.tf",
                "resource \"aws_instance\" \"web\" {\n  instance_type = \"m5.large\"\n  ebs_block_device { volume_size = 50 }\n}\nlocals { x = 2 }\n",
            ),
        ]);
        let r = &m.resources[0];
        let it = r
            .body
            .attributes()
            .find(|a| a.key() == "instance_type")
            .unwrap();
        assert_eq!(it.expr(), &Expression::String("m5.large".into()));
        assert!(r.body.attributes().any(|a| a.key() == "ami"));
        assert_eq!(r.body.blocks().count(), 1);
        assert_eq!(m.locals[0].expr, Expression::Number(2.into()));
        assert!(
            is_override("x/override.tf")
                && is_override("x/a_override.tf.json")
                && !is_override("x/main.tf")
        );
    }
}
