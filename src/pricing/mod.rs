//! The price book: public list prices by cloud, service, product and region, read from the
//! snapshot compiled into the binary or from the local cache `stackgate pricing sync` fills.
//! The text format and the product names are described in `prices/README.md`.

pub mod aws_offer;
pub mod aws_rules;
pub mod azure_retail;
pub mod best;
pub mod book_text;
pub mod cache;
pub mod cache_store;
pub mod http;
pub mod overrides;
pub mod snapshot;
pub mod sync;

use std::collections::HashMap;
use std::fmt;

pub use overrides::{Adjustment, Overrides};

/// The clouds stackgate prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    Aws,
    Azure,
    Google,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [Cloud::Aws, Cloud::Azure, Cloud::Google];

    pub fn name(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Google => "google",
        }
    }

    pub fn parse(s: &str) -> Option<Cloud> {
        Cloud::ALL.into_iter().find(|c| c.name() == s)
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a part of the book came from, shown in every cost output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub cloud: Cloud,
    /// `snapshot` for the built-in prices, or the cache file's path.
    pub origin: String,
    /// When the prices were read (`2026-07-20`).
    pub as_of: String,
    /// What was read (`AWS Price List (bulk offer files)`).
    pub source: String,
}

/// One price: USD per `unit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price<'a> {
    pub usd: f64,
    pub unit: &'a str,
}

#[derive(Debug, Default, Clone)]
struct Row {
    unit: Box<str>,
    by_region: HashMap<Box<str>, f64>,
}

/// Products of one service, by product name.
type Products = HashMap<Box<str>, Row>;

/// Prices keyed by cloud, service and product, then region. Nested maps, so a lookup borrows
/// its keys instead of building them.
#[derive(Debug, Default, Clone)]
pub struct PriceBook {
    pub sections: Vec<Section>,
    clouds: HashMap<Cloud, HashMap<Box<str>, Products>>,
}

/// A region that prices do not depend on (Route 53, global services).
pub const GLOBAL: &str = "global";

impl PriceBook {
    /// Adds one price; a later price for the same key replaces an earlier one.
    pub fn insert(
        &mut self,
        cloud: Cloud,
        service: &str,
        product: &str,
        unit: &str,
        region: &str,
        usd: f64,
    ) {
        let products = self.clouds.entry(cloud).or_default();
        let products = match products.get_mut(service) {
            Some(p) => p,
            None => products.entry(service.into()).or_default(),
        };
        let row = match products.get_mut(product) {
            Some(r) => r,
            None => products.entry(product.into()).or_default(),
        };
        if &*row.unit != unit {
            row.unit = unit.into();
        }
        row.by_region.insert(region.into(), usd);
    }

    /// The list price of a product in a region (or its region-independent price).
    pub fn get(
        &self,
        cloud: Cloud,
        service: &str,
        product: &str,
        region: &str,
    ) -> Option<Price<'_>> {
        let row = self.clouds.get(&cloud)?.get(service)?.get(product)?;
        let usd = row
            .by_region
            .get(region)
            .or_else(|| row.by_region.get(GLOBAL))?;
        Some(Price {
            usd: *usd,
            unit: &row.unit,
        })
    }

    /// Replaces every price of `cloud` with those of `other` (a fresher cache for one cloud).
    pub fn replace_cloud(&mut self, cloud: Cloud, mut other: PriceBook) {
        match other.clouds.remove(&cloud) {
            Some(services) => self.clouds.insert(cloud, services),
            None => self.clouds.remove(&cloud),
        };
        self.sections.retain(|s| s.cloud != cloud);
        self.sections
            .extend(other.sections.into_iter().filter(|s| s.cloud == cloud));
    }

    /// How many prices (product × region) the book holds for a cloud.
    pub fn count(&self, cloud: Cloud) -> usize {
        self.clouds
            .get(&cloud)
            .into_iter()
            .flat_map(|services| services.values())
            .flat_map(|products| products.values())
            .map(|r| r.by_region.len())
            .sum()
    }

    /// Every row of a cloud, sorted: (service, product, unit, region, usd).
    pub fn rows(&self, cloud: Cloud) -> Vec<(&str, &str, &str, &str, f64)> {
        let mut out: Vec<_> = self
            .clouds
            .get(&cloud)
            .into_iter()
            .flat_map(|services| services.iter())
            .flat_map(|(s, products)| products.iter().map(move |(p, row)| (s, p, row)))
            .flat_map(|(s, p, row)| {
                row.by_region
                    .iter()
                    .map(move |(r, usd)| (&**s, &**p, &*row.unit, &**r, *usd))
            })
            .collect();
        out.sort_by(|a, b| (a.0, a.1, a.3).cmp(&(b.0, b.1, b.3)));
        out
    }

    /// "built-in snapshot (aws 2026-07-20, azure 2025-03-02, google 2025-03-02)" or with the
    /// cache's path for clouds read from the cache.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for cloud in Cloud::ALL {
            let sections: Vec<&Section> =
                self.sections.iter().filter(|s| s.cloud == cloud).collect();
            if sections.is_empty() {
                continue;
            }
            let mut dates: Vec<&str> = sections.iter().map(|s| s.as_of.as_str()).collect();
            dates.sort_unstable();
            dates.dedup();
            let when = match (dates.first(), dates.last()) {
                (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
                (Some(a), _) => a.to_string(),
                _ => String::new(),
            };
            let origin = if sections.iter().all(|s| s.origin == "snapshot") {
                "built-in snapshot".to_string()
            } else {
                "cache".to_string()
            };
            parts.push(format!("{cloud} {when} ({origin})"));
        }
        if parts.is_empty() {
            "no prices".to_string()
        } else {
            format!("list prices: {}", parts.join(", "))
        }
    }
}
