//! Azure managed disks (`azurerm_managed_disk`). Standard HDD, Standard SSD and Premium SSD
//! disks are billed per disk-month at the smallest published tier that holds their size (S
//! tiers for Standard HDD, E for Standard SSD, P for Premium SSD), whatever part of it is used.
//! The tier logic also prices the OS disks of virtual machines and AKS nodes.
//!
//! Also here: attribute and component helpers the Azure and Google families share.

use super::attrs::Known;
use super::families::Estimate;
use super::{Component, Cx, Note};
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

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
        return no_price(
            cx,
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
        return no_price(cx, name, "months", Some(disks), false, why);
    };
    let n = at_least.map_or(n, |min| n.max(min));
    let tier = format!("{}{n}", letter.to_ascii_uppercase());
    let name = format!("Storage ({tier}, {redundancy})");
    let product = format!("managed-disk/{}", tier.to_ascii_lowercase());
    let c = cx.fixed(name, "months", disks, "Storage", &product);
    match redundancy.as_str() {
        "LRS" => c,
        // The book's tier prices are the locally redundant ones; zone-redundant disks cost more.
        _ => without_price(
            c,
            format!(
                "azure Storage {product} {redundancy}: the price book holds LRS disk prices only"
            ),
        ),
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

/// The value at a path of block and attribute names (`["os_disk", "0", "disk_size_gb"]`).
/// Unlike `attrs::at`, an unknown block on the way makes the value unknown (a `dynamic` block
/// over an unknown collection), and a single block written as an object is read as block 0.
pub(crate) fn get<'a>(r: &'a Resource, path: &[&str]) -> Known<&'a Value> {
    let mut v = &r.attributes;
    for seg in path {
        v = match v {
            Value::Unknown(u) => return Known::Unknown(unknown_at(path, &u.reason)),
            Value::Map(m) => match m.get(*seg) {
                Some(x) => x,
                None if *seg == "0" => continue,
                None => return Known::Absent,
            },
            Value::List(items) | Value::Set(items) => {
                match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(x) => x,
                    None => return Known::Absent,
                }
            }
            _ => return Known::Absent,
        };
    }
    match v {
        Value::Null => Known::Absent,
        Value::Unknown(u) => Known::Unknown(unknown_at(path, &u.reason)),
        v => Known::Value(v),
    }
}

/// A path under a prefix: `["default_node_pool", "0"]` + `["vm_size"]`.
pub(crate) fn join<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    prefix.iter().chain(rest).copied().collect()
}

/// "`os_disk[0].disk_size_gb` is unknown: variable `size` has no value".
fn unknown_at(path: &[&str], reason: &str) -> String {
    format!("`{}` is unknown: {reason}", show_path(path))
}

pub(crate) fn show_path(path: &[&str]) -> String {
    let mut out = String::new();
    for seg in path {
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

fn wrong_type(path: &[&str], v: &Value, what: &str) -> String {
    format!("`{}` is {}, not {what}", show_path(path), v.type_name())
}

pub(crate) fn text<'a>(r: &'a Resource, path: &[&str]) -> Known<&'a str> {
    match get(r, path) {
        Known::Value(Value::String(s)) => Known::Value(s),
        Known::Value(v) => Known::Unknown(wrong_type(path, v, "a string")),
        Known::Absent => Known::Absent,
        Known::Unknown(why) => Known::Unknown(why),
    }
}

pub(crate) fn number(r: &Resource, path: &[&str]) -> Known<f64> {
    match get(r, path) {
        Known::Value(v) => match v.as_f64() {
            Some(n) => Known::Value(n),
            None => Known::Unknown(wrong_type(path, v, "a number")),
        },
        Known::Absent => Known::Absent,
        Known::Unknown(why) => Known::Unknown(why),
    }
}

pub(crate) fn flag(r: &Resource, path: &[&str]) -> Known<bool> {
    match get(r, path) {
        Known::Value(v) => match v.as_bool() {
            Some(b) => Known::Value(b),
            None => Known::Unknown(wrong_type(path, v, "a bool")),
        },
        Known::Absent => Known::Absent,
        Known::Unknown(why) => Known::Unknown(why),
    }
}

/// How many blocks of `name` the resource has; unknown when the blocks are.
pub(crate) fn block_count(r: &Resource, name: &str) -> Known<usize> {
    match r.attr(name) {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::Unknown(u)) => Known::Unknown(unknown_at(&[name], &u.reason)),
        Some(Value::List(items)) | Some(Value::Set(items)) => Known::Value(items.len()),
        Some(Value::Map(_)) => Known::Value(1),
        Some(v) => Known::Unknown(wrong_type(&[name], v, "a block")),
    }
}

/// A component billed by the hour for `hours` hours a month (a usage-given `monthly_hrs`, or
/// 730 times a count).
pub(crate) fn hours(
    cx: &Cx,
    name: impl Into<String>,
    hours: f64,
    service: &str,
    product: &str,
) -> Component {
    let mut c = cx.fixed(name, "hours", hours, service, product);
    c.hourly = true;
    c
}

/// A component the price book cannot price (why); unknown instead when the region is.
pub(crate) fn no_price(
    cx: &Cx,
    name: impl Into<String>,
    unit: &str,
    quantity: Option<f64>,
    hourly: bool,
    why: impl Into<String>,
) -> Component {
    let note = match &cx.region {
        Err(region) => Note::Unknown(region.clone()),
        Ok(_) => Note::PriceNotFound(why.into()),
    };
    Component {
        name: name.into(),
        unit: unit.to_string(),
        monthly_quantity: quantity,
        price: None,
        hourly,
        usage_based: false,
        note,
        adjustment: None,
    }
}

/// A component whose looked-up price is not the one that applies (spot, zone-redundant):
/// its price is dropped and marked not found, rather than shown wrong.
pub(crate) fn without_price(mut c: Component, why: impl Into<String>) -> Component {
    if !matches!(c.note, Note::Unknown(_)) {
        c.price = None;
        c.adjustment = None;
        c.note = Note::PriceNotFound(why.into());
    }
    c
}

/// 30 → "30", 0.5 → "0.5".
pub(crate) fn fmt_num(n: f64) -> String {
    crate::terraform::value::format_number(n)
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn paths_see_unknown_blocks_and_single_objects() {
        let r = resource(
            "x",
            "eastus",
            json!({"os_disk": "(unknown) dynamic block", "b": {"size": 3}, "c": [{"size": 4}]}),
        );
        assert!(
            matches!(number(&r, &["os_disk", "0", "size"]), Known::Unknown(w) if w.starts_with("`os_disk[0].size` is unknown"))
        );
        assert_eq!(number(&r, &["b", "0", "size"]), Known::Value(3.0));
        assert_eq!(number(&r, &["c", "0", "size"]), Known::Value(4.0));
        assert_eq!(number(&r, &["c", "1", "size"]), Known::Absent);
        assert_eq!(block_count(&r, "c"), Known::Value(1));
        assert_eq!(block_count(&r, "d"), Known::Absent);
    }
}
