//! `pricing.overrides`: what the organisation really pays. Percentage discounts per cloud or
//! per service (an EDP, a savings plan) and custom prices per product. A custom price beats
//! any discount; the most specific discount applies (service over cloud); discounts do not
//! stack. Every applied override is named in the output.

use super::Cloud;
use crate::finding::Finding;
use crate::policy::fields::Fields;
use crate::yaml::{self, Seg};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub discounts: Vec<Discount>,
    pub prices: Vec<CustomPrice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discount {
    pub cloud: Cloud,
    pub service: Option<String>,
    pub percent: f64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomPrice {
    pub cloud: Cloud,
    pub service: String,
    pub product: String,
    /// `None`: every region.
    pub region: Option<String>,
    pub usd: f64,
    pub reason: Option<String>,
}

/// How an override changed a price, for the output: `-12% (EDP)`, `custom price (private offer)`.
pub type Adjustment = String;

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.discounts.is_empty() && self.prices.is_empty()
    }

    /// The price to use given the list price (`None` when the book has none), and what
    /// changed it. `None` when there is neither a list price nor a custom one.
    pub fn apply(
        &self,
        cloud: Cloud,
        service: &str,
        product: &str,
        region: &str,
        list: Option<f64>,
    ) -> Option<(f64, Option<Adjustment>)> {
        // A regional custom price beats one for every region.
        let custom = self
            .prices
            .iter()
            .filter(|p| p.cloud == cloud && p.service == service && p.product == product)
            .filter(|p| p.region.as_deref().is_none_or(|r| r == region))
            .max_by_key(|p| p.region.is_some());
        if let Some(p) = custom {
            let why = match &p.reason {
                Some(r) => format!("custom price ({r})"),
                None => "custom price".to_string(),
            };
            return Some((p.usd, Some(why)));
        }
        let list = list?;
        let discount = self
            .discounts
            .iter()
            .filter(|d| d.cloud == cloud && d.service.as_deref().is_none_or(|s| s == service))
            .max_by_key(|d| d.service.is_some());
        match discount {
            Some(d) => {
                let pct = crate::terraform::value::format_number(d.percent);
                let why = match &d.reason {
                    Some(r) => format!("-{pct}% ({r})"),
                    None => format!("-{pct}%"),
                };
                Some((list * (1.0 - d.percent / 100.0), Some(why)))
            }
            None => Some((list, None)),
        }
    }

    /// Reads an overrides file; every mistake is a `pricing-invalid` finding on its line, and
    /// the entries that are right still apply.
    pub fn load(file: &str, text: &str) -> (Overrides, Vec<Finding>) {
        let mut out = Overrides::default();
        let mut findings = Vec::new();
        let doc = match yaml::parse_one(text) {
            Ok(doc) => doc,
            Err(e) => {
                findings.push(Finding::new("pricing-invalid", file, e.pos.line, e.message));
                return (out, findings);
            }
        };
        let json = yaml::to_json(&doc.value);
        let Some(top) = json.as_object() else {
            if !json.is_null() {
                findings.push(Finding::new(
                    "pricing-invalid",
                    file,
                    doc.start.line,
                    "a price overrides file is a mapping with `discounts` and `prices`",
                ));
            }
            return (out, findings);
        };
        let mut top_fields = Fields::new(top);
        let _ = top_fields.raw("version");
        let lists = [
            ("discounts", top_fields.raw("discounts")),
            ("prices", top_fields.raw("prices")),
        ];
        for key in top_fields.unknown_keys() {
            findings.push(
                Finding::new(
                    "pricing-invalid",
                    file,
                    doc.line(&[Seg::Key(key.to_string())]),
                    format!("unknown key `{key}`"),
                )
                .help("a price overrides file has `discounts` and `prices`"),
            );
        }
        for (list_key, list) in lists {
            let Some(list) = list else { continue };
            let Some(items) = list.as_array() else {
                findings.push(Finding::new(
                    "pricing-invalid",
                    file,
                    doc.line(&[Seg::Key(list_key.into())]),
                    format!("`{list_key}` must be a list"),
                ));
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let base = vec![Seg::Key(list_key.into()), Seg::Index(i)];
                let Some(obj) = item.as_object() else {
                    findings.push(Finding::new(
                        "pricing-invalid",
                        file,
                        doc.line(&base),
                        format!("each of `{list_key}` is a mapping"),
                    ));
                    continue;
                };
                let mut f = Fields::new(obj);
                let cloud = match f.string("cloud") {
                    Some(c) => match Cloud::parse(&c) {
                        Some(c) => Some(c),
                        None => {
                            f.problem(
                                &["cloud"],
                                format!("unknown cloud `{c}` (aws, azure or google)"),
                            );
                            None
                        }
                    },
                    None => {
                        f.problem(&[], "`cloud` is required (aws, azure or google)");
                        None
                    }
                };
                let service = f.string("service");
                let reason = f.string("reason");
                if list_key == "discounts" {
                    let percent = f.number("percent");
                    match percent {
                        Some(p) if (0.0..=100.0).contains(&p) => {}
                        Some(_) => f.problem(&["percent"], "`percent` is between 0 and 100"),
                        None => f.problem(&[], "a discount needs `percent`"),
                    }
                    if let (Some(cloud), Some(percent), true) =
                        (cloud, percent, f.problems.is_empty())
                    {
                        out.discounts.push(Discount {
                            cloud,
                            service,
                            percent,
                            reason,
                        });
                    }
                } else {
                    let product = f.string("product");
                    let region = f.string("region");
                    let usd = f.number("price");
                    if service.is_none() {
                        f.problem(&[], "a custom price needs `service`");
                    }
                    if product.is_none() {
                        f.problem(
                            &[],
                            "a custom price needs `product` (see `stackgate pricing show`)",
                        );
                    }
                    match usd {
                        Some(p) if p >= 0.0 && p.is_finite() => {}
                        Some(_) => f.problem(&["price"], "`price` is a positive amount of USD"),
                        None => f.problem(&[], "a custom price needs `price` (USD per unit)"),
                    }
                    if let (Some(cloud), Some(service), Some(product), Some(usd), true) =
                        (cloud, service, product, usd, f.problems.is_empty())
                    {
                        out.prices.push(CustomPrice {
                            cloud,
                            service,
                            product,
                            region,
                            usd,
                            reason,
                        });
                    }
                }
                for key in f.unknown_keys() {
                    f.problem(&[key], format!("unknown key `{key}`"));
                }
                for p in &f.problems {
                    let mut path = base.clone();
                    path.extend(p.key.iter().map(|k| Seg::Key(k.clone())));
                    findings.push(Finding::new(
                        "pricing-invalid",
                        file,
                        doc.line(&path),
                        p.message.clone(),
                    ));
                }
            }
        }
        (out, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "discounts:\n  - { cloud: aws, percent: 10, reason: EDP }\n  - { cloud: aws, service: AmazonEC2, percent: 25 }\nprices:\n  - { cloud: aws, service: AmazonEC2, product: instance/linux/m5.large, region: us-east-1, price: 0.05, reason: private offer }\n  - { cloud: azure, percent: 5 }\n  - { cloud: mars, service: X, product: y, price: 1 }\n";

    #[test]
    fn custom_beats_discount_and_specific_beats_general() {
        let (o, findings) = Overrides::load("pricing/overrides.yaml", FILE);
        assert_eq!(findings.len(), 5, "{findings:?}");
        assert!(findings.iter().all(|f| f.code == "pricing-invalid"));
        assert_eq!(
            findings.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![6, 6, 6, 6, 7]
        );
        let m5 = o.apply(
            Cloud::Aws,
            "AmazonEC2",
            "instance/linux/m5.large",
            "us-east-1",
            Some(0.096),
        );
        assert_eq!(
            m5,
            Some((0.05, Some("custom price (private offer)".into())))
        );
        let m5_eu = o
            .apply(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "eu-west-1",
                Some(0.107),
            )
            .unwrap();
        assert!((m5_eu.0 - 0.107 * 0.75).abs() < 1e-12);
        assert_eq!(m5_eu.1.as_deref(), Some("-25%"));
        let rds = o
            .apply(Cloud::Aws, "AmazonRDS", "x", "us-east-1", Some(1.0))
            .unwrap();
        assert_eq!(rds, (0.9, Some("-10% (EDP)".into())));
        assert_eq!(
            o.apply(Cloud::Aws, "AmazonRDS", "x", "us-east-1", None),
            None
        );
        assert_eq!(
            o.apply(Cloud::Google, "S", "p", "r", Some(2.0)),
            Some((2.0, None))
        );
    }
}
