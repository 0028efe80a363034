//! Azure Kubernetes Service: the cluster's tier fee (`azurerm_kubernetes_cluster`) and its
//! nodes, in the default node pool and in `azurerm_kubernetes_cluster_node_pool`s, priced as
//! VMs of their size with a managed OS disk each.

use super::attrs::Known;
use super::attrs::{boolean as flag, join, number, show_path, text};
use super::azure_disk::{self};
use super::azure_vm::{Os, instance_hours};
use super::families::Estimate;
use super::{Component, Cx};
use crate::cost::HOURS_PER_MONTH;

pub const TYPES: &[&str] = &[
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool",
];

pub fn estimate(cx: &Cx) -> Estimate {
    if cx.resource.r#type == "azurerm_kubernetes_cluster" {
        cluster(cx)
    } else {
        let (nodes, disk) = pool(cx, &[], &[]);
        let mut e = Estimate::of(nodes);
        if let Some(disk) = disk {
            e.subresources.push(("os_disk".to_string(), disk));
        }
        e
    }
}

fn cluster(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let mut e = Estimate::default();
    // The Free tier has no fee; Standard (called Paid before azurerm 3.51) and Premium are
    // billed per cluster-hour. Infracost calls the Standard fee "Uptime SLA".
    match text(r, &["sku_tier"]) {
        Known::Value(t) if t.eq_ignore_ascii_case("standard") || t.eq_ignore_ascii_case("paid") => {
            e.components
                .push(cx.hours("Uptime SLA", 1.0, "KubernetesService", "aks/standard"));
        }
        Known::Value(t) if t.eq_ignore_ascii_case("premium") => {
            e.components
                .push(cx.hours("Premium tier", 1.0, "KubernetesService", "aks/premium"));
        }
        Known::Value(_) | Known::Absent => {}
        Known::Unknown(why) => e.components.push(cx.unknown("Cluster tier", "hours", why)),
    }
    let (nodes, disk) = pool(cx, &["default_node_pool", "0"], &["default_node_pool"]);
    e.subresources
        .push(("default_node_pool".to_string(), nodes));
    if let Some(disk) = disk {
        e.subresources
            .push(("default_node_pool.os_disk".to_string(), disk));
    }
    // The load balancer AKS creates: Standard unless `network_profile` says Basic (the
    // provider's default), billed for the data it processes.
    let lb_sku = text(r, &["network_profile", "0", "load_balancer_sku"]);
    let standard_lb = match lb_sku {
        Known::Value(s) => s.eq_ignore_ascii_case("standard"),
        Known::Absent => true,
        Known::Unknown(_) => false,
    };
    if standard_lb {
        let data = cx.usage_at(&["load_balancer", "monthly_data_processed_gb"]);
        e.subresources.push((
            "Load Balancer".to_string(),
            vec![cx.usage_quantity(
                "Data processed",
                "GB",
                data,
                "LoadBalancer",
                "lb/standard/data",
            )],
        ));
    }
    e
}

/// A node pool's nodes and their OS disks: the pool's attributes are under `at` (the
/// cluster's `default_node_pool` block, or the node pool resource itself) and its usage under
/// `usage` (`default_node_pool`, or the resource's own).
fn pool(cx: &Cx, at: &[&str], usage: &[&str]) -> (Vec<Component>, Option<Vec<Component>>) {
    let r = cx.resource;
    let path = |field| join(at, &[field]);
    let usage_path = |key| join(usage, &[key]);

    let nodes = match node_count(cx, &path, cx.usage_at(&usage_path("nodes"))) {
        Ok(n) => n,
        Err(why) => return (vec![cx.unknown("Instance usage", "hours", why)], None),
    };
    let size = match text(r, &path("vm_size")) {
        Known::Value(s) => s,
        Known::Absent => {
            return (
                vec![cx.unknown(
                    "Instance usage",
                    "hours",
                    format!("`{}` is not set", show_path(&path("vm_size"))),
                )],
                None,
            );
        }
        Known::Unknown(why) => return (vec![cx.unknown("Instance usage", "hours", why)], None),
    };
    let windows = [path("os_type"), path("os_sku")].iter().any(
        |p| matches!(text(r, p), Known::Value(v) if v.to_ascii_lowercase().starts_with("windows")),
    );
    let os = if windows { Os::Windows } else { Os::Linux };
    let spot =
        matches!(text(r, &path("priority")), Known::Value(p) if p.eq_ignore_ascii_case("spot"));
    let hours_each = cx
        .usage_at(&usage_path("monthly_hrs"))
        .unwrap_or(HOURS_PER_MONTH);
    let instances = vec![instance_hours(cx, os, size, hours_each * nodes, spot)];

    // Ephemeral OS disks live on the node's local storage and are not billed.
    let ephemeral = matches!(text(r, &path("os_disk_type")), Known::Value(t) if t.eq_ignore_ascii_case("ephemeral"));
    if ephemeral {
        return (instances, None);
    }
    let disk = match number(r, &path("os_disk_size_gb")).or(128.0) {
        // AKS gives nodes a Premium SSD OS disk when their size supports premium storage and
        // a Standard HDD one otherwise (the mapping Infracost uses).
        Ok(gib) => {
            let account = if premium_capable(size) {
                "Premium_LRS"
            } else {
                "Standard_LRS"
            };
            azure_disk::storage(cx, account, gib, nodes, None)
        }
        Err(why) => cx.unknown("Storage", "months", why),
    };
    (instances, Some(vec![disk]))
}

/// Nodes: the usage file's `nodes`, else `node_count`, else the autoscaler's `min_count`,
/// else 1 (AKS's default pool size).
fn node_count<'a>(
    cx: &Cx,
    path: &dyn Fn(&'a str) -> Vec<&'a str>,
    usage: Option<f64>,
) -> Result<f64, String> {
    if let Some(n) = usage {
        return Ok(n);
    }
    let r = cx.resource;
    match number(r, &path("node_count")) {
        Known::Value(n) => return Ok(n),
        Known::Unknown(why) => {
            // With the autoscaler on, the count is whatever it scales to: its minimum is the
            // baseline.
            let autoscaled = [path("auto_scaling_enabled"), path("enable_auto_scaling")]
                .iter()
                .any(|p| matches!(flag(r, p), Known::Value(true)));
            if !autoscaled {
                return Err(why);
            }
        }
        Known::Absent => {}
    }
    number(r, &path("min_count")).or(1.0)
}

/// True when a VM size takes premium storage: DS, GS and M series, and sizes whose name has
/// an `s` among the letters after the vCPU count (`D2s_v3`, `E4as_v4`, `B2ms`).
fn premium_capable(size: &str) -> bool {
    let lower = size.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("standard_")
        .or_else(|| lower.strip_prefix("basic_"))
        .unwrap_or(&lower);
    let family = rest.split('_').next().unwrap_or_default();
    if ["ds", "gs", "m"].iter().any(|p| family.starts_with(p)) {
        return true;
    }
    // Each run of letters that follows a digit: the size's additive features.
    let bytes = family.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = (i..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            let end = (start..bytes.len())
                .find(|&j| !bytes[j].is_ascii_alphabetic())
                .unwrap_or(bytes.len());
            if family[start..end].contains('s') {
                return true;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Azure list prices, eastus, from Infracost's AKS golden tests: Uptime SLA (Standard
    // tier) $0.10/h; Linux Standard_D2_v2 and Standard_DS2_v2 $0.146/h; Windows
    // Standard_DS2_v2 $0.238/h; managed disks S10 $5.888, P10 $19.71 a month; load balancer
    // data $0.005/GB. Premium tier $0.60/h (Azure's AKS pricing page).
    const BOOK: &str = "@cloud azure\n@regions eastus\n\
        KubernetesService aks/standard hour 0.10\n\
        KubernetesService aks/premium hour 0.60\n\
        VirtualMachines vm/linux/standard_d2_v2 hour 0.146\n\
        VirtualMachines vm/linux/standard_ds2_v2 hour 0.146\n\
        VirtualMachines vm/windows/standard_ds2_v2 hour 0.238\n\
        Storage managed-disk/s10 disk-month 5.888\n\
        Storage managed-disk/p10 disk-month 19.71\n\
        LoadBalancer lb/standard/data GB 0.005\n";

    fn s(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn price(ty: &str, attrs: serde_json::Value, usage: &str) -> Vec<(String, Option<f64>)> {
        let r = resource(ty, "eastus", attrs);
        costs(&run(estimate, Cloud::Azure, &r, &book(BOOK), usage))
    }

    #[test]
    fn free_cluster_with_one_default_node() {
        // 730 h × $0.146 = $106.58; D2_v2 takes no premium storage: a 128 GiB S10 $5.888.
        let got = price(
            "azurerm_kubernetes_cluster",
            json!({"default_node_pool": [{"name": "default", "vm_size": "Standard_D2_v2"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "default_node_pool: Instance usage (Linux, pay as you go, Standard_D2_v2)",
                    Some(106.58)
                ),
                s("default_node_pool.os_disk: Storage (S10, LRS)", Some(5.89)),
                s("Load Balancer: Data processed", None),
            ]
        );
    }

    #[test]
    fn standard_tier_with_min_count_and_premium_disks() {
        // $0.10 × 730 = $73.00; 3 nodes × 730 h × $0.146 = $319.74; 3 × P10 $19.71 = $59.13;
        // 100 GB × $0.005 = $0.50.
        let got = price(
            "azurerm_kubernetes_cluster",
            json!({"sku_tier": "Standard", "default_node_pool": [{"vm_size": "Standard_DS2_v2", "auto_scaling_enabled": true, "min_count": 3, "max_count": 5}],
                   "network_profile": [{"network_plugin": "azure", "load_balancer_sku": "standard"}]}),
            "resource_usage:\n  azurerm_kubernetes_cluster.this:\n    load_balancer:\n      monthly_data_processed_gb: 100\n",
        );
        assert_eq!(
            got,
            vec![
                s("Uptime SLA", Some(73.0)),
                s(
                    "default_node_pool: Instance usage (Linux, pay as you go, Standard_DS2_v2)",
                    Some(319.74)
                ),
                s("default_node_pool.os_disk: Storage (P10, LRS)", Some(59.13)),
                s("Load Balancer: Data processed", Some(0.5)),
            ]
        );
    }

    #[test]
    fn premium_tier_and_usage_nodes() {
        // $0.60 × 730 = $438.00; usage: 2 nodes × 100 h × $0.146 = $29.20; ephemeral OS
        // disks cost nothing; a Basic load balancer bills no data.
        let got = price(
            "azurerm_kubernetes_cluster",
            json!({"sku_tier": "Premium", "default_node_pool": [{"vm_size": "Standard_D2_v2", "node_count": 5, "os_disk_type": "Ephemeral"}],
                   "network_profile": [{"load_balancer_sku": "basic"}]}),
            "resource_usage:\n  azurerm_kubernetes_cluster.this:\n    default_node_pool:\n      nodes: 2\n      monthly_hrs: 100\n",
        );
        assert_eq!(
            got,
            vec![
                s("Premium tier", Some(438.0)),
                s(
                    "default_node_pool: Instance usage (Linux, pay as you go, Standard_D2_v2)",
                    Some(29.2)
                )
            ]
        );
    }

    #[test]
    fn node_pools() {
        // 2 nodes × 730 h × $0.146 = $213.16; 2 × P10 = $39.42.
        let got = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "node_count": 2}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux, pay as you go, Standard_DS2_v2)",
                    Some(213.16)
                ),
                s("os_disk: Storage (P10, LRS)", Some(39.42))
            ]
        );
        // Windows: 730 h × $0.238 = $173.74; P10 $19.71.
        let got = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "os_type": "Windows"}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Windows, pay as you go, Standard_DS2_v2)",
                    Some(173.74)
                ),
                s("os_disk: Storage (P10, LRS)", Some(19.71))
            ]
        );
    }

    #[test]
    fn unknown_counts_and_sizes() {
        let r = resource(
            "azurerm_kubernetes_cluster_node_pool",
            "eastus",
            json!({"vm_size": "Standard_DS2_v2", "node_count": "(unknown) variable `nodes` has no value"}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("node_count")));
        // With the autoscaler on, an unknown node_count falls back to min_count.
        let r = resource(
            "azurerm_kubernetes_cluster_node_pool",
            "eastus",
            json!({"vm_size": "Standard_DS2_v2", "node_count": "(unknown) computed", "enable_auto_scaling": true, "min_count": 1}),
        );
        assert_eq!(
            costs(&run(estimate, Cloud::Azure, &r, &book(BOOK), ""))[0].1,
            Some(106.58)
        );
    }

    #[test]
    fn premium_storage_sizes() {
        for size in [
            "Standard_DS2_v2",
            "Standard_D2s_v3",
            "Standard_E4as_v4",
            "Standard_B2ms",
            "Standard_M8ms",
            "Standard_GS1",
        ] {
            assert!(premium_capable(size), "{size}");
        }
        for size in [
            "Standard_D2_v2",
            "Standard_D2_v3",
            "Standard_A2_v2",
            "Basic_A2",
            "Standard_F4",
        ] {
            assert!(!premium_capable(size), "{size}");
        }
    }
}
