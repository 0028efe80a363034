//! Evaluates every project: a Terraform root with its variable files, or a stack instance
//! (its stack's Terraform fed with the instance's values). Projects run in parallel; each
//! yields its resources, sorted by address, and findings.

use super::expr;
use super::instance::{self, Ctx, Frame};
use super::module::{At, ModuleConfig};
use super::resource::Resource;
use super::scan::{TerraformScan, parse_file};
use super::scope::Layer;
use super::value::Value;
use crate::discover::Inventory;
use crate::finding::Finding;
use crate::project::{Project, ProjectKind};
use crate::snapshot::{Snapshot, file_name};
use crate::source::Texts;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Module configurations of every parsed folder, gathered once.
pub fn configs(tf: &TerraformScan) -> BTreeMap<String, ModuleConfig> {
    tf.modules
        .par_iter()
        .map(|(dir, m)| (dir.clone(), ModuleConfig::gather(m)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Fills `resources` of every project; returns the findings of evaluation. Projects listed in
/// `invalid` (stack instances whose values already failed their form) are evaluated for their
/// resources, but their evaluation findings are dropped: they would only repeat, at the stack's
/// Terraform, what the instance's own findings already say.
pub fn evaluate_projects(
    projects: &mut [Project],
    configs: &BTreeMap<String, ModuleConfig>,
    inv: &Inventory,
    texts: &Texts,
    snapshot: &dyn Snapshot,
    invalid: &std::collections::BTreeSet<String>,
    var_files: &BTreeMap<String, Vec<String>>,
) -> Vec<Finding> {
    let results: Vec<(Vec<Resource>, Vec<Finding>, Vec<String>)> = projects
        .par_iter()
        .map(|p| {
            let recorder = Recorder {
                inner: snapshot,
                read: Default::default(),
            };
            let (r, f) = evaluate_project(p, configs, inv, texts, &recorder, var_files);
            let read = recorder.read.into_inner().unwrap_or_default();
            (r, f, read.into_iter().collect())
        })
        .collect();
    let mut findings = Vec::new();
    for (p, (resources, f, read)) in projects.iter_mut().zip(results) {
        // Plan projects carry their resources from the plan already.
        if p.kind != ProjectKind::TerraformPlan {
            p.resources = resources;
        }
        p.reads = read;
        if !invalid.contains(&p.path) {
            findings.extend(f);
        }
    }
    findings
}

/// A snapshot that remembers what was asked of it (also reads that failed: a file that
/// appears later changes the result too).
struct Recorder<'a> {
    inner: &'a dyn Snapshot,
    read: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Recorder<'_> {
    fn note(&self, path: &str) {
        if let Ok(mut read) = self.read.lock() {
            read.insert(path.to_string());
        }
    }
}

impl Snapshot for Recorder<'_> {
    fn files(&self) -> &[String] {
        self.inner.files()
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.note(path);
        self.inner.read(path)
    }

    fn label(&self) -> String {
        self.inner.label()
    }

    fn list_dir(&self, dir: &str) -> Vec<String> {
        let files = self.inner.list_dir(dir);
        for f in &files {
            self.note(f);
        }
        files
    }
}

fn evaluate_project(
    p: &Project,
    configs: &BTreeMap<String, ModuleConfig>,
    inv: &Inventory,
    texts: &Texts,
    snapshot: &dyn Snapshot,
    var_files: &BTreeMap<String, Vec<String>>,
) -> (Vec<Resource>, Vec<Finding>) {
    let Some(dir) = p.terraform_dir.as_deref() else {
        return (Vec::new(), Vec::new());
    };
    let Some(cfg) = configs.get(dir) else {
        return (Vec::new(), Vec::new());
    };
    let remote = super::remote::load(snapshot, dir);
    let mut ctx = Ctx {
        configs,
        remote: &remote,
        snapshot,
        root_dir: dir,
        resources: Vec::new(),
        findings: Vec::new(),
    };
    let mut given = BTreeMap::new();
    let mut overrides = BTreeMap::new();
    match p.kind {
        ProjectKind::Terraform => {
            let named = var_files
                .get(dir)
                .into_iter()
                .flatten()
                .map(|f| crate::snapshot::join(dir, f));
            let files: Vec<String> =
                auto_var_files(inv.tfvars.get(dir).map(Vec::as_slice).unwrap_or_default())
                    .into_iter()
                    .cloned()
                    .chain(named)
                    .collect();
            for file in &files {
                if let Some(text) = texts.get(file) {
                    given.extend(read_tfvars(&mut ctx, file, text));
                }
            }
        }
        ProjectKind::TerraformPlan => {}
        ProjectKind::StackInstance => {
            for (k, v) in &p.inputs.variables {
                given.insert(k.clone(), Value::from_json(v));
            }
            for (module, args) in &p.inputs.module_arguments {
                let set: BTreeMap<String, Value> = args
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect();
                overrides.insert(module.clone(), set);
            }
        }
    }
    let at = At {
        file: p.path.clone(),
        line: 1,
    };
    let vars = super::variables::bind_variables(&mut ctx, cfg, given, &at, "", None);
    instance::evaluate(
        &mut ctx,
        cfg,
        vars,
        Frame {
            path: String::new(),
            chain: Vec::new(),
            providers: BTreeMap::new(),
            depth: 0,
            key: String::new(),
            overrides,
        },
    );
    let mut resources = ctx.resources;
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    (resources, ctx.findings)
}

/// Terraform's precedence: `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars`
/// and `*.auto.tfvars.json` in lexical order. Other variable files are only read when named.
fn auto_var_files(files: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        out.extend(files.iter().filter(|f| file_name(f) == name));
    }
    let mut auto: Vec<&String> = files
        .iter()
        .filter(|f| {
            file_name(f).ends_with(".auto.tfvars") || file_name(f).ends_with(".auto.tfvars.json")
        })
        .collect();
    auto.sort_by_key(|f| file_name(f));
    out.extend(auto);
    out
}

/// The values of a variable file: literal HCL attributes, or a JSON object.
fn read_tfvars(ctx: &mut Ctx, file: &str, text: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if file.ends_with(".json") {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(o)) => {
                out.extend(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))));
            }
            Ok(_) => ctx.findings.push(Finding::new(
                "parse-error",
                file,
                1,
                "a variable file must hold a JSON object",
            )),
            Err(e) => ctx.findings.push(
                Finding::new("parse-error", file, e.line(), format!("invalid JSON: {e}"))
                    .column(e.column()),
            ),
        }
        return out;
    }
    // Variable files hold values only: no references, so they are evaluated in an empty scope.
    let empty = Layer {
        parent: None,
        vars: BTreeMap::new(),
    };
    match parse_file(file, text) {
        Ok(parsed) => {
            for (i, s) in parsed.body.iter().enumerate() {
                if let hcl::Structure::Attribute(a) = s {
                    let mut diags = Vec::new();
                    let v = expr::eval(a.expr(), &empty, &mut diags);
                    let at = At {
                        file: file.to_string(),
                        line: parsed.lines.line(i, 1),
                    };
                    for d in diags {
                        ctx.findings.push(Finding::new(
                            d.code,
                            at.file.clone(),
                            at.line,
                            d.message,
                        ));
                    }
                    out.insert(a.key().to_string(), v);
                }
            }
        }
        Err(f) => ctx.findings.push(*f),
    }
    out
}
