//! `stackgate cost`: prices of the cost fixture checked to the cent against list prices worked
//! out by hand, and the difference against a base read from a real git repository.

use crate::support::{fixture, stackgate};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn cost_json(args: &[&str]) -> Value {
    let mut all = vec!["cost"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = stackgate(&all);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("Infracost JSON ({e}):\n{}", out.stdout))
}

/// `address → monthlyCost` of a project's breakdown.
fn resource_costs(report: &Value, project: &str, breakdown: &str) -> Vec<(String, Option<String>)> {
    let p = report["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .find(|p| p["name"] == project)
        .unwrap_or_else(|| panic!("no project {project}"));
    p[breakdown]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or_default().to_string(),
                r["monthlyCost"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-11-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const BASE_TF: &str = r#"provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "m5.large"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = "eipalloc-1"
  subnet_id     = "subnet-1"
}
"#;

#[test]
fn base_is_read_from_git_at_the_merge_base() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.email", "t@example.com"]);
    git(repo, &["config", "user.name", "t"]);
    write(repo, "infra/app/main.tf", BASE_TF);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["checkout", "-q", "-b", "feature"]);
    // Committed on the branch: the instance grows (m5.large → m5.xlarge).
    write(repo, "infra/app/main.tf", &BASE_TF.replace("m5.large", "m5.xlarge"));
    git(repo, &["commit", "-q", "-am", "bigger"]);
    // main moves on after the branch point: that change is not part of the pull request.
    git(repo, &["checkout", "-q", "main"]);
    write(repo, "infra/other/main.tf", "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\nresource \"aws_instance\" \"x\" {\n  ami           = \"ami-1\"\n  instance_type = \"m5.4xlarge\"\n}\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "unrelated"]);
    git(repo, &["checkout", "-q", "feature"]);
    // Not committed: the working tree is the head, so the NAT gateway's removal counts.
    write(repo, "infra/app/main.tf", &BASE_TF.replace("m5.large", "m5.xlarge").replace(
        "resource \"aws_nat_gateway\" \"nat\" {\n  allocation_id = \"eipalloc-1\"\n  subnet_id     = \"subnet-1\"\n}\n",
        "",
    ));

    let dir = repo.to_str().expect("utf-8");
    let report = cost_json(&[dir, "--base", "main"]);
    // m5.large 0.096 × 730 = 70.08; m5.xlarge 0.192 × 730 = 140.16; root volume 8 GB gp2 × 0.10 = 0.80;
    // NAT gateway 0.045 × 730 = 32.85 (its data depends on usage).
    assert_eq!(report["pastTotalMonthlyCost"], "103.73", "{report:#}");
    assert_eq!(report["totalMonthlyCost"], "140.96");
    assert_eq!(report["diffTotalMonthlyCost"], "37.23");
    assert_eq!(report["projects"].as_array().map(Vec::len), Some(1), "main's later project is not in the base");
    let diff = &report["projects"][0]["diff"]["resources"];
    let changes: Vec<(&str, &str)> = diff
        .as_array()
        .expect("diff resources")
        .iter()
        .map(|r| (r["name"].as_str().unwrap_or(""), r["change"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(changes, vec![("aws_instance.web", "changed"), ("aws_nat_gateway.nat", "removed")]);
    assert!(report["metadata"]["base"].as_str().is_some_and(|b| b.starts_with("main@")));

    let table = stackgate(&["cost", dir, "--base", "main"]);
    assert!(table.stdout.contains("~ aws_instance.web"), "{}", table.stdout);
    assert!(table.stdout.contains("- aws_nat_gateway.nat"), "{}", table.stdout);
    assert!(table.stdout.contains("OVERALL: +$37.23 a month ($103.73 → $140.96)"), "{}", table.stdout);

    let md = stackgate(&["cost", dir, "--base", "main", "--format", "markdown"]);
    assert!(md.stdout.starts_with("<!-- stackgate:cost -->"));
    assert!(md.stdout.contains("Monthly cost will increase by **$37.23** (+36%)"), "{}", md.stdout);
}

#[test]
fn a_revision_that_does_not_exist_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.email", "t@example.com"]);
    git(repo, &["config", "user.name", "t"]);
    write(repo, "infra/app/main.tf", BASE_TF);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    let out = stackgate(&["cost", repo.to_str().expect("utf-8"), "--base", "no-such-branch"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no-such-branch"), "{}", out.stderr);
}

#[test]
fn fixture_json_names_every_resource_by_address() {
    let report = cost_json(&[fixture("cost").to_str().expect("utf-8")]);
    assert_eq!(report["version"], "0.2");
    assert_eq!(report["currency"], "USD");
    let app = resource_costs(&report, "infra/app", "breakdown");
    let names: Vec<&str> = app.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"module.cache.aws_elasticache_cluster.this"), "{names:?}");
    assert!(names.contains(&"aws_cloudwatch_log_group.logs[\"audit\"]"), "{names:?}");
}
