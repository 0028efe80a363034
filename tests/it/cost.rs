//! `stackgate cost`: prices of the cost fixture checked to the cent against list prices worked
//! out by hand, and the difference against a base read from a real git repository.

use crate::support::{fixture, git, stackgate};
use serde_json::Value;
use std::path::Path;

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
    write(
        repo,
        "infra/app/main.tf",
        &BASE_TF.replace("m5.large", "m5.xlarge"),
    );
    git(repo, &["commit", "-q", "-am", "bigger"]);
    // main moves on after the branch point: that change is not part of the pull request.
    git(repo, &["checkout", "-q", "main"]);
    write(
        repo,
        "infra/other/main.tf",
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\nresource \"aws_instance\" \"x\" {\n  ami           = \"ami-1\"\n  instance_type = \"m5.4xlarge\"\n}\n",
    );
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
    assert_eq!(
        report["projects"].as_array().map(Vec::len),
        Some(1),
        "main's later project is not in the base"
    );
    let diff = &report["projects"][0]["diff"]["resources"];
    let changes: Vec<(&str, &str)> = diff
        .as_array()
        .expect("diff resources")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or(""),
                r["change"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("aws_instance.web", "changed"),
            ("aws_nat_gateway.nat", "removed")
        ]
    );
    assert!(
        report["metadata"]["base"]
            .as_str()
            .is_some_and(|b| b.starts_with("main@"))
    );

    let table = stackgate(&["cost", dir, "--base", "main"]);
    assert!(
        table.stdout.contains("~ aws_instance.web"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("- aws_nat_gateway.nat"),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("OVERALL: +$37.23 a month ($103.73 → $140.96)"),
        "{}",
        table.stdout
    );

    let md = stackgate(&["cost", dir, "--base", "main", "--format", "markdown"]);
    assert!(md.stdout.starts_with("<!-- stackgate:cost -->"));
    assert!(
        md.stdout
            .contains("Monthly cost will increase by **$37.23** (+36%)"),
        "{}",
        md.stdout
    );
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
    let out = stackgate(&[
        "cost",
        repo.to_str().expect("utf-8"),
        "--base",
        "no-such-branch",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no-such-branch"), "{}", out.stderr);
}

/// Rounds a decimal string to the cent.
fn cents(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| format!("{:.2}", s.parse::<f64>().expect("decimal money")))
}

#[test]
fn fixture_costs_match_list_prices_to_the_cent() {
    let report = cost_json(&[fixture("cost").to_str().expect("utf-8")]);
    assert_eq!(report["version"], "0.2");
    assert_eq!(report["currency"], "USD");
    let expect = |project: &str, want: &[(&str, Option<&str>)]| {
        let got: Vec<(String, Option<String>)> = resource_costs(&report, project, "breakdown")
            .iter()
            .map(|(n, c)| (n.clone(), cents(c)))
            .collect();
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(n, c)| (n.to_string(), c.map(str::to_string)))
            .collect();
        assert_eq!(got, want, "{project}");
    };
    // us-east-1. Usage from infracost-usage.yml: the exact address beats `logs[*]`, the type
    // default prices the Lambda. RDS list prices are 20% off (pricing/overrides.yaml).
    expect(
        "infra/app",
        &[
            // 50 GB × $0.03 stored
            ("aws_cloudwatch_log_group.logs[\"app\"]", Some("1.50")),
            // 200 GB × $0.03
            ("aws_cloudwatch_log_group.logs[\"audit\"]", Some("6.00")),
            // MySQL db.t3.small $0.034/h × 0.8 × 730 = 19.856; 100 GB gp2 $0.115 × 0.8 = 9.20
            ("aws_db_instance.db", Some("29.06")),
            // m5.large (tfvars) $0.096 × 730 = 70.08; 20 GB gp3 root × $0.08 = 1.60; count = 2
            ("aws_instance.web[0]", Some("71.68")),
            ("aws_instance.web[1]", Some("71.68")),
            // instance type unknown (no value): only the 8 GB gp2 root volume, $0.80
            ("aws_instance.worker", Some("0.80")),
            // 1M requests × $0.20/1M; 1M × 0.2 s × 0.5 GB = 100,000 GB-s × $0.0000166667
            ("aws_lambda_function.api", Some("1.87")),
            // $0.0225 × 730; LCUs depend on usage
            ("aws_lb.alb", Some("16.43")),
            // $0.045 × 730 + 100 GB × $0.045
            ("aws_nat_gateway.nat", Some("37.35")),
            // 1,000 GB Standard × $0.023
            ("aws_s3_bucket.assets", Some("23.00")),
            // cache.t3.medium is not in the snapshot: no cost, a price-not-found finding
            ("module.cache.aws_elasticache_cluster.this", None),
        ],
    );
    // eu-west-1: gp2 at $0.11; EKS $0.10 × 730; t3.medium at the custom $0.04 (overrides).
    expect(
        "infra/eu",
        &[
            ("aws_ebs_volume.data", Some("11.00")),
            ("aws_eks_cluster.main", Some("73.00")),
            ("aws_instance.app", Some("30.08")),
        ],
    );
    // westeurope: Standard_D2s_v3 $0.12 × 730 = 87.60; a 32 GiB Standard SSD is an E4, $2.40.
    expect(
        "infra/azure",
        &[("azurerm_linux_virtual_machine.vm", Some("90.00"))],
    );
    // us-central1: e2-standard-2 = 2 vCPU × $0.02181159 + 8 GiB × $0.00292353 = $0.06701142/h
    // × 730 = 48.92; 50 GB pd-ssd × $0.17 = 8.50.
    expect(
        "infra/gcp",
        &[("google_compute_instance.vm", Some("57.42"))],
    );
    assert_eq!(
        cents(&report["totalMonthlyCost"].as_str().map(str::to_string)).as_deref(),
        Some("520.86")
    );
    let summary = &report["summary"];
    assert_eq!(summary["totalDetectedResources"], 19);
    assert_eq!(summary["totalSupportedResources"], 16);
    assert_eq!(summary["totalFreeResources"], 2);
    assert_eq!(
        summary["unsupportedResourceCounts"]["aws_cloudfront_distribution"],
        1
    );
    assert_eq!(
        summary["noPriceResourceCounts"]["aws_elasticache_cluster"],
        1
    );
    let adjustments = report["metadata"]["priceAdjustments"]
        .as_array()
        .expect("adjustments");
    assert_eq!(adjustments.len(), 2, "{adjustments:?}");
}

#[test]
fn fixture_json_names_every_resource_by_address() {
    let report = cost_json(&[fixture("cost").to_str().expect("utf-8")]);
    assert_eq!(report["version"], "0.2");
    assert_eq!(report["currency"], "USD");
    let app = resource_costs(&report, "infra/app", "breakdown");
    let names: Vec<&str> = app.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"module.cache.aws_elasticache_cluster.this"),
        "{names:?}"
    );
    assert!(
        names.contains(&"aws_cloudwatch_log_group.logs[\"audit\"]"),
        "{names:?}"
    );
}
