//! Terraform: reading module folders, finding roots. Evaluation builds on the parsed bodies.

pub mod functions;
pub mod module;
pub mod providers;
pub mod resource;
mod json_syntax;
mod scan;
pub mod scope;
pub mod types;
pub mod value;

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
];

/// Codes of Terraform evaluation; registered in `CODES` once evaluation runs in `check`.
pub const EVAL_CODES: &[CodeInfo] = &[
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
];
