//! AWS Price List bulk offer files in their CSV form: one file is read as a stream (an EC2
//! file runs to hundreds of MB, so only rows that map to a product are kept) and its
//! on-demand rows are mapped to the products of `prices/README.md`.
//!
//! A file starts with five metadata rows (`"FormatVersion","v1.0"`, `"Disclaimer",…`,
//! `"Publication Date","2026-07-29T23:42:48Z"`, `"Version","20260729234248"`,
//! `"OfferCode","AmazonEC2"`), then the header row (`"SKU","OfferTermCode","RateCode",
//! "TermType",…`), then one row per SKU, term and price dimension. Columns are found by
//! name, so a file with more or fewer columns still reads.
//!
//! Every mapping (`aws_rules.rs`) first requires (`Row::list_price`): `TermType` OnDemand, USD,
//! the first price tier (`StartingRange` 0), and for regional offers `Location Type` "AWS
//! Region" and `Region Code` the region read (local zones, Wavelength and Outposts rows share
//! the files). Usage types are compared without their region prefix (`EUW1-`, `USE1-`,
//! `eu-central-1-`).

use super::aws_rules::map_row;
use super::sync::{Best, ReadError};
use super::{Cloud, PriceBook};
use csv::{ByteRecord, ReaderBuilder};
use std::io::{BufReader, Read};

/// An offer (one AWS service's price list) that stackgate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// The offer code in the bulk API's paths.
    pub code: &'static str,
    /// The book services its rows fill: syncing the offer replaces them in the cache.
    pub services: &'static [&'static str],
    /// Route 53 prices do not depend on the region: the whole offer file is read once and its
    /// prices go under `global`.
    pub global: bool,
    /// Not published under every name everywhere: a missing region index is a note.
    pub optional: bool,
}

const fn offer(code: &'static str, services: &'static [&'static str]) -> Offer {
    Offer {
        code,
        services,
        global: false,
        optional: false,
    }
}

/// The offers read, in order.
pub const OFFERS: &[Offer] = &[
    offer("AmazonEC2", &["AmazonEC2"]),
    offer("AmazonVPC", &["AmazonVPC"]),
    offer("AmazonRDS", &["AmazonRDS"]),
    offer("AWSELB", &["AWSELB"]),
    offer("AmazonEKS", &["AmazonEKS"]),
    offer("AmazonElastiCache", &["AmazonElastiCache"]),
    offer("AmazonS3", &["AmazonS3"]),
    // Deep Archive storage may be listed under an offer of its own; a missing one is a note.
    Offer {
        optional: true,
        ..offer("AmazonS3GlacierDeepArchive", &["AmazonS3"])
    },
    offer("AWSLambda", &["AWSLambda"]),
    offer("AmazonCloudWatch", &["AmazonCloudWatch"]),
    Offer {
        global: true,
        ..offer("AmazonRoute53", &["AmazonRoute53"])
    },
    offer("awskms", &["awskms"]),
    offer("AWSSecretsManager", &["AWSSecretsManager"]),
];

/// What the metadata rows say, and how much was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferMeta {
    pub offer_code: String,
    pub version: String,
    /// `2026-07-29T23:42:48Z`.
    pub publication_date: String,
    /// Data rows read (every term).
    pub rows: u64,
    /// Rows that gave a price (before the smallest one per product is kept).
    pub matched: u64,
}

/// The path of a region's CSV offer file from a `region_index.json`
/// (`{"regions": {"eu-west-1": {"regionCode", "currentVersionUrl": ".../index.json"}}}`);
/// `None` when the offer has no list for the region.
pub(crate) fn region_offer_path(
    index: &serde_json::Value,
    code: &str,
    region: &str,
) -> Result<Option<String>, String> {
    let regions = index
        .get("regions")
        .ok_or("a region index without `regions`")?;
    // An object keyed by region; the savings-plan indexes use a list of the same entries.
    let entry = match regions {
        serde_json::Value::Object(m) => m.get(region),
        serde_json::Value::Array(a) => a
            .iter()
            .find(|e| e.get("regionCode").and_then(|c| c.as_str()) == Some(region)),
        _ => return Err("`regions` is neither an object nor a list".into()),
    };
    let Some(entry) = entry else {
        return Ok(None);
    };
    let url = entry
        .get("currentVersionUrl")
        .or_else(|| entry.get("versionUrl"))
        .and_then(|u| u.as_str());
    Ok(Some(match url {
        Some(u) => match u.strip_suffix(".json") {
            Some(stem) => format!("{stem}.csv"),
            None => u.to_string(),
        },
        None => format!("/offers/v1.0/aws/{code}/current/{region}/index.csv"),
    }))
}

/// Maps one offer file (offer `code`, read for `region`) to price book rows: what `sync` does
/// with each file it fetches, for a file at hand.
pub fn read_offer_file(
    input: impl Read,
    code: &str,
    region: &str,
) -> Result<(OfferMeta, PriceBook), ReadError> {
    let offer = OFFERS
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| ReadError::Format(format!("`{code}` is not an offer stackgate reads")))?;
    let mut best = Best::default();
    let meta = read_offer(input, offer, region, &mut best, &mut |_| {})?;
    Ok((meta, best.into_book(Cloud::Aws)))
}

/// Rows between progress ticks.
const TICK: u64 = 250_000;
/// Metadata rows tolerated before the header (five in every file seen).
const MAX_META_ROWS: usize = 20;

/// Reads one offer file and offers every price it maps to `best` (under `region`, or
/// `global` for a global offer). `tick` is told the row count now and then.
pub(crate) fn read_offer(
    input: impl Read,
    offer: &Offer,
    region: &str,
    best: &mut Best,
    tick: &mut dyn FnMut(u64),
) -> Result<OfferMeta, ReadError> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, input));
    let mut meta = OfferMeta::default();
    let mut record = ByteRecord::new();
    let mut seen = 0;
    let cols = loop {
        if seen > MAX_META_ROWS {
            return Err(ReadError::Format(format!(
                "no header row (`SKU`, `TermType`, …) in the first {MAX_META_ROWS} rows"
            )));
        }
        if !reader.read_byte_record(&mut record).map_err(csv_error)? {
            return Err(ReadError::Format(
                "the file ends before its header row".into(),
            ));
        }
        seen += 1;
        let key = text(record.get(0)).trim_start_matches('\u{feff}');
        if key == "SKU" {
            break Cols::new(&record)?;
        }
        let value = text(record.get(1)).to_string();
        match key {
            "Publication Date" => meta.publication_date = value,
            "Version" => meta.version = value,
            "OfferCode" => meta.offer_code = value,
            _ => {}
        }
    };
    if meta.offer_code.is_empty() {
        meta.offer_code = offer.code.to_string();
    }
    let place = if offer.global { super::GLOBAL } else { region };
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        meta.rows += 1;
        if meta.rows % TICK == 0 {
            tick(meta.rows);
        }
        let row = Row {
            rec: &record,
            cols: &cols,
        };
        let Some(usd) = row.list_price(offer, region) else {
            continue;
        };
        let Some(m) = map_row(offer.code, &row) else {
            continue;
        };
        meta.matched += 1;
        best.offer(m.service, m.product, m.unit, place, scaled(usd, m.factor));
    }
    Ok(meta)
}

fn csv_error(e: csv::Error) -> ReadError {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return ReadError::Io(io);
        }
        return ReadError::Format("an I/O error".into());
    }
    ReadError::Format(format!("not a CSV offer file: {e}"))
}

fn text(field: Option<&[u8]>) -> &str {
    field
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("")
        .trim()
}

/// A list price times `factor` (a price per request given per million requests):
/// rounded to 12 decimals so 0.0000002 × 1,000,000 is 0.2, not 0.19999999999999998.
fn scaled(usd: f64, factor: f64) -> f64 {
    if factor == 1.0 {
        usd
    } else {
        (usd * factor * 1e12).round() / 1e12
    }
}

/// The header's column positions.
pub(super) struct Cols {
    pub(super) term: usize,
    pub(super) price: usize,
    pub(super) unit: Option<usize>,
    pub(super) currency: Option<usize>,
    pub(super) start: Option<usize>,
    pub(super) family: Option<usize>,
    pub(super) location_type: Option<usize>,
    pub(super) region_code: Option<usize>,
    pub(super) usage: Option<usize>,
    pub(super) instance_type: Option<usize>,
    pub(super) tenancy: Option<usize>,
    pub(super) os: Option<usize>,
    pub(super) license: Option<usize>,
    pub(super) pre_sw: Option<usize>,
    pub(super) capacity: Option<usize>,
    pub(super) market: Option<usize>,
    pub(super) volume_api: Option<usize>,
    pub(super) volume_type: Option<usize>,
    pub(super) group: Option<usize>,
    pub(super) group_desc: Option<usize>,
    pub(super) db_engine: Option<usize>,
    pub(super) db_edition: Option<usize>,
    pub(super) deployment: Option<usize>,
    pub(super) deployment_model: Option<usize>,
    pub(super) cache_engine: Option<usize>,
    pub(super) alarm_type: Option<usize>,
}

impl Cols {
    fn new(header: &ByteRecord) -> Result<Cols, ReadError> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| text(Some(h)).eq_ignore_ascii_case(name))
        };
        let need = |name: &str| {
            find(name)
                .ok_or_else(|| ReadError::Format(format!("the header has no `{name}` column")))
        };
        Ok(Cols {
            term: need("TermType")?,
            price: need("PricePerUnit")?,
            unit: find("Unit"),
            currency: find("Currency"),
            start: find("StartingRange"),
            family: find("Product Family"),
            location_type: find("Location Type"),
            region_code: find("Region Code"),
            usage: find("usageType"),
            instance_type: find("Instance Type"),
            tenancy: find("Tenancy"),
            os: find("Operating System"),
            license: find("License Model"),
            pre_sw: find("Pre Installed S/W"),
            capacity: find("CapacityStatus"),
            market: find("MarketOption"),
            volume_api: find("Volume API Name"),
            volume_type: find("Volume Type"),
            group: find("Group"),
            group_desc: find("Group Description"),
            db_engine: find("Database Engine"),
            db_edition: find("Database Edition"),
            deployment: find("Deployment Option"),
            deployment_model: find("Deployment Model"),
            cache_engine: find("Cache Engine"),
            alarm_type: find("Alarm Type"),
        })
    }
}

pub(super) struct Row<'a> {
    rec: &'a ByteRecord,
    pub(super) cols: &'a Cols,
}

impl Row<'_> {
    /// A column's value, trimmed; "" when the column or the value is missing.
    pub(super) fn at(&self, col: Option<usize>) -> &str {
        text(col.and_then(|i| self.rec.get(i)))
    }

    /// The usage type without its region prefix.
    pub(super) fn usage(&self) -> &str {
        base_usage(self.at(self.cols.usage))
    }

    /// The row's price if it is an on-demand, USD, first-tier price of the region read.
    fn list_price(&self, offer: &Offer, region: &str) -> Option<f64> {
        if self.at(Some(self.cols.term)) != "OnDemand" {
            return None;
        }
        let currency = self.at(self.cols.currency);
        if !currency.is_empty() && currency != "USD" {
            return None;
        }
        let start = self.at(self.cols.start);
        if !start.is_empty() && start.parse::<f64>().ok() != Some(0.0) {
            return None;
        }
        if !offer.global {
            let location = self.at(self.cols.location_type);
            if !location.is_empty() && location != "AWS Region" {
                return None;
            }
            let code = self.at(self.cols.region_code);
            if !code.is_empty() && code != region {
                return None;
            }
        }
        self.at(Some(self.cols.price))
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && *p >= 0.0)
    }
}

/// `EUW1-BoxUsage:m5.large` → `BoxUsage:m5.large`. A prefix is an upper-case code with a
/// digit (`EUW1`, `USE2`, `APN1`), eu-west-1's old `EU`, or a region code (`eu-central-1`,
/// used by KMS); `KMS-Keys` or `NatGateway-Hours` keep their first part.
fn base_usage(usage: &str) -> &str {
    for (i, _) in usage.match_indices('-') {
        let head = &usage[..i];
        let code = head.len() <= 6
            && head
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (head.chars().any(|c| c.is_ascii_digit()) || head == "EU");
        let region = head.split('-').count() >= 3
            && head
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && head.ends_with(|c: char| c.is_ascii_digit());
        if code || region {
            return &usage[i + 1..];
        }
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_prefixes_come_off_usage_types() {
        assert_eq!(base_usage("EUW1-BoxUsage:m5.large"), "BoxUsage:m5.large");
        assert_eq!(base_usage("BoxUsage:m5.large"), "BoxUsage:m5.large");
        assert_eq!(base_usage("EU-NatGateway-Hours"), "NatGateway-Hours");
        assert_eq!(base_usage("eu-central-1-KMS-Keys"), "KMS-Keys");
        assert_eq!(base_usage("KMS-Keys"), "KMS-Keys");
        assert_eq!(base_usage("NatGateway-Hours"), "NatGateway-Hours");
        assert_eq!(
            base_usage("USE1-TimedStorage-SIA-ByteHrs"),
            "TimedStorage-SIA-ByteHrs"
        );
        // A local zone keeps its zone part, so it never matches a regional usage type.
        assert_eq!(
            base_usage("USE1-MIA1-BoxUsage:t3.medium"),
            "MIA1-BoxUsage:t3.medium"
        );
    }

    #[test]
    fn region_index_gives_the_csv_of_the_current_version() {
        let index: serde_json::Value = serde_json::from_str(
            r#"{"formatVersion":"v1.0","publicationDate":"2026-07-29T23:42:48Z","regions":{
              "us-east-1":{"regionCode":"us-east-1","currentVersionUrl":"/offers/v1.0/aws/AmazonEC2/20260729234248/us-east-1/index.json"},
              "eu-west-1":{"regionCode":"eu-west-1"}}}"#,
        )
        .unwrap();
        assert_eq!(
            region_offer_path(&index, "AmazonEC2", "us-east-1")
                .unwrap()
                .as_deref(),
            Some("/offers/v1.0/aws/AmazonEC2/20260729234248/us-east-1/index.csv")
        );
        assert_eq!(
            region_offer_path(&index, "AmazonEC2", "eu-west-1")
                .unwrap()
                .as_deref(),
            Some("/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.csv")
        );
        assert_eq!(
            region_offer_path(&index, "AmazonEC2", "mars-1").unwrap(),
            None
        );
        let e = region_offer_path(&serde_json::json!({}), "AmazonEC2", "us-east-1").unwrap_err();
        assert!(e.contains("regions"), "{e}");
    }

    #[test]
    fn scaled_prices_lose_their_binary_noise() {
        assert_eq!(scaled(0.0000002, 1e6), 0.2);
        assert_eq!(scaled(0.000005, 1e3), 0.005);
        assert_eq!(scaled(0.000003, 1e4), 0.03);
        assert_eq!(scaled(40.96, 1.0 / 1024.0), 0.04);
        assert_eq!(scaled(0.0000166667, 1.0), 0.0000166667);
    }

    const META: &str = "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"This pricing list is for informational purposes only.\"\n\"Publication Date\",\"2026-07-29T23:42:48Z\"\n\"Version\",\"20260729234248\"\n\"OfferCode\",\"AmazonEKS\"\n";

    #[test]
    fn metadata_rows_then_header_then_rows() {
        let csv = format!(
            "{META}\"SKU\",\"TermType\",\"StartingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"Location Type\",\"Region Code\",\"usageType\"\n\
             \"A\",\"OnDemand\",\"0\",\"Hours\",\"0.1000000000\",\"USD\",\"AWS Region\",\"eu-west-1\",\"EU-AmazonEKS-Hours:perCluster\"\n\
             \"B\",\"OnDemand\",\"0\",\"Hours\",\"0.6000000000\",\"USD\",\"AWS Region\",\"eu-west-1\",\"EU-AmazonEKS-Hours:extendedSupport\"\n\
             \"C\",\"OnDemand\",\"0\",\"Hours\",\"0.1000000000\",\"USD\",\"AWS Outposts\",\"eu-west-1\",\"EU-AmazonEKS-Hours:perCluster\"\n"
        );
        let (meta, book) = read_offer_file(csv.as_bytes(), "AmazonEKS", "eu-west-1").unwrap();
        assert_eq!(meta.publication_date, "2026-07-29T23:42:48Z");
        assert_eq!(meta.version, "20260729234248");
        assert_eq!(meta.offer_code, "AmazonEKS");
        assert_eq!((meta.rows, meta.matched), (3, 1));
        let rows = book.rows(Cloud::Aws);
        assert_eq!(
            rows,
            vec![("AmazonEKS", "cluster/hour", "hour", "eu-west-1", 0.1)]
        );
    }

    #[test]
    fn a_file_without_its_header_or_price_column_is_a_format_error() {
        let e = read_offer_file(META.as_bytes(), "AmazonEKS", "eu-west-1").unwrap_err();
        assert!(e.to_string().contains("header row"), "{e}");
        let csv = format!("{META}\"SKU\",\"TermType\",\"Unit\"\n");
        let e = read_offer_file(csv.as_bytes(), "AmazonEKS", "eu-west-1").unwrap_err();
        assert!(e.to_string().contains("`PricePerUnit`"), "{e}");
        let e = read_offer_file(csv.as_bytes(), "AmazonNope", "eu-west-1").unwrap_err();
        assert!(e.to_string().contains("AmazonNope"), "{e}");
    }
}
