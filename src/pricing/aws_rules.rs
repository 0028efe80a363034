//! Which rows of an AWS offer file become which price book products (`prices/README.md`),
//! service by service. `aws_offer.rs` reads the file and keeps only on-demand, USD,
//! first-tier rows of the region read (`Row::list_price`) before asking `map_row`.

use super::aws_offer::Row;

/// A row's place in the price book, and what to multiply its list price by.
pub(super) struct Mapped {
    pub(super) service: &'static str,
    pub(super) product: String,
    pub(super) unit: &'static str,
    pub(super) factor: f64,
}

fn to(
    service: &'static str,
    product: impl Into<String>,
    unit: &'static str,
    factor: f64,
) -> Option<Mapped> {
    Some(Mapped {
        service,
        product: product.into(),
        unit,
        factor,
    })
}

pub(super) fn map_row(code: &str, r: &Row) -> Option<Mapped> {
    match code {
        "AmazonEC2" => ec2(r),
        "AmazonVPC" => vpc(r),
        "AmazonRDS" => rds(r),
        "AWSELB" => elb(r),
        "AmazonEKS" => (r.usage() == "AmazonEKS-Hours:perCluster")
            // Standard support; extended support is `AmazonEKS-Hours:extendedSupport`.
            .then(|| to("AmazonEKS", "cluster/hour", "hour", 1.0))
            .flatten(),
        "AmazonElastiCache" => elasticache(r),
        "AmazonS3" | "AmazonS3GlacierDeepArchive" => s3(r),
        "AWSLambda" => lambda(r),
        "AmazonCloudWatch" => cloudwatch(r),
        "AmazonRoute53" => match r.usage() {
            // First tiers (first 25 zones, first billion queries): see `list_price`.
            "HostedZone" => to("AmazonRoute53", "zone/hosted", "zone-month", 1.0),
            "DNS-Queries" => to("AmazonRoute53", "queries/standard", "1M-queries", 1e6),
            _ => None,
        },
        "awskms" => match r.usage() {
            "KMS-Keys" => to("awskms", "key/customer", "key-month", 1.0),
            // Symmetric requests; asymmetric ones are `KMS-Requests-Asymmetric…`.
            "KMS-Requests" => to("awskms", "requests", "10k-requests", 1e4),
            _ => None,
        },
        "AWSSecretsManager" => match r.at(r.cols.family) {
            "Secret" => to("AWSSecretsManager", "secret", "secret-month", 1.0),
            "API Request" => to("AWSSecretsManager", "api", "10k-requests", 1e4),
            _ => None,
        },
        _ => None,
    }
}

const EBS_VOLUMES: [&str; 7] = ["standard", "gp2", "gp3", "io1", "io2", "st1", "sc1"];

fn ec2(r: &Row) -> Option<Mapped> {
    let family = r.at(r.cols.family);
    if family.starts_with("Compute Instance") {
        return ec2_instance(r);
    }
    let volume = r.at(r.cols.volume_api);
    match r.usage() {
        // Volume storage (`EBS:VolumeUsage`, `.gp2`, `.gp3`, `.piops`…), named by `Volume API Name`.
        u if family == "Storage" && u.starts_with("EBS:VolumeUsage") => EBS_VOLUMES
            .contains(&volume)
            .then(|| {
                to(
                    "AmazonEC2",
                    format!("ebs/{volume}/storage"),
                    "GB-month",
                    1.0,
                )
            })
            .flatten(),
        "EBS:VolumeP-IOPS.gp3" => to("AmazonEC2", "ebs/gp3/iops", "IOPS-month", 1.0),
        "EBS:VolumeP-IOPS.piops" => to("AmazonEC2", "ebs/io1/iops", "IOPS-month", 1.0),
        // io2's first tier; the next ones are `EBS:VolumeP-IOPS.io2.tier2` and `.tier3`.
        "EBS:VolumeP-IOPS.io2" => to("AmazonEC2", "ebs/io2/iops", "IOPS-month", 1.0),
        // Listed per GiBps-month (40.96 = $0.04 per MiBps): converted to MiBps.
        "EBS:VolumeP-Throughput.gp3" => match r.at(r.cols.unit).to_ascii_lowercase().as_str() {
            "gibps-mo" => to(
                "AmazonEC2",
                "ebs/gp3/throughput",
                "MiBps-month",
                1.0 / 1024.0,
            ),
            "mibps-mo" => to("AmazonEC2", "ebs/gp3/throughput", "MiBps-month", 1.0),
            _ => None,
        },
        // Magnetic volumes' I/O, listed per request.
        "EBS:VolumeIOUsage" => to("AmazonEC2", "ebs/standard/io", "1M-requests", 1e6),
        "EBS:SnapshotUsage" => to("AmazonEC2", "ebs/snapshot/storage", "GB-month", 1.0),
        "NatGateway-Hours" => to("AmazonEC2", "nat/hour", "hour", 1.0),
        "NatGateway-Bytes" => to("AmazonEC2", "nat/data", "GB", 1.0),
        _ => None,
    }
}

/// On-demand instances on shared tenancy with no pre-installed software: Linux with "No
/// License required", Windows with "License included" (BYOL Windows is the Linux price).
/// `CapacityStatus` Used drops the $0 rows of capacity reservations (Allocated…, Unused…);
/// `MarketOption` OnDemand drops capacity blocks.
fn ec2_instance(r: &Row) -> Option<Mapped> {
    let os = match (r.at(r.cols.os), r.at(r.cols.license)) {
        ("Linux", "No License required") => "linux",
        ("Windows", "License included") => "windows",
        _ => return None,
    };
    let market = r.at(r.cols.market);
    let ok = r.at(r.cols.tenancy) == "Shared"
        && r.at(r.cols.pre_sw) == "NA"
        && r.at(r.cols.capacity) == "Used"
        && (market.is_empty() || market == "OnDemand")
        && r.at(r.cols.unit) == "Hrs";
    let kind = r.at(r.cols.instance_type);
    if !ok || kind.is_empty() || kind.contains(char::is_whitespace) {
        return None;
    }
    to("AmazonEC2", format!("instance/{os}/{kind}"), "hour", 1.0)
}

fn vpc(r: &Row) -> Option<Mapped> {
    match r.usage() {
        // An in-use public IPv4 address (idle ones are `PublicIPv4:IdleAddress`).
        "PublicIPv4:InUseAddress" => to("AmazonVPC", "public-ipv4/hour", "hour", 1.0),
        // Interface endpoints; Gateway Load Balancer endpoints are `VpcEndpoint-GWLBE-…`.
        "VpcEndpoint-Hours" => to("AmazonVPC", "endpoint/interface/hour", "hour", 1.0),
        "VpcEndpoint-Bytes" => to("AmazonVPC", "endpoint/interface/data", "GB", 1.0),
        _ => None,
    }
}

/// RDS: instances by `Database Engine` (with `Database Edition` and `License Model` for the
/// licensed ones), `Deployment Option` Single-AZ or Multi-AZ and `Instance Type`; the usage
/// type must be `InstanceUsage:` (single) or `Multi-AZUsage:` (multi), which leaves out Aurora
/// I/O-Optimized (`InstanceUsageIOOptimized:`) and Multi-AZ clusters. Storage and IOPS are the
/// engine-independent rows (`Database Engine` Any).
fn rds(r: &Row) -> Option<Mapped> {
    let usage = r.usage();
    let engine = r.at(r.cols.db_engine);
    let any_engine = engine.is_empty() || engine == "Any";
    if usage == "RDS:ChargedBackupUsage" {
        // Backup storage beyond the free allowance.
        return any_engine
            .then(|| to("AmazonRDS", "backup/storage", "GB-month", 1.0))
            .flatten();
    }
    let dep = match r.at(r.cols.deployment) {
        "Single-AZ" => "single",
        "Multi-AZ" => "multi",
        _ => return None,
    };
    match r.at(r.cols.family) {
        "Database Instance" => {
            let prefix = if dep == "single" {
                "InstanceUsage:"
            } else {
                "Multi-AZUsage:"
            };
            let name = rds_engine(engine, r.at(r.cols.db_edition), r.at(r.cols.license))?;
            // Oracle rows with a `Deployment Model` are RDS Custom.
            let custom = name.starts_with("oracle") && !r.at(r.cols.deployment_model).is_empty();
            let class = r.at(r.cols.instance_type);
            if !usage.starts_with(prefix) || custom || !class.starts_with("db.") {
                return None;
            }
            to(
                "AmazonRDS",
                format!("instance/{name}/{dep}/{class}"),
                "hour",
                1.0,
            )
        }
        "Database Storage" if engine == "Any" => {
            let volume = match r.at(r.cols.volume_type) {
                "General Purpose" => "gp2",
                "General Purpose-GP3" => "gp3",
                "Provisioned IOPS" => "io1",
                "Provisioned IOPS-IO2" => "io2",
                "Magnetic" => "standard",
                _ => return None,
            };
            to(
                "AmazonRDS",
                format!("storage/{volume}/{dep}"),
                "GB-month",
                1.0,
            )
        }
        // `RDS:PIOPS` / `RDS:Multi-AZ-PIOPS` (io1), `RDS:GP3-PIOPS` (gp3), io2's name it.
        "Provisioned IOPS" if any_engine => {
            let upper = usage.to_ascii_uppercase();
            let volume = if upper.contains("IO2") {
                "io2"
            } else if upper.contains("GP3") {
                "gp3"
            } else if usage == "RDS:PIOPS" || usage == "RDS:Multi-AZ-PIOPS" {
                "io1"
            } else {
                return None;
            };
            to(
                "AmazonRDS",
                format!("iops/{volume}/{dep}"),
                "IOPS-month",
                1.0,
            )
        }
        _ => None,
    }
}

fn rds_engine(engine: &str, edition: &str, license: &str) -> Option<&'static str> {
    let open = license != "Bring your own license";
    Some(match (engine, edition, license) {
        ("MySQL", _, _) if open => "mysql",
        ("PostgreSQL", _, _) if open => "postgres",
        ("MariaDB", _, _) if open => "mariadb",
        ("Aurora MySQL", _, _) if open => "aurora-mysql",
        ("Aurora PostgreSQL", _, _) if open => "aurora-postgresql",
        ("SQL Server", "Express", "License included") => "sqlserver-ex",
        ("SQL Server", "Web", "License included") => "sqlserver-web",
        ("SQL Server", "Standard", "License included") => "sqlserver-se",
        ("SQL Server", "Enterprise", "License included") => "sqlserver-ee",
        ("Oracle", "Standard Two", "License included") => "oracle-se2",
        _ => return None,
    })
}

/// Load balancers by `Product Family`: "Load Balancer" (classic), "-Application",
/// "-Network", "-Gateway"; hours are `LoadBalancerUsage`, capacity units `LCUUsage`, a
/// classic one's data `DataProcessing-Bytes`.
fn elb(r: &Row) -> Option<Mapped> {
    let kind = match r.at(r.cols.family) {
        "Load Balancer" => "clb",
        "Load Balancer-Application" => "alb",
        "Load Balancer-Network" => "nlb",
        "Load Balancer-Gateway" => "gwlb",
        _ => return None,
    };
    match (r.usage(), kind) {
        ("LoadBalancerUsage", _) => to("AWSELB", format!("{kind}/hour"), "hour", 1.0),
        ("LCUUsage", "alb" | "nlb") => to("AWSELB", format!("{kind}/lcu"), "LCU-hour", 1.0),
        ("DataProcessing-Bytes", "clb") => to("AWSELB", "clb/data", "GB", 1.0),
        _ => None,
    }
}

/// Nodes: `Product Family` "Cache Instance", `Cache Engine` (Redis, Memcached, Valkey) and
/// `Instance Type`, usage `NodeUsage:<type>` (free-tier rows are $0).
fn elasticache(r: &Row) -> Option<Mapped> {
    let engine = r.at(r.cols.cache_engine).to_ascii_lowercase();
    let kind = r.at(r.cols.instance_type);
    let ok = r.at(r.cols.family) == "Cache Instance"
        && r.usage().starts_with("NodeUsage:")
        && matches!(engine.as_str(), "redis" | "memcached" | "valkey")
        && kind.starts_with("cache.");
    ok.then(|| {
        to(
            "AmazonElastiCache",
            format!("node/{engine}/{kind}"),
            "hour",
            1.0,
        )
    })
    .flatten()
}

/// Storage classes by usage type (first tier, per GB-month); requests are listed per request:
/// `Requests-Tier1` (PUT, COPY, POST, LIST) and `Requests-Tier2` (GET and others).
fn s3(r: &Row) -> Option<Mapped> {
    let class = match r.usage() {
        "TimedStorage-ByteHrs" => {
            // Other products bill storage under this name too; S3 Standard says so.
            let volume = r.at(r.cols.volume_type);
            if !volume.is_empty() && !volume.to_ascii_lowercase().contains("standard") {
                return None;
            }
            "STANDARD"
        }
        "TimedStorage-SIA-ByteHrs" => "STANDARD_IA",
        "TimedStorage-ZIA-ByteHrs" => "ONEZONE_IA",
        "TimedStorage-INT-FA-ByteHrs" => "INTELLIGENT_TIERING",
        "TimedStorage-GIR-ByteHrs" => "GLACIER_IR",
        "TimedStorage-GlacierByteHrs" => "GLACIER",
        "TimedStorage-GDA-ByteHrs" => "DEEP_ARCHIVE",
        "Requests-Tier1" => return to("AmazonS3", "requests/put", "1k-requests", 1e3),
        "Requests-Tier2" => return to("AmazonS3", "requests/get", "1k-requests", 1e3),
        _ => return None,
    };
    to("AmazonS3", format!("storage/{class}"), "GB-month", 1.0)
}

/// By `Group`: AWS-Lambda-Requests (per request), AWS-Lambda-Duration and
/// AWS-Lambda-Duration-ARM (per GB-second, first tier). China's free-tier rows are left out.
fn lambda(r: &Row) -> Option<Mapped> {
    if r.at(r.cols.group_desc).contains("China free tier") {
        return None;
    }
    let usage = r.usage();
    match r.at(r.cols.group) {
        "AWS-Lambda-Requests" if usage.contains("Request") => {
            to("AWSLambda", "requests", "1M-requests", 1e6)
        }
        "AWS-Lambda-Duration" if usage.contains("GB-Second") => {
            to("AWSLambda", "duration/x86_64", "GB-second", 1.0)
        }
        "AWS-Lambda-Duration-ARM" if usage.contains("GB-Second") => {
            to("AWSLambda", "duration/arm64", "GB-second", 1.0)
        }
        _ => None,
    }
}

/// Logs: ingestion `DataProcessing-Bytes` ("Data Payload"), storage `TimedStorage-ByteHrs`
/// ("Storage Snapshot"), Insights `DataScanned-Bytes`; `CW:MetricMonitorUsage` (first tier)
/// and standard-resolution `CW:AlarmMonitorUsage`.
fn cloudwatch(r: &Row) -> Option<Mapped> {
    let family = r.at(r.cols.family);
    let alarm = r.at(r.cols.alarm_type);
    match r.usage() {
        "DataProcessing-Bytes" if family == "Data Payload" => {
            to("AmazonCloudWatch", "logs/ingestion", "GB", 1.0)
        }
        "TimedStorage-ByteHrs" if family == "Storage Snapshot" => {
            to("AmazonCloudWatch", "logs/storage", "GB-month", 1.0)
        }
        "DataScanned-Bytes" => to("AmazonCloudWatch", "logs/insights", "GB", 1.0),
        "CW:MetricMonitorUsage" => to("AmazonCloudWatch", "metric", "metric-month", 1.0),
        "CW:AlarmMonitorUsage" if alarm.is_empty() || alarm == "Standard" => {
            to("AmazonCloudWatch", "alarm/standard", "alarm-month", 1.0)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Cloud;
    use crate::pricing::aws_offer::read_offer_file;

    #[test]
    fn s3_keeps_standard_first_tier_storage_and_scales_requests_to_thousands() {
        // us-east-1 list prices: Standard $0.023 per GB-month for the first 50 TB, PUT-class
        // requests $0.005 and GET-class $0.0004 per 1,000 (listed per request).
        let csv = "\"FormatVersion\",\"v1.0\"\n\"OfferCode\",\"AmazonS3\"\n\
             \"SKU\",\"TermType\",\"StartingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"Location Type\",\"Region Code\",\"usageType\",\"Volume Type\"\n\
             \"A\",\"OnDemand\",\"0\",\"GB-Mo\",\"0.0230000000\",\"USD\",\"AWS Region\",\"us-east-1\",\"TimedStorage-ByteHrs\",\"Standard\"\n\
             \"B\",\"OnDemand\",\"51200\",\"GB-Mo\",\"0.0220000000\",\"USD\",\"AWS Region\",\"us-east-1\",\"TimedStorage-ByteHrs\",\"Standard\"\n\
             \"C\",\"OnDemand\",\"0\",\"GB-Mo\",\"0.0240000000\",\"USD\",\"AWS Region\",\"us-east-1\",\"TimedStorage-ByteHrs\",\"Reduced Redundancy\"\n\
             \"D\",\"OnDemand\",\"0\",\"Requests\",\"0.0000050000\",\"USD\",\"AWS Region\",\"us-east-1\",\"Requests-Tier1\",\"\"\n\
             \"E\",\"OnDemand\",\"0\",\"Requests\",\"0.0000004000\",\"USD\",\"AWS Region\",\"us-east-1\",\"Requests-Tier2\",\"\"\n";
        let (meta, book) = read_offer_file(csv.as_bytes(), "AmazonS3", "us-east-1").unwrap();
        assert_eq!((meta.rows, meta.matched), (5, 3));
        assert_eq!(
            book.rows(Cloud::Aws),
            vec![
                (
                    "AmazonS3",
                    "requests/get",
                    "1k-requests",
                    "us-east-1",
                    0.0004
                ),
                (
                    "AmazonS3",
                    "requests/put",
                    "1k-requests",
                    "us-east-1",
                    0.005
                ),
                (
                    "AmazonS3",
                    "storage/STANDARD",
                    "GB-month",
                    "us-east-1",
                    0.023
                ),
            ]
        );
    }

    #[test]
    fn rds_engines_need_an_included_licence_where_one_is_sold() {
        assert_eq!(
            rds_engine("SQL Server", "Web", "License included"),
            Some("sqlserver-web")
        );
        assert_eq!(
            rds_engine("PostgreSQL", "", "No license required"),
            Some("postgres")
        );
        assert_eq!(rds_engine("MySQL", "", "Bring your own license"), None);
        assert_eq!(
            rds_engine("Oracle", "Enterprise", "Bring your own license"),
            None
        );
    }
}
