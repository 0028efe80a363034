//! Tests of the plan reader, on hand-written plans in Terraform's JSON format.

use super::*;
use proptest::prelude::*;

/// Root: `aws_instance.web` (count = 2) with computed nested attributes, a bucket tagged only
/// by the provider's default_tags, a data source deferred to apply and one read during plan,
/// a destroyed bucket; `module.net.module.subnets["a"]` (for_each) on the `aws.west` alias.
const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": { "env": { "value": "prod" } },
  "planned_values": {
"root_module": {
  "resources": [
    {
      "address": "aws_instance.web[0]",
      "mode": "managed",
      "type": "aws_instance",
      "name": "web",
      "index": 0,
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "schema_version": 1,
      "values": {
        "ami": "ami-0abc",
        "instance_type": "t3.micro",
        "root_block_device": [{ "volume_size": 20, "volume_type": "gp3" }],
        "tags": { "Name": "web-0" },
        "tags_all": { "Name": "web-0", "owner": "platform" }
      },
      "sensitive_values": { "root_block_device": [{}], "tags": {}, "tags_all": {} }
    },
    {
      "address": "aws_instance.web[1]",
      "mode": "managed",
      "type": "aws_instance",
      "name": "web",
      "index": 1,
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "schema_version": 1,
      "values": {
        "ami": "ami-0abc",
        "instance_type": "t3.micro",
        "root_block_device": [{ "volume_size": 20, "volume_type": "gp3" }],
        "tags": { "Name": "web-1" },
        "tags_all": { "Name": "web-1", "owner": "platform" }
      },
      "sensitive_values": {}
    },
    {
      "address": "aws_s3_bucket.logs",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "logs",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "schema_version": 0,
      "values": { "bucket": "acme-logs", "force_destroy": false, "tags": null, "tags_all": { "owner": "platform" } },
      "sensitive_values": {}
    },
    {
      "address": "data.aws_ami.ubuntu",
      "mode": "data",
      "type": "aws_ami",
      "name": "ubuntu",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "schema_version": 0,
      "values": { "most_recent": true, "owners": ["099720109477"] },
      "sensitive_values": {}
    }
  ],
  "child_modules": [
    {
      "address": "module.net",
      "child_modules": [
        {
          "address": "module.net.module.subnets[\"a\"]",
          "resources": [
            {
              "address": "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
              "mode": "managed",
              "type": "aws_subnet",
              "name": "this",
              "index": "public",
              "provider_name": "registry.terraform.io/hashicorp/aws",
              "schema_version": 1,
              "values": {
                "cidr_block": "10.0.1.0/24",
                "tags": { "tier": "public" },
                "tags_all": { "tier": "public", "team": "network" }
              },
              "sensitive_values": {}
            }
          ]
        }
      ]
    }
  ]
}
  },
  "resource_changes": [
{
  "address": "aws_instance.web[0]",
  "mode": "managed", "type": "aws_instance", "name": "web", "index": 0,
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": {
    "actions": ["create"], "before": null,
    "after": { "ami": "ami-0abc" },
    "after_unknown": { "arn": true, "id": true, "root_block_device": [{ "volume_id": true }], "tags": {}, "tags_all": {} },
    "before_sensitive": false, "after_sensitive": {}
  }
},
{
  "address": "aws_instance.web[1]",
  "mode": "managed", "type": "aws_instance", "name": "web", "index": 1,
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": { "actions": ["create"], "before": null, "after": {}, "after_unknown": { "id": true } }
},
{
  "address": "aws_s3_bucket.logs",
  "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": { "actions": ["no-op"], "before": {}, "after": {}, "after_unknown": {} }
},
{
  "address": "aws_s3_bucket.old",
  "mode": "managed", "type": "aws_s3_bucket", "name": "old",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": { "actions": ["delete"], "before": { "bucket": "acme-old" }, "after": null, "after_unknown": {} }
},
{
  "address": "data.aws_ami.ubuntu",
  "mode": "data", "type": "aws_ami", "name": "ubuntu",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": { "actions": ["read"], "before": null, "after": {}, "after_unknown": { "id": true, "image_id": true } },
  "action_reason": "read_because_dependency_pending"
},
{
  "address": "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
  "module_address": "module.net.module.subnets[\"a\"]",
  "mode": "managed", "type": "aws_subnet", "name": "this", "index": "public",
  "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": { "actions": ["create"], "before": null, "after": {}, "after_unknown": { "id": true, "vpc_id": true } }
}
  ],
  "prior_state": {
"format_version": "1.0",
"terraform_version": "1.9.5",
"values": {
  "root_module": {
    "resources": [
      {
        "address": "aws_s3_bucket.old",
        "mode": "managed", "type": "aws_s3_bucket", "name": "old",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": { "bucket": "acme-old" }
      },
      {
        "address": "data.aws_caller_identity.me",
        "mode": "data", "type": "aws_caller_identity", "name": "me",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": { "account_id": "123456789012", "id": "123456789012" }
      }
    ]
  }
}
  },
  "configuration": {
"provider_config": {
  "aws": {
    "name": "aws",
    "full_name": "registry.terraform.io/hashicorp/aws",
    "expressions": {
      "region": { "constant_value": "eu-west-1" },
      "default_tags": [{ "tags": { "constant_value": { "owner": "platform" } } }]
    }
  },
  "aws.west": {
    "name": "aws",
    "full_name": "registry.terraform.io/hashicorp/aws",
    "alias": "west",
    "expressions": { "region": { "constant_value": "us-west-2" } }
  }
},
"root_module": {
  "resources": [
    { "address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
      "provider_config_key": "aws", "count_expression": { "constant_value": 2 } },
    { "address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
      "provider_config_key": "aws" },
    { "address": "data.aws_ami.ubuntu", "mode": "data", "type": "aws_ami", "name": "ubuntu",
      "provider_config_key": "aws" },
    { "address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
      "name": "me", "provider_config_key": "aws" }
  ],
  "module_calls": {
    "net": {
      "source": "./modules/net",
      "module": {
        "module_calls": {
          "subnets": {
            "source": "./subnet",
            "for_each_expression": { "references": ["local.zones"] },
            "module": {
              "resources": [
                { "address": "aws_subnet.this", "mode": "managed", "type": "aws_subnet", "name": "this",
                  "provider_config_key": "aws.west", "for_each_expression": { "references": ["var.tiers"] } }
              ]
            }
          }
        }
      }
    }
  }
}
  }
}"#;

fn read(text: &str) -> Vec<Resource> {
    match read_plan("plans/prod.tfplan.json", text) {
        Ok(r) => r,
        Err(f) => panic!("unexpected finding: {f:?}"),
    }
}

fn find<'a>(rs: &'a [Resource], address: &str) -> &'a Resource {
    match rs.iter().find(|r| r.address == address) {
        Some(r) => r,
        None => panic!(
            "no {address} in {:?}",
            rs.iter().map(|r| &r.address).collect::<Vec<_>>()
        ),
    }
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

fn path<'a>(v: &'a Value, steps: &[&str]) -> &'a Value {
    let mut v = v;
    for s in steps {
        v = match (v, s.parse::<usize>()) {
            (Value::List(items), Ok(i)) => &items[i],
            (Value::Map(m), _) => &m[*s],
            _ => panic!("no {s} in {v}"),
        };
    }
    v
}

#[test]
fn resources_of_every_module_sorted_without_destroyed_ones() {
    let rs = read(PLAN);
    let addresses: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "aws_instance.web[0]",
            "aws_instance.web[1]",
            "aws_s3_bucket.logs",
            "data.aws_ami.ubuntu",
            "data.aws_caller_identity.me",
            "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
        ]
    );
    let web = find(&rs, "aws_instance.web[1]");
    assert_eq!(web.index, Some(InstanceKey::Int(1)));
    assert_eq!(
        (web.r#type.as_str(), web.name.as_str()),
        ("aws_instance", "web")
    );
    assert_eq!(web.module, "");
    assert!(web.call_chain.is_empty());
    assert_eq!(web.file, "plans/prod.tfplan.json");
    assert_eq!(
        web.line,
        line_of(PLAN, r#""address": "aws_instance.web[1]""#)
    );
    assert_eq!(find(&rs, "data.aws_ami.ubuntu").mode, Mode::Data);
    let me = find(&rs, "data.aws_caller_identity.me");
    assert_eq!(me.mode, Mode::Data);
    assert_eq!(me.attr("account_id"), Some(&Value::string("123456789012")));
    assert_eq!(
        me.line,
        line_of(PLAN, r#""address": "data.aws_caller_identity.me""#)
    );
}

#[test]
fn module_path_index_and_call_chain_come_from_the_address() {
    let rs = read(PLAN);
    let subnet = find(
        &rs,
        "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
    );
    assert_eq!(subnet.module, "module.net.module.subnets[\"a\"]");
    assert_eq!(subnet.index, Some(InstanceKey::Str("public".into())));
    let chain: Vec<&str> = subnet
        .call_chain
        .iter()
        .map(|c| c.module.as_str())
        .collect();
    assert_eq!(chain, ["module.net", "module.net.module.subnets[\"a\"]"]);
    assert!(
        subnet
            .call_chain
            .iter()
            .all(|c| c.file == "plans/prod.tfplan.json")
    );
    assert_eq!(
        subnet.line,
        line_of(
            PLAN,
            r#""address": "module.net.module.subnets[\"a\"].aws_subnet"#
        )
    );
}

#[test]
fn provider_alias_and_region_from_the_configuration() {
    let rs = read(PLAN);
    let web = find(&rs, "aws_instance.web[0]");
    assert_eq!(web.provider.name, "aws");
    assert_eq!(web.provider.alias, None);
    assert_eq!(web.provider.region, Value::string("eu-west-1"));
    let subnet = find(
        &rs,
        "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
    );
    assert_eq!(subnet.provider.alias.as_deref(), Some("west"));
    assert_eq!(subnet.provider.region, Value::string("us-west-2"));
}

#[test]
fn after_unknown_marks_nested_attributes() {
    let rs = read(PLAN);
    let web = find(&rs, "aws_instance.web[0]");
    let unknown = Value::unknown(AFTER_APPLY);
    assert_eq!(web.attr("id"), Some(&unknown));
    assert_eq!(
        path(&web.attributes, &["root_block_device", "0", "volume_id"]),
        &unknown
    );
    assert_eq!(
        path(&web.attributes, &["root_block_device", "0", "volume_size"]),
        &Value::Number(20.0)
    );
    // Attributes stay exactly as the plan gives them, tags_all included.
    assert_eq!(
        path(&web.attributes, &["tags_all", "owner"]),
        &Value::string("platform")
    );
    let ami = find(&rs, "data.aws_ami.ubuntu");
    assert_eq!(ami.attr("image_id"), Some(&unknown));
    assert_eq!(ami.attr("most_recent"), Some(&Value::Bool(true)));
    assert!(
        !find(&rs, "aws_s3_bucket.logs")
            .attributes
            .contains_unknown()
    );
}

#[test]
fn tag_sources_separate_own_tags_from_provider_defaults() {
    let rs = read(PLAN);
    let provider_line = line_of(PLAN, r#""aws": {"#);
    let web = find(&rs, "aws_instance.web[0]");
    assert_eq!(web.tags["Name"].value, Value::string("web-0"));
    assert_eq!(
        web.tags["Name"].source,
        TagSource::Resource {
            file: "plans/prod.tfplan.json".into(),
            line: web.line
        }
    );
    assert_eq!(
        web.tags["owner"].source,
        TagSource::ProviderDefault {
            provider: "aws".into(),
            file: "plans/prod.tfplan.json".into(),
            line: provider_line,
        }
    );
    let logs = find(&rs, "aws_s3_bucket.logs");
    assert_eq!(logs.tags.len(), 1);
    assert!(matches!(
        logs.tags["owner"].source,
        TagSource::ProviderDefault { .. }
    ));
    let subnet = find(
        &rs,
        "module.net.module.subnets[\"a\"].aws_subnet.this[\"public\"]",
    );
    assert!(matches!(
        subnet.tags["tier"].source,
        TagSource::Resource { .. }
    ));
    assert!(matches!(
        &subnet.tags["team"].source,
        TagSource::ProviderDefault { provider, .. } if provider == "aws.west"
    ));
    assert!(find(&rs, "data.aws_ami.ubuntu").tags.is_empty());
}

/// Older and odd shapes: module keys not normalized, regions from expressions, Azure and
/// Google regions, AWS provider 6's per-resource region, tags_all unknown, a resource
/// `removed` from management (forget), a stale data source in the prior state, compact output.
const OTHER: &str = r#"{"format_version":"1.0","planned_values":{"root_module":{"child_modules":[{"address":"module.app","resources":[{"address":"module.app.aws_sqs_queue.jobs","mode":"managed","type":"aws_sqs_queue","name":"jobs","provider_name":"registry.terraform.io/hashicorp/aws","values":{"name":"jobs","tags":{"app":"jobs"}}},{"address":"module.app.aws_sns_topic.events","mode":"managed","type":"aws_sns_topic","name":"events","provider_name":"registry.terraform.io/hashicorp/aws","values":{"name":"events","region":"ap-south-1"}}]}],"resources":[{"address":"azurerm_resource_group.main","mode":"managed","type":"azurerm_resource_group","name":"main","provider_name":"registry.terraform.io/hashicorp/azurerm","values":{"location":"westeurope","name":"rg-main","tags":{"env":"prod"}}},{"address":"google_compute_instance.vm","mode":"managed","type":"google_compute_instance","name":"vm","provider_name":"registry.terraform.io/hashicorp/google","values":{"zone":"europe-west1-b","labels":{"team":"data"},"terraform_labels":{"team":"data","managed":"terraform"}}},{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/google","values":{"name":"b"}},{"address":"aws_iam_role.legacy","mode":"managed","type":"aws_iam_role","name":"legacy","provider_name":"registry.terraform.io/hashicorp/aws"}]}},"prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"data.aws_region.gone","mode":"data","type":"aws_region","name":"gone","provider_name":"registry.terraform.io/hashicorp/aws","values":{"name":"eu-west-3"}}]}}},"resource_changes":[{"address":"module.app.aws_sqs_queue.jobs","change":{"actions":["create"],"after_unknown":{"tags_all":true,"region":true}}},{"address":"google_storage_bucket.b","change":{"actions":["create"],"after_unknown":{"location":true}}},{"address":"aws_iam_role.legacy","change":{"actions":["forget"],"before":{"name":"legacy"},"after":null}}],"configuration":{"provider_config":{"module.app:aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","module_address":"module.app","expressions":{"region":{"references":["var.region"]},"default_tags":[{"tags":{"constant_value":{"owner":"apps"}}}]}},"google":{"name":"google","expressions":{"region":{"constant_value":"europe-west4"}}}},"root_module":{"module_calls":{"app":{"source":"./app","module":{"resources":[{"address":"aws_sqs_queue.jobs","mode":"managed","type":"aws_sqs_queue","name":"jobs","provider_config_key":"app:aws"}]}}}}}}"#;

#[test]
fn regions_of_other_clouds_and_expression_regions() {
    let rs = read(OTHER);
    let addresses: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "azurerm_resource_group.main",
            "google_compute_instance.vm",
            "google_storage_bucket.b",
            "module.app.aws_sns_topic.events",
            "module.app.aws_sqs_queue.jobs",
        ]
    );
    assert!(rs.iter().all(|r| r.line == 1));
    let jobs = find(&rs, "module.app.aws_sqs_queue.jobs");
    // `app:aws` (pre-0.13 key form) is not listed; `module.app:aws` is found through the
    // module path.
    let Value::Unknown(u) = &jobs.provider.region else {
        panic!("region should be unknown: {}", jobs.provider.region)
    };
    assert!(
        u.reason.contains("var.region") && u.reason.contains("module.app:aws"),
        "{}",
        u.reason
    );
    // tags_all unknown: the configuration's constant defaults plus the resource's own.
    assert_eq!(jobs.tags["owner"].value, Value::string("apps"));
    assert!(matches!(
        &jobs.tags["owner"].source,
        TagSource::ProviderDefault { provider, .. } if provider == "module.app:aws"
    ));
    assert!(matches!(
        jobs.tags["app"].source,
        TagSource::Resource { .. }
    ));
    let events = find(&rs, "module.app.aws_sns_topic.events");
    assert_eq!(events.provider.region, Value::string("ap-south-1"));
    // No tags_all in its values: the provider's default tags are not assumed.
    assert!(events.tags.is_empty());
    let rg = find(&rs, "azurerm_resource_group.main");
    assert_eq!(
        (rg.provider.name.as_str(), &rg.provider.region),
        ("azurerm", &Value::string("westeurope"))
    );
    assert!(matches!(rg.tags["env"].source, TagSource::Resource { .. }));
    let vm = find(&rs, "google_compute_instance.vm");
    assert_eq!(vm.provider.region, Value::string("europe-west1"));
    assert!(matches!(vm.tags["team"].source, TagSource::Resource { .. }));
    assert!(matches!(
        vm.tags["managed"].source,
        TagSource::ProviderDefault { .. }
    ));
    // An unknown location gives way to the provider configuration's region.
    let bucket = find(&rs, "google_storage_bucket.b");
    assert_eq!(bucket.provider.region, Value::string("europe-west4"));
    assert!(bucket.attr("location").is_some_and(Value::is_unknown));
}

#[test]
fn compact_and_pretty_output_give_the_same_resources_but_lines() {
    let pretty = read(PLAN);
    let compact = match serde_json::from_str::<Json>(PLAN) {
        Ok(v) => read(&v.to_string()),
        Err(e) => panic!("{e}"),
    };
    assert!(pretty.iter().any(|r| r.line > 1));
    assert_eq!(pretty.len(), compact.len());
    for (p, c) in pretty.iter().zip(&compact) {
        assert_eq!(c.line, 1);
        let at_line_one = |r: &Resource| {
            let mut r = r.clone();
            r.line = 1;
            for t in r.tags.values_mut() {
                match &mut t.source {
                    TagSource::Resource { line, .. }
                    | TagSource::ProviderDefault { line, .. }
                    | TagSource::ModuleInput { line, .. } => *line = 1,
                }
            }
            r
        };
        assert_eq!(at_line_one(p), at_line_one(c));
    }
}

#[test]
fn addresses_parse_with_odd_keys() {
    let a = parse_address(r#"module.a["x.y]"].module.b[2].data.t_x.n["k\"]"]"#);
    let a = a.unwrap_or_else(|| panic!("should parse"));
    assert_eq!(a.module_steps, [r#"module.a["x.y]"]"#, "module.b[2]"]);
    assert_eq!(a.module_names, ["a", "b"]);
    assert!(a.data);
    assert_eq!((a.r#type.as_str(), a.name.as_str()), ("t_x", "n"));
    assert_eq!(a.key, Some(InstanceKey::Str("k\"]".into())));
    for bad in [
        "",
        "module.a",
        "aws_instance",
        "aws_instance.x[",
        "a.b[1]x",
        "module.a[1.x.y",
    ] {
        assert_eq!(parse_address(bad), None, "{bad}");
    }
}

#[test]
fn broken_input_is_a_parse_error_with_a_line() {
    let err = |text: &str| match read_plan("p.tfplan.json", text) {
        Ok(r) => panic!("expected an error, got {r:?}"),
        Err(f) => *f,
    };
    let f = err("{\n  \"format_version\": \"1.2\",\n  oops\n}");
    assert_eq!((f.code, f.line), ("parse-error", 3));
    assert!(
        f.message.starts_with("not a Terraform JSON plan"),
        "{}",
        f.message
    );
    assert!(err("[1, 2]").message.contains("not a JSON object"));
    assert!(
        err(r#"{"planned_values": {}}"#)
            .message
            .contains("format_version")
    );
    assert!(
        err(r#"{"format_version": "2.0", "planned_values": {}}"#)
            .message
            .contains("2.0")
    );
    let state = r#"{"format_version": "1.0", "values": {"root_module": {}}}"#;
    assert!(err(state).message.contains("planned_values"));
    assert_eq!(err(state).line, 1);
    // Valid but empty: no resources, not an error.
    assert_eq!(
        read(r#"{"format_version": "1.2", "planned_values": {}}"#),
        Vec::new()
    );
}

fn arb_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(Json::from),
        "[a-z_.\\[\\]\"0-9]{0,12}".prop_map(Json::String),
        prop::sample::select(vec![
            "address",
            "module.x.aws_s3_bucket.b[0]",
            "data",
            "true"
        ])
        .prop_map(|s| Json::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "address",
                        "values",
                        "after_unknown",
                        "change",
                        "resources",
                        "child_modules",
                        "index",
                        "mode",
                        "tags_all",
                        "tags",
                        "region",
                        "constant_value",
                        "expressions",
                        "provider_config_key",
                        "module",
                    ]),
                    inner
                ),
                0..5
            )
            .prop_map(|kv| Json::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// Replaces the node reached by following `steps` (each picks a child modulo the count).
fn replace_at(v: &mut Json, steps: &[usize], with: Json) {
    let Some((first, rest)) = steps.split_first() else {
        *v = with;
        return;
    };
    let child = match v {
        Json::Object(o) if !o.is_empty() => {
            let n = first % o.len();
            o.values_mut().nth(n)
        }
        Json::Array(a) if !a.is_empty() => {
            let n = first % a.len();
            a.get_mut(n)
        }
        _ => None,
    };
    match child {
        Some(c) => replace_at(c, rest, with),
        None => *v = with,
    }
}

proptest! {
    #[test]
    fn mutated_plans_never_panic(steps in prop::collection::vec(any::<usize>(), 0..9), with in arb_json()) {
        for base in [PLAN, OTHER] {
            let mut plan: Json = serde_json::from_str(base).map_err(|e| TestCaseError::fail(e.to_string()))?;
            replace_at(&mut plan, &steps, with.clone());
            for text in [plan.to_string(), serde_json::to_string_pretty(&plan).unwrap_or_default()] {
                if let Ok(rs) = read_plan("p.tfplan.json", &text) {
                    prop_assert!(rs.windows(2).all(|w| w[0].address < w[1].address));
                }
            }
        }
    }

    #[test]
    fn damaged_text_never_panics(cut in 0usize..6000, len in 0usize..40, insert in "[\\[\\]{}\",:\\\\a\n]{0,3}") {
        let start = cut.min(PLAN.len());
        let end = (start + len).min(PLAN.len());
        if PLAN.is_char_boundary(start) && PLAN.is_char_boundary(end) {
            let text = format!("{}{insert}{}", &PLAN[..start], &PLAN[end..]);
            let _ = read_plan("p.tfplan.json", &text);
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = read_plan("p.tfplan.json", &v.to_string());
        let mut top = serde_json::Map::new();
        top.insert("format_version".into(), Json::from("1.2"));
        top.insert("planned_values".into(), serde_json::json!({"root_module": {"resources": [v.clone()]}}));
        top.insert("resource_changes".into(), Json::Array(vec![v.clone()]));
        top.insert("configuration".into(), v);
        let _ = read_plan("p.tfplan.json", &Json::Object(top).to_string());
    }
}
