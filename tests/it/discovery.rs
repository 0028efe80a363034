//! Discovery on real git repositories: ignored files are not read, roles are auto-detected.

use crate::support::{check_json, codes, temp_repo};
use std::process::Command;

fn git(dir: &std::path::Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn gitignored_files_are_not_read() {
    let repo = temp_repo(&[
        (".gitignore", b"generated/\n*.local.stack.yaml\n"),
        ("generated/broken.stack.yaml", b"{{{"),
        ("deploy/mine.local.stack.yaml", b"{{{"),
        ("deploy/real.stack.yaml", b"{{{"),
        (
            "infra/app/main.tf",
            b"resource \"aws_s3_bucket\" \"b\" {}\n",
        ),
        (
            "infra/app/.terraform/modules/x/main.tf",
            b"this is { not hcl",
        ),
    ]);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(
        repo.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "init",
        ],
    );
    let (report, code) = check_json(repo.path());
    assert_eq!(code, 1);
    let files: Vec<String> = codes(&report).into_iter().map(|(_, f, _)| f).collect();
    assert_eq!(files, vec!["deploy/real.stack.yaml"], "{report:#}");
    assert_eq!(report["summary"]["terraform_roots"], 1);
}

#[test]
fn a_repository_with_nothing_to_check_passes() {
    let repo = temp_repo(&[("README.md", b"# nothing here\n")]);
    let (report, code) = check_json(repo.path());
    assert_eq!(code, 0);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["summary"]["passed"], true);
}
