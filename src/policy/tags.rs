//! `kind: tags`: required tag keys, with allowed values or a pattern. Effective tags are what
//! Terraform would apply: the provider's `default_tags` overlaid by the resource's own `tags`
//! (including keys passed down through module inputs), so a tag set once in `default_tags`
//! satisfies the policy everywhere that provider reaches.

use super::fields::{Fields, kind};
use super::glob::Globs;
use super::{Verdict, explain::KindDoc, taggable};
use crate::terraform::resource::{Resource, Tag, TagSource};
use crate::terraform::value::Value;
use regex::Regex;
use serde_json::Value as Json;

#[derive(Debug)]
pub struct Tags {
    required: Vec<Required>,
    resource_types: Option<Globs>,
    ignore_case: bool,
}

#[derive(Debug)]
struct Required {
    key: String,
    allowed: Option<Vec<String>>,
    pattern: Option<Regex>,
}

pub const DOC: KindDoc = KindDoc {
    kind: "tags",
    summary: "required tags, with allowed values or a pattern",
    fields: &[
        (
            "required",
            "a mapping of tag key to `{}` (present and not empty), `{allowed: [..]}` or \
`{pattern: \"regex\"}`; a list of keys is short for `{}` each",
        ),
        (
            "resource_types",
            "globs of the resource types to check; default: every taggable type of the AWS, \
Azure and Google providers",
        ),
        (
            "ignore_case",
            "false (default): keys and allowed values match exactly, as AWS tag keys are case \
sensitive; true: both match ignoring case. A `pattern` is used as written (add `(?i)` to ignore \
case)",
        ),
    ],
    details: "Effective tags are the provider's `default_tags` merged with the resource's own \
`tags` (Google: `labels`), including keys a module receives through its inputs, so a tag set \
once in `default_tags` satisfies the policy for every resource of that provider. Without \
`resource_types`, only types that can carry tags are checked (a list taken from the providers' \
documentation), plus any resource that sets `tags` itself. A tag whose value cannot be \
resolved, or a `tags` argument that is unknown as a whole, yields `policy-unknown` instead of a \
violation. A `pattern` matches anywhere unless anchored (`^...$`).",
    example: "- id: required-tags\n  kind: tags\n  level: deny\n  required:\n    owner: {}\n    cost-center: { pattern: \"^CC-[0-9]{4}$\" }\n    environment: { allowed: [dev, staging, prod] }",
};

impl Tags {
    pub fn parse(f: &mut Fields) -> Option<Tags> {
        let resource_types = f.globs("resource_types");
        let ignore_case = f.bool("ignore_case").unwrap_or(false);
        let mut required = Vec::new();
        match f.raw("required") {
            None => f.problem(
                &[],
                "a tags policy needs `required`: the tag keys to require",
            ),
            Some(Json::Array(keys)) => {
                for (i, k) in keys.iter().enumerate() {
                    match k {
                        Json::String(s) if !s.is_empty() => required.push(Required {
                            key: s.clone(),
                            allowed: None,
                            pattern: None,
                        }),
                        other => f.problem(
                            &["required", &i.to_string()],
                            format!("a required tag key must be a string, not {}", kind(other)),
                        ),
                    }
                }
            }
            Some(Json::Object(map)) => {
                for (key, spec) in map {
                    if let Some(r) = parse_required(f, key, spec) {
                        required.push(r);
                    }
                }
            }
            Some(other) => f.problem(
                &["required"],
                format!(
                    "`required` must be a mapping of tag keys, not {}",
                    kind(other)
                ),
            ),
        }
        Some(Tags {
            required,
            resource_types,
            ignore_case,
        })
    }

    fn applies(&self, r: &Resource) -> bool {
        match &self.resource_types {
            Some(g) => g.is_match(&r.r#type),
            None => taggable::is_taggable(&r.r#type) || r.attr("tags").is_some(),
        }
    }

    pub fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        if !self.applies(r) {
            return;
        }
        let attr = taggable::tag_attribute(&r.r#type).unwrap_or("tags");
        // `tags = var.tags` with no value: every key the resource sets itself is unknown.
        let whole_unknown = match r.attr(attr) {
            Some(Value::Unknown(u)) => Some(u),
            _ => None,
        };
        let mut missing = Vec::new();
        for req in &self.required {
            let tag = if self.ignore_case {
                r.tags
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&req.key))
                    .map(|(_, t)| t)
            } else {
                r.tags.get(&req.key)
            };
            let Some(tag) = tag else {
                missing.push(req.key.as_str());
                continue;
            };
            out.extend(self.check_value(req, tag));
        }
        if missing.is_empty() {
            return;
        }
        let why = whole_unknown
            .map(|u| format!("`{attr}` is unknown: {}", u.reason))
            .or_else(|| r.tags_unknown.clone());
        if let Some(why) = why {
            out.push(Verdict::Unknown {
                message: format!(
                    "required tag{} {} cannot be checked: {why}",
                    if missing.len() == 1 { "" } else { "s" },
                    quoted(&missing),
                ),
            });
            return;
        }
        out.push(
            Verdict::violation(format!(
                "missing required tag{} {}",
                if missing.len() == 1 { "" } else { "s" },
                quoted(&missing)
            ))
            .with_help(format!(
                "set {} in the resource's `{attr}`{}",
                if missing.len() == 1 { "it" } else { "them" },
                if attr == "tags" && r.r#type.starts_with("aws_") {
                    ", or once for every resource in the provider's `default_tags`"
                } else {
                    ""
                }
            )),
        );
    }

    fn check_value(&self, req: &Required, tag: &Tag) -> Option<Verdict> {
        let key = &req.key;
        let text = match &tag.value {
            Value::Unknown(u) => {
                return Some(Verdict::Unknown {
                    message: format!("tag `{key}` is unknown{}: {}", from(&tag.source), u.reason),
                });
            }
            Value::Null => {
                return Some(Verdict::violation(format!(
                    "tag `{key}` is null{}",
                    from(&tag.source)
                )));
            }
            v => match v.to_string_lossless() {
                Some(s) => s,
                None => {
                    return Some(Verdict::violation(format!(
                        "tag `{key}` is {}, not a string{}",
                        v.type_name(),
                        from(&tag.source)
                    )));
                }
            },
        };
        if text.trim().is_empty() {
            return Some(Verdict::violation(format!(
                "tag `{key}` is empty{}",
                from(&tag.source)
            )));
        }
        if let Some(allowed) = &req.allowed {
            let ok = allowed.iter().any(|a| {
                if self.ignore_case {
                    a.eq_ignore_ascii_case(&text)
                } else {
                    *a == text
                }
            });
            if !ok {
                return Some(
                    Verdict::violation(format!(
                        "tag `{key}` is `{text}`{}, not one of {}",
                        from(&tag.source),
                        allowed.join(", ")
                    ))
                    .with_value(text),
                );
            }
        }
        if let Some(re) = &req.pattern {
            if !re.is_match(&text) {
                return Some(
                    Verdict::violation(format!(
                        "tag `{key}` is `{text}`{}, which does not match `{}`",
                        from(&tag.source),
                        re.as_str()
                    ))
                    .with_value(text),
                );
            }
        }
        None
    }
}

fn parse_required(f: &mut Fields, key: &str, spec: &Json) -> Option<Required> {
    let mut r = Required {
        key: key.to_string(),
        allowed: None,
        pattern: None,
    };
    if key.is_empty() {
        f.problem(&["required"], "a required tag key is empty");
        return None;
    }
    let obj = match spec {
        Json::Null => return Some(r),
        Json::Object(o) => o,
        other => {
            f.problem(
                &["required", key],
                format!(
                    "tag `{key}` must be `{{}}`, `{{allowed: [..]}}` or `{{pattern: ..}}`, not {}",
                    kind(other)
                ),
            );
            return None;
        }
    };
    let mut ok = true;
    for (k, v) in obj {
        match (k.as_str(), v) {
            ("allowed", Json::Array(items)) => {
                let mut list = Vec::new();
                for item in items {
                    match item {
                        Json::String(s) => list.push(s.clone()),
                        Json::Number(n) => list.push(n.to_string()),
                        Json::Bool(b) => list.push(b.to_string()),
                        other => {
                            ok = false;
                            f.problem(
                                &["required", key, "allowed"],
                                format!("allowed values must be strings, not {}", kind(other)),
                            );
                        }
                    }
                }
                if list.is_empty() {
                    ok = false;
                    f.problem(
                        &["required", key, "allowed"],
                        "`allowed` is empty, so no value could pass",
                    );
                }
                r.allowed = Some(list);
            }
            ("pattern", Json::String(p)) => match Regex::new(p) {
                Ok(re) => r.pattern = Some(re),
                Err(e) => {
                    ok = false;
                    f.problem(
                        &["required", key, "pattern"],
                        format!(
                            "`pattern` is not a valid regular expression: {}",
                            first_line(&e.to_string())
                        ),
                    );
                }
            },
            ("allowed" | "pattern", other) => {
                ok = false;
                f.problem(
                    &["required", key, k],
                    format!(
                        "`{k}` must be {}, not {}",
                        if k == "allowed" { "a list" } else { "a string" },
                        kind(other)
                    ),
                );
            }
            (other, _) => {
                ok = false;
                let hint = crate::stacks::closest(other, ["allowed", "pattern"])
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                f.problem(
                    &["required", key, other],
                    format!("unknown key `{other}` for tag `{key}`{hint}; known: allowed, pattern"),
                );
            }
        }
    }
    ok.then_some(r)
}

/// ` (from default_tags of provider aws at providers.tf:3)` — where a tag came from, so the
/// fix lands in the right file.
fn from(source: &TagSource) -> String {
    match source {
        TagSource::Resource { .. } => String::new(),
        TagSource::ModuleInput { module, file, line } => {
            format!(" (passed in by {module} at {file}:{line})")
        }
        TagSource::ProviderDefault {
            provider,
            file,
            line,
        } => format!(" (from default_tags of provider {provider} at {file}:{line})"),
    }
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}
