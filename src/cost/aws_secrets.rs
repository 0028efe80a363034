//! Secrets Manager: a monthly charge per secret and API requests (usage `monthly_requests`).

use super::Cx;
use super::families::Estimate;

pub const TYPES: &[&str] = &["aws_secretsmanager_secret"];

pub fn estimate(cx: &Cx) -> Estimate {
    Estimate::of(vec![
        cx.fixed("Secret", "months", 1.0, "AWSSecretsManager", "secret"),
        cx.usage(
            "API requests",
            "10k requests",
            "monthly_requests",
            1e-4,
            "AWSSecretsManager",
            "api",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::Cloud;
    use serde_json::json;

    /// us-east-1 list prices (AWS Secrets Manager pricing): $0.40 a secret a month, $0.05 per
    /// 10,000 API calls.
    const PRICES: &str = "@cloud aws
@regions us-east-1
AWSSecretsManager secret secret-month 0.40
AWSSecretsManager api 10k-requests 0.05
";

    #[test]
    fn secret_and_requests() {
        // $0.40; 1,000,000 requests = 100 × $0.05 = $5.00
        let r = resource(
            "aws_secretsmanager_secret",
            "us-east-1",
            json!({"name": "db"}),
        );
        let usage =
            "resource_usage:\n  aws_secretsmanager_secret.this:\n    monthly_requests: 1000000\n";
        let e = run(estimate, Cloud::Aws, &r, &book(PRICES), usage);
        assert_eq!(
            costs(&e),
            vec![
                ("Secret".to_string(), Some(0.4)),
                ("API requests".to_string(), Some(5.0))
            ]
        );
        let e = run(estimate, Cloud::Aws, &r, &book(PRICES), "");
        assert_eq!(e.components[1].note, Note::NeedsUsage);
    }

    #[test]
    fn unknown_region_is_never_priced() {
        let mut r = resource("aws_secretsmanager_secret", "us-east-1", json!({}));
        r.provider.region =
            crate::terraform::value::Value::unknown("variable `region` has no value");
        let e = run(estimate, Cloud::Aws, &r, &book(PRICES), "");
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("region")));
        assert_eq!(e.components[0].monthly_cost(), None);
    }
}
