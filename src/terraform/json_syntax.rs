//! Terraform's JSON syntax (`*.tf.json`) turned into the same body shape as HCL files, so one
//! evaluator serves both. Strings are templates (`"${var.x}"`), labelled blocks nest one object
//! level per label, and a block may be given as an array of bodies.

use super::scan::Lines;
use crate::source::line_of;
use hcl::{Block, Body, Expression, Identifier, Object, ObjectKey, Structure, TemplateExpr};
use serde_json::Value as Json;

/// How many labels each top-level block type has.
fn label_count(block: &str) -> Option<usize> {
    match block {
        "resource" | "data" => Some(2),
        "module" | "provider" | "variable" | "output" => Some(1),
        "terraform" | "locals" => Some(0),
        _ => None,
    }
}

/// Nested block types that are blocks in every resource (meta-arguments), not attributes.
const META_BLOCKS: &[&str] = &[
    "lifecycle",
    "provisioner",
    "connection",
    "dynamic",
    "default_tags",
    "required_providers",
    "backend",
];

pub fn to_body(json: &Json, text: &str) -> (Body, Lines) {
    let mut structures = Vec::new();
    let mut lines = Lines::default();
    let Json::Object(top) = json else {
        return (Body::default(), lines);
    };
    for (kind, value) in top {
        let Some(n) = label_count(kind) else { continue };
        let line = find_line(text, kind);
        if kind == "locals" {
            // `locals` holds attributes directly; several `locals` objects may be given in an array.
            for obj in objects(value) {
                let (body, l) = body_of(obj, text);
                structures.push(Structure::Block(
                    Block::builder("locals").add_structures(body).build(),
                ));
                lines.items.push((line, l));
            }
            continue;
        }
        let mut found = Vec::new();
        labelled(value, n, &mut Vec::new(), &mut found);
        for (labels, obj) in found {
            let (body, l) = body_of(obj, text);
            let block_line = labels.last().map_or(line, |name| find_line(text, name));
            structures.push(Structure::Block(
                Block::builder(kind.as_str())
                    .add_labels(labels)
                    .add_structures(body)
                    .build(),
            ));
            lines.items.push((block_line, l));
        }
    }
    (Body::builder().add_structures(structures).build(), lines)
}

fn objects(value: &Json) -> Vec<&serde_json::Map<String, Json>> {
    match value {
        Json::Object(o) => vec![o],
        Json::Array(a) => a.iter().filter_map(Json::as_object).collect(),
        _ => Vec::new(),
    }
}

fn labelled<'a>(
    value: &'a Json,
    remaining: usize,
    labels: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, &'a serde_json::Map<String, Json>)>,
) {
    if remaining == 0 {
        for obj in objects(value) {
            out.push((labels.clone(), obj));
        }
        return;
    }
    for obj in objects(value) {
        for (label, inner) in obj {
            labels.push(label.clone());
            labelled(inner, remaining - 1, labels, out);
            labels.pop();
        }
    }
}

fn body_of(obj: &serde_json::Map<String, Json>, text: &str) -> (Vec<Structure>, Lines) {
    let mut structures = Vec::new();
    let mut lines = Lines::default();
    for (key, value) in obj {
        let line = find_line(text, key);
        if META_BLOCKS.contains(&key.as_str()) {
            // `dynamic` and `provisioner` carry one label: the nested block type.
            let labelled_meta = key == "dynamic" || key == "provisioner";
            let mut found = Vec::new();
            labelled(
                value,
                usize::from(labelled_meta),
                &mut Vec::new(),
                &mut found,
            );
            for (labels, inner) in found {
                let (body, l) = body_of(inner, text);
                structures.push(Structure::Block(
                    Block::builder(key.as_str())
                        .add_labels(labels)
                        .add_structures(body)
                        .build(),
                ));
                lines.items.push((line, l));
            }
            continue;
        }
        structures.push(Structure::Attribute(hcl::Attribute::new(
            Identifier::unchecked(key.as_str()),
            expression(value),
        )));
        lines.items.push((line, Lines::default()));
    }
    (structures, lines)
}

/// A JSON value as an expression: strings are templates, the rest literal.
pub fn expression(value: &Json) -> Expression {
    match value {
        Json::Null => Expression::Null,
        Json::Bool(b) => Expression::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map(hcl::Number::from)
            .or_else(|| n.as_f64().and_then(hcl::Number::from_f64))
            .map_or(Expression::Null, Expression::Number),
        Json::String(s) if s.contains("${") || s.contains("%{") => {
            // The template parser reads escapes; the JSON string is already unescaped.
            let raw = s.replace('\\', "\\\\").replace('"', "\\\"");
            Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(raw)))
        }
        Json::String(s) => Expression::String(s.clone()),
        Json::Array(a) => Expression::Array(a.iter().map(expression).collect()),
        Json::Object(o) => {
            let mut obj = Object::new();
            for (k, v) in o {
                obj.insert(
                    ObjectKey::Expression(Expression::String(k.clone())),
                    expression(v),
                );
            }
            Expression::Object(obj)
        }
    }
}

/// The line of the first `"key"` in the text (JSON values carry no positions).
fn find_line(text: &str, key: &str) -> usize {
    text.find(&format!("\"{key}\""))
        .map_or(1, |i| line_of(text, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_labels_and_templates() {
        let text = r#"{
  "variable": { "region": { "default": "eu-west-1" } },
  "resource": {
    "aws_instance": {
      "web": { "count": 2, "instance_type": "${var.size}", "tags": { "Name": "web" } }
    }
  },
  "locals": { "a": 1 }
}"#;
        let json: Json = serde_json::from_str(text).unwrap();
        let (body, lines) = to_body(&json, text);
        let blocks: Vec<_> = body.blocks().collect();
        assert_eq!(blocks.len(), 3);
        let res = blocks
            .iter()
            .find(|b| b.identifier() == "resource")
            .unwrap();
        assert_eq!(
            res.labels().iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            ["aws_instance", "web"]
        );
        let it = res
            .body()
            .attributes()
            .find(|a| a.key() == "instance_type")
            .unwrap();
        assert!(matches!(it.expr(), Expression::TemplateExpr(_)));
        assert_eq!(lines.items.len(), 3);
        assert!(lines.items.iter().any(|(l, _)| *l == 5));
    }
}
