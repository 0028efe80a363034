//! Google Kubernetes Engine: the cluster management fee (`google_container_cluster`) and the
//! nodes of its node pools (the default pool, inline `node_pool` blocks, and
//! `google_container_node_pool` resources), priced as Compute Engine machines with their
//! boot disks.
//!
//! Node counts in regional and multi-zonal pools are per zone: a pool has that many nodes in
//! each of its zones (`node_locations`; otherwise the cluster's zone, or three zones of a
//! regional cluster's region, GKE's default).

use super::attrs::Known;
use super::attrs::{block_count, boolean as flag, get, join, number, text};
use super::families::Estimate;
use super::google_compute::{Purchase, accelerator, local_ssd, machine};
use super::google_disk;
use super::{Component, Cx};
use crate::cost::HOURS_PER_MONTH;
use crate::terraform::value::Value;

pub const TYPES: &[&str] = &["google_container_cluster", "google_container_node_pool"];

pub fn estimate(cx: &Cx) -> Estimate {
    if cx.resource.r#type == "google_container_cluster" {
        cluster(cx)
    } else {
        let r = cx.resource;
        let nodes = pool_nodes(cx, &[], cx.usage_value("nodes"), || {
            zones(cx, &[], text(r, &["location"]), false)
        });
        Estimate::of(pool(cx, &[], nodes))
    }
}

fn cluster(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let mut e = Estimate::default();
    let autopilot = matches!(flag(r, &["enable_autopilot"]), Known::Value(true));
    if autopilot {
        // Autopilot bills the fee plus the pods' requested vCPU, memory and storage.
        e.components
            .push(cx.hours("Autopilot", 1.0, "KubernetesEngine", "cluster/management"));
        let why = "google KubernetesEngine autopilot pod resources: the price book has no autopilot prices";
        e.components
            .push(cx.not_priced("Autopilot pod resources", "hours", None, true, why));
        return e;
    }
    e.components.push(cx.hours(
        "Cluster management fee",
        1.0,
        "KubernetesEngine",
        "cluster/management",
    ));
    let location = text(r, &["location"]);
    let pools = match block_count(r, "node_pool") {
        Known::Value(n) => n,
        Known::Absent => 0,
        Known::Unknown(why) => {
            e.subresources.push((
                "node_pool".to_string(),
                vec![cx.unknown("Instance usage", "hours", why)],
            ));
            return e;
        }
    };
    for i in 0..pools {
        let idx = i.to_string();
        let at = ["node_pool", idx.as_str()];
        let name = match text(r, &["node_pool", &idx, "name"]) {
            Known::Value("default-pool") => "default_pool".to_string(),
            _ => format!("node_pool[{i}]"),
        };
        // An inline pool's own `node_locations` win over the cluster's.
        let zone_count = || match get(r, &["node_pool", &idx, "node_locations"]) {
            Known::Absent => zones(cx, &[], location.clone(), true),
            _ => zones(cx, &at, Known::Absent, false),
        };
        let nodes = pool_nodes(cx, &at, None, zone_count);
        e.subresources.push((name, pool(cx, &at, nodes)));
    }
    // Without inline pools GKE creates the default pool from `node_config`, unless the
    // configuration removes it for separate `google_container_node_pool`s.
    if pools == 0 {
        match flag(r, &["remove_default_node_pool"]) {
            Known::Value(true) => {}
            Known::Value(false) | Known::Absent => {
                // `nodes` (usage) and `initial_node_count` count nodes per zone.
                let per_zone = match cx.usage_value("nodes") {
                    Some(n) => Ok(n),
                    None => match number(r, &["initial_node_count"]) {
                        Known::Value(n) => Ok(n),
                        Known::Absent => Err("`initial_node_count` is not set".to_string()),
                        Known::Unknown(why) => Err(why),
                    },
                };
                let nodes = per_zone.and_then(|n| zones(cx, &[], location, true).map(|z| n * z));
                e.subresources
                    .push(("default_pool".to_string(), pool(cx, &[], nodes)));
            }
            Known::Unknown(why) => {
                e.subresources.push((
                    "default_pool".to_string(),
                    vec![cx.unknown("Instance usage", "hours", why)],
                ));
            }
        }
    }
    e
}

/// The nodes of the pool at `at`: per zone, the usage file's `nodes`, else the autoscaler's
/// minimum (the baseline it never goes below), else `node_count`, else `initial_node_count`;
/// times the zones. (`total_min_node_count` counts all zones at once.)
fn pool_nodes(
    cx: &Cx,
    at: &[&str],
    usage: Option<f64>,
    zone_count: impl FnOnce() -> Result<f64, String>,
) -> Result<f64, String> {
    let r = cx.resource;
    let path = |field: &[&'static str]| join(at, field);
    if usage.is_none() {
        match number(r, &path(&["autoscaling", "0", "total_min_node_count"])) {
            Known::Value(n) => return Ok(n),
            Known::Unknown(why) => return Err(why),
            Known::Absent => {}
        }
    }
    let per_zone = match usage {
        Some(n) => n,
        None => {
            let fields: [&[&'static str]; 3] = [
                &["autoscaling", "0", "min_node_count"],
                &["node_count"],
                &["initial_node_count"],
            ];
            let mut found = None;
            for f in fields {
                match number(r, &path(f)) {
                    Known::Value(n) => {
                        found = Some(n);
                        break;
                    }
                    Known::Unknown(why) => return Err(why),
                    Known::Absent => {}
                }
            }
            found.ok_or("none of `node_count`, `initial_node_count` and `autoscaling` is set: give `nodes` in the usage file")?
        }
    };
    Ok(per_zone * zone_count()?)
}

/// The zones of a pool: its `node_locations` (at `at`), else its location's (a zone: 1; a
/// region: GKE's default of 3). For the cluster's own `node_locations` of a zonal cluster
/// (`cluster_level`), the cluster's zone counts too.
fn zones(cx: &Cx, at: &[&str], location: Known<&str>, cluster_level: bool) -> Result<f64, String> {
    let r = cx.resource;
    let path = join(at, &["node_locations"]);
    let location = match location {
        Known::Value(l) => Some(l),
        Known::Absent => None,
        Known::Unknown(why) => return Err(why),
    };
    match get(r, &path) {
        Known::Value(Value::List(items) | Value::Set(items)) if !items.is_empty() => {
            let listed = items.len() as f64;
            let extra = match location {
                Some(zone)
                    if cluster_level
                        && is_zone(zone)
                        && !items.iter().any(|v| v.as_str() == Some(zone)) =>
                {
                    1.0
                }
                _ => 0.0,
            };
            return Ok(listed + extra);
        }
        Known::Unknown(why) => return Err(why),
        _ => {}
    }
    match location {
        Some(l) if is_zone(l) => Ok(1.0),
        Some(_) => Ok(3.0),
        None => Err("`location` is not set, so whether the pool is zonal or regional (its zone count) is unknown".to_string()),
    }
}

/// `us-central1-a` is a zone, `us-central1` a region.
fn is_zone(location: &str) -> bool {
    matches!(location.rsplit_once('-'), Some((head, tail)) if head.contains('-') && tail.len() == 1)
}

/// The components of `nodes` nodes of the pool whose `node_config` is under `at`.
fn pool(cx: &Cx, at: &[&str], nodes: Result<f64, String>) -> Vec<Component> {
    let r = cx.resource;
    let nodes = match nodes {
        Ok(n) => n,
        Err(why) => return vec![cx.unknown("Instance usage", "hours", why)],
    };
    let config = join(at, &["node_config", "0"]);
    let cfg = |field: &[&'static str]| join(&config, field);
    let spot = matches!(flag(r, &cfg(&["spot"])), Known::Value(true));
    let preemptible = matches!(flag(r, &cfg(&["preemptible"])), Known::Value(true));
    let purchase = match (spot, preemptible) {
        (true, _) => Purchase::Spot,
        (_, true) => Purchase::Preemptible,
        _ => Purchase::OnDemand,
    };
    let hours = nodes * HOURS_PER_MONTH;
    let mut out = match text(r, &cfg(&["machine_type"])) {
        // GKE's default machine type.
        Known::Absent => machine(cx, "e2-medium", hours, purchase),
        Known::Value(mt) => machine(cx, mt, hours, purchase),
        Known::Unknown(why) => vec![cx.unknown("Instance usage", "hours", why)],
    };
    // The boot disk: `boot_disk` (newer providers) or `disk_type`/`disk_size_gb`; GKE's
    // defaults are 100 GB of pd-balanced.
    let pick = |new: &[&'static str], old: &[&'static str]| match get(r, &cfg(new)) {
        Known::Absent => get(r, &cfg(old)),
        k => k,
    };
    let disk_type = match pick(&["boot_disk", "0", "disk_type"], &["disk_type"]) {
        Known::Value(v) => v
            .as_str()
            .ok_or_else(|| "`node_config.disk_type` is not a string".to_string()),
        Known::Absent => Ok("pd-balanced"),
        Known::Unknown(why) => Err(why),
    };
    let disk_gb = match pick(&["boot_disk", "0", "size_gb"], &["disk_size_gb"]) {
        Known::Value(v) => v
            .as_f64()
            .ok_or_else(|| "`node_config.disk_size_gb` is not a number".to_string()),
        Known::Absent => Ok(100.0),
        Known::Unknown(why) => Err(why),
    };
    out.push(match (disk_type, disk_gb) {
        (Ok(t), Ok(gb)) => google_disk::storage(cx, t, gb * nodes, false),
        (Err(why), _) | (_, Err(why)) => cx.unknown("Provisioned storage", "GB", why),
    });
    match number(r, &cfg(&["local_ssd_count"])) {
        Known::Value(n) if n > 0.0 => out.push(local_ssd(cx, 375.0 * n * nodes, purchase)),
        Known::Unknown(why) => out.push(cx.unknown("Local SSD provisioned storage", "GB", why)),
        _ => {}
    }
    let gpus = join(&config, &["guest_accelerator"]);
    if let Known::Value(Value::List(list) | Value::Set(list)) = get(r, &gpus) {
        for (i, gpu) in list.iter().enumerate() {
            let idx = i.to_string();
            let field = |f| join(&gpus, &[idx.as_str(), f]);
            let kind = text(r, &field("type"));
            let count = number(r, &field("count"));
            out.push(match (kind, count) {
                (Known::Value(kind), Known::Value(count)) => {
                    accelerator(cx, kind, count * hours, purchase)
                }
                (Known::Unknown(why), _) | (_, Known::Unknown(why)) => {
                    cx.unknown("Guest accelerator", "hours", why)
                }
                _ => cx.unknown(
                    "Guest accelerator",
                    "hours",
                    format!(
                        "guest accelerator {i} ({}) sets no type or count",
                        gpu.type_name()
                    ),
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Google list prices, us-central1 (Infracost's golden tests and libcloud's GCE data):
    // cluster management $0.10/h; e2 $0.02181159/vCPU-h and $0.00292353/GiB-h; n1
    // $0.031611/vCPU-h and $0.004237/GiB-h; pd-standard $0.04, pd-balanced $0.10, pd-ssd
    // $0.17 per GB-month.
    const BOOK: &str = "@cloud google\n@regions us-central1\n\
        KubernetesEngine cluster/management hour 0.10\n\
        ComputeEngine cpu/e2 vCPU-hour 0.02181159\n\
        ComputeEngine ram/e2 GiB-hour 0.00292353\n\
        ComputeEngine cpu/n1 vCPU-hour 0.031611\n\
        ComputeEngine ram/n1 GiB-hour 0.004237\n\
        ComputeEngine disk/pd-standard GB-month 0.04\n\
        ComputeEngine disk/pd-balanced GB-month 0.10\n\
        ComputeEngine disk/pd-ssd GB-month 0.17\n";

    fn price(ty: &str, attrs: serde_json::Value, usage: &str) -> Vec<(String, Option<f64>)> {
        let r = resource(ty, "us-central1", attrs);
        costs(&run(estimate, Cloud::Google, &r, &book(BOOK), usage))
    }

    fn s(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    #[test]
    fn zonal_cluster_with_default_pool() {
        // Fee: 730 × $0.10 = $73.00. Two e2-medium nodes ($0.03350571/h):
        // 2 × 730 × $0.03350571 = $48.92; 2 × 100 GB pd-balanced × $0.10 = $20.00.
        let got = price(
            "google_container_cluster",
            json!({"location": "us-central1-a", "initial_node_count": 2}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s("Cluster management fee", Some(73.0)),
                s(
                    "default_pool: Instance usage (Linux/UNIX, on-demand, e2-medium)",
                    Some(48.92)
                ),
                s(
                    "default_pool: Balanced provisioned storage (pd-balanced)",
                    Some(20.0)
                ),
            ]
        );
    }

    #[test]
    fn regional_cluster_counts_three_zones() {
        // 1 node per zone × 3 zones of n1-standard-1 (1 × $0.031611 + 3.75 × $0.004237 =
        // $0.04749975/h): 3 × 730 × $0.04749975 = $104.02;
        // 3 × 50 GB pd-standard × $0.04 = $6.00.
        let got = price(
            "google_container_cluster",
            json!({"location": "us-central1", "initial_node_count": 1, "node_config": [{"machine_type": "n1-standard-1", "disk_type": "pd-standard", "disk_size_gb": 50}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s("Cluster management fee", Some(73.0)),
                s(
                    "default_pool: Instance usage (Linux/UNIX, on-demand, n1-standard-1)",
                    Some(104.02)
                ),
                s(
                    "default_pool: Standard provisioned storage (pd-standard)",
                    Some(6.0)
                ),
            ]
        );
    }

    #[test]
    fn removed_default_pool_and_autopilot() {
        let got = price(
            "google_container_cluster",
            json!({"location": "us-central1", "initial_node_count": 1, "remove_default_node_pool": true}),
            "",
        );
        assert_eq!(got, vec![s("Cluster management fee", Some(73.0))]);
        let r = resource(
            "google_container_cluster",
            "us-central1",
            json!({"location": "us-central1", "enable_autopilot": true}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert_eq!(costs(&e)[0], s("Autopilot", Some(73.0)));
        assert!(matches!(e.components[1].note, Note::PriceNotFound(_)));
        assert!(e.subresources.is_empty());
    }

    #[test]
    fn node_pools_by_zone() {
        // Zonal cluster in us-central1-a plus node_locations [us-central1-b]: 2 zones × 2
        // nodes = 4 e2-medium: 4 × 730 × $0.03350571 = $97.84; 4 × 100 GB × $0.10 = $40.00.
        let got = price(
            "google_container_node_pool",
            json!({"location": "us-central1-a", "node_count": 2, "node_locations": ["us-central1-a", "us-central1-b"]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux/UNIX, on-demand, e2-medium)",
                    Some(97.84)
                ),
                s("Balanced provisioned storage (pd-balanced)", Some(40.0))
            ]
        );
        // Regional pool with autoscaling from 1 per zone: 3 nodes: 3 × 730 × $0.03350571 =
        // $73.38; 3 × 20 GB pd-ssd × $0.17 = $10.20.
        let got = price(
            "google_container_node_pool",
            json!({"location": "us-central1", "initial_node_count": 2, "autoscaling": [{"min_node_count": 1, "max_node_count": 5}],
                   "node_config": [{"disk_type": "pd-ssd", "disk_size_gb": 20}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux/UNIX, on-demand, e2-medium)",
                    Some(73.38)
                ),
                s("SSD provisioned storage (pd-ssd)", Some(10.2))
            ]
        );
        // The usage file's `nodes` is per zone: 2 × 1 zone.
        let got = price(
            "google_container_node_pool",
            json!({"location": "us-central1-c", "node_count": 5}),
            "resource_usage:\n  google_container_node_pool.this:\n    nodes: 2\n",
        );
        assert_eq!(
            got[0],
            s(
                "Instance usage (Linux/UNIX, on-demand, e2-medium)",
                Some(48.92)
            )
        );
    }

    #[test]
    fn inline_pools_and_unknowns() {
        // A zonal cluster's inline pool named default-pool, 1 node: $24.46 and $10.00.
        let got = price(
            "google_container_cluster",
            json!({"location": "us-central1-f", "node_pool": [{"name": "default-pool", "node_count": 1}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s("Cluster management fee", Some(73.0)),
                s(
                    "default_pool: Instance usage (Linux/UNIX, on-demand, e2-medium)",
                    Some(24.46)
                ),
                s(
                    "default_pool: Balanced provisioned storage (pd-balanced)",
                    Some(10.0)
                ),
            ]
        );
        let r = resource(
            "google_container_node_pool",
            "us-central1",
            json!({"node_count": 1}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("`location`")));
        let r = resource(
            "google_container_node_pool",
            "us-central1",
            json!({"location": "us-central1"}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("nodes")));
        let r = resource(
            "google_container_node_pool",
            "us-central1",
            json!({"location": "us-central1-a", "node_count": 1, "node_config": [{"spot": true}]}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
    }

    #[test]
    fn zones_and_locations() {
        assert!(is_zone("us-central1-a"));
        assert!(!is_zone("us-central1"));
        assert!(!is_zone("europe-west4"));
    }
}
