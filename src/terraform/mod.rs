//! Terraform: reading module folders, finding roots. Evaluation builds on the parsed bodies.

mod blocks;
mod evaluate;
pub mod expr;
pub mod expr_call;
pub mod expr_for;
pub mod expr_ops;
pub mod expr_refs;
pub mod expr_traversal;
pub mod functions;
mod graph;
mod heredoc;
mod instance;
mod json_syntax;
pub mod module;
pub mod plan;
mod plan_text;
pub mod providers;
mod remote;
pub mod resource;
mod scan;
pub mod scope;
pub mod template;
pub mod types;
pub mod value;
mod variables;

pub use evaluate::{configs, evaluate_projects};
pub use scan::{Lines, LocalCall, ParsedFile, ParsedModule, TerraformScan, parse_file, scan};

use crate::codes::CodeInfo;
use crate::finding::Level;

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "module-source-missing",
        level: Level::Deny,
        summary: "a local module source points at a folder without Terraform files",
        explanation: "A `module` block's `source` is a local path (`./` or `../`) but no `.tf` or \
`.tf.json` file exists there, so `terraform init` would fail. Fix the path or add the module.",
    },
    CodeInfo {
        code: "tf-expression-error",
        level: Level::Deny,
        summary: "a Terraform expression cannot be evaluated",
        explanation: "The expression would make `terraform plan` fail: a reference to a variable or \
local that does not exist, an operator applied to the wrong type, an index out of range, a \
function called with wrong arguments. The value is treated as unknown so the rest of the \
configuration is still evaluated.",
    },
    CodeInfo {
        code: "tf-unsupported-function",
        level: Level::Warn,
        summary: "a Terraform function stackgate does not evaluate",
        explanation: "The function is impure (`timestamp`, `uuid`), provider-defined, or not in \
stackgate's library. Its result is unknown: policies and costs that depend on it report an \
unknown value instead of guessing.",
    },
    CodeInfo {
        code: "tf-cycle",
        level: Level::Deny,
        summary: "Terraform declarations refer to each other in a cycle",
        explanation: "Locals, resources or module calls reference each other in a loop (or a module \
calls itself), which `terraform plan` rejects. The declarations in the cycle are evaluated with \
the references among them unknown.",
    },
    CodeInfo {
        code: "tf-unknown-count",
        level: Level::Warn,
        summary: "`count` or `for_each` cannot be known before apply",
        explanation: "The number of instances depends on a value only known after apply (a \
computed attribute, a variable with no value). stackgate evaluates one instance and says so, \
so policies and costs see it rather than nothing; set the value (tfvars, stack form) to get the \
exact instances.",
    },
    CodeInfo {
        code: "tf-module-not-evaluated",
        level: Level::Info,
        summary: "a module comes from outside the repository and is not evaluated",
        explanation: "The module's source is a registry, Git or HTTP address. stackgate never \
fetches anything, so its resources are not evaluated and do not count in policies or costs. \
Run `terraform init` so that `.terraform/modules` holds it, or vendor the module into the \
repository.",
    },
    CodeInfo {
        code: "tf-variable-type",
        level: Level::Deny,
        summary: "a variable's value does not fit its declared type",
        explanation: "The value given to a variable (default, tfvars, module argument or stack \
instance value) cannot be converted to the variable's `type`, so `terraform plan` would fail. \
The variable is evaluated as unknown.",
    },
];
