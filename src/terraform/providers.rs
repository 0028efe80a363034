//! Provider configurations as resources see them: the region (or location) and the
//! `default_tags` each configuration applies, and the stand-ins stackgate gives a few data
//! sources whose answer follows from the configuration alone.

use super::module::{At, ProviderRef};
use super::resource::{Tag, TagSource};
use super::value::Value;
use std::collections::BTreeMap;

/// One evaluated provider configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderState {
    pub r#ref: ProviderRef,
    /// `region` of the configuration (AWS, GCP); Null when it sets none.
    pub region: Value,
    pub zone: Value,
    pub default_tags: BTreeMap<String, Value>,
    /// Why `default_tags` cannot be known as a whole (`tags = var.default_tags`, no value).
    pub default_tags_unknown: Option<String>,
    pub at: At,
}

impl ProviderState {
    /// From the evaluated body of a `provider` block.
    pub fn from_body(r#ref: ProviderRef, body: &Value, at: At) -> ProviderState {
        let get = |k: &str| {
            body.as_map()
                .and_then(|m| m.get(k))
                .cloned()
                .unwrap_or(Value::Null)
        };
        // `default_tags { tags = {...} }` is a nested block: a list of one object.
        let mut default_tags = BTreeMap::new();
        let mut default_tags_unknown = None;
        match get("default_tags") {
            Value::List(blocks) => {
                for b in &blocks {
                    match b.as_map().and_then(|m| m.get("tags")) {
                        Some(Value::Map(tags)) => default_tags.extend(tags.clone()),
                        Some(Value::Unknown(u)) => {
                            default_tags_unknown = Some(u.reason.to_string());
                        }
                        _ => {}
                    }
                }
            }
            Value::Unknown(u) => default_tags_unknown = Some(u.reason.to_string()),
            _ => {}
        }
        ProviderState {
            r#ref,
            region: get("region"),
            zone: get("zone"),
            default_tags,
            default_tags_unknown,
            at,
        }
    }
}

/// The region of a resource: from its provider configuration (AWS, GCP) or its own
/// `location` / `region` / `zone` argument (Azure and GCP resources that set one).
pub fn region_of(
    r#type: &str,
    attributes: &Value,
    provider: Option<&ProviderState>,
    provider_name: &str,
) -> Value {
    let attr = |k: &str| attributes.as_map().and_then(|m| m.get(k)).cloned();
    match provider_name {
        "azurerm" | "azapi" => attr("location").unwrap_or(Value::Null),
        "google" | "google-beta" => attr("region")
            .or_else(|| attr("location"))
            .or_else(|| attr("zone").map(|z| zone_to_region(&z)))
            .or_else(|| {
                provider.map(|p| {
                    if p.region == Value::Null {
                        zone_to_region(&p.zone)
                    } else {
                        p.region.clone()
                    }
                })
            })
            .unwrap_or_else(|| no_region(provider_name, r#type)),
        "aws" => match provider {
            Some(p) if p.region != Value::Null => p.region.clone(),
            _ => no_region(provider_name, r#type),
        },
        _ => attr("region")
            .or_else(|| attr("location"))
            .unwrap_or(Value::Null),
    }
}

fn no_region(provider: &str, ty: &str) -> Value {
    Value::unknown(format!(
        "no `{provider}` provider configuration sets a region for {ty}; Terraform would take it from the environment at run time"
    ))
}

/// `europe-west1-b` → `europe-west1`.
fn zone_to_region(zone: &Value) -> Value {
    match zone {
        Value::String(z) => match z.rsplit_once('-') {
            Some((r, suffix)) if suffix.len() == 1 => Value::string(r),
            _ => zone.clone(),
        },
        other => other.clone(),
    }
}

/// Effective tags: the provider's `default_tags` overlaid by the resource's own `tags` (AWS
/// semantics; other providers have no default tags), each with its source.
pub fn effective_tags(
    attributes: &Value,
    provider: Option<&ProviderState>,
    resource_at: &At,
    module_input: Option<(&str, &At, &std::collections::BTreeSet<String>)>,
) -> BTreeMap<String, Tag> {
    let mut out = BTreeMap::new();
    if let Some(p) = provider {
        for (k, v) in &p.default_tags {
            out.insert(
                k.clone(),
                Tag {
                    value: v.clone(),
                    source: TagSource::ProviderDefault {
                        provider: p.r#ref.key(),
                        file: p.at.file.clone(),
                        line: p.at.line,
                    },
                },
            );
        }
    }
    let own = attributes
        .as_map()
        .and_then(|m| m.get("tags").or_else(|| m.get("labels")));
    if let Some(Value::Map(tags)) = own {
        for (k, v) in tags {
            let source = match module_input {
                // A key not written in the resource itself came through the module's inputs.
                Some((module, call, literal)) if !literal.contains(k) => TagSource::ModuleInput {
                    module: module.to_string(),
                    file: call.file.clone(),
                    line: call.line,
                },
                _ => TagSource::Resource {
                    file: resource_at.file.clone(),
                    line: resource_at.line,
                },
            };
            out.insert(
                k.clone(),
                Tag {
                    value: v.clone(),
                    source,
                },
            );
        }
    }
    out
}

/// Data sources whose answer follows from the provider configuration: their attributes, and a
/// sentence saying what was assumed.
pub fn stand_in(r#type: &str, region: &Value) -> Option<(BTreeMap<String, Value>, String)> {
    let Value::String(region) = region else {
        return None;
    };
    match r#type {
        "aws_region" => Some((
            BTreeMap::from([
                ("name".to_string(), Value::string(region.clone())),
                ("id".to_string(), Value::string(region.clone())),
                ("region".to_string(), Value::string(region.clone())),
            ]),
            format!("aws_region: the provider's configured region, {region}"),
        )),
        "aws_availability_zones" => {
            let names: Vec<Value> = ["a", "b", "c"]
                .iter()
                .map(|s| Value::string(format!("{region}{s}")))
                .collect();
            Some((
                BTreeMap::from([("names".to_string(), Value::List(names))]),
                format!(
                    "aws_availability_zones: three zones assumed in {region} ({region}a, {region}b, {region}c)"
                ),
            ))
        }
        "aws_partition" => Some((
            BTreeMap::from([
                ("partition".to_string(), Value::string(partition(region))),
                (
                    "dns_suffix".to_string(),
                    Value::string(if region.starts_with("cn-") {
                        "amazonaws.com.cn"
                    } else {
                        "amazonaws.com"
                    }),
                ),
            ]),
            format!("aws_partition: the partition of {region}"),
        )),
        _ => None,
    }
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(region: &str) -> ProviderState {
        ProviderState {
            r#ref: ProviderRef::parse("aws"),
            region: Value::string(region),
            zone: Value::Null,
            default_tags: BTreeMap::from([("owner".to_string(), Value::string("platform"))]),
            default_tags_unknown: None,
            at: At {
                file: "p.tf".into(),
                line: 3,
            },
        }
    }

    #[test]
    fn regions_by_provider() {
        let empty = Value::Map(BTreeMap::new());
        assert_eq!(
            region_of("aws_instance", &empty, Some(&state("eu-west-1")), "aws"),
            Value::string("eu-west-1")
        );
        assert!(region_of("aws_instance", &empty, None, "aws").is_unknown());
        let az = Value::Map(BTreeMap::from([(
            "location".to_string(),
            Value::string("westeurope"),
        )]));
        assert_eq!(
            region_of("azurerm_linux_virtual_machine", &az, None, "azurerm"),
            Value::string("westeurope")
        );
        let gz = Value::Map(BTreeMap::from([(
            "zone".to_string(),
            Value::string("europe-west1-b"),
        )]));
        assert_eq!(
            region_of("google_compute_instance", &gz, None, "google"),
            Value::string("europe-west1")
        );
    }

    #[test]
    fn resource_tags_override_defaults_with_sources() {
        let attrs = Value::Map(BTreeMap::from([(
            "tags".to_string(),
            Value::Map(BTreeMap::from([
                ("owner".to_string(), Value::string("team-a")),
                ("Name".to_string(), Value::string("web")),
            ])),
        )]));
        let p = state("eu-west-1");
        let at = At {
            file: "main.tf".into(),
            line: 9,
        };
        let tags = effective_tags(&attrs, Some(&p), &at, None);
        assert_eq!(tags["owner"].value, Value::string("team-a"));
        assert!(matches!(
            tags["owner"].source,
            TagSource::Resource { line: 9, .. }
        ));
        let only_default = effective_tags(&Value::Map(BTreeMap::new()), Some(&p), &at, None);
        assert!(matches!(
            only_default["owner"].source,
            TagSource::ProviderDefault { line: 3, .. }
        ));
    }
}
