//! Reading one policy's fields: typed getters that record a problem (with the key it is about)
//! instead of failing, so a policy reports every mistake at once and the run goes on.

use super::glob::Globs;
use serde_json::{Map, Value as Json};
use std::collections::BTreeSet;

/// A problem with a policy, at `key` (a path below the policy, empty for the policy itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: Vec<String>,
    pub message: String,
}

pub struct Fields<'a> {
    obj: &'a Map<String, Json>,
    used: BTreeSet<String>,
    pub problems: Vec<Problem>,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Json>) -> Fields<'a> {
        Fields {
            obj,
            used: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    pub fn problem(&mut self, key: &[&str], message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.iter().map(|k| k.to_string()).collect(),
            message: message.into(),
        });
    }

    /// The raw value of a field, marking it as known.
    pub fn raw(&mut self, key: &str) -> Option<&'a Json> {
        self.used.insert(key.to_string());
        self.obj.get(key).filter(|v| !v.is_null())
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            other => {
                self.problem(
                    &[key],
                    format!("`{key}` must be a string, not {}", kind(other)),
                );
                None
            }
        }
    }

    pub fn number(&mut self, key: &str) -> Option<f64> {
        match self.raw(key)? {
            Json::Number(n) => n.as_f64(),
            other => {
                self.problem(
                    &[key],
                    format!("`{key}` must be a number, not {}", kind(other)),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.raw(key)? {
            Json::Bool(b) => Some(*b),
            other => {
                self.problem(
                    &[key],
                    format!("`{key}` must be true or false, not {}", kind(other)),
                );
                None
            }
        }
    }

    /// A list of strings; a single string is taken as a list of one.
    pub fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let v = self.raw(key)?;
        let items: Vec<&Json> = match v {
            Json::Array(a) => a.iter().collect(),
            Json::String(_) => vec![v],
            other => {
                self.problem(
                    &[key],
                    format!("`{key}` must be a list of strings, not {}", kind(other)),
                );
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Json::String(s) => out.push(s.clone()),
                Json::Number(n) => out.push(n.to_string()),
                other => self.problem(
                    &[key, &i.to_string()],
                    format!("`{key}` must hold strings, not {}", kind(other)),
                ),
            }
        }
        Some(out)
    }

    /// A list of globs over names.
    pub fn globs(&mut self, key: &str) -> Option<Globs> {
        let list = self.strings(key)?;
        if list.is_empty() {
            self.problem(&[key], format!("`{key}` is empty, so it matches nothing"));
            return None;
        }
        match Globs::names(&list) {
            Ok(g) => Some(g),
            Err(e) => {
                self.problem(&[key], format!("invalid glob in `{key}`: {e}"));
                None
            }
        }
    }

    /// Keys present in the policy that no getter asked for.
    pub fn unknown_keys(&self) -> Vec<&'a str> {
        self.obj
            .keys()
            .filter(|k| !self.used.contains(k.as_str()))
            .map(String::as_str)
            .collect()
    }

    pub fn known_keys(&self) -> impl Iterator<Item = &str> {
        self.used.iter().map(String::as_str)
    }
}

/// `a list`, `a number`... for messages.
pub fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}
