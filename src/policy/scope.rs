//! `where`: which projects and resources a policy applies to. Every key given must match:
//! `environment` (a stack instance's `spec.environment`), `stack` (its stack's canonical,
//! globs), `path` (the project's path, path globs), `resource_type` (globs).
//!
//! A project without an environment (a plain Terraform root) is outside a policy scoped by
//! environment: the scope names where the policy applies, and stackgate does not guess.

use super::fields::Fields;
use super::glob::Globs;
use crate::project::Project;
use serde_json::Value as Json;

#[derive(Debug, Clone, Default)]
pub struct Scope {
    environment: Option<Vec<String>>,
    stack: Option<Globs>,
    path: Option<Globs>,
    resource_type: Option<Globs>,
}

const KEYS: &[&str] = &["environment", "stack", "path", "resource_type"];

impl Scope {
    pub fn parse(f: &mut Fields) -> Scope {
        let Some(raw) = f.raw("where") else {
            return Scope::default();
        };
        let Json::Object(obj) = raw else {
            f.problem(
                &["where"],
                format!(
                    "`where` must be a mapping with {}, not {}",
                    KEYS.join(", "),
                    super::fields::kind(raw)
                ),
            );
            return Scope::default();
        };
        let mut inner = Fields::new(obj);
        let environment = inner.strings("environment");
        let stack = inner.globs("stack");
        let path = inner.strings("path").and_then(|p| match Globs::paths(&p) {
            Ok(g) => Some(g),
            Err(e) => {
                inner.problem(&["path"], format!("invalid glob in `path`: {e}"));
                None
            }
        });
        let resource_type = inner.globs("resource_type");
        for k in inner.unknown_keys() {
            let hint = crate::stacks::closest(k, KEYS.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            inner.problem(
                &[k],
                format!(
                    "unknown key `{k}` in `where`{hint}; known: {}",
                    KEYS.join(", ")
                ),
            );
        }
        for p in inner.problems {
            let mut key = vec!["where".to_string()];
            key.extend(p.key);
            f.problems.push(super::fields::Problem {
                key,
                message: p.message,
            });
        }
        Scope {
            environment,
            stack,
            path,
            resource_type,
        }
    }

    pub fn applies_to_project(&self, p: &Project) -> bool {
        if let Some(envs) = &self.environment {
            match &p.environment {
                Some(e) if envs.iter().any(|x| x == e) => {}
                _ => return false,
            }
        }
        if let Some(g) = &self.stack {
            match &p.stack {
                Some(s) if g.is_match(s) => {}
                _ => return false,
            }
        }
        if let Some(g) = &self.path {
            if !g.is_match(&p.path) {
                return false;
            }
        }
        true
    }

    /// For a form: it applies to every instance of the stack only when the scope does not
    /// depend on what an instance chooses (its environment, its path).
    pub fn applies_to_form(&self, canonical: &str) -> bool {
        self.environment.is_none()
            && self.path.is_none()
            && self.stack.as_ref().is_none_or(|g| g.is_match(canonical))
    }

    pub fn applies_to_type(&self, resource_type: &str) -> bool {
        self.resource_type
            .as_ref()
            .is_none_or(|g| g.is_match(resource_type))
    }
}
