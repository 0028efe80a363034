//! Azure managed disks (`azurerm_managed_disk`). Standard HDD, Standard SSD and Premium SSD
//! disks are billed per disk-month at the smallest published tier that holds their size (S
//! tiers for Standard HDD, E for Standard SSD, P for Premium SSD), whatever part of it is used.
//! The tier logic also prices the OS disks of virtual machines and AKS nodes.
//!
//! Also here: attribute and component helpers the Azure and Google families share.

use super::attrs::{Known, number, text};
use super::families::Estimate;
use super::{Component, Cx};
use crate::terraform::value::format_number as fmt_num;

pub const TYPES: &[&str] = &["azurerm_managed_disk"];

/// Tier numbers and their sizes in GiB, smallest first, as Azure publishes them (and as
/// Infracost maps them). The same sizes hold for S, E and P tiers; Standard HDD has no tier
/// below S4.
const TIERS: &[(u32, f64)] = &[
    (1, 4.0),
    (2, 8.0),
    (3, 16.0),
    (4, 32.0),
    (6, 64.0),
    (10, 128.0),
    (15, 256.0),
    (20, 512.0),
    (30, 1024.0),
    (40, 2048.0),
    (50, 4096.0),
    (60, 8192.0),
    (70, 16384.0),
    (80, 32767.0),
];

/// The number of the smallest tier of `letter` (`s`, `e`, `p`) that holds `size_gib`.
pub(crate) fn tier_for(letter: char, size_gib: f64) -> Option<u32> {
    TIERS
        .iter()
        .filter(|(n, _)| letter != 's' || *n >= 4)
        .find(|(_, cap)| size_gib <= *cap)
        .map(|(n, _)| *n)
}

/// A disk type's tier letter: Standard HDD → S, Standard SSD → E, Premium SSD → P.
fn tier_letter(kind: &str) -> Option<char> {
    match kind.to_ascii_lowercase().as_str() {
        "standard" => Some('s'),
        "standardssd" => Some('e'),
        "premium" => Some('p'),
        _ => None,
    }
}

/// The storage component of `disks` managed disks of `account_type` (`Premium_LRS`) and
/// `size_gib`, billed at least at tier `at_least` (a premium disk's performance tier).
pub(crate) fn storage(
    cx: &Cx,
    account_type: &str,
    size_gib: f64,
    disks: f64,
    at_least: Option<u32>,
) -> Component {
    let (kind, redundancy) = account_type.split_once('_').unwrap_or((account_type, ""));
    let redundancy = redundancy.to_ascii_uppercase();
    let Some(letter) = tier_letter(kind) else {
        let why = match kind.to_ascii_lowercase().as_str() {
            // Billed per provisioned GiB, IOPS and MB/s: products the price book does not hold.
            "ultrassd" | "premiumv2" => format!(
                "{account_type} disks are billed by GiB, IOPS and throughput, which the price book does not hold"
            ),
            _ => format!("`{account_type}` is not a managed disk type stackgate knows"),
        };
        return cx.not_priced(
            format!("Storage ({account_type}, {} GiB)", fmt_num(size_gib)),
            "months",
            Some(disks),
            false,
            why,
        );
    };
    let Some(n) = tier_for(letter, size_gib) else {
        let name = format!("Storage ({account_type}, {} GiB)", fmt_num(size_gib));
        let why = format!(
            "no {} tier holds {} GiB",
            letter.to_ascii_uppercase(),
            fmt_num(size_gib)
        );
        return cx.not_priced(name, "months", Some(disks), false, why);
    };
    let n = at_least.map_or(n, |min| n.max(min));
    let tier = format!("{}{n}", letter.to_ascii_uppercase());
    let name = format!("Storage ({tier}, {redundancy})");
    let product = format!("managed-disk/{}", tier.to_ascii_lowercase());
    let c = cx.fixed(name, "months", disks, "Storage", &product);
    match redundancy.as_str() {
        "LRS" => c,
        // The book's tier prices are the locally redundant ones; zone-redundant disks cost more.
        _ => c.without_price(format!(
            "azure Storage {product} {redundancy}: the price book holds LRS disk prices only"
        )),
    }
}

/// `P30` → 30, for a premium disk's performance `tier`.
fn tier_number(tier: &str) -> Option<u32> {
    let digits = tier.strip_prefix(['P', 'p'])?;
    digits
        .parse()
        .ok()
        .filter(|n| TIERS.iter().any(|(t, _)| t == n))
}

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let account = match text(r, &["storage_account_type"]) {
        Known::Value(a) => a,
        Known::Absent => return unknown_storage(cx, "`storage_account_type` is not set"),
        Known::Unknown(why) => return unknown_storage(cx, why),
    };
    let size = match number(r, &["disk_size_gb"]) {
        Known::Value(s) => s,
        // Without a size the disk takes its source's (an image, a snapshot, an imported VHD).
        Known::Absent => {
            return unknown_storage(
                cx,
                "`disk_size_gb` is not set: the disk takes the size of its source",
            );
        }
        Known::Unknown(why) => return unknown_storage(cx, why),
    };
    // A premium disk can be set to a higher performance tier, and is billed at it.
    let at_least = match text(r, &["tier"]) {
        Known::Value(t) => tier_number(t),
        Known::Absent => None,
        Known::Unknown(why)
            if tier_letter(account.split('_').next().unwrap_or_default()) == Some('p') =>
        {
            return unknown_storage(cx, why);
        }
        Known::Unknown(_) => None,
    };
    Estimate::of(vec![storage(cx, account, size, 1.0, at_least)])
}

fn unknown_storage(cx: &Cx, why: impl Into<String>) -> Estimate {
    Estimate::of(vec![cx.unknown("Storage", "months", why)])
}

// Helpers shared by the Azure and Google families (candidates for attrs.rs and context.rs).

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Azure list prices, eastus, pay as you go (Infracost's managed disk golden test):
    // S4 LRS $1.536, P4 LRS $5.28, P10 LRS $19.71, E30 LRS $76.80 a disk-month.
    const BOOK: &str = "@cloud azure\n@regions eastus\n\
        Storage managed-disk/s4 disk-month 1.536\n\
        Storage managed-disk/p4 disk-month 5.28\n\
        Storage managed-disk/p10 disk-month 19.71\n\
        Storage managed-disk/e30 disk-month 76.80\n";

    fn disk(attrs: serde_json::Value) -> Vec<(String, Option<f64>)> {
        let r = resource("azurerm_managed_disk", "eastus", attrs);
        costs(&run(estimate, Cloud::Azure, &r, &book(BOOK), ""))
    }

    #[test]
    fn tiers_are_the_smallest_that_hold_the_size() {
        assert_eq!(tier_for('s', 1.0), Some(4));
        assert_eq!(tier_for('e', 1.0), Some(1));
        assert_eq!(tier_for('p', 30.0), Some(4));
        assert_eq!(tier_for('p', 32.0), Some(4));
        assert_eq!(tier_for('p', 33.0), Some(6));
        assert_eq!(tier_for('e', 1000.0), Some(30));
        assert_eq!(tier_for('s', 32767.0), Some(80));
        assert_eq!(tier_for('s', 32768.0), None);
    }

    #[test]
    fn disks_are_billed_at_their_tier() {
        // 30 GiB Standard HDD → S4, $1.536 → $1.54.
        assert_eq!(
            disk(json!({"storage_account_type": "Standard_LRS", "disk_size_gb": 30})),
            vec![("Storage (S4, LRS)".to_string(), Some(1.54))]
        );
        // 1000 GiB Standard SSD → E30 (1024 GiB), $76.80.
        assert_eq!(
            disk(json!({"storage_account_type": "StandardSSD_LRS", "disk_size_gb": 1000})),
            vec![("Storage (E30, LRS)".to_string(), Some(76.80))]
        );
        // 20 GiB Premium → P4 (32 GiB), $5.28.
        assert_eq!(
            disk(json!({"storage_account_type": "Premium_LRS", "disk_size_gb": 20})),
            vec![("Storage (P4, LRS)".to_string(), Some(5.28))]
        );
        // The same disk set to performance tier P10 is billed as a P10: $19.71.
        assert_eq!(
            disk(json!({"storage_account_type": "Premium_LRS", "disk_size_gb": 20, "tier": "P10"})),
            vec![("Storage (P10, LRS)".to_string(), Some(19.71))]
        );
    }

    #[test]
    fn unknown_and_unpriced_disks_say_why() {
        let r = resource(
            "azurerm_managed_disk",
            "eastus",
            json!({"storage_account_type": "Premium_LRS", "disk_size_gb": "(unknown) variable `size` has no value"}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert_eq!(
            e.components[0].note,
            Note::Unknown("`disk_size_gb` is unknown: variable `size` has no value".to_string())
        );

        let r = resource(
            "azurerm_managed_disk",
            "eastus",
            json!({"storage_account_type": "Premium_LRS"}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("disk_size_gb")));

        for account in ["Premium_ZRS", "UltraSSD_LRS"] {
            let r = resource(
                "azurerm_managed_disk",
                "eastus",
                json!({"storage_account_type": account, "disk_size_gb": 20}),
            );
            let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
            assert!(
                matches!(e.components[0].note, Note::PriceNotFound(_)),
                "{account}"
            );
            assert_eq!(e.components[0].monthly_cost(), None);
        }
    }
}
