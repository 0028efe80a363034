//! Stack instances: valid values for each starter stack's form, and now and then a planted
//! problem of one kind or another.

use crate::{ENVIRONMENTS, Out, Rng, Stack, TEAMS};
use std::io;

/// One instance in this many carries a problem (2%).
const PROBLEM_EVERY: usize = 50;

/// The kinds of planted problems, in turn, with the finding code each one must produce.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "a value that is not among the field's values",
        "instance-value-not-allowed",
    ),
    (
        "a value outside the slider range",
        "instance-value-out-of-range",
    ),
    ("a misspelled key", "instance-value-unknown-key"),
    (
        "a value failing the validation regexp",
        "instance-value-validation",
    ),
    ("a required value left out", "instance-value-required"),
    (
        "a use case the stack does not have",
        "instance-use-case-unknown",
    ),
    (
        "a region the form offers but the guardrails forbid",
        "policy-violation",
    ),
];

/// Per starter stack: which key and value plant each kind of problem.
struct Breakage {
    /// (key, value not among its values)
    not_allowed: (&'static str, &'static str),
    /// (key, value outside its slider range)
    out_of_range: (&'static str, &'static str),
    /// (key, its misspelling); the key has a default, so only the spelling is wrong.
    misspelled: (&'static str, &'static str),
    /// (key, value failing its regexp)
    bad_format: (&'static str, &'static str),
    /// A required key without default.
    required: &'static str,
    /// (region key, a region the form offers that the generated policies forbid)
    forbidden_region: (&'static str, &'static str),
}

fn breakage(base: &str) -> Option<Breakage> {
    Some(match base {
        "aws-ec2-service" => Breakage {
            not_allowed: ("log_retention_days", "14"),
            out_of_range: ("asg_max_size", "50"),
            misspelled: ("aws_region", "aws_regoin"),
            bad_format: ("service_name", "Svc_Bad"),
            required: "service_name",
            forbidden_region: ("aws_region", "us-west-2"),
        },
        "aws-rds-postgres" => Breakage {
            not_allowed: ("engine_version", "\"12.19\""),
            out_of_range: ("allocated_storage", "5000"),
            misspelled: ("aws_region", "aws_regoin"),
            bad_format: ("db_name", "Bad-Name"),
            required: "db_name",
            forbidden_region: ("aws_region", "us-west-2"),
        },
        "aws-s3-static-site" => Breakage {
            not_allowed: ("delivery", "netlify"),
            out_of_range: ("noncurrent_version_expiration_days", "1000"),
            misspelled: ("aws_region", "aws_regoin"),
            bad_format: ("bucket_name", "Acme-Bad-Bucket"),
            required: "bucket_name",
            forbidden_region: ("aws_region", "us-west-2"),
        },
        "aws-eks-cluster" => Breakage {
            not_allowed: ("kubernetes_version", "\"1.25\""),
            out_of_range: ("module.node_group.max_size", "100"),
            misspelled: ("aws_region", "aws_regoin"),
            bad_format: ("cluster_name", "EKS_Cluster"),
            required: "cluster_name",
            forbidden_region: ("aws_region", "us-west-2"),
        },
        "azure-linux-vm" => Breakage {
            not_allowed: ("image", "centos-7"),
            out_of_range: ("os_disk_size_gb", "4000"),
            misspelled: ("location", "locaton"),
            bad_format: ("resource_group_name", "RG_Bad"),
            required: "vm_name",
            forbidden_region: ("location", "eastus"),
        },
        _ => return None,
    })
}

/// Whether instances can be generated for stacks derived from this starter.
pub fn knows(base: &str) -> bool {
    breakage(base).is_some()
}

const AWS_REGIONS: &[&str] = &[
    "eu-west-1",
    "eu-west-1",
    "eu-west-3",
    "eu-central-1",
    "us-east-1",
];

type Values = Vec<(String, String)>;

fn set(values: &mut Values, key: &str, value: impl Into<String>) {
    values.push((key.to_string(), value.into()));
}

/// The values every form has: environment, owner, cost center.
fn common(values: &mut Values, env: &str, team: &str, cc: &str) {
    set(values, "environment", env);
    set(values, "owner", format!("team-{team}"));
    set(values, "cost_center", cc);
}

fn hex(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[rng.below(16)]))
        .collect()
}

fn certificate(rng: &mut Rng, region: &str) -> String {
    format!(
        "arn:aws:acm:{region}:123456789012:certificate/{}-{}-{}-{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 12)
    )
}

/// Valid values for a stack derived from `base`: (use case, values).
fn values(
    base: &str,
    rng: &mut Rng,
    env: &str,
    team: &str,
    cc: &str,
    id: &str,
    plain: bool,
) -> (&'static str, Values) {
    let prod = env == "prod";
    let mut v = Values::new();
    common(&mut v, env, team, cc);
    let mut use_case = "default";
    match base {
        "aws-ec2-service" => {
            let region = rng.pick(AWS_REGIONS);
            set(&mut v, "aws_region", region);
            set(&mut v, "service_name", format!("svc-{id}"));
            let types: &[&str] = if prod {
                &[
                    "t3.large",
                    "m5.large",
                    "m5.xlarge",
                    "m5.2xlarge",
                    "m6i.large",
                    "m6i.xlarge",
                    "c6i.large",
                    "c6i.xlarge",
                ]
            } else {
                &[
                    "t3.small",
                    "t3.medium",
                    "t3.large",
                    "t4g.medium",
                    "m5.large",
                    "m6i.large",
                    "c6i.large",
                ]
            };
            set(&mut v, "instance_type", rng.pick(types));
            let min = rng.range(1, 3);
            set(&mut v, "asg_min_size", min.to_string());
            set(
                &mut v,
                "asg_max_size",
                rng.range(min + 1, min + 8).to_string(),
            );
            set(&mut v, "ebs_volume_size", rng.range(20, 200).to_string());
            if rng.chance(60) {
                set(&mut v, "listener_protocol", "HTTPS");
                set(
                    &mut v,
                    "module.alb.certificate_arn",
                    certificate(rng, region),
                );
            } else {
                set(&mut v, "listener_protocol", "HTTP");
            }
            set(
                &mut v,
                "log_retention_days",
                rng.pick(&["7", "30", "90", "365"]),
            );
        }
        "aws-rds-postgres" => {
            set(&mut v, "aws_region", rng.pick(AWS_REGIONS));
            set(&mut v, "db_name", format!("db_{}", id.replace('-', "_")));
            set(
                &mut v,
                "engine_version",
                rng.pick(&["\"16.3\"", "\"15.7\"", "\"14.12\""]),
            );
            if prod && rng.chance(50) {
                use_case = "ha";
                set(
                    &mut v,
                    "module.db.instance_class",
                    rng.pick(&[
                        "db.m5.large",
                        "db.m6g.large",
                        "db.r6g.large",
                        "db.r6g.xlarge",
                    ]),
                );
                set(
                    &mut v,
                    "allocated_storage",
                    rng.range(100, 1000).to_string(),
                );
                set(
                    &mut v,
                    "backup_retention_period",
                    rng.range(7, 35).to_string(),
                );
                set(&mut v, "replica_count", rng.range(0, 2).to_string());
            } else {
                let classes: &[&str] = if prod {
                    &["db.t3.medium", "db.m5.large", "db.m6g.large"]
                } else {
                    &[
                        "db.t3.micro",
                        "db.t3.small",
                        "db.t3.medium",
                        "db.t4g.medium",
                    ]
                };
                set(&mut v, "module.db.instance_class", rng.pick(classes));
                set(&mut v, "allocated_storage", rng.range(20, 500).to_string());
                set(
                    &mut v,
                    "backup_retention_period",
                    rng.range(1, 35).to_string(),
                );
                set(
                    &mut v,
                    "deletion_protection",
                    if prod { "true" } else { "false" },
                );
            }
        }
        "aws-s3-static-site" => {
            set(&mut v, "aws_region", rng.pick(AWS_REGIONS));
            set(&mut v, "bucket_name", format!("acme-{id}-{env}"));
            set(
                &mut v,
                "versioning",
                if rng.chance(70) { "true" } else { "false" },
            );
            if !plain && rng.chance(70) {
                set(&mut v, "delivery", "cloudfront");
                set(
                    &mut v,
                    "module.cdn.price_class",
                    rng.pick(&["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
                );
                set(
                    &mut v,
                    "module.cdn.default_ttl",
                    rng.range(0, 86400).to_string(),
                );
                if rng.chance(40) {
                    set(&mut v, "domain_name", format!("{id}.acme.example"));
                    set(
                        &mut v,
                        "module.cdn.acm_certificate_arn",
                        certificate(rng, "us-east-1"),
                    );
                }
            } else {
                set(&mut v, "delivery", "s3-website");
            }
        }
        "aws-eks-cluster" => {
            set(&mut v, "aws_region", rng.pick(AWS_REGIONS));
            set(&mut v, "cluster_name", format!("eks-{id}"));
            set(
                &mut v,
                "kubernetes_version",
                rng.pick(&["\"1.30\"", "\"1.29\"", "\"1.28\""]),
            );
            let arm = rng.chance(40);
            set(
                &mut v,
                "node_architecture",
                if arm { "arm64" } else { "x86_64" },
            );
            let types: &[&str] = if arm {
                &["t4g.large", "m6g.large", "m6g.xlarge", "c6g.xlarge"]
            } else {
                &[
                    "t3.large",
                    "m5.large",
                    "m5.xlarge",
                    "m6i.large",
                    "m6i.xlarge",
                    "c6i.xlarge",
                ]
            };
            set(&mut v, "module.node_group.instance_type", rng.pick(types));
            set(
                &mut v,
                "module.node_group.capacity_type",
                if prod { "ON_DEMAND" } else { "SPOT" },
            );
            let min = rng.range(1, 5);
            let max = rng.range(min + 1, min + 20);
            set(&mut v, "module.node_group.min_size", min.to_string());
            set(
                &mut v,
                "module.node_group.desired_size",
                rng.range(min, max.min(20)).to_string(),
            );
            set(&mut v, "module.node_group.max_size", max.to_string());
        }
        "azure-linux-vm" => {
            set(
                &mut v,
                "location",
                rng.pick(&["westeurope", "northeurope", "francecentral"]),
            );
            set(&mut v, "resource_group_name", format!("rg-{id}-{env}"));
            set(&mut v, "vm_name", format!("vm-{id}"));
            let size = rng.pick(&[
                "Standard_B2s",
                "Standard_B2ms",
                "Standard_D2s_v5",
                "Standard_D4s_v5",
                "Standard_E2s_v5",
            ]);
            set(&mut v, "vm_size", size);
            set(
                &mut v,
                "image",
                rng.pick(&["ubuntu-2204", "ubuntu-2404", "debian-12"]),
            );
            set(&mut v, "os_disk_size_gb", rng.range(30, 256).to_string());
            if rng.chance(30) {
                set(&mut v, "data_disk_size_gb", rng.range(64, 1024).to_string());
            }
        }
        _ => {}
    }
    (use_case, v)
}

/// Plants problem `kind` into the values; returns the use case to write.
fn plant(kind: usize, b: &Breakage, use_case: &'static str, v: &mut Values) -> &'static str {
    let replace = |v: &mut Values, key: &str, value: &str| {
        v.retain(|(k, _)| k != key);
        v.push((key.to_string(), value.to_string()));
    };
    match kind {
        0 => replace(v, b.not_allowed.0, b.not_allowed.1),
        1 => replace(v, b.out_of_range.0, b.out_of_range.1),
        2 => {
            for (k, _) in v.iter_mut() {
                if k == b.misspelled.0 {
                    *k = b.misspelled.1.to_string();
                }
            }
        }
        3 => replace(v, b.bad_format.0, b.bad_format.1),
        4 => v.retain(|(k, _)| k != b.required),
        6 => replace(v, b.forbidden_region.0, b.forbidden_region.1),
        _ => return "premium",
    }
    use_case
}

/// Writes `count` instances; returns the planted problems as (file, finding code).
pub fn write(
    out: &mut Out,
    rng: &mut Rng,
    stacks: &[&Stack],
    count: usize,
    components: usize,
) -> io::Result<Vec<(String, &'static str)>> {
    let mut problems = Vec::new();
    if stacks.is_empty() {
        return Ok(problems);
    }
    for i in 0..count {
        let component = (i / 5) % components;
        let (team, cc, _) = TEAMS[component % TEAMS.len()];
        // More dev than prod, as in real repositories.
        let env = ENVIRONMENTS[[0, 0, 0, 1, 1, 2, 2][rng.below(7)]];
        let stack = stacks[rng.below(stacks.len())];
        let problem = (i % PROBLEM_EVERY == PROBLEM_EVERY / 3)
            .then_some((i / PROBLEM_EVERY) % PROBLEMS.len());
        let id = format!("{i:05}");
        // A wrong `delivery` must not leave CloudFront-only fields behind.
        let plain = problem == Some(0);
        let (mut use_case, mut v) = values(&stack.base, rng, env, team, cc, &id, plain);
        let short: String = stack
            .canonical
            .split('-')
            .skip(1)
            .collect::<Vec<_>>()
            .join("-");
        let name = format!("{team}-{short}-{id}");
        let path = format!("deploy/{env}/{team}/{name}.stack.yaml");
        let mut text = String::new();
        if let (Some(kind), Some(b)) = (problem, breakage(&stack.base)) {
            use_case = plant(kind, &b, use_case, &mut v);
            let (what, code) = PROBLEMS[kind];
            text.push_str(&format!("# generated problem: {what}\n"));
            problems.push((path.clone(), code));
        }
        text.push_str(&format!(
            "apiVersion: stackgate.dev/v1\nkind: StackInstance\nmetadata:\n  name: {name}\n  owner: group:team-{team}\n  \
component: {}\nspec:\n  stack: {}\n  useCase: {use_case}\n  environment: {env}\n  values:\n",
            crate::catalog::component_name(component),
            stack.canonical
        ));
        for (k, val) in &v {
            text.push_str(&format!("    {k}: {val}\n"));
        }
        out.write(&path, &text)?;
    }
    Ok(problems)
}
