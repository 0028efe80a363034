//! Evaluates one module instance: its variables, then locals, providers, resources, data
//! sources and module calls in dependency order, then its outputs. Child modules are evaluated
//! recursively with their inputs and provider mapping. Nothing here fails: problems become
//! findings and values become unknown.

use super::expr;
use super::module::{At, Mode, ModuleConfig, ProviderRef, ResourceBlock};
use super::providers::{self, ProviderState};
use super::resource::{CallSite, InstanceKey, ProviderInfo, Resource};
use super::scope::{Diag, Layer, Scope};
use super::types;
use super::value::Value;
use crate::finding::Finding;
use crate::snapshot::{Snapshot, join};
use hcl::{Body, Expression, Structure};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Deeper than this, a module calling itself (directly or not) is assumed.
const MAX_DEPTH: usize = 16;

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
    fn diags(&mut self, diags: Vec<Diag>, at: &At, resource: Option<&str>) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Local(usize),
    Provider(usize),
    Resource(usize),
    Call(usize),
}

/// How many instances a block has.
enum Expansion {
    Single,
    Count(usize),
    Each(Vec<(String, Value)>),
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

/// Declarations in dependency order; a cycle is a finding and its members follow in
/// declaration order with the references among them unknown.
fn order(ctx: &mut Ctx, cfg: &ModuleConfig) -> (Vec<Node>, BTreeSet<Node>) {
    let mut nodes = Vec::new();
    let mut by_name: BTreeMap<(String, String), Vec<Node>> = BTreeMap::new();
    for (i, l) in cfg.locals.iter().enumerate() {
        nodes.push(Node::Local(i));
        by_name
            .entry(("local".into(), l.name.clone()))
            .or_default()
            .push(Node::Local(i));
    }
    for (i, p) in cfg.providers.iter().enumerate() {
        nodes.push(Node::Provider(i));
        by_name
            .entry(("provider".into(), p.r#ref.key()))
            .or_default()
            .push(Node::Provider(i));
    }
    for (i, r) in cfg.resources.iter().enumerate() {
        nodes.push(Node::Resource(i));
        let key = match r.mode {
            Mode::Managed => (r.r#type.clone(), r.name.clone()),
            Mode::Data => ("data".to_string(), format!("{}.{}", r.r#type, r.name)),
        };
        by_name.entry(key).or_default().push(Node::Resource(i));
    }
    for (i, c) in cfg.calls.iter().enumerate() {
        nodes.push(Node::Call(i));
        by_name
            .entry(("module".into(), c.name.clone()))
            .or_default()
            .push(Node::Call(i));
    }
    let deps_of = |node: Node| -> BTreeSet<Node> {
        let mut exprs: Vec<&Expression> = Vec::new();
        let mut extra = Vec::new();
        match node {
            Node::Local(i) => exprs.push(&cfg.locals[i].expr),
            Node::Provider(i) => collect_exprs(&cfg.providers[i].body, &mut exprs),
            Node::Resource(i) => {
                let r = &cfg.resources[i];
                exprs.extend(r.count.iter());
                exprs.extend(r.for_each.iter());
                collect_exprs(&r.body, &mut exprs);
                let p = r.provider_ref();
                extra.push(("provider".to_string(), p.key()));
            }
            Node::Call(i) => {
                let c = &cfg.calls[i];
                exprs.extend(c.count.iter());
                exprs.extend(c.for_each.iter());
                exprs.extend(c.args.iter().map(|(_, e)| e));
                for (_, parent) in &c.providers {
                    extra.push(("provider".to_string(), parent.key()));
                }
                // Default configurations passed implicitly: only those the module uses (a
                // `kubernetes` provider configured from `module.gke`'s outputs does not feed
                // module.gke itself).
                let used = used_providers(ctx.configs, &join(&cfg.dir, &c.source), 0);
                for p in &cfg.providers {
                    if p.r#ref.alias.is_none() && used.contains(&p.r#ref.name) {
                        extra.push(("provider".to_string(), p.r#ref.key()));
                    }
                }
            }
        }
        let mut deps = BTreeSet::new();
        for e in exprs {
            for (root, attr) in expr::references(e) {
                if let Some(a) = attr {
                    if let Some(targets) = by_name.get(&(root.clone(), a)) {
                        deps.extend(targets.iter().copied());
                    }
                }
            }
        }
        for k in extra {
            if let Some(targets) = by_name.get(&k) {
                deps.extend(targets.iter().copied());
            }
        }
        deps.remove(&node);
        deps
    };
    let deps: BTreeMap<Node, BTreeSet<Node>> = nodes.iter().map(|n| (*n, deps_of(*n))).collect();
    // Kahn's algorithm, taking ready nodes in declaration order.
    let mut done: BTreeSet<Node> = BTreeSet::new();
    let mut out = Vec::new();
    loop {
        let ready: Vec<Node> = nodes
            .iter()
            .filter(|n| !done.contains(n) && deps[n].iter().all(|d| done.contains(d)))
            .copied()
            .collect();
        if ready.is_empty() {
            break;
        }
        for n in ready {
            done.insert(n);
            out.push(n);
        }
    }
    let rest: Vec<Node> = nodes
        .iter()
        .filter(|n| !done.contains(n))
        .copied()
        .collect();
    // The cycle itself: what is left after pruning nodes that only lead into it or out of it.
    let mut core: BTreeSet<Node> = rest.iter().copied().collect();
    loop {
        let before = core.len();
        let current = core.clone();
        core.retain(|n| {
            let has_out = deps[n].iter().any(|d| current.contains(d));
            let has_in = current.iter().any(|m| deps[m].contains(n));
            has_out && has_in
        });
        if core.len() == before {
            break;
        }
    }
    // Terraform orders module inputs and outputs one by one, and providers only when used, so
    // modules reading each other's outputs are no cycle there: only cycles among locals and
    // resources are errors.
    let real = !core.is_empty()
        && core
            .iter()
            .all(|n| matches!(n, Node::Local(_) | Node::Resource(_)));
    if real {
        let names: Vec<String> = core.iter().map(|n| node_name(cfg, *n)).collect();
        let at = core
            .iter()
            .next()
            .map(|n| node_at(cfg, *n))
            .unwrap_or_default();
        ctx.findings.push(Finding::new(
            "tf-cycle",
            at.file.clone(),
            at.line,
            format!(
                "these declarations refer to each other in a cycle: {}",
                names.join(", ")
            ),
        ));
    }
    out.extend(rest.iter().copied());
    (out, core)
}

/// Provider names a module's resources use, its child modules' included.
fn used_providers(
    configs: &BTreeMap<String, ModuleConfig>,
    dir: &str,
    depth: usize,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(cfg) = configs.get(dir) else {
        return out;
    };
    if depth > MAX_DEPTH {
        return out;
    }
    for r in &cfg.resources {
        out.insert(r.provider_ref().name);
    }
    for c in &cfg.calls {
        for (child, _) in &c.providers {
            out.insert(child.name.clone());
        }
        if c.source.starts_with("./") || c.source.starts_with("../") {
            out.extend(used_providers(configs, &join(dir, &c.source), depth + 1));
        }
    }
    out
}

fn node_name(cfg: &ModuleConfig, n: Node) -> String {
    match n {
        Node::Local(i) => format!("local.{}", cfg.locals[i].name),
        Node::Provider(i) => format!("provider.{}", cfg.providers[i].r#ref.key()),
        Node::Resource(i) => {
            let r = &cfg.resources[i];
            match r.mode {
                Mode::Managed => format!("{}.{}", r.r#type, r.name),
                Mode::Data => format!("data.{}.{}", r.r#type, r.name),
            }
        }
        Node::Call(i) => format!("module.{}", cfg.calls[i].name),
    }
}

fn node_at(cfg: &ModuleConfig, n: Node) -> At {
    match n {
        Node::Local(i) => cfg.locals[i].at.clone(),
        Node::Provider(i) => cfg.providers[i].at.clone(),
        Node::Resource(i) => cfg.resources[i].at.clone(),
        Node::Call(i) => cfg.calls[i].at.clone(),
    }
}

/// Every expression of a body, nested blocks included.
fn collect_exprs<'a>(body: &'a Body, out: &mut Vec<&'a Expression>) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => out.push(a.expr()),
            Structure::Block(b) => collect_exprs(b.body(), out),
        }
    }
}

/// Evaluates a body into an object: attributes by name, nested blocks as lists of objects,
/// `dynamic` blocks expanded.
pub fn eval_body(body: &Body, scope: &dyn Scope, diags: &mut Vec<Diag>, depth: usize) -> Value {
    eval_body_marked(body, scope, diags, depth, &mut Vec::new())
}

/// `eval_body` that also records, for each top-level structure, how many diagnostics there were
/// before it and its name, so diagnostics can point at the attribute's own line.
fn eval_body_marked(
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
    let mut diags = Vec::new();
    let expansion = expand(
        r.count.as_ref(),
        r.for_each.as_ref(),
        scope,
        &mut diags,
        &base,
    );
    ctx.diags(diags, &r.at, Some(&base));
    let list = match expansion {
        Ok(e) => instances(e),
        Err(why) => {
            ctx.findings.push(
                Finding::new(
                    "tf-unknown-count",
                    r.at.file.clone(),
                    r.at.line,
                    format!("{why}: evaluated as one instance"),
                )
                .resource(base.clone()),
            );
            unknown_instance(r.count.is_some(), &why)
        }
    };
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
    let is_local = c.source.starts_with("./") || c.source.starts_with("../");
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
    let mut diags = Vec::new();
    let expansion = expand(
        c.count.as_ref(),
        c.for_each.as_ref(),
        scope,
        &mut diags,
        &base,
    );
    ctx.diags(diags, &c.at, Some(&base));
    let list = match expansion {
        Ok(e) => instances(e),
        Err(why) => {
            ctx.findings.push(
                Finding::new(
                    "tf-unknown-count",
                    c.at.file.clone(),
                    c.at.line,
                    format!("{why}: evaluated as one instance"),
                )
                .resource(base.clone()),
            );
            unknown_instance(c.count.is_some(), &why)
        }
    };
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
        let vars = bind_variables(ctx, child, given, &c.at, &path, Some(&base));
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
