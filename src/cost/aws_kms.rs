//! KMS keys: a monthly charge per key and API requests (usage `monthly_requests`), at the
//! rate of the key's spec.

use super::aws_ec2::text_at;
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &["aws_kms_key"];

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    let key = cx.fixed(
        "Customer master key",
        "months",
        1.0,
        "awskms",
        "key/customer",
    );
    // `key_spec` replaced `customer_master_key_spec`; both mean the same.
    let spec = match text_at(r, &["key_spec"]) {
        Ok(None) => text_at(r, &["customer_master_key_spec"]),
        other => other,
    };
    let requests = match spec {
        Ok(spec) => {
            let (name, product) = requests_for(spec.unwrap_or("SYMMETRIC_DEFAULT"));
            requests(cx, name, product)
        }
        Err(why) => cx.unknown("Requests", "10k requests", why),
    };
    Estimate::of(vec![key, requests])
}

/// Symmetric keys are billed at the standard request rate; RSA 2048, other asymmetric and
/// HMAC keys at rates of their own.
fn requests_for(spec: &str) -> (&'static str, &'static str) {
    match spec.to_ascii_uppercase().as_str() {
        "SYMMETRIC_DEFAULT" => ("Requests", "requests"),
        "RSA_2048" => ("Requests (RSA 2048)", "requests/rsa-2048"),
        s if s.starts_with("HMAC") => ("Requests (HMAC)", "requests/hmac"),
        _ => ("Requests (asymmetric)", "requests/asymmetric"),
    }
}

fn requests(cx: &Cx, name: &str, product: &str) -> Component {
    cx.usage(
        name,
        "10k requests",
        "monthly_requests",
        1e-4,
        "awskms",
        product,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (AWS KMS pricing; Infracost's kms golden file): $1.00 a key a
    /// month, $0.03 per 10,000 symmetric requests.
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
awskms key/customer key-month 1.00
awskms requests 10k-requests 0.03
",
        )
    }

    fn kms(attrs: serde_json::Value, usage: &str) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource("aws_kms_key", "us-east-1", attrs),
            &prices(),
            usage,
        )
    }

    #[test]
    fn key_and_requests() {
        // $1.00; 2,000,000 requests = 200 × $0.03 = $6.00
        let usage = "resource_usage:\n  aws_kms_key.this:\n    monthly_requests: 2000000\n";
        assert_eq!(
            costs(&kms(json!({"enable_key_rotation": true}), usage)),
            vec![
                ("Customer master key".to_string(), Some(1.0)),
                ("Requests".to_string(), Some(6.0))
            ]
        );
        let e = kms(json!({}), "");
        assert_eq!(e.components[1].note, Note::NeedsUsage);
        assert_eq!(e.components[1].price, Some(0.03));
    }

    #[test]
    fn asymmetric_and_unknown_specs() {
        let e = kms(json!({"customer_master_key_spec": "RSA_3072"}), "");
        assert_eq!(e.components[1].name, "Requests (asymmetric)");
        assert!(
            matches!(&e.components[1].note, Note::PriceNotFound(k) if k.contains("requests/asymmetric"))
        );
        let e = kms(json!({"key_spec": "(unknown) var.spec"}), "");
        assert!(matches!(&e.components[1].note, Note::Unknown(why) if why.contains("`key_spec`")));
        // The key itself is still priced.
        assert_eq!(e.components[0].monthly_cost(), Some(1.0));
    }
}
