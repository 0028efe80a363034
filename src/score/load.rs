//! Scorecard files → [`Scorecard`]s. Every mistake is a finding on the offending key's line; a
//! scorecard with a mistake is not evaluated (a partial one would award levels it should not),
//! and the other scorecards and files still load.

use super::load_check::check;
use super::{AppliesTo, LevelDef, Rule, Scorecard};
use crate::finding::{self, Finding};
use crate::policy::fields::{Fields, Problem, kind};
use crate::source::Texts;
use crate::yaml::{self, Doc, Seg};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, HashMap};

const CARD_KEYS: &[&str] = &["scorecard", "description", "applies_to", "levels", "rules"];
const RULE_KEYS: &[&str] = &[
    "id",
    "level",
    "description",
    "weight",
    "fix",
    "applies_to",
    "check",
];
const LEVEL_KEYS: &[&str] = &["name", "rank"];
const APPLIES_KEYS: &[&str] = &["kinds", "types", "lifecycles", "tags", "namespaces"];
/// Reads every scorecard file. Files are taken in path order, so the first definition of a
/// duplicated scorecard id wins deterministically.
pub fn load(files: &[String], texts: &Texts) -> (Vec<Scorecard>, Vec<Finding>) {
    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    files.dedup();
    let mut cards = Vec::new();
    let mut findings = Vec::new();
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for file in files {
        let Some(text) = texts.get(file.as_str()) else {
            continue;
        };
        let (docs, error) = yaml::parse_stream(text);
        let mut described = 0;
        for doc in docs.iter().filter(|d| !d.value.is_null()) {
            described += 1;
            for card in load_doc(file, doc, &mut findings) {
                if let Some((f, l)) = seen.get(&card.id) {
                    findings.push(invalid(
                        file,
                        card.line,
                        format!(
                            "scorecard `{}` is already defined at {f}:{l}; this one is ignored",
                            card.id
                        ),
                    ));
                    continue;
                }
                seen.insert(card.id.clone(), (card.file.clone(), card.line));
                cards.push(card);
            }
        }
        match error {
            Some(e) => findings.push(
                Finding::new(
                    "parse-error",
                    file.as_str(),
                    e.pos.line,
                    format!("invalid YAML: {}", e.message),
                )
                .column(e.pos.column)
                .help("fix the YAML syntax; the scorecards after this point are not read"),
            ),
            None if described == 0 => findings.push(
                Finding::new(
                    "empty-file",
                    file.as_str(),
                    1,
                    "the scorecard file is empty",
                )
                .help("add a scorecard (`scorecard`, `levels`, `rules`) or delete the file"),
            ),
            None => {}
        }
    }
    finding::normalize(&mut findings);
    (cards, findings)
}

/// A `scorecard-invalid` finding. Built here rather than with `Finding::new` so the level comes
/// from this module's own code list.
fn invalid(file: &str, line: usize, message: String) -> Finding {
    let code = &super::CODES[0];
    Finding {
        code: code.code,
        policy: None,
        level: code.level,
        message,
        file: file.to_string(),
        line: line.max(1),
        column: None,
        resource: None,
        help: None,
        suppression: None,
    }
}

fn load_doc(file: &str, doc: &Doc, findings: &mut Vec<Finding>) -> Vec<Scorecard> {
    let json = yaml::to_json(&doc.value);
    let Json::Object(obj) = &json else {
        findings.push(invalid(
            file,
            doc.line(&[]),
            format!(
                "a scorecard file is a mapping with `scorecard` (one scorecard) or `scorecards` \
                 (a list), not {}",
                kind(&json)
            ),
        ));
        return Vec::new();
    };
    let Some(list) = obj.get("scorecards") else {
        return load_card(file, doc, &[], obj, findings)
            .into_iter()
            .collect();
    };
    for k in obj.keys().filter(|k| *k != "scorecards") {
        let message = if k == "scorecard" {
            "a file holds one scorecard (`scorecard`) or a list (`scorecards`), not both; move \
             this one into the list"
                .to_string()
        } else {
            unknown_key(k, &["scorecards"], "a file with a `scorecards` list")
        };
        findings.push(invalid(file, doc.line(&[k.as_str().into()]), message));
    }
    let Json::Array(items) = list else {
        findings.push(invalid(
            file,
            doc.line(&["scorecards".into()]),
            format!("`scorecards` must be a list, not {}", kind(list)),
        ));
        return Vec::new();
    };
    let mut cards = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let base = [Seg::Key("scorecards".into()), Seg::Index(i)];
        match item {
            Json::Object(o) => cards.extend(load_card(file, doc, &base, o, findings)),
            other => findings.push(invalid(
                file,
                doc.line(&base),
                format!("a scorecard is a mapping, not {}", kind(other)),
            )),
        }
    }
    cards
}

fn load_card(
    file: &str,
    doc: &Doc,
    base: &[Seg],
    obj: &Map<String, Json>,
    findings: &mut Vec<Finding>,
) -> Option<Scorecard> {
    let at = |key: &[Seg]| doc.line(&[base, key].concat());
    let mut f = Fields::new(obj);
    let id = f.string("scorecard");
    match &id {
        None => f.problem(
            &[],
            "a scorecard needs an id: `scorecard: production-readiness`",
        ),
        Some(id) if !valid_id(id) => f.problem(&["scorecard"], bad_id("scorecard", id)),
        _ => {}
    }
    let description = f.string("description");
    let applies_to = applies(&mut f);
    let levels = levels(&mut f);
    let rules = rules(&mut f, &levels, |i| at(&["rules".into(), Seg::Index(i)]));
    for k in f.unknown_keys() {
        f.problem(&[k], unknown_key(k, CARD_KEYS, "a scorecard"));
    }
    if !f.problems.is_empty() {
        for p in &f.problems {
            let path: Vec<Seg> = p
                .key
                .iter()
                .map(|k| k.parse::<usize>().map_or(Seg::Key(k.clone()), Seg::Index))
                .collect();
            findings.push(invalid(file, at(&path), p.message.clone()));
        }
        return None;
    }
    Some(Scorecard {
        id: id?,
        description,
        applies_to,
        levels,
        rules,
        file: file.to_string(),
        line: at(&["scorecard".into()]),
    })
}

/// Moves a nested object's problems to its parent, under `prefix`, each message prefixed with
/// `context` (`rule `has-owner`: `).
fn nest(parent: &mut Fields, prefix: &[&str], context: &str, problems: Vec<Problem>) {
    for p in problems {
        parent.problems.push(Problem {
            key: prefix.iter().map(|k| k.to_string()).chain(p.key).collect(),
            message: format!("{context}{}", p.message),
        });
    }
}

fn applies(f: &mut Fields) -> AppliesTo {
    let Some(raw) = f.raw("applies_to") else {
        return AppliesTo::default();
    };
    let Json::Object(o) = raw else {
        f.problem(
            &["applies_to"],
            format!(
                "`applies_to` must be a mapping like `{{ kinds: [Component], types: [service] }}`, \
                 not {}",
                kind(raw)
            ),
        );
        return AppliesTo::default();
    };
    let mut g = Fields::new(o);
    let mut list = |key: &str| {
        let items = g.strings(key).unwrap_or_default();
        if items.is_empty() && o.get(key).is_some_and(|v| !v.is_null()) {
            g.problem(
                &[key],
                format!("`{key}` is empty, so nothing matches; remove it to match every one"),
            );
        }
        items
    };
    let out = AppliesTo {
        kinds: list("kinds"),
        types: list("types"),
        lifecycles: list("lifecycles"),
        tags: list("tags"),
        namespaces: list("namespaces"),
    };
    for k in g.unknown_keys() {
        g.problem(&[k], unknown_key(k, APPLIES_KEYS, "`applies_to`"));
    }
    nest(f, &["applies_to"], "", g.problems);
    out
}

fn levels(f: &mut Fields) -> Vec<LevelDef> {
    let items = match f.raw("levels") {
        None => {
            f.problem(
                &[],
                "a scorecard needs `levels`: [{ name: bronze, rank: 1 }, { name: silver, rank: 2 }]",
            );
            return Vec::new();
        }
        Some(Json::Array(items)) if items.is_empty() => {
            f.problem(
                &["levels"],
                "`levels` is empty; a scorecard needs at least one",
            );
            return Vec::new();
        }
        Some(Json::Array(items)) => items,
        Some(other) => {
            f.problem(
                &["levels"],
                format!("`levels` must be a list, not {}", kind(other)),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<LevelDef> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let idx = i.to_string();
        let here = ["levels", idx.as_str()];
        let implied = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (name, rank, rank_given) = match item {
            // `levels: [bronze, silver, gold]`: ranks follow the order.
            Json::String(s) => (Some(s.clone()), Some(implied), false),
            Json::Object(o) => {
                let mut g = Fields::new(o);
                let name = g.string("name");
                if name.is_none() {
                    g.problem(&[], "a level needs a `name`");
                }
                let rank = match g.raw("rank") {
                    None => Some(implied),
                    Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                        Some(n) if n >= 1 => Some(n),
                        _ => {
                            g.problem(
                                &["rank"],
                                format!("`rank` must be a whole number from 1 up, not {v}"),
                            );
                            None
                        }
                    },
                };
                for k in g.unknown_keys() {
                    g.problem(&[k], unknown_key(k, LEVEL_KEYS, "a level"));
                }
                let given = o.contains_key("rank");
                nest(f, &here, "", g.problems);
                (name, rank, given)
            }
            other => {
                f.problem(
                    &here,
                    format!(
                        "a level is a mapping `{{ name: bronze, rank: 1 }}`, not {}",
                        kind(other)
                    ),
                );
                (None, None, false)
            }
        };
        let (Some(name), Some(rank)) = (name, rank) else {
            continue;
        };
        if out.iter().any(|l| l.name == name) {
            let message = format!("level `{name}` is defined twice");
            if item.is_string() {
                f.problem(&here, message);
            } else {
                f.problem(&[here[0], here[1], "name"], message);
            }
        } else if let Some(other) = out.iter().find(|l| l.rank == rank) {
            let message = format!(
                "levels `{}` and `{name}` both have rank {rank}; ranks order the levels, so each \
                 must be unique",
                other.name
            );
            if rank_given {
                f.problem(&[here[0], here[1], "rank"], message);
            } else {
                f.problem(&here, message);
            }
        } else {
            out.push(LevelDef { name, rank });
        }
    }
    out.sort_by_key(|l| l.rank);
    out
}

fn rules(f: &mut Fields, levels: &[LevelDef], line_of: impl Fn(usize) -> usize) -> Vec<Rule> {
    let items = match f.raw("rules") {
        None => {
            f.problem(&[], "a scorecard needs `rules`");
            return Vec::new();
        }
        Some(Json::Array(items)) if items.is_empty() => {
            f.problem(
                &["rules"],
                "`rules` is empty; a scorecard needs at least one rule",
            );
            return Vec::new();
        }
        Some(Json::Array(items)) => items,
        Some(other) => {
            f.problem(
                &["rules"],
                format!("`rules` must be a list, not {}", kind(other)),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let idx = i.to_string();
        let here = ["rules", idx.as_str()];
        let Json::Object(o) = item else {
            f.problem(
                &here,
                format!(
                    "a rule is a mapping with `id`, `level` and `check`, not {}",
                    kind(item)
                ),
            );
            continue;
        };
        let line = line_of(i);
        let (rule, problems) = rule(o, levels, line);
        let context = match o.get("id").and_then(Json::as_str) {
            Some(id) => format!("rule `{id}`: "),
            None => String::new(),
        };
        nest(f, &here, &context, problems);
        let Some(rule) = rule else {
            continue;
        };
        if let Some(first) = ids.get(&rule.id) {
            f.problem(
                &[here[0], here[1], "id"],
                format!(
                    "rule id `{}` is used twice in this scorecard (first at line {first})",
                    rule.id
                ),
            );
            continue;
        }
        ids.insert(rule.id.clone(), line);
        out.push(rule);
    }
    out
}

fn rule(o: &Map<String, Json>, levels: &[LevelDef], line: usize) -> (Option<Rule>, Vec<Problem>) {
    let mut g = Fields::new(o);
    let names: Vec<&str> = levels.iter().map(|l| l.name.as_str()).collect();
    let id = g.string("id");
    match &id {
        None => g.problem(&[], "a rule needs an `id`"),
        Some(id) if !valid_id(id) => g.problem(&["id"], bad_id("rule", id)),
        _ => {}
    }
    let level = g.string("level");
    let rank = match &level {
        None => {
            g.problem(
                &[],
                format!("a rule needs a `level`: one of {}", names.join(", ")),
            );
            None
        }
        Some(l) => {
            let rank = levels.iter().find(|d| &d.name == l).map(|d| d.rank);
            // Without levels the scorecard already has a finding; one per rule would be noise.
            if rank.is_none() && !levels.is_empty() {
                let hint = crate::stacks::closest(l, names.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                g.problem(
                    &["level"],
                    format!(
                        "unknown level `{l}`{hint}; this scorecard's levels: {}",
                        names.join(", ")
                    ),
                );
            }
            rank
        }
    };
    let description = g.string("description");
    let fix = g.string("fix");
    let weight = match g.number("weight") {
        None => 1.0,
        Some(w) if w.is_finite() && w >= 0.0 => w,
        Some(w) => {
            g.problem(
                &["weight"],
                format!("`weight` must be a number of at least 0, not {w}"),
            );
            1.0
        }
    };
    let applies_to = applies(&mut g);
    let check = match g.raw("check") {
        None => {
            g.problem(
                &[],
                "a rule needs a `check`, like `{ path: spec.owner, op: exists }` or \
                 `{ fact: policy.deny, op: eq, value: 0 }`",
            );
            None
        }
        Some(Json::Object(c)) => {
            let (check, problems) = check(c);
            nest(&mut g, &["check"], "", problems);
            check
        }
        Some(other) => {
            g.problem(
                &["check"],
                format!("`check` must be a mapping, not {}", kind(other)),
            );
            None
        }
    };
    for k in g.unknown_keys() {
        g.problem(&[k], unknown_key(k, RULE_KEYS, "a rule"));
    }
    let problems = std::mem::take(&mut g.problems);
    let rule = match (id, level, rank, check) {
        (Some(id), Some(level), Some(rank), Some(check)) if problems.is_empty() => Some(Rule {
            id,
            level,
            rank,
            description,
            weight,
            fix,
            applies_to,
            check,
            line,
        }),
        _ => None,
    };
    (rule, problems)
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn bad_id(what: &str, id: &str) -> String {
    format!(
        "{what} id `{id}` must be letters, digits, `-`, `_` or `.`, starting with a letter or digit"
    )
}

pub(super) fn unknown_key(k: &str, known: &[&str], what: &str) -> String {
    let hint = crate::stacks::closest(k, known.iter().copied())
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    format!(
        "unknown key `{k}` in {what}{hint}; known: {}",
        known.join(", ")
    )
}
