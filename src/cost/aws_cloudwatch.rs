//! CloudWatch: log groups (ingestion, storage and Logs Insights scans, all usage) and metric
//! alarms (per alarm metric).

use super::attrs;
use super::aws_ec2::{number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_cloudwatch_log_group", "aws_cloudwatch_metric_alarm"];

pub fn estimate(cx: &Cx) -> Estimate {
    match cx.resource.r#type.as_str() {
        "aws_cloudwatch_log_group" => Estimate::of(log_group(cx)),
        "aws_cloudwatch_metric_alarm" => Estimate::of(vec![alarm(cx)]),
        _ => Estimate::default(),
    }
}

fn log_group(cx: &Cx) -> Vec<Component> {
    // The Infrequent Access class ingests for less; storage and scans cost the same.
    let ingestion = match text_at(cx.resource, &["log_group_class"]) {
        Ok(Some(class)) if class.eq_ignore_ascii_case("INFREQUENT_ACCESS") => {
            Ok("logs/ingestion/infrequent-access")
        }
        Ok(_) => Ok("logs/ingestion"),
        Err(why) => Err(why),
    };
    vec![
        match ingestion {
            Ok(product) => cx.usage(
                "Data ingested",
                "GB",
                "monthly_data_ingested_gb",
                1.0,
                "AmazonCloudWatch",
                product,
            ),
            Err(why) => cx.unknown("Data ingested", "GB", why),
        },
        cx.usage(
            "Archival Storage",
            "GB",
            "storage_gb",
            1.0,
            "AmazonCloudWatch",
            "logs/storage",
        ),
        cx.usage(
            "Insights queries data scanned",
            "GB",
            "monthly_data_scanned_gb",
            1.0,
            "AmazonCloudWatch",
            "logs/insights",
        ),
    ]
}

/// Alarms are billed per metric they watch: 1, or each `metric_query` that reads a metric
/// (expressions are free). Anomaly detection watches 3 metrics per metric (the metric and
/// the band's two bounds); a period under a minute is a high-resolution alarm.
fn alarm(cx: &Cx) -> Component {
    let r = cx.resource;
    let queries = attrs::blocks(r, "metric_query");
    let (metrics, period) = if queries.is_empty() {
        (1.0, number_at(r, &["period"]))
    } else {
        let reading: Vec<usize> = (0..queries.len())
            .filter(|i| attrs::at(r, &["metric_query", &i.to_string(), "metric", "0"]).is_some())
            .collect();
        let period = match reading.first() {
            Some(i) => number_at(
                r,
                &["metric_query", &i.to_string(), "metric", "0", "period"],
            ),
            None => Ok(None),
        };
        (reading.len() as f64, period)
    };
    let anomaly = matches!(
        text_at(r, &["comparison_operator"]),
        Ok(Some(
            "LessThanLowerOrGreaterThanUpperThreshold"
                | "LessThanLowerThreshold"
                | "GreaterThanUpperThreshold"
        ))
    );
    let (metrics, suffix, unit) = if anomaly {
        (metrics * 3.0, " anomaly detection", "alarms")
    } else {
        (metrics, "", "alarm metrics")
    };
    match period {
        Ok(Some(p)) if p < 60.0 => cx.fixed(
            format!("High resolution{suffix}"),
            unit,
            metrics,
            "AmazonCloudWatch",
            "alarm/high-resolution",
        ),
        Ok(_) => cx.fixed(
            format!("Standard resolution{suffix}"),
            unit,
            metrics,
            "AmazonCloudWatch",
            "alarm/standard",
        ),
        Err(why) => cx.unknown(format!("Alarm{suffix}"), unit, why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (Infracost's cloudwatch golden files: $0.50 per GB ingested,
    /// $0.03 per GB-month stored, $0.005 per GB scanned, $0.10 per standard alarm metric).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonCloudWatch logs/ingestion GB 0.50
AmazonCloudWatch logs/storage GB-month 0.03
AmazonCloudWatch logs/insights GB 0.005
AmazonCloudWatch alarm/standard alarm-month 0.10
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn cw(t: &str, attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn log_group_with_and_without_usage() {
        // 1,000 GB × $0.50 = $500.00; 500 GB × $0.03 = $15.00; 250 GB × $0.005 = $1.25
        let usage = "resource_usage:\n  aws_cloudwatch_log_group.this:\n    monthly_data_ingested_gb: 1000\n    storage_gb: 500\n    monthly_data_scanned_gb: 250\n";
        assert_eq!(
            costs(&cw(
                "aws_cloudwatch_log_group",
                json!({"retention_in_days": 30}),
                usage
            )),
            vec![
                c("Data ingested", Some(500.0)),
                c("Archival Storage", Some(15.0)),
                c("Insights queries data scanned", Some(1.25)),
            ]
        );
        let e = cw("aws_cloudwatch_log_group", json!({}), "");
        assert!(e.components.iter().all(|c| c.note == Note::NeedsUsage));
    }

    #[test]
    fn infrequent_access_ingestion_has_its_own_price() {
        let e = cw(
            "aws_cloudwatch_log_group",
            json!({"log_group_class": "INFREQUENT_ACCESS"}),
            "",
        );
        assert!(
            matches!(&e.components[0].note, Note::PriceNotFound(k) if k.contains("logs/ingestion/infrequent-access"))
        );
    }

    #[test]
    fn alarms() {
        // 1 × $0.10 = $0.10
        assert_eq!(
            costs(&cw(
                "aws_cloudwatch_metric_alarm",
                json!({"period": 300, "comparison_operator": "GreaterThanThreshold"}),
                ""
            )),
            vec![c("Standard resolution", Some(0.1))]
        );
        // Two metrics and one expression: 2 × $0.10 = $0.20
        let e = cw(
            "aws_cloudwatch_metric_alarm",
            json!({"metric_query": [
                {"id": "e1", "expression": "m1 + m2"},
                {"id": "m1", "metric": [{"metric_name": "A", "period": 60}]},
                {"id": "m2", "metric": [{"metric_name": "B", "period": 60}]}
            ]}),
            "",
        );
        assert_eq!(costs(&e), vec![c("Standard resolution", Some(0.2))]);
        // Anomaly detection: 3 × $0.10 = $0.30
        let e = cw(
            "aws_cloudwatch_metric_alarm",
            json!({"comparison_operator": "LessThanLowerThreshold", "period": 60}),
            "",
        );
        assert_eq!(
            costs(&e),
            vec![c("Standard resolution anomaly detection", Some(0.3))]
        );
        assert_eq!(e.components[0].unit, "alarms");
    }

    #[test]
    fn high_resolution_and_unknown_period() {
        let e = cw("aws_cloudwatch_metric_alarm", json!({"period": 10}), "");
        assert_eq!(e.components[0].name, "High resolution");
        assert!(matches!(e.components[0].note, Note::PriceNotFound(_)));
        let e = cw(
            "aws_cloudwatch_metric_alarm",
            json!({"period": "(unknown) var.period"}),
            "",
        );
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`period`")));
    }
}
