//! Lambda functions: requests and compute duration (GB-seconds), both usage.

use super::aws_ec2::{number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_lambda_function"];

const DEFAULT_MEMORY_MB: f64 = 128.0;
/// Ephemeral storage up to 512 MB is included.
const FREE_EPHEMERAL_MB: f64 = 512.0;

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let requests = cx.usage_value("monthly_requests");
    let mut out = vec![cx.usage_quantity(
        "Requests",
        "1M requests",
        requests.map(|n| n / 1e6),
        "AWSLambda",
        "requests",
    )];
    let arch = match text_at(r, &["architectures", "0"]) {
        Ok(a) => a.unwrap_or("x86_64"),
        Err(why) => {
            out.push(cx.unknown("Duration", "GB-seconds", why));
            return Estimate::of(out);
        }
    };
    let memory_mb = match number_at(r, &["memory_size"]) {
        Ok(m) => m.unwrap_or(DEFAULT_MEMORY_MB),
        Err(why) => {
            out.push(cx.unknown("Duration", "GB-seconds", why));
            return Estimate::of(out);
        }
    };
    // Duration is billed by the millisecond, rounded up.
    let seconds = cx
        .usage_value("request_duration_ms")
        .map(|ms| ms.ceil() / 1000.0);
    let gb_seconds = requests
        .zip(seconds)
        .map(|(n, s)| n * s * memory_mb / 1024.0);
    out.extend(duration(cx, arch, gb_seconds));
    match number_at(r, &["ephemeral_storage", "0", "size"]) {
        Ok(Some(mb)) if mb > FREE_EPHEMERAL_MB => {
            let extra_gb = (mb - FREE_EPHEMERAL_MB) / 1024.0;
            let storage = requests.zip(seconds).map(|(n, s)| n * s * extra_gb);
            out.push(cx.usage_quantity(
                "Ephemeral storage",
                "GB-seconds",
                storage,
                "AWSLambda",
                &format!("ephemeral-storage/{arch}"),
            ));
        }
        Ok(_) => {}
        Err(why) => out.push(cx.unknown("Ephemeral storage", "GB-seconds", why)),
    }
    Estimate::of(out)
}

/// Duration in AWS's tiers of GB-seconds a month (x86: 6 billion, then 9 billion more; Arm:
/// 7.5 billion, then 11.25 billion more), named as Infracost names them.
fn duration(cx: &Cx, arch: &str, gb_seconds: Option<f64>) -> Vec<Component> {
    let (first, next, names) = if arch == "arm64" {
        (
            7.5e9,
            11.25e9,
            [
                "Duration (first 7.5B)",
                "Duration (next 11.25B)",
                "Duration (over 18.75B)",
            ],
        )
    } else {
        (
            6e9,
            9e9,
            [
                "Duration (first 6B)",
                "Duration (next 9B)",
                "Duration (over 15B)",
            ],
        )
    };
    let product = format!("duration/{arch}");
    let Some(total) = gb_seconds else {
        return vec![cx.usage_quantity(names[0], "GB-seconds", None, "AWSLambda", &product)];
    };
    let tiers = [
        total.min(first),
        (total - first).clamp(0.0, next),
        (total - first - next).max(0.0),
    ];
    let products = [
        product.clone(),
        format!("{product}/tier2"),
        format!("{product}/tier3"),
    ];
    tiers
        .iter()
        .zip(names)
        .zip(products)
        .enumerate()
        .filter(|(i, ((gb_s, _), _))| *i == 0 || **gb_s > 0.0)
        .map(|(_, ((gb_s, name), product))| {
            cx.usage_quantity(name, "GB-seconds", Some(*gb_s), "AWSLambda", &product)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (AWS Lambda pricing; Infracost's lambda golden file).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AWSLambda requests 1M-requests 0.20
AWSLambda duration/x86_64 GB-second 0.0000166667
AWSLambda duration/arm64 GB-second 0.0000133334
",
        )
    }

    fn c(name: &str, cost: Option<f64>) -> (String, Option<f64>) {
        (name.to_string(), cost)
    }

    fn lambda(attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource("aws_lambda_function", "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    const USAGE: &str = "resource_usage:\n  aws_lambda_function.this:\n    monthly_requests: 100000\n    request_duration_ms: 500\n";

    #[test]
    fn requests_and_duration() {
        // 0.1M requests × $0.20 = $0.02; 100,000 × 0.5 s × 512/1024 GB = 25,000 GB-s ×
        // $0.0000166667 = $0.4166675 → $0.42
        let e = lambda(json!({"memory_size": 512}), USAGE);
        assert_eq!(
            costs(&e),
            vec![
                c("Requests", Some(0.02)),
                c("Duration (first 6B)", Some(0.42))
            ]
        );
        assert_eq!(e.components[1].monthly_quantity, Some(25_000.0));
    }

    #[test]
    fn default_memory_and_arm() {
        // 128 MB: 100,000 × 0.5 × 0.125 = 6,250 GB-s × $0.0000133334 = $0.0833 → $0.08
        let e = lambda(json!({"architectures": ["arm64"]}), USAGE);
        assert_eq!(
            costs(&e),
            vec![
                c("Requests", Some(0.02)),
                c("Duration (first 7.5B)", Some(0.08))
            ]
        );
        assert_eq!(e.components[1].monthly_quantity, Some(6_250.0));
    }

    #[test]
    fn without_usage_both_depend_on_usage() {
        let e = lambda(json!({}), "");
        assert_eq!(
            costs(&e),
            vec![c("Requests", None), c("Duration (first 6B)", None)]
        );
        assert!(e.components.iter().all(|c| c.note == Note::NeedsUsage));
        // Requests alone do not make a duration.
        let e = lambda(
            json!({}),
            "resource_usage:\n  aws_lambda_function.this:\n    monthly_requests: 1000000\n",
        );
        assert_eq!(
            costs(&e),
            vec![c("Requests", Some(0.2)), c("Duration (first 6B)", None)]
        );
    }

    #[test]
    fn duration_beyond_the_first_tier() {
        // 9,000M requests × 1 s × 1 GB = 9B GB-s: 6B × $0.0000166667 = $100,000.20; the
        // 3B of the next tier have no price in this book.
        let usage = "resource_usage:\n  aws_lambda_function.this:\n    monthly_requests: 9000000000\n    request_duration_ms: 1000\n";
        let e = lambda(json!({"memory_size": 1024}), usage);
        assert_eq!(costs(&e)[1], c("Duration (first 6B)", Some(100_000.2)));
        assert_eq!(e.components[2].name, "Duration (next 9B)");
        assert_eq!(e.components[2].monthly_quantity, Some(3e9));
        assert!(matches!(e.components[2].note, Note::PriceNotFound(_)));
        assert_eq!(e.components.len(), 3);
    }

    #[test]
    fn unknown_memory() {
        let e = lambda(json!({"memory_size": "(unknown) var.memory"}), USAGE);
        assert!(
            matches!(&e.components[1].note, Note::Unknown(why) if why.contains("`memory_size`"))
        );
    }
}
