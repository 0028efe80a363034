//! Terraform evaluation against fixture modules whose plan is written out by hand: the exact
//! addresses Terraform would plan, key attribute values, regions, and tags with their sources.

use crate::support::{fixture, stackgate};
use serde_json::{Value, json};

fn inspect(dir: &str, project: &str) -> Value {
    let out = stackgate(&[
        "inspect",
        fixture(dir).to_str().unwrap(),
        "--project",
        project,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["projects"][0]["resources"].clone()
}

fn addresses(resources: &Value) -> Vec<String> {
    resources
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(resources: &'a Value, address: &str) -> &'a Value {
    resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no {address} in {:#?}", addresses(resources)))
}

#[test]
fn modules_count_for_each_dynamic_providers_and_tags() {
    let r = inspect("terraform-eval", "infra/app");
    assert_eq!(
        addresses(&r),
        [
            "aws_instance.web[0]",
            "aws_instance.web[1]",
            "aws_s3_bucket.logs",
            "aws_security_group.web",
            "data.aws_region.current",
            "module.net[\"a\"].aws_subnet.this",
            "module.net[\"b\"].aws_route_table.public[0]",
            "module.net[\"b\"].aws_subnet.this",
            "module.west.aws_route_table.public[0]",
            "module.west.aws_subnet.this",
        ]
    );
    // staging.auto.tfvars wins over terraform.tfvars.
    let web1 = find(&r, "aws_instance.web[1]");
    assert_eq!(web1["attributes"]["instance_type"], "t3.micro");
    assert_eq!(
        web1["attributes"]["root_block_device"][0]["volume_size"],
        30
    );
    assert_eq!(web1["index"], 1);
    assert_eq!(
        web1["provider"],
        json!({"name": "aws", "region": "eu-west-1"})
    );
    assert_eq!(web1["tags"]["Environment"]["value"], "staging");
    assert_eq!(web1["tags"]["Environment"]["source"]["kind"], "resource");
    assert_eq!(web1["tags"]["owner"]["value"], "platform");
    assert_eq!(web1["tags"]["owner"]["source"]["kind"], "provider-default");
    assert_eq!(web1["tags"]["cost-center"]["value"], "CC-1234");
    assert_eq!(web1["line"], 32);

    let logs = find(&r, "aws_s3_bucket.logs");
    assert_eq!(logs["attributes"]["bucket"], "app-staging-logs");
    assert_eq!(
        logs["provider"],
        json!({"name": "aws", "alias": "west", "region": "us-west-2"})
    );
    assert_eq!(logs["tags"], json!({}));

    let sg = find(&r, "aws_security_group.web");
    assert_eq!(
        sg["attributes"]["ingress"],
        json!([{"from_port": 80, "to_port": 80, "protocol": "tcp"}, {"from_port": 443, "to_port": 443, "protocol": "tcp"}])
    );

    let region = find(&r, "data.aws_region.current");
    assert_eq!(region["mode"], "data");
    assert_eq!(region["attributes"]["name"], "eu-west-1");
    assert!(region["stand_in"].as_str().unwrap().contains("eu-west-1"));

    let b = find(&r, "module.net[\"b\"].aws_subnet.this");
    assert_eq!(b["attributes"]["cidr_block"], "10.0.2.0/24");
    assert_eq!(b["attributes"]["map_public_ip_on_launch"], true);
    assert_eq!(b["module"], "module.net[\"b\"]");
    assert_eq!(b["tags"]["Name"]["value"], "b");
    assert_eq!(b["tags"]["Name"]["source"]["kind"], "resource");
    assert_eq!(b["tags"]["Environment"]["source"]["kind"], "module-input");
    assert_eq!(b["tags"]["owner"]["source"]["kind"], "provider-default");
    assert_eq!(
        b["call_chain"],
        json!([{"module": "module.net[\"b\"]", "file": "infra/app/main.tf", "line": 63}])
    );
    assert_eq!(b["file"], "infra/app/modules/net/main.tf");

    let a = find(&r, "module.net[\"a\"].aws_subnet.this");
    assert_eq!(
        a["attributes"]["map_public_ip_on_launch"], false,
        "optional attribute default"
    );

    let west = find(&r, "module.west.aws_subnet.this");
    assert_eq!(west["attributes"]["cidr_block"], "10.0.1.0/24");
    assert_eq!(west["provider"]["region"], "us-west-2");
    assert!(
        west["tags"].get("owner").is_none(),
        "the west provider has no default tags"
    );
}

#[test]
fn json_syntax_and_override_files() {
    let r = inspect("terraform-eval", "infra/json");
    assert_eq!(
        addresses(&r),
        ["aws_instance.api[0]", "aws_instance.api[1]"]
    );
    let api = find(&r, "aws_instance.api[1]");
    assert_eq!(api["attributes"]["instance_type"], "t3.large");
    // `var_files` in stackgate.yaml comes last in precedence.
    assert_eq!(api["attributes"]["tags"]["Name"], "api-prod-1");
    assert_eq!(api["provider"]["region"], "eu-west-3");
}

#[test]
fn unknowns_are_values_and_findings_say_why() {
    let r = inspect("terraform-eval", "infra/unknowns");
    assert_eq!(
        addresses(&r),
        [
            "aws_eip.ip",
            "aws_instance.bad",
            "aws_instance.db[0]",
            "aws_s3_bucket.odd",
            "aws_s3_bucket.stamp"
        ]
    );
    let eip = find(&r, "aws_eip.ip");
    assert!(
        eip["attributes"]["instance"]["unknown"].is_string(),
        "{eip:#}"
    );
    assert!(
        eip["provider"]["region"]["unknown"]
            .as_str()
            .unwrap()
            .contains("environment")
    );
    assert!(find(&r, "aws_s3_bucket.stamp")["attributes"]["bucket"]["unknown"].is_string());

    let out = stackgate(&[
        "check",
        fixture("terraform-eval").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let findings: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "infra/unknowns/main.tf")
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["resource"].as_str().unwrap_or("").into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for (code, line) in [
        ("tf-variable-type", 8),
        ("tf-cycle", 14),
        ("tf-unknown-count", 18),
        ("tf-unsupported-function", 32),
        ("tf-expression-error", 36),
        ("tf-module-not-evaluated", 39),
    ] {
        assert!(
            findings.iter().any(|(c, _, l)| c == code && *l == line),
            "no {code} at line {line}: {findings:#?}"
        );
    }
    // Everything in the app root is evaluated cleanly.
    let app: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"].as_str().unwrap().starts_with("infra/app"))
        .collect();
    assert!(app.is_empty(), "{app:#?}");
}

#[test]
fn stack_instances_evaluate_their_stack_with_their_values() {
    let r = inspect("instances", "deploy/dev/orders.stack.yaml");
    let db = find(&r, "module.db.aws_db_instance.this");
    // `module.db.instance_class` from the instance overrides the module argument.
    assert_eq!(db["attributes"]["instance_class"], "db.m5.large");
    // `allocated_storage` comes from the form's default through a root variable.
    assert_eq!(db["attributes"]["allocated_storage"], 20);
}

#[test]
fn plan_files_give_resources_from_exact_values() {
    let r = inspect("terraform-eval", "plans/web.tfplan.json");
    assert_eq!(
        addresses(&r),
        ["aws_instance.web[0]", "module.logs.aws_s3_bucket.this"]
    );
    let web = find(&r, "aws_instance.web[0]");
    assert_eq!(web["attributes"]["instance_type"], "m5.large");
    assert!(
        web["attributes"]["root_block_device"][0]["volume_id"]["unknown"].is_string(),
        "{web:#}"
    );
    assert_eq!(web["provider"]["region"], "eu-central-1");
    assert_eq!(web["tags"]["owner"]["source"]["kind"], "provider-default");
    assert_eq!(web["tags"]["Name"]["source"]["kind"], "resource");
    let logs = find(&r, "module.logs.aws_s3_bucket.this");
    assert_eq!(logs["module"], "module.logs");
}

#[test]
fn registry_modules_are_read_from_what_terraform_init_downloaded() {
    let r = inspect("terraform-eval", "infra/registry");
    assert_eq!(addresses(&r), ["module.bucket.aws_s3_bucket.this[0]"]);
    let b = find(&r, "module.bucket.aws_s3_bucket.this[0]");
    assert_eq!(b["attributes"]["bucket"], "acme-assets");
    assert_eq!(b["provider"]["region"], "eu-west-1");
    assert_eq!(
        b["file"],
        "infra/registry/.terraform/modules/bucket/main.tf"
    );
}

#[test]
fn the_expression_language_and_functions() {
    let r = inspect("terraform-eval", "infra/language");
    assert_eq!(
        addresses(&r),
        [
            "aws_instance.app",
            "aws_security_group_rule.ingress[\"api\"]",
            "aws_sns_topic_subscription.fanout[\"JOBS-0\"]",
            "aws_sns_topic_subscription.fanout[\"JOBS-1\"]",
            "aws_ssm_parameter.pairs[0]",
            "aws_ssm_parameter.pairs[1]",
            "aws_ssm_parameter.pairs[2]",
            "aws_ssm_parameter.pairs[3]",
            "module.queue[0].aws_sqs_queue.this",
            "module.queue[1].aws_sqs_queue.this",
        ]
    );
    let app = find(&r, "aws_instance.app");
    assert_eq!(app["attributes"]["instance_type"], "m5.large");
    assert_eq!(
        app["attributes"]["user_data"],
        "#!/bin/bash\necho \"listening on 8080\"\necho \"dev\"\necho \"prod\"\n"
    );
    assert_eq!(
        app["attributes"]["tags"],
        json!({
            "Public": "api",
            "ByPort": "worker",
            "Banner": "first line\n  indented\n",
            "Listed": "env=dev;env=prod;",
            "EnvList": "env=dev\nenv=prod",
            "Grouped": "a1,a2,b1",
            "Maybe": "6379",
            "Ok": "true"
        })
    );
    let rule = find(&r, "aws_security_group_rule.ingress[\"api\"]");
    assert_eq!(rule["attributes"]["from_port"], 8080);
    assert_eq!(rule["attributes"]["cidr_blocks"], json!(["10.1.16.0/20"]));
    let last = find(&r, "aws_ssm_parameter.pairs[3]");
    assert_eq!(last["attributes"]["name"], "/app/prod-worker");
    assert_eq!(last["attributes"]["value"], "{\"port\":8080,\"tls\":true}");
    assert_eq!(
        find(&r, "module.queue[1].aws_sqs_queue.this")["attributes"]["name"],
        "JOBS-1"
    );
}
