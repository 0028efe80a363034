//! Paths: every form, what they reach, how misses read, and syntax errors.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn doc() -> Json {
    json!({
        "kind": "Component",
        "metadata": {
            "name": "payments",
            "annotations": {"backstage.io/techdocs-ref": "dir:.", "a.b": {"c": 1}},
            "tags": ["java", "pci"],
            "links": [
                {"url": "https://rb", "title": "Runbook", "type": "runbook"},
                {"url": "https://dash", "title": "Dashboard"},
                {"url": "https://rb2", "title": "Runbook", "type": "doc"}
            ],
            "empty": null
        },
        "spec": {"owner": "team-a", "ports": [80, 443], "replicas": 3}
    })
}

fn get(path: &str) -> Reached<'static> {
    let d: &'static Json = Box::leak(Box::new(doc()));
    Path::parse(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .select(d)
}

fn err(path: &str) -> PathError {
    Path::parse(path).unwrap_err()
}

#[test]
fn dotted_fields_subscripts_and_indexes() {
    assert_eq!(get("spec.owner"), Reached::One(&json!("team-a")));
    assert_eq!(
        get("metadata.annotations['backstage.io/techdocs-ref']"),
        Reached::One(&json!("dir:."))
    );
    assert_eq!(
        get(r#"metadata.annotations["a.b"].c"#),
        Reached::One(&json!(1))
    );
    assert_eq!(get("['spec']['owner']"), Reached::One(&json!("team-a")));
    assert_eq!(get("spec.ports[1]"), Reached::One(&json!(443)));
    assert_eq!(get("spec.ports[-1]"), Reached::One(&json!(443)));
    assert_eq!(
        get("metadata.links[0].title"),
        Reached::One(&json!("Runbook"))
    );
    assert_eq!(get("kind"), Reached::One(&json!("Component")));
}

#[test]
fn filters_select_matching_entries() {
    let Reached::Many(v) = get("metadata.links[?title=='Runbook']") else {
        panic!()
    };
    assert_eq!(v.len(), 2);
    assert_eq!(
        get("metadata.links[?type=='runbook'].url"),
        Reached::Many(vec![&json!("https://rb")])
    );
    assert_eq!(
        get(r#"metadata.links[? title != "Runbook" ].url"#),
        Reached::Many(vec![&json!("https://dash")])
    );
    // An entry without the field is "other than" the value.
    assert_eq!(
        get("metadata.links[?type!='doc'].url"),
        Reached::Many(vec![&json!("https://rb"), &json!("https://dash")])
    );
    assert_eq!(
        get("metadata.links[?type].url"),
        Reached::Many(vec![&json!("https://rb"), &json!("https://rb2")])
    );
    assert_eq!(
        get("metadata.tags[?@=='pci']"),
        Reached::Many(vec![&json!("pci")])
    );
    assert_eq!(get("spec.ports[?@==443]"), Reached::Many(vec![&json!(443)]));
    let Reached::Many(v) = get("metadata.links[*].url") else {
        panic!()
    };
    assert_eq!(v.len(), 3);
}

#[test]
fn missing_values_say_where_and_why() {
    let path = |p: &str| Path::parse(p).unwrap();
    let why = |p: &str| match get(p) {
        Reached::Missing { step, wrong } => path(p).describe_missing(step, wrong),
        other => panic!("{p}: {other:?}"),
    };
    assert_eq!(why("spec.system"), "spec.system is missing");
    assert_eq!(why("metadata.empty"), "metadata.empty is missing");
    assert_eq!(why("status.x"), "status is missing");
    assert_eq!(
        why("metadata.annotations['pagerduty.com/service-id']"),
        "metadata.annotations['pagerduty.com/service-id'] is missing"
    );
    assert_eq!(
        why("metadata.links[?title=='Wiki']"),
        "metadata.links has no entry with title 'Wiki'"
    );
    assert_eq!(
        why("metadata.links[?type=='runbook'].icon"),
        "metadata.links[?type=='runbook'].icon is missing"
    );
    assert_eq!(why("spec.ports[5]"), "spec.ports has no item [5]");
    assert_eq!(why("spec.ports[-3]"), "spec.ports has no item [-3]");
    assert_eq!(
        why("spec.owner[?x=='y']"),
        "spec.owner is a string, not a list"
    );
    assert_eq!(
        why("metadata.links.url"),
        "metadata.links is a list, not a mapping"
    );
    assert_eq!(
        why("metadata.tags[?@=='go']"),
        "metadata.tags has no entry 'go'"
    );
}

#[test]
fn several_values_are_described() {
    let p = Path::parse("metadata.links[?title=='Runbook']").unwrap();
    let d = doc();
    let Reached::Many(v) = p.select(&d) else {
        panic!()
    };
    assert_eq!(
        p.describe_many(&v),
        "metadata.links has 2 entries with title 'Runbook'"
    );
    let p = Path::parse("metadata.links[?type].url").unwrap();
    let Reached::Many(v) = p.select(&d) else {
        panic!()
    };
    assert_eq!(
        p.describe_many(&v),
        "metadata.links[?type].url is 'https://rb', 'https://rb2'"
    );
}

#[test]
fn syntax_errors_have_a_column() {
    assert_eq!(err("").message, "the path is empty");
    assert_eq!(err("spec.").column, 6);
    assert!(
        err("spec.").message.contains("a field name"),
        "{:?}",
        err("spec.")
    );
    assert_eq!(err("spec..owner").column, 6);
    assert_eq!(err("metadata.annotations['x").column, 22);
    assert!(
        err("metadata.annotations['x")
            .message
            .contains("never closed")
    );
    assert_eq!(err("metadata.links[?title='x']").column, 22);
    assert_eq!(err("metadata.links[?title=='x'").column, 15);
    assert!(err("a[?b==bare]").message.contains("quoted text"));
    assert_eq!(err("a[1x]").column, 4);
    assert_eq!(err("a b").column, 2);
    assert!(err("a[]").message.contains("after `[`"));
    assert_eq!(err("a[?b=='é'] x").column, 11);
    assert!(err("a[?b[?c[?d[?e[?f]]]]]").message.contains("nested"));
    assert!(
        err("a[99999999999999999999]")
            .message
            .contains("not an index")
    );
}

#[test]
fn first_key_and_display() {
    let p = Path::parse("spec.owner").unwrap();
    assert_eq!(p.first_key(), Some("spec"));
    assert_eq!(p.to_string(), "spec.owner");
    assert!(!p.is_many());
    assert!(Path::parse("a[*]").unwrap().is_many());
    assert_eq!(Path::parse("[0]").unwrap().first_key(), None);
    assert!(matches!(
        Path::parse("[0]").unwrap().select(&doc()),
        Reached::Missing { step: 0, .. }
    ));
}

proptest! {
    #[test]
    fn any_text_parses_or_errs_without_panic(s in "\\PC{0,40}") {
        if let Ok(p) = Path::parse(&s) {
            let d = doc();
            if let Reached::Missing { step, wrong } = p.select(&d) {
                let _ = p.describe_missing(step, wrong);
            }
        }
    }

    #[test]
    fn path_like_text_never_panics(s in "[a-z.\\[\\]'\"?=!@*0-9 -]{0,30}") {
        if let Ok(p) = Path::parse(&s) {
            let d = doc();
            match p.select(&d) {
                Reached::Missing { step, wrong } => { let _ = p.describe_missing(step, wrong); }
                Reached::Many(v) => { let _ = p.describe_many(&v); }
                Reached::One(_) => {}
            }
        }
    }
}
