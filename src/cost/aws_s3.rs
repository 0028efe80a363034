//! S3 buckets: everything is usage, per storage class, with Infracost's usage keys
//! (`standard: {storage_gb, monthly_tier_1_requests, monthly_tier_2_requests}`, …).

use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_s3_bucket"];

/// Infracost's storage classes: usage key, name, the book's storage class, and the usage key
/// of its stored GB.
const CLASSES: &[(&str, &str, &str, &str)] = &[
    (
        "intelligent_tiering",
        "Intelligent tiering",
        "INTELLIGENT_TIERING",
        "frequent_access_storage_gb",
    ),
    (
        "standard_infrequent_access",
        "Standard - infrequent access",
        "STANDARD_IA",
        "storage_gb",
    ),
    (
        "one_zone_infrequent_access",
        "One zone - infrequent access",
        "ONEZONE_IA",
        "storage_gb",
    ),
    (
        "glacier_flexible_retrieval",
        "Glacier flexible retrieval",
        "GLACIER",
        "storage_gb",
    ),
    (
        "glacier_deep_archive",
        "Glacier deep archive",
        "DEEP_ARCHIVE",
        "storage_gb",
    ),
];

/// Standard storage is always shown ("depends on usage" without any); another class when the
/// usage file gives it. The book prices requests at Standard's rates only, so other classes
/// show their storage.
pub fn estimate(cx: &Cx) -> Estimate {
    let mut subresources = vec![("Standard".to_string(), standard(cx))];
    for (key, name, class, storage_key) in CLASSES {
        if let Some(gb) = cx.usage_at(&[key, storage_key]) {
            let storage_name = if *key == "intelligent_tiering" {
                "Storage (frequent access)"
            } else {
                "Storage"
            };
            subresources.push((
                name.to_string(),
                vec![cx.usage_quantity(
                    storage_name,
                    "GB",
                    Some(gb),
                    "AmazonS3",
                    &format!("storage/{class}"),
                )],
            ));
        }
    }
    Estimate {
        components: Vec::new(),
        subresources,
    }
}

fn standard(cx: &Cx) -> Vec<Component> {
    let thousands = |key: &str| cx.usage_at(&["standard", key]).map(|n| n / 1000.0);
    vec![
        cx.usage_quantity(
            "Storage",
            "GB",
            cx.usage_at(&["standard", "storage_gb"]),
            "AmazonS3",
            "storage/STANDARD",
        ),
        cx.usage_quantity(
            "PUT, COPY, POST, LIST requests",
            "1k requests",
            thousands("monthly_tier_1_requests"),
            "AmazonS3",
            "requests/put",
        ),
        cx.usage_quantity(
            "GET, SELECT, and all other requests",
            "1k requests",
            thousands("monthly_tier_2_requests"),
            "AmazonS3",
            "requests/get",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (REFERENCE.md; Infracost's s3_bucket golden file).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonS3 storage/STANDARD GB-month 0.023
AmazonS3 storage/STANDARD_IA GB-month 0.0125
AmazonS3 storage/GLACIER GB-month 0.0036
AmazonS3 requests/put 1k-requests 0.005
AmazonS3 requests/get 1k-requests 0.0004
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn bucket(usage: &str) -> Estimate {
        let r = resource("aws_s3_bucket", "us-east-1", json!({"bucket": "data"}));
        run(estimate, Cloud::Aws, &r, &prices(), usage)
    }

    #[test]
    fn without_usage_standard_depends_on_usage() {
        let e = bucket("");
        assert_eq!(e.subresources.len(), 1);
        assert!(
            e.subresources[0]
                .1
                .iter()
                .all(|c| c.note == Note::NeedsUsage && c.usage_based)
        );
        assert_eq!(e.subresources[0].1[0].price, Some(0.023));
    }

    #[test]
    fn standard_and_other_classes_from_usage() {
        // Standard: 10,000 GB × $0.023 = $230.00; 1,000,000 PUTs = 1,000 × $0.005 = $5.00;
        // 100,000 GETs = 100 × $0.0004 = $0.04. IA: 30,000 GB × $0.0125 = $375.00;
        // Glacier flexible retrieval: 50,000 GB × $0.0036 = $180.00
        let usage = "resource_usage:
  aws_s3_bucket.this:
    standard:
      storage_gb: 10000
      monthly_tier_1_requests: 1000000
      monthly_tier_2_requests: 100000
    standard_infrequent_access:
      storage_gb: 30000
    glacier_flexible_retrieval:
      storage_gb: 50000
";
        assert_eq!(
            costs(&bucket(usage)),
            vec![
                c("Standard: Storage", Some(230.0)),
                c("Standard: PUT, COPY, POST, LIST requests", Some(5.0)),
                c("Standard: GET, SELECT, and all other requests", Some(0.04)),
                c("Standard - infrequent access: Storage", Some(375.0)),
                c("Glacier flexible retrieval: Storage", Some(180.0)),
            ]
        );
    }

    #[test]
    fn a_class_missing_from_the_book_is_not_found() {
        let usage = "resource_usage:\n  aws_s3_bucket.this:\n    glacier_deep_archive:\n      storage_gb: 100\n";
        let e = bucket(usage);
        assert_eq!(e.subresources[1].0, "Glacier deep archive");
        assert!(
            matches!(&e.subresources[1].1[0].note, Note::PriceNotFound(k) if k.contains("storage/DEEP_ARCHIVE"))
        );
    }
}
