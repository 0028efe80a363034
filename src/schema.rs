//! The JSON Schemas stackgate ships for the YAML formats it reads, compiled once, and the
//! translation of their errors into findings that point at the offending key's line.

use crate::finding::Finding;
use crate::yaml::{self, Doc, Seg};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{ValidationError, Validator};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Cycloid,
    Forms,
    StackInstance,
    Config,
}

impl Schema {
    pub fn file_name(self) -> &'static str {
        match self {
            Schema::Cycloid => "cycloid.schema.json",
            Schema::Forms => "forms.schema.json",
            Schema::StackInstance => "stack-instance.schema.json",
            Schema::Config => "stackgate.schema.json",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Schema::Cycloid => include_str!("../schemas/cycloid.schema.json"),
            Schema::Forms => include_str!("../schemas/forms.schema.json"),
            Schema::StackInstance => include_str!("../schemas/stack-instance.schema.json"),
            Schema::Config => include_str!("../schemas/stackgate.schema.json"),
        }
    }

    fn validator(self) -> &'static Validator {
        static CYCLOID: LazyLock<Validator> = LazyLock::new(|| compile(Schema::Cycloid));
        static FORMS: LazyLock<Validator> = LazyLock::new(|| compile(Schema::Forms));
        static INSTANCE: LazyLock<Validator> = LazyLock::new(|| compile(Schema::StackInstance));
        static CONFIG: LazyLock<Validator> = LazyLock::new(|| compile(Schema::Config));
        match self {
            Schema::Cycloid => &CYCLOID,
            Schema::Forms => &FORMS,
            Schema::StackInstance => &INSTANCE,
            Schema::Config => &CONFIG,
        }
    }
}

fn compile(schema: Schema) -> Validator {
    // The schemas are part of the binary and covered by tests: failing here is a build defect,
    // not a user error.
    let value: serde_json::Value =
        serde_json::from_str(schema.text()).expect("shipped schema is JSON");
    jsonschema::validator_for(&value).expect("shipped schema compiles")
}

/// Validates one YAML document; every violation becomes a `schema-error` finding on the line of
/// the key it concerns. Findings are sorted and deduplicated.
pub fn validate(schema: Schema, file: &str, doc: &Doc) -> Vec<Finding> {
    let instance = yaml::to_json(&doc.value);
    let mut out = Vec::new();
    for error in schema.validator().iter_errors(&instance) {
        collect(&error, file, doc, &mut out, 0);
    }
    crate::finding::normalize(&mut out);
    out
}

fn collect(
    error: &ValidationError<'_>,
    file: &str,
    doc: &Doc,
    out: &mut Vec<Finding>,
    depth: usize,
) {
    let mut path: Vec<Seg> = error
        .instance_path()
        .iter()
        .map(|s| match s {
            LocationSegment::Property(p) => Seg::Key(p.into_owned()),
            LocationSegment::Index(i) => Seg::Index(i),
        })
        .collect();
    let at = |path: &[Seg]| {
        if path.is_empty() {
            "the document".to_string()
        } else {
            format!("`{}`", yaml::path_to_string(path))
        }
    };
    let message = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Report the branch that came closest: the fewest errors, the deepest first error.
            let best = context
                .iter()
                .filter(|b| !b.is_empty())
                .min_by_key(|branch| {
                    let deepest = branch
                        .iter()
                        .map(|e| e.instance_path().iter().count())
                        .max()
                        .unwrap_or(0);
                    (branch.len(), usize::MAX - deepest)
                });
            match best {
                Some(branch) if depth < 8 => {
                    for e in branch {
                        collect(e, file, doc, out, depth + 1);
                    }
                    return;
                }
                _ => format!(
                    "{} does not match any of the shapes allowed here",
                    at(&path)
                ),
            }
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                let mut p = path.clone();
                p.push(Seg::Key(key.clone()));
                let pos = doc.pos(&p);
                out.push(
                    Finding::new(
                        "schema-error",
                        file,
                        pos.line,
                        format!("unknown key `{}`", yaml::path_to_string(&p)),
                    )
                    .column(pos.column)
                    .help(format!("see the keys allowed by {}", schema_hint(file))),
                );
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            format!("{} is missing the required key `{name}`", at(&path))
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!(
                "{} must be {} {expected}, found {}",
                at(&path),
                article(&expected),
                describe(error.instance())
            )
        }
        ValidationErrorKind::Enum { options } => {
            let opts = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| options.to_string());
            format!(
                "{} must be one of {opts}, found {}",
                at(&path),
                short(error.instance())
            )
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!(
                "{} must be {expected_value}, found {}",
                at(&path),
                short(error.instance())
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!(
                "{} = {} does not match the pattern `{pattern}`",
                at(&path),
                short(error.instance())
            )
        }
        ValidationErrorKind::MinLength { limit } => {
            format!("{} must be at least {limit} characters long", at(&path))
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("{} must be at most {limit} characters long", at(&path))
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("{} must have at least {limit} item(s)", at(&path))
        }
        ValidationErrorKind::Minimum { limit } => format!("{} must be at least {limit}", at(&path)),
        ValidationErrorKind::Maximum { limit } => format!("{} must be at most {limit}", at(&path)),
        _ => {
            let mut m = error.to_string();
            if m.len() > 200 {
                let cut = (0..=200)
                    .rev()
                    .find(|&i| m.is_char_boundary(i))
                    .unwrap_or(0);
                m.truncate(cut);
                m.push('…');
            }
            format!("{}: {m}", at(&path))
        }
    };
    // Point at the key itself, not at its parent.
    if path.is_empty() {
        path.clear();
    }
    let pos = doc.pos(&path);
    out.push(Finding::new("schema-error", file, pos.line, message).column(pos.column));
}

fn schema_hint(file: &str) -> &'static str {
    let name = crate::snapshot::file_name(file);
    if name.starts_with(".cycloid") {
        "the .cycloid.yml format"
    } else if name.starts_with(".forms") {
        "the StackForms format"
    } else if name.starts_with("stackgate") {
        "stackgate.yaml (see README)"
    } else {
        "the StackInstance format"
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn describe(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "nothing (null)".into(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => format!(
            "the string {}",
            short(&serde_json::Value::String(s.clone()))
        ),
        serde_json::Value::Array(_) => "a list".into(),
        serde_json::Value::Object(_) => "a mapping".into(),
    }
}

fn short(v: &serde_json::Value) -> String {
    let mut s = v.to_string();
    if s.len() > 80 {
        let cut = (0..=77).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
        s.truncate(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_schemas_compile() {
        for s in [
            Schema::Cycloid,
            Schema::Forms,
            Schema::StackInstance,
            Schema::Config,
        ] {
            let _ = s.validator();
        }
    }

    #[test]
    fn config_errors_point_at_keys() {
        let doc =
            yaml::parse_one("version: 1\nstacks: [\"a\"]\nfail_on: maybe\nbogus: 1\n").unwrap();
        let f = validate(Schema::Config, "stackgate.yaml", &doc);
        assert!(
            f.iter().any(|f| f.line == 4 && f.message.contains("bogus")),
            "{f:#?}"
        );
        assert!(
            f.iter()
                .any(|f| f.line == 3 && f.message.contains("fail_on")),
            "{f:#?}"
        );
    }
}
