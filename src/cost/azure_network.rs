//! Azure public IP addresses (`azurerm_public_ip`), billed by the hour by SKU and allocation
//! method. (NAT gateways are not priced: the price book has no product for them.)

use super::Cx;
use super::attrs::Known;
use super::attrs::text;
use super::families::Estimate;
use crate::cost::HOURS_PER_MONTH;

pub const TYPES: &[&str] = &["azurerm_public_ip"];

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let name = "IP address";
    let allocation = match text(r, &["allocation_method"]) {
        Known::Value(a) => a.to_ascii_lowercase(),
        Known::Absent => {
            return Estimate::of(vec![cx.unknown(
                name,
                "hours",
                "`allocation_method` is not set",
            )]);
        }
        Known::Unknown(why) => return Estimate::of(vec![cx.unknown(name, "hours", why)]),
    };
    // azurerm 4 defaults to Standard, as Infracost assumes; Standard addresses are always
    // static, so a dynamic address is a Basic one.
    let sku = match text(r, &["sku"]) {
        _ if allocation == "dynamic" => "basic".to_string(),
        Known::Value(s) => s.to_ascii_lowercase(),
        Known::Absent => "standard".to_string(),
        Known::Unknown(why) => return Estimate::of(vec![cx.unknown(name, "hours", why)]),
    };
    let global =
        matches!(text(r, &["sku_tier"]), Known::Value(t) if t.eq_ignore_ascii_case("global"));
    let scope = if global { "global" } else { "regional" };
    let product = format!("public-ip/{sku}/{allocation}");
    let c = cx.hours_total(
        format!("{name} ({allocation}, {scope})"),
        HOURS_PER_MONTH,
        "VirtualNetwork",
        &product,
    );
    if global {
        // Global (cross-region) addresses have their own price, which the book does not hold.
        return Estimate::of(vec![c.without_price(format!(
                "azure VirtualNetwork {product} (global tier): the price book holds regional prices only"
            ),
        )]);
    }
    Estimate::of(vec![c])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Azure list price, eastus: a Standard static IPv4 address $0.005/h (Infracost's
    // public IP golden test).
    const BOOK: &str =
        "@cloud azure\n@regions eastus\nVirtualNetwork public-ip/standard/static hour 0.005\n";

    fn ip(attrs: serde_json::Value) -> crate::cost::families::Estimate {
        let r = resource("azurerm_public_ip", "East US", attrs);
        run(estimate, Cloud::Azure, &r, &book(BOOK), "")
    }

    #[test]
    fn standard_static() {
        // 730 h × $0.005 = $3.65, in "East US" = eastus.
        assert_eq!(
            costs(&ip(
                json!({"allocation_method": "Static", "sku": "Standard"})
            )),
            vec![("IP address (static, regional)".to_string(), Some(3.65))]
        );
        assert_eq!(
            costs(&ip(json!({"allocation_method": "Static"}))),
            vec![("IP address (static, regional)".to_string(), Some(3.65))]
        );
    }

    #[test]
    fn dynamic_is_basic_and_global_is_not_priced() {
        let e = ip(json!({"allocation_method": "Dynamic"}));
        assert_eq!(e.components[0].name, "IP address (dynamic, regional)");
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("public-ip/basic/dynamic"))
        );
        let e = ip(json!({"allocation_method": "Static", "sku_tier": "Global"}));
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
        let e = ip(json!({"allocation_method": "(unknown) variable `alloc` has no value"}));
        assert!(
            matches!(&e.components[0].note, Note::Unknown(w) if w.contains("allocation_method"))
        );
    }
}
