//! EBS: volumes and snapshots. The volume pricing here also prices the block devices of
//! instances and the disks of EKS node groups, so a gp3 disk costs the same wherever it is
//! declared.

use super::aws_ec2::{number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_ebs_snapshot", "aws_ebs_volume"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_ebs_volume" => Estimate::of(ebs_volume(cx)),
        "aws_ebs_snapshot" => Estimate::of(vec![snapshot(cx)]),
        _ => Estimate::default(),
    }
}

/// What decides a volume's price, each value known, absent (`None`) or unknown (why).
#[derive(Debug, Clone, PartialEq)]
pub struct Volume<'a> {
    /// `gp2` when absent (the provider's and Infracost's default).
    pub volume_type: Result<Option<&'a str>, String>,
    /// GB; the caller decides what an absent size means.
    pub size_gb: Result<f64, String>,
    pub iops: Result<Option<f64>, String>,
    /// MiB/s (gp3 only).
    pub throughput: Result<Option<f64>, String>,
    /// Identical volumes priced together (the disks of a node group's nodes).
    pub count: f64,
}

/// gp3 includes 3,000 IOPS and 125 MiB/s; only what is provisioned above is billed.
const GP3_BASE_IOPS: f64 = 3000.0;
const GP3_BASE_THROUGHPUT: f64 = 125.0;
/// io2 IOPS are billed in tiers: up to 32,000, 32,001–64,000, above 64,000.
const IO2_TIER_1: f64 = 32_000.0;
const IO2_TIER_2: f64 = 64_000.0;

/// The components of an EBS volume: storage, and provisioned IOPS, throughput or I/O requests
/// depending on its type.
pub fn volume_components(cx: &Cx, v: &Volume) -> Vec<Component> {
    let volume_type = match &v.volume_type {
        Ok(t) => t.unwrap_or("gp2").to_ascii_lowercase(),
        Err(why) => return vec![cx.unknown("Storage", "GB", why.clone())],
    };
    let mut out = vec![match &v.size_gb {
        Ok(size) => cx.fixed(
            storage_name(&volume_type),
            "GB",
            size * v.count,
            "AmazonEC2",
            &format!("ebs/{volume_type}/storage"),
        ),
        Err(why) => cx.unknown(storage_name(&volume_type), "GB", why.clone()),
    }];
    match volume_type.as_str() {
        "gp3" => {
            match &v.iops {
                Ok(Some(iops)) if *iops > GP3_BASE_IOPS => out.push(cx.fixed(
                    "Provisioned IOPS",
                    "IOPS",
                    (iops - GP3_BASE_IOPS) * v.count,
                    "AmazonEC2",
                    "ebs/gp3/iops",
                )),
                Ok(_) => {}
                Err(why) => out.push(cx.unknown("Provisioned IOPS", "IOPS", why.clone())),
            }
            match &v.throughput {
                Ok(Some(t)) if *t > GP3_BASE_THROUGHPUT => out.push(cx.fixed(
                    "Provisioned throughput",
                    "MiBps",
                    (t - GP3_BASE_THROUGHPUT) * v.count,
                    "AmazonEC2",
                    "ebs/gp3/throughput",
                )),
                Ok(_) => {}
                Err(why) => out.push(cx.unknown("Provisioned throughput", "MiBps", why.clone())),
            }
        }
        "io1" | "io2" => match &v.iops {
            Ok(Some(iops)) if volume_type == "io2" => {
                out.extend(io2_iops(cx, *iops, v.count));
            }
            Ok(Some(iops)) => out.push(cx.fixed(
                "Provisioned IOPS",
                "IOPS",
                iops * v.count,
                "AmazonEC2",
                "ebs/io1/iops",
            )),
            // io1 and io2 volumes cannot be created without `iops`.
            Ok(None) => out.push(cx.unknown("Provisioned IOPS", "IOPS", "`iops` is not set")),
            Err(why) => out.push(cx.unknown("Provisioned IOPS", "IOPS", why.clone())),
        },
        "standard" => out.push(cx.usage(
            "I/O requests",
            "1M requests",
            "monthly_standard_io_requests",
            1e-6,
            "AmazonEC2",
            "ebs/standard/io",
        )),
        _ => {}
    }
    out
}

fn io2_iops(cx: &Cx, iops: f64, count: f64) -> Vec<Component> {
    let mut out = vec![cx.fixed(
        "Provisioned IOPS",
        "IOPS",
        iops.min(IO2_TIER_1) * count,
        "AmazonEC2",
        "ebs/io2/iops",
    )];
    if iops > IO2_TIER_1 {
        out.push(cx.fixed(
            "Provisioned IOPS (32,001-64,000)",
            "IOPS",
            (iops.min(IO2_TIER_2) - IO2_TIER_1) * count,
            "AmazonEC2",
            "ebs/io2/iops/tier2",
        ));
    }
    if iops > IO2_TIER_2 {
        out.push(cx.fixed(
            "Provisioned IOPS (over 64,000)",
            "IOPS",
            (iops - IO2_TIER_2) * count,
            "AmazonEC2",
            "ebs/io2/iops/tier3",
        ));
    }
    out
}

/// Infracost's names for the storage of each volume type.
fn storage_name(volume_type: &str) -> String {
    match volume_type {
        "standard" => "Storage (magnetic)".to_string(),
        "gp2" | "gp3" => format!("Storage (general purpose SSD, {volume_type})"),
        "io1" | "io2" => format!("Storage (provisioned IOPS SSD, {volume_type})"),
        "st1" => "Storage (throughput optimized HDD, st1)".to_string(),
        "sc1" => "Storage (cold HDD, sc1)".to_string(),
        other => format!("Storage ({other})"),
    }
}

fn ebs_volume(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let size_gb = match number_at(r, &["size"]) {
        Ok(Some(size)) => Ok(size),
        // The provider requires `size` or `snapshot_id`: without a size, the snapshot's applies.
        Ok(None) => Err(
            "`size` is not set: the volume takes the size of its snapshot (`snapshot_id`)"
                .to_string(),
        ),
        Err(why) => Err(why),
    };
    volume_components(
        cx,
        &Volume {
            volume_type: text_at(r, &["type"]),
            size_gb,
            iops: number_at(r, &["iops"]),
            throughput: number_at(r, &["throughput"]),
            count: 1.0,
        },
    )
}

/// Snapshots are incremental, so what they store is usage (`storage_gb`); without usage, the
/// size of the source volume when the configuration or plan knows it (an upper bound).
fn snapshot(cx: &Cx) -> Component {
    const NAME: &str = "EBS snapshot storage";
    if let Some(gb) = cx.usage_value("storage_gb") {
        return cx.usage_quantity(NAME, "GB", Some(gb), "AmazonEC2", "ebs/snapshot/storage");
    }
    match number_at(cx.resource, &["volume_size"]) {
        Ok(Some(gb)) => cx.fixed(NAME, "GB", gb, "AmazonEC2", "ebs/snapshot/storage"),
        _ => cx.usage_quantity(NAME, "GB", None, "AmazonEC2", "ebs/snapshot/storage"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (AWS EBS pricing page; Infracost's ebs_volume golden file).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonEC2 ebs/gp2/storage GB-month 0.10
AmazonEC2 ebs/gp3/storage GB-month 0.08
AmazonEC2 ebs/io1/storage GB-month 0.125
AmazonEC2 ebs/io2/storage GB-month 0.125
AmazonEC2 ebs/st1/storage GB-month 0.045
AmazonEC2 ebs/sc1/storage GB-month 0.015
AmazonEC2 ebs/standard/storage GB-month 0.05
AmazonEC2 ebs/gp3/iops IOPS-month 0.005
AmazonEC2 ebs/gp3/throughput MiBps-month 0.04
AmazonEC2 ebs/io1/iops IOPS-month 0.065
AmazonEC2 ebs/io2/iops IOPS-month 0.065
AmazonEC2 ebs/standard/io 1M-requests 0.05
AmazonEC2 ebs/snapshot/storage GB-month 0.05
",
        )
    }

    fn volume(attrs: serde_json::Value, usage: &str) -> Vec<(String, Option<f64>)> {
        let r = resource("aws_ebs_volume", "us-east-1", attrs);
        costs(&run(estimate, Cloud::Aws, &r, &prices(), usage))
    }

    fn c(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    #[test]
    fn gp2_is_the_default_type() {
        // 10 GB × $0.10 = $1.00
        assert_eq!(
            volume(json!({"size": 10}), ""),
            vec![c("Storage (general purpose SSD, gp2)", 1.0)]
        );
    }

    #[test]
    fn gp3_bills_iops_and_throughput_above_the_baseline() {
        // 40 GB × $0.08 = $3.20; (4,000 − 3,000) IOPS × $0.005 = $5.00;
        // (130 − 125) MiB/s × $0.04 = $0.20
        assert_eq!(
            volume(
                json!({"type": "gp3", "size": 40, "iops": 4000, "throughput": 130}),
                ""
            ),
            vec![
                c("Storage (general purpose SSD, gp3)", 3.2),
                c("Provisioned IOPS", 5.0),
                c("Provisioned throughput", 0.2),
            ]
        );
        // At the baseline nothing but storage is billed.
        assert_eq!(
            volume(
                json!({"type": "gp3", "size": 40, "iops": 3000, "throughput": 125}),
                ""
            ),
            vec![c("Storage (general purpose SSD, gp3)", 3.2)]
        );
    }

    #[test]
    fn io1_and_io2_bill_every_iops() {
        // 30 GB × $0.125 = $3.75; 300 IOPS × $0.065 = $19.50
        for t in ["io1", "io2"] {
            assert_eq!(
                volume(json!({"type": t, "size": 30, "iops": 300}), ""),
                vec![
                    c(&format!("Storage (provisioned IOPS SSD, {t})"), 3.75),
                    c("Provisioned IOPS", 19.5)
                ]
            );
        }
    }

    #[test]
    fn io2_iops_above_the_first_tier_have_their_own_price() {
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"type": "io2", "size": 100, "iops": 40000}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        // 32,000 × $0.065 = $2,080.00; the 8,000 above are not in this book.
        assert_eq!(costs(&e)[1], c("Provisioned IOPS", 2080.0));
        assert_eq!(e.components[2].name, "Provisioned IOPS (32,001-64,000)");
        assert_eq!(e.components[2].monthly_quantity, Some(8000.0));
        assert!(matches!(e.components[2].note, Note::PriceNotFound(_)));
    }

    #[test]
    fn hdd_types() {
        // 40 GB × $0.045 = $1.80; 50 GB × $0.015 = $0.75
        assert_eq!(
            volume(json!({"type": "st1", "size": 40}), ""),
            vec![c("Storage (throughput optimized HDD, st1)", 1.8)]
        );
        assert_eq!(
            volume(json!({"type": "sc1", "size": 50}), ""),
            vec![c("Storage (cold HDD, sc1)", 0.75)]
        );
    }

    #[test]
    fn magnetic_io_requests_come_from_usage() {
        // 20 GB × $0.05 = $1.00; 1,000,000 requests = 1 × $0.05 = $0.05
        let usage =
            "resource_usage:\n  aws_ebs_volume.this:\n    monthly_standard_io_requests: 1000000\n";
        assert_eq!(
            volume(json!({"type": "standard", "size": 20}), usage),
            vec![c("Storage (magnetic)", 1.0), c("I/O requests", 0.05)]
        );
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"type": "standard", "size": 20}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(e.components[1].note, Note::NeedsUsage);
        assert!(e.components[1].usage_based);
    }

    #[test]
    fn unknown_or_missing_values_are_never_zero() {
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"size": "(unknown) variable `size` has no value"}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(
            e.components[0].note,
            Note::Unknown("`size` is unknown: variable `size` has no value".into())
        );
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"snapshot_id": "snap-1"}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("snapshot")));
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"size": 10, "type": "(unknown) computed"}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(e.components.len(), 1);
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`type`")));
        let r = resource(
            "aws_ebs_volume",
            "us-east-1",
            json!({"size": 10, "type": "io1"}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(
            e.components[1].note,
            Note::Unknown("`iops` is not set".into())
        );
    }

    #[test]
    fn snapshots_store_usage_or_the_volume_size() {
        // 8 GB × $0.05 = $0.40
        let usage = "resource_usage:\n  aws_ebs_snapshot.this:\n    storage_gb: 8\n";
        let r = resource(
            "aws_ebs_snapshot",
            "us-east-1",
            json!({"volume_id": "(unknown) computed"}),
        );
        let e = run(estimate, Cloud::Aws, &r, &prices(), usage);
        assert_eq!(costs(&e), vec![c("EBS snapshot storage", 0.4)]);
        assert!(e.components[0].usage_based);
        // 10 GB × $0.05 = $0.50
        let r = resource("aws_ebs_snapshot", "us-east-1", json!({"volume_size": 10}));
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(costs(&e), vec![c("EBS snapshot storage", 0.5)]);
        let r = resource("aws_ebs_snapshot", "us-east-1", json!({}));
        let e = run(estimate, Cloud::Aws, &r, &prices(), "");
        assert_eq!(e.components[0].note, Note::NeedsUsage);
    }
}
