//! `stackgate pricing sync`: reads the providers' public, credential-free price lists and
//! writes the prices stackgate knows (`prices/README.md`) to the local cache, one file per
//! cloud (`cache.rs`). AWS: the bulk offer files (`aws_offer.rs`); Azure: the Retail Prices
//! API (`azure_retail.rs`). Google's catalog needs an API key and is not synced.
//!
//! Everything is blocking and streamed: an EC2 offer file runs to hundreds of MB and only the
//! rows that map to a product are kept.

use super::aws_offer::{self, OFFERS, Offer, OfferMeta};
use super::azure_retail;
use super::cache_store::{self, Block};
use super::{Cloud, GLOBAL};
use reqwest::Url;
use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// Kept under their former paths (`sync::Http`, `sync::ReadError`) for the lists' readers.
pub(crate) use super::best::Best;
pub use super::http::ReadError;
pub(crate) use super::http::{Http, endpoint, join, read_json};

/// The AWS Price List bulk API.
pub const AWS_ENDPOINT: &str = "https://pricing.us-east-1.amazonaws.com";
/// The Azure Retail Prices API.
pub const AZURE_ENDPOINT: &str = "https://prices.azure.com";

/// Regions synced when none is named: the built-in snapshot's, so that a cache file, which
/// replaces the snapshot's prices of its cloud, covers the same regions.
#[rustfmt::skip]
pub const AWS_DEFAULT_REGIONS: &[&str] = &[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ap-northeast-1", "ap-northeast-2", "sa-east-1",
];
#[rustfmt::skip]
pub const AZURE_DEFAULT_REGIONS: &[&str] = &[
    "eastus", "eastus2", "westus2", "centralus", "southcentralus", "northeurope", "westeurope",
    "uksouth", "francecentral", "germanywestcentral", "switzerlandnorth", "canadacentral",
    "australiaeast", "japaneast", "southeastasia", "centralindia", "brazilsouth",
];

/// What to sync and where.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Empty: AWS and Azure (those the named regions belong to, when regions are named).
    pub clouds: Vec<Cloud>,
    /// Empty: the default regions of each cloud. AWS region codes have dashes (`eu-west-1`),
    /// Azure's do not (`westeurope`), which is how a mixed list is shared out.
    pub regions: Vec<String>,
    /// Replaces `AWS_ENDPOINT` (a mirror, or a test server).
    pub aws_endpoint: Option<String>,
    /// Replaces `AZURE_ENDPOINT`.
    pub azure_endpoint: Option<String>,
    pub cache_dir: PathBuf,
    /// Empty: every service. Otherwise AWS offer codes or book service names (`AmazonEC2`,
    /// `AmazonS3`) and Azure book service names (`VirtualMachines`, `Storage`), any case.
    pub services: Vec<String>,
    /// The `@as-of` date of lists that carry no publication date (Azure); today (UTC) if unset.
    pub as_of: Option<String>,
    /// How long a connection, or a read in a response, may stall.
    pub timeout: Duration,
    /// Further tries after a transient failure (5xx, 429, a connection reset).
    pub retries: u32,
    /// The wait before the first retry; it doubles at each further one.
    pub retry_delay: Duration,
}

impl SyncOptions {
    pub fn new(cache_dir: PathBuf) -> SyncOptions {
        SyncOptions {
            clouds: Vec::new(),
            regions: Vec::new(),
            aws_endpoint: None,
            azure_endpoint: None,
            cache_dir,
            services: Vec::new(),
            as_of: None,
            timeout: Duration::from_secs(60),
            retries: 3,
            retry_delay: Duration::from_millis(500),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SyncReport {
    pub clouds: Vec<CloudReport>,
}

/// What one cloud's sync read and wrote.
#[derive(Debug, Clone)]
pub struct CloudReport {
    pub cloud: Cloud,
    /// Prices (product × region) read from the list now.
    pub prices: usize,
    /// Prices kept from the previous cache file (or, on a first sync, from the built-in
    /// snapshot): those of the regions and services not synced this time.
    pub kept: usize,
    pub regions: Vec<String>,
    /// The offers' latest publication date (AWS) or the day of the sync (Azure).
    pub as_of: String,
    /// The list versions read (`AmazonEC2 20260729234248`); Azure's list has none.
    pub versions: Vec<String>,
    /// The `@source` line written.
    pub source: String,
    pub file: PathBuf,
    /// What was skipped and why, and cache warnings.
    pub notes: Vec<String>,
}

impl SyncReport {
    /// One line per cloud, for the command's output.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for c in &self.clouds {
            out.push_str(&format!(
                "{}: {} prices in {} region(s), as of {}{} -> {}\n",
                c.cloud,
                c.prices,
                c.regions.len(),
                c.as_of,
                if c.kept > 0 {
                    format!(", {} kept from the previous cache", c.kept)
                } else {
                    String::new()
                },
                c.file.display()
            ));
        }
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("GET {url}: HTTP {status}{}", tries(*attempts))]
    Status {
        url: String,
        status: u16,
        attempts: u32,
    },
    #[error("GET {url}: {message}{}", tries(*attempts))]
    Transport {
        url: String,
        message: String,
        attempts: u32,
    },
    #[error("{url}: {message}")]
    Format { url: String, message: String },
    #[error("{cloud} has no price list for region `{region}` (not in {url})")]
    UnknownRegion {
        cloud: Cloud,
        region: String,
        url: String,
    },
    #[error("`{region}` is not a {cloud} region name")]
    BadRegion { cloud: Cloud, region: String },
    #[error("none of the regions {given:?} is an {clouds} region")]
    NoRegions { clouds: String, given: Vec<String> },
    #[error("no {cloud} service matches {given:?}")]
    NoServices { cloud: Cloud, given: Vec<String> },
    #[error("{cloud} prices cannot be synced: {why}")]
    Unsupported { cloud: Cloud, why: String },
    #[error("no {cloud} price found in {regions:?}; the cache is left as it was")]
    NoPrices { cloud: Cloud, regions: Vec<String> },
    #[error("`{url}` is not a usable endpoint: {message}")]
    Endpoint { url: String, message: String },
    #[error("HTTP client: {0}")]
    Client(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn tries(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} tries)")
    } else {
        String::new()
    }
}

/// Refreshes the cache from the public lists. `progress` gets one line per step.
///
/// Clouds are synced one after the other and each one's file is written as soon as it is
/// read: an error in a later cloud leaves the earlier ones' files in place.
pub fn sync(opts: &SyncOptions, progress: &mut dyn FnMut(&str)) -> Result<SyncReport, SyncError> {
    let plan = plan(opts)?;
    let http = Http::new(opts)?;
    let mut report = SyncReport { clouds: Vec::new() };
    for (cloud, regions) in plan {
        let read = match cloud {
            Cloud::Aws => sync_aws(opts, &http, &regions, progress)?,
            Cloud::Azure => azure_retail::fetch(opts, &http, &regions, progress)?,
            Cloud::Google => return Err(google_unsupported()),
        };
        report
            .clouds
            .push(store(opts, cloud, regions, read, progress)?);
    }
    Ok(report)
}

fn google_unsupported() -> SyncError {
    SyncError::Unsupported {
        cloud: Cloud::Google,
        why: "the Cloud Billing Catalog needs an API key".into(),
    }
}

/// Which clouds, with which regions, checked before anything is fetched.
fn plan(opts: &SyncOptions) -> Result<Vec<(Cloud, Vec<String>)>, SyncError> {
    let explicit = !opts.clouds.is_empty();
    let mut clouds: Vec<Cloud> = if explicit {
        opts.clouds.clone()
    } else {
        vec![Cloud::Aws, Cloud::Azure]
    };
    let mut seen = Vec::new();
    clouds.retain(|c| {
        let first = !seen.contains(c);
        seen.push(*c);
        first
    });
    let mut out = Vec::new();
    for cloud in clouds {
        if cloud == Cloud::Google {
            return Err(google_unsupported());
        }
        let regions = regions_for(opts, cloud)?;
        if regions.is_empty() {
            if explicit {
                return Err(SyncError::NoRegions {
                    clouds: cloud.to_string(),
                    given: opts.regions.clone(),
                });
            }
            continue;
        }
        out.push((cloud, regions));
    }
    if out.is_empty() {
        return Err(SyncError::NoRegions {
            clouds: "aws or azure".into(),
            given: opts.regions.clone(),
        });
    }
    Ok(out)
}

fn regions_for(opts: &SyncOptions, cloud: Cloud) -> Result<Vec<String>, SyncError> {
    let defaults = match cloud {
        Cloud::Aws => AWS_DEFAULT_REGIONS,
        Cloud::Azure => AZURE_DEFAULT_REGIONS,
        Cloud::Google => &[],
    };
    if opts.regions.is_empty() {
        return Ok(defaults.iter().map(|r| r.to_string()).collect());
    }
    let mut out: Vec<String> = Vec::new();
    for r in &opts.regions {
        let r = r.trim().to_ascii_lowercase();
        let dashed = r.contains('-');
        if (cloud == Cloud::Aws) != dashed {
            continue;
        }
        // Region names go into URL paths and OData filters: nothing but letters, digits, dashes.
        if r.is_empty() || !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(SyncError::BadRegion { cloud, region: r });
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// One of `names` is in `SyncOptions::services` (an empty list selects every service).
pub(crate) fn wanted(opts: &SyncOptions, names: &[&str]) -> bool {
    opts.services.is_empty()
        || opts
            .services
            .iter()
            .any(|s| names.iter().any(|n| n.eq_ignore_ascii_case(s.trim())))
}

/// What one cloud's lists gave: the prices, the (service, region) pairs they cover, and
/// where they came from.
pub(crate) struct Fetched {
    pub(crate) best: Best,
    pub(crate) covered: HashSet<(String, String)>,
    pub(crate) as_of: String,
    pub(crate) versions: Vec<String>,
    pub(crate) source: String,
    pub(crate) notes: Vec<String>,
}

fn store(
    opts: &SyncOptions,
    cloud: Cloud,
    regions: Vec<String>,
    read: Fetched,
    progress: &mut dyn FnMut(&str),
) -> Result<CloudReport, SyncError> {
    let prices = read.best.len();
    if prices == 0 {
        return Err(SyncError::NoPrices { cloud, regions });
    }
    let mut notes = read.notes;
    let fresh = Block {
        as_of: read.as_of.clone(),
        source: read.source.clone(),
        book: read.best.into_book(cloud),
    };
    let fallback = cache_store::snapshot_blocks(cloud);
    let (file, kept) = cache_store::store(
        &opts.cache_dir,
        cloud,
        fresh,
        &read.covered,
        fallback,
        &mut notes,
    )?;
    progress(&format!(
        "{cloud}: {prices} prices written to {}",
        file.display()
    ));
    Ok(CloudReport {
        cloud,
        prices,
        kept,
        regions,
        as_of: read.as_of,
        versions: read.versions,
        source: read.source,
        file,
        notes,
    })
}

fn sync_aws(
    opts: &SyncOptions,
    http: &Http,
    regions: &[String],
    progress: &mut dyn FnMut(&str),
) -> Result<Fetched, SyncError> {
    let base = endpoint(opts.aws_endpoint.as_deref(), AWS_ENDPOINT)?;
    let offers: Vec<&Offer> = OFFERS
        .iter()
        .filter(|o| wanted(opts, &[&[o.code], o.services].concat()))
        .collect();
    if offers.is_empty() {
        return Err(SyncError::NoServices {
            cloud: Cloud::Aws,
            given: opts.services.clone(),
        });
    }
    let mut best = Best::default();
    let mut covered = HashSet::new();
    let mut metas: Vec<OfferMeta> = Vec::new();
    let mut notes = Vec::new();
    for offer in offers {
        if offer.global {
            let url = join(
                &base,
                &format!("/offers/v1.0/aws/{}/current/index.csv", offer.code),
            )?;
            let meta = read_offer(http, &url, offer, GLOBAL, &mut best, progress)?;
            metas.push(meta);
            cover(&mut covered, offer, GLOBAL);
            continue;
        }
        let index_url = join(
            &base,
            &format!("/offers/v1.0/aws/{}/current/region_index.json", offer.code),
        )?;
        let index: serde_json::Value = match http.get(&index_url, read_json) {
            Ok(v) => v,
            Err(SyncError::Status { status: 404, .. }) if offer.optional => {
                notes.push(format!(
                    "{}: no region index at {index_url}; skipped",
                    offer.code
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        for region in regions {
            let path = match aws_offer::region_offer_path(&index, offer.code, region) {
                Ok(Some(p)) => p,
                Ok(None) if offer.code == "AmazonEC2" => {
                    return Err(SyncError::UnknownRegion {
                        cloud: Cloud::Aws,
                        region: region.clone(),
                        url: index_url.to_string(),
                    });
                }
                Ok(None) => {
                    let note = format!("{}: no price list for {region}; skipped", offer.code);
                    progress(&format!("aws: {note}"));
                    notes.push(note);
                    continue;
                }
                Err(message) => {
                    return Err(SyncError::Format {
                        url: index_url.to_string(),
                        message,
                    });
                }
            };
            let url = join(&base, &path)?;
            let meta = read_offer(http, &url, offer, region, &mut best, progress)?;
            metas.push(meta);
            cover(&mut covered, offer, region);
        }
    }
    let as_of = metas
        .iter()
        .filter_map(|m| m.publication_date.get(..10))
        .max()
        .map(str::to_string)
        .unwrap_or_else(|| today(opts));
    let mut versions: Vec<String> = metas
        .iter()
        .filter(|m| !m.version.is_empty())
        .map(|m| format!("{} {}", m.offer_code, m.version))
        .collect();
    versions.sort();
    versions.dedup();
    let mut source = "AWS Price List (bulk offer files)".to_string();
    if opts.aws_endpoint.is_some() {
        source.push_str(&format!(" via {}", base.as_str().trim_end_matches('/')));
    }
    Ok(Fetched {
        best,
        covered,
        as_of,
        versions,
        source,
        notes,
    })
}

fn cover(covered: &mut HashSet<(String, String)>, offer: &Offer, region: &str) {
    for s in offer.services {
        covered.insert((s.to_string(), region.to_string()));
    }
}

fn read_offer(
    http: &Http,
    url: &Url,
    offer: &Offer,
    region: &str,
    best: &mut Best,
    progress: &mut dyn FnMut(&str),
) -> Result<OfferMeta, SyncError> {
    progress(&format!("aws: {} {region}: {url}", offer.code));
    // Each try starts from an empty set of prices: a body cut short is read again whole.
    let (meta, part) = http.get(url, |body| {
        let mut part = Best::default();
        let mut tick = |rows: u64| progress(&format!("aws: {} {region}: {rows} rows", offer.code));
        let meta = aws_offer::read_offer(body, offer, region, &mut part, &mut tick)?;
        Ok((meta, part))
    })?;
    progress(&format!(
        "aws: {} {region}: {} rows, {} prices (version {})",
        offer.code,
        meta.rows,
        part.len(),
        if meta.version.is_empty() {
            "?"
        } else {
            &meta.version
        }
    ));
    best.merge(part);
    Ok(meta)
}

pub(crate) fn today(opts: &SyncOptions) -> String {
    if let Some(d) = opts
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        return d.to_string();
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = crate::terraform::functions::datetime::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_shared_out_by_their_form() {
        let mut o = SyncOptions::new(PathBuf::from("/nonexistent"));
        o.regions = vec!["eu-west-1".into(), "WestEurope".into(), "eu-west-1".into()];
        assert_eq!(regions_for(&o, Cloud::Aws).unwrap(), vec!["eu-west-1"]);
        assert_eq!(regions_for(&o, Cloud::Azure).unwrap(), vec!["westeurope"]);
        let p = plan(&o).unwrap();
        assert_eq!(p.len(), 2);

        o.regions = vec!["eu-west-1".into()];
        let p = plan(&o).unwrap();
        assert_eq!(p, vec![(Cloud::Aws, vec!["eu-west-1".to_string()])]);

        o.clouds = vec![Cloud::Azure];
        let e = plan(&o).unwrap_err();
        assert!(e.to_string().contains("none of the regions"), "{e}");

        o.clouds = vec![Cloud::Aws];
        o.regions = vec!["eu-west-1/../x".into()];
        assert!(matches!(plan(&o), Err(SyncError::BadRegion { .. })));

        o.clouds = vec![Cloud::Google];
        o.regions = vec![];
        let e = plan(&o).unwrap_err();
        assert!(e.to_string().contains("API key"), "{e}");

        o.clouds = vec![];
        let p = plan(&o).unwrap();
        assert_eq!(p[0].1.len(), AWS_DEFAULT_REGIONS.len());
        assert_eq!(p[1].1.len(), AZURE_DEFAULT_REGIONS.len());
    }

    #[test]
    fn services_match_offer_codes_and_book_names_in_any_case() {
        let mut o = SyncOptions::new(PathBuf::new());
        assert!(wanted(&o, &["AmazonEC2"]));
        o.services = vec!["amazons3".into()];
        assert!(wanted(&o, &["AmazonS3GlacierDeepArchive", "AmazonS3"]));
        assert!(!wanted(&o, &["AmazonEC2"]));
    }

    #[test]
    fn errors_name_the_url_the_status_and_the_tries() {
        let e = SyncError::Status {
            url: "https://x/y".into(),
            status: 503,
            attempts: 4,
        };
        assert_eq!(e.to_string(), "GET https://x/y: HTTP 503 (after 4 tries)");
        let e = SyncError::Status {
            url: "https://x/y".into(),
            status: 404,
            attempts: 1,
        };
        assert_eq!(e.to_string(), "GET https://x/y: HTTP 404");
    }

    #[test]
    fn as_of_is_given_or_today() {
        let mut o = SyncOptions::new(PathBuf::new());
        o.as_of = Some("2026-11-22".into());
        assert_eq!(today(&o), "2026-11-22");
        o.as_of = None;
        let t = today(&o);
        assert_eq!(t.len(), 10);
        assert!(t.as_str() > "2025-01-01", "{t}");
    }
}
