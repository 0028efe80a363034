//! The `check` of a scorecard rule: a path into the entity or a fact, an op and a value, each
//! held to what it can be (a path that parses, a known fact, a value of the fact's type).

use super::Check;
use super::facts::{self, FactInfo, FactKind};
use super::load::unknown_key;
use super::op::Op;
use super::path::Path;
use crate::policy::fields::{Fields, Problem, kind};
use serde_json::{Map, Value as Json};

const CHECK_KEYS: &[&str] = &["path", "fact", "op", "value"];
/// Where a path starts: the entity as `{apiVersion, kind, metadata, spec}`.
const ROOT_KEYS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];
/// Fields users often write without their parent, for "did you mean `spec.owner`?".
const SPEC_FIELDS: &[&str] = &[
    "type",
    "lifecycle",
    "owner",
    "system",
    "domain",
    "providesApis",
    "consumesApis",
    "dependsOn",
];
/// The same for metadata, for "did you mean `metadata.tags`?".
const METADATA_FIELDS: &[&str] = &[
    "name",
    "namespace",
    "title",
    "description",
    "labels",
    "annotations",
    "tags",
    "links",
];

pub(super) fn check(o: &Map<String, Json>) -> (Option<Check>, Vec<Problem>) {
    let mut g = Fields::new(o);
    let path = g.string("path");
    let fact = g.string("fact");
    let value = g.raw("value");
    let op = match g.string("op") {
        None => {
            g.problem(
                &[],
                format!(
                    "a check needs an `op`: one of {}",
                    super::op::OP_NAMES.join(", ")
                ),
            );
            None
        }
        Some(name) => match Op::parse(&name, value) {
            Ok(op) => Some(op),
            Err(e) => {
                g.problem(&[e.key], e.message);
                None
            }
        },
    };
    let check = match (path, fact) {
        (Some(_), Some(_)) => {
            g.problem(&[], "a check has a `path` or a `fact`, not both");
            None
        }
        (None, None) => {
            g.problem(
                &[],
                "a check needs a `path` into the entity (`spec.owner`) or a `fact` (`policy.deny`)",
            );
            None
        }
        (Some(text), None) => match parse_path(&text) {
            Ok(path) => op.map(|op| Check::Path { path, op }),
            Err(message) => {
                g.problem(&["path"], message);
                None
            }
        },
        (None, Some(name)) => match facts::lookup(&name) {
            None => {
                let names = facts::FACTS.iter().map(|f| f.name);
                let hint = crate::stacks::closest(&name, names.clone())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                g.problem(
                    &["fact"],
                    format!(
                        "unknown fact `{name}`{hint}; known facts: {}",
                        names.collect::<Vec<_>>().join(", ")
                    ),
                );
                None
            }
            Some(info) => match op.map(|op| (fact_op_problem(info, &op), op)) {
                Some((Some((key, message)), _)) => {
                    g.problem(&[key], message);
                    None
                }
                Some((None, op)) => Some(Check::Fact { fact: info, op }),
                None => None,
            },
        },
    };
    for k in g.unknown_keys() {
        g.problem(&[k], unknown_key(k, CHECK_KEYS, "a check"));
    }
    (check, g.problems)
}

fn parse_path(text: &str) -> Result<Path, String> {
    let path = Path::parse(text).map_err(|e| {
        format!(
            "invalid path `{text}`: {e}; paths look like `spec.owner`, \
             `metadata.annotations['pagerduty.com/service-id']` or \
             `metadata.links[?title=='Runbook'].url`"
        )
    })?;
    match path.first_key() {
        Some(k) if ROOT_KEYS.contains(&k) => Ok(path),
        first => {
            let hint = match first {
                Some(k) if SPEC_FIELDS.contains(&k) => format!(" (did you mean `spec.{text}`?)"),
                Some(k) if METADATA_FIELDS.contains(&k) => {
                    format!(" (did you mean `metadata.{text}`?)")
                }
                Some(k) => crate::stacks::closest(k, ROOT_KEYS.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default(),
                None => String::new(),
            };
            Err(format!(
                "path `{text}` must start with apiVersion, kind, metadata or spec{hint}"
            ))
        }
    }
}

/// Whether an op and its value fit a fact's type; `Some((key, message))` when they do not.
fn fact_op_problem(info: &FactInfo, op: &Op) -> Option<(&'static str, String)> {
    let name = info.name;
    let ty = info.kind.as_str();
    match (info.kind, op) {
        (_, Op::Absent) => {
            return Some((
                "op",
                format!(
                    "`absent` cannot be checked on a fact: a fact that is not known makes the rule \
                     n/a; compare `{name}` with `eq` instead"
                ),
            ));
        }
        (FactKind::Number, Op::Cmp(..)) | (_, Op::Exists) => return None,
        (FactKind::Bool | FactKind::Text, Op::Cmp(..)) => {
            return Some((
                "op",
                format!("`{}` compares numbers, and `{name}` is a {ty}", op.name()),
            ));
        }
        (FactKind::Number | FactKind::Bool, Op::Matches(_) | Op::Contains(_) | Op::NotEmpty) => {
            return Some((
                "op",
                format!("`{}` works on text, and `{name}` is a {ty}", op.name()),
            ));
        }
        _ => {}
    }
    let fits = |v: &Json| match info.kind {
        FactKind::Number => v.is_number(),
        FactKind::Bool => v.is_boolean(),
        FactKind::Text => v.is_string(),
    };
    op.values().into_iter().find(|v| !fits(v)).map(|v| {
        (
            "value",
            format!(
                "`{name}` is a {ty}, so the `value` of `{}` must be a {ty}, not {}",
                op.name(),
                kind(v)
            ),
        )
    })
}
