//! Route 53: hosted zones by the month, and DNS queries per record (usage). Prices are global:
//! the book's `global` column answers for every region.

use super::attrs;
use super::families::Estimate;
use super::{Component, Cx};
use crate::terraform::value::Value;

pub const TYPES: &[&str] = &["aws_route53_record", "aws_route53_zone"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_route53_zone" => Estimate::of(vec![cx.fixed(
            "Hosted zone",
            "months",
            1.0,
            "AmazonRoute53",
            "zone/hosted",
        )]),
        "aws_route53_record" if free_alias(cx) => Estimate::default(),
        "aws_route53_record" => Estimate::of(record(cx)),
        _ => Estimate::default(),
    }
}

/// Queries are billed per kind of routing: standard always; latency-based and geo DNS
/// queries for records with that routing policy, or when the usage file gives them.
fn record(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let mut out = vec![queries(
        cx,
        "Standard queries",
        "monthly_standard_queries",
        "queries/standard",
    )];
    let has = |block: &str| !attrs::blocks(r, block).is_empty();
    if has("latency_routing_policy") || cx.usage_value("monthly_latency_based_queries").is_some() {
        out.push(queries(
            cx,
            "Latency based routing queries",
            "monthly_latency_based_queries",
            "queries/latency",
        ));
    }
    if has("geolocation_routing_policy")
        || has("geoproximity_routing_policy")
        || cx.usage_value("monthly_geo_queries").is_some()
    {
        out.push(queries(
            cx,
            "Geo DNS queries",
            "monthly_geo_queries",
            "queries/geo",
        ));
    }
    out
}

/// Queries in the first billion a month (the book holds that tier's price).
fn queries(cx: &Cx, name: &str, key: &str, product: &str) -> Component {
    cx.usage(
        format!("{name} (first 1B)"),
        "1M queries",
        key,
        1e-6,
        "AmazonRoute53",
        product,
    )
}

/// Alias queries to AWS resources (load balancers, CloudFront, S3 websites, API Gateway, VPC
/// endpoints, Elastic Beanstalk) are free; an alias to another record of the zone is not.
fn free_alias(cx: &Cx) -> bool {
    const AWS_TARGETS: &[&str] = &[
        "elb.amazonaws.com",
        "cloudfront.net",
        "s3-website",
        "execute-api.",
        "vpce.amazonaws.com",
        "elasticbeanstalk.com",
        "awsglobalaccelerator.com",
    ];
    match attrs::at(cx.resource, &["alias", "0", "name"]) {
        None | Some(Value::Null) => false,
        Some(Value::String(name)) => AWS_TARGETS
            .iter()
            .any(|t| name.to_ascii_lowercase().contains(t)),
        // A reference to a resource's DNS name, known after apply: free unless it is a record.
        Some(Value::Unknown(u)) => !u.reason.contains("aws_route53_record"),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// List prices (Route 53 pricing; Infracost's route53 golden files): $0.50 a hosted zone,
    /// $0.40 per million standard queries.
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions global
AmazonRoute53 zone/hosted zone-month 0.50
AmazonRoute53 queries/standard 1M-queries 0.40
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn r53(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "eu-west-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn zone_uses_the_global_price() {
        // 1 × $0.50 = $0.50, from the global column in eu-west-1
        assert_eq!(
            costs(&r53("aws_route53_zone", json!({"name": "example.com"}), "")),
            vec![c("Hosted zone", Some(0.5))]
        );
    }

    #[test]
    fn record_queries_from_usage() {
        // 100,000,000 queries = 100 × $0.40 = $40.00
        let usage = "resource_usage:\n  aws_route53_record.this:\n    monthly_standard_queries: 100000000\n";
        let e = r53(
            "aws_route53_record",
            json!({"type": "A", "records": ["10.0.0.1"]}),
            usage,
        );
        assert_eq!(
            costs(&e),
            vec![c("Standard queries (first 1B)", Some(40.0))]
        );
        let e = r53("aws_route53_record", json!({"type": "A"}), "");
        assert_eq!(e.components[0].note, Note::NeedsUsage);
    }

    #[test]
    fn routing_policies_add_their_queries() {
        let e = r53(
            "aws_route53_record",
            json!({"latency_routing_policy": [{"region": "eu-west-1"}]}),
            "",
        );
        assert_eq!(
            e.components[1].name,
            "Latency based routing queries (first 1B)"
        );
        assert!(matches!(e.components[1].note, Note::PriceNotFound(_)));
    }

    #[test]
    fn alias_records_to_aws_resources_are_free() {
        let alias = |name: &str| json!({"alias": [{"name": name, "zone_id": "Z1", "evaluate_target_health": true}]});
        assert!(
            r53(
                "aws_route53_record",
                alias("my-lb-1.eu-west-1.elb.amazonaws.com"),
                ""
            )
            .components
            .is_empty()
        );
        assert!(
            r53(
                "aws_route53_record",
                alias("(unknown) aws_lb.main.dns_name is computed by the provider"),
                ""
            )
            .components
            .is_empty()
        );
        // An alias to a record of the same zone is billed.
        assert_eq!(
            r53("aws_route53_record", alias("www.example.com"), "")
                .components
                .len(),
            1
        );
        assert_eq!(
            r53(
                "aws_route53_record",
                alias("(unknown) aws_route53_record.www.fqdn is computed"),
                ""
            )
            .components
            .len(),
            1
        );
    }
}
