//! The Azure Retail Prices API (`GET /api/retail/prices?$filter=…`, no credentials): JSON
//! pages of `Items`, each linking the next in `NextPageLink` until it is null. One query per
//! region reads the virtual machines, another the disks, load balancers, public IPs and AKS.
//!
//! Only pay-as-you-go prices are kept: `type` Consumption (not Reservation nor
//! DevTestConsumption), no Spot or Low Priority meter, the first tier (`tierMinimumUnits` 0),
//! and the region read. `retailPrice` is the list price in USD.

use super::Cloud;
use super::sync::{self, Best, Fetched, Http, SyncError, SyncOptions};
use reqwest::Url;
use serde::Deserialize;
use std::collections::HashSet;

/// Pages read for one query at most (a region's virtual machines fill a few dozen).
pub(crate) const MAX_PAGES: usize = 1000;

/// The book services Azure prices fill.
pub const SERVICES: [&str; 5] = [
    "VirtualMachines",
    "Storage",
    "LoadBalancer",
    "VirtualNetwork",
    "KubernetesService",
];

const DISK_PRODUCTS: [&str; 3] = [
    "Premium SSD Managed Disks",
    "Standard SSD Managed Disks",
    "Standard HDD Managed Disks",
];

/// One query for a region: its `$filter` and the book services it fills.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub label: &'static str,
    pub filter: String,
    pub services: Vec<&'static str>,
}

/// The queries for `region` (a checked `[a-z0-9]` name) and the services `wanted`.
pub(crate) fn queries(region: &str, wanted: impl Fn(&str) -> bool) -> Vec<Query> {
    let mut out = Vec::new();
    let place = format!("armRegionName eq '{region}' and priceType eq 'Consumption'");
    if wanted("VirtualMachines") {
        out.push(Query {
            label: "virtual machines",
            filter: format!("serviceName eq 'Virtual Machines' and {place}"),
            services: vec!["VirtualMachines"],
        });
    }
    let mut terms: Vec<String> = Vec::new();
    let mut services = Vec::new();
    if wanted("Storage") {
        terms.extend(
            DISK_PRODUCTS
                .iter()
                .map(|p| format!("productName eq '{p}'")),
        );
        services.push("Storage");
    }
    if wanted("LoadBalancer") {
        terms.push("serviceName eq 'Load Balancer'".into());
        services.push("LoadBalancer");
    }
    if wanted("VirtualNetwork") {
        terms.push("productName eq 'IP Addresses'".into());
        services.push("VirtualNetwork");
    }
    if wanted("KubernetesService") {
        terms.push("serviceName eq 'Azure Kubernetes Service'".into());
        services.push("KubernetesService");
    }
    if !terms.is_empty() {
        out.push(Query {
            label: "disks and networking",
            filter: format!("{place} and ({})", terms.join(" or ")),
            services,
        });
    }
    out
}

/// The first page's URL under `base`: `$filter=` as the API's documentation writes it, the
/// filter percent-encoded (`%20` for spaces, `%27` for quotes).
pub(crate) fn first_url(base: &Url, filter: &str) -> Result<Url, SyncError> {
    let mut encoded = String::new();
    for b in filter.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    sync::join(base, &format!("/api/retail/prices?$filter={encoded}"))
}

/// The next page. With an endpoint of the user's, a link to another host (a mirror that
/// hands back the API's own links) is read from the endpoint, at the same path and query.
pub(crate) fn next_url(base: &Url, custom: bool, link: &str) -> Result<Url, String> {
    let url = Url::parse(link)
        .or_else(|_| base.join(link))
        .map_err(|e| format!("`NextPageLink` {link:?} is not a URL: {e}"))?;
    if !custom || url.origin() == base.origin() {
        return Ok(url);
    }
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    sync::join(base, &path).map_err(|e| e.to_string())
}

/// One page of the API's answer.
#[derive(Debug, Deserialize)]
pub(crate) struct Page {
    #[serde(rename = "Items", default)]
    pub items: Vec<Item>,
    #[serde(rename = "NextPageLink", default)]
    pub next_page_link: Option<String>,
}

/// The fields of an item that stackgate reads (the API sends more).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Item {
    pub retail_price: Option<f64>,
    pub unit_of_measure: Option<String>,
    pub arm_region_name: Option<String>,
    pub arm_sku_name: Option<String>,
    pub product_name: Option<String>,
    pub sku_name: Option<String>,
    pub meter_name: Option<String>,
    pub service_name: Option<String>,
    #[serde(rename = "type")]
    pub price_type: Option<String>,
    pub tier_minimum_units: Option<f64>,
}

/// An item's place in the price book.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mapped {
    pub service: &'static str,
    pub product: String,
    pub unit: &'static str,
    pub usd: f64,
}

fn s(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("").trim()
}

/// Maps a pay-as-you-go item of `region` to a product, or `None`.
pub(crate) fn map_item(item: &Item, region: &str) -> Option<Mapped> {
    let usd = item.retail_price?;
    let meter = s(&item.meter_name);
    let low = |t: &str| {
        let t = t.to_ascii_lowercase();
        t.contains("spot") || t.contains("low priority")
    };
    let ok = s(&item.price_type) == "Consumption"
        && s(&item.arm_region_name).eq_ignore_ascii_case(region)
        && item.tier_minimum_units.unwrap_or(0.0) == 0.0
        && !low(meter)
        && !low(s(&item.sku_name));
    if !ok {
        return None;
    }
    let unit = s(&item.unit_of_measure);
    let (service, product, book_unit) = match s(&item.service_name) {
        "Virtual Machines" if unit == "1 Hour" => vm(item)?,
        "Storage" => disk(item)?,
        "Load Balancer" => load_balancer(item)?,
        "Virtual Network" if unit == "1 Hour" => public_ip(item)?,
        // The Standard tier's per-cluster fee ("Uptime SLA").
        "Azure Kubernetes Service" if meter == "Standard Uptime SLA" && unit == "1 Hour" => {
            ("KubernetesService", "aks/standard".to_string(), "hour")
        }
        _ => return None,
    };
    Some(Mapped {
        service,
        product,
        unit: book_unit,
        usd,
    })
}

type Target = (&'static str, String, &'static str);

/// `vm/<os>/<armSkuName lower case>`. Linux products end in "Series" (or "Series Linux",
/// "Series Basic"), Windows ones in "Windows"; others (RHEL, SUSE, Cloud Services, promos,
/// dedicated hosts) are left out, as are expired and free meters.
fn vm(item: &Item) -> Option<Target> {
    let product = s(&item.product_name);
    let os = if product.ends_with("Windows") {
        "windows"
    } else if ["Series", "Series Linux", "Series Basic"]
        .iter()
        .any(|e| product.ends_with(e))
    {
        "linux"
    } else {
        return None;
    };
    let meter = s(&item.meter_name).to_ascii_lowercase();
    if meter.ends_with("expired") || meter.ends_with("free") {
        return None;
    }
    let sku = s(&item.arm_sku_name).to_ascii_lowercase();
    if sku.is_empty() || sku.contains(char::is_whitespace) {
        return None;
    }
    Some(("VirtualMachines", format!("vm/{os}/{sku}"), "hour"))
}

/// Managed disks, LRS only: `skuName` "P10 LRS" with `meterName` "P10 LRS Disk" (some
/// Standard HDD meters read "S4 Disks") → `managed-disk/p10`, per disk-month.
fn disk(item: &Item) -> Option<Target> {
    if !DISK_PRODUCTS.contains(&s(&item.product_name)) {
        return None;
    }
    let sku = s(&item.sku_name);
    let tier = sku.strip_suffix(" LRS")?;
    let valid = tier.len() >= 2
        && tier.starts_with(['P', 'E', 'S'])
        && tier[1..].chars().all(|c| c.is_ascii_digit());
    let meter = s(&item.meter_name);
    let rest = meter.strip_prefix(tier)?.trim();
    let disk_meter = matches!(rest, "LRS Disk" | "LRS Disks" | "Disk" | "Disks");
    let monthly = matches!(s(&item.unit_of_measure), "1/Month" | "1 Month");
    (valid && disk_meter && monthly).then(|| {
        let product = format!("managed-disk/{}", tier.to_ascii_lowercase());
        ("Storage", product, "disk-month")
    })
}

/// Standard load balancer: rules (the first five are one price, each further one another)
/// per hour, and data processed per GB.
fn load_balancer(item: &Item) -> Option<Target> {
    if s(&item.sku_name) != "Standard" {
        return None;
    }
    let meter = s(&item.meter_name);
    let unit = s(&item.unit_of_measure);
    let (product, book_unit) = if meter.ends_with("Included LB Rules and Outbound Rules") {
        ("lb/standard/rule", "hour")
    } else if meter.ends_with("Overage LB Rules and Outbound Rules") {
        ("lb/standard/overage-rule", "hour")
    } else if meter.ends_with("Data Processed") && unit == "1 GB" {
        return Some(("LoadBalancer", "lb/standard/data".into(), "GB"));
    } else {
        return None;
    };
    (unit == "1 Hour").then(|| ("LoadBalancer", product.to_string(), book_unit))
}

/// Public IPv4 addresses: `meterName` "<Standard|Basic> IPv4 <Static|Dynamic> Public IP"
/// → `public-ip/<sku>/<allocation>`, per hour.
fn public_ip(item: &Item) -> Option<Target> {
    if s(&item.product_name) != "IP Addresses" {
        return None;
    }
    let meter = s(&item.meter_name).to_ascii_lowercase();
    let words: Vec<&str> = meter.split_whitespace().collect();
    match words.as_slice() {
        [
            sku @ ("standard" | "basic"),
            "ipv4",
            alloc @ ("static" | "dynamic"),
            "public",
            "ip",
        ] => Some(("VirtualNetwork", format!("public-ip/{sku}/{alloc}"), "hour")),
        _ => None,
    }
}

/// Reads every page of every query for `regions`.
pub(crate) fn fetch(
    opts: &SyncOptions,
    http: &Http,
    regions: &[String],
    progress: &mut dyn FnMut(&str),
) -> Result<Fetched, SyncError> {
    let base = sync::endpoint(opts.azure_endpoint.as_deref(), sync::AZURE_ENDPOINT)?;
    let custom = opts.azure_endpoint.is_some();
    let mut best = Best::default();
    let mut covered = HashSet::new();
    let mut notes = Vec::new();
    for region in regions {
        let queries = queries(region, |name| sync::wanted(opts, &[name]));
        if queries.is_empty() {
            return Err(SyncError::NoServices {
                cloud: Cloud::Azure,
                given: opts.services.clone(),
            });
        }
        let before = best.len();
        for q in queries {
            read_pages(http, &base, custom, &q, region, &mut best, progress)?;
            for name in q.services {
                covered.insert((name.to_string(), region.clone()));
            }
        }
        if best.len() == before {
            let note = format!("{region}: no price found (is it an Azure region?)");
            progress(&format!("azure: {note}"));
            notes.push(note);
        }
    }
    let mut source = "Azure Retail Prices API".to_string();
    if custom {
        source.push_str(&format!(" via {}", base.as_str().trim_end_matches('/')));
    }
    Ok(Fetched {
        best,
        covered,
        as_of: sync::today(opts),
        versions: Vec::new(),
        source,
        notes,
    })
}

fn read_pages(
    http: &Http,
    base: &Url,
    custom: bool,
    q: &Query,
    region: &str,
    best: &mut Best,
    progress: &mut dyn FnMut(&str),
) -> Result<(), SyncError> {
    let mut url = first_url(base, &q.filter)?;
    let mut seen = HashSet::new();
    for page_no in 1.. {
        progress(&format!("azure: {region}: {} page {page_no}", q.label));
        let page: Page = http.get(&url, sync::read_json)?;
        for item in &page.items {
            if let Some(m) = map_item(item, region).filter(|m| q.services.contains(&m.service)) {
                best.offer(m.service, m.product, m.unit, region, m.usd);
            }
        }
        let Some(link) = page.next_page_link.filter(|l| !l.trim().is_empty()) else {
            return Ok(());
        };
        let format = |message: String| SyncError::Format {
            url: url.to_string(),
            message,
        };
        let next = next_url(base, custom, &link).map_err(format)?;
        // A list that links back to a page already read would never end.
        if !seen.insert(next.to_string()) || page_no >= MAX_PAGES {
            return Err(format(format!("`NextPageLink` does not end ({link})")));
        }
        url = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> Item {
        serde_json::from_str(json).unwrap()
    }

    const D2S: &str = r#"{"currencyCode":"USD","tierMinimumUnits":0.0,"retailPrice":0.096,"unitPrice":0.096,
        "armRegionName":"eastus","location":"US East","effectiveStartDate":"2021-06-01T00:00:00Z",
        "meterId":"m1","meterName":"D2s v3","productId":"DZH318Z0BQ4L","skuId":"DZH318Z0BQ4L/00QX",
        "productName":"Virtual Machines DSv3 Series","skuName":"D2s v3","serviceName":"Virtual Machines",
        "serviceId":"DZH313Z7MMC8","serviceFamily":"Compute","unitOfMeasure":"1 Hour","type":"Consumption",
        "isPrimaryMeterRegion":true,"armSkuName":"Standard_D2s_v3"}"#;

    #[test]
    fn virtual_machines_by_os_and_sku() {
        let m = map_item(&item(D2S), "eastus").unwrap();
        assert_eq!(
            (m.service, m.product.as_str(), m.unit, m.usd),
            ("VirtualMachines", "vm/linux/standard_d2s_v3", "hour", 0.096)
        );
        let win = D2S
            .replace("DSv3 Series\"", "DSv3 Series Windows\"")
            .replace("0.096", "0.188");
        let m = map_item(&item(&win), "eastus").unwrap();
        assert_eq!(
            (m.product.as_str(), m.usd),
            ("vm/windows/standard_d2s_v3", 0.188)
        );
        // Another region's item, Spot and Low Priority meters, reservations, dev/test prices.
        assert!(map_item(&item(D2S), "westeurope").is_none());
        for (from, to) in [
            ("\"meterName\":\"D2s v3\"", "\"meterName\":\"D2s v3 Spot\""),
            (
                "\"skuName\":\"D2s v3\"",
                "\"skuName\":\"D2s v3 Low Priority\"",
            ),
            ("\"Consumption\"", "\"Reservation\""),
            ("\"Consumption\"", "\"DevTestConsumption\""),
            ("DSv3 Series\"", "DSv3 Series Cloud Services\""),
            ("\"tierMinimumUnits\":0.0", "\"tierMinimumUnits\":5.0"),
        ] {
            assert!(
                map_item(&item(&D2S.replace(from, to)), "eastus").is_none(),
                "{to}"
            );
        }
    }

    #[test]
    fn disks_load_balancers_public_ips_and_aks() {
        let cases = [
            (
                r#"{"retailPrice":19.71,"armRegionName":"eastus","serviceName":"Storage","productName":"Premium SSD Managed Disks","skuName":"P10 LRS","meterName":"P10 LRS Disk","unitOfMeasure":"1/Month","type":"Consumption"}"#,
                Some(("Storage", "managed-disk/p10", "disk-month")),
            ),
            (
                r#"{"retailPrice":24.64,"armRegionName":"eastus","serviceName":"Storage","productName":"Premium SSD Managed Disks","skuName":"P10 ZRS","meterName":"P10 ZRS Disk","unitOfMeasure":"1/Month","type":"Consumption"}"#,
                None,
            ),
            (
                r#"{"retailPrice":1.18,"armRegionName":"eastus","serviceName":"Storage","productName":"Premium SSD Managed Disks","skuName":"P10 LRS","meterName":"P10 LRS Disk Mount","unitOfMeasure":"1/Month","type":"Consumption"}"#,
                None,
            ),
            (
                r#"{"retailPrice":0.025,"armRegionName":"eastus","serviceName":"Load Balancer","productName":"Load Balancer","skuName":"Standard","meterName":"Standard Included LB Rules and Outbound Rules","unitOfMeasure":"1 Hour","type":"Consumption"}"#,
                Some(("LoadBalancer", "lb/standard/rule", "hour")),
            ),
            (
                r#"{"retailPrice":0.005,"armRegionName":"eastus","serviceName":"Load Balancer","productName":"Load Balancer","skuName":"Standard","meterName":"Standard Data Processed","unitOfMeasure":"1 GB","type":"Consumption"}"#,
                Some(("LoadBalancer", "lb/standard/data", "GB")),
            ),
            (
                r#"{"retailPrice":0.005,"armRegionName":"eastus","serviceName":"Virtual Network","productName":"IP Addresses","skuName":"Standard","meterName":"Standard IPv4 Static Public IP","unitOfMeasure":"1 Hour","type":"Consumption"}"#,
                Some(("VirtualNetwork", "public-ip/standard/static", "hour")),
            ),
            (
                r#"{"retailPrice":0.1,"armRegionName":"eastus","serviceName":"Azure Kubernetes Service","productName":"Azure Kubernetes Service","skuName":"Standard","meterName":"Standard Uptime SLA","unitOfMeasure":"1 Hour","type":"Consumption"}"#,
                Some(("KubernetesService", "aks/standard", "hour")),
            ),
        ];
        for (json, want) in cases {
            let got = map_item(&item(json), "eastus");
            let got = got
                .as_ref()
                .map(|m| (m.service, m.product.as_str(), m.unit));
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn queries_follow_the_services_asked_for() {
        let all = queries("westeurope", |_| true);
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].filter,
            "serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope' and priceType eq 'Consumption'"
        );
        assert!(
            all[1]
                .filter
                .contains("(productName eq 'Premium SSD Managed Disks' or ")
        );
        assert_eq!(all[1].services.len(), 4);
        let lb = queries("westeurope", |s| s == "LoadBalancer");
        assert_eq!(lb.len(), 1);
        assert!(
            lb[0]
                .filter
                .ends_with("and (serviceName eq 'Load Balancer')"),
            "{}",
            lb[0].filter
        );
    }

    #[test]
    fn next_links_stay_on_a_custom_endpoint() {
        let base = Url::parse("http://127.0.0.1:9000/azure").unwrap();
        let link = "https://prices.azure.com:443/api/retail/prices?$filter=x&$skip=1000";
        assert_eq!(
            next_url(&base, true, link).unwrap().as_str(),
            "http://127.0.0.1:9000/azure/api/retail/prices?$filter=x&$skip=1000"
        );
        let own = "http://127.0.0.1:9000/azure/api/retail/prices?$skip=2";
        assert_eq!(next_url(&base, true, own).unwrap().as_str(), own);
        let public = Url::parse("https://prices.azure.com").unwrap();
        assert_eq!(
            next_url(&public, false, link).unwrap().as_str(),
            link.replace(":443", "")
        );
        let first = first_url(&public, "serviceName eq 'Load Balancer'").unwrap();
        assert_eq!(
            first.as_str(),
            "https://prices.azure.com/api/retail/prices?$filter=serviceName%20eq%20%27Load%20Balancer%27"
        );
    }
}
