//! String functions: `upper`, `substr`, `split`, `join`, `regex`, `replace`, …

use super::args::{Args, R, Stop, arg_err, call_err};
use super::graphemes;
use super::re;
use crate::terraform::value::Value;
use std::collections::BTreeMap;

/// Indentation beyond this is certainly a mistake, and would only burn memory.
const MAX_INDENT: i64 = 10_000;
/// Results are built in memory; configuration never needs strings this long.
const MAX_OUTPUT: usize = 16 << 20;

fn too_long(size: usize) -> Result<(), Stop> {
    if size > MAX_OUTPUT {
        return call_err(format!(
            "the result would be {size} bytes long, more than stackgate builds"
        ));
    }
    Ok(())
}

pub(super) fn chomp(a: &Args) -> R {
    let s = a.str(0)?;
    Ok(Value::String(s.trim_end_matches(['\r', '\n']).to_string()))
}

pub(super) fn endswith(a: &Args) -> R {
    Ok(Value::Bool(a.str(0)?.ends_with(&a.str(1)?)))
}

/// Knows the answer for an empty prefix even when the string is unknown.
pub(super) fn startswith(a: &Args) -> R {
    let prefix = a.str(1)?;
    if a.get(0).is_unknown() && prefix.is_empty() {
        return Ok(Value::Bool(true));
    }
    Ok(Value::Bool(a.str(0)?.starts_with(&prefix)))
}

pub(super) fn strcontains(a: &Args) -> R {
    Ok(Value::Bool(a.str(0)?.contains(&a.str(1)?)))
}

pub(super) fn indent(a: &Args) -> R {
    let spaces = a.int(0)?;
    let s = a.str(1)?;
    if spaces < 0 {
        return arg_err(0, "must not be negative");
    }
    if spaces > MAX_INDENT {
        return arg_err(0, format!("must be at most {MAX_INDENT}"));
    }
    too_long(s.len() + s.matches('\n').count().saturating_mul(spaces as usize))?;
    let pad = " ".repeat(spaces as usize);
    Ok(Value::String(s.replace('\n', &format!("\n{pad}"))))
}

pub(super) fn join(a: &Args) -> R {
    let sep = a.str(0)?;
    let lists = a.rest(1);
    if lists.is_empty() {
        return call_err("at least one list is required");
    }
    for l in lists {
        super::args::known(l)?;
    }
    let mut items = Vec::new();
    for (ai, _) in lists.iter().enumerate() {
        let list = a.list(ai + 1, "list of string")?;
        for (ei, v) in list.iter().enumerate() {
            if matches!(v, Value::Null) {
                let msg = if lists.len() > 1 {
                    format!(
                        "element {ei} of list {} is null; cannot concatenate null values",
                        ai + 1
                    )
                } else {
                    format!("element {ei} is null; cannot concatenate null values")
                };
                return arg_err(ai + 1, msg);
            }
        }
        items.extend(a.str_list(ai + 1)?);
    }
    Ok(Value::String(items.join(&sep)))
}

/// Go's simple case mapping: one character in, one out (`ß` stays `ß`).
fn map_chars(s: &str, f: impl Fn(char) -> Option<char>) -> String {
    s.chars().map(|c| f(c).unwrap_or(c)).collect()
}

fn single<I: Iterator<Item = char>>(mut it: I) -> Option<char> {
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

pub(super) fn upper(a: &Args) -> R {
    Ok(Value::String(map_chars(&a.str(0)?, |c| {
        single(c.to_uppercase())
    })))
}

pub(super) fn lower(a: &Args) -> R {
    Ok(Value::String(map_chars(&a.str(0)?, |c| {
        if c == '\u{130}' {
            return Some('i');
        }
        single(c.to_lowercase())
    })))
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
pub(super) fn title(a: &Args) -> R {
    let s = a.str(0)?;
    let mut prev = ' ';
    let out = s
        .chars()
        .map(|c| {
            let out = if is_separator(prev) {
                single(c.to_uppercase()).unwrap_or(c)
            } else {
                c
            };
            prev = c;
            out
        })
        .collect();
    Ok(Value::String(out))
}

fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

pub(super) fn trimspace(a: &Args) -> R {
    Ok(Value::String(a.str(0)?.trim().to_string()))
}

pub(super) fn trim(a: &Args) -> R {
    let s = a.str(0)?;
    let cutset = a.str(1)?;
    Ok(Value::String(
        s.trim_matches(|c| cutset.contains(c)).to_string(),
    ))
}

pub(super) fn trimprefix(a: &Args) -> R {
    let s = a.str(0)?;
    let p = a.str(1)?;
    Ok(Value::String(
        s.strip_prefix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

pub(super) fn trimsuffix(a: &Args) -> R {
    let s = a.str(0)?;
    let p = a.str(1)?;
    Ok(Value::String(
        s.strip_suffix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

/// Go's `strings.Split`: an empty separator splits between characters.
pub(super) fn split(a: &Args) -> R {
    let sep = a.str(0)?;
    let s = a.str(1)?;
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep.as_str()).map(Value::string).collect()
    };
    Ok(Value::List(parts))
}

pub(super) fn strrev(a: &Args) -> R {
    let s = a.str(0)?;
    Ok(Value::String(
        graphemes::clusters(&s).into_iter().rev().collect(),
    ))
}

/// cty's `substr`, quirks included: a negative offset counts from the end, a negative length
/// means "to the end", and an offset past the end gives "".
pub(super) fn substr(a: &Args) -> R {
    let s = a.str(0)?;
    let mut offset = a.int(1)?;
    let length = a.int(2)?;
    let clusters = graphemes::clusters(&s);
    let total = clusters.len() as i64;
    if offset < 0 {
        offset = offset.saturating_add(total);
    } else if length == 0 {
        return Ok(Value::string(""));
    }
    let skip = offset.max(0);
    if skip >= total && offset > 0 {
        return Ok(Value::string(""));
    }
    let rest = clusters.get(skip.min(total) as usize..).unwrap_or(&[]);
    // A zero length after a negative offset takes the rest, as cty's loop does.
    let take = if length <= 0 {
        rest.len()
    } else {
        (length as usize).min(rest.len())
    };
    Ok(Value::String(rest.iter().take(take).copied().collect()))
}

pub(super) fn replace(a: &Args) -> R {
    let s = a.str(0)?;
    let sub = a.str(1)?;
    let with = a.str(2)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let pattern = &sub[1..sub.len() - 1];
        let re =
            re::compile(pattern).map_err(|e| Stop::Call(format!("error parsing regexp: {e}")))?;
        too_long(s.len() + re.find_iter(&s).count().saturating_mul(with.len()))?;
        return Ok(Value::String(
            re.replace_all(&s, with.as_str()).into_owned(),
        ));
    }
    // An empty `substr` matches around every character, as in Go.
    let hits = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(sub.as_str()).count()
    };
    too_long(s.len() + hits.saturating_mul(with.len()))?;
    Ok(Value::String(s.replace(sub.as_str(), &with)))
}

/// What a pattern's matches look like: the match, a list of groups, or a map of named groups.
enum Shape {
    Whole,
    Groups,
    Named(Vec<Option<String>>),
}

fn shape(re: &regex::Regex) -> Result<Shape, Stop> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    match (named, names.len() - named) {
        (0, 0) => Ok(Shape::Whole),
        (0, _) => Ok(Shape::Groups),
        (_, 0) => Ok(Shape::Named(
            names.iter().map(|n| n.map(str::to_string)).collect(),
        )),
        _ => arg_err(
            0,
            "invalid regexp pattern: cannot mix both named and unnamed capture groups",
        ),
    }
}

fn compile(a: &Args) -> Result<regex::Regex, Stop> {
    let pattern = a.str(0)?;
    re::compile(&pattern).map_err(|e| Stop::Arg(0, format!("invalid regexp pattern: {e}")))
}

fn result(shape: &Shape, caps: &regex::Captures) -> Value {
    let text = |i: usize| {
        caps.get(i)
            .map_or(Value::Null, |m| Value::string(m.as_str()))
    };
    match shape {
        Shape::Whole => text(0),
        Shape::Groups => Value::List((1..caps.len()).map(text).collect()),
        Shape::Named(names) => {
            let mut m = BTreeMap::new();
            for (i, n) in names.iter().enumerate() {
                if let Some(n) = n {
                    m.insert(n.clone(), text(i + 1));
                }
            }
            Value::Map(m)
        }
    }
}

pub(super) fn regex(a: &Args) -> R {
    let re = compile(a)?;
    let shape = shape(&re)?;
    let s = a.str(1)?;
    match re.captures(&s) {
        Some(caps) => Ok(result(&shape, &caps)),
        None => call_err("pattern did not match any part of the given string"),
    }
}

pub(super) fn regexall(a: &Args) -> R {
    let re = compile(a)?;
    let shape = shape(&re)?;
    let s = a.str(1)?;
    Ok(Value::List(
        re.captures_iter(&s).map(|c| result(&shape, &c)).collect(),
    ))
}
