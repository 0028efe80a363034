//! The price book's text format (see `prices/README.md`): directives, then one row per
//! service and product with a price per region. Both the snapshot and the cache use it.

use super::{Cloud, PriceBook, Section};
use std::fmt::Write as _;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{origin}:{line}: {message}")]
pub struct BookError {
    pub origin: String,
    pub line: usize,
    pub message: String,
}

/// Reads price rows into `book`. `origin` names the text in errors and in the book's sections.
pub fn parse_into(book: &mut PriceBook, origin: &str, text: &str) -> Result<(), BookError> {
    let err = |line: usize, message: String| BookError {
        origin: origin.to_string(),
        line,
        message,
    };
    let mut cloud: Option<Cloud> = None;
    let mut regions: Vec<String> = Vec::new();
    let mut as_of = String::new();
    let mut source = String::new();
    let mut section_open = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(directive) = line.strip_prefix('@') {
            let (name, value) = directive
                .split_once(char::is_whitespace)
                .map(|(a, b)| (a, b.trim()))
                .unwrap_or((directive, ""));
            match name {
                "cloud" => {
                    cloud = Some(
                        Cloud::parse(value)
                            .ok_or_else(|| err(n, format!("unknown cloud `{value}`")))?,
                    );
                    section_open = false;
                }
                "as-of" => {
                    as_of = value.to_string();
                    section_open = false;
                }
                "source" => {
                    source = value.to_string();
                    section_open = false;
                }
                "regions" => {
                    regions = value.split_whitespace().map(str::to_string).collect();
                    if regions.is_empty() {
                        return Err(err(n, "`@regions` needs at least one region".into()));
                    }
                }
                other => return Err(err(n, format!("unknown directive `@{other}`"))),
            }
            continue;
        }
        let cloud = cloud.ok_or_else(|| err(n, "a price row before `@cloud`".into()))?;
        if !section_open {
            let section = Section {
                cloud,
                origin: origin.to_string(),
                as_of: as_of.clone(),
                source: source.clone(),
            };
            if !book.sections.contains(&section) {
                book.sections.push(section);
            }
            section_open = true;
        }
        let mut fields = line.split_whitespace();
        let (Some(service), Some(product), Some(unit)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(err(n, "a row needs a service, a product and a unit".into()));
        };
        let prices: Vec<&str> = fields.collect();
        if prices.len() != regions.len() {
            return Err(err(
                n,
                format!(
                    "{} prices for {} regions of `@regions`",
                    prices.len(),
                    regions.len()
                ),
            ));
        }
        for (region, p) in regions.iter().zip(prices) {
            if p == "-" {
                continue;
            }
            let usd: f64 = p
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| err(n, format!("`{p}` is not a price")))?;
            book.insert(cloud, service, product, unit, region, usd);
        }
    }
    Ok(())
}

/// Writes the prices of one cloud, one row per product and region column group, sorted.
pub fn write(book: &PriceBook, cloud: Cloud, as_of: &str, source: &str) -> String {
    let rows = book.rows(cloud);
    let mut regions: Vec<&str> = rows.iter().map(|r| r.3).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut out = String::new();
    let _ = writeln!(out, "@cloud {cloud}");
    let _ = writeln!(out, "@as-of {as_of}");
    let _ = writeln!(out, "@source {source}");
    let _ = writeln!(out, "@regions {}", regions.join(" "));
    let mut i = 0;
    while i < rows.len() {
        let (service, product, unit) = (rows[i].0, rows[i].1, rows[i].2);
        let mut cols = vec!["-".to_string(); regions.len()];
        while i < rows.len() && rows[i].0 == service && rows[i].1 == product {
            if let Ok(at) = regions.binary_search(&rows[i].3) {
                cols[at] = format_price(rows[i].4);
            }
            i += 1;
        }
        let _ = writeln!(out, "{service} {product} {unit} {}", cols.join(" "));
    }
    out
}

/// The shortest text that reads back as the same price.
pub fn format_price(usd: f64) -> String {
    let s = format!("{usd}");
    if s.contains('e') {
        format!("{usd:.10}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_directives_and_gaps() {
        let text = "# prices\n@cloud aws\n@as-of 2026-07-20\n@source test\n@regions us-east-1 eu-west-1\nAmazonEC2 instance/linux/m5.large hour 0.096 -\n@regions global\nAmazonRoute53 zone/hosted zone-month 0.5\n";
        let mut book = PriceBook::default();
        parse_into(&mut book, "snapshot", text).unwrap();
        let p = book
            .get(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "us-east-1",
            )
            .unwrap();
        assert_eq!((p.usd, p.unit), (0.096, "hour"));
        assert!(
            book.get(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "eu-west-1"
            )
            .is_none()
        );
        assert_eq!(
            book.get(Cloud::Aws, "AmazonRoute53", "zone/hosted", "eu-west-1")
                .map(|p| p.usd),
            Some(0.5)
        );
        assert_eq!(book.sections.len(), 1);
        assert_eq!(book.sections[0].as_of, "2026-07-20");
    }

    #[test]
    fn errors_name_the_line() {
        let mut book = PriceBook::default();
        let e = parse_into(&mut book, "f", "@cloud aws\n@regions a b\nS p hour 1\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_into(&mut book, "f", "S p hour 1\n").unwrap_err();
        assert!(e.message.contains("@cloud"));
        let e = parse_into(&mut book, "f", "@cloud aws\n@regions a\nS p hour -1\n").unwrap_err();
        assert!(e.message.contains("not a price"));
    }

    #[test]
    fn write_reads_back() {
        let mut book = PriceBook::default();
        book.insert(
            Cloud::Azure,
            "VirtualMachines",
            "vm/linux/standard_b2s",
            "hour",
            "westeurope",
            0.0416,
        );
        book.insert(
            Cloud::Azure,
            "VirtualMachines",
            "vm/linux/standard_b2s",
            "hour",
            "eastus",
            0.0416,
        );
        book.insert(
            Cloud::Azure,
            "Storage",
            "managed-disk/p10",
            "disk-month",
            "eastus",
            19.71,
        );
        let text = write(&book, Cloud::Azure, "2026-11-01", "Azure Retail Prices API");
        assert!(text.contains("@regions eastus westeurope"));
        assert!(text.contains("Storage managed-disk/p10 disk-month 19.71 -"));
        let mut back = PriceBook::default();
        parse_into(&mut back, "cache", &text).unwrap();
        assert_eq!(back.rows(Cloud::Azure), book.rows(Cloud::Azure));
        assert_eq!(back.sections[0].source, "Azure Retail Prices API");
    }
}
