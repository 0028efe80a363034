//! Building resources and price books in family tests without evaluating Terraform.

use super::families::Estimate;
use super::usage::UsageFile;
use super::{Component, Cx};
use crate::pricing::{Cloud, Overrides, PriceBook, book_text};
use crate::terraform::module::Mode;
use crate::terraform::resource::{ProviderInfo, Resource};
use crate::terraform::value::Value;

/// A resource of `resource_type` in `region` with attributes from JSON (`null` region: none;
/// a string starting with `(unknown)` becomes an unknown value with that reason).
pub fn resource(resource_type: &str, region: &str, attributes: serde_json::Value) -> Resource {
    Resource {
        address: format!("{resource_type}.this"),
        mode: Mode::Managed,
        r#type: resource_type.to_string(),
        name: "this".to_string(),
        index: None,
        module: String::new(),
        provider: ProviderInfo {
            name: resource_type
                .split('_')
                .next()
                .unwrap_or_default()
                .to_string(),
            alias: None,
            region: to_value(&serde_json::Value::String(region.to_string())),
        },
        attributes: to_value(&attributes),
        tags: Default::default(),
        tags_unknown: None,
        file: "main.tf".to_string(),
        line: 1,
        call_chain: Vec::new(),
        stand_in: None,
    }
}

fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::String(s) if s.starts_with("(unknown)") => {
            Value::unknown(s.trim_start_matches("(unknown)").trim())
        }
        serde_json::Value::Array(items) => Value::List(items.iter().map(to_value).collect()),
        serde_json::Value::Object(m) => {
            Value::Map(m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
        other => Value::from_json(other),
    }
}

/// A price book from the snapshot text format (see `prices/README.md`).
pub fn book(text: &str) -> PriceBook {
    let mut book = PriceBook::default();
    book_text::parse_into(&mut book, "test", text).expect("test price book parses");
    book
}

/// Runs an estimator on a resource with a book and an optional usage file (YAML text).
pub fn run(
    estimate: fn(&Cx) -> Estimate,
    cloud: Cloud,
    r: &Resource,
    book: &PriceBook,
    usage_yaml: &str,
) -> Estimate {
    let (usage, findings) = UsageFile::load("infracost-usage.yml", usage_yaml);
    assert!(findings.is_empty(), "{findings:?}");
    let overrides = Overrides::default();
    let cx = Cx::new(
        r,
        cloud,
        book,
        &overrides,
        usage.for_resource(&r.address, &r.r#type),
    );
    estimate(&cx)
}

/// The components of an estimate (and its subresources) as `(name, monthly cost)` rounded to
/// the cent, for assertions.
pub fn costs(e: &Estimate) -> Vec<(String, Option<f64>)> {
    let round = |c: &Component| c.monthly_cost().map(|v| (v * 100.0).round() / 100.0);
    e.components
        .iter()
        .map(|c| (c.name.clone(), round(c)))
        .chain(e.subresources.iter().flat_map(|(sub, cs)| {
            cs.iter()
                .map(move |c| (format!("{sub}: {}", c.name), round(c)))
        }))
        .collect()
}
