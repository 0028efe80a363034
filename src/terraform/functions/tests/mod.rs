//! Tests of the function library, one file per family. Expected values are Terraform's
//! documented results, worked out by hand from the documented behaviour.

use super::{FnEnv, FnError, call};
use crate::terraform::value::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

mod collection;
mod conversion;
mod datetime;
mod dispatch;
mod encoding;
mod filesystem;
mod format;
mod hash;
mod net;
mod numeric;
mod props;
mod string;
mod yaml;

/// Files from a map; templates render `${name}` from the variables, enough to see that
/// `templatefile` passes the right text and variables along.
#[derive(Default)]
pub(super) struct Env {
    pub files: HashMap<String, String>,
}

impl Env {
    pub fn with(files: &[(&str, &str)]) -> Env {
        Env {
            files: files
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

impl FnEnv for Env {
    fn read_file(&self, path: &str) -> Result<Arc<str>, String> {
        self.files
            .get(path)
            .map(|s| Arc::from(s.as_str()))
            .ok_or_else(|| "no such file in the repository".to_string())
    }

    fn render_template(
        &self,
        template: &str,
        vars: &BTreeMap<String, Value>,
    ) -> Result<Value, String> {
        let mut out = template.to_string();
        for (k, v) in vars {
            let text = v
                .to_string_lossless()
                .ok_or_else(|| format!("cannot interpolate {k}"))?;
            out = out.replace(&format!("${{{k}}}"), &text);
        }
        if out.contains("${") {
            return Err("vars map does not contain a referenced key".into());
        }
        Ok(Value::String(out))
    }
}

pub(super) fn run(name: &str, args: Vec<Value>) -> Result<Value, FnError> {
    call(name, args, &Env::default())
}

/// The value of a call that must succeed.
#[track_caller]
pub(super) fn ok(name: &str, args: Vec<Value>) -> Value {
    match run(name, args) {
        Ok(v) => v,
        Err(e) => panic!("{name} failed: {e:?}"),
    }
}

/// The message of a call that must fail.
#[track_caller]
pub(super) fn err(name: &str, args: Vec<Value>) -> String {
    match run(name, args) {
        Ok(v) => panic!("{name} succeeded with {v}"),
        Err(FnError::Invalid(m)) => m,
        Err(FnError::Unsupported) => panic!("{name} is unsupported"),
    }
}

pub(super) fn s(x: &str) -> Value {
    Value::string(x)
}

pub(super) fn n(x: f64) -> Value {
    Value::Number(x)
}

pub(super) fn b(x: bool) -> Value {
    Value::Bool(x)
}

pub(super) fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}

pub(super) fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|x| s(x)).collect())
}

pub(super) fn nums(items: &[f64]) -> Value {
    Value::List(items.iter().map(|x| n(*x)).collect())
}

pub(super) fn m(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

pub(super) fn unk() -> Value {
    Value::unknown("computed by the provider")
}
