//! `stackgate explain <kind>` and `stackgate explain <policy-id>`: the documentation of a rule
//! kind, or of one configured policy with the kind's documentation beneath it.

use super::PolicySet;
use std::fmt::Write;

/// The documentation every rule kind file provides, in the same shape.
#[derive(Debug, Clone, Copy)]
pub struct KindDoc {
    pub kind: &'static str,
    pub summary: &'static str,
    /// Kind-specific fields: name, meaning.
    pub fields: &'static [(&'static str, &'static str)],
    pub details: &'static str,
    pub example: &'static str,
}

pub const KIND_DOCS: &[KindDoc] = &[
    super::region::DOC,
    super::instance_type::DOC,
    super::tags::DOC,
    super::cost::DOC,
    super::attribute::DOC,
    super::resource_type::DOC,
];

/// Fields every policy has.
const COMMON: &[(&str, &str)] = &[
    (
        "id",
        "unique across the policy files; findings and waivers name it",
    ),
    (
        "kind",
        "one of region, instance-type, tags, cost, attribute, resource-type",
    ),
    ("level", "deny (fails the run), warn or info; default deny"),
    ("description", "one sentence shown next to every violation"),
    (
        "on_unknown",
        "warn (default), deny, info or ignore: the level of a finding for a value that cannot be \
resolved statically",
    ),
    (
        "where",
        "scope: `environment` (list), `stack` (globs), `path` (project path globs), \
`resource_type` (globs); every key given must match",
    ),
];

pub fn explain_kind(kind: &str) -> Option<String> {
    let doc = KIND_DOCS.iter().find(|d| d.kind == kind)?;
    let mut out = String::new();
    let _ = writeln!(out, "kind: {} — {}\n", doc.kind, doc.summary);
    let _ = writeln!(out, "{}\n", wrap(doc.details, 92));
    let _ = writeln!(out, "Fields of this kind:");
    for (name, meaning) in doc.fields {
        out.push_str(&field(name, meaning));
    }
    let _ = writeln!(out, "\nFields of every policy:");
    for (name, meaning) in COMMON {
        out.push_str(&field(name, meaning));
    }
    let _ = writeln!(out, "\nExample:\n");
    for line in doc.example.lines() {
        let _ = writeln!(out, "  {line}");
    }
    Some(out)
}

/// A configured policy: where it is, what it says, and its kind's documentation.
pub fn explain_policy(set: &PolicySet, id: &str) -> Option<String> {
    let p = set.policies.iter().find(|p| p.id == id)?;
    let mut out = String::new();
    let _ = writeln!(out, "policy: {} ({}:{})", p.id, p.file, p.line);
    let _ = writeln!(out, "kind:   {}", p.kind.as_str());
    let _ = writeln!(out, "level:  {}", p.level);
    if let Some(d) = &p.description {
        let _ = writeln!(out, "\n{}", wrap(d, 92));
    }
    if let Ok(yaml) = serde_yaml::to_string(&p.source) {
        let _ = writeln!(out, "\nAs configured:\n");
        for line in yaml.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let waivers: Vec<_> = set.waivers.iter().filter(|w| w.policy == p.id).collect();
    if !waivers.is_empty() {
        let _ = writeln!(out, "\nWaivers:");
        for w in waivers {
            let _ = writeln!(
                out,
                "  {} ({}:{}): {}",
                w.target(),
                w.file,
                w.line,
                w.reason
            );
        }
    }
    if let Some(kind) = explain_kind(p.kind.as_str()) {
        let _ = writeln!(out, "\n---\n\n{kind}");
    }
    Some(out)
}

/// `  name             meaning…` with the meaning wrapped under itself.
fn field(name: &str, meaning: &str) -> String {
    const INDENT: usize = 19;
    let mut out = format!("  {name:<16} ");
    for (i, line) in wrap(meaning, 92 - INDENT).lines().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(INDENT));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Wraps prose at `width` columns.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if col > 0 && col + 1 + n > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += n;
    }
    out
}
