//! Evaluates one module instance: its variables, then locals, providers, resources, data
//! sources and module calls in dependency order, then its outputs. Child modules are evaluated
//! recursively with their inputs and provider mapping. Nothing here fails: problems become
//! findings and values become unknown.

use super::blocks::{block_instances, eval_body, eval_body_marked};
use super::expr;
use super::graph::{Node, order};
use super::module::{At, Mode, ModuleConfig, ProviderRef, ResourceBlock};
use super::providers::{self, ProviderState};
use super::resource::{CallSite, InstanceKey, ProviderInfo, Resource};
use super::scope::{Diag, Layer, Scope};
use super::value::Value;
use crate::finding::Finding;
use crate::snapshot::{Snapshot, join};
use hcl::Expression;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Deeper than this, a module calling itself (directly or not) is assumed.
pub(crate) const MAX_DEPTH: usize = 16;

/// What evaluation of a whole root needs, shared by every module instance.
pub struct Ctx<'a> {
    pub configs: &'a BTreeMap<String, ModuleConfig>,
    /// Modules `terraform init` downloaded for this root, by module key (`vpc.subnets`).
    pub remote: &'a BTreeMap<String, ModuleConfig>,
    pub snapshot: &'a dyn Snapshot,
    /// The root module folder (relative paths in `file()` resolve against it).
    pub root_dir: &'a str,
    pub resources: Vec<Resource>,
    pub findings: Vec<Finding>,
}

impl Ctx<'_> {
    pub(crate) fn diags(&mut self, diags: Vec<Diag>, at: &At, resource: Option<&str>) {
        for d in diags {
            let mut f = Finding::new(d.code, at.file.clone(), at.line, d.message);
            if let Some(r) = resource {
                f = f.resource(r);
            }
            self.findings.push(f);
        }
    }
}

/// One module instance's place in the tree.
pub struct Frame {
    /// `module.net.module.sub["a"]`; empty for the root.
    pub path: String,
    pub chain: Vec<CallSite>,
    /// Provider configurations visible to this instance, by `name` or `name.alias`.
    pub providers: BTreeMap<String, Arc<ProviderState>>,
    pub depth: usize,
    /// The module key (`vpc.subnets`: call names without instance keys), as modules.json
    /// writes it.
    pub key: String,
    /// Arguments of this instance's module calls set from outside (a stack instance's
    /// `module.X.Y` values): call name → argument → value.
    pub overrides: BTreeMap<String, BTreeMap<String, Value>>,
}

/// The scope of a module instance.
struct ModScope<'a> {
    roots: BTreeMap<String, Value>,
    snapshot: &'a dyn Snapshot,
    root_dir: &'a str,
}

impl Scope for ModScope<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.roots.get(name)
    }

    fn is_open(&self, name: &str) -> bool {
        !matches!(
            name,
            "var" | "local" | "path" | "terraform" | "count" | "each" | "self"
        )
    }

    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        let rel = if path.starts_with('/') {
            path.trim_start_matches('/').to_string()
        } else {
            join(self.root_dir, path)
        };
        let bytes = self
            .snapshot
            .read(&rel)
            .map_err(|e| format!("cannot read {rel}: {e}"))?;
        crate::source::decode(&rel, &bytes).map_err(|f| f.message)
    }
}

impl ModScope<'_> {
    fn insert_path(&mut self, root: &str, key: &str, value: Value) {
        let entry = self
            .roots
            .entry(root.to_string())
            .or_insert_with(|| Value::Map(BTreeMap::new()));
        if let Value::Map(m) = entry {
            m.insert(key.to_string(), value);
        }
    }

    fn insert_data(&mut self, ty: &str, name: &str, value: Value) {
        let data = self
            .roots
            .entry("data".to_string())
            .or_insert_with(|| Value::Map(BTreeMap::new()));
        if let Value::Map(types) = data {
            let t = types
                .entry(ty.to_string())
                .or_insert_with(|| Value::Map(BTreeMap::new()));
            if let Value::Map(names) = t {
                names.insert(name.to_string(), value);
            }
        }
    }
}

/// Evaluates a module instance with its variables' values already converted; returns its
/// outputs.
pub fn evaluate(
    ctx: &mut Ctx,
    cfg: &ModuleConfig,
    vars: BTreeMap<String, Value>,
    frame: Frame,
) -> Value {
    let module_path = relative_path(ctx.root_dir, &cfg.dir);
    let mut scope = ModScope {
        roots: BTreeMap::from([
            ("var".to_string(), Value::Map(vars)),
            ("local".to_string(), Value::Map(BTreeMap::new())),
            ("module".to_string(), Value::Map(BTreeMap::new())),
            ("data".to_string(), Value::Map(BTreeMap::new())),
            (
                "path".to_string(),
                Value::Map(BTreeMap::from([
                    ("module".to_string(), Value::string(module_path)),
                    ("root".to_string(), Value::string(".")),
                    ("cwd".to_string(), Value::string(".")),
                ])),
            ),
            (
                "terraform".to_string(),
                Value::Map(BTreeMap::from([(
                    "workspace".to_string(),
                    Value::string("default"),
                )])),
            ),
        ]),
        snapshot: ctx.snapshot,
        root_dir: ctx.root_dir,
    };
    let mut providers = frame.providers.clone();

    let (nodes, cyclic) = order(ctx, cfg);
    // Locals in a cycle are unknown to each other (their cycle is already a finding).
    for n in &cyclic {
        if let Node::Local(i) = n {
            let name = &cfg.locals[*i].name;
            scope.insert_path(
                "local",
                name,
                Value::unknown(format!("local.{name} is part of a reference cycle")),
            );
        }
    }
    for node in nodes {
        match node {
            Node::Local(i) => {
                let l = &cfg.locals[i];
                let mut diags = Vec::new();
                let v = expr::eval(&l.expr, &scope, &mut diags);
                ctx.diags(diags, &l.at, None);
                scope.insert_path("local", &l.name, v);
            }
            Node::Provider(i) => {
                let p = &cfg.providers[i];
                let mut diags = Vec::new();
                let body = eval_body(&p.body, &scope, &mut diags, 0);
                ctx.diags(diags, &p.at, None);
                let state = ProviderState::from_body(p.r#ref.clone(), &body, p.at.clone());
                providers.insert(p.r#ref.key(), Arc::new(state));
            }
            Node::Resource(i) => {
                resource(ctx, cfg, &cfg.resources[i], &mut scope, &providers, &frame)
            }
            Node::Call(i) => call(ctx, cfg, i, &mut scope, &providers, &frame),
        }
    }

    let mut outputs = BTreeMap::new();
    for o in &cfg.outputs {
        let mut diags = Vec::new();
        let v = expr::eval(&o.expr, &scope, &mut diags);
        ctx.diags(diags, &o.at, None);
        outputs.insert(o.name.clone(), v);
    }
    Value::Map(outputs)
}

/// `path.module` as Terraform gives it: the module folder relative to the root module's.
fn relative_path(root: &str, dir: &str) -> String {
    if root == dir {
        return ".".into();
    }
    let r: Vec<&str> = root.split('/').filter(|s| !s.is_empty()).collect();
    let d: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let common = r.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; r.len() - common];
    parts.extend(&d[common..]);
    parts.join("/")
}

fn address(frame: &Frame, r: &ResourceBlock, key: &Option<InstanceKey>) -> String {
    let mut a = String::new();
    if !frame.path.is_empty() {
        a.push_str(&frame.path);
        a.push('.');
    }
    if r.mode == Mode::Data {
        a.push_str("data.");
    }
    a.push_str(&r.r#type);
    a.push('.');
    a.push_str(&r.name);
    if let Some(k) = key {
        a.push_str(&k.suffix());
    }
    a
}

fn resource(
    ctx: &mut Ctx,
    _cfg: &ModuleConfig,
    r: &ResourceBlock,
    scope: &mut ModScope,
    providers: &BTreeMap<String, Arc<ProviderState>>,
    frame: &Frame,
) {
    let base = address(frame, r, &None);
    let list = block_instances(
        ctx,
        r.count.as_ref(),
        r.for_each.as_ref(),
        scope,
        &r.at,
        &base,
    );
    let pref: ProviderRef = r.provider_ref();
    let provider = providers.get(&pref.key()).cloned();
    if provider.is_none() && pref.alias.is_some() {
        ctx.findings.push(
            Finding::new(
                "tf-expression-error",
                r.at.file.clone(),
                r.at.line,
                format!(
                    "{base} uses provider `{}`, which no provider block configures",
                    pref.key()
                ),
            )
            .resource(base.clone()),
        );
    }
    let literal_tags = r
        .body
        .attributes()
        .find(|a| a.key() == "tags" || a.key() == "labels")
        .map(|a| (literal_keys(a.expr()), refers_to_var(a.expr())));
    let mut objects: Vec<(Option<InstanceKey>, Value)> = Vec::new();
    for (key, bindings) in list {
        let layer = Layer {
            parent: Some(&*scope as &dyn Scope),
            vars: bindings,
        };
        let mut diags = Vec::new();
        let mut marks = Vec::new();
        let mut attributes = eval_body_marked(&r.body, &layer, &mut diags, 0, &mut marks);
        let addr = address(frame, r, &key);
        for (i, d) in diags.into_iter().enumerate() {
            let key = marks
                .iter()
                .rev()
                .find(|(start, _)| *start <= i)
                .map(|(_, k)| k.as_str());
            let line = key
                .and_then(|k| r.attr_lines.get(k))
                .copied()
                .unwrap_or(r.at.line);
            let at = At {
                file: r.at.file.clone(),
                line,
            };
            ctx.diags(vec![d], &at, Some(&addr));
        }
        let region = providers::region_of(&r.r#type, &attributes, provider.as_deref(), &pref.name);
        let mut stand_in = None;
        if r.mode == Mode::Data {
            if let Some((extra, why)) = providers::stand_in(&r.r#type, &region) {
                if let Value::Map(m) = &mut attributes {
                    m.extend(extra);
                }
                stand_in = Some(why);
            }
        }
        let module_input = match (&literal_tags, frame.chain.last()) {
            (Some((literal, true)), Some(call)) => Some((
                frame.path.as_str(),
                At {
                    file: call.file.clone(),
                    line: call.line,
                },
                literal.clone(),
            )),
            _ => None,
        };
        // Data sources are read, not created: nothing is tagged.
        let tags = if r.mode == Mode::Data {
            BTreeMap::new()
        } else {
            providers::effective_tags(
                &attributes,
                provider.as_deref(),
                &r.at,
                module_input.as_ref().map(|(m, at, lit)| (*m, at, lit)),
            )
        };
        let tags_unknown = match (r.mode, provider.as_deref()) {
            (Mode::Managed, Some(p)) => p.default_tags_unknown.as_ref().map(|why| {
                format!(
                    "default_tags of provider {} is unknown: {why}",
                    p.r#ref.key()
                )
            }),
            _ => None,
        };
        // References see the computed attributes every resource has as unknown, also when the
        // object travels through a local or `each.value`.
        let mut seen = attributes.clone();
        if let Value::Map(m) = &mut seen {
            let computed: &[&str] = if r.mode == Mode::Managed {
                &["id", "arn"]
            } else {
                &["id"]
            };
            for k in computed {
                m.entry(k.to_string()).or_insert_with(|| {
                    Value::unknown(format!("{addr}.{k} is computed by the provider"))
                });
            }
            // An argument left null may be computed by the provider (`ipv6_cidr_block`), and
            // nested blocks get attributes (and blocks: `kubelet_identity`, `master_auth`)
            // only the provider fills in: to other declarations, both are not known yet.
            for (k, v) in m.iter_mut() {
                let nested_blocks = v
                    .as_list()
                    .is_some_and(|items| items.iter().all(|i| matches!(i, Value::Map(_))));
                if *v == Value::Null || nested_blocks {
                    *v = Value::unknown(format!("{addr}.{k} is completed by the provider"));
                }
            }
        }
        objects.push((key.clone(), seen));
        ctx.resources.push(Resource {
            address: addr,
            mode: r.mode,
            r#type: r.r#type.clone(),
            name: r.name.clone(),
            index: key,
            module: frame.path.clone(),
            provider: ProviderInfo {
                name: pref.name.clone(),
                alias: pref.alias.clone(),
                region,
            },
            attributes,
            tags,
            file: r.at.file.clone(),
            line: r.at.line,
            call_chain: frame.chain.clone(),
            stand_in,
            tags_unknown,
        });
    }
    let value = collect_instances(objects, r.count.is_some());
    match r.mode {
        Mode::Managed => scope.insert_path(&r.r#type, &r.name, value),
        Mode::Data => scope.insert_data(&r.r#type, &r.name, value),
    }
}

/// The value a reference to a block sees: an object, a list (count) or a map (for_each).
fn collect_instances(objects: Vec<(Option<InstanceKey>, Value)>, count: bool) -> Value {
    match objects.first() {
        Some((None, _)) => objects.into_iter().next().map_or(Value::Null, |(_, v)| v),
        _ if count => Value::List(objects.into_iter().map(|(_, v)| v).collect()),
        _ => Value::Map(
            objects
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Some(InstanceKey::Str(s)) => s,
                        Some(InstanceKey::Int(i)) => i.to_string(),
                        None => String::new(),
                    };
                    (key, v)
                })
                .collect(),
        ),
    }
}

/// Tag keys written literally in a `tags` expression (`{ Name = … }`, `merge(var.tags, { … })`).
fn literal_keys(e: &Expression) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match e {
        Expression::Object(o) => {
            for k in o.keys() {
                match k {
                    hcl::ObjectKey::Identifier(i) => {
                        out.insert(i.to_string());
                    }
                    hcl::ObjectKey::Expression(Expression::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => {}
                }
            }
        }
        Expression::FuncCall(f) => {
            for a in &f.args {
                out.extend(literal_keys(a));
            }
        }
        Expression::Parenthesis(p) => out.extend(literal_keys(p)),
        _ => {}
    }
    out
}

fn refers_to_var(e: &Expression) -> bool {
    expr::references(e).iter().any(|(root, _)| root == "var")
}

fn call(
    ctx: &mut Ctx,
    cfg: &ModuleConfig,
    i: usize,
    scope: &mut ModScope,
    providers: &BTreeMap<String, Arc<ProviderState>>,
    frame: &Frame,
) {
    let c = &cfg.calls[i];
    let base = if frame.path.is_empty() {
        format!("module.{}", c.name)
    } else {
        format!("{}.module.{}", frame.path, c.name)
    };
    let is_local = super::scan::is_local(&c.source);
    let child_dir = join(&cfg.dir, &c.source);
    let module_key = if frame.key.is_empty() {
        c.name.clone()
    } else {
        format!("{}.{}", frame.key, c.name)
    };
    let configs = ctx.configs;
    let remote = ctx.remote;
    let found = remote
        .get(&module_key)
        .or_else(|| configs.get(&child_dir).filter(|_| is_local));
    let Some(child) = found else {
        if !is_local {
            ctx.findings.push(
                Finding::new(
                    "tf-module-not-evaluated",
                    c.at.file.clone(),
                    c.at.line,
                    format!(
                        "module \"{}\" comes from `{}`, which is not in the repository (and not downloaded under .terraform/modules); its resources are not evaluated",
                        c.name, c.source
                    ),
                )
                .resource(base.clone()),
            );
        }
        // Outputs of a module that cannot be read are unknown.
        scope.insert_path(
            "module",
            &c.name,
            Value::unknown(format!(
                "module `{}` ({}) is not evaluated",
                c.name, c.source
            )),
        );
        return;
    };
    if frame.depth >= MAX_DEPTH {
        ctx.findings.push(
            Finding::new(
                "tf-cycle",
                c.at.file.clone(),
                c.at.line,
                format!("module \"{}\" calls modules more than {MAX_DEPTH} levels deep; a module probably calls itself", c.name),
            )
            .resource(base),
        );
        return;
    }
    let list = block_instances(
        ctx,
        c.count.as_ref(),
        c.for_each.as_ref(),
        scope,
        &c.at,
        &base,
    );
    // Providers: explicitly mapped ones, else the caller's default configurations.
    let child_providers: BTreeMap<String, Arc<ProviderState>> = if c.providers.is_empty() {
        providers
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    } else {
        let mut m: BTreeMap<String, Arc<ProviderState>> = providers
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (child_ref, parent_ref) in &c.providers {
            match providers.get(&parent_ref.key()) {
                Some(p) => {
                    m.insert(child_ref.key(), p.clone());
                }
                None => ctx.findings.push(
                    Finding::new(
                        "tf-expression-error",
                        c.at.file.clone(),
                        c.at.line,
                        format!(
                            "module \"{}\" is given provider `{}`, which is not configured here",
                            c.name,
                            parent_ref.key()
                        ),
                    )
                    .resource(base.clone()),
                ),
            }
        }
        m
    };
    let mut outputs = Vec::new();
    for (key, bindings) in list {
        let layer = Layer {
            parent: Some(&*scope as &dyn Scope),
            vars: bindings,
        };
        let path = match &key {
            Some(k) => format!("{base}{}", k.suffix()),
            None => base.clone(),
        };
        let mut diags = Vec::new();
        let mut given: BTreeMap<String, Value> = c
            .args
            .iter()
            .map(|(k, e)| (k.clone(), expr::eval(e, &layer, &mut diags)))
            .collect();
        if let Some(set) = frame.overrides.get(&c.name) {
            given.extend(set.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        ctx.diags(diags, &c.at, Some(&path));
        let vars = super::variables::bind_variables(ctx, child, given, &c.at, &path, Some(&base));
        let mut chain = frame.chain.clone();
        chain.push(CallSite {
            module: path.clone(),
            file: c.at.file.clone(),
            line: c.at.line,
        });
        let out = evaluate(
            ctx,
            child,
            vars,
            Frame {
                path,
                chain,
                providers: child_providers.clone(),
                depth: frame.depth + 1,
                key: module_key.clone(),
                overrides: BTreeMap::new(),
            },
        );
        outputs.push((key, out));
    }
    let value = collect_instances(outputs, c.count.is_some());
    scope.insert_path("module", &c.name, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_relative_to_the_root() {
        assert_eq!(relative_path("infra/app", "infra/app"), ".");
        assert_eq!(
            relative_path("infra/app", "infra/app/modules/net"),
            "modules/net"
        );
        assert_eq!(
            relative_path("infra/app", "infra/modules/net"),
            "../modules/net"
        );
    }
}
