//! Policies end to end on `tests/fixtures/policies`: every kind, level, scope, waiver state and
//! unknown case, and how the report formats carry them.

use crate::support::{check_json, fixture, stackgate};
use serde_json::Value;

/// `(code, policy, file, line, resource)` of the report's active findings.
fn rows(findings: &Value) -> Vec<(String, String, String, u64, String)> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["policy"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["resource"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has(
    rows: &[(String, String, String, u64, String)],
    code: &str,
    policy: &str,
    file: &str,
    resource: &str,
) -> bool {
    rows.iter()
        .any(|r| r.0 == code && r.1 == policy && r.2 == file && r.4 == resource)
}

#[test]
fn every_kind_scope_and_waiver_state() {
    let (report, code) = check_json(&fixture("policies"));
    assert_eq!(code, 1, "deny violations fail the run");
    let active = rows(&report["findings"]);
    let waived = rows(&report["suppressed"]);
    let show = || format!("active: {active:#?}\nwaived: {waived:#?}");

    // Region through a provider alias, through tfvars overriding a default, through an
    // instance value (pointing at the value's line); unknown when the variable has no value.
    assert!(
        has(
            &active,
            "policy-violation",
            "allowed-regions",
            "infra/app/main.tf",
            "aws_s3_bucket.replica"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "allowed-regions",
            "infra/replica/main.tf",
            "aws_sqs_queue.events"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "allowed-regions",
            "deploy/dev/west.stack.yaml",
            "aws_instance.web"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-unknown",
            "allowed-regions",
            "infra/unknown/main.tf",
            "aws_s3_bucket.logs"
        ),
        "{}",
        show()
    );
    assert!(!active.iter().any(|r| r.1 == "allowed-regions"
        && r.4 == "aws_instance.web"
        && r.2 == "infra/app/main.tf"));

    // Instance type: scoped to dev, so prod's identical value passes; for_each with one bad
    // member; count = 0 creates nothing; inside a module, at the module's block.
    assert!(
        has(
            &active,
            "policy-violation",
            "size-cap",
            "deploy/dev/big.stack.yaml",
            "aws_instance.web"
        ),
        "{}",
        show()
    );
    assert!(
        !active
            .iter()
            .any(|r| r.1 == "size-cap" && r.2.starts_with("deploy/prod")),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "no-previous-generation",
            "infra/app/main.tf",
            "aws_instance.worker[\"legacy\"]"
        ),
        "{}",
        show()
    );
    assert!(
        !active
            .iter()
            .any(|r| r.4.starts_with("aws_instance.worker[\"small\"]"))
    );
    assert!(!active.iter().any(|r| r.4.contains("disabled")));
    assert!(
        has(
            &active,
            "policy-violation",
            "no-previous-generation",
            "infra/modules/worker/main.tf",
            "module.batch.aws_instance.this"
        ),
        "{}",
        show()
    );

    // Tags: default_tags and merge() satisfy the policy; an alias without default_tags does not;
    // a tags argument that is unknown as a whole is unknown; untaggable types are skipped.
    assert!(
        !active
            .iter()
            .any(|r| r.1 == "required-tags" && r.4 == "aws_instance.web"),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "required-tags",
            "infra/app/main.tf",
            "aws_s3_bucket.replica"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-unknown",
            "required-tags",
            "infra/unknown/main.tf",
            "aws_s3_bucket.logs"
        ),
        "{}",
        show()
    );
    assert!(
        !active
            .iter()
            .any(|r| r.4.contains("not_taggable") && r.1 == "required-tags")
    );

    // Waivers: in a policy file (suppressed, external), inline (suppressed, inSource), expired
    // (violation back + a finding on the waiver), unused, refused (no reason, unknown policy).
    assert!(
        has(
            &waived,
            "policy-violation",
            "bucket-versioning",
            "infra/app/main.tf",
            "aws_s3_bucket.scratch"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &waived,
            "policy-violation",
            "required-tags",
            "infra/app/main.tf",
            "aws_instance.legacy"
        ),
        "{}",
        show()
    );
    let kinds: Vec<&str> = report["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["suppression"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"external") && kinds.contains(&"inSource"),
        "{kinds:?}"
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "no-iam-users",
            "infra/app/main.tf",
            "aws_iam_user.ci"
        ),
        "{}",
        show()
    );
    assert!(
        has(
            &active,
            "policy-violation",
            "no-previous-generation",
            "infra/app/main.tf",
            "aws_instance.old"
        ),
        "{}",
        show()
    );
    let expired: Vec<u64> = active
        .iter()
        .filter(|r| r.0 == "waiver-expired")
        .map(|r| r.3)
        .collect();
    assert_eq!(expired.len(), 2, "{}", show());
    assert!(
        active
            .iter()
            .any(|r| r.0 == "waiver-unused" && r.1 == "required-tags"),
        "{}",
        show()
    );
    let refused: Vec<&(String, String, String, u64, String)> =
        active.iter().filter(|r| r.0 == "waiver-invalid").collect();
    assert_eq!(
        refused.len(),
        3,
        "no reason (file and inline) and an unknown policy: {}",
        show()
    );

    // Forms offering what an unscoped policy forbids; env-scoped policies are not held against forms.
    let forms: Vec<&(String, String, String, u64, String)> = active
        .iter()
        .filter(|r| r.0 == "form-offers-forbidden")
        .collect();
    let form_policies: Vec<&str> = forms.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        form_policies,
        ["allowed-regions", "no-previous-generation"],
        "{}",
        show()
    );

    // Broken policies: each reported on its line, the rest still ran.
    let broken: Vec<u64> = active
        .iter()
        .filter(|r| r.0 == "policy-invalid")
        .map(|r| r.3)
        .collect();
    assert_eq!(
        broken.len(),
        9,
        "every broken policy, one (bad-key) with two mistakes: {}",
        show()
    );
    // Budgets are checked against the estimate: prod/big runs an m5.4xlarge in eu-west-3
    // ($0.896 × 730 = $654.08 a month), over the $500 of `budget`; dev projects are out of scope.
    let over: Vec<&(String, String, String, u64, String)> = active
        .iter()
        .filter(|r| r.0 == "policy-violation" && r.1 == "budget")
        .collect();
    assert_eq!(over.len(), 1, "{}", show());
    assert_eq!(over[0].2, "deploy/prod/big.stack.yaml");
    // An increase needs the base of the change: without `--base`, said instead of passing.
    let unavailable: Vec<&str> = active
        .iter()
        .filter(|r| r.0 == "cost-unavailable")
        .map(|r| r.1.as_str())
        .collect();
    assert_eq!(unavailable, vec!["change-budget"], "{}", show());

    // Waived findings do not count as failures; the summary counts them apart.
    assert_eq!(report["summary"]["suppressed"], waived.len());
    assert!(
        report["policies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "size-cap" && p["kind"] == "instance-type")
    );
}

#[test]
fn sarif_carries_policy_ids_addresses_and_suppressions() {
    let out = stackgate(&[
        "check",
        fixture("policies").to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    let replica = results
        .iter()
        .find(|r| {
            r["ruleId"] == "allowed-regions"
                && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    == "aws_s3_bucket.replica"
        })
        .expect("a result for the replica bucket");
    assert_eq!(replica["level"], "error");
    assert!(
        replica["message"]["text"]
            .as_str()
            .unwrap()
            .contains("aws_s3_bucket.replica")
    );
    assert_eq!(
        replica["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/app/main.tf"
    );
    assert!(replica["partialFingerprints"]["stackgate/v1"].is_string());
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    for s in suppressed {
        let sup = &s["suppressions"][0];
        assert_eq!(sup["status"], "accepted");
        assert!(sup["justification"].as_str().unwrap().len() > 5);
    }
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "bucket-versioning")
        .unwrap();
    assert!(
        rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("Buckets keep versions")
    );
}

#[test]
fn explain_kinds_and_configured_policies() {
    let kind = stackgate(&["explain", "instance-type"]);
    assert_eq!(kind.code, 0, "{}", kind.stderr);
    assert!(kind.stdout.contains("max_size") && kind.stdout.contains("2xlarge"));
    let dir = fixture("policies");
    let policy = stackgate(&["explain", "size-cap", "--dir", dir.to_str().unwrap()]);
    assert_eq!(policy.code, 0, "{}", policy.stderr);
    assert!(
        policy.stdout.contains("policies/guardrails.yaml:"),
        "{}",
        policy.stdout
    );
    assert!(policy.stdout.contains("Outside production"));
    let missing = stackgate(&["explain", "no-such-policy", "--dir", dir.to_str().unwrap()]);
    assert_eq!(missing.code, 2);
}

#[test]
fn shipped_policy_packs_load_without_a_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let packs = crate::support::repo_root().join("policies");
    std::fs::create_dir_all(dir.path().join("policies")).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(&packs).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(e.path(), dir.path().join("policies").join(e.file_name())).unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 3, "guardrails, finops, security");
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_instance\" \"a\" {\n  instance_type = \"t2.micro\"\n}\n",
    )
    .unwrap();
    let (report, _) = check_json(dir.path());
    let bad: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            matches!(
                f["code"].as_str(),
                Some("policy-invalid" | "parse-error" | "waiver-invalid")
            )
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(report["summary"]["policies"].as_u64().unwrap() > 30);
    // The packs do fire: a previous-generation instance without tags.
    let rows = rows(&report["findings"]);
    assert!(
        rows.iter().any(|r| r.0 == "policy-violation"
            && r.4 == "aws_instance.a"
            && r.1 == "required-tags")
    );
    assert!(rows.iter().any(|r| r.0 == "policy-violation"
        && r.4 == "aws_instance.a"
        && r.1 == "instance-previous-generation"));
}
