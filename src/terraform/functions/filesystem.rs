//! Filesystem functions, through `FnEnv::read_file`: `file`, `filebase64`, `fileexists`,
//! `templatefile`; and the pure path functions `basename`, `dirname`, `abspath`,
//! `pathexpand`. The home directory and the working directory are only known where
//! Terraform runs, so paths that need them give unknown results.

use super::args::{Args, R, Stop, arg_err, call_err, go_quote};
use super::encoding::b64_encode;
use crate::terraform::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

fn home_relative(path: &str) -> bool {
    path.starts_with('~')
}

/// Reads the file named by argument 0; `~` paths are unknown.
pub(super) fn read(a: &Args) -> Result<Arc<str>, Stop> {
    let path = a.str(0)?;
    if home_relative(&path) {
        return Err(Stop::Unknown(unknown_home(&path)));
    }
    a.env
        .read_file(&path)
        .map_err(|e| Stop::Arg(0, format!("cannot read {}: {e}", go_quote(&path))))
}

fn unknown_home(path: &str) -> crate::terraform::value::Unknown {
    crate::terraform::value::Unknown {
        reason: Arc::from(format!(
            "{} is relative to the home directory, only known where Terraform runs",
            go_quote(path)
        )),
    }
}

pub(super) fn file(a: &Args) -> R {
    Ok(Value::String(read(a)?.to_string()))
}

pub(super) fn filebase64(a: &Args) -> R {
    Ok(Value::String(b64_encode(read(a)?.as_bytes())))
}

/// stackgate sees the files of the repository; one it cannot read does not exist there.
pub(super) fn fileexists(a: &Args) -> R {
    let path = a.str(0)?;
    if home_relative(&path) {
        return Err(Stop::Unknown(unknown_home(&path)));
    }
    Ok(Value::Bool(a.env.read_file(&path).is_ok()))
}

/// Go's `filepath.Clean` for `/`-separated paths.
pub(super) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

pub(super) fn basename(a: &Args) -> R {
    let path = a.str(0)?;
    if path.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(Value::string(base))
}

pub(super) fn dirname(a: &Args) -> R {
    let path = a.str(0)?;
    let dir = match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".into(),
    };
    Ok(Value::String(dir))
}

/// An absolute path is cleaned; a relative one depends on the working directory.
pub(super) fn abspath(a: &Args) -> R {
    let path = a.str(0)?;
    if path.starts_with('/') {
        return Ok(Value::String(clean(&path)));
    }
    Ok(Value::unknown(format!(
        "abspath({}) depends on the directory Terraform runs in",
        go_quote(&path)
    )))
}

pub(super) fn pathexpand(a: &Args) -> R {
    let path = a.str(0)?;
    if path == "~" || path.starts_with("~/") {
        return Err(Stop::Unknown(unknown_home(&path)));
    }
    if path.starts_with('~') {
        return call_err("cannot expand user-specific home dir");
    }
    Ok(Value::String(path))
}

fn vars<'a>(a: &'a Args<'a>) -> Result<&'a BTreeMap<String, Value>, Stop> {
    let Value::Map(vars) = a.get(1) else {
        return arg_err(1, "invalid vars value: must be a map");
    };
    for name in vars.keys() {
        if !valid_identifier(name) {
            return arg_err(
                1,
                format!(
                    "invalid template variable name {}: must start with a letter, followed by zero or more letters, digits, and underscores",
                    go_quote(name)
                ),
            );
        }
    }
    Ok(vars)
}

fn valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

pub(super) fn templatefile(a: &Args) -> R {
    let text = read(a)?;
    let vars = vars(a)?;
    a.env.render_template(&text, vars).map_err(Stop::Call)
}

/// The template is a string from elsewhere (a file read earlier, a data source).
pub(super) fn templatestring(a: &Args) -> R {
    let text = a.str(0)?;
    let vars = vars(a)?;
    a.env.render_template(&text, vars).map_err(Stop::Call)
}
