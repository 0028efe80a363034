//! Cycloid stacks: `.cycloid.yml`, `.forms.yml` (StackForms), and stack instances validated
//! against their stack's form.

use crate::codes::CodeInfo;
use crate::discover::StackDir;
use crate::finding::Finding;
use crate::project::Project;
use crate::source::Texts;
use crate::terraform::TerraformScan;

pub const CODES: &[CodeInfo] = &[];

#[derive(Debug, Clone)]
pub struct Stack {
    pub dir: String,
    pub canonical: String,
}

pub fn load_stacks(_dirs: &[StackDir], _texts: &Texts, _tf: &TerraformScan) -> (Vec<Stack>, Vec<Finding>) {
    (Vec::new(), Vec::new())
}

pub fn load_instances(_files: &[String], _stacks: &[Stack], _texts: &Texts) -> (Vec<Project>, Vec<Finding>) {
    (Vec::new(), Vec::new())
}
