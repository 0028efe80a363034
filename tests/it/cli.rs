//! The command line contract: exit codes, formats, explain.

use crate::support::{fixture, stackgate, temp_repo};

#[test]
fn missing_directory_is_a_usage_error() {
    let out = stackgate(&["check", "/nonexistent/stackgate-test"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a directory"), "{}", out.stderr);
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = stackgate(&["check", ".", "--format", "yaml"]);
    assert_eq!(out.code, 2);
}

#[test]
fn a_broken_config_exits_2_but_still_reports() {
    let repo = temp_repo(&[
        (
            "stackgate.yaml",
            b"version: 1\nstacks: [\"stacks/*\"]\nfail_on: sometimes\nunknown_key: 1\n",
        ),
        ("deploy/x.stack.yaml", b"{"),
    ]);
    let out = stackgate(&["check", repo.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "config-invalid" && f["line"] == 3)
    );
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "config-invalid" && f["line"] == 4)
    );
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "parse-error" && f["file"] == "deploy/x.stack.yaml")
    );
}

#[test]
fn explain_lists_and_explains_codes() {
    let all = stackgate(&["explain"]);
    assert_eq!(all.code, 0);
    assert!(all.stdout.contains("parse-error"));
    let one = stackgate(&["explain", "parse-error"]);
    assert_eq!(one.code, 0);
    assert!(one.stdout.contains("not valid YAML"));
    assert_eq!(stackgate(&["explain", "no-such-code"]).code, 2);
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.json");
    let out = stackgate(&[
        "check",
        fixture("clean").to_str().unwrap(),
        "--format",
        "json",
        "--output",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_file).unwrap()).unwrap();
    assert_eq!(report["summary"]["passed"], true);
}

#[test]
fn readme_lists_every_code() {
    let readme = std::fs::read_to_string(crate::support::repo_root().join("README.md")).unwrap();
    // Codes come first; policy kinds follow a blank line.
    for line in stackgate(&["explain"])
        .stdout
        .lines()
        .take_while(|l| !l.is_empty())
    {
        let code = line.split_whitespace().next().unwrap();
        assert!(
            readme.contains(&format!("| `{code}` |")),
            "README does not list `{code}`"
        );
    }
}
