//! The generated monorepo: stackgate finds exactly the problems the generator planted, and the
//! report is byte-for-byte the same whatever the thread count.

use crate::support::repo_root;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn generator() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_stackgate"));
    let exe = bin
        .with_file_name("examples")
        .join(format!("gen_monorepo{}", std::env::consts::EXE_SUFFIX));
    if !exe.exists() {
        // `cargo test` builds examples; a filtered run (`--test it`) may not have.
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--example", "gen_monorepo"])
            .current_dir(repo_root())
            .status()
            .expect("cargo runs");
        assert!(status.success());
    }
    exe
}

fn check(dir: &Path, threads: &str) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_stackgate"))
        .args(["check", dir.to_str().unwrap(), "--format", "json"])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn generated_monorepo_yields_exactly_the_planted_findings() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("mono");
    let status = Command::new(generator())
        .args([
            "--out",
            repo.to_str().unwrap(),
            "--instances",
            "400",
            "--tf-files",
            "150",
            "--seed",
            "11",
        ])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let (one, code) = check(&repo, "1");
    let (two, _) = check(&repo, "2");
    assert_eq!(one, two, "the report depends on the thread count");

    let report: serde_json::Value = serde_json::from_str(&one).unwrap();
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> =
        std::fs::read_to_string(repo.join("expected-findings.tsv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (file, code) = l.split_once('\t').unwrap();
                (file.to_string(), code.to_string())
            })
            .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["stack_instances"], 400);
}
