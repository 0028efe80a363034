//! VPC endpoints. Interface endpoints are billed per AZ (one network interface per subnet)
//! by the hour plus data processed; Gateway Load Balancer endpoints likewise, at their own
//! prices; Gateway endpoints (S3, DynamoDB) are free. A Gateway endpoint therefore has an
//! estimate without components: free, decided from its `vpc_endpoint_type`, not its type.

use super::aws_ec2::{count_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_vpc_endpoint"];

/// Data processed tiers a month: the first PB, the next 4 PB, the rest.
const FIRST_TIER_GB: f64 = 1_000_000.0;
const NEXT_TIER_GB: f64 = 4_000_000.0;

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    // The provider's default type is Gateway.
    let kind = match text_at(r, &["vpc_endpoint_type"]) {
        Ok(kind) => kind.unwrap_or("Gateway").to_ascii_lowercase(),
        Err(why) => return Estimate::of(vec![cx.unknown("Endpoint", "hours", why)]),
    };
    let (label, prefix) = match kind.as_str() {
        "gateway" => return Estimate::default(),
        "interface" => ("Interface", "endpoint/interface"),
        "gatewayloadbalancer" => ("GatewayLoadBalancer", "endpoint/gwlb"),
        other => {
            return Estimate::of(vec![cx.unknown(
                "Endpoint",
                "hours",
                format!("`vpc_endpoint_type` is `{other}`, not Interface, Gateway or GatewayLoadBalancer"),
            )]);
        }
    };
    let name = format!("Endpoint ({label})");
    // One network interface per subnet, at least one.
    let endpoint = match count_at(r, &["subnet_ids"]) {
        Ok(n) => cx.hours(
            name,
            n.max(1) as f64,
            "AmazonVPC",
            &format!("{prefix}/hour"),
        ),
        Err(why) => cx.unknown(name, "hours", why),
    };
    let mut out = vec![endpoint];
    out.extend(data_processed(cx, kind == "interface", prefix));
    Estimate::of(out)
}

fn data_processed(cx: &Cx, tiered: bool, prefix: &str) -> Vec<Component> {
    let product = format!("{prefix}/data");
    let gb = cx.usage_value("monthly_data_processed_gb");
    if !tiered {
        return vec![cx.usage_quantity("Data processed", "GB", gb, "AmazonVPC", &product)];
    }
    let Some(gb) = gb else {
        return vec![cx.usage_quantity(
            "Data processed (first 1PB)",
            "GB",
            None,
            "AmazonVPC",
            &product,
        )];
    };
    let tiers = [
        (
            "Data processed (first 1PB)",
            gb.min(FIRST_TIER_GB),
            product.clone(),
        ),
        (
            "Data processed (next 4PB)",
            (gb - FIRST_TIER_GB).clamp(0.0, NEXT_TIER_GB),
            format!("{product}/tier2"),
        ),
        (
            "Data processed (over 5PB)",
            (gb - FIRST_TIER_GB - NEXT_TIER_GB).max(0.0),
            format!("{product}/tier3"),
        ),
    ];
    tiers
        .into_iter()
        .enumerate()
        .filter(|(i, (_, q, _))| *i == 0 || *q > 0.0)
        .map(|(_, (name, q, p))| cx.usage_quantity(name, "GB", Some(q), "AmazonVPC", &p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (Infracost's vpc_endpoint golden file): $0.01 per AZ-hour and
    /// $0.01 per GB for the first PB.
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonVPC endpoint/interface/hour hour 0.01
AmazonVPC endpoint/interface/data GB 0.01
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn endpoint(attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource("aws_vpc_endpoint", "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn interface_endpoint_per_subnet() {
        // 2 subnets × 730 × $0.01 = $14.60; 1,000 GB × $0.01 = $10.00
        let usage =
            "resource_usage:\n  aws_vpc_endpoint.this:\n    monthly_data_processed_gb: 1000\n";
        let e = endpoint(
            json!({"vpc_endpoint_type": "Interface", "subnet_ids": ["(unknown) aws_subnet.a.id", "(unknown) aws_subnet.b.id"]}),
            usage,
        );
        assert_eq!(
            costs(&e),
            vec![
                c("Endpoint (Interface)", Some(14.6)),
                c("Data processed (first 1PB)", Some(10.0))
            ]
        );
        // No subnets listed: one interface, 730 × $0.01 = $7.30; data depends on usage.
        let e = endpoint(json!({"vpc_endpoint_type": "Interface"}), "");
        assert_eq!(
            costs(&e),
            vec![
                c("Endpoint (Interface)", Some(7.3)),
                c("Data processed (first 1PB)", None)
            ]
        );
        assert_eq!(e.components[1].note, Note::NeedsUsage);
    }

    #[test]
    fn gateway_endpoints_are_free() {
        assert_eq!(
            endpoint(json!({"service_name": "com.amazonaws.us-east-1.s3"}), ""),
            Estimate::default()
        );
        assert_eq!(
            endpoint(json!({"vpc_endpoint_type": "Gateway"}), ""),
            Estimate::default()
        );
    }

    #[test]
    fn data_beyond_the_first_petabyte() {
        // 1,000,000 GB × $0.01 = $10,000.00; the 500,000 GB above have no price in this book.
        let usage =
            "resource_usage:\n  aws_vpc_endpoint.this:\n    monthly_data_processed_gb: 1500000\n";
        let e = endpoint(json!({"vpc_endpoint_type": "Interface"}), usage);
        assert_eq!(
            costs(&e)[1],
            c("Data processed (first 1PB)", Some(10_000.0))
        );
        assert_eq!(e.components[2].name, "Data processed (next 4PB)");
        assert_eq!(e.components[2].monthly_quantity, Some(500_000.0));
        assert_eq!(e.components.len(), 3);
    }

    #[test]
    fn unknown_type_or_subnets() {
        let e = endpoint(json!({"vpc_endpoint_type": "(unknown) var.kind"}), "");
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`vpc_endpoint_type`"))
        );
        let e = endpoint(
            json!({"vpc_endpoint_type": "Interface", "subnet_ids": "(unknown) module.net.private_subnets"}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`subnet_ids`"))
        );
    }
}
