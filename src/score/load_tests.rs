//! Loading scorecard files: the shipped files load clean, and every mistake is a finding on
//! its exact line.

use super::fixture::cards;
use super::{Check, Scorecard};
use crate::finding::Finding;
use proptest::prelude::*;

fn read(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn one(text: &str) -> (Vec<Scorecard>, Vec<Finding>) {
    cards(&[("scorecards/a.yaml", text)])
}

/// `(line, message)` of each finding of one file.
fn problems(text: &str) -> Vec<(usize, String)> {
    let (_, findings) = one(text);
    findings
        .into_iter()
        .map(|f| {
            assert_eq!(f.code, "scorecard-invalid", "{f:?}");
            (f.line, f.message)
        })
        .collect()
}

/// The single finding of a file, which must name `needle`, and its line.
fn line_of(text: &str, needle: &str) -> usize {
    let p = problems(text);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0].1.contains(needle), "{:?} lacks {needle:?}", p[0].1);
    p[0].0
}

const HEAD: &str = "\
scorecard: readiness
levels:
  - { name: bronze, rank: 1 }
  - { name: silver, rank: 2 }
rules:
";

#[test]
fn the_acme_example_loads_clean() {
    let text = read("examples/acme-platform/scorecards/production-readiness.yaml");
    let (cards, findings) = cards(&[("scorecards/production-readiness.yaml", &text)]);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    assert_eq!(card.id, "production-readiness");
    assert_eq!(card.line, 3);
    assert_eq!(card.applies_to.kinds, ["Component"]);
    assert_eq!(card.levels.len(), 3);
    let ids: Vec<&str> = card.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "has-owner",
            "has-system",
            "has-docs",
            "has-runbook",
            "on-call",
            "policy-clean",
            "within-budget"
        ]
    );
    assert_eq!(card.rules[0].line, 11);
    assert!(matches!(card.rules[5].check, Check::Fact { .. }));
}

#[test]
fn the_starter_scorecard_loads_clean() {
    let text = read("scorecards/production-readiness.yaml");
    let (cards, findings) = cards(&[("scorecards/production-readiness.yaml", &text)]);
    assert!(findings.is_empty(), "{findings:#?}");
    let card = &cards[0];
    assert_eq!(card.levels.len(), 3);
    assert!(card.rules.len() >= 10);
    // It shows both kinds of check, and weights.
    assert!(
        card.rules
            .iter()
            .any(|r| matches!(r.check, Check::Path { .. }))
    );
    assert!(
        card.rules
            .iter()
            .any(|r| matches!(r.check, Check::Fact { .. }))
    );
    assert!(card.rules.iter().any(|r| r.weight > 1.0));
}

#[test]
fn a_list_of_scorecards_and_several_documents() {
    let text = "\
scorecards:
  - scorecard: a
    levels: [bronze, silver]
    rules: [{ id: r, level: silver, check: { path: spec.owner, op: exists } }]
  - scorecard: b
    levels: [{ name: only }]
    rules: [{ id: r, level: only, check: { fact: oncall, op: eq, value: true } }]
---
scorecard: c
levels: [{ name: x, rank: 5 }, { name: y, rank: 2 }]
rules: [{ id: r, level: x, weight: 0.5, check: { path: kind, op: eq, value: Component } }]
";
    let (cards, findings) = one(text);
    assert!(findings.is_empty(), "{findings:#?}");
    let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(cards[0].levels[1].rank, 2);
    assert_eq!(cards[0].rules[0].rank, 2);
    assert_eq!((cards[1].line, cards[2].line), (5, 9));
    // Levels are kept lowest rank first.
    assert_eq!(cards[2].levels[0].name, "y");
    assert_eq!(cards[2].rules[0].weight, 0.5);
}

#[test]
fn missing_parts_of_a_rule() {
    let l = line_of(
        &format!(
            "{HEAD}  - {{ id: a, level: bronze, check: {{ path: spec.owner, op: exists }} }}\n  - level: bronze\n    check: {{ path: spec.x, op: exists }}\n"
        ),
        "a rule needs an `id`",
    );
    assert_eq!(l, 7);
    let l = line_of(
        &format!("{HEAD}  - id: a\n    check: {{ path: spec.owner, op: exists }}\n"),
        "rule `a`: a rule needs a `level`: one of bronze, silver",
    );
    assert_eq!(l, 6);
    let l = line_of(
        &format!("{HEAD}  - id: a\n    level: bronze\n"),
        "a rule needs a `check`",
    );
    assert_eq!(l, 6);
    let l = line_of(
        &format!("{HEAD}  - id: a\n    level: bronze\n    check:\n      path: spec.owner\n"),
        "a check needs an `op`",
    );
    assert_eq!(l, 8);
    let l = line_of(
        &format!("{HEAD}  - id: a\n    level: bronze\n    check: {{ op: exists }}\n"),
        "needs a `path` into the entity",
    );
    assert_eq!(l, 8);
}

#[test]
fn unknown_level_op_and_fact() {
    let l = line_of(
        &format!(
            "{HEAD}  - id: a\n    level: silvr\n    check: {{ path: spec.owner, op: exists }}\n"
        ),
        "unknown level `silvr` (did you mean `silver`?)",
    );
    assert_eq!(l, 7);
    let text = format!(
        "{HEAD}  - id: a\n    level: bronze\n    check:\n      path: spec.owner\n      op: exist\n"
    );
    assert_eq!(
        line_of(&text, "unknown op `exist` (did you mean `exists`?)"),
        10
    );
    let text = format!(
        "{HEAD}  - id: a\n    level: bronze\n    check:\n      fact: policy.denied\n      op: eq\n      value: 0\n"
    );
    assert_eq!(
        line_of(
            &text,
            "unknown fact `policy.denied` (did you mean `policy.deny`?)"
        ),
        9
    );
}

#[test]
fn bad_paths_are_findings_at_the_path() {
    let text = format!(
        "{HEAD}  - id: a\n    level: bronze\n    check:\n      op: exists\n      path: \"metadata.links[?title='Runbook']\"\n"
    );
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].0, 10);
    assert!(
        p[0].1.starts_with(
            "rule `a`: invalid path `metadata.links[?title='Runbook']`: unexpected `=`; expected \
             `==`, `!=` or `]` in a filter (column 22)"
        ),
        "{}",
        p[0].1
    );
    let one_line = format!(
        "{HEAD}  - {{ id: a, level: bronze, check: {{ path: \"spec.owner[\", op: exists }} }}\n"
    );
    assert_eq!(line_of(&one_line, "the path ends too early"), 6);
    let text =
        format!("{HEAD}  - {{ id: a, level: bronze, check: {{ path: owner, op: exists }} }}\n");
    line_of(
        &text,
        "must start with apiVersion, kind, metadata or spec (did you mean `spec.owner`?)",
    );
    let text = format!(
        "{HEAD}  - {{ id: a, level: bronze, check: {{ path: Spec.owner, op: exists }} }}\n"
    );
    line_of(&text, "(did you mean `spec`?)");
}

#[test]
fn duplicates() {
    let text = format!(
        "{HEAD}  - {{ id: a, level: bronze, check: {{ path: spec.owner, op: exists }} }}\n  - {{ id: a, level: silver, check: {{ path: spec.system, op: exists }} }}\n"
    );
    assert_eq!(
        line_of(
            &text,
            "rule id `a` is used twice in this scorecard (first at line 6)"
        ),
        7
    );
    let text = "\
scorecard: x
levels:
  - { name: bronze, rank: 1 }
  - { name: silver, rank: 1 }
  - { name: bronze, rank: 3 }
rules: [{ id: a, level: bronze, check: { path: spec.owner, op: exists } }]
";
    let p = problems(text);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!(p[0].0, 4);
    assert!(
        p[0].1
            .contains("levels `bronze` and `silver` both have rank 1"),
        "{p:?}"
    );
    assert_eq!(p[1].0, 5);
    assert!(p[1].1.contains("level `bronze` is defined twice"), "{p:?}");
}

#[test]
fn a_scorecard_defined_in_two_files_keeps_the_first() {
    let card = "scorecard: same\nlevels: [bronze]\nrules: [{ id: a, level: bronze, check: { path: spec.owner, op: exists } }]\n";
    let (cards, findings) = cards(&[("scorecards/b.yaml", card), ("scorecards/a.yaml", card)]);
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].file, "scorecards/a.yaml");
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!((f.file.as_str(), f.line), ("scorecards/b.yaml", 1));
    assert_eq!(
        f.message,
        "scorecard `same` is already defined at scorecards/a.yaml:1; this one is ignored"
    );
}

#[test]
fn values_must_fit_the_op_and_the_fact() {
    let rule = |check: &str| format!("{HEAD}  - id: a\n    level: bronze\n    check: {check}\n");
    let cases = [
        (
            "{ path: spec.x, op: gt, value: '3' }",
            "the `value` of `gt` must be a number",
        ),
        (
            "{ path: spec.x, op: exists, value: true }",
            "`exists` takes no `value`",
        ),
        (
            "{ path: spec.x, op: in, value: production }",
            "must be a list",
        ),
        (
            "{ path: spec.x, op: matches, value: '(' }",
            "invalid regular expression",
        ),
        ("{ path: spec.x, op: eq }", "`eq` needs a `value`"),
        (
            "{ fact: policy.deny, op: eq, value: 'zero' }",
            "`policy.deny` is a number, so the `value` of `eq` must be a number, not a string",
        ),
        (
            "{ fact: oncall, op: gt, value: 0 }",
            "`gt` compares numbers, and `oncall` is a bool",
        ),
        (
            "{ fact: cost.monthly, op: matches, value: '1' }",
            "`matches` works on text",
        ),
        (
            "{ fact: oncall, op: absent }",
            "`absent` cannot be checked on a fact",
        ),
        ("{ fact: oncall, path: spec.x, op: exists }", "not both"),
        (
            "{ path: spec.x, op: exists, when: x }",
            "unknown key `when` in a check",
        ),
    ];
    for (check, needle) in cases {
        line_of(&rule(check), needle);
    }
    // Text facts take text; in-lists of the right type pass.
    assert!(
        problems(&rule(
            "{ fact: git.last_change, op: matches, value: '^2024' }"
        ))
        .is_empty()
    );
    assert!(problems(&rule("{ fact: policy.warn, op: in, value: [0, 1] }")).is_empty());
}

#[test]
fn other_malformed_fields() {
    let rule = |extra: &str| {
        format!(
            "{HEAD}  - id: a\n    level: bronze\n{extra}    check: {{ path: spec.x, op: exists }}\n"
        )
    };
    assert_eq!(
        line_of(
            &rule("    weight: -1\n"),
            "`weight` must be a number of at least 0"
        ),
        8
    );
    assert_eq!(
        line_of(
            &rule("    wieght: 2\n"),
            "unknown key `wieght` in a rule (did you mean `weight`?)"
        ),
        8
    );
    assert_eq!(
        line_of(
            &rule("    applies_to: { lifecycle: [production] }\n"),
            "unknown key `lifecycle` in `applies_to` (did you mean `lifecycles`?)"
        ),
        8
    );
    assert_eq!(
        line_of(
            &rule("    applies_to: { types: [] }\n"),
            "`types` is empty, so nothing matches"
        ),
        8
    );
    assert_eq!(
        line_of(&rule("    check2: {}\n"), "unknown key `check2`"),
        8
    );
    let l = line_of(
        "scorecard: 'bad id'\nlevels: [a]\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n",
        "scorecard id `bad id` must be",
    );
    assert_eq!(l, 1);
    assert_eq!(
        line_of(
            "scorecard: x\nlevels: []\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n",
            "`levels` is empty"
        ),
        2
    );
    assert_eq!(
        line_of(
            "scorecard: x\nlevels: [{ name: a, rank: 0 }]\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n",
            "`rank` must be a whole number from 1 up, not 0"
        ),
        2
    );
    assert_eq!(
        line_of("scorecard: x\nlevels: [a]\nrules: []\n", "`rules` is empty"),
        3
    );
    assert_eq!(
        line_of(
            "scorecard: x\nlevels: [a]\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\nowner: me\n",
            "unknown key `owner` in a scorecard"
        ),
        4
    );
    assert_eq!(
        line_of(
            "levels: [a]\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n",
            "a scorecard needs an id"
        ),
        1
    );
    assert_eq!(line_of("- a\n- b\n", "a scorecard file is a mapping"), 1);
    assert_eq!(
        line_of("scorecards: {}\n", "`scorecards` must be a list"),
        1
    );
    assert_eq!(line_of("scorecards: []\nscorecard: x\n", "not both"), 2);
}

#[test]
fn a_broken_scorecard_is_dropped_and_the_rest_load() {
    let good = "scorecard: good\nlevels: [a]\nrules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n";
    let text = format!(
        "scorecards:\n  - scorecard: broken\n    levels: [a]\n    rules: [{{ id: r, level: b, check: {{ path: kind, op: exists }} }}]\n  - {}",
        "scorecard: fine\n    levels: [a]\n    rules: [{ id: r, level: a, check: { path: kind, op: exists } }]\n"
    );
    let (cards, findings) = cards(&[
        ("scorecards/1.yaml", "scorecard: [unclosed\n"),
        ("scorecards/2.yaml", &text),
        ("scorecards/3.yaml", good),
        ("scorecards/4.yaml", "# nothing yet\n"),
    ]);
    let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["fine", "good"]);
    let got: Vec<(&str, &str, usize)> = findings
        .iter()
        .map(|f| (f.file.as_str(), f.code, f.line))
        .collect();
    assert_eq!(
        got,
        [
            ("scorecards/1.yaml", "parse-error", 2),
            ("scorecards/2.yaml", "scorecard-invalid", 4),
            ("scorecards/4.yaml", "empty-file", 1),
        ]
    );
}

#[test]
fn findings_read_well() {
    let text = "\
scorecard: readiness
levels:
  - { name: bronze, rank: 1 }
  - { name: gold }
rules:
  - id: has-owner
    level: bronze
    check: { path: spec.owner, op: exsts }
  - id: has-runbook
    level: silver
    check: { path: \"metadata.links[?title=='Runbook'\", op: exists }
  - id: clean
    level: gold
    weight: heavy
    check: { fact: cost.overbudget, op: eq, value: false }
";
    let out: String = one(text)
        .1
        .iter()
        .map(|f| format!("{}:{} {} {}\n", f.file, f.line, f.code, f.message))
        .collect();
    insta::assert_snapshot!(out);
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = one(&text);
    }

    #[test]
    fn scorecard_like_yaml_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("scorecard: x".to_string()),
                Just("scorecards:".to_string()),
                Just("levels: [a, b]".to_string()),
                Just("rules:".to_string()),
                Just("  - id: r".to_string()),
                Just("    level: a".to_string()),
                Just("    weight: -2".to_string()),
                Just("    check: { path: spec.x, op: exists }".to_string()),
                Just("    check: { fact: oncall, op: in, value: [true] }".to_string()),
                Just("  - { name: a, rank: 1 }".to_string()),
                Just("---".to_string()),
                "[ a-z:{}\\[\\]'\"?=.,-]{0,30}",
            ],
            0..12,
        )
    ) {
        let _ = one(&lines.join("\n"));
    }
}
