//! Azure virtual machines and scale sets: the VM size by the hour (Linux or Windows, pay as
//! you go) and the OS disk as a managed disk.

use super::Component;
use super::Cx;
use super::attrs::Known;
use super::attrs::{block_count, number, text};
use super::azure_disk::{self};
use super::families::Estimate;
use crate::cost::HOURS_PER_MONTH;

pub const TYPES: &[&str] = &[
    "azurerm_linux_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_windows_virtual_machine_scale_set",
];

/// What a VM's hours are billed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Os {
    Linux,
    Windows,
    /// Windows with Azure Hybrid Benefit (`license_type` Windows_Server or Windows_Client):
    /// the license is brought, so the hours cost the base compute rate, which is the Linux
    /// price (Infracost prices it the same way).
    WindowsHybrid,
}

/// The hours of `hours` of a VM `size`: "Instance usage (Linux, pay as you go, Standard_F2)".
/// Spot VMs are not priced: the book holds pay-as-you-go prices only.
pub(crate) fn instance_hours(
    cx: &Cx,
    os: Os,
    size: &str,
    hours_a_month: f64,
    spot: bool,
) -> Component {
    let lower = size.to_ascii_lowercase();
    // Sizes are sometimes written without their `Standard_` prefix (`B1s`); Basic sizes keep theirs.
    let (shown, sku) = if lower.starts_with("standard_") || lower.starts_with("basic_") {
        (size.to_string(), lower)
    } else {
        (format!("Standard_{size}"), format!("standard_{lower}"))
    };
    let (label, option, product) = match os {
        Os::Linux => ("Linux", "pay as you go", format!("vm/linux/{sku}")),
        Os::Windows => ("Windows", "pay as you go", format!("vm/windows/{sku}")),
        Os::WindowsHybrid => ("Windows", "hybrid benefit", format!("vm/linux/{sku}")),
    };
    let option = if spot { "spot" } else { option };
    let c = cx.hours_total(
        format!("Instance usage ({label}, {option}, {shown})"),
        hours_a_month,
        "VirtualMachines",
        &product,
    );
    if spot {
        c.without_price(format!(
            "azure VirtualMachines {product} (spot): the price book holds pay-as-you-go prices only"
        ))
    } else {
        c
    }
}

/// The managed OS disk of `count` VMs from the `os_disk` block at `block` (`os_disk` or the
/// legacy `storage_os_disk`), with the field naming its type (`storage_account_type` or
/// `managed_disk_type`). `None` when the VM has no managed OS disk to bill (ephemeral, or an
/// unmanaged VHD in a storage account).
fn os_disk(cx: &Cx, block: &str, type_field: &str, os: Os, count: f64) -> Option<Vec<Component>> {
    let r = cx.resource;
    match block_count(r, block) {
        Known::Value(0) | Known::Absent => return None,
        Known::Unknown(why) => return Some(vec![cx.unknown("Storage", "months", why)]),
        Known::Value(_) => {}
    }
    // An ephemeral OS disk lives on the VM's local storage and is not billed.
    if !matches!(
        super::attrs::get(r, &[block, "0", "diff_disk_settings"]),
        Known::Absent
    ) {
        return None;
    }
    let account = match text(r, &[block, "0", type_field]) {
        Known::Value(a) => a,
        // A legacy VM's unmanaged disk is a VHD in a storage account, billed there.
        Known::Absent if !matches!(text(r, &[block, "0", "vhd_uri"]), Known::Absent) => {
            return None;
        }
        Known::Absent => {
            let why = format!("`{block}[0].{type_field}` is not set");
            return Some(vec![cx.unknown("Storage", "months", why)]);
        }
        Known::Unknown(why) => return Some(vec![cx.unknown("Storage", "months", why)]),
    };
    // Without `disk_size_gb` the disk has its image's size: Azure's Linux images are 30 GiB
    // (as Infracost assumes for every VM), Windows Server images 127 GiB.
    let default = if os == Os::Linux { 30.0 } else { 127.0 };
    let size = match number(r, &[block, "0", "disk_size_gb"]).or(default) {
        Ok(s) => s,
        Err(why) => return Some(vec![cx.unknown("Storage", "months", why)]),
    };
    Some(vec![azure_disk::storage(cx, account, size, count, None)])
}

/// The number of VMs: a scale set's `instances` (the usage file's `instances` wins, since
/// autoscaling changes it); 1 for a single VM.
fn instance_count(cx: &Cx, scale_set: bool) -> Result<f64, String> {
    if !scale_set {
        return Ok(1.0);
    }
    if let Some(n) = cx.usage_value("instances") {
        return Ok(n);
    }
    // The provider's default is 0 instances.
    number(cx.resource, &["instances"]).or(0.0)
}

fn windows_os(cx: &Cx) -> Result<Os, String> {
    match text(cx.resource, &["license_type"]) {
        Known::Value(l)
            if l.eq_ignore_ascii_case("windows_server")
                || l.eq_ignore_ascii_case("windows_client") =>
        {
            Ok(Os::WindowsHybrid)
        }
        Known::Value(_) | Known::Absent => Ok(Os::Windows),
        Known::Unknown(why) => Err(why),
    }
}

/// The legacy `azurerm_virtual_machine` runs Windows when it has a Windows OS profile, a
/// Windows OS disk or a Windows Server image.
fn legacy_os(cx: &Cx) -> Result<Os, String> {
    let r = cx.resource;
    let windows_profile = match block_count(r, "os_profile_windows_config") {
        Known::Value(n) => n > 0,
        Known::Absent => false,
        Known::Unknown(why) => return Err(why),
    };
    let is = |path: &[&str], want: &str| matches!(text(r, path), Known::Value(v) if v.eq_ignore_ascii_case(want));
    if windows_profile
        || is(&["storage_os_disk", "0", "os_type"], "windows")
        || is(&["storage_image_reference", "0", "offer"], "windowsserver")
    {
        windows_os(cx)
    } else {
        Ok(Os::Linux)
    }
}

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let (size_attr, scale_set) = match r.r#type.as_str() {
        "azurerm_virtual_machine" => ("vm_size", false),
        "azurerm_linux_virtual_machine_scale_set" | "azurerm_windows_virtual_machine_scale_set" => {
            ("sku", true)
        }
        _ => ("size", false),
    };
    let os = match r.r#type.as_str() {
        "azurerm_windows_virtual_machine" | "azurerm_windows_virtual_machine_scale_set" => {
            windows_os(cx)
        }
        "azurerm_virtual_machine" => legacy_os(cx),
        _ => Ok(Os::Linux),
    };
    let mut e = Estimate::default();
    let count = match instance_count(cx, scale_set) {
        Ok(n) => n,
        Err(why) => {
            e.components
                .push(cx.unknown("Instance usage", "hours", why));
            return e;
        }
    };
    // Single VMs take Infracost's `monthly_hrs` usage; scale sets run all month.
    let hours_each = if scale_set {
        HOURS_PER_MONTH
    } else {
        cx.usage_value("monthly_hrs").unwrap_or(HOURS_PER_MONTH)
    };
    let spot = matches!(text(r, &["priority"]), Known::Value(p) if p.eq_ignore_ascii_case("spot"));
    let size = match text(r, &[size_attr]) {
        Known::Value(size) => Ok(size),
        Known::Absent => Err(format!("`{size_attr}` is not set")),
        Known::Unknown(why) => Err(why),
    };
    let os_known = match (os, size) {
        (Ok(os), Ok(size)) => {
            e.components
                .push(instance_hours(cx, os, size, hours_each * count, spot));
            Some(os)
        }
        (Err(why), _) | (_, Err(why)) => {
            e.components
                .push(cx.unknown("Instance usage", "hours", why));
            None
        }
    };
    let (block, type_field) = if r.r#type == "azurerm_virtual_machine" {
        ("storage_os_disk", "managed_disk_type")
    } else {
        ("os_disk", "storage_account_type")
    };
    if let Some(disk) = os_disk(cx, block, type_field, os_known.unwrap_or(Os::Linux), count) {
        e.subresources.push((block.to_string(), disk));
    }
    if r.r#type == "azurerm_virtual_machine" {
        legacy_data_disks(cx, &mut e);
    }
    e
}

/// The legacy VM's managed `storage_data_disk` blocks; disks attached from an
/// `azurerm_managed_disk` are billed there instead.
fn legacy_data_disks(cx: &Cx, e: &mut Estimate) {
    let r = cx.resource;
    let n = match block_count(r, "storage_data_disk") {
        Known::Value(n) => n,
        Known::Absent => return,
        Known::Unknown(why) => {
            e.subresources.push((
                "storage_data_disk".to_string(),
                vec![cx.unknown("Storage", "months", why)],
            ));
            return;
        }
    };
    for i in 0..n {
        let idx = i.to_string();
        let at = |field: &'static str| ["storage_data_disk", idx.as_str(), field];
        if matches!(text(r, &at("create_option")), Known::Value(o) if o.eq_ignore_ascii_case("attach"))
        {
            continue;
        }
        let account = match text(r, &at("managed_disk_type")) {
            Known::Value(a) => a,
            Known::Absent => continue,
            Known::Unknown(why) => {
                e.subresources.push((
                    format!("storage_data_disk[{i}]"),
                    vec![cx.unknown("Storage", "months", why)],
                ));
                continue;
            }
        };
        let disk = match number(r, &at("disk_size_gb")) {
            Known::Value(size) => azure_disk::storage(cx, account, size, 1.0, None),
            Known::Absent => cx.unknown(
                "Storage",
                "months",
                format!("`storage_data_disk[{i}].disk_size_gb` is not set"),
            ),
            Known::Unknown(why) => cx.unknown("Storage", "months", why),
        };
        e.subresources
            .push((format!("storage_data_disk[{i}]"), vec![disk]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Azure list prices, eastus, pay as you go, from Infracost's golden tests: Linux
    // Standard_F2 $0.099/h, Basic_A2 $0.079/h, Standard_D2_v4 $0.096/h; Windows Standard_F2
    // $0.192/h; managed disks S4 $1.536, S10 $5.888, P4 $5.28, E30 $76.80 a month.
    const BOOK: &str = "@cloud azure\n@regions eastus\n\
        VirtualMachines vm/linux/standard_f2 hour 0.099\n\
        VirtualMachines vm/linux/basic_a2 hour 0.079\n\
        VirtualMachines vm/linux/standard_d2_v4 hour 0.096\n\
        VirtualMachines vm/windows/standard_f2 hour 0.192\n\
        Storage managed-disk/s4 disk-month 1.536\n\
        Storage managed-disk/s10 disk-month 5.888\n\
        Storage managed-disk/p4 disk-month 5.28\n\
        Storage managed-disk/e30 disk-month 76.80\n";

    fn price(ty: &str, attrs: serde_json::Value, usage: &str) -> Vec<(String, Option<f64>)> {
        let r = resource(ty, "eastus", attrs);
        costs(&run(estimate, Cloud::Azure, &r, &book(BOOK), usage))
    }

    fn s(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    #[test]
    fn linux_vm_with_default_os_disk_size() {
        // 730 h × $0.099 = $72.27; a 30 GiB Premium OS disk is a P4: $5.28.
        let got = price(
            "azurerm_linux_virtual_machine",
            json!({"size": "Standard_F2", "os_disk": [{"storage_account_type": "Premium_LRS", "caching": "ReadWrite"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s("Instance usage (Linux, pay as you go, Standard_F2)", 72.27),
                s("os_disk: Storage (P4, LRS)", 5.28)
            ]
        );
    }

    #[test]
    fn monthly_hours_and_sizes_without_prefix() {
        // 100 h × $0.099 = $9.90; 1000 GiB Standard SSD → E30 $76.80.
        let got = price(
            "azurerm_linux_virtual_machine",
            json!({"size": "F2", "os_disk": [{"storage_account_type": "StandardSSD_LRS", "disk_size_gb": 1000}]}),
            "resource_usage:\n  azurerm_linux_virtual_machine.this:\n    monthly_hrs: 100\n",
        );
        assert_eq!(
            got,
            vec![
                s("Instance usage (Linux, pay as you go, Standard_F2)", 9.90),
                s("os_disk: Storage (E30, LRS)", 76.80)
            ]
        );
    }

    #[test]
    fn windows_vms_and_hybrid_benefit() {
        // 730 h × $0.192 = $140.16; a Windows image's 127 GiB Standard HDD disk is an S10: $5.888.
        let got = price(
            "azurerm_windows_virtual_machine",
            json!({"size": "Standard_F2", "os_disk": [{"storage_account_type": "Standard_LRS"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Windows, pay as you go, Standard_F2)",
                    140.16
                ),
                s("os_disk: Storage (S10, LRS)", 5.89)
            ]
        );
        // Hybrid benefit: the Linux rate, 730 h × $0.096 = $70.08.
        let got = price(
            "azurerm_windows_virtual_machine",
            json!({"size": "Standard_D2_v4", "license_type": "Windows_Server", "os_disk": [{"storage_account_type": "Standard_LRS", "disk_size_gb": 30}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Windows, hybrid benefit, Standard_D2_v4)",
                    70.08
                ),
                s("os_disk: Storage (S4, LRS)", 1.54)
            ]
        );
    }

    #[test]
    fn scale_sets_multiply_by_instances() {
        // 3 × 730 h × $0.079 = $173.01; 3 × S4 $1.536 = $4.608 → $4.61.
        let attrs = json!({"sku": "Basic_A2", "instances": 3, "os_disk": [{"storage_account_type": "Standard_LRS"}]});
        let got = price("azurerm_linux_virtual_machine_scale_set", attrs.clone(), "");
        assert_eq!(
            got,
            vec![
                s("Instance usage (Linux, pay as you go, Basic_A2)", 173.01),
                s("os_disk: Storage (S4, LRS)", 4.61)
            ]
        );
        // The usage file's `instances` wins: 4 × 730 × $0.079 = $230.68; 4 × $1.536 = $6.144.
        let got = price(
            "azurerm_linux_virtual_machine_scale_set",
            attrs,
            "resource_type_default_usage:\n  azurerm_linux_virtual_machine_scale_set:\n    instances: 4\n",
        );
        assert_eq!(
            got,
            vec![
                s("Instance usage (Linux, pay as you go, Basic_A2)", 230.68),
                s("os_disk: Storage (S4, LRS)", 6.14)
            ]
        );
    }

    #[test]
    fn legacy_vm_detects_windows_and_skips_unmanaged_disks() {
        let got = price(
            "azurerm_virtual_machine",
            json!({"vm_size": "Standard_F2", "os_profile_windows_config": [{}],
                   "storage_os_disk": [{"name": "os", "managed_disk_type": "Premium_LRS", "disk_size_gb": 30}],
                   "storage_data_disk": [{"managed_disk_type": "Standard_LRS", "disk_size_gb": 100, "create_option": "Empty"},
                                         {"managed_disk_type": "Standard_LRS", "disk_size_gb": 100, "create_option": "Attach"}]}),
            "",
        );
        // Windows: $140.16; P4 $5.28; the empty 100 GiB data disk is an S10: $5.888.
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Windows, pay as you go, Standard_F2)",
                    140.16
                ),
                s("storage_os_disk: Storage (P4, LRS)", 5.28),
                s("storage_data_disk[0]: Storage (S10, LRS)", 5.89)
            ]
        );
        let got = price(
            "azurerm_virtual_machine",
            json!({"vm_size": "Standard_F2", "storage_os_disk": [{"vhd_uri": "https://x/y.vhd"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![s(
                "Instance usage (Linux, pay as you go, Standard_F2)",
                72.27
            )]
        );
    }

    #[test]
    fn spot_ephemeral_and_unknown() {
        let r = resource(
            "azurerm_linux_virtual_machine",
            "eastus",
            json!({"size": "Standard_F2", "priority": "Spot", "os_disk": [{"storage_account_type": "Standard_LRS", "diff_disk_settings": [{"option": "Local"}]}]}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert_eq!(e.components.len(), 1);
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
        assert_eq!(e.components[0].monthly_quantity, Some(730.0));
        assert!(
            e.subresources.is_empty(),
            "ephemeral OS disks are not billed"
        );

        let r = resource(
            "azurerm_linux_virtual_machine",
            "eastus",
            json!({"size": "(unknown) variable `vm_size` has no value"}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert_eq!(
            e.components[0].note,
            Note::Unknown("`size` is unknown: variable `vm_size` has no value".to_string())
        );

        // An OS disk without its type is unknown, not free.
        let r = resource(
            "azurerm_linux_virtual_machine",
            "eastus",
            json!({"size": "Standard_F2", "os_disk": [{"caching": "ReadWrite"}]}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert!(
            matches!(&e.subresources[0].1[0].note, Note::Unknown(w) if w.contains("os_disk[0].storage_account_type"))
        );

        // A size the book does not list.
        let r = resource(
            "azurerm_linux_virtual_machine",
            "eastus",
            json!({"size": "Standard_X9"}),
        );
        let e = run(estimate, Cloud::Azure, &r, &book(BOOK), "");
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("vm/linux/standard_x9"))
        );
    }
}
