//! What a change touches. A project's evaluation reads a known set of files: its instance
//! file, its stack's folder, its Terraform folder and every local module that folder calls
//! (transitively), the variable files named for it, and whatever Terraform's file functions
//! opened (recorded while it was evaluated). A project none of whose files changed evaluates
//! to the same resources at both ends of a change, so the base of a comparison only
//! re-evaluates the projects a change touches and takes the others from the head.

use crate::project::{Project, ProjectKind};
use crate::snapshot::join;
use crate::stacks::Stack;
use crate::terraform::TerraformScan;
use std::collections::{BTreeMap, BTreeSet};

/// The paths a change modified (added, removed or edited), relative to the root.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    paths: BTreeSet<String>,
}

impl Changes {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Changes {
        Changes {
            paths: paths.into_iter().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.paths.iter()
    }

    /// The file itself changed.
    pub fn file(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// Something below the folder changed, at any depth (`""` is the root: anything).
    pub fn under(&self, dir: &str) -> bool {
        if dir.is_empty() || dir == "." {
            return !self.paths.is_empty();
        }
        let prefix = format!("{dir}/");
        self.paths
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix))
    }
}

/// Where a project's evaluation reads from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Files read on their own.
    pub files: BTreeSet<String>,
    /// Folders read as a whole (at any depth: `file("${path.module}/templates/x")` reads
    /// below the module's folder).
    pub dirs: BTreeSet<String>,
}

/// The files and folders a project's evaluation depends on, as far as the repository's
/// structure tells (the files Terraform's file functions open are in `Project::reads`).
pub fn reads(
    project: &Project,
    tf: &TerraformScan,
    stacks: &[Stack],
    var_files: &BTreeMap<String, Vec<String>>,
) -> Reads {
    let mut out = Reads::default();
    match project.kind {
        ProjectKind::TerraformPlan | ProjectKind::StackInstance => {
            out.files.insert(project.path.clone());
        }
        ProjectKind::Terraform => {}
    }
    if let Some(stack) = project
        .stack
        .as_deref()
        .and_then(|s| stacks.iter().find(|st| st.canonical == s))
    {
        out.dirs.insert(stack.dir.clone());
    }
    if let Some(dir) = project.terraform_dir.as_deref() {
        for f in var_files.get(dir).into_iter().flatten() {
            out.files.insert(join(dir, f));
        }
        // Local modules, transitively; a cycle (already reported) stops at a folder seen.
        let mut todo = vec![dir.to_string()];
        while let Some(d) = todo.pop() {
            if !out.dirs.insert(d.clone()) {
                continue;
            }
            if let Some(m) = tf.modules.get(&d) {
                todo.extend(m.local_calls.iter().map(|c| c.dir.clone()));
            }
        }
    }
    out.files.extend(project.reads.iter().cloned());
    out
}

/// The project reads something the change modified.
pub fn touches(changes: &Changes, reads: &Reads) -> bool {
    reads.files.iter().any(|f| changes.file(f)) || reads.dirs.iter().any(|d| changes.under(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::{LocalCall, ParsedModule};

    fn changes(paths: &[&str]) -> Changes {
        Changes::new(paths.iter().map(|p| p.to_string()))
    }

    #[test]
    fn under_matches_folders_not_name_prefixes() {
        let c = changes(&[
            "infra/app/main.tf",
            "infra/application/x.tf",
            "../shared/m.tf",
        ]);
        assert!(c.under("infra/app"));
        assert!(c.under("infra"));
        assert!(!c.under("infra/ap"));
        assert!(!c.under("infra/app/sub"));
        assert!(c.under("../shared"));
        assert!(c.under(""));
        assert!(!changes(&[]).under(""));
        assert!(c.file("infra/app/main.tf"));
        assert!(!c.file("infra/app"));
    }

    fn module(dir: &str, calls: &[&str]) -> (String, ParsedModule) {
        let m = ParsedModule {
            dir: dir.to_string(),
            local_calls: calls
                .iter()
                .map(|c| LocalCall {
                    name: "m".into(),
                    source: format!("./{c}"),
                    dir: c.to_string(),
                    file: format!("{dir}/main.tf"),
                    line: 1,
                })
                .collect(),
            ..Default::default()
        };
        (dir.to_string(), m)
    }

    #[test]
    fn a_root_reads_its_modules_transitively() {
        let tf = TerraformScan {
            modules: [
                module("live/app", &["modules/web"]),
                module("modules/web", &["modules/net", "modules/web"]),
                module("modules/net", &[]),
                module("modules/other", &[]),
            ]
            .into_iter()
            .collect(),
            roots: vec!["live/app".into()],
        };
        let mut p = Project::new("live/app", "live/app", ProjectKind::Terraform);
        p.terraform_dir = Some("live/app".into());
        p.reads = vec!["data/ami.json".into()];
        let var_files = [("live/app".to_string(), vec!["../common.tfvars".to_string()])]
            .into_iter()
            .collect();
        let r = reads(&p, &tf, &[], &var_files);
        assert_eq!(
            r.dirs.iter().collect::<Vec<_>>(),
            ["live/app", "modules/net", "modules/web"]
        );
        assert_eq!(
            r.files.iter().collect::<Vec<_>>(),
            ["data/ami.json", "live/common.tfvars"]
        );
        assert!(touches(&changes(&["modules/net/variables.tf"]), &r));
        assert!(touches(&changes(&["live/common.tfvars"]), &r));
        assert!(touches(&changes(&["data/ami.json"]), &r));
        assert!(!touches(
            &changes(&["modules/other/main.tf", "README.md"]),
            &r
        ));
    }

    #[test]
    fn an_instance_reads_its_file_and_its_stack() {
        let tf = TerraformScan::default();
        let mut p = Project::new(
            "db",
            "deploy/prod/db.stack.yaml",
            ProjectKind::StackInstance,
        );
        p.stack = Some("aws-rds".into());
        p.terraform_dir = Some("stacks/rds/terraform".into());
        let stack = Stack {
            dir: "stacks/rds".into(),
            canonical: "aws-rds".into(),
            ..Stack::default()
        };
        let r = reads(&p, &tf, &[stack], &BTreeMap::new());
        assert!(touches(&changes(&["deploy/prod/db.stack.yaml"]), &r));
        assert!(touches(&changes(&["stacks/rds/.forms.yml"]), &r));
        assert!(touches(&changes(&["stacks/rds/terraform/main.tf"]), &r));
        assert!(!touches(&changes(&["deploy/prod/cache.stack.yaml"]), &r));
    }
}
