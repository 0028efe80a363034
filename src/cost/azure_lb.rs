//! Azure load balancers (`azurerm_lb`). A Basic load balancer has no charge. A Standard one
//! is billed for its rules by the hour and for the data it processes.
//!
//! Rules: Azure bills the first five load-balancing and outbound rules together at one
//! hourly price, and each further rule at an overage price. The rules are separate resources
//! (`azurerm_lb_rule`, `azurerm_lb_outbound_rule`) that cannot be counted from here, so this
//! prices the base charge a Standard load balancer with rules pays (the first five) and
//! leaves out overage rules. (Infracost instead bills each `azurerm_lb_rule` at the overage
//! price and the load balancer for data only.)

use super::Cx;
use super::attrs::Known;
use super::attrs::text;
use super::families::Estimate;
use crate::cost::HOURS_PER_MONTH;

pub const TYPES: &[&str] = &["azurerm_lb"];

pub fn estimate(cx: &Cx) -> Estimate {
    // azurerm 4 defaults to Standard (Basic load balancers were retired in September 2025).
    let sku = match text(cx.resource, &["sku"]) {
        Known::Value(s) => s.to_ascii_lowercase(),
        Known::Absent => "standard".to_string(),
        Known::Unknown(why) => {
            return Estimate::of(vec![cx.unknown("Rules (first 5)", "hours", why)]);
        }
    };
    match sku.as_str() {
        "basic" => Estimate::default(),
        "standard" => Estimate::of(vec![
            cx.hours_total(
                "Rules (first 5)",
                HOURS_PER_MONTH,
                "LoadBalancer",
                "lb/standard/rule",
            ),
            cx.usage(
                "Data processed",
                "GB",
                "monthly_data_processed_gb",
                1.0,
                "LoadBalancer",
                "lb/standard/data",
            ),
        ]),
        // Gateway load balancers have their own prices, which the book does not hold.
        _ => {
            Estimate::of(vec![cx.not_priced("Gateway load balancer",
            "hours",
            Some(HOURS_PER_MONTH),
            true,
            format!(
                "azure LoadBalancer {sku}: the price book holds Standard load balancer prices only"
            ),
        )])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Azure list prices, eastus: Standard load balancer, first 5 rules $0.025/h (Azure's
    // load balancer pricing page), data processed $0.005/GB (Infracost's lb golden test).
    const BOOK: &str = "@cloud azure\n@regions eastus\n\
        LoadBalancer lb/standard/rule hour 0.025\n\
        LoadBalancer lb/standard/data GB 0.005\n";

    fn lb(attrs: serde_json::Value, usage: &str) -> crate::cost::families::Estimate {
        let r = resource("azurerm_lb", "eastus", attrs);
        run(estimate, Cloud::Azure, &r, &book(BOOK), usage)
    }

    #[test]
    fn standard_bills_rules_and_data() {
        // 730 h × $0.025 = $18.25; 100 GB × $0.005 = $0.50.
        let e = lb(
            json!({"sku": "Standard"}),
            "resource_usage:\n  azurerm_lb.this:\n    monthly_data_processed_gb: 100\n",
        );
        assert_eq!(
            costs(&e),
            vec![
                ("Rules (first 5)".to_string(), Some(18.25)),
                ("Data processed".to_string(), Some(0.5))
            ]
        );
        assert!(e.components[1].usage_based);
        // Without usage, data is "depends on usage"; no sku means Standard.
        let e = lb(json!({}), "");
        assert_eq!(costs(&e)[0], ("Rules (first 5)".to_string(), Some(18.25)));
        assert_eq!(e.components[1].note, Note::NeedsUsage);
    }

    #[test]
    fn basic_is_free_and_unknown_sku_is_unknown() {
        assert!(lb(json!({"sku": "Basic"}), "").components.is_empty());
        let e = lb(
            json!({"sku": "(unknown) variable `lb_sku` has no value"}),
            "",
        );
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("`sku`")));
        let e = lb(json!({"sku": "Gateway"}), "");
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
    }
}
