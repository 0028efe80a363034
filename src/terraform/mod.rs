//! Terraform: reading module folders, finding roots. Evaluation builds on the parsed bodies.

mod scan;
pub mod scope;
pub mod value;

pub use scan::{LocalCall, ParsedModule, TerraformScan, scan};

use crate::codes::CodeInfo;
use crate::finding::Level;

pub const CODES: &[CodeInfo] = &[CodeInfo {
    code: "module-source-missing",
    level: Level::Deny,
    summary: "a local module source points at a folder without Terraform files",
    explanation: "A `module` block's `source` is a local path (`./` or `../`) but no `.tf` or \
`.tf.json` file exists there, so `terraform init` would fail. Fix the path or add the module.",
}];
