//! Parses every Terraform folder once (in parallel), records its local module calls, and
//! decides which folders are roots: those that hold Terraform and are not only called as a
//! local module of another folder.

use crate::discover::Inventory;
use crate::finding::Finding;
use crate::snapshot::join;
use crate::source::{Texts, line_of};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A `module` block whose source is a local folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalCall {
    pub name: String,
    /// The source as written (`../modules/net`).
    pub source: String,
    /// The folder it resolves to, relative to the repository root.
    pub dir: String,
    pub file: String,
    pub line: usize,
}

/// One folder's Terraform, parsed.
#[derive(Debug, Clone, Default)]
pub struct ParsedModule {
    pub dir: String,
    /// Files that parsed, with their bodies.
    pub bodies: Vec<(String, hcl::Body)>,
    /// Local module calls: (module name, resolved folder, file, line).
    pub local_calls: Vec<LocalCall>,
}

#[derive(Debug, Clone, Default)]
pub struct TerraformScan {
    pub modules: BTreeMap<String, ParsedModule>,
    /// Root folders (outside stacks), sorted.
    pub roots: Vec<String>,
}

/// Parses the Terraform of the inventory (plain folders and stacks' terraform folders).
pub fn scan(inv: &Inventory, texts: &Texts) -> (TerraformScan, Vec<Finding>) {
    let dirs: Vec<(&String, &Vec<String>)> = inv
        .terraform_dirs
        .iter()
        .chain(inv.stack_terraform_dirs.iter())
        .collect();
    let parsed: Vec<(ParsedModule, Vec<Finding>)> = dirs
        .par_iter()
        .map(|(dir, files)| parse_dir(dir, files, texts))
        .collect();
    let mut out = TerraformScan::default();
    let mut findings = Vec::new();
    for (m, f) in parsed {
        findings.extend(f);
        out.modules.insert(m.dir.clone(), m);
    }
    // A folder called by another folder as a local module is not a root.
    let mut called = BTreeSet::new();
    for m in out.modules.values() {
        for call in &m.local_calls {
            if out.modules.contains_key(&call.dir) {
                if call.dir != m.dir {
                    called.insert(call.dir.clone());
                }
            } else {
                findings.push(
                    Finding::new(
                        "module-source-missing",
                        call.file.clone(),
                        call.line,
                        format!(
                            "module \"{}\" has source `{}`, but `{}` holds no Terraform files",
                            call.name, call.source, call.dir
                        ),
                    )
                    .resource(format!("module.{}", call.name)),
                );
            }
        }
    }
    out.roots = inv
        .terraform_dirs
        .keys()
        .filter(|d| !called.contains(*d))
        .filter(|d| {
            inv.terraform_filter
                .as_ref()
                .is_none_or(|g| g.is_match(d.as_str()))
        })
        .cloned()
        .collect();
    (out, findings)
}

fn parse_dir(dir: &str, files: &[String], texts: &Texts) -> (ParsedModule, Vec<Finding>) {
    let mut m = ParsedModule {
        dir: dir.to_string(),
        ..Default::default()
    };
    let mut findings = Vec::new();
    for file in files {
        // Unreadable files already have their finding from decoding.
        let Some(text) = texts.get(file) else {
            continue;
        };
        if file.ends_with(".tf.json") {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json) => {
                    json_module_calls(dir, file, text, &json, &mut m.local_calls);
                }
                Err(e) => findings.push(
                    Finding::new(
                        "parse-error",
                        file.clone(),
                        e.line(),
                        format!("invalid JSON: {e}"),
                    )
                    .column(e.column()),
                ),
            }
            continue;
        }
        match hcl::parse(text) {
            Ok(body) => {
                hcl_module_calls(dir, file, text, &body, &mut m.local_calls);
                m.bodies.push((file.clone(), body));
            }
            Err(hcl::Error::Parse(e)) => {
                let loc = e.location();
                findings.push(
                    Finding::new(
                        "parse-error",
                        file.clone(),
                        loc.line(),
                        format!("invalid HCL: {}", e.message()),
                    )
                    .column(loc.column()),
                );
            }
            Err(e) => findings.push(Finding::new(
                "parse-error",
                file.clone(),
                1,
                format!("invalid HCL: {e}"),
            )),
        }
    }
    (m, findings)
}

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

fn hcl_module_calls(dir: &str, file: &str, text: &str, body: &hcl::Body, out: &mut Vec<LocalCall>) {
    for block in body.blocks().filter(|b| b.identifier() == "module") {
        let Some(name) = block.labels().first().map(|l| l.as_str().to_string()) else {
            continue;
        };
        let source = block
            .body()
            .attributes()
            .find(|a| a.key() == "source")
            .and_then(|a| match a.expr() {
                hcl::Expression::String(s) => Some(s.clone()),
                _ => None,
            });
        if let Some(source) = source.filter(|s| is_local(s)) {
            let line = find_line(text, &format!("module \"{name}\""));
            out.push(LocalCall {
                dir: join(dir, &source),
                name,
                source,
                file: file.to_string(),
                line,
            });
        }
    }
}

fn json_module_calls(
    dir: &str,
    file: &str,
    text: &str,
    json: &serde_json::Value,
    out: &mut Vec<LocalCall>,
) {
    // `module` is an object of name → body (or a list of such objects).
    let mut blocks = Vec::new();
    match json.get("module") {
        Some(serde_json::Value::Object(o)) => blocks.push(o),
        Some(serde_json::Value::Array(a)) => blocks.extend(a.iter().filter_map(|v| v.as_object())),
        _ => {}
    }
    for o in blocks {
        for (name, body) in o {
            let bodies: Vec<&serde_json::Value> = match body {
                serde_json::Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for b in bodies {
                if let Some(source) = b
                    .get("source")
                    .and_then(|s| s.as_str())
                    .filter(|s| is_local(s))
                {
                    let line = find_line(text, &format!("\"{name}\""));
                    out.push(LocalCall {
                        name: name.clone(),
                        source: source.to_string(),
                        dir: join(dir, source),
                        file: file.to_string(),
                        line,
                    });
                }
            }
        }
    }
}

/// The line of the first occurrence of `needle` (hcl-rs bodies carry no positions).
fn find_line(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |i| line_of(text, i))
}
