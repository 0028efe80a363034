//! Policy files → [`PolicySet`]. Every mistake is a finding on the offending key's line; a broken
//! policy or waiver is dropped and the rest still run.

use super::fields::{Fields, Problem, kind};
use super::scope::Scope;
use super::waiver::{Waiver, WaiverTarget};
use super::{Kind, Policy, PolicySet, Rule, SuppressionKind};
use super::{attribute, cost, date::Date, instance_type, region, resource_type, tags};
use crate::finding::{Finding, Level};
use crate::source::Texts;
use crate::yaml::{self, Doc, Seg};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

const TOP_KEYS: &[&str] = &["version", "policies", "waivers"];
const WAIVER_KEYS: &[&str] = &["policy", "resource", "project", "reason", "expires"];

/// Reads every policy file. Files are taken in path order, so the first definition of a
/// duplicated id wins deterministically.
pub fn load(files: &[String], texts: &Texts) -> (PolicySet, Vec<Finding>) {
    let mut set = PolicySet::default();
    let mut findings = Vec::new();
    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    files.dedup();
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for file in files {
        let Some(text) = texts.get(file.as_str()) else {
            continue;
        };
        let (docs, err) = yaml::parse_stream(text);
        if let Some(e) = err {
            findings.push(
                Finding::new(
                    "parse-error",
                    file.as_str(),
                    e.pos.line,
                    format!("invalid YAML: {}", e.message),
                )
                .column(e.pos.column),
            );
        }
        for doc in &docs {
            load_doc(file, doc, &mut set, &mut seen, &mut findings);
        }
    }
    // A waiver must name a policy that exists, or it hides nothing and misleads readers.
    let ids: std::collections::BTreeSet<&str> =
        set.policies.iter().map(|p| p.id.as_str()).collect();
    let mut kept = Vec::new();
    for w in std::mem::take(&mut set.waivers) {
        if ids.contains(w.policy.as_str()) {
            kept.push(w);
        } else {
            let hint = crate::stacks::closest(&w.policy, ids.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    "waiver-invalid",
                    w.file.as_str(),
                    w.line,
                    format!(
                        "waiver names policy `{}`, which no policy file defines{hint}",
                        w.policy
                    ),
                )
                .policy(w.policy.clone()),
            );
        }
    }
    set.waivers = kept;
    (set, findings)
}

fn load_doc(
    file: &str,
    doc: &Doc,
    set: &mut PolicySet,
    seen: &mut BTreeMap<String, (String, usize)>,
    findings: &mut Vec<Finding>,
) {
    let json = yaml::to_json(&doc.value);
    let invalid =
        |path: &[Seg], msg: String| Finding::new("policy-invalid", file, doc.line(path), msg);
    let obj = match &json {
        Json::Null => return,
        Json::Object(o) => o,
        other => {
            findings.push(invalid(
                &[],
                format!(
                    "a policy file is a mapping with `version`, `policies` and `waivers`, not {}",
                    kind(other)
                ),
            ));
            return;
        }
    };
    for k in obj.keys() {
        if !TOP_KEYS.contains(&k.as_str()) {
            findings.push(invalid(
                &[k.as_str().into()],
                unknown_key(k, TOP_KEYS, "a policy file"),
            ));
        }
    }
    match obj.get("version") {
        None | Some(Json::Null) => {}
        Some(Json::Number(n)) if n.as_f64() == Some(1.0) => {}
        Some(Json::String(s)) if s == "1" => {}
        Some(other) => findings.push(invalid(
            &["version".into()],
            format!("unsupported policy file version {other}; this stackgate reads version 1"),
        )),
    }
    match obj.get("policies") {
        None | Some(Json::Null) => {}
        Some(Json::Array(list)) => {
            for (i, p) in list.iter().enumerate() {
                let base = [Seg::Key("policies".into()), Seg::Index(i)];
                let Json::Object(p) = p else {
                    findings.push(invalid(
                        &base,
                        format!("a policy is a mapping, not {}", kind(p)),
                    ));
                    continue;
                };
                let (policy, problems) = parse_policy(file, doc.line(&base), p);
                let id = p.get("id").and_then(Json::as_str).map(str::to_string);
                let bad = !problems.is_empty();
                for pr in problems {
                    findings.push(problem_finding(
                        "policy-invalid",
                        file,
                        doc,
                        &base,
                        &pr,
                        id.as_deref(),
                    ));
                }
                let Some(policy) = policy.filter(|_| !bad) else {
                    continue;
                };
                if let Some((f, l)) = seen.get(&policy.id) {
                    findings.push(
                        invalid(
                            &[base[0].clone(), base[1].clone(), "id".into()],
                            format!(
                                "policy id `{}` is already defined at {f}:{l}; this one is ignored",
                                policy.id
                            ),
                        )
                        .policy(policy.id.clone()),
                    );
                    continue;
                }
                seen.insert(policy.id.clone(), (file.to_string(), policy.line));
                set.policies.push(policy);
            }
        }
        Some(other) => findings.push(invalid(
            &["policies".into()],
            format!("`policies` must be a list, not {}", kind(other)),
        )),
    }
    match obj.get("waivers") {
        None | Some(Json::Null) => {}
        Some(Json::Array(list)) => {
            for (i, w) in list.iter().enumerate() {
                let base = [Seg::Key("waivers".into()), Seg::Index(i)];
                let Json::Object(w) = w else {
                    findings.push(Finding::new(
                        "waiver-invalid",
                        file,
                        doc.line(&base),
                        format!("a waiver is a mapping, not {}", kind(w)),
                    ));
                    continue;
                };
                match parse_waiver(file, doc.line(&base), w) {
                    Ok(w) => set.waivers.push(w),
                    Err(problems) => {
                        for pr in problems {
                            findings.push(problem_finding(
                                "waiver-invalid",
                                file,
                                doc,
                                &base,
                                &pr,
                                None,
                            ));
                        }
                    }
                }
            }
        }
        Some(other) => findings.push(invalid(
            &["waivers".into()],
            format!("`waivers` must be a list, not {}", kind(other)),
        )),
    }
}

fn problem_finding(
    code: &'static str,
    file: &str,
    doc: &Doc,
    base: &[Seg],
    p: &Problem,
    policy: Option<&str>,
) -> Finding {
    let mut path = base.to_vec();
    for k in &p.key {
        path.push(match k.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(k.clone()),
        });
    }
    let mut f = Finding::new(code, file, doc.line(&path), p.message.clone());
    if let Some(id) = policy {
        f = f.policy(id);
    }
    f
}

fn parse_policy(
    file: &str,
    line: usize,
    obj: &Map<String, Json>,
) -> (Option<Policy>, Vec<Problem>) {
    let mut f = Fields::new(obj);
    let id = f.string("id");
    match &id {
        None => f.problem(&[], "a policy needs an `id`"),
        Some(id) if !valid_id(id) => f.problem(
            &["id"],
            format!("policy id `{id}` must be letters, digits, `-`, `_` or `.`, starting with a letter or digit"),
        ),
        _ => {}
    }
    let kind = match f.string("kind") {
        None => {
            f.problem(&[], "a policy needs a `kind`: region, instance-type, tags, cost, attribute or resource-type");
            None
        }
        Some(k) => match Kind::parse(&k) {
            Some(kind) => Some(kind),
            None => {
                let names = Kind::ALL.map(Kind::as_str);
                let hint = crate::stacks::closest(&k, names)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                f.problem(
                    &["kind"],
                    format!(
                        "unknown policy kind `{k}`{hint}; built-in kinds: {}",
                        names.join(", ")
                    ),
                );
                None
            }
        },
    };
    let level = match f.string("level") {
        None => Level::Deny,
        Some(l) => match l.as_str() {
            "deny" | "warn" | "info" => Level::parse(&l).unwrap_or(Level::Deny),
            _ => {
                f.problem(
                    &["level"],
                    format!("unknown level `{l}`; use deny, warn or info"),
                );
                Level::Deny
            }
        },
    };
    let on_unknown = match f.string("on_unknown") {
        None => Some(Level::Warn),
        Some(l) => match l.as_str() {
            "ignore" => None,
            "deny" | "warn" | "info" => Level::parse(&l),
            _ => {
                f.problem(
                    &["on_unknown"],
                    format!("unknown `on_unknown` value `{l}`; use warn, deny, info or ignore"),
                );
                Some(Level::Warn)
            }
        },
    };
    let description = f.string("description").filter(|d| !d.trim().is_empty());
    let scope = Scope::parse(&mut f);
    let rule = kind.and_then(|k| match k {
        Kind::Region => region::Region::parse(&mut f).map(Rule::Region),
        Kind::InstanceType => instance_type::InstanceType::parse(&mut f).map(Rule::InstanceType),
        Kind::Tags => tags::Tags::parse(&mut f).map(Rule::Tags),
        Kind::Cost => cost::Cost::parse(&mut f).map(Rule::Cost),
        Kind::Attribute => attribute::Attribute::parse(&mut f).map(Rule::Attribute),
        Kind::ResourceType => resource_type::ResourceType::parse(&mut f).map(Rule::ResourceType),
    });
    // Unknown keys are reported only once the kind is known: its fields count as known.
    if kind.is_some() {
        let known: Vec<String> = f.known_keys().map(str::to_string).collect();
        for k in f.unknown_keys() {
            let hint = crate::stacks::closest(k, known.iter().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            let msg = format!(
                "unknown key `{k}` for a {} policy{hint}; known: {}",
                kind.map_or("", Kind::as_str),
                known.join(", ")
            );
            f.problem(&[k], msg);
        }
    }
    let problems = std::mem::take(&mut f.problems);
    let policy = match (id, kind, rule) {
        (Some(id), Some(kind), Some(rule)) => Some(Policy {
            id,
            kind,
            level,
            description,
            on_unknown,
            scope,
            file: file.to_string(),
            line,
            rule,
            source: Json::Object(obj.clone()),
        }),
        _ => None,
    };
    (policy, problems)
}

fn parse_waiver(file: &str, line: usize, obj: &Map<String, Json>) -> Result<Waiver, Vec<Problem>> {
    let mut f = Fields::new(obj);
    let policy = f.string("policy");
    if policy.is_none() {
        f.problem(
            &[],
            "a waiver needs `policy`: the id of the policy it waives",
        );
    }
    let pattern = |f: &mut Fields, key: &str, path: bool| {
        f.string(key)
            .and_then(|p| match super::glob::single(&p, path) {
                Ok(re) => Some((p, re)),
                Err(e) => {
                    f.problem(&[key], format!("invalid glob in `{key}`: {e}"));
                    None
                }
            })
    };
    let resource = pattern(&mut f, "resource", false);
    let project = pattern(&mut f, "project", true);
    if resource.is_none() && project.is_none() && f.problems.is_empty() {
        f.problem(
            &[],
            "a waiver needs `resource` (a resource address glob), `project` (a project path glob) or both",
        );
    }
    let reason = f.string("reason").filter(|r| !r.trim().is_empty());
    if reason.is_none() {
        f.problem(
            &[],
            "a waiver without a `reason` is refused: say why the violation is acceptable",
        );
    }
    let expires = f
        .string("expires")
        .and_then(|s| match Date::parse(s.trim()) {
            Some(d) => Some(d),
            None => {
                f.problem(
                    &["expires"],
                    format!("`expires` must be a date as YYYY-MM-DD, not `{s}`"),
                );
                None
            }
        });
    for k in f.unknown_keys() {
        let msg = unknown_key(k, WAIVER_KEYS, "a waiver");
        f.problem(&[k], msg);
    }
    if !f.problems.is_empty() {
        return Err(f.problems);
    }
    match (policy, reason) {
        (Some(policy), Some(reason)) => Ok(Waiver {
            policy,
            target: WaiverTarget::Pattern { resource, project },
            reason,
            expires,
            file: file.to_string(),
            line,
            kind: SuppressionKind::External,
        }),
        _ => Err(Vec::new()),
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn unknown_key(k: &str, known: &[&str], what: &str) -> String {
    let hint = crate::stacks::closest(k, known.iter().copied())
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    format!(
        "unknown key `{k}` in {what}{hint}; known: {}",
        known.join(", ")
    )
}
