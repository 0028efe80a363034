//! The order in which a module instance's declarations are evaluated: by the references
//! between them, as Terraform's graph orders them; cycles among locals and resources are
//! findings.

use super::expr;
use super::instance::{Ctx, MAX_DEPTH};
use super::module::{At, Mode, ModuleConfig};
use crate::finding::Finding;
use crate::snapshot::join;
use hcl::{Body, Expression, Structure};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Node {
    Local(usize),
    Provider(usize),
    Resource(usize),
    Call(usize),
}

/// Declarations in dependency order; a cycle is a finding and its members follow in
/// declaration order with the references among them unknown.
pub(crate) fn order(ctx: &mut Ctx, cfg: &ModuleConfig) -> (Vec<Node>, BTreeSet<Node>) {
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
        if super::scan::is_local(&c.source) {
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
