//! EC2: instances with their block devices, auto scaling groups and Elastic IPs. The
//! instance-hour pricing here also prices EKS node groups. Also home of the attribute readers
//! the AWS families share: each says which attribute is unknown.

use super::attrs::{self, Known};
use super::aws_ebs::{self, Volume};
use super::families::Estimate;
use super::{Component, Cx, HOURS_PER_MONTH};
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

pub const TYPES: &[&str] = &["aws_autoscaling_group", "aws_eip", "aws_instance"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_instance" => instance(cx),
        "aws_autoscaling_group" => Estimate::of(autoscaling_group(cx)),
        // Every public IPv4 address is billed by the hour, attached or not (since February 2024).
        "aws_eip" => Estimate::of(vec![cx.hours(
            "IP address",
            1.0,
            "AmazonVPC",
            "public-ipv4/hour",
        )]),
        _ => Estimate::default(),
    }
}

// ---- Reading attributes --------------------------------------------------------------------

/// A string attribute: `Ok(None)` when not set, `Err` saying which attribute is unknown.
pub fn text_at<'a>(r: &'a Resource, path: &[&str]) -> Result<Option<&'a str>, String> {
    attrs::text(r, path).optional()
}

pub fn number_at(r: &Resource, path: &[&str]) -> Result<Option<f64>, String> {
    attrs::number(r, path).optional()
}

pub fn bool_at(r: &Resource, path: &[&str]) -> Result<Option<bool>, String> {
    attrs::boolean(r, path).optional()
}

/// The number of items of a list attribute (`subnet_ids`); items may be unknown, the list not.
pub fn count_at(r: &Resource, path: &[&str]) -> Result<usize, String> {
    match attrs::get(r, path) {
        Known::Absent => Ok(0),
        Known::Value(Value::List(items)) | Known::Value(Value::Set(items)) => Ok(items.len()),
        Known::Value(other) => Err(format!(
            "`{}` is {}, not a list",
            attrs::show_path(path),
            other.type_name()
        )),
        Known::Unknown(why) => Err(why),
    }
}

// ---- Instances -----------------------------------------------------------------------------

/// How instances are bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Market {
    OnDemand,
    Spot,
}

/// `count` instances of a type running all month, shared tenancy; Linux unless the usage
/// file says `operating_system: windows` (Infracost's usage key).
pub fn instance_usage(
    cx: &Cx,
    instance_type: Result<&str, String>,
    count: f64,
    market: Market,
) -> Component {
    let instance_type = match instance_type {
        Ok(t) => t,
        Err(why) => return cx.unknown("Instance usage (Linux/UNIX, on-demand)", "hours", why),
    };
    let windows = cx
        .usage_text("operating_system")
        .is_some_and(|os| os.eq_ignore_ascii_case("windows"));
    let (os, os_name) = if windows {
        ("windows", "Windows")
    } else {
        ("linux", "Linux/UNIX")
    };
    let product = format!("instance/{os}/{instance_type}");
    match market {
        Market::OnDemand => cx.hours(
            format!("Instance usage ({os_name}, on-demand, {instance_type})"),
            count,
            "AmazonEC2",
            &product,
        ),
        // Spot prices move all the time and are no list price: the book holds none.
        Market::Spot => not_in_book(
            cx,
            format!("Instance usage ({os_name}, spot, {instance_type})"),
            count * HOURS_PER_MONTH,
            format!("spot {product}: spot prices are not list prices"),
        ),
    }
}

/// An hourly component the price book cannot price by design (why).
fn not_in_book(cx: &Cx, name: String, hours: f64, why: String) -> Component {
    match &cx.region {
        Ok(region) => {
            let key = format!("aws AmazonEC2 {why} in {region}");
            cx.not_priced(name, "hours", Some(hours), true, key)
        }
        Err(why) => cx.unknown(name, "hours", why.clone()),
    }
}

fn instance(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let mut components = Vec::new();
    let spot = matches!(
        text_at(r, &["instance_market_options", "0", "market_type"]),
        Ok(Some("spot"))
    );
    let market = if spot { Market::Spot } else { Market::OnDemand };
    let instance_type = match text_at(r, &["instance_type"]) {
        Ok(Some(t)) => Ok(t),
        Ok(None) if attrs::blocks(r, "launch_template").is_empty() => {
            Err("`instance_type` is not set".to_string())
        }
        Ok(None) => Err(
            "`instance_type` is not set: it comes from the launch template, which \
                         stackgate does not follow from the instance"
                .to_string(),
        ),
        Err(why) => Err(why),
    };
    match text_at(r, &["tenancy"]).map(|t| t.unwrap_or("default")) {
        Ok("default") => components.push(instance_usage(cx, instance_type, 1.0, market)),
        Ok("dedicated") => match instance_type {
            // Dedicated instances have their own prices, which the book does not hold.
            Ok(t) => components.push(cx.hours(
                format!("Instance usage (Linux/UNIX, on-demand, dedicated, {t})"),
                1.0,
                "AmazonEC2",
                &format!("instance/linux-dedicated/{t}"),
            )),
            Err(why) => components.push(cx.unknown("Instance usage (Linux/UNIX, dedicated)", "hours", why)),
        },
        Ok(other) => components.push(cx.unknown(
            "Instance usage (Linux/UNIX)",
            "hours",
            format!("`tenancy` is `{other}`: the instance runs on a Dedicated Host, which is billed per host (aws_ec2_host)"),
        )),
        Err(why) => components.push(cx.unknown("Instance usage (Linux/UNIX)", "hours", why)),
    }
    match bool_at(r, &["monitoring"]) {
        // Detailed monitoring publishes 7 metrics at one-minute resolution.
        Ok(Some(true)) => components.push(cx.fixed(
            "EC2 detailed monitoring",
            "metrics",
            7.0,
            "AmazonCloudWatch",
            "metric",
        )),
        Ok(_) => {}
        Err(why) => components.push(cx.unknown("EC2 detailed monitoring", "metrics", why)),
    }

    let mut subresources = vec![("root_block_device".to_string(), root_volume(cx))];
    for (i, _) in attrs::blocks(r, "ebs_block_device").iter().enumerate() {
        let index = i.to_string();
        let at = |name: &'static str| ["ebs_block_device", index.as_str(), name];
        let size_gb = match number_at(r, &at("volume_size")) {
            Ok(Some(gb)) => Ok(gb),
            Ok(None) => Err(format!(
                "`ebs_block_device.{i}.volume_size` is not set: the volume takes the size of its snapshot"
            )),
            Err(why) => Err(why),
        };
        let volume = Volume {
            volume_type: text_at(r, &at("volume_type")),
            size_gb,
            iops: number_at(r, &at("iops")),
            throughput: number_at(r, &at("throughput")),
            count: 1.0,
        };
        subresources.push((
            format!("ebs_block_device[{i}]"),
            aws_ebs::volume_components(cx, &volume),
        ));
    }
    Estimate {
        components,
        subresources,
    }
}

/// The root volume: 8 GB gp2 unless `root_block_device` says otherwise (the size of most AMIs'
/// root snapshot, and Infracost's default).
fn root_volume(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let at = |name: &'static str| ["root_block_device", "0", name];
    let volume = Volume {
        volume_type: text_at(r, &at("volume_type")),
        size_gb: number_at(r, &at("volume_size")).map(|s| s.unwrap_or(8.0)),
        iops: number_at(r, &at("iops")),
        throughput: number_at(r, &at("throughput")),
        count: 1.0,
    };
    aws_ebs::volume_components(cx, &volume)
}

// ---- Auto scaling groups -------------------------------------------------------------------

fn autoscaling_group(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let count = match group_size(cx) {
        Ok(n) => n,
        Err(why) => {
            return vec![
                cx.unknown(
                    "Instance usage (Linux/UNIX, on-demand)",
                    "hours",
                    why.clone(),
                ),
                cx.unknown("Storage (instance volumes)", "GB", why),
            ];
        }
    };
    let policy = ["mixed_instances_policy", "0"];
    let override_path = [&policy[..], &["launch_template", "0", "override", "0"]].concat();
    let at = |name: &'static str| [&override_path[..], &[name]].concat();
    let mut out = Vec::new();
    match text_at(r, &at("instance_type")) {
        Ok(Some(instance_type)) => {
            // Instances count for `weighted_capacity` units of the desired capacity each.
            let weight = number_at(r, &at("weighted_capacity"))
                .ok()
                .flatten()
                .unwrap_or(1.0);
            let instances = if weight > 0.0 {
                (count / weight).ceil()
            } else {
                count
            };
            let (on_demand, spot) = split_on_demand(cx, instances);
            if on_demand > 0.0 || spot == 0.0 {
                out.push(instance_usage(
                    cx,
                    Ok(instance_type),
                    on_demand,
                    Market::OnDemand,
                ));
            }
            if spot > 0.0 {
                out.push(instance_usage(cx, Ok(instance_type), spot, Market::Spot));
            }
        }
        // The group's launch template, found in the same module, sets the instance type.
        Ok(None) if cx.launch_template.is_some() => {
            let t = cx.launch_template.map(|t| text_at(t, &["instance_type"]));
            match t {
                Some(Ok(Some(instance_type))) => {
                    let (on_demand, spot) = split_on_demand(cx, count);
                    if on_demand > 0.0 || spot == 0.0 {
                        out.push(instance_usage(
                            cx,
                            Ok(instance_type),
                            on_demand,
                            Market::OnDemand,
                        ));
                    }
                    if spot > 0.0 {
                        out.push(instance_usage(cx, Ok(instance_type), spot, Market::Spot));
                    }
                }
                Some(Err(why)) => {
                    out.push(cx.unknown("Instance usage (Linux/UNIX, on-demand)", "hours", why))
                }
                _ => out.push(cx.unknown(
                    "Instance usage (Linux/UNIX, on-demand)",
                    "hours",
                    format!("{count} instances: the launch template sets no `instance_type`"),
                )),
            }
        }
        Ok(None) => out.push(cx.unknown(
            "Instance usage (Linux/UNIX, on-demand)",
            "hours",
            format!(
                "{count} instances: the instance type is in the group's launch template or launch \
                 configuration, which stackgate does not follow from the group"
            ),
        )),
        Err(why) => out.push(cx.unknown("Instance usage (Linux/UNIX, on-demand)", "hours", why)),
    }
    match cx
        .launch_template
        .map(|t| (t, attrs::blocks(t, "block_device_mappings").len()))
    {
        // Each instance gets the template's EBS volumes.
        Some((t, n)) if n > 0 => {
            for i in 0..n {
                let idx = i.to_string();
                let at =
                    |name: &'static str| ["block_device_mappings", idx.as_str(), "ebs", "0", name];
                if attrs::at(t, &["block_device_mappings", idx.as_str(), "ebs"]).is_none() {
                    continue;
                }
                let volume = aws_ebs::Volume {
                    volume_type: text_at(t, &at("volume_type")),
                    size_gb: match number_at(t, &at("volume_size")) {
                        Ok(Some(gb)) => Ok(gb),
                        Ok(None) => Err("the volume size comes from the AMI".to_string()),
                        Err(why) => Err(why),
                    },
                    iops: number_at(t, &at("iops")),
                    throughput: number_at(t, &at("throughput")),
                    count,
                };
                out.extend(aws_ebs::volume_components(cx, &volume));
            }
        }
        _ => out.push(cx.unknown(
            "Storage (instance volumes)",
            "GB",
            "the instances' volumes are set by the launch template and its AMI",
        )),
    }
    out
}

/// Instances in the group: usage `instances`, else `desired_capacity`, else `min_size` (the
/// desired capacity AWS starts a group with).
fn group_size(cx: &Cx) -> Result<f64, String> {
    if let Some(n) = cx.usage_value("instances") {
        return Ok(n);
    }
    let r = cx.resource;
    match number_at(r, &["desired_capacity"])? {
        Some(n) => Ok(n),
        None => number_at(r, &["min_size"])?.ok_or_else(|| "`min_size` is not set".to_string()),
    }
}

/// On-demand and spot instances of a mixed instances policy: the on-demand base, then the
/// on-demand percentage of the rest, rounded up in favour of on-demand as AWS does.
fn split_on_demand(cx: &Cx, instances: f64) -> (f64, f64) {
    let r = cx.resource;
    let d = ["mixed_instances_policy", "0", "instances_distribution", "0"];
    let at = |name: &'static str| [&d[..], &[name]].concat();
    let base = number_at(r, &at("on_demand_base_capacity"))
        .ok()
        .flatten()
        .unwrap_or(0.0);
    let percent = number_at(r, &at("on_demand_percentage_above_base_capacity"))
        .ok()
        .flatten()
        .unwrap_or(100.0);
    let base = base.min(instances);
    let on_demand = base + ((instances - base) * percent / 100.0).ceil();
    (on_demand, instances - on_demand)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (REFERENCE.md; Infracost's instance and eip golden files).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonEC2 instance/linux/m5.large hour 0.096
AmazonEC2 instance/linux/t3.medium hour 0.0416
AmazonEC2 ebs/gp2/storage GB-month 0.10
AmazonEC2 ebs/gp3/storage GB-month 0.08
AmazonEC2 ebs/io1/storage GB-month 0.125
AmazonEC2 ebs/io1/iops IOPS-month 0.065
AmazonCloudWatch metric metric-month 0.30
AmazonVPC public-ipv4/hour hour 0.005
",
        )
    }

    fn c(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    fn estimate_of(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn instance_with_default_root_volume() {
        // 730 h × $0.096 = $70.08; root 8 GB × $0.10 = $0.80
        let e = estimate_of("aws_instance", json!({"instance_type": "m5.large"}), "");
        assert_eq!(
            costs(&e),
            vec![
                c("Instance usage (Linux/UNIX, on-demand, m5.large)", 70.08),
                c("root_block_device: Storage (general purpose SSD, gp2)", 0.8),
            ]
        );
        assert!(e.components[0].hourly);
    }

    #[test]
    fn block_devices_and_monitoring() {
        // t3.medium 730 × $0.0416 = $30.368 → $30.37; monitoring 7 × $0.30 = $2.10;
        // root gp3 20 GB × $0.08 = $1.60; io1 20 GB × $0.125 = $2.50, 200 IOPS × $0.065 = $13.00
        let e = estimate_of(
            "aws_instance",
            json!({
                "instance_type": "t3.medium",
                "monitoring": true,
                "root_block_device": [{"volume_type": "gp3", "volume_size": 20}],
                "ebs_block_device": [{"device_name": "/dev/sdf", "volume_type": "io1", "volume_size": 20, "iops": 200}]
            }),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c("Instance usage (Linux/UNIX, on-demand, t3.medium)", 30.37),
                c("EC2 detailed monitoring", 2.1),
                c("root_block_device: Storage (general purpose SSD, gp3)", 1.6),
                c(
                    "ebs_block_device[0]: Storage (provisioned IOPS SSD, io1)",
                    2.5
                ),
                c("ebs_block_device[0]: Provisioned IOPS", 13.0),
            ]
        );
    }

    #[test]
    fn unknown_or_absent_instance_type() {
        let e = estimate_of(
            "aws_instance",
            json!({"instance_type": "(unknown) variable `type` has no value"}),
            "",
        );
        assert_eq!(
            e.components[0].note,
            Note::Unknown("`instance_type` is unknown: variable `type` has no value".into())
        );
        assert_eq!(e.components[0].monthly_cost(), None);
        let e = estimate_of(
            "aws_instance",
            json!({"launch_template": [{"id": "(unknown) computed"}]}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("launch template"))
        );
        // The root volume is still priced.
        assert_eq!(
            costs(&e)[1],
            c("root_block_device: Storage (general purpose SSD, gp2)", 0.8)
        );
    }

    #[test]
    fn tenancy_and_spot_are_not_shared_on_demand_prices() {
        let e = estimate_of(
            "aws_instance",
            json!({"instance_type": "m5.large", "tenancy": "dedicated"}),
            "",
        );
        assert_eq!(
            e.components[0].name,
            "Instance usage (Linux/UNIX, on-demand, dedicated, m5.large)"
        );
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("instance/linux-dedicated/m5.large"))
        );
        let e = estimate_of(
            "aws_instance",
            json!({"instance_type": "m5.large", "tenancy": "host"}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("Dedicated Host"))
        );
        let e = estimate_of(
            "aws_instance",
            json!({"instance_type": "m5.large", "instance_market_options": [{"market_type": "spot"}]}),
            "",
        );
        assert_eq!(
            e.components[0].name,
            "Instance usage (Linux/UNIX, spot, m5.large)"
        );
        assert_eq!(e.components[0].monthly_quantity, Some(730.0));
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
    }

    #[test]
    fn unknown_block_device_size_and_monitoring() {
        let e = estimate_of(
            "aws_instance",
            json!({
                "instance_type": "m5.large",
                "monitoring": "(unknown) var.monitoring",
                "ebs_block_device": [{"snapshot_id": "snap-1"}]
            }),
            "",
        );
        assert!(
            matches!(&e.components[1].note, Note::Unknown(why) if why.contains("`monitoring`"))
        );
        let (name, device) = &e.subresources[1];
        assert_eq!(name, "ebs_block_device[0]");
        assert!(matches!(&device[0].note, Note::Unknown(why) if why.contains("volume_size")));
    }

    #[test]
    fn attribute_readers_name_the_attribute() {
        let r = resource(
            "aws_instance",
            "us-east-1",
            json!({"size": [1], "kind": "(unknown) variable `kind` has no value", "ids": ["a", "(unknown) x"]}),
        );
        assert_eq!(
            number_at(&r, &["size"]),
            Err("`size` is list, not a number".to_string())
        );
        assert_eq!(
            text_at(&r, &["kind"]),
            Err("`kind` is unknown: variable `kind` has no value".to_string())
        );
        assert_eq!(text_at(&r, &["absent"]), Ok(None));
        assert_eq!(count_at(&r, &["ids"]), Ok(2));
        assert_eq!(count_at(&r, &["absent"]), Ok(0));
        assert!(count_at(&r, &["kind"]).is_err());
    }

    #[test]
    fn elastic_ip_is_billed_by_the_hour() {
        // 730 × $0.005 = $3.65
        assert_eq!(
            costs(&estimate_of("aws_eip", json!({"domain": "vpc"}), "")),
            vec![c("IP address", 3.65)]
        );
    }

    #[test]
    fn autoscaling_group_with_override_instance_type() {
        // desired 3 × 730 h × $0.096 = $210.24
        let e = estimate_of(
            "aws_autoscaling_group",
            json!({
                "min_size": 1, "max_size": 5, "desired_capacity": 3,
                "mixed_instances_policy": [{"launch_template": [{"override": [{"instance_type": "m5.large"}]}]}]
            }),
            "",
        );
        assert_eq!(
            costs(&e)[0],
            c("Instance usage (Linux/UNIX, on-demand, m5.large)", 210.24)
        );
        assert_eq!(e.components[0].monthly_quantity, Some(2190.0));
        assert!(matches!(e.components[1].note, Note::Unknown(_)));
    }

    #[test]
    fn autoscaling_group_instances_from_usage_and_spot_share() {
        // usage instances 4; base 1 on-demand, then 50% of 3 → 1.5 rounded up to 2 on-demand:
        // 3 × 730 × $0.0416 = $91.104 → $91.10; 1 spot instance (730 h, no list price)
        let usage = "resource_usage:\n  aws_autoscaling_group.this:\n    instances: 4\n";
        let e = estimate_of(
            "aws_autoscaling_group",
            json!({
                "min_size": 1, "max_size": 5,
                "mixed_instances_policy": [{
                    "instances_distribution": [{"on_demand_base_capacity": 1, "on_demand_percentage_above_base_capacity": 50}],
                    "launch_template": [{"override": [{"instance_type": "t3.medium"}]}]
                }]
            }),
            usage,
        );
        assert_eq!(
            costs(&e)[0],
            c("Instance usage (Linux/UNIX, on-demand, t3.medium)", 91.1)
        );
        assert_eq!(
            e.components[1].name,
            "Instance usage (Linux/UNIX, spot, t3.medium)"
        );
        assert_eq!(e.components[1].monthly_quantity, Some(730.0));
    }

    #[test]
    fn autoscaling_group_with_a_launch_template_is_unknown() {
        let e = estimate_of(
            "aws_autoscaling_group",
            json!({"min_size": 2, "max_size": 4, "launch_template": [{"id": "(unknown) computed", "version": "$Latest"}]}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.starts_with("2 instances") && why.contains("launch template"))
        );
        let e = estimate_of(
            "aws_autoscaling_group",
            json!({"min_size": 1, "desired_capacity": "(unknown) var.size"}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`desired_capacity`"))
        );
    }
}
