//! Elastic Load Balancing: application, network and gateway load balancers (hours and load
//! balancer capacity units) and classic load balancers (hours and data processed).

use super::aws_ec2::text_at;
use super::families::Estimate;
use super::{Component, Cx, HOURS_PER_MONTH};

pub const TYPES: &[&str] = &["aws_alb", "aws_elb", "aws_lb"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_lb" | "aws_alb" => Estimate::of(load_balancer(cx)),
        "aws_elb" => Estimate::of(vec![
            cx.hours("Classic load balancer", 1.0, "AWSELB", "clb/hour"),
            cx.usage(
                "Data processed",
                "GB",
                "monthly_data_processed_gb",
                1.0,
                "AWSELB",
                "clb/data",
            ),
        ]),
        _ => Estimate::default(),
    }
}

/// What one capacity unit of a load balancer type covers (AWS's published LCU dimensions):
/// new connections per second, active connections per minute, GB processed per hour, rule
/// evaluations per second (application load balancers only).
struct Lcu {
    new_per_second: f64,
    active_per_minute: f64,
    gb_per_hour: f64,
    rule_evaluations_per_second: Option<f64>,
}

const ALB_LCU: Lcu = Lcu {
    new_per_second: 25.0,
    active_per_minute: 3_000.0,
    gb_per_hour: 1.0,
    rule_evaluations_per_second: Some(1_000.0),
};
/// TCP capacity units (NLCU).
const NLB_LCU: Lcu = Lcu {
    new_per_second: 800.0,
    active_per_minute: 100_000.0,
    gb_per_hour: 1.0,
    rule_evaluations_per_second: None,
};
const GWLB_LCU: Lcu = Lcu {
    new_per_second: 600.0,
    active_per_minute: 60_000.0,
    gb_per_hour: 1.0,
    rule_evaluations_per_second: None,
};

fn load_balancer(cx: &Cx) -> Vec<Component> {
    let kind = match text_at(cx.resource, &["load_balancer_type"]) {
        Ok(kind) => kind.unwrap_or("application").to_ascii_lowercase(),
        Err(why) => return vec![cx.unknown("Load balancer", "hours", why)],
    };
    let (name, prefix, lcu) = match kind.as_str() {
        "application" => ("Application load balancer", "alb", &ALB_LCU),
        "network" => ("Network load balancer", "nlb", &NLB_LCU),
        "gateway" => ("Gateway load balancer", "gwlb", &GWLB_LCU),
        other => {
            return vec![cx.unknown(
                "Load balancer",
                "hours",
                format!("`load_balancer_type` is `{other}`, not application, network or gateway"),
            )];
        }
    };
    vec![
        cx.hours(name, 1.0, "AWSELB", &format!("{prefix}/hour")),
        cx.usage_quantity(
            "Load balancer capacity units",
            "LCU-hours",
            lcu_hours(cx, lcu),
            "AWSELB",
            &format!("{prefix}/lcu"),
        ),
    ]
}

/// Capacity units a month from Infracost's usage keys, read as its usage reference describes
/// them: `new_connections` per second, `active_connections` per minute, `rule_evaluations` per
/// second (averages, so every hour of the month uses them) and `processed_bytes_gb` per month.
/// Each hour is billed for the dimension that uses the most units; `None` without usage.
fn lcu_hours(cx: &Cx, lcu: &Lcu) -> Option<f64> {
    let per_hour =
        |key: &str, per_unit: f64| cx.usage_value(key).map(|v| v / per_unit * HOURS_PER_MONTH);
    let gb_per_hour = cx
        .usage_value("processed_bytes_gb")
        .map(|gb_a_month| gb_a_month / lcu.gb_per_hour);
    [
        per_hour("new_connections", lcu.new_per_second),
        per_hour("active_connections", lcu.active_per_minute),
        gb_per_hour,
        lcu.rule_evaluations_per_second
            .and_then(|per_unit| per_hour("rule_evaluations", per_unit)),
    ]
    .into_iter()
    .flatten()
    .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (REFERENCE.md; Infracost's lb and elb golden files: $5.84 per LCU
    /// over 730 hours is $0.008 an LCU-hour, $4.38 is $0.006).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AWSELB alb/hour hour 0.0225
AWSELB nlb/hour hour 0.0225
AWSELB alb/lcu LCU-hour 0.008
AWSELB nlb/lcu LCU-hour 0.006
AWSELB clb/hour hour 0.025
AWSELB clb/data GB 0.008
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn lb(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn application_is_the_default_and_lcus_need_usage() {
        // 730 × $0.0225 = $16.425 → $16.43
        for t in ["aws_lb", "aws_alb"] {
            let e = lb(t, json!({"internal": false}), "");
            assert_eq!(
                costs(&e),
                vec![
                    c("Application load balancer", Some(16.43)),
                    c("Load balancer capacity units", None)
                ]
            );
            assert_eq!(e.components[1].note, Note::NeedsUsage);
        }
    }

    #[test]
    fn lcus_follow_the_busiest_dimension() {
        // new 10/s → 0.4 LCU; active 1,500/min → 0.5 LCU; rules 100/s → 0.1 LCU:
        // 0.5 × 730 = 365 LCU-hours; 1,000 GB a month = 1,000 LCU-hours wins → × $0.008 = $8.00
        let usage = "resource_usage:\n  aws_lb.this:\n    new_connections: 10\n    active_connections: 1500\n    processed_bytes_gb: 1000\n    rule_evaluations: 100\n";
        let e = lb("aws_lb", json!({}), usage);
        assert_eq!(e.components[1].monthly_quantity, Some(1000.0));
        assert_eq!(costs(&e)[1], c("Load balancer capacity units", Some(8.0)));
        // Without the bytes: 365 LCU-hours × $0.008 = $2.92
        let usage = "resource_usage:\n  aws_lb.this:\n    new_connections: 10\n    active_connections: 1500\n";
        assert_eq!(
            costs(&lb("aws_lb", json!({}), usage))[1],
            c("Load balancer capacity units", Some(2.92))
        );
    }

    #[test]
    fn network_load_balancer() {
        // 730 × $0.0225 = $16.43; 1,000 GB → 1,000 NLCU-hours × $0.006 = $6.00
        let usage = "resource_usage:\n  aws_lb.this:\n    processed_bytes_gb: 1000\n";
        assert_eq!(
            costs(&lb(
                "aws_lb",
                json!({"load_balancer_type": "network"}),
                usage
            )),
            vec![
                c("Network load balancer", Some(16.43)),
                c("Load balancer capacity units", Some(6.0))
            ]
        );
    }

    #[test]
    fn gateway_and_unknown_types() {
        let e = lb("aws_lb", json!({"load_balancer_type": "gateway"}), "");
        assert_eq!(e.components[0].name, "Gateway load balancer");
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
        let e = lb(
            "aws_lb",
            json!({"load_balancer_type": "(unknown) var.kind"}),
            "",
        );
        assert_eq!(e.components.len(), 1);
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`load_balancer_type`"))
        );
    }

    #[test]
    fn classic_load_balancer() {
        // 730 × $0.025 = $18.25; 10,000 GB × $0.008 = $80.00
        let usage = "resource_usage:\n  aws_elb.this:\n    monthly_data_processed_gb: 10000\n";
        assert_eq!(
            costs(&lb("aws_elb", json!({}), usage)),
            vec![
                c("Classic load balancer", Some(18.25)),
                c("Data processed", Some(80.0))
            ]
        );
    }
}
