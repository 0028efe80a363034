//! A project is one unit stackgate evaluates and costs: a plain Terraform root, or a stack
//! instance (a stack's Terraform fed with the instance's values).

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    Terraform,
    StackInstance,
    /// A `terraform show -json` plan file: resources from exact values.
    TerraformPlan,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub name: String,
    /// The Terraform root folder, or the instance file.
    pub path: String,
    pub kind: ProjectKind,
    /// Evaluated resources; empty until Terraform evaluation runs.
    pub resources: Vec<crate::terraform::resource::Resource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The Terraform folder the project evaluates (the stack's `terraform/` for an instance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform_dir: Option<String>,
    /// What a stack instance feeds its stack's Terraform.
    #[serde(skip_serializing_if = "TerraformInputs::is_empty")]
    pub inputs: TerraformInputs,
    /// Files the evaluation opened on its own (Terraform's file functions, downloaded
    /// modules), beyond the project's folders: what a change must not touch for the project
    /// to evaluate the same.
    #[serde(skip)]
    pub reads: Vec<String>,
}

impl Project {
    pub fn new(name: impl Into<String>, path: impl Into<String>, kind: ProjectKind) -> Project {
        Project {
            name: name.into(),
            path: path.into(),
            kind,
            resources: Vec::new(),
            stack: None,
            use_case: None,
            environment: None,
            owner: None,
            component: None,
            terraform_dir: None,
            inputs: TerraformInputs::default(),
            reads: Vec::new(),
        }
    }

    /// The project without what its evaluation produced (resources, inputs, reads): what
    /// ownership, scopes and scorecard facts look at, cheap to copy.
    pub fn outline(&self) -> Project {
        Project {
            name: self.name.clone(),
            path: self.path.clone(),
            kind: self.kind,
            stack: self.stack.clone(),
            use_case: self.use_case.clone(),
            environment: self.environment.clone(),
            owner: self.owner.clone(),
            component: self.component.clone(),
            terraform_dir: self.terraform_dir.clone(),
            ..Project::new("", "", self.kind)
        }
    }
}

/// Values for a Terraform configuration, the way Cycloid applies a form: a plain key sets a
/// root variable, `module.X.Y` sets argument `Y` of `module "X"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TerraformInputs {
    pub variables: BTreeMap<String, serde_json::Value>,
    pub module_arguments: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

impl TerraformInputs {
    pub fn is_empty(&self) -> bool {
        self.variables.is_empty() && self.module_arguments.is_empty()
    }

    /// Sets a form key's value; `module.X.Y` goes to module `X`, argument `Y`.
    pub fn set(&mut self, key: &str, value: serde_json::Value) {
        if let Some(rest) = key.strip_prefix("module.") {
            if let Some((module, arg)) = rest.split_once('.') {
                self.module_arguments
                    .entry(module.to_string())
                    .or_default()
                    .insert(arg.to_string(), value);
                return;
            }
        }
        self.variables.insert(key.to_string(), value);
    }
}
