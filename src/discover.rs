//! Walks a snapshot and sorts its files into what stackgate reads: stacks, stack instances,
//! Terraform folders, catalog descriptors, policies and scorecards.

use crate::config::{FILE as CONFIG_FILE, Settings};
use crate::finding::{Finding, Level};
use crate::snapshot::{file_name, parent};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;

/// A folder with `.cycloid.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackDir {
    pub dir: String,
    pub cycloid: String,
    pub forms: Option<String>,
    /// The stack's own `terraform/` folder, when it has `.tf` files.
    pub terraform: Option<String>,
}

/// Everything a run reads, by role. Paths are relative to the root and sorted.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub config: Option<String>,
    pub stacks: Vec<StackDir>,
    pub instances: Vec<String>,
    /// Every folder with Terraform files outside stacks, with its files (roots are decided
    /// once the module calls between them are known).
    pub terraform_dirs: BTreeMap<String, Vec<String>>,
    /// `terraform show -json` plans placed in the repository (`*.tfplan.json`).
    pub plans: Vec<String>,
    /// Variable files (`*.tfvars`, `*.tfvars.json`) by folder.
    pub tfvars: BTreeMap<String, Vec<String>>,
    /// Terraform folders of stacks (evaluated through instances, never as roots).
    pub stack_terraform_dirs: BTreeMap<String, Vec<String>>,
    pub catalog: Vec<String>,
    pub policies: Vec<String>,
    pub scorecards: Vec<String>,
    /// `settings.terraform` globs, when given, restrict which folders can be roots.
    pub terraform_filter: Option<GlobSet>,
}

impl Inventory {
    /// Every file the run reads.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.config.iter().cloned());
        for s in &self.stacks {
            out.push(s.cycloid.clone());
            out.extend(s.forms.iter().cloned());
        }
        out.extend(self.instances.iter().cloned());
        out.extend(self.terraform_dirs.values().flatten().cloned());
        out.extend(self.tfvars.values().flatten().cloned());
        out.extend(self.plans.iter().cloned());
        out.extend(self.plans.iter().cloned());
        out.extend(self.stack_terraform_dirs.values().flatten().cloned());
        out.extend(self.catalog.iter().cloned());
        out.extend(self.policies.iter().cloned());
        out.extend(self.scorecards.iter().cloned());
        out.sort();
        out.dedup();
        out
    }
}

pub fn is_terraform_file(path: &str) -> bool {
    path.ends_with(".tf") || path.ends_with(".tf.json")
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

struct Patterns {
    set: GlobSet,
    /// Per pattern: its text and whether anything matched it.
    hits: Vec<(String, bool)>,
    key: &'static str,
}

impl Patterns {
    fn new(
        key: &'static str,
        patterns: &[String],
        findings: &mut Vec<Finding>,
        config: &ConfigLines,
    ) -> Patterns {
        let mut b = GlobSetBuilder::new();
        let mut hits = Vec::new();
        for p in patterns {
            let glob = normalize_pattern(p);
            match GlobBuilder::new(&glob).literal_separator(true).build() {
                Ok(g) => {
                    b.add(g);
                    hits.push((p.clone(), false));
                }
                Err(e) => {
                    findings.push(Finding::new(
                        "config-pattern",
                        CONFIG_FILE,
                        config.line(key, p),
                        format!("`{key}` pattern `{p}` is not a valid glob: {}", e.kind()),
                    ));
                    // Keep indexes aligned with a glob that matches nothing.
                    b.add(Glob::new("\u{0}never").expect("literal glob"));
                    hits.push((p.clone(), true));
                }
            }
        }
        Patterns {
            set: b.build().unwrap_or_else(|_| GlobSet::empty()),
            hits,
            key,
        }
    }

    fn matches(&mut self, path: &str) -> bool {
        let m = self.set.matches(path);
        for i in &m {
            self.hits[*i].1 = true;
        }
        !m.is_empty()
    }

    /// Patterns the user wrote that matched nothing (defaults may match nothing silently).
    fn report_unused(&self, findings: &mut Vec<Finding>, config: &ConfigLines) {
        let explicit = config
            .doc
            .as_ref()
            .is_some_and(|d| d.value.get(self.key).is_some_and(|v| v.is_sequence()));
        if !explicit {
            return;
        }
        for (p, hit) in &self.hits {
            if !hit {
                findings.push(
                    Finding::new(
                        "config-pattern",
                        CONFIG_FILE,
                        config.line(self.key, p),
                        format!("`{}` pattern `{p}` matches nothing", self.key),
                    )
                    .level(Level::Warn),
                );
            }
        }
    }
}

/// `policies/` means everything below that folder; `**/x` also matches `x` at the root.
fn normalize_pattern(p: &str) -> String {
    let p = p.strip_prefix("./").unwrap_or(p);
    if let Some(dir) = p.strip_suffix('/') {
        format!("{dir}/**")
    } else {
        p.to_string()
    }
}

/// Lines of the pattern entries in stackgate.yaml, for findings about them.
pub struct ConfigLines {
    pub present: bool,
    pub doc: Option<crate::yaml::Doc>,
}

impl ConfigLines {
    fn line(&self, key: &str, pattern: &str) -> usize {
        let Some(doc) = &self.doc else { return 1 };
        let index = doc.value[key]
            .as_sequence()
            .and_then(|s| s.iter().position(|v| v.as_str() == Some(pattern)));
        match index {
            Some(i) => doc.line(&[key.into(), i.into()]),
            None => doc.line(&[key.into()]),
        }
    }
}

/// Sorts the snapshot's files by role.
pub fn discover(
    settings: &Settings,
    files: &[String],
    config: &ConfigLines,
) -> (Inventory, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut inv = Inventory::default();
    let stack_patterns = settings
        .stacks
        .as_ref()
        .map(|p| Patterns::new("stacks", p, &mut findings, config));
    let mut stack_patterns = stack_patterns;
    let mut instances = Patterns::new("instances", &settings.instances, &mut findings, config);
    let mut catalog = Patterns::new("catalog", &settings.catalog, &mut findings, config);
    let mut policies = Patterns::new("policies", &settings.policies, &mut findings, config);
    let mut scorecards = Patterns::new("scorecards", &settings.scorecards, &mut findings, config);
    let mut terraform = settings
        .terraform
        .as_ref()
        .map(|p| Patterns::new("terraform", p, &mut findings, config));

    // Stacks first: their folders are claimed whole.
    for f in files {
        let name = file_name(f);
        if name == ".cycloid.yml" || name == ".cycloid.yaml" {
            let dir = parent(f).to_string();
            let wanted = match &mut stack_patterns {
                Some(p) => p.matches(&dir),
                None => !dir.starts_with("../"),
            };
            if wanted && !inv.stacks.iter().any(|s| s.dir == dir) {
                inv.stacks.push(StackDir {
                    dir,
                    cycloid: f.clone(),
                    forms: None,
                    terraform: None,
                });
            }
        }
    }
    let prefixes: Vec<String> = inv.stacks.iter().map(|s| format!("{}/", s.dir)).collect();
    let stack_of = |path: &str| -> Option<usize> {
        prefixes
            .iter()
            .position(|p| p == "/" || path.starts_with(p.as_str()))
    };
    let skeleton = |path: &str| path.split('/').any(|c| c == "skeleton");

    for f in files {
        if f == CONFIG_FILE {
            inv.config = Some(f.clone());
            continue;
        }
        let name = file_name(f);
        if let Some(si) = stack_of(f) {
            let stack = &mut inv.stacks[si];
            let rel = &f[if stack.dir.is_empty() {
                0
            } else {
                stack.dir.len() + 1
            }..];
            if rel == ".forms.yml" || rel == ".forms.yaml" {
                stack.forms = Some(f.clone());
            } else if is_terraform_file(f) && (rel.starts_with("terraform/")) {
                let dir = parent(f).to_string();
                if parent(rel) == "terraform" {
                    stack.terraform = Some(dir.clone());
                }
                inv.stack_terraform_dirs
                    .entry(dir)
                    .or_default()
                    .push(f.clone());
            }
            continue;
        }
        if f.starts_with("../") {
            continue;
        }
        if is_terraform_file(f) {
            inv.terraform_dirs
                .entry(parent(f).to_string())
                .or_default()
                .push(f.clone());
            continue;
        }
        if f.ends_with(".tfplan.json") {
            inv.plans.push(f.clone());
            continue;
        }
        if f.ends_with(".tfvars") || f.ends_with(".tfvars.json") {
            inv.tfvars
                .entry(parent(f).to_string())
                .or_default()
                .push(f.clone());
            continue;
        }
        if !is_yaml(f) {
            continue;
        }
        if instances.matches(f) {
            inv.instances.push(f.clone());
        } else if catalog.matches(f) {
            if !skeleton(f) {
                inv.catalog.push(f.clone());
            }
        } else if policies.matches(f) {
            inv.policies.push(f.clone());
        } else if scorecards.matches(f) {
            inv.scorecards.push(f.clone());
        }
        let _ = name;
    }
    if let Some(t) = &mut terraform {
        for dir in inv.terraform_dirs.keys() {
            t.matches(dir);
        }
        inv.terraform_filter = Some(t.set.clone());
    }

    if let Some(p) = &stack_patterns {
        p.report_unused(&mut findings, config);
    }
    for p in [&instances, &catalog] {
        p.report_unused(&mut findings, config);
    }
    policies.report_unused(&mut findings, config);
    scorecards.report_unused(&mut findings, config);
    if let Some(t) = &terraform {
        t.report_unused(&mut findings, config);
    }
    (inv, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn classifies_by_role() {
        let fs = files(&[
            "stackgate.yaml",
            "stacks/ec2/.cycloid.yml",
            "stacks/ec2/.forms.yml",
            "stacks/ec2/terraform/main.tf",
            "stacks/ec2/terraform/modules/x/main.tf",
            "deploy/prod/a.stack.yaml",
            "infra/net/main.tf",
            "services/api/catalog-info.yaml",
            "templates/svc/skeleton/catalog-info.yaml",
            "policies/base.yaml",
            "README.md",
        ]);
        let cfg = ConfigLines {
            present: false,
            doc: None,
        };
        let (inv, findings) = discover(&Settings::default(), &fs, &cfg);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(inv.stacks.len(), 1);
        assert_eq!(
            inv.stacks[0].forms.as_deref(),
            Some("stacks/ec2/.forms.yml")
        );
        assert_eq!(
            inv.stacks[0].terraform.as_deref(),
            Some("stacks/ec2/terraform")
        );
        assert_eq!(inv.stack_terraform_dirs.len(), 2);
        assert_eq!(inv.instances, vec!["deploy/prod/a.stack.yaml"]);
        assert_eq!(
            inv.terraform_dirs.keys().collect::<Vec<_>>(),
            vec!["infra/net"]
        );
        assert_eq!(inv.catalog, vec!["services/api/catalog-info.yaml"]);
        assert_eq!(inv.policies, vec!["policies/base.yaml"]);
    }
}
