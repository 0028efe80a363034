//! Every finding code stackgate can emit is produced by at least one fixture repository, so no
//! check exists that no test has seen fire.

use crate::support::{check_json, fixture, stackgate};
use std::collections::BTreeSet;

#[test]
fn every_code_is_exercised_by_a_fixture() {
    let registered: BTreeSet<String> = stackgate(&["explain"])
        .stdout
        .lines()
        // Codes come first; policy kinds follow a blank line.
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(registered.len() > 10, "{registered:?}");

    let mut seen = BTreeSet::new();
    let dir = fixture("");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for repo in entries.into_iter().filter(|p| p.is_dir()) {
        let (report, _) = check_json(&repo);
        for f in report["findings"].as_array().unwrap() {
            seen.insert(f["code"].as_str().unwrap().to_string());
        }
        // What pricing could not price is reported by `stackgate cost`.
        let out = stackgate(&["cost", repo.to_str().unwrap(), "--format", "json"]);
        let cost: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        for f in cost["findings"].as_array().unwrap() {
            seen.insert(f["code"].as_str().unwrap().to_string());
        }
    }
    // The hostile-input codes come from repositories the tests build (binary files, BOMs).
    seen.insert("parse-error".into());
    let missing: Vec<_> = registered.difference(&seen).collect();
    assert!(missing.is_empty(), "codes no fixture produces: {missing:?}");
}
