//! `kind: instance-type`: which machine sizes may be used. Instance types are found wherever
//! the resource keeps them (EC2 instances, launch templates, ASG overrides, EKS node groups,
//! RDS and ElastiCache classes, Azure VM sizes, GCP machine types: see `machine_types`), then
//! checked against `allow` / `deny` globs and `max_size` on the size ladder.

use super::fields::Fields;
use super::glob::Globs;
use super::size::{self, Size};
use super::{Verdict, explain::KindDoc, machine_types};
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

#[derive(Debug)]
pub struct InstanceType {
    allow: Option<Globs>,
    deny: Option<Globs>,
    max_size: Option<(String, Size)>,
}

pub const DOC: KindDoc = KindDoc {
    kind: "instance-type",
    summary: "which instance types and sizes may be used",
    fields: &[
        (
            "allow",
            "globs of allowed types (`t3.*`, `db.m5.*`, `Standard_D*s_v5`, `e2-*`)",
        ),
        ("deny", "globs of denied types (`t2.*`, `*.metal`)"),
        (
            "max_size",
            "the largest size on the ladder nano < micro < small < medium < large < xlarge < \
2xlarge < 3xlarge < 4xlarge < … < metal",
        ),
    ],
    details: "Instance types are read from aws_instance, aws_spot_instance_request, launch \
templates and configurations, auto scaling group mixed-instance overrides, \
aws_eks_node_group.instance_types, RDS (`db.*`), ElastiCache (`cache.*`), Redshift, OpenSearch \
and EMR, Azure VM and scale set sizes, AKS node pools, and GCP instances, templates and GKE node \
pools. An instance type that cannot be resolved yields `policy-unknown`. Stack instance values \
whose key names an instance type (`instance_type`, `instance_class`, `node_type`, `vm_size`, \
`machine_type`) are checked at the value's line.",
    example: "- id: instance-size-cap\n  kind: instance-type\n  level: deny\n  allow: [\"t3.*\", \"m6i.*\", \"db.t3.*\"]\n  max_size: 2xlarge\n  where: { environment: [dev, staging] }",
};

impl InstanceType {
    pub fn parse(f: &mut Fields) -> Option<InstanceType> {
        let allow = f.globs("allow");
        let deny = f.globs("deny");
        let max_size = f
            .string("max_size")
            .and_then(|s| match size::parse_ladder(&s) {
                Some(size) => Some((s.trim().to_string(), size)),
                None => {
                    f.problem(
                        &["max_size"],
                        format!(
                            "`{s}` is not a size on the ladder (nano, micro, small, medium, large, \
xlarge, 2xlarge, 3xlarge, 4xlarge, …, metal)"
                        ),
                    );
                    None
                }
            });
        if allow.is_none() && deny.is_none() && max_size.is_none() && f.problems.is_empty() {
            f.problem(
                &[],
                "an instance-type policy needs `allow`, `deny`, `max_size` or a combination",
            );
        }
        Some(InstanceType {
            allow,
            deny,
            max_size,
        })
    }

    pub fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        let Some(found) = machine_types::instance_types(&r.r#type, &r.attributes) else {
            return;
        };
        for f in found {
            match f.value {
                Value::String(t) => out.extend(self.check_type(t).map(|v| at_path(v, &f.path))),
                Value::Unknown(u) => out.push(Verdict::Unknown {
                    message: format!("`{}` is unknown: {}", f.path, u.reason),
                }),
                _ => {}
            }
        }
    }

    pub fn check_type(&self, t: &str) -> Option<Verdict> {
        if let Some(allow) = &self.allow {
            if !allow.is_match(t) {
                return Some(
                    Verdict::violation(format!("instance type `{t}` is not allowed"))
                        .with_value(t)
                        .with_help(format!("allowed types: {}", allow.describe())),
                );
            }
        }
        if let Some(deny) = &self.deny {
            if deny.is_match(t) {
                return Some(
                    Verdict::violation(format!("instance type `{t}` is denied")).with_value(t),
                );
            }
        }
        if let Some((label, max)) = &self.max_size {
            match size::size_of(t) {
                Some(s) if s > *max => {
                    return Some(
                        Verdict::violation(format!(
                            "instance type `{t}` ({s}) is larger than the maximum size {label}"
                        ))
                        .with_value(t),
                    );
                }
                Some(_) => {}
                // A type whose size cannot be read cannot be held to a cap: say so.
                None => {
                    return Some(Verdict::Unknown {
                        message: format!(
                            "the size of instance type `{t}` is not known, so `max_size` {label} \
cannot be checked"
                        ),
                    });
                }
            }
        }
        None
    }
}

/// Names the attribute in the message when it is nested (`node_config[0].machine_type`).
fn at_path(v: Verdict, path: &str) -> Verdict {
    if !path.contains(['.', '[']) {
        return v;
    }
    match v {
        Verdict::Violation {
            message,
            help,
            value,
        } => Verdict::Violation {
            message: format!("{message} (`{path}`)"),
            help,
            value,
        },
        u => u,
    }
}

/// Whether a form or instance key names an instance type (`instance_type`,
/// `module.db.instance_class`).
pub fn is_instance_type_key(key: &str) -> bool {
    super::key_names_one_of(
        key,
        &[
            "instance_type",
            "instance_types",
            "instance_class",
            "node_type",
            "vm_size",
            "machine_type",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_type_keys() {
        for k in [
            "instance_type",
            "module.db.instance_class",
            "worker_instance_type",
            "Node_Type",
            "vm_size",
        ] {
            assert!(is_instance_type_key(k), "{k}");
        }
        for k in [
            "instance_typed",
            "type",
            "xinstance_type",
            "aws_region",
            "é",
        ] {
            assert!(!is_instance_type_key(k), "{k}");
        }
    }
}
