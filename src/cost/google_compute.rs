//! Google Compute Engine instances (`google_compute_instance`): the machine by the hour,
//! priced from its shape (vCPUs × the family's vCPU-hour price + GiB × its GiB-hour price),
//! local SSDs, and the boot disk as a persistent disk. The machine pricing also serves GKE
//! nodes.
//!
//! Prices are list prices: Infracost takes sustained-use discounts off N1, N2, N2D, C2 and
//! M1 machines that run all month (up to 30%); stackgate does not (a discount in
//! `pricing.overrides` can).

use super::attrs::Known;
use super::attrs::{block_count, boolean as flag, number, text};
use super::families::Estimate;
use super::google_disk;
use super::{Component, Cx, Note};
use crate::cost::HOURS_PER_MONTH;
use crate::terraform::value::format_number as fmt_num;

pub const TYPES: &[&str] = &["google_compute_instance"];

/// How a machine is bought. Only on-demand prices are in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purchase {
    OnDemand,
    Preemptible,
    Spot,
}

impl Purchase {
    fn label(self) -> &'static str {
        match self {
            Purchase::OnDemand => "on-demand",
            Purchase::Preemptible => "preemptible",
            Purchase::Spot => "spot",
        }
    }

    /// Drops the on-demand price from a component of a spot or preemptible machine.
    fn apply(self, c: Component) -> Component {
        match self {
            Purchase::OnDemand => c,
            _ => c.without_price(format!(
                "google ComputeEngine {} prices are not in the price book",
                self.label()
            )),
        }
    }
}

/// A machine type's shape.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// A shared-core machine with a price of its own (`f1-micro`, `g1-small`).
    Fixed,
    Predefined {
        family: String,
        vcpus: f64,
        gib: f64,
    },
    /// `custom-4-16384`, `n2-custom-4-16384-ext`: memory beyond the family's maximum per vCPU
    /// is extended memory, priced apart.
    Custom {
        family: String,
        vcpus: f64,
        gib: f64,
        extended_gib: f64,
    },
}

/// GiB per vCPU of the predefined classes, by family (Compute Engine's machine families).
fn gib_per_vcpu(family: &str, class: &str) -> Option<f64> {
    Some(match (family, class) {
        ("n1", "standard") => 3.75,
        ("n1", "highmem") => 6.5,
        ("n1", "highcpu") => 0.9,
        ("n2" | "n2d" | "e2", "standard") => 4.0,
        ("n2" | "n2d" | "e2", "highmem") => 8.0,
        ("n2" | "n2d" | "e2", "highcpu") => 1.0,
        ("c2" | "t2d", "standard") => 4.0,
        ("c2d" | "c3" | "n4", "standard") => 4.0,
        ("c2d" | "c3" | "n4", "highmem") => 8.0,
        ("c2d" | "c3" | "n4", "highcpu") => 2.0,
        _ => return None,
    })
}

fn shape(machine_type: &str) -> Option<Shape> {
    let predefined = |family: &str, vcpus: f64, gib: f64| Shape::Predefined {
        family: family.to_string(),
        vcpus,
        gib,
    };
    match machine_type {
        "f1-micro" | "g1-small" => return Some(Shape::Fixed),
        // E2 shared-core machines are billed as fractions of a vCPU.
        "e2-micro" => return Some(predefined("e2", 0.25, 1.0)),
        "e2-small" => return Some(predefined("e2", 0.5, 2.0)),
        "e2-medium" => return Some(predefined("e2", 1.0, 4.0)),
        // Memory-optimized M1 shapes.
        "m1-ultramem-40" => return Some(predefined("m1", 40.0, 961.0)),
        "m1-ultramem-80" => return Some(predefined("m1", 80.0, 1922.0)),
        "m1-ultramem-160" => return Some(predefined("m1", 160.0, 3844.0)),
        "m1-megamem-96" => return Some(predefined("m1", 96.0, 1433.6)),
        _ => {}
    }
    if machine_type.contains("custom") {
        return custom_shape(machine_type);
    }
    let mut parts = machine_type.split('-');
    let (family, class, n) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let vcpus: f64 = n.parse::<u32>().ok()?.into();
    Some(predefined(
        family,
        vcpus,
        vcpus * gib_per_vcpu(family, class)?,
    ))
}

fn custom_shape(machine_type: &str) -> Option<Shape> {
    let (base, extended) = match machine_type.strip_suffix("-ext") {
        Some(base) => (base, true),
        None => (machine_type, false),
    };
    let (family, rest) = match base.strip_prefix("custom-") {
        Some(rest) => ("n1", rest),
        None => {
            let (family, rest) = base.split_once("-custom-")?;
            (family, rest)
        }
    };
    let (cpus, mib) = rest.split_once('-')?;
    let vcpus = match (family, cpus) {
        // E2 shared-core custom machines.
        ("e2", "micro") => 0.25,
        ("e2", "small") => 0.5,
        ("e2", "medium") => 1.0,
        _ => cpus.parse::<u32>().ok()?.into(),
    };
    let gib = mib.parse::<f64>().ok()? / 1024.0;
    let max = vcpus * if family == "n1" { 6.5 } else { 8.0 };
    let extended_gib = if extended { (gib - max).max(0.0) } else { 0.0 };
    Some(Shape::Custom {
        family: family.to_string(),
        vcpus,
        gib: gib - extended_gib,
        extended_gib,
    })
}

/// A component billed by the hour whose hourly price is a sum of unit prices times amounts
/// (a machine's vCPUs and GiB).
fn composite(cx: &Cx, name: String, hours: f64, parts: &[(f64, String)]) -> Component {
    let mut price = 0.0;
    let mut adjustments: Vec<String> = Vec::new();
    let mut note = Note::None;
    for (amount, product) in parts {
        match cx.price("ComputeEngine", product) {
            Ok((p, adj)) => {
                price += amount * p;
                if let Some(a) = adj.filter(|a| !adjustments.contains(a)) {
                    adjustments.push(a);
                }
            }
            Err(n) => {
                note = n;
                break;
            }
        }
    }
    let found = note == Note::None;
    Component {
        name,
        unit: "hours".to_string(),
        monthly_quantity: Some(hours),
        price: found.then_some(price),
        hourly: true,
        usage_based: false,
        note,
        adjustment: (found && !adjustments.is_empty()).then(|| adjustments.join(", ")),
    }
}

/// The hours of a machine of `machine_type` (all instances: `hours` is their total).
pub(crate) fn machine(
    cx: &Cx,
    machine_type: &str,
    hours: f64,
    purchase: Purchase,
) -> Vec<Component> {
    // A machine type may be given as a URL (`zones/us-central1-a/machineTypes/e2-small`).
    let machine_type = machine_type.rsplit('/').next().unwrap_or(machine_type);
    let how = purchase.label();
    let Some(shape) = shape(machine_type) else {
        let why = format!(
            "google ComputeEngine {machine_type}: a machine type whose shape stackgate does not know"
        );
        return vec![cx.not_priced(
            format!("Instance usage (Linux/UNIX, {how}, {machine_type})"),
            "hours",
            Some(hours),
            true,
            why,
        )];
    };
    let components = match shape {
        Shape::Fixed => {
            let mut c = cx.fixed(
                format!("Instance usage (Linux/UNIX, {how}, {machine_type})"),
                "hours",
                hours,
                "ComputeEngine",
                &format!("instance/{machine_type}"),
            );
            c.hourly = true;
            vec![c]
        }
        Shape::Predefined { family, vcpus, gib } => {
            let name = format!("Instance usage (Linux/UNIX, {how}, {machine_type})");
            vec![composite(
                cx,
                name,
                hours,
                &[
                    (vcpus, format!("cpu/{family}")),
                    (gib, format!("ram/{family}")),
                ],
            )]
        }
        // Custom machines cost more than predefined ones per vCPU and GiB: their own products.
        Shape::Custom {
            family,
            vcpus,
            gib,
            extended_gib,
        } => {
            let fam = family.to_ascii_uppercase();
            let mut out = vec![
                composite(
                    cx,
                    format!(
                        "Custom instance CPU (Linux/UNIX, {how}, {fam} {} vCPUs)",
                        fmt_num(vcpus)
                    ),
                    hours,
                    &[(vcpus, format!("cpu/{family}-custom"))],
                ),
                composite(
                    cx,
                    format!(
                        "Custom instance RAM (Linux/UNIX, {how}, {fam} {} GB)",
                        fmt_num(gib)
                    ),
                    hours,
                    &[(gib, format!("ram/{family}-custom"))],
                ),
            ];
            if extended_gib > 0.0 {
                let name = format!(
                    "Custom instance extended RAM (Linux/UNIX, {how}, {fam} {} GB)",
                    fmt_num(extended_gib)
                );
                out.push(composite(
                    cx,
                    name,
                    hours,
                    &[(extended_gib, format!("ram/{family}-custom-extended"))],
                ));
            }
            out
        }
    };
    components.into_iter().map(|c| purchase.apply(c)).collect()
}

/// `count` local SSD partitions of 375 GB each.
pub(crate) fn local_ssd(cx: &Cx, gb: f64, purchase: Purchase) -> Component {
    purchase.apply(cx.fixed(
        "Local SSD provisioned storage",
        "GB",
        gb,
        "ComputeEngine",
        "disk/local-ssd",
    ))
}

/// GPUs: `hours` GPU-hours of `gpu` (`nvidia-tesla-t4`); the book has no GPU prices.
pub(crate) fn accelerator(cx: &Cx, gpu: &str, hours: f64, purchase: Purchase) -> Component {
    let why = format!("google ComputeEngine gpu/{gpu}: the price book has no GPU prices");
    cx.not_priced(
        format!("{gpu} ({})", purchase.label()),
        "hours",
        Some(hours),
        true,
        why,
    )
}

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let hours = cx.usage_value("monthly_hrs").unwrap_or(HOURS_PER_MONTH);
    let purchase = if matches!(text(r, &["scheduling", "0", "provisioning_model"]), Known::Value(m) if m.eq_ignore_ascii_case("spot"))
    {
        Purchase::Spot
    } else if matches!(
        flag(r, &["scheduling", "0", "preemptible"]),
        Known::Value(true)
    ) {
        Purchase::Preemptible
    } else {
        Purchase::OnDemand
    };
    let mut e = Estimate::default();
    match text(r, &["machine_type"]) {
        Known::Value(mt) => e.components.extend(machine(cx, mt, hours, purchase)),
        Known::Absent => {
            e.components
                .push(cx.unknown("Instance usage", "hours", "`machine_type` is not set"))
        }
        Known::Unknown(why) => e
            .components
            .push(cx.unknown("Instance usage", "hours", why)),
    }
    match block_count(r, "scratch_disk") {
        Known::Value(0) | Known::Absent => {}
        Known::Value(n) => e.components.push(local_ssd(cx, 375.0 * n as f64, purchase)),
        Known::Unknown(why) => {
            e.components
                .push(cx.unknown("Local SSD provisioned storage", "GB", why))
        }
    }
    if let Known::Value(n) = block_count(r, "guest_accelerator") {
        for i in 0..n {
            let idx = i.to_string();
            let gpu = text(r, &["guest_accelerator", &idx, "type"]);
            let count = number(r, &["guest_accelerator", &idx, "count"]);
            e.components.push(match (gpu, count) {
                (Known::Value(gpu), Known::Value(count)) => {
                    accelerator(cx, gpu, count * hours, purchase)
                }
                (Known::Unknown(why), _) | (_, Known::Unknown(why)) => {
                    cx.unknown("Guest accelerator", "hours", why)
                }
                _ => cx.unknown(
                    "Guest accelerator",
                    "hours",
                    format!("`guest_accelerator[{i}]` sets no type or count"),
                ),
            });
        }
    }
    if let Some(disk) = boot_disk(cx) {
        e.subresources.push(("boot_disk".to_string(), vec![disk]));
    }
    e
}

/// The boot disk created with the instance; none when it attaches an existing disk (priced
/// as its own `google_compute_disk`).
fn boot_disk(cx: &Cx) -> Option<Component> {
    let r = cx.resource;
    if !matches!(text(r, &["boot_disk", "0", "source"]), Known::Absent) {
        return None;
    }
    let disk_type = match text(r, &["boot_disk", "0", "initialize_params", "0", "type"]) {
        Known::Value(t) => t,
        Known::Absent => "pd-standard",
        Known::Unknown(why) => return Some(cx.unknown("Provisioned storage", "GB", why)),
    };
    // Without `size` the disk has its image's size: 10 GB for Google's public Linux images,
    // as Infracost assumes.
    match number(r, &["boot_disk", "0", "initialize_params", "0", "size"]).or(10.0) {
        Ok(gb) => Some(google_disk::storage(cx, disk_type, gb, false)),
        Err(why) => Some(cx.unknown("Provisioned storage", "GB", why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    // Google list prices, us-central1, on demand (libcloud's GCE price data, which matches
    // Infracost's golden tests): n1 $0.031611/vCPU-h, $0.004237/GiB-h; n2 the same; e2
    // $0.02181159/vCPU-h, $0.00292353/GiB-h; m1 $0.0348/vCPU-h, $0.0051/GiB-h; f1-micro
    // $0.0076/h; n1 custom $0.033174/vCPU-h, $0.004446/GiB-h (Infracost's golden test:
    // libcloud's n1 custom memory row is another family's); pd-standard $0.04/GB-month,
    // pd-ssd $0.17, local SSD $0.08.
    const BOOK: &str = "@cloud google\n@regions us-central1\n\
        ComputeEngine cpu/n1 vCPU-hour 0.031611\n\
        ComputeEngine ram/n1 GiB-hour 0.004237\n\
        ComputeEngine cpu/n2 vCPU-hour 0.031611\n\
        ComputeEngine ram/n2 GiB-hour 0.004237\n\
        ComputeEngine cpu/e2 vCPU-hour 0.02181159\n\
        ComputeEngine ram/e2 GiB-hour 0.00292353\n\
        ComputeEngine cpu/m1 vCPU-hour 0.0348\n\
        ComputeEngine ram/m1 GiB-hour 0.0051\n\
        ComputeEngine cpu/n1-custom vCPU-hour 0.033174\n\
        ComputeEngine ram/n1-custom GiB-hour 0.004446\n\
        ComputeEngine instance/f1-micro hour 0.0076\n\
        ComputeEngine disk/pd-standard GB-month 0.04\n\
        ComputeEngine disk/pd-ssd GB-month 0.17\n\
        ComputeEngine disk/local-ssd GB-month 0.08\n";

    fn price(attrs: serde_json::Value, usage: &str) -> Vec<(String, Option<f64>)> {
        let r = resource("google_compute_instance", "us-central1-a", attrs);
        costs(&run(estimate, Cloud::Google, &r, &book(BOOK), usage))
    }

    fn s(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    #[test]
    fn shapes() {
        let p = |f: &str, v: f64, g: f64| {
            Some(Shape::Predefined {
                family: f.to_string(),
                vcpus: v,
                gib: g,
            })
        };
        assert_eq!(shape("n1-standard-4"), p("n1", 4.0, 15.0));
        assert_eq!(shape("n1-highmem-2"), p("n1", 2.0, 13.0));
        assert_eq!(shape("n1-highcpu-2"), p("n1", 2.0, 1.8));
        assert_eq!(shape("n2d-highcpu-8"), p("n2d", 8.0, 8.0));
        assert_eq!(shape("e2-highmem-4"), p("e2", 4.0, 32.0));
        assert_eq!(shape("e2-small"), p("e2", 0.5, 2.0));
        assert_eq!(shape("c2-standard-60"), p("c2", 60.0, 240.0));
        assert_eq!(shape("f1-micro"), Some(Shape::Fixed));
        assert_eq!(shape("a2-highgpu-1g"), None);
        assert_eq!(shape("c2-highmem-4"), None);
        let c = |f: &str, v: f64, g: f64, x: f64| {
            Some(Shape::Custom {
                family: f.to_string(),
                vcpus: v,
                gib: g,
                extended_gib: x,
            })
        };
        assert_eq!(shape("custom-6-20480"), c("n1", 6.0, 20.0, 0.0));
        assert_eq!(shape("n2-custom-4-16384"), c("n2", 4.0, 16.0, 0.0));
        // 2 vCPUs hold at most 13 GiB on N1: 15 GiB is 13 + 2 extended.
        assert_eq!(shape("custom-2-15360-ext"), c("n1", 2.0, 13.0, 2.0));
        assert_eq!(shape("e2-custom-medium-6144"), c("e2", 1.0, 6.0, 0.0));
    }

    #[test]
    fn predefined_machine_and_default_boot_disk() {
        // n2-standard-8: 8 × $0.031611 + 32 × $0.004237 = $0.388472/h × 730 = $283.58;
        // 10 GB pd-standard × $0.04 = $0.40.
        let got = price(
            json!({"machine_type": "n2-standard-8", "boot_disk": [{"initialize_params": [{"image": "debian-cloud/debian-12"}]}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux/UNIX, on-demand, n2-standard-8)",
                    Some(283.58)
                ),
                s(
                    "boot_disk: Standard provisioned storage (pd-standard)",
                    Some(0.4)
                )
            ]
        );
    }

    #[test]
    fn shared_core_memory_optimized_and_hours() {
        // e2-medium: $0.02181159 + 4 × $0.00292353 = $0.03350571/h × 730 = $24.46; a 40 GB
        // pd-ssd boot disk × $0.17 = $6.80.
        let got = price(
            json!({"machine_type": "e2-medium", "boot_disk": [{"initialize_params": [{"size": 40, "type": "pd-ssd"}]}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux/UNIX, on-demand, e2-medium)",
                    Some(24.46)
                ),
                s("boot_disk: SSD provisioned storage (pd-ssd)", Some(6.8))
            ]
        );
        // m1-ultramem-80: 80 × $0.0348 + 1922 × $0.0051 = $12.5862/h × 730 = $9,187.93; a
        // boot disk attached from elsewhere is not billed here.
        let got = price(
            json!({"machine_type": "m1-ultramem-80", "boot_disk": [{"source": "my-disk"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![s(
                "Instance usage (Linux/UNIX, on-demand, m1-ultramem-80)",
                Some(9187.93)
            )]
        );
        // f1-micro for 100 hours: 100 × $0.0076 = $0.76; two local SSDs: 750 GB × $0.08 = $60.00.
        let got = price(
            json!({"machine_type": "f1-micro", "scratch_disk": [{"interface": "NVME"}, {"interface": "NVME"}], "boot_disk": [{"source": "d"}]}),
            "resource_usage:\n  google_compute_instance.this:\n    monthly_hrs: 100\n",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Instance usage (Linux/UNIX, on-demand, f1-micro)",
                    Some(0.76)
                ),
                s("Local SSD provisioned storage", Some(60.0))
            ]
        );
    }

    #[test]
    fn custom_machines() {
        // custom-6-20480: 6 × $0.033174 × 730 = $145.30; 20 × $0.004446 × 730 = $64.91.
        let got = price(
            json!({"machine_type": "custom-6-20480", "boot_disk": [{"source": "d"}]}),
            "",
        );
        assert_eq!(
            got,
            vec![
                s(
                    "Custom instance CPU (Linux/UNIX, on-demand, N1 6 vCPUs)",
                    Some(145.3)
                ),
                s(
                    "Custom instance RAM (Linux/UNIX, on-demand, N1 20 GB)",
                    Some(64.91)
                )
            ]
        );
        // N2 custom prices are not in this book: found nowhere, never the predefined price.
        let r = resource(
            "google_compute_instance",
            "us-central1-a",
            json!({"machine_type": "n2-custom-4-16384"}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("cpu/n2-custom"))
        );
    }

    #[test]
    fn spot_gpus_and_unknowns_have_no_price() {
        let r = resource(
            "google_compute_instance",
            "us-central1-a",
            json!({"machine_type": "n1-standard-4", "scheduling": [{"preemptible": true}], "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 2}]}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert_eq!(
            e.components[0].name,
            "Instance usage (Linux/UNIX, preemptible, n1-standard-4)"
        );
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
        assert_eq!(e.components[1].monthly_quantity, Some(1460.0));
        assert!(matches!(e.components[1].note, Note::PriceNotFound(_)));
        // The default boot disk still costs its on-demand price: $0.40.
        assert_eq!(
            costs(&e)[2],
            s(
                "boot_disk: Standard provisioned storage (pd-standard)",
                Some(0.4)
            )
        );

        let r = resource(
            "google_compute_instance",
            "us-central1-a",
            json!({"machine_type": "(unknown) variable `machine_type` has no value"}),
        );
        let e = run(estimate, Cloud::Google, &r, &book(BOOK), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(w) if w.contains("`machine_type`")));
    }
}
