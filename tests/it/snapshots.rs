//! Snapshots of user-facing text: the human and JSON reports of the demo repository and of the
//! fixtures, and the wording of schema errors. Review changes with `cargo insta review`.

use crate::support::{fixture, repo_root, stackgate};

fn human(dir: &std::path::Path) -> String {
    let out = stackgate(&["check", dir.to_str().unwrap(), "--color", "never"]);
    format!("exit code: {}\n{}", out.code, out.stdout)
}

fn json(dir: &std::path::Path) -> serde_json::Value {
    let out = stackgate(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let mut v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // The version changes with every release; the shape must not.
    v["tool"]["version"] = "[version]".into();
    // Resources are snapshotted by `stackgate inspect` (one line each); here, their number.
    for p in v["projects"].as_array_mut().unwrap() {
        let n = p["resources"].as_array().map_or(0, Vec::len);
        p["resources"] = format!("[{n} resources]").into();
    }
    v
}

#[test]
fn demo_inspect() {
    let out = stackgate(&[
        "inspect",
        repo_root().join("examples/acme-platform").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn demo_human() {
    insta::assert_snapshot!(human(&repo_root().join("examples/acme-platform")));
}

#[test]
fn demo_json() {
    insta::assert_json_snapshot!(json(&repo_root().join("examples/acme-platform")));
}

#[test]
fn fixtures_human() {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        insta::assert_snapshot!(format!("fixture_{name}"), human(&fixture(&name)));
    }
}

#[test]
fn explain_policy_kinds() {
    for kind in [
        "region",
        "instance-type",
        "tags",
        "cost",
        "attribute",
        "resource-type",
    ] {
        let out = stackgate(&["explain", kind]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        insta::assert_snapshot!(format!("explain_{kind}"), out.stdout);
    }
}

#[test]
fn cost_table_and_comment() {
    let dir = fixture("cost");
    let dir = dir.to_str().unwrap();
    let table = stackgate(&["cost", dir]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    insta::assert_snapshot!("cost_table", table.stdout);
    let md = stackgate(&["cost", dir, "--format", "markdown"]);
    insta::assert_snapshot!("cost_markdown", md.stdout);
}

#[test]
fn demo_cost_table() {
    let out = stackgate(&[
        "cost",
        repo_root().join("examples/acme-platform").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}
