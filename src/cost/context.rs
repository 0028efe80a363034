//! What a resource family's estimator is given: the resource, its cloud and region, prices
//! (with the user's overrides applied) and the usage the usage file gives it. The helpers
//! build components the same way for every family.

use super::{Component, HOURS_PER_MONTH, Note};
use crate::cost::usage::Usage;
use crate::pricing::{Cloud, Overrides, PriceBook};
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;

pub struct Cx<'a> {
    pub resource: &'a Resource,
    pub cloud: Cloud,
    /// The region prices are looked up in (`us-east-1`, `westeurope`, `us-central1`), or why
    /// it is unknown.
    pub region: Result<String, String>,
    book: &'a PriceBook,
    overrides: &'a Overrides,
    usage: Usage,
    /// The launch template an auto scaling group or node group uses, when it is a resource of
    /// the same project (its instance type prices the group).
    pub launch_template: Option<&'a Resource>,
}

impl<'a> Cx<'a> {
    pub fn new(
        resource: &'a Resource,
        cloud: Cloud,
        book: &'a PriceBook,
        overrides: &'a Overrides,
        usage: Usage,
    ) -> Cx<'a> {
        let region = region_of(resource, cloud);
        Cx {
            resource,
            cloud,
            region,
            book,
            overrides,
            usage,
            launch_template: None,
        }
    }

    /// The price of a product in the resource's region after overrides, and the override
    /// applied; or the note saying why there is none.
    pub fn price(&self, service: &str, product: &str) -> Result<(f64, Option<String>), Note> {
        let region = self
            .region
            .as_deref()
            .map_err(|why| Note::Unknown(why.clone()))?;
        let list = self
            .book
            .get(self.cloud, service, product, region)
            .map(|p| p.usd);
        self.overrides
            .apply(self.cloud, service, product, region, list)
            .ok_or_else(|| {
                Note::PriceNotFound(format!("{} {service} {product} in {region}", self.cloud))
            })
    }

    /// A component with a known monthly quantity.
    pub fn fixed(
        &self,
        name: impl Into<String>,
        unit: &str,
        quantity: f64,
        service: &str,
        product: &str,
    ) -> Component {
        self.priced(
            name.into(),
            unit,
            Some(quantity),
            false,
            false,
            service,
            product,
        )
    }

    /// `count` of something billed every hour of the month (730 hours each).
    pub fn hours(
        &self,
        name: impl Into<String>,
        count: f64,
        service: &str,
        product: &str,
    ) -> Component {
        self.hours_total(name, count * HOURS_PER_MONTH, service, product)
    }

    /// Something billed by the hour for `hours` hours a month (a usage-given `monthly_hrs`).
    pub fn hours_total(
        &self,
        name: impl Into<String>,
        hours: f64,
        service: &str,
        product: &str,
    ) -> Component {
        self.priced(
            name.into(),
            "hours",
            Some(hours),
            true,
            false,
            service,
            product,
        )
    }

    /// A component the price book cannot price by design (why: spot, a GPU, a tier it does not
    /// hold); unknown instead when the region is.
    pub fn not_priced(
        &self,
        name: impl Into<String>,
        unit: &str,
        quantity: Option<f64>,
        hourly: bool,
        why: impl Into<String>,
    ) -> Component {
        let note = match &self.region {
            Err(region) => Note::Unknown(region.clone()),
            Ok(_) => Note::PriceNotFound(why.into()),
        };
        Component {
            name: name.into(),
            unit: unit.to_string(),
            monthly_quantity: quantity,
            price: None,
            hourly,
            usage_based: false,
            note,
            adjustment: None,
        }
    }

    /// A usage-priced component whose monthly quantity is the usage value `key` times `scale`
    /// (e.g. requests per month / 1,000,000); "depends on usage" when the usage file gives none.
    pub fn usage(
        &self,
        name: impl Into<String>,
        unit: &str,
        key: &str,
        scale: f64,
        service: &str,
        product: &str,
    ) -> Component {
        let quantity = self.usage_value(key).map(|v| v * scale);
        self.priced(name.into(), unit, quantity, false, true, service, product)
    }

    /// A usage-priced component whose quantity the family computed (`None`: no usage given).
    pub fn usage_quantity(
        &self,
        name: impl Into<String>,
        unit: &str,
        quantity: Option<f64>,
        service: &str,
        product: &str,
    ) -> Component {
        self.priced(name.into(), unit, quantity, false, true, service, product)
    }

    /// A component whose price depends on a value that is unknown (why).
    pub fn unknown(
        &self,
        name: impl Into<String>,
        unit: &str,
        why: impl Into<String>,
    ) -> Component {
        Component {
            name: name.into(),
            unit: unit.to_string(),
            monthly_quantity: None,
            price: None,
            hourly: false,
            usage_based: false,
            note: Note::Unknown(why.into()),
            adjustment: None,
        }
    }

    /// A number from the usage file for this resource (`monthly_requests`), or a nested one
    /// (`standard.storage_gb` as `["standard", "storage_gb"]`).
    pub fn usage_value(&self, key: &str) -> Option<f64> {
        self.usage.number(&[key])
    }

    /// A string from the usage file for this resource (`operating_system`).
    pub fn usage_text(&self, key: &str) -> Option<&str> {
        self.usage.text(&[key])
    }

    pub fn usage_at(&self, path: &[&str]) -> Option<f64> {
        self.usage.number(path)
    }

    #[allow(clippy::too_many_arguments)]
    fn priced(
        &self,
        name: String,
        unit: &str,
        quantity: Option<f64>,
        hourly: bool,
        usage_based: bool,
        service: &str,
        product: &str,
    ) -> Component {
        let (price, adjustment, mut note) = match self.price(service, product) {
            Ok((p, adj)) => (Some(p), adj, Note::None),
            Err(note) => (None, None, note),
        };
        if note == Note::None && quantity.is_none() {
            note = Note::NeedsUsage;
        }
        Component {
            name,
            unit: unit.to_string(),
            monthly_quantity: quantity,
            price,
            hourly,
            usage_based,
            note,
            adjustment,
        }
    }
}

/// The pricing region of a resource, in the form the price book uses.
fn region_of(r: &Resource, cloud: Cloud) -> Result<String, String> {
    let raw = match &r.provider.region {
        Value::String(s) => s.as_str(),
        Value::Unknown(u) => return Err(format!("the region is unknown: {}", u.reason)),
        _ => match cloud {
            // Azure resources carry their own location; without one there is no price.
            Cloud::Azure => return Err("the resource has no `location`".to_string()),
            _ => return Err("the provider sets no region".to_string()),
        },
    };
    Ok(match cloud {
        Cloud::Aws => raw.to_string(),
        // "West Europe" and "westeurope" are the same region.
        Cloud::Azure => raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect(),
        Cloud::Google => google_region(raw).to_string(),
    })
}

/// `us-central1-a` → `us-central1`; a region stays as it is.
fn google_region(zone_or_region: &str) -> &str {
    match zone_or_region.rsplit_once('-') {
        Some((head, tail)) if head.contains('-') && tail.len() == 1 => head,
        _ => zone_or_region,
    }
}

#[cfg(test)]
mod tests {
    use super::google_region;

    #[test]
    fn google_zones_map_to_regions() {
        assert_eq!(google_region("us-central1-a"), "us-central1");
        assert_eq!(google_region("europe-west4"), "europe-west4");
        assert_eq!(google_region("us-east4-c"), "us-east4");
    }
}
