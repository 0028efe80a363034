//! End-to-end tests of the stacks module: real files through discovery, the Terraform scan,
//! `load_stacks` and `load_instances`.

use super::*;
use crate::config::Settings;
use crate::discover::{ConfigLines, discover};
use serde_json::json;
use std::sync::Arc;

const CYCLOID: &str = r#"version: '3'
name: RDS database
canonical: aws-rds
author: Platform team
description: A managed database
keywords: [provider:aws, database]
technologies:
  - {technology: terraform, version: 1.6}
config:
  default:
    name: Default
    description: One instance
    terraform:
      main: {path: terraform/main.tf, destination: "($ .project $)/terraform"}
  ha:
    name: Highly available
    cloud_provider: aws
"#;

const FORMS: &str = r#"version: "2"
shared: &region
  - name: Region
    key: aws_region
    type: string
    widget: dropdown
    values: [eu-west-1, eu-west-3, us-east-1]
    default: eu-west-1
    required: true
use_cases:
  - name: default
    sections:
      - name: Database
        groups:
          - name: Location
            technologies: [terraform]
            vars: *region
          - name: Instance
            technologies: [terraform]
            vars:
              - name: Engine
                key: engine
                type: string
                widget: radios
                values: [postgres, mysql]
                default: postgres
              - name: Engine version
                key: engine_version
                type: string
                widget: dropdown
                values:
                  options:
                    - condition: "$engine == 'postgres'"
                      values: ["15", "16"]
                    - condition: "$engine == 'mysql'"
                      values: ["8.0"]
                default:
                  options:
                    - condition: "$engine == 'postgres'"
                      default: "16"
                    - condition: "$Engine == 'mysql'"
                      default: "8.0"
              - name: Class
                key: module.db.instance_class
                type: string
                widget: slider_list
                values: [{label: Small, value: db.t3.small}, {label: Large, value: db.m5.large}]
                default: db.t3.small
              - name: Storage
                key: module.db.allocated_storage
                type: integer
                widget: slider_range
                values: [20, 1000]
                default: 20
                unit: GB
              - name: Multi AZ
                key: multi_az
                type: boolean
                widget: switch
                default: false
              - name: Standby zone
                key: standby_zone
                type: string
                widget: simple_text
                required: true
                condition: "$multi_az && $aws_region != 'us-east-1'"
              - name: Identifier
                key: identifier
                type: string
                widget: simple_text
                validations:
                  - regexp: "^[a-z][a-z0-9-]*$"
                    error_message: lowercase letters, digits and dashes
              - name: Ratio
                key: ratio
                type: float
                widget: number
                default: 0.5
      - name: Delivery
        groups:
          - name: CI
            technologies: [pipeline]
            vars:
              - {name: Branch, key: branch, type: string, widget: cy_branch, default: main}
  - name: ha
    sections:
      - name: Database
        groups:
          - name: Location
            vars: *region
"#;

const MAIN_TF: &str = r#"variable "aws_region" {}
variable "engine" {}
variable "engine_version" {}
variable "multi_az" {}
variable "standby_zone" { default = null }
variable "identifier" { default = "db" }
module "db" {
  source = "./modules/db"
}
"#;

const DB_TF: &str = "variable \"instance_class\" {}\nvariable \"allocated_storage\" {}\n";

fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("fixture lacks {needle}"));
    crate::source::line_of(text, at)
}

struct Repo {
    texts: Texts,
    stacks: Vec<Stack>,
    stack_findings: Vec<Finding>,
    projects: Vec<Project>,
    findings: Vec<Finding>,
}

impl Repo {
    fn project(&self, name: &str) -> &Project {
        self.projects
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no project {name}"))
    }

    /// Findings of one file as (code, line).
    fn of(&self, file: &str) -> Vec<(&'static str, usize)> {
        self.stack_findings
            .iter()
            .chain(&self.findings)
            .filter(|f| f.file == file)
            .map(|f| (f.code, f.line))
            .collect()
    }
}

fn repo(files: &[(&str, &str)]) -> Repo {
    let texts: Texts = files
        .iter()
        .map(|(p, t)| (p.to_string(), Arc::from(*t)))
        .collect();
    let mut paths: Vec<String> = texts.keys().cloned().collect();
    paths.sort();
    let (inv, _) = discover(
        &Settings::default(),
        &paths,
        &ConfigLines {
            present: false,
            doc: None,
        },
    );
    let (tf, _) = crate::terraform::scan(&inv, &texts);
    let (stacks, stack_findings) = load_stacks(&inv.stacks, &texts, &tf);
    let (projects, findings) = load_instances(&inv.instances, &stacks, &texts);
    Repo {
        texts,
        stacks,
        stack_findings,
        projects,
        findings,
    }
}

fn rds(extra: &[(&str, &str)]) -> Repo {
    let mut files = vec![
        ("stacks/rds/.cycloid.yml", CYCLOID),
        ("stacks/rds/.forms.yml", FORMS),
        ("stacks/rds/terraform/main.tf", MAIN_TF),
        ("stacks/rds/terraform/modules/db/main.tf", DB_TF),
    ];
    files.extend_from_slice(extra);
    repo(&files)
}

fn instance(values: &str) -> String {
    format!(
        "apiVersion: stackgate.dev/v1\nkind: StackInstance\nmetadata:\n  name: payments-db\n  owner: group:payments\n\
spec:\n  stack: aws-rds\n  useCase: default\n  environment: prod\n  values:\n{values}"
    )
}

#[test]
fn a_good_stack_loads_with_its_model() {
    let r = rds(&[]);
    let forms = "stacks/rds/.forms.yml";
    // `ratio` is not a Terraform variable of the stack, `$Engine` is the name of `engine`.
    assert_eq!(
        r.of(forms),
        vec![("forms-key-undeclared", line_of(FORMS, "key: ratio"))],
        "{:#?}",
        r.stack_findings
    );
    assert_eq!(r.stack_findings.len(), 1, "{:#?}", r.stack_findings);
    assert_eq!(r.stack_findings[0].level, crate::finding::Level::Warn);
    let s = &r.stacks[0];
    assert_eq!(
        (s.canonical.as_str(), s.name.as_str()),
        ("aws-rds", "RDS database")
    );
    assert_eq!(s.version.as_deref(), Some("3"));
    assert_eq!(s.terraform_dir.as_deref(), Some("stacks/rds/terraform"));
    let names: Vec<&str> = s.use_cases.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, vec!["default", "ha"]);
    assert_eq!(
        s.use_cases[0].cloud_provider.as_deref(),
        Some("aws"),
        "from the provider: keyword"
    );
    assert_eq!(s.use_cases[1].title.as_deref(), Some("Highly available"));
    let form = s.use_cases[0].form.as_ref().unwrap();
    assert_eq!(form.index.flat.len(), 10);
    // Serializable for the catalog site, without the compiled parts.
    let j = serde_json::to_value(s).unwrap();
    assert_eq!(
        j["use_cases"][0]["form"]["sections"][0]["groups"][0]["vars"][0]["key"],
        "aws_region"
    );
    assert_eq!(
        j["use_cases"][0]["form"]["sections"][0]["groups"][1]["vars"][3]["values"]["shape"],
        "range"
    );
}

#[test]
fn a_good_instance_yields_its_terraform_inputs() {
    let text = instance(
        "    aws_region: eu-west-3\n    engine: mysql\n    module.db.instance_class: db.m5.large\n",
    );
    let r = rds(&[("deploy/prod/db.stack.yaml", &text)]);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    let p = r.project("payments-db");
    assert_eq!(p.kind, ProjectKind::StackInstance);
    assert_eq!(p.path, "deploy/prod/db.stack.yaml");
    assert_eq!(p.stack.as_deref(), Some("aws-rds"));
    assert_eq!(p.use_case.as_deref(), Some("default"));
    assert_eq!(p.environment.as_deref(), Some("prod"));
    assert_eq!(p.owner.as_deref(), Some("group:payments"));
    assert_eq!(p.terraform_dir.as_deref(), Some("stacks/rds/terraform"));
    let v = &p.inputs.variables;
    assert_eq!(v["aws_region"], json!("eu-west-3"));
    // The conditional default follows the instance's engine (the option names `$Engine`, the
    // field's name).
    assert_eq!(v["engine_version"], json!("8.0"));
    assert_eq!(v["multi_az"], json!(false));
    assert_eq!(v["ratio"], json!(0.5));
    // Hidden (condition false) and pipeline-only fields are no Terraform inputs.
    assert!(
        !v.contains_key("standby_zone") && !v.contains_key("branch"),
        "{v:?}"
    );
    assert!(!v.contains_key("identifier"));
    let db = &p.inputs.module_arguments["db"];
    assert_eq!(db["instance_class"], json!("db.m5.large"));
    assert_eq!(db["allocated_storage"], json!(20));
}

#[test]
fn every_value_check_points_at_its_line() {
    let values = "    aws_region: ap-south-1\n    engine: postgres\n    engine_version: \"8.0\"\n    \
module.db.allocated_storage: 5000\n    identifier: Payments_DB\n    multi_az: \"yes\"\n    ratio: 1\n    \
aws_regoin: x\n    Engine: mysql\n    module.db.instance_class: ((class))\n";
    let text = instance(values);
    let r = rds(&[("deploy/prod/db.stack.yaml", &text)]);
    let file = "deploy/prod/db.stack.yaml";
    let at = |needle: &str| line_of(&text, needle);
    let mut got = r.of(file);
    got.sort();
    let mut want = vec![
        ("instance-value-not-allowed", at("aws_region: ap")),
        ("instance-value-not-allowed", at("engine_version")),
        ("instance-value-out-of-range", at("allocated_storage")),
        ("instance-value-validation", at("identifier")),
        ("instance-value-type", at("multi_az")),
        ("instance-value-unknown-key", at("aws_regoin")),
        ("instance-value-unknown-key", at("Engine: mysql")),
    ];
    want.sort();
    assert_eq!(got, want, "{:#?}", r.findings);
    let msg = |code: &str| {
        r.findings
            .iter()
            .find(|f| f.code == code)
            .map(|f| (f.message.clone(), f.help.clone()))
    };
    let (m, _) = msg("instance-value-validation").unwrap();
    assert!(m.contains("lowercase letters, digits and dashes"), "{m}");
    let (m, h) = msg("instance-value-type").unwrap();
    assert!(
        m.contains("must be a boolean, found the string \"yes\""),
        "{m}"
    );
    assert!(h.unwrap().contains(&format!(
        "stacks/rds/.forms.yml:{}",
        line_of(FORMS, "key: multi_az")
    )));
    let unknown: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code == "instance-value-unknown-key")
        .filter_map(|f| f.help.clone())
        .collect();
    assert!(
        unknown
            .iter()
            .any(|h| h.contains("did you mean `aws_region`?")),
        "{unknown:?}"
    );
    assert!(
        unknown.iter().any(|h| h.contains("its key: `engine`")),
        "{unknown:?}"
    );
    // A failing instance still yields its project; the integer 1 is a valid float.
    let p = r.project("payments-db");
    assert_eq!(p.inputs.variables["ratio"], json!(1));
    assert_eq!(
        p.inputs.module_arguments["db"]["instance_class"],
        json!("((class))")
    );
}

#[test]
fn conditions_decide_required_and_inactive_fields() {
    // multi_az on, region eu: the standby zone is shown and required.
    let text = instance("    multi_az: true\n");
    let r = rds(&[("deploy/a.stack.yaml", &text)]);
    assert_eq!(
        r.of("deploy/a.stack.yaml"),
        vec![("instance-value-required", line_of(&text, "values:"))]
    );
    // us-east-1 hides it: a value for it is a warning.
    let text = instance("    multi_az: true\n    aws_region: us-east-1\n    standby_zone: b\n");
    let r = rds(&[("deploy/a.stack.yaml", &text)]);
    assert_eq!(
        r.of("deploy/a.stack.yaml"),
        vec![("instance-value-inactive", line_of(&text, "standby_zone"))]
    );
    assert_eq!(r.findings[0].level, crate::finding::Level::Warn);
    // A region only known at run time makes the condition unknowable: nothing to say.
    let text = instance("    multi_az: true\n    aws_region: ($ .region $)\n");
    let r = rds(&[("deploy/a.stack.yaml", &text)]);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn instance_resolution_findings() {
    let unknown_stack = instance("").replace("aws-rds", "aws-rdz");
    let unknown_uc = instance("").replace("useCase: default", "useCase: defualt");
    let no_uc = instance("").replace("  useCase: default\n", "");
    let r = rds(&[
        ("a/one.stack.yaml", &unknown_stack),
        ("a/two.stack.yaml", &unknown_uc),
        ("a/three.stack.yaml", &no_uc),
    ]);
    assert_eq!(
        r.of("a/one.stack.yaml"),
        vec![("instance-stack-unknown", 7)]
    );
    // All three share a name and an environment: the later files (in path order) say so.
    let mut two = r.of("a/two.stack.yaml");
    two.sort();
    assert_eq!(
        two,
        vec![
            ("instance-name-duplicate", 4),
            ("instance-use-case-unknown", 8)
        ]
    );
    // The stack has two use cases: `useCase` is needed.
    let mut three = r.of("a/three.stack.yaml");
    three.sort();
    assert_eq!(
        three,
        vec![
            ("instance-name-duplicate", 4),
            ("instance-use-case-required", 7)
        ]
    );
    let helps: Vec<String> = r.findings.iter().filter_map(|f| f.help.clone()).collect();
    assert!(
        helps.iter().any(|h| h.contains("did you mean `aws-rds`?")),
        "{helps:?}"
    );
    assert!(
        helps.iter().any(|h| h.contains("did you mean `default`?")),
        "{helps:?}"
    );
    let dup = r
        .findings
        .iter()
        .find(|f| f.code == "instance-name-duplicate")
        .unwrap();
    assert!(
        dup.message.contains("a/one.stack.yaml:4"),
        "{}",
        dup.message
    );
    // No project for the unknown stack; the others yield theirs.
    assert_eq!(r.projects.len(), 2);
    assert!(r.projects.iter().all(|p| p.path != "a/one.stack.yaml"));
}

#[test]
fn single_use_case_is_implied_and_formless_stacks_pass_values_through() {
    let cy = "name: Bucket\ncanonical: s3-bucket\nconfig:\n  default: {name: Default}\n";
    let inst = "apiVersion: stackgate.dev/v1\nkind: StackInstance\nmetadata: {name: logs}\n\
spec:\n  stack: s3-bucket\n  values:\n    bucket_name: logs\n    module.b.acl: private\n";
    let r = repo(&[
        ("stacks/s3/.cycloid.yml", cy),
        ("deploy/logs.stack.yaml", inst),
    ]);
    assert!(r.stack_findings.is_empty(), "{:#?}", r.stack_findings);
    assert_eq!(
        r.of("deploy/logs.stack.yaml"),
        vec![("instance-unvalidated", 6)]
    );
    let p = r.project("logs");
    assert_eq!(p.use_case.as_deref(), Some("default"));
    assert_eq!(p.inputs.variables["bucket_name"], json!("logs"));
    assert_eq!(p.inputs.module_arguments["b"]["acl"], json!("private"));
}

#[test]
fn form_checks_each_have_their_code_and_line() {
    let forms = r#"use_cases:
  - name: default
    sections:
      - name: S
        groups:
          - name: G
            condition: "$nope == 'x'"
            vars:
              - {name: A, key: a, type: integer, widget: number, default: "3"}
              - {name: B, key: b, type: string, widget: dropdown, values: [x, y], default: z}
              - {name: C, key: c, type: integer, widget: slider_range, values: [1, 10], default: 11}
              - {name: D, key: a, type: string, widget: simple_text}
              - {name: E, key: e, type: string, widget: simple_text, condition: "$a = 1"}
              - {name: F, key: f, type: integer, widget: dropdown, values: [1, two]}
              - {name: G, key: module.db, type: string, widget: simple_text}
              - name: H
                key: h
                type: string
                widget: simple_text
                validations: [{regexp: "([a-z]", error_message: bad}]
          - name: Pipeline
            technologies: [pipeline]
            vars:
              - {name: A2, key: a, type: integer, widget: number}
  - name: default
    sections: []
  - name: prod
    sections: []
"#;
    let cy = "name: X\ncanonical: xx-stack\nconfig:\n  default: {}\n  staging: {}\n";
    let r = repo(&[("s/x/.cycloid.yml", cy), ("s/x/.forms.yml", forms)]);
    let at = |n: &str| line_of(forms, n);
    let mut got = r.of("s/x/.forms.yml");
    got.sort();
    let mut want = vec![
        ("forms-condition-unknown-field", at("$nope")),
        ("forms-default-invalid", at("key: a, type: integer")),
        ("forms-default-invalid", at("key: b,")),
        ("forms-default-invalid", at("key: c,")),
        ("forms-key-duplicate", at("key: a, type: string")),
        ("forms-condition-invalid", at("$a = 1")),
        ("forms-values-invalid", at("[1, two]")),
        ("forms-key-invalid", at("module.db")),
        ("forms-regexp-invalid", at("([a-z]")),
        (
            "forms-use-case-duplicate",
            line_of(forms, "  - name: default\n    sections: []"),
        ),
        ("forms-use-case-unknown", at("name: prod")),
    ];
    want.sort();
    assert_eq!(got, want, "{:#?}", r.stack_findings);
    assert_eq!(
        r.of("s/x/.cycloid.yml"),
        vec![("forms-use-case-missing", 5)]
    );
}

#[test]
fn schema_errors_point_at_the_offending_key() {
    let cy = "version: 3\nname: X\ncanonical: X_Bad\nconfig:\n  default: {cloud_provder: aws}\n";
    let forms = "version: 2\nuse_cases:\n  - name: default\n    sections:\n      - name: S\n        groups:\n          \
- name: G\n            vars:\n              - name: A\n                key: a\n                typ: string\n                \
widget: dropdown\n              - {name: B, key: b, type: text, widget: simple_text}\n              \
- {name: C, key: c, type: string, widget: textbox}\n              - {name: D, type: string, widget: switch}\n";
    let r = repo(&[("s/x/.cycloid.yml", cy), ("s/x/.forms.yml", forms)]);
    let cy_f = r.of("s/x/.cycloid.yml");
    assert!(cy_f.contains(&("schema-error", 3)), "{cy_f:?}");
    assert!(cy_f.contains(&("schema-error", 5)), "{cy_f:?}");
    let f = r.of("s/x/.forms.yml");
    for line in [11, 13, 14, 15] {
        assert!(
            f.contains(&("schema-error", line)),
            "line {line}: {:#?}",
            r.stack_findings
        );
    }
    let typ = r.stack_findings.iter().find(|f| f.line == 11).unwrap();
    assert!(typ.message.contains("typ"), "{}", typ.message);
}

#[test]
fn real_file_shapes_are_accepted() {
    // v1 file without version; forms with top-level anchor holders, values_ref, widget_config.
    let cy = "name: Legacy\ncanonical: legacy-vm\ndescription:\nconfig:\n  default:\n    pipeline:\n      \
pipeline: {path: pipeline/pipeline.yml}\n      variables: {path: pipeline/variables.sample.yml, destination: x}\n";
    let forms = "anchors:\n  size: &size {name: Size, key: size, type: string, widget: auto_complete, \
values_ref: \"https://example.com/sizes\", widget_config: {display: inline}}\nuse_cases:\n  - name: default\n    \
sections:\n      - name: S\n        description: sizes\n        groups:\n          - name: G\n            vars: [*size, \
{name: Tags, key: tags, type: map, widget: repeatable, default: {team: x}}, {name: Zones, key: zones, type: array, \
widget: dropdown, values: [a, b, c], default: [a, b]}, {name: Dt, key: when, type: string, widget: date_time, read_only: true}]\n";
    let r = repo(&[("s/l/.cycloid.yml", cy), ("s/l/.forms.yml", forms)]);
    assert!(r.stack_findings.is_empty(), "{:#?}", r.stack_findings);
}

#[test]
fn duplicate_canonicals_name_both_files() {
    let cy = "name: A\ncanonical: same-stack\n";
    let r = repo(&[("s/a/.cycloid.yml", cy), ("s/b/.cycloid.yml", cy)]);
    assert_eq!(
        r.of("s/b/.cycloid.yml"),
        vec![("stack-canonical-duplicate", 2)]
    );
    assert!(r.stack_findings[0].message.contains("s/a/.cycloid.yml:2"));
}

#[test]
fn empty_broken_and_cyclic_files_are_findings() {
    let cyclic = "name: X\ncanonical: cyc-stack\nconfig: &c\n  default: *c\n";
    let r = repo(&[
        ("s/a/.cycloid.yml", ""),
        ("s/b/.cycloid.yml", "name: B\ncanonical: bb-stack\n"),
        ("s/b/.forms.yml", "# nothing yet\n"),
        ("s/c/.cycloid.yml", "name: C\ncanonical: c\nname: D\n"),
        ("s/d/.cycloid.yml", cyclic),
        ("s/e/.cycloid.yml", "name: E\ncanonical: ee-stack\n"),
        (
            "s/e/.forms.yml",
            "use_cases: &u\n  - name: default\n    sections: *u\n",
        ),
        ("deploy/x.stack.yaml", "a: &a [*a]\n"),
    ]);
    assert_eq!(r.of("s/a/.cycloid.yml"), vec![("empty-file", 1)]);
    assert_eq!(r.of("s/b/.forms.yml"), vec![("empty-file", 1)]);
    assert_eq!(r.of("s/c/.cycloid.yml"), vec![("parse-error", 3)]);
    for f in ["s/d/.cycloid.yml", "s/e/.forms.yml", "deploy/x.stack.yaml"] {
        let got = r.of(f);
        assert_eq!(got.len(), 1, "{f}: {got:?}");
        assert_eq!(got[0].0, "parse-error", "{f}");
    }
    assert!(r.texts.contains_key("s/e/.forms.yml"));
    assert_eq!(r.stacks.len(), 2, "b and e still load without their form");
}

fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::prop_oneof![
        "\\PC{0,200}",
        "[a-z_:{}\\[\\]&*$'\" \n-]{0,200}",
        proptest::sample::select(vec![
            FORMS.to_string(),
            CYCLOID.to_string(),
            instance("    engine: mysql\n")
        ])
        .prop_flat_map(|t| (proptest::strategy::Just(t.clone()), 0..t.len()))
        .prop_map(|(t, cut)| t.chars().take(cut).collect()),
    ]
}

use proptest::strategy::Strategy;

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 128, ..Default::default() })]

    #[test]
    fn loaders_never_panic(forms in any_text(), cy in any_text(), inst in any_text()) {
        let r = repo(&[
            ("s/x/.cycloid.yml", &cy),
            ("s/x/.forms.yml", &forms),
            ("s/y/.cycloid.yml", CYCLOID),
            ("s/y/.forms.yml", &forms),
            ("d/a.stack.yaml", &inst),
            ("d/b.stack.yaml", &inst.replace("aws-rds", "xx")),
        ]);
        for f in r.stack_findings.iter().chain(&r.findings) {
            proptest::prop_assert!(f.line >= 1);
        }
    }
}

#[test]
fn duplicate_key_findings_point_at_the_second_key() {
    let text = "spec:\n  stack: x\n  other: 1\n  stack: y\n";
    let err = |line, column| crate::yaml::YamlError {
        pos: crate::yaml::Pos { line, column },
        message: "spec: duplicate entry with key \"stack\"".into(),
    };
    // Reported at the mapping (serde_yaml) or already at the key: the second key either way.
    assert_eq!(yaml_finding("f", text, &err(2, 3)).line, 4);
    assert_eq!(yaml_finding("f", text, &err(4, 3)).line, 4);
    // A flow mapping cannot be scanned by lines: the error's own position stands.
    let flow = "spec: {stack: x, stack: y}\n";
    assert_eq!(yaml_finding("f", flow, &err(1, 7)).line, 1);
}
