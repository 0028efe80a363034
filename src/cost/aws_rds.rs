//! RDS: database instances (instance hours, storage, provisioned IOPS, backup storage) and
//! Aurora cluster instances.

use super::aws_ec2::{bool_at, number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_db_instance", "aws_rds_cluster_instance"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_db_instance" => Estimate::of(db_instance(cx)),
        "aws_rds_cluster_instance" => Estimate::of(cluster_instance(cx)),
        _ => Estimate::default(),
    }
}

/// The engine as the price book names it: `aurora` is Aurora MySQL, container databases
/// (`-cdb`) cost what their edition costs, and bring-your-own-license has its own prices.
fn engine_key(engine: &str, license_model: Option<&str>) -> String {
    let engine = engine.to_ascii_lowercase();
    let engine = match engine.as_str() {
        "aurora" => "aurora-mysql",
        e => e.strip_suffix("-cdb").unwrap_or(e),
    };
    match license_model {
        Some("bring-your-own-license") => format!("{engine}-byol"),
        _ => engine.to_string(),
    }
}

fn db_instance(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let class = text_at(r, &["instance_class"]);
    let engine = match (text_at(r, &["engine"]), text_at(r, &["license_model"])) {
        (Ok(Some(e)), Ok(license)) => Ok(engine_key(e, license)),
        (Ok(None), _) => {
            Err("`engine` is not set: a replica or a restore takes its source's engine".to_string())
        }
        (Err(why), _) | (_, Err(why)) => Err(why),
    };
    let multi_az = bool_at(r, &["multi_az"]).map(|m| m.unwrap_or(false));
    let mut out = Vec::new();

    let deployment = multi_az.map(|m| {
        if m {
            ("Multi-AZ", "multi")
        } else {
            ("Single-AZ", "single")
        }
    });
    match (&class, &engine, &deployment) {
        (Ok(Some(class)), Ok(engine), Ok((label, key))) => out.push(cx.hours(
            format!("Database instance (on-demand, {label}, {class})"),
            1.0,
            "AmazonRDS",
            &format!("instance/{engine}/{key}/{class}"),
        )),
        (Ok(None), _, _) => out.push(cx.unknown(
            "Database instance (on-demand)",
            "hours",
            "`instance_class` is not set",
        )),
        (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => {
            out.push(cx.unknown("Database instance (on-demand)", "hours", why.clone()))
        }
    }

    // Aurora keeps its storage and backups at the cluster.
    if matches!(&engine, Ok(e) if e.starts_with("aurora")) {
        return out;
    }
    out.extend(storage(
        cx,
        engine.as_deref().ok(),
        &deployment.map(|(_, key)| key),
    ));

    let retention = number_at(r, &["backup_retention_period"]);
    let backups_off = matches!(retention, Ok(Some(days)) if days == 0.0);
    let usage = cx.usage_value("additional_backup_storage_gb");
    if !backups_off || usage.is_some() {
        out.push(cx.usage_quantity(
            "Additional backup storage",
            "GB",
            usage,
            "AmazonRDS",
            "backup/storage",
        ));
    }
    out
}

/// Storage, and the IOPS its type bills. `storage_type` defaults to io1 when `iops` is set and
/// to gp2 otherwise, as the provider does.
fn storage(cx: &Cx, engine: Option<&str>, deployment: &Result<&str, String>) -> Vec<Component> {
    let r = cx.resource;
    let iops = match number_at(r, &["iops"]) {
        Ok(i) => i,
        Err(why) => return vec![cx.unknown("Storage", "GB", why)],
    };
    let storage_type = match text_at(r, &["storage_type"]) {
        Ok(Some(t)) => t.to_ascii_lowercase(),
        Ok(None) if iops.is_some() => "io1".to_string(),
        Ok(None) => "gp2".to_string(),
        Err(why) => return vec![cx.unknown("Storage", "GB", why)],
    };
    let name = match storage_type.as_str() {
        "standard" => "Storage (magnetic)".to_string(),
        "gp2" | "gp3" => format!("Storage (general purpose SSD, {storage_type})"),
        "io1" | "io2" => format!("Storage (provisioned IOPS SSD, {storage_type})"),
        other => format!("Storage ({other})"),
    };
    let key = match deployment {
        Ok(key) => *key,
        Err(why) => return vec![cx.unknown(name, "GB", why.clone())],
    };
    let size = match number_at(r, &["allocated_storage"]) {
        Ok(Some(gb)) => gb,
        Ok(None) => {
            return vec![cx.unknown(
                name,
                "GB",
                "`allocated_storage` is not set: a replica or a restore takes its source's storage",
            )];
        }
        Err(why) => return vec![cx.unknown(name, "GB", why)],
    };
    let mut out = vec![cx.fixed(
        name,
        "GB",
        size,
        "AmazonRDS",
        &format!("storage/{storage_type}/{key}"),
    )];
    match storage_type.as_str() {
        "io1" | "io2" => match iops {
            Some(iops) => out.push(cx.fixed(
                "Provisioned IOPS",
                "IOPS",
                iops,
                "AmazonRDS",
                &format!("iops/{storage_type}/{key}"),
            )),
            None => out.push(cx.unknown("Provisioned IOPS", "IOPS", "`iops` is not set")),
        },
        "gp3" => {
            // gp3 includes 3,000 IOPS, or 12,000 from 400 GB (SQL Server: always 3,000).
            let sql_server = engine.is_some_and(|e| e.starts_with("sqlserver"));
            let baseline = if size >= 400.0 && !sql_server {
                12_000.0
            } else {
                3_000.0
            };
            if let Some(iops) = iops.filter(|i| *i > baseline) {
                out.push(cx.fixed(
                    format!(
                        "Provisioned GP3 IOPS (above {})",
                        if baseline > 3_000.0 {
                            "12,000"
                        } else {
                            "3,000"
                        }
                    ),
                    "IOPS",
                    iops - baseline,
                    "AmazonRDS",
                    &format!("iops/gp3/{key}"),
                ));
            }
        }
        "standard" => out.push(cx.usage(
            "I/O requests",
            "1M requests",
            "monthly_standard_io_requests",
            1e-6,
            "AmazonRDS",
            "io/standard",
        )),
        _ => {}
    }
    out
}

/// Aurora instances: an hourly class, or Aurora Serverless v2 billed per ACU-hour.
fn cluster_instance(cx: &Cx) -> Vec<Component> {
    let r = cx.resource;
    let engine = match text_at(r, &["engine"]) {
        Ok(e) => engine_key(e.unwrap_or("aurora-mysql"), None),
        Err(why) => return vec![cx.unknown("Database instance (on-demand)", "hours", why)],
    };
    match text_at(r, &["instance_class"]) {
        Ok(Some("db.serverless")) => {
            let acu_hours = cx
                .usage_value("capacity_units_per_hr")
                .map(|acu| acu * super::HOURS_PER_MONTH);
            vec![cx.usage_quantity(
                "Aurora serverless v2",
                "ACU-hours",
                acu_hours,
                "AmazonRDS",
                &format!("serverless-v2/{engine}"),
            )]
        }
        Ok(Some(class)) => vec![cx.hours(
            format!("Database instance (on-demand, {class})"),
            1.0,
            "AmazonRDS",
            &format!("instance/{engine}/single/{class}"),
        )],
        Ok(None) => vec![cx.unknown(
            "Database instance (on-demand)",
            "hours",
            "`instance_class` is not set",
        )],
        Err(why) => vec![cx.unknown("Database instance (on-demand)", "hours", why)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices, as in Infracost's db_instance and rds_cluster_instance golden
    /// files (e.g. db.t3.large MySQL $99.28 / 730 h = $0.136).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonRDS instance/mysql/single/db.t3.large hour 0.136
AmazonRDS instance/mysql/multi/db.t3.large hour 0.272
AmazonRDS instance/postgres/single/db.t3.large hour 0.145
AmazonRDS instance/postgres/multi/db.t4g.small hour 0.065
AmazonRDS instance/aurora-mysql/single/db.r4.large hour 0.29
AmazonRDS storage/gp2/single GB-month 0.115
AmazonRDS storage/gp2/multi GB-month 0.23
AmazonRDS storage/gp3/multi GB-month 0.23
AmazonRDS storage/io1/single GB-month 0.125
AmazonRDS iops/io1/single IOPS-month 0.10
AmazonRDS iops/gp3/multi IOPS-month 0.04
AmazonRDS backup/storage GB-month 0.095
",
        )
    }

    fn c(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    fn db(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn mysql_single_az_gp2_with_backup_usage() {
        // 730 × $0.136 = $99.28; 20 GB × $0.115 = $2.30; 1,000 GB × $0.095 = $95.00
        let usage =
            "resource_usage:\n  aws_db_instance.this:\n    additional_backup_storage_gb: 1000\n";
        let e = db(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.large", "allocated_storage": 20}),
            usage,
        );
        assert_eq!(
            costs(&e),
            vec![
                c(
                    "Database instance (on-demand, Single-AZ, db.t3.large)",
                    99.28
                ),
                c("Storage (general purpose SSD, gp2)", 2.3),
                c("Additional backup storage", 95.0),
            ]
        );
    }

    #[test]
    fn multi_az_doubles_instance_and_storage() {
        // 730 × $0.272 = $198.56; 30 GB × $0.23 = $6.90; backups depend on usage
        let e = db(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.large", "allocated_storage": 30, "multi_az": true}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c(
                    "Database instance (on-demand, Multi-AZ, db.t3.large)",
                    198.56
                ),
                c("Storage (general purpose SSD, gp2)", 6.9),
                ("Additional backup storage".to_string(), None),
            ]
        );
        assert_eq!(e.components[2].note, Note::NeedsUsage);
    }

    #[test]
    fn iops_make_io1_the_default_storage() {
        // 730 × $0.136 = $99.28; 100 GB × $0.125 = $12.50; 1,200 × $0.10 = $120.00
        let e = db(
            "aws_db_instance",
            json!({"engine": "mysql", "instance_class": "db.t3.large", "allocated_storage": 100, "iops": 1200, "backup_retention_period": 0}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c(
                    "Database instance (on-demand, Single-AZ, db.t3.large)",
                    99.28
                ),
                c("Storage (provisioned IOPS SSD, io1)", 12.5),
                c("Provisioned IOPS", 120.0),
            ]
        );
    }

    #[test]
    fn gp3_bills_iops_above_its_baseline() {
        // 730 × $0.065 = $47.45; 400 GB × $0.23 = $92.00; (14,000 − 12,000) × $0.04 = $80.00
        let e = db(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.t4g.small", "allocated_storage": 400,
                   "storage_type": "gp3", "iops": 14000, "multi_az": true, "backup_retention_period": 0}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![
                c(
                    "Database instance (on-demand, Multi-AZ, db.t4g.small)",
                    47.45
                ),
                c("Storage (general purpose SSD, gp3)", 92.0),
                c("Provisioned GP3 IOPS (above 12,000)", 80.0),
            ]
        );
    }

    #[test]
    fn unknown_and_missing_values() {
        let e = db(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "(unknown) variable `db_class` has no value", "allocated_storage": 20}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`instance_class`"))
        );
        // Storage is still priced: 20 × $0.115 = $2.30
        assert_eq!(costs(&e)[1], c("Storage (general purpose SSD, gp2)", 2.3));
        let e = db(
            "aws_db_instance",
            json!({"engine": "postgres", "instance_class": "db.t3.large", "multi_az": "(unknown) var.ha", "allocated_storage": 20}),
            "",
        );
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`multi_az`")));
        assert!(matches!(&e.components[1].note, Note::Unknown(why) if why.contains("`multi_az`")));
        let e = db(
            "aws_db_instance",
            json!({"replicate_source_db": "(unknown) computed", "instance_class": "db.t3.large"}),
            "",
        );
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`engine`")));
        assert!(
            matches!(&e.components[1].note, Note::Unknown(why) if why.contains("`allocated_storage`"))
        );
    }

    #[test]
    fn aurora_instances() {
        // 730 × $0.29 = $211.70
        let e = db(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.r4.large"}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![c("Database instance (on-demand, db.r4.large)", 211.7)]
        );
        // `aurora` is Aurora MySQL; an Aurora aws_db_instance has no storage of its own.
        let e = db(
            "aws_db_instance",
            json!({"engine": "aurora", "instance_class": "db.r4.large"}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![c(
                "Database instance (on-demand, Single-AZ, db.r4.large)",
                211.7
            )]
        );
        let e = db(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-postgresql", "instance_class": "db.serverless"}),
            "",
        );
        assert_eq!(e.components[0].name, "Aurora serverless v2");
        assert!(e.components[0].usage_based);
    }

    #[test]
    fn engine_keys() {
        assert_eq!(engine_key("aurora", None), "aurora-mysql");
        assert_eq!(engine_key("oracle-se2-cdb", None), "oracle-se2");
        assert_eq!(
            engine_key("oracle-se2", Some("bring-your-own-license")),
            "oracle-se2-byol"
        );
        assert_eq!(
            engine_key("SQLServer-EX", Some("license-included")),
            "sqlserver-ex"
        );
    }
}
