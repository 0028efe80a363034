//! Stack instance files (`kind: StackInstance`): parsing, schema check, and the parts later
//! steps need, each with its line.

use crate::finding::Finding;
use crate::schema::{self, Schema};
use crate::snapshot::file_name;
use crate::yaml::{self, Doc, Seg, to_json};
use serde_json::Value as Json;

/// A string field of the instance and the line of its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

/// One value of `spec.values`.
#[derive(Debug, Clone)]
pub struct InstanceValue {
    pub key: String,
    pub value: Json,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub file: String,
    pub name: String,
    pub name_line: usize,
    pub owner: Option<String>,
    pub component: Option<String>,
    pub stack: Option<Located>,
    pub use_case: Option<Located>,
    pub environment: Option<String>,
    pub values: Vec<InstanceValue>,
    /// The line of `spec.values` (or `spec`, or the document), for findings about a value
    /// that is missing.
    pub values_line: usize,
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// Reads an instance file. `None` when there is nothing to work with (empty, not YAML, not a
/// mapping); schema findings do not stop reading, so a half-right instance is still checked.
pub fn read(file: &str, text: &str) -> (Option<Instance>, Vec<Finding>) {
    if text.trim().is_empty() {
        return (
            None,
            vec![Finding::new(
                "empty-file",
                file,
                1,
                "the stack instance file is empty",
            )],
        );
    }
    let doc = match yaml::parse_one(text) {
        Ok(d) => d,
        Err(e) => return (None, vec![super::yaml_finding(file, text, &e)]),
    };
    if doc.value.is_null() {
        return (
            None,
            vec![Finding::new(
                "empty-file",
                file,
                1,
                "the stack instance file holds no document",
            )],
        );
    }
    let findings = schema::validate(Schema::StackInstance, file, &doc);
    (from_doc(file, &doc), findings)
}

fn from_doc(file: &str, doc: &Doc) -> Option<Instance> {
    let json = to_json(&doc.value);
    json.as_object()?;
    let text_at = |path: &[&str]| -> Option<Located> {
        let mut v = &json;
        for p in path {
            v = v.get(*p)?;
        }
        let value = match v {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            Json::Bool(b) => b.to_string(),
            _ => return None,
        };
        let segs: Vec<Seg> = path.iter().map(|p| k(p)).collect();
        Some(Located {
            value,
            line: doc.line(&segs),
        })
    };
    let name = text_at(&["metadata", "name"]);
    // Without a name the file still stands for an instance; call it after its file.
    let fallback = file_name(file)
        .split('.')
        .next()
        .unwrap_or(file)
        .to_string();
    let (name, name_line) = match name {
        Some(l) => (l.value, l.line),
        None => (fallback, doc.line(&[k("metadata")])),
    };
    let values_path = [k("spec"), k("values")];
    let values = json
        .get("spec")
        .and_then(|s| s.get("values"))
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .map(|(key, value)| InstanceValue {
                    key: key.clone(),
                    value: value.clone(),
                    line: doc.line(&[k("spec"), k("values"), Seg::Key(key.clone())]),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Instance {
        file: file.to_string(),
        name,
        name_line,
        owner: text_at(&["metadata", "owner"]).map(|l| l.value),
        component: text_at(&["metadata", "component"]).map(|l| l.value),
        stack: text_at(&["spec", "stack"]),
        use_case: text_at(&["spec", "useCase"]),
        environment: text_at(&["spec", "environment"]).map(|l| l.value),
        values,
        values_line: doc.line(&values_path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "apiVersion: stackgate.dev/v1\nkind: StackInstance\nmetadata:\n  name: payments-db\n  \
owner: group:team-payments\nspec:\n  stack: aws-rds\n  useCase: default\n  environment: prod\n  values:\n    \
aws_region: eu-west-1\n    module.db.instance_class: db.m5.large\n";

    #[test]
    fn reads_every_part_with_lines() {
        let (inst, findings) = read("deploy/a.stack.yaml", OK);
        assert!(findings.is_empty(), "{findings:#?}");
        let inst = inst.unwrap();
        assert_eq!(inst.name, "payments-db");
        assert_eq!(inst.owner.as_deref(), Some("group:team-payments"));
        assert_eq!(
            inst.stack,
            Some(Located {
                value: "aws-rds".into(),
                line: 7
            })
        );
        assert_eq!(inst.use_case.as_ref().map(|u| u.line), Some(8));
        assert_eq!(inst.environment.as_deref(), Some("prod"));
        assert_eq!(inst.values.len(), 2);
        assert_eq!(inst.values[1].key, "module.db.instance_class");
        assert_eq!(inst.values[1].line, 12);
        assert_eq!(inst.values_line, 10);
    }

    #[test]
    fn broken_files_are_findings() {
        let (i, f) = read("a.yaml", "  \n");
        assert!(i.is_none() && f[0].code == "empty-file");
        let (i, f) = read("a.yaml", "# just a comment\n");
        assert!(i.is_none() && f[0].code == "empty-file");
        let (i, f) = read(
            "a.yaml",
            "kind: StackInstance\nspec:\n  stack: x\n  stack: y\n",
        );
        assert!(i.is_none());
        assert_eq!((f[0].code, f[0].line), ("parse-error", 4), "{f:#?}");
        let (_, f) = read("a.yaml", "a: 1\nb:\n  - x: 1\n    y: 2\n  - x: 4\nb: 2\n");
        assert_eq!((f[0].line, f[0].column), (6, Some(1)), "{f:#?}");
        let (_, f) = read("a.yaml", "b:\n  - x: 1\n    y: 2\n  - x: 3\n    'x': 4\n");
        assert_eq!((f[0].line, f[0].column), (5, Some(5)), "{f:#?}");
        let (i, f) = read("a.yaml", "- 1\n- 2\n");
        assert!(i.is_none());
        assert_eq!(f[0].code, "schema-error");
    }

    #[test]
    fn schema_errors_keep_the_instance() {
        let text = OK.replace("  owner:", "  ownr:");
        let (inst, f) = read("a.yaml", &text);
        assert!(inst.is_some());
        assert!(
            f.iter().any(|f| f.code == "schema-error" && f.line == 5),
            "{f:#?}"
        );
    }
}
