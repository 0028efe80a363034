//! Google persistent disks (`google_compute_disk`, `google_compute_region_disk`), billed per
//! provisioned GB-month by disk type. The component also prices instances' boot disks and
//! GKE nodes' disks.

use super::attrs::Known;
use super::attrs::{number, text};
use super::families::Estimate;
use super::{Component, Cx};
use crate::terraform::value::format_number as fmt_num;

pub const TYPES: &[&str] = &["google_compute_disk", "google_compute_region_disk"];

/// Infracost's names for the disk types, which users know.
fn label(disk_type: &str) -> String {
    match disk_type {
        "pd-standard" => "Standard provisioned storage (pd-standard)".to_string(),
        "pd-balanced" => "Balanced provisioned storage (pd-balanced)".to_string(),
        "pd-ssd" => "SSD provisioned storage (pd-ssd)".to_string(),
        "pd-extreme" => "Extreme provisioned storage (pd-extreme)".to_string(),
        other => format!("Provisioned storage ({other})"),
    }
}

/// `gb` GB of `disk_type`, zonal or regional (replicated in two zones, at its own price).
pub(crate) fn storage(cx: &Cx, disk_type: &str, gb: f64, regional: bool) -> Component {
    if regional {
        let name = format!("Regional {}", lower_first(&label(disk_type)));
        cx.fixed(
            name,
            "GB",
            gb,
            "ComputeEngine",
            &format!("disk/regional/{disk_type}"),
        )
    } else {
        cx.fixed(
            label(disk_type),
            "GB",
            gb,
            "ComputeEngine",
            &format!("disk/{disk_type}"),
        )
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The size of an empty disk created without `size`, by type (Compute Engine's defaults,
/// as Infracost uses them).
fn default_size(disk_type: &str) -> Option<f64> {
    match disk_type {
        "pd-standard" => Some(500.0),
        "pd-balanced" | "pd-ssd" => Some(100.0),
        "pd-extreme" => Some(1000.0),
        _ => None,
    }
}

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let regional = r.r#type == "google_compute_region_disk";
    let disk_type = match text(r, &["type"]) {
        // A full URL (`projects/p/zones/z/diskTypes/pd-ssd`) names the type last.
        Known::Value(t) => t.rsplit('/').next().unwrap_or(t),
        Known::Absent => "pd-standard",
        Known::Unknown(why) => {
            return Estimate::of(vec![cx.unknown("Provisioned storage", "GB", why)]);
        }
    };
    let size = match number(r, &["size"]) {
        Known::Value(gb) => gb,
        Known::Unknown(why) => return Estimate::of(vec![cx.unknown(label(disk_type), "GB", why)]),
        Known::Absent => {
            let source = ["image", "snapshot", "source_disk"]
                .into_iter()
                .find(|a| !matches!(text(r, &[a]), Known::Absent));
            match (source, default_size(disk_type)) {
                (None, Some(gb)) => gb,
                (Some(a), _) => {
                    let why = format!("`size` is not set: the disk takes the size of its `{a}`");
                    return Estimate::of(vec![cx.unknown(label(disk_type), "GB", why)]);
                }
                (None, None) => {
                    let why = format!(
                        "`size` is not set and {disk_type} has no default size stackgate knows"
                    );
                    return Estimate::of(vec![cx.unknown(label(disk_type), "GB", why)]);
                }
            }
        }
    };
    let mut components = vec![storage(cx, disk_type, size, regional)];
    // Extreme disks are also billed per provisioned IOPS, a price the book does not hold.
    if disk_type == "pd-extreme" {
        let iops = match number(r, &["provisioned_iops"]) {
            Known::Value(n) => Some(n),
            _ => None,
        };
        let why = format!(
            "google ComputeEngine pd-extreme IOPS{}: the price book has no IOPS prices",
            iops.map(|n| format!(" ({})", fmt_num(n)))
                .unwrap_or_default()
        );
        components.push(cx.not_priced("Provisioned IOPS", "IOPS", iops, false, why));
    }
    Estimate::of(components)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Google list prices, us-central1, per GB-month: pd-standard $0.04, pd-ssd $0.17,
    // pd-balanced $0.10 (Infracost's golden tests), regional pd-standard $0.08 (libcloud's
    // GCE price data).
    const BOOK: &str = "@cloud google\n@regions us-central1\n\
        ComputeEngine disk/pd-standard GB-month 0.04\n\
        ComputeEngine disk/pd-ssd GB-month 0.17\n\
        ComputeEngine disk/pd-balanced GB-month 0.10\n\
        ComputeEngine disk/regional/pd-standard GB-month 0.08\n";

    fn price(ty: &str, attrs: serde_json::Value) -> Vec<(String, Option<f64>)> {
        let r = resource(ty, "us-central1-a", attrs);
        costs(&run(estimate, Cloud::Google, &r, &book(BOOK), ""))
    }

    fn s(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    #[test]
    fn zonal_disks() {
        // Empty pd-standard disk: 500 GB × $0.04 = $20.00; empty pd-ssd: 100 GB × $0.17 = $17.00.
        assert_eq!(
            price("google_compute_disk", json!({})),
            vec![s("Standard provisioned storage (pd-standard)", 20.0)]
        );
        assert_eq!(
            price("google_compute_disk", json!({"type": "pd-ssd"})),
            vec![s("SSD provisioned storage (pd-ssd)", 17.0)]
        );
        // 250 GB × $0.10 = $25.00.
        assert_eq!(
            price(
                "google_compute_disk",
                json!({"type": "pd-balanced", "size": 250})
            ),
            vec![s("Balanced provisioned storage (pd-balanced)", 25.0)]
        );
    }

    #[test]
    fn regional_disks() {
        // 200 GB × $0.08 = $16.00.
        assert_eq!(
            price(
                "google_compute_region_disk",
                json!({"size": 200, "type": "pd-standard"})
            ),
            vec![s(
                "Regional standard provisioned storage (pd-standard)",
                16.0
            )]
        );
    }

    #[test]
    fn sizes_from_images_are_unknown_and_new_types_not_found() {
        let r = resource(
            "google_compute_disk",
            "us-central1-a",
            json!({"image": "debian-cloud/debian-12"}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("`image`")));
        let r = resource(
            "google_compute_disk",
            "us-central1-a",
            json!({"type": "hyperdisk-balanced", "size": 100}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("disk/hyperdisk-balanced"))
        );
    }
}
