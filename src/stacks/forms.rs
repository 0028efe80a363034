//! The StackForms model (`.forms.yml`): use cases → sections → groups → vars, read leniently
//! from the YAML (the schema reports shape errors), with conditions parsed and validation
//! regexps compiled once, and an index of vars by key for instance validation.

use super::values::{self, Condition, DefaultValue, Values, VarType};
use crate::finding::{Finding, Level};
use crate::yaml::{Doc, Seg, to_json};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub file: String,
    pub version: Option<String>,
    pub use_cases: Vec<FormUseCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormUseCase {
    pub name: String,
    pub line: usize,
    pub sections: Vec<Section>,
    #[serde(skip)]
    pub index: VarIndex,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub name: String,
    pub description: Option<String>,
    pub line: usize,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    pub technologies: Vec<String>,
    pub condition: Option<Condition>,
    pub line: usize,
    pub vars: Vec<Var>,
}

impl Group {
    /// Whether the group's vars are Terraform inputs (no `technologies` means Terraform).
    pub fn feeds_terraform(&self) -> bool {
        self.technologies.is_empty() || self.technologies.iter().any(|t| t == "terraform")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Var {
    pub name: String,
    pub key: String,
    /// `type` as written; `None` when absent.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    #[serde(skip)]
    pub ty: Option<VarType>,
    pub widget: Option<String>,
    pub description: Option<String>,
    pub default: Option<DefaultValue>,
    pub values: Option<Values>,
    pub values_ref: Option<String>,
    pub required: bool,
    pub unit: Option<String>,
    pub validations: Vec<Validation>,
    pub widget_config: Option<Json>,
    pub condition: Option<Condition>,
    pub read_only: bool,
    /// The line of the var (its first key).
    pub line: usize,
    /// The line of its `key:`.
    pub key_line: usize,
    #[serde(skip)]
    pub lines: VarLines,
}

/// Lines of a var's other keys, for findings (each falls back to the var's line).
#[derive(Debug, Clone, Copy, Default)]
pub struct VarLines {
    pub default: usize,
    pub values: usize,
    pub required: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub regexp: String,
    pub error_message: Option<String>,
    pub line: usize,
    /// Absent when the regexp does not compile (reported once, at load).
    #[serde(skip)]
    pub regex: Option<regex::Regex>,
}

/// Where a var sits, and what the index knows about it.
#[derive(Debug, Clone, Copy)]
pub struct VarRef {
    pub section: usize,
    pub group: usize,
    pub var: usize,
}

/// Vars of a use case in form order, by key and by name.
#[derive(Debug, Clone, Default)]
pub struct VarIndex {
    pub flat: Vec<VarRef>,
    pub by_key: HashMap<String, Vec<usize>>,
    pub by_name: HashMap<String, Vec<usize>>,
}

impl FormUseCase {
    pub fn var(&self, i: usize) -> Option<(&Var, &Group, &Section)> {
        let r = self.index.flat.get(i)?;
        let section = self.sections.get(r.section)?;
        let group = section.groups.get(r.group)?;
        Some((group.vars.get(r.var)?, group, section))
    }

    pub fn vars(&self) -> impl Iterator<Item = (usize, &Var, &Group)> {
        (0..self.index.flat.len()).filter_map(|i| self.var(i).map(|(v, g, _)| (i, v, g)))
    }

    /// The var a condition's `$field` means: its key, else its name when unambiguous.
    pub fn field(&self, name: &str) -> Option<usize> {
        if let Some(first) = self.index.by_key.get(name).and_then(|v| v.first()) {
            return Some(*first);
        }
        match self.index.by_name.get(name).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        }
    }

    fn build_index(&mut self) {
        let mut index = VarIndex::default();
        for (si, s) in self.sections.iter().enumerate() {
            for (gi, g) in s.groups.iter().enumerate() {
                for (vi, v) in g.vars.iter().enumerate() {
                    let i = index.flat.len();
                    index.flat.push(VarRef {
                        section: si,
                        group: gi,
                        var: vi,
                    });
                    index.by_key.entry(v.key.clone()).or_default().push(i);
                    index.by_name.entry(v.name.clone()).or_default().push(i);
                }
            }
        }
        self.index = index;
    }
}

fn text(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn items<'a>(v: &'a Json, key: &str) -> &'a [Json] {
    v.get(key)
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Extends a path with more segments.
pub fn at(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// Reads a parsed `.forms.yml`. Parts the schema rejects are skipped (a var without a string
/// `key` cannot be addressed); the findings are those only the model can see: value shapes,
/// regexps, condition syntax.
pub fn read(file: &str, doc: &Doc) -> (Form, Vec<Finding>) {
    let json = to_json(&doc.value);
    let mut findings = Vec::new();
    let mut use_cases = Vec::new();
    for (ui, u) in items(&json, "use_cases").iter().enumerate() {
        let upath = vec![k("use_cases"), Seg::Index(ui)];
        let Some(name) = text(u, "name") else {
            continue;
        };
        let mut uc = FormUseCase {
            name,
            line: doc.line(&at(&upath, &[k("name")])),
            sections: Vec::new(),
            index: VarIndex::default(),
        };
        for (si, s) in items(u, "sections").iter().enumerate() {
            let spath = at(&upath, &[k("sections"), Seg::Index(si)]);
            let mut section = Section {
                name: text(s, "name").unwrap_or_default(),
                description: text(s, "description"),
                line: doc.line(&spath),
                groups: Vec::new(),
            };
            for (gi, g) in items(s, "groups").iter().enumerate() {
                let gpath = at(&spath, &[k("groups"), Seg::Index(gi)]);
                let condition = text(g, "condition").map(|c| {
                    let line = doc.line(&at(&gpath, &[k("condition")]));
                    condition(file, &c, line, &mut findings)
                });
                let mut group = Group {
                    name: text(g, "name").unwrap_or_default(),
                    technologies: items(g, "technologies")
                        .iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect(),
                    condition,
                    line: doc.line(&gpath),
                    vars: Vec::new(),
                };
                for (vi, v) in items(g, "vars").iter().enumerate() {
                    let vpath = at(&gpath, &[k("vars"), Seg::Index(vi)]);
                    if let Some(var) = read_var(file, doc, v, &vpath, &mut findings) {
                        group.vars.push(var);
                    }
                }
                section.groups.push(group);
            }
            uc.sections.push(section);
        }
        uc.build_index();
        use_cases.push(uc);
    }
    let form = Form {
        file: file.to_string(),
        version: text(&json, "version"),
        use_cases,
    };
    (form, findings)
}

fn condition(file: &str, text: &str, line: usize, findings: &mut Vec<Finding>) -> Condition {
    let c = Condition::new(text, line);
    report_syntax(file, &c, findings);
    c
}

/// Reports a condition that did not parse (parsing again only to get the reason).
fn report_syntax(file: &str, c: &Condition, findings: &mut Vec<Finding>) {
    if c.expr.is_some() {
        return;
    }
    if let Err(e) = super::condition::parse(&c.text) {
        findings.push(
            Finding::new(
                "forms-condition-invalid",
                file,
                c.line,
                format!("condition `{}` does not parse: {e}", c.text),
            )
            .help("conditions look like `$cloud_provider == 'aws' && $size != 'small'`"),
        );
    }
}

fn read_var(
    file: &str,
    doc: &Doc,
    v: &Json,
    path: &[Seg],
    findings: &mut Vec<Finding>,
) -> Option<Var> {
    let key = v.get("key")?.as_str()?.to_string();
    let line = doc.line(path);
    let key_line = doc.line(&at(path, &[k("key")]));
    let type_name = text(v, "type");
    let ty = type_name.as_deref().and_then(VarType::parse);
    let widget = text(v, "widget");
    let mut var = Var {
        name: text(v, "name").unwrap_or_default(),
        key,
        type_name,
        ty,
        widget,
        description: text(v, "description"),
        default: None,
        values: None,
        values_ref: text(v, "values_ref"),
        required: v.get("required").and_then(Json::as_bool).unwrap_or(false),
        unit: text(v, "unit"),
        validations: Vec::new(),
        widget_config: v.get("widget_config").cloned(),
        condition: None,
        read_only: v.get("read_only").and_then(Json::as_bool).unwrap_or(false),
        line,
        key_line,
        lines: VarLines {
            default: doc.line(&at(path, &[k("default")])),
            values: doc.line(&at(path, &[k("values")])),
            required: doc.line(&at(path, &[k("required")])),
        },
    };
    if let Some(c) = text(v, "condition") {
        let l = doc.line(&at(path, &[k("condition")]));
        var.condition = Some(condition(file, &c, l, findings));
    }
    if let Some(d) = v.get("default") {
        let dpath = at(path, &[k("default")]);
        let opt_line =
            |i: usize| doc.line(&at(&dpath, &[k("options"), Seg::Index(i), k("condition")]));
        let d = values::parse_default(d, &opt_line);
        if let DefaultValue::Options { options } = &d {
            for o in options {
                report_syntax(file, &o.condition, findings);
            }
        }
        var.default = Some(d);
    }
    if let Some(vals) = v.get("values") {
        let vpath = at(path, &[k("values")]);
        let opt_line =
            |i: usize| doc.line(&at(&vpath, &[k("options"), Seg::Index(i), k("condition")]));
        let slider = var.widget.as_deref() == Some("slider_range");
        match values::parse_values(vals, slider, &opt_line) {
            Ok(parsed) => {
                if let Values::Options { options } = &parsed {
                    for o in options {
                        report_syntax(file, &o.condition, findings);
                    }
                }
                var.values = Some(parsed);
            }
            Err(msg) => findings.push(
                Finding::new(
                    "forms-values-invalid",
                    file,
                    doc.line(&vpath),
                    format!("var `{}`: {msg}", var.key),
                )
                .resource(var.key.clone()),
            ),
        }
    }
    for (i, val) in items(v, "validations").iter().enumerate() {
        let Some(re) = text(val, "regexp") else {
            continue;
        };
        let l = doc.line(&at(path, &[k("validations"), Seg::Index(i), k("regexp")]));
        let regex = compile_regexp(file, &var.key, &re, l, findings);
        var.validations.push(Validation {
            regexp: re,
            error_message: text(val, "error_message"),
            line: l,
            regex,
        });
    }
    Some(var)
}

/// Compiles a validation regexp. Forms are written for a JavaScript UI; look-around and
/// backreferences are valid there but not in the `regex` crate, so those are not errors, only
/// unchecked.
fn compile_regexp(
    file: &str,
    key: &str,
    re: &str,
    line: usize,
    findings: &mut Vec<Finding>,
) -> Option<regex::Regex> {
    match regex::RegexBuilder::new(re).size_limit(1 << 20).build() {
        Ok(r) => Some(r),
        Err(e) => {
            let detail = e.to_string();
            let unsupported = detail.contains("look-around") || detail.contains("backreferences");
            let last = detail
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .unwrap_or(detail.as_str())
                .trim();
            let f = if unsupported {
                Finding::new(
                    "forms-regexp-unsupported",
                    file,
                    line,
                    format!("var `{key}`: regexp `{re}` uses look-around or backreferences; values are not checked against it"),
                )
                .level(Level::Info)
            } else {
                Finding::new(
                    "forms-regexp-invalid",
                    file,
                    line,
                    format!("var `{key}`: regexp `{re}` does not compile: {last}"),
                )
                .help("the UI would reject every value, or accept any; fix the pattern")
            };
            findings.push(f.resource(key.to_string()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_one;

    const FORM: &str = r#"version: "2"
shared_vars: &region
  - name: Region
    key: aws_region
    type: string
    widget: dropdown
    values: [eu-west-1, us-east-1]
    default: eu-west-1
use_cases:
  - name: default
    sections:
      - name: Cloud
        groups:
          - name: Location
            technologies: [terraform]
            vars: *region
          - name: Database
            technologies: [terraform, pipeline]
            condition: "$aws_region == 'eu-west-1'"
            vars:
              - name: Size
                key: module.db.instance_class
                type: string
                widget: slider_list
                values: [{label: small, value: db.t3.small}, {label: big, value: db.m5.large}]
              - name: Storage
                key: module.db.allocated_storage
                type: integer
                widget: slider_range
                values: [20, 500]
                unit: GB
                validations:
                  - regexp: "^[0-9]+$"
                    error_message: digits only
                  - regexp: "^(?=x)"
                  - regexp: "[a-"
          - name: Pipeline
            technologies: [pipeline]
            vars:
              - {name: Branch, key: branch, type: string, widget: cy_branch, condition: "$aws_region =="}
"#;

    #[test]
    fn reads_nested_form_with_anchors() {
        let doc = parse_one(FORM).unwrap();
        let (form, findings) = read(".forms.yml", &doc);
        assert_eq!(form.version.as_deref(), Some("2"));
        let uc = &form.use_cases[0];
        assert_eq!(uc.index.flat.len(), 4);
        let (region, group, _) = uc.var(0).unwrap();
        assert_eq!(region.key, "aws_region");
        // The anchored var points at where it is written.
        assert_eq!(region.key_line, 4);
        assert!(group.feeds_terraform());
        let (size, _, _) = uc
            .var(uc.field("module.db.instance_class").unwrap())
            .unwrap();
        assert!(matches!(size.values, Some(Values::Labeled { .. })));
        let (storage, _, _) = uc.var(uc.field("Storage").unwrap()).unwrap();
        assert!(
            matches!(storage.values, Some(Values::Range { min, max }) if min == 20.0 && max == 500.0)
        );
        assert_eq!(storage.validations.len(), 3);
        assert!(storage.validations[0].regex.is_some());
        let (_, pipeline, _) = uc.var(3).unwrap();
        assert!(!pipeline.feeds_terraform());

        let codes: Vec<(&str, usize)> = findings.iter().map(|f| (f.code, f.line)).collect();
        assert!(
            codes.contains(&("forms-regexp-unsupported", 35)),
            "{findings:#?}"
        );
        assert!(
            codes.contains(&("forms-regexp-invalid", 36)),
            "{findings:#?}"
        );
        assert!(
            codes.contains(&("forms-condition-invalid", 40)),
            "{findings:#?}"
        );
        assert_eq!(findings.len(), 3, "{findings:#?}");
    }

    #[test]
    fn escaped_slashes_from_javascript_compile() {
        let mut f = Vec::new();
        assert!(
            compile_regexp("f", "k", r"^https?:\/\/[\w.-]+$", 1, &mut f).is_some(),
            "{f:?}"
        );
    }
}
