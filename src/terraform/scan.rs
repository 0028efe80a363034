//! Parses every Terraform folder once (in parallel), records its local module calls, and
//! decides which folders are roots: those that hold Terraform and are not only called as a
//! local module of another folder.

use crate::discover::Inventory;
use crate::finding::Finding;
use crate::snapshot::join;
use crate::source::{Texts, line_of};
use hcl_edit::Span;
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

/// One parsed file: its body (`.tf.json` files are converted to the same shape) and the line
/// of every structure in it.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub path: String,
    pub body: hcl::Body,
    pub lines: Lines,
}

/// Lines of a body's structures, in the body's order; blocks carry their own body's lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    pub items: Vec<(usize, Lines)>,
}

impl Lines {
    /// The line of structure `index` of the body, or `fallback`.
    pub fn line(&self, index: usize, fallback: usize) -> usize {
        self.items.get(index).map_or(fallback, |(l, _)| *l)
    }

    pub fn child(&self, index: usize) -> Option<&Lines> {
        self.items.get(index).map(|(_, c)| c)
    }
}

/// One folder's Terraform, parsed.
#[derive(Debug, Clone, Default)]
pub struct ParsedModule {
    pub dir: String,
    /// Files that parsed, in file name order.
    pub files: Vec<ParsedFile>,
    /// How many of the folder's files did not parse (their findings are reported already).
    pub parse_failures: usize,
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

/// Parses one Terraform file (HCL or JSON syntax).
pub fn parse_file(path: &str, text: &str) -> Result<ParsedFile, Box<Finding>> {
    if path.ends_with(".json") {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Finding::new("parse-error", path, e.line(), format!("invalid JSON: {e}"))
                .column(e.column())
        })?;
        let (body, lines) = super::json_syntax::to_body(&json, text);
        return Ok(ParsedFile {
            path: path.to_string(),
            body,
            lines,
        });
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(mut edit) => {
            super::heredoc::dedent_nested(&mut edit);
            let lines = edit_lines(&edit, text);
            Ok(ParsedFile {
                path: path.to_string(),
                body: edit.into(),
                lines,
            })
        }
        Err(e) => {
            let loc = e.location();
            Err(Box::new(
                Finding::new(
                    "parse-error",
                    path,
                    loc.line(),
                    format!("invalid HCL: {}", e.message()),
                )
                .column(loc.column()),
            ))
        }
    }
}

fn edit_lines(body: &hcl_edit::structure::Body, text: &str) -> Lines {
    let line = |span: Option<std::ops::Range<usize>>| span.map_or(1, |s| line_of(text, s.start));
    Lines {
        items: body
            .iter()
            .map(|s| match s {
                hcl_edit::structure::Structure::Attribute(a) => (line(a.span()), Lines::default()),
                hcl_edit::structure::Structure::Block(b) => {
                    (line(b.span()), edit_lines(&b.body, text))
                }
            })
            .collect(),
    }
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
            m.parse_failures += 1;
            continue;
        };
        match parse_file(file, text) {
            Ok(parsed) => {
                module_calls(dir, &parsed, &mut m.local_calls);
                m.files.push(parsed);
            }
            Err(f) => {
                m.parse_failures += 1;
                findings.push(*f);
            }
        }
    }
    (m, findings)
}

/// A module source that is a folder of the repository (`./net`, `../modules/vpc`).
pub(crate) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

fn module_calls(dir: &str, file: &ParsedFile, out: &mut Vec<LocalCall>) {
    for (i, s) in file.body.iter().enumerate() {
        let hcl::Structure::Block(block) = s else {
            continue;
        };
        if block.identifier() != "module" {
            continue;
        }
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
            out.push(LocalCall {
                dir: join(dir, &source),
                name,
                source,
                file: file.path.clone(),
                line: file.lines.line(i, 1),
            });
        }
    }
}
