//! EKS: the cluster's control plane by the hour, and managed node groups as their EC2
//! instances and disks.

use super::aws_ebs::{self, Volume};
use super::aws_ec2::{self, Market, count_at, number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_eks_cluster", "aws_eks_node_group"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        // Standard support; extended support (an older Kubernetes version) costs more.
        "aws_eks_cluster" => Estimate::of(vec![cx.hours(
            "EKS cluster",
            1.0,
            "AmazonEKS",
            "cluster/hour",
        )]),
        "aws_eks_node_group" => Estimate::of(node_group(cx)),
        _ => Estimate::default(),
    }
}

/// EKS's default instance type and disk for a node group without a launch template.
const DEFAULT_INSTANCE_TYPE: &str = "t3.medium";
const DEFAULT_DISK_GB: f64 = 20.0;

fn node_group(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let with_template = count_at(r, &["launch_template"]).map_or(true, |n| n > 0);
    // Nodes: usage `instances`, else the scaling configuration's desired size.
    let nodes = match cx.usage_value("instances") {
        Some(n) => Ok(n),
        None => match number_at(r, &["scaling_config", "0", "desired_size"]) {
            Ok(Some(n)) => Ok(n),
            Ok(None) => Err("`scaling_config.desired_size` is not set".to_string()),
            Err(why) => Err(why),
        },
    };
    let nodes = match nodes {
        Ok(n) => n,
        Err(why) => {
            return vec![
                cx.unknown(
                    "Instance usage (Linux/UNIX, on-demand)",
                    "hours",
                    why.clone(),
                ),
                cx.unknown("Storage (general purpose SSD, gp2)", "GB", why),
            ];
        }
    };
    let instance_type = match text_at(r, &["instance_types", "0"]) {
        Ok(Some(t)) => Ok(t),
        Ok(None) if with_template => {
            Err("the instance type is in the node group's launch template, \
                                          which stackgate does not follow from the group"
                .to_string())
        }
        Ok(None) => Ok(DEFAULT_INSTANCE_TYPE),
        Err(why) => Err(why),
    };
    let market = match text_at(r, &["capacity_type"]) {
        Ok(Some(c)) if c.eq_ignore_ascii_case("spot") => Market::Spot,
        _ => Market::OnDemand,
    };
    let mut out = vec![aws_ec2::instance_usage(cx, instance_type, nodes, market)];
    if with_template {
        out.push(cx.unknown(
            "Storage (node volumes)",
            "GB",
            "the nodes' volumes are set by the launch template",
        ));
    } else {
        let disk = Volume {
            volume_type: Ok(Some("gp2")),
            size_gb: number_at(r, &["disk_size"]).map(|gb| gb.unwrap_or(DEFAULT_DISK_GB)),
            iops: Ok(None),
            throughput: Ok(None),
            count: nodes,
        };
        out.extend(aws_ebs::volume_components(cx, &disk));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (REFERENCE.md; Infracost's eks golden files: $73.00 a cluster).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonEKS cluster/hour hour 0.10
AmazonEC2 instance/linux/t3.medium hour 0.0416
AmazonEC2 instance/linux/m5.large hour 0.096
AmazonEC2 ebs/gp2/storage GB-month 0.10
",
        )
    }

    fn c(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    fn eks(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn cluster() {
        // 730 × $0.10 = $73.00
        assert_eq!(
            costs(&eks("aws_eks_cluster", json!({"name": "main"}), "")),
            vec![c("EKS cluster", 73.0)]
        );
    }

    #[test]
    fn node_group_defaults() {
        // 1 × 730 × $0.0416 = $30.368 → $30.37; 20 GB × $0.10 = $2.00
        let e = eks(
            "aws_eks_node_group",
            json!({"scaling_config": [{"desired_size": 1, "min_size": 1, "max_size": 3}]}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c("Instance usage (Linux/UNIX, on-demand, t3.medium)", 30.37),
                c("Storage (general purpose SSD, gp2)", 2.0),
            ]
        );
    }

    #[test]
    fn node_group_size_type_and_disk() {
        // 3 × 730 × $0.096 = $210.24; 3 × 50 GB × $0.10 = $15.00
        let e = eks(
            "aws_eks_node_group",
            json!({"instance_types": ["m5.large"], "disk_size": 50, "scaling_config": [{"desired_size": 3}]}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c("Instance usage (Linux/UNIX, on-demand, m5.large)", 210.24),
                c("Storage (general purpose SSD, gp2)", 15.0),
            ]
        );
        // Usage `instances` wins: 5 × 730 × $0.096 = $350.40; 5 × 50 × $0.10 = $25.00
        let usage = "resource_usage:\n  aws_eks_node_group.this:\n    instances: 5\n";
        let e = eks(
            "aws_eks_node_group",
            json!({"instance_types": ["m5.large"], "disk_size": 50, "scaling_config": [{"desired_size": 3}]}),
            usage,
        );
        assert_eq!(
            costs(&e)[0],
            c("Instance usage (Linux/UNIX, on-demand, m5.large)", 350.4)
        );
        assert_eq!(costs(&e)[1], c("Storage (general purpose SSD, gp2)", 25.0));
    }

    #[test]
    fn unknown_size_template_and_spot() {
        let e = eks(
            "aws_eks_node_group",
            json!({"scaling_config": [{"desired_size": "(unknown) var.nodes"}]}),
            "",
        );
        assert!(
            e.components
                .iter()
                .all(|c| matches!(&c.note, Note::Unknown(why) if why.contains("desired_size")))
        );
        let e = eks(
            "aws_eks_node_group",
            json!({"launch_template": [{"id": "(unknown) computed"}], "scaling_config": [{"desired_size": 2}]}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("launch template"))
        );
        assert!(matches!(e.components[1].note, Note::Unknown(_)));
        let e = eks(
            "aws_eks_node_group",
            json!({"capacity_type": "SPOT", "instance_types": ["m5.large"], "scaling_config": [{"desired_size": 2}]}),
            "",
        );
        assert_eq!(
            e.components[0].name,
            "Instance usage (Linux/UNIX, spot, m5.large)"
        );
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
    }
}
