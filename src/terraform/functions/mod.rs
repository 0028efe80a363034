//! Terraform's built-in function library, as far as it is pure.

use super::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What functions may need from their surroundings.
pub trait FnEnv {
    /// Reads a file (`file`, `templatefile`, `fileexists`, …), the path as the call gave it.
    fn read_file(&self, path: &str) -> Result<Arc<str>, String>;
    /// Renders a template text with the given variables (`templatefile`).
    fn render_template(&self, template: &str, vars: &BTreeMap<String, Value>) -> Result<Value, String>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// Not a function stackgate knows (or an impure one it will not guess).
    Unsupported,
    /// The arguments are wrong; the message says how, as Terraform would.
    Invalid(String),
}

/// Calls a function by name.
pub fn call(_name: &str, _args: Vec<Value>, _env: &dyn FnEnv) -> Result<Value, FnError> {
    Err(FnError::Unsupported)
}
