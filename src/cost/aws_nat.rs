//! NAT gateways: billed by the hour and per GB processed (public and private alike).

use super::Cx;
use super::families::Estimate;

pub const TYPES: &[&str] = &["aws_nat_gateway"];

pub fn estimate(cx: &Cx) -> Estimate {
    Estimate::of(vec![
        cx.hours("NAT gateway", 1.0, "AmazonEC2", "nat/hour"),
        cx.usage(
            "Data processed",
            "GB",
            "monthly_data_processed_gb",
            1.0,
            "AmazonEC2",
            "nat/data",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    /// us-east-1 list prices (REFERENCE.md): $0.045 an hour and $0.045 per GB.
    const PRICES: &str = "@cloud aws
@regions us-east-1 eu-west-1
AmazonEC2 nat/hour hour 0.045 0.048
AmazonEC2 nat/data GB 0.045 0.048
";

    #[test]
    fn hours_and_data_processed() {
        // 730 × $0.045 = $32.85; 100 GB × $0.045 = $4.50
        let r = resource(
            "aws_nat_gateway",
            "us-east-1",
            json!({"subnet_id": "(unknown) computed"}),
        );
        let usage =
            "resource_usage:\n  aws_nat_gateway.this:\n    monthly_data_processed_gb: 100\n";
        let e = run(estimate, Cloud::Aws, &r, &book(PRICES), usage);
        assert_eq!(
            costs(&e),
            vec![
                ("NAT gateway".to_string(), Some(32.85)),
                ("Data processed".to_string(), Some(4.5))
            ]
        );
        assert!(e.components[1].usage_based);
    }

    #[test]
    fn without_usage_data_depends_on_usage() {
        // eu-west-1: 730 × $0.048 = $35.04
        let r = resource("aws_nat_gateway", "eu-west-1", json!({}));
        let e = run(estimate, Cloud::Aws, &r, &book(PRICES), "");
        assert_eq!(costs(&e)[0], ("NAT gateway".to_string(), Some(35.04)));
        assert_eq!(e.components[1].note, Note::NeedsUsage);
        assert_eq!(e.components[1].price, Some(0.048));
    }
}
