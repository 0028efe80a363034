//! `kind: region`: where resources may run. Every resource whose provider has a region (AWS,
//! GCP) or a location (Azure) is checked against `allow` / `deny` globs, through provider
//! aliases and module provider mappings, as the Terraform evaluation resolved them. Stack
//! instance values that set a region (`aws_region`, `location`, `*_region`) are checked too.

use super::fields::Fields;
use super::glob::Globs;
use super::{Verdict, explain::KindDoc};
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

#[derive(Debug)]
pub struct Region {
    allow: Option<Globs>,
    deny: Option<Globs>,
}

pub const DOC: KindDoc = KindDoc {
    kind: "region",
    summary: "where resources may run: allowed and denied regions or locations",
    fields: &[
        (
            "allow",
            "globs of allowed regions (`eu-*`, `westeurope`); a region must match one",
        ),
        ("deny", "globs of denied regions; checked after `allow`"),
    ],
    details: "Applies to every managed resource whose provider has a region (AWS `region`, GCP \
`region`/`zone`) or a location (Azure `location` on the resource), following provider aliases and \
the `providers` mapping of module calls. Data sources are not checked. A region that cannot be \
resolved (a variable without a value) yields `policy-unknown` at the `on_unknown` level. Stack \
instance values whose key names a region (`region`, `location`, `*_region`, `*_location`) are \
checked directly, at the value's line.",
    example: "- id: allowed-regions\n  kind: region\n  level: deny\n  allow: [eu-west-1, eu-west-3, westeurope]",
};

impl Region {
    pub fn parse(f: &mut Fields) -> Option<Region> {
        let allow = f.globs("allow");
        let deny = f.globs("deny");
        if allow.is_none() && deny.is_none() && f.problems.is_empty() {
            f.problem(&[], "a region policy needs `allow`, `deny` or both");
        }
        Some(Region { allow, deny })
    }

    pub fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        match &r.provider.region {
            // Azure accepts display names (`West Europe`) for the short name `westeurope`.
            Value::String(region) if r.provider.name == "azurerm" => {
                out.extend(self.check_region(&azure_short_name(region)));
            }
            Value::String(region) => out.extend(self.check_region(region)),
            Value::Unknown(u) => out.push(Verdict::Unknown {
                message: format!(
                    "the region of provider `{}` is unknown: {}",
                    r.provider.name, u.reason
                ),
            }),
            _ => {}
        }
    }

    pub fn check_region(&self, region: &str) -> Option<Verdict> {
        if let Some(allow) = &self.allow {
            if !allow.is_match(region) {
                return Some(
                    Verdict::violation(format!("region `{region}` is not allowed"))
                        .with_value(region)
                        .with_help(format!("allowed regions: {}", allow.describe())),
                );
            }
        }
        if let Some(deny) = &self.deny {
            if deny.is_match(region) {
                return Some(
                    Verdict::violation(format!("region `{region}` is denied"))
                        .with_value(region)
                        .with_help(format!("denied regions: {}", deny.describe())),
                );
            }
        }
        None
    }
}

/// `West Europe` → `westeurope`, the form Azure lists locations by.
fn azure_short_name(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a form or instance key names a region (`aws_region`, `module.net.location`,
/// `region_primary`).
pub fn is_region_key(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    super::key_names_one_of(key, &["region", "location"])
        || last
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("region_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_display_names_become_short_names() {
        assert_eq!(azure_short_name("West Europe"), "westeurope");
        assert_eq!(azure_short_name("francecentral"), "francecentral");
    }

    #[test]
    fn region_keys() {
        for k in [
            "aws_region",
            "region",
            "location",
            "module.vpc.region",
            "gcp_region",
        ] {
            assert!(is_region_key(k), "{k}");
        }
        for k in ["instance_type", "regional", "bucket_name"] {
            assert!(!is_region_key(k), "{k}");
        }
    }
}
