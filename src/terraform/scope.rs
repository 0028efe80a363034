//! What an expression can see. The module evaluator implements `Scope`; the expression
//! evaluator and the function library only read through it.

use super::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Names bound at the root of references: `var`, `local`, `each`, `count`, `path`,
/// `terraform`, `module`, `data`, `self`, and one per resource type (`aws_instance`).
pub trait Scope: Sync {
    /// The value bound to a root name, if any.
    fn get(&self, name: &str) -> Option<&Value>;

    /// Whether an attribute missing under this root is merely not known yet (resources, data
    /// sources, module outputs: computed by the provider) rather than an error (`var`, `local`).
    fn is_open(&self, name: &str) -> bool;

    /// Reads a file for `file()`, `templatefile()`, `fileexists()`, …; `path` is as the
    /// configuration wrote it after evaluation (relative to the root module folder, or built
    /// from `path.module`).
    fn read_file(&self, path: &str) -> Result<Arc<str>, String>;
}

/// A problem met while evaluating: becomes a finding on the line of the attribute or block
/// being evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub code: &'static str,
    pub message: String,
}

impl Diag {
    pub fn new(code: &'static str, message: impl Into<String>) -> Diag {
        Diag {
            code,
            message: message.into(),
        }
    }
}

/// A scope of fixed bindings over a parent: `each`, `count`, `for` variables, template vars.
pub struct Layer<'a> {
    pub parent: Option<&'a dyn Scope>,
    pub vars: BTreeMap<String, Value>,
}

impl Scope for Layer<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .get(name)
            .or_else(|| self.parent.and_then(|p| p.get(name)))
    }

    fn is_open(&self, name: &str) -> bool {
        !self.vars.contains_key(name) && self.parent.is_some_and(|p| p.is_open(name))
    }

    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        match self.parent {
            Some(p) => p.read_file(path),
            None => Err(format!("cannot read `{path}` here")),
        }
    }
}
