//! `pricing sync` against a local HTTP server serving small price lists in the real formats:
//! AWS region indexes and CSV offer files (five metadata rows, the real header), and Azure
//! Retail Prices API pages linked by `NextPageLink`.

use stackgate::pricing::aws_offer::read_offer_file;
use stackgate::pricing::cache::{load_cached, price_book};
use stackgate::pricing::sync::{SyncError, SyncOptions, sync};
use stackgate::pricing::{Cloud, PriceBook, snapshot};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server answers to a request target: status and body.
type Handler = Box<dyn Fn(&str, usize) -> (u16, String) + Send>;

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers each request with the handler's
/// response (given the target and how often that path was asked before) and closes.
struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(make: impl FnOnce(String) -> Handler) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handler = make(format!("http://{addr}"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (log.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut asked: HashMap<String, usize> = HashMap::new();
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let Some(target) = read_target(&mut conn) else {
                    continue;
                };
                let path = target.split('?').next().unwrap_or("").to_string();
                let n = asked.entry(path).or_default();
                let (status, body) = handler(&target, *n);
                *n += 1;
                log2.lock().unwrap().push(target);
                let reason = match status {
                    200 => "OK",
                    404 => "Not Found",
                    _ => "Error",
                };
                let head = format!(
                    "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(body.as_bytes());
            }
        });
        Server {
            addr,
            log,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocked accept so the thread sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The request target of a GET (the body, if any, is not read).
fn read_target(conn: &mut TcpStream) -> Option<String> {
    conn.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    text.lines()
        .next()?
        .split_whitespace()
        .nth(1)
        .map(str::to_string)
}

fn options(dir: &std::path::Path) -> SyncOptions {
    let mut o = SyncOptions::new(dir.to_path_buf());
    o.retry_delay = Duration::from_millis(10);
    o.timeout = Duration::from_secs(10);
    o
}

const METADATA: &str = "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"This pricing list is for informational purposes only. All prices are subject to the additional terms included in the pricing pages on http://aws.amazon.com. All Free Tier prices are also subject to the terms included at https://aws.amazon.com/free/\"\n\"Publication Date\",\"2026-07-29T23:42:48Z\"\n\"Version\",\"20260729234248\"\n";

/// The header of an EC2 offer file, as published.
const EC2_HEADER: &[&str] = &[
    "SKU",
    "OfferTermCode",
    "RateCode",
    "TermType",
    "PriceDescription",
    "EffectiveDate",
    "StartingRange",
    "EndingRange",
    "Unit",
    "PricePerUnit",
    "Currency",
    "RelatedTo",
    "LeaseContractLength",
    "PurchaseOption",
    "OfferingClass",
    "Product Family",
    "serviceCode",
    "Location",
    "Location Type",
    "Instance Type",
    "Current Generation",
    "Instance Family",
    "vCPU",
    "Physical Processor",
    "Clock Speed",
    "Memory",
    "Storage",
    "Network Performance",
    "Processor Architecture",
    "Storage Media",
    "Volume Type",
    "Max Volume Size",
    "Max IOPS/volume",
    "Max IOPS Burst Performance",
    "Max throughput/volume",
    "Provisioned",
    "Tenancy",
    "EBS Optimized",
    "Operating System",
    "License Model",
    "Group",
    "Group Description",
    "Transfer Type",
    "From Location",
    "From Location Type",
    "To Location",
    "To Location Type",
    "usageType",
    "operation",
    "AvailabilityZone",
    "CapacityStatus",
    "ClassicNetworkingSupport",
    "Dedicated EBS Throughput",
    "ECU",
    "Elastic Graphics Type",
    "Enhanced Networking Supported",
    "From Region Code",
    "GPU",
    "GPU Memory",
    "Instance",
    "Instance Capacity - 10xlarge",
    "Instance Capacity - 12xlarge",
    "Instance Capacity - 16xlarge",
    "Instance Capacity - 18xlarge",
    "Instance Capacity - 24xlarge",
    "Instance Capacity - 2xlarge",
    "Instance Capacity - 32xlarge",
    "Instance Capacity - 4xlarge",
    "Instance Capacity - 8xlarge",
    "Instance Capacity - 9xlarge",
    "Instance Capacity - large",
    "Instance Capacity - medium",
    "Instance Capacity - metal",
    "Instance Capacity - xlarge",
    "instanceSKU",
    "Intel AVX2 Available",
    "Intel AVX Available",
    "Intel Turbo Available",
    "MarketOption",
    "Normalization Size Factor",
    "Physical Cores",
    "Pre Installed S/W",
    "Processor Features",
    "Product Type",
    "Region Code",
    "Resource Type",
    "serviceName",
    "SnapshotArchiveFeeType",
    "To Region Code",
    "Volume API Name",
    "VPCNetworkingSupport",
];

fn quoted(fields: &[&str]) -> String {
    let q: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
    q.join(",") + "\n"
}

/// A full-width row of `header` with the named columns set.
fn row(header: &[&str], set: &[(&str, &str)]) -> String {
    let fields: Vec<&str> = header
        .iter()
        .map(|h| set.iter().find(|(k, _)| k == h).map_or("", |(_, v)| *v))
        .collect();
    quoted(&fields)
}

/// An offer file: metadata, header, rows.
fn offer_csv(code: &str, header: &[&str], rows: &[Vec<(&str, &str)>]) -> String {
    let mut out = format!("{METADATA}\"OfferCode\",\"{code}\"\n");
    out.push_str(&quoted(header));
    for r in rows {
        out.push_str(&row(header, r));
    }
    out
}

/// An on-demand EC2 instance row in us-east-1 (price, then the columns that differ).
fn instance(
    kind: &str,
    price: &str,
    extra: &[(&'static str, &'static str)],
) -> Vec<(&'static str, String)> {
    let mut r: Vec<(&'static str, String)> = vec![
        ("SKU", format!("SKU{kind}{price}")),
        ("TermType", "OnDemand".into()),
        ("StartingRange", "0".into()),
        ("EndingRange", "Inf".into()),
        ("Unit", "Hrs".into()),
        ("PricePerUnit", price.into()),
        ("Currency", "USD".into()),
        ("Product Family", "Compute Instance".into()),
        ("Location Type", "AWS Region".into()),
        ("Instance Type", kind.into()),
        ("Tenancy", "Shared".into()),
        ("Operating System", "Linux".into()),
        ("License Model", "No License required".into()),
        ("usageType", format!("BoxUsage:{kind}")),
        ("operation", "RunInstances".into()),
        ("CapacityStatus", "Used".into()),
        ("MarketOption", "OnDemand".into()),
        ("Pre Installed S/W", "NA".into()),
        ("Region Code", "us-east-1".into()),
    ];
    for (k, v) in extra {
        match r.iter_mut().find(|(n, _)| *n == *k) {
            Some(slot) => slot.1 = v.to_string(),
            None => r.push((k, v.to_string())),
        }
    }
    r
}

fn ebs(
    family: &str,
    usage: &str,
    unit: &str,
    price: &str,
    volume: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("SKU", format!("SKU{usage}")),
        ("TermType", "OnDemand".into()),
        ("StartingRange", "0".into()),
        ("Unit", unit.into()),
        ("PricePerUnit", price.into()),
        ("Currency", "USD".into()),
        ("Product Family", family.into()),
        ("Location Type", "AWS Region".into()),
        ("usageType", usage.into()),
        ("Region Code", "us-east-1".into()),
        ("Volume API Name", volume.into()),
    ]
}

/// EC2's us-east-1 list: the prices to find, and the rows a naive matcher would pick.
fn ec2_csv() -> String {
    let rows: Vec<Vec<(&str, String)>> = vec![
        // $0 rows listed before the real price: a capacity block, capacity reservations.
        instance(
            "m5.large",
            "0.0000000000",
            &[
                ("MarketOption", "CapacityBlock"),
                ("usageType", "CapacityBlock:m5.large"),
            ],
        ),
        instance(
            "m5.large",
            "0.0000000000",
            &[
                ("CapacityStatus", "AllocatedCapacityReservation"),
                ("usageType", "Reservation:m5.large"),
            ],
        ),
        instance(
            "m5.large",
            "0.0000000000",
            &[
                ("CapacityStatus", "UnusedCapacityReservation"),
                ("usageType", "UnusedBox:m5.large"),
            ],
        ),
        instance("m5.large", "0.0960000000", &[]),
        // A reserved term, cheaper; its upfront fee row.
        instance(
            "m5.large",
            "0.0600000000",
            &[("TermType", "Reserved"), ("LeaseContractLength", "1yr")],
        ),
        instance(
            "m5.large",
            "500",
            &[("TermType", "Reserved"), ("Unit", "Quantity")],
        ),
        // Windows: the licence-included price, not the BYOL one (which is Linux's).
        instance(
            "m5.large",
            "0.1880000000",
            &[
                ("Operating System", "Windows"),
                ("License Model", "License included"),
                ("operation", "RunInstances:0002"),
            ],
        ),
        instance(
            "m5.large",
            "0.0960000000",
            &[
                ("Operating System", "Windows"),
                ("License Model", "Bring your own license"),
                ("operation", "RunInstances:0800"),
            ],
        ),
        // SQL Server Web pre-installed, and a local zone in the same file.
        instance(
            "m5.large",
            "0.1940000000",
            &[
                ("Pre Installed S/W", "SQL Web"),
                ("operation", "RunInstances:0020"),
            ],
        ),
        instance(
            "m5.large",
            "0.1150000000",
            &[
                ("Location Type", "AWS Local Zone"),
                ("Region Code", "us-east-1-bos-1"),
                ("usageType", "USE1-BOS1-BoxUsage:m5.large"),
            ],
        ),
        // Dedicated tenancy only: no shared price for c5.xlarge.
        instance(
            "c5.xlarge",
            "0.1870000000",
            &[
                ("Tenancy", "Dedicated"),
                ("usageType", "DedicatedUsage:c5.xlarge"),
            ],
        ),
        instance("t3.medium", "0.0416000000", &[]),
        ebs(
            "Storage",
            "EBS:VolumeUsage.gp3",
            "GB-Mo",
            "0.0800000000",
            "gp3",
        ),
        ebs(
            "Storage",
            "EBS:VolumeUsage.gp2",
            "GB-Mo",
            "0.1000000000",
            "gp2",
        ),
        ebs(
            "System Operation",
            "EBS:VolumeP-IOPS.gp3",
            "IOPS-Mo",
            "0.0050000000",
            "gp3",
        ),
        ebs(
            "Provisioned Throughput",
            "EBS:VolumeP-Throughput.gp3",
            "GiBps-mo",
            "40.9600000000",
            "gp3",
        ),
        ebs("NAT Gateway", "NatGateway-Hours", "Hrs", "0.0450000000", ""),
        ebs("NAT Gateway", "NatGateway-Bytes", "GB", "0.0450000000", ""),
    ];
    let rows: Vec<Vec<(&str, &str)>> = rows
        .iter()
        .map(|r| r.iter().map(|(k, v)| (*k, v.as_str())).collect())
        .collect();
    offer_csv("AmazonEC2", EC2_HEADER, &rows)
}

const EC2_CSV_PATH: &str = "/offers/v1.0/aws/AmazonEC2/20260729234248/us-east-1/index.csv";

fn region_index() -> String {
    r#"{
  "formatVersion" : "v1.0",
  "disclaimer" : "This pricing list is for informational purposes only.",
  "publicationDate" : "2026-07-29T23:42:48Z",
  "regions" : {
    "us-east-1" : {
      "regionCode" : "us-east-1",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/20260729234248/us-east-1/index.json"
    },
    "eu-west-1" : {
      "regionCode" : "eu-west-1",
      "currentVersionUrl" : "/offers/v1.0/aws/AmazonEC2/20260729234248/eu-west-1/index.json"
    }
  }
}"#
    .to_string()
}

fn ec2_only(server: &Server, dir: &std::path::Path) -> SyncOptions {
    let mut o = options(dir);
    o.clouds = vec![Cloud::Aws];
    o.regions = vec!["us-east-1".into()];
    o.services = vec!["AmazonEC2".into()];
    o.aws_endpoint = Some(server.url());
    o
}

fn usd(book: &PriceBook, service: &str, product: &str, region: &str) -> Option<f64> {
    book.get(Cloud::Aws, service, product, region)
        .map(|p| p.usd)
}

#[test]
fn aws_ec2_offer_is_streamed_mapped_retried_and_cached() {
    let server = Server::start(|_| {
        Box::new(|target, n| match target {
            "/offers/v1.0/aws/AmazonEC2/current/region_index.json" => (200, region_index()),
            // The offer file fails once with a 500, then is served.
            EC2_CSV_PATH if n == 0 => (500, "busy".into()),
            EC2_CSV_PATH => (200, ec2_csv()),
            _ => (404, "no such file".into()),
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let report = sync(&ec2_only(&server, dir.path()), &mut |l| {
        lines.push(l.to_string())
    })
    .unwrap();

    assert_eq!(
        server.requests(),
        [
            "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
            EC2_CSV_PATH,
            EC2_CSV_PATH
        ]
    );
    let r = &report.clouds[0];
    assert_eq!(r.cloud, Cloud::Aws);
    // m5.large linux and windows, t3.medium, gp3 and gp2 storage, gp3 IOPS and throughput,
    // NAT hours and data.
    assert_eq!(r.prices, 9);
    assert_eq!(r.as_of, "2026-07-29");
    assert_eq!(r.versions, ["AmazonEC2 20260729234248"]);
    assert!(
        r.file.ends_with("aws-2026-07-29.txt"),
        "{}",
        r.file.display()
    );
    assert!(
        lines.iter().any(|l| l.contains("18 rows, 9 prices")),
        "{lines:?}"
    );

    // What the snapshot had besides EC2 in us-east-1 is kept.
    let snap = snapshot::book();
    let others = snap
        .rows(Cloud::Aws)
        .into_iter()
        .filter(|r| !(r.0 == "AmazonEC2" && r.3 == "us-east-1"))
        .count();
    assert_eq!(r.kept, others);

    let text = std::fs::read_to_string(&r.file).unwrap();
    assert!(
        text.starts_with("@cloud aws\n@as-of 2026-07-29\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "@source AWS Price List (bulk offer files) via {}\n",
            server.url()
        )),
        "{text}"
    );

    let (book, notes) = price_book(Some(dir.path()));
    assert!(notes.is_empty(), "{notes:?}");
    let fresh: Vec<_> = book
        .rows(Cloud::Aws)
        .into_iter()
        .filter(|r| r.0 == "AmazonEC2" && r.3 == "us-east-1")
        .map(|r| (r.1.to_string(), r.2.to_string(), r.4))
        .collect();
    let want = [
        ("ebs/gp2/storage", "GB-month", 0.1),
        ("ebs/gp3/iops", "IOPS-month", 0.005),
        ("ebs/gp3/storage", "GB-month", 0.08),
        // 40.96 per GiBps-month / 1024 = 0.04 per MiBps-month.
        ("ebs/gp3/throughput", "MiBps-month", 0.04),
        ("instance/linux/m5.large", "hour", 0.096),
        ("instance/linux/t3.medium", "hour", 0.0416),
        ("instance/windows/m5.large", "hour", 0.188),
        ("nat/data", "GB", 0.045),
        ("nat/hour", "hour", 0.045),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(p, u, v)| (p.to_string(), u.to_string(), *v))
        .collect();
    assert_eq!(fresh, want);
    assert_eq!(
        usd(&book, "AmazonEC2", "instance/linux/c5.xlarge", "us-east-1"),
        None
    );
    let describe = book.describe();
    assert!(describe.contains("2026-07-29 (cache)"), "{describe}");

    // Each trap row is dropped by its rule, not only by keeping the smallest non-zero price.
    let (meta, _) = read_offer_file(ec2_csv().as_bytes(), "AmazonEC2", "us-east-1").unwrap();
    assert_eq!((meta.rows, meta.matched), (18, 9));
}

#[test]
fn a_404_is_an_error_naming_the_url_and_nothing_is_written() {
    let server = Server::start(|_| Box::new(|_, _| (404, "no such file".into())));
    let dir = tempfile::tempdir().unwrap();
    let err = sync(&ec2_only(&server, dir.path()), &mut |_| {}).unwrap_err();
    let url = format!(
        "{}/offers/v1.0/aws/AmazonEC2/current/region_index.json",
        server.url()
    );
    assert!(
        matches!(err, SyncError::Status { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), format!("GET {url}: HTTP 404"));
    // A 404 is not retried.
    assert_eq!(server.requests().len(), 1);
    assert!(load_cached(dir.path()).0.is_empty());
}

#[test]
fn a_500_that_persists_fails_after_the_retries() {
    let server = Server::start(|_| Box::new(|_, _| (503, "down".into())));
    let dir = tempfile::tempdir().unwrap();
    let mut o = ec2_only(&server, dir.path());
    o.retries = 2;
    let err = sync(&o, &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().ends_with("HTTP 503 (after 3 tries)"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn an_unknown_aws_region_is_an_error() {
    let server = Server::start(|_| Box::new(|_, _| (200, region_index())));
    let dir = tempfile::tempdir().unwrap();
    let mut o = ec2_only(&server, dir.path());
    o.regions = vec!["mars-north-1".into()];
    let err = sync(&o, &mut |_| {}).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("aws has no price list for region `mars-north-1`"),
        "{err}"
    );
}

/// Azure: a VM query answered over two pages and a query for disks and networking.
fn azure_page(items: &[&str], next: Option<String>) -> String {
    let next = next.map_or("null".to_string(), |n| format!("\"{n}\""));
    format!(
        "{{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\",\"CustomerEntityType\":\"Retail\",\"Items\":[{}],\"NextPageLink\":{next},\"Count\":{}}}",
        items.join(","),
        items.len()
    )
}

fn vm(meter: &str, product: &str, price: f64, kind: &str) -> String {
    format!(
        r#"{{"currencyCode":"USD","tierMinimumUnits":0.0,"retailPrice":{price},"unitPrice":{price},"armRegionName":"eastus","location":"US East","effectiveStartDate":"2021-06-01T00:00:00Z","meterId":"m-{meter}","meterName":"{meter}","productId":"DZH318Z0BQ4L","skuId":"DZH318Z0BQ4L/00QX","productName":"{product}","skuName":"{meter}","serviceName":"Virtual Machines","serviceId":"DZH313Z7MMC8","serviceFamily":"Compute","unitOfMeasure":"1 Hour","type":"{kind}","isPrimaryMeterRegion":true,"armSkuName":"Standard_D2s_v3"}}"#
    )
}

fn networking_item(
    service: &str,
    product: &str,
    sku: &str,
    meter: &str,
    unit: &str,
    price: f64,
) -> String {
    format!(
        r#"{{"currencyCode":"USD","tierMinimumUnits":0.0,"retailPrice":{price},"unitPrice":{price},"armRegionName":"eastus","location":"US East","meterName":"{meter}","productName":"{product}","skuName":"{sku}","serviceName":"{service}","unitOfMeasure":"{unit}","type":"Consumption","armSkuName":""}}"#
    )
}

#[test]
fn azure_pages_are_followed_and_only_pay_as_you_go_prices_kept() {
    let server = Server::start(|base| {
        Box::new(move |target, _| {
            if !target.starts_with("/api/retail/prices?") {
                return (404, String::new());
            }
            if target.contains("Virtual+Machines") && !target.contains("skip") {
                let next = format!("{base}{target}&$skip=4");
                let items = [
                    vm(
                        "D2s v3 Spot",
                        "Virtual Machines DSv3 Series",
                        0.0192,
                        "Consumption",
                    ),
                    vm(
                        "D2s v3 Low Priority",
                        "Virtual Machines DSv3 Series",
                        0.0192,
                        "Consumption",
                    ),
                    vm(
                        "D2s v3",
                        "Virtual Machines DSv3 Series",
                        0.096,
                        "DevTestConsumption",
                    ),
                    vm(
                        "D2s v3",
                        "Virtual Machines DSv3 Series",
                        0.096,
                        "Consumption",
                    ),
                ];
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                return (200, azure_page(&items, Some(next)));
            }
            if target.contains("Virtual+Machines") {
                let items = [
                    vm(
                        "D2s v3",
                        "Virtual Machines DSv3 Series Windows",
                        0.188,
                        "Consumption",
                    ),
                    vm(
                        "D2s v3",
                        "Virtual Machines DSv3 Series",
                        0.06,
                        "Reservation",
                    ),
                ];
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                return (200, azure_page(&items, None));
            }
            let items = [
                networking_item(
                    "Storage",
                    "Premium SSD Managed Disks",
                    "P10 LRS",
                    "P10 LRS Disk",
                    "1/Month",
                    19.71,
                ),
                networking_item(
                    "Load Balancer",
                    "Load Balancer",
                    "Standard",
                    "Standard Included LB Rules and Outbound Rules",
                    "1 Hour",
                    0.025,
                ),
                networking_item(
                    "Load Balancer",
                    "Load Balancer",
                    "Standard",
                    "Standard Overage LB Rules and Outbound Rules",
                    "1 Hour",
                    0.01,
                ),
                networking_item(
                    "Load Balancer",
                    "Load Balancer",
                    "Standard",
                    "Standard Data Processed",
                    "1 GB",
                    0.005,
                ),
                networking_item(
                    "Virtual Network",
                    "IP Addresses",
                    "Standard",
                    "Standard IPv4 Static Public IP",
                    "1 Hour",
                    0.005,
                ),
                networking_item(
                    "Azure Kubernetes Service",
                    "Azure Kubernetes Service",
                    "Standard",
                    "Standard Uptime SLA",
                    "1 Hour",
                    0.1,
                ),
            ];
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            (200, azure_page(&items, None))
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let mut o = options(dir.path());
    o.clouds = vec![Cloud::Azure];
    o.regions = vec!["eastus".into()];
    o.azure_endpoint = Some(server.url());
    o.as_of = Some("2026-11-22".into());
    let report = sync(&o, &mut |_| {}).unwrap();

    let asked = server.requests();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(asked[1].ends_with("&$skip=4"), "{asked:?}");
    assert!(
        asked[0].contains("%24filter=serviceName+eq+%27Virtual+Machines%27+and+armRegionName+eq+%27eastus%27+and+priceType+eq+%27Consumption%27"),
        "{asked:?}"
    );
    let r = &report.clouds[0];
    assert_eq!(r.prices, 8);
    assert!(
        r.file.ends_with("azure-2026-11-22.txt"),
        "{}",
        r.file.display()
    );

    let (cached, warnings) = load_cached(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    let book = &cached[0].book;
    let got: Vec<_> = book
        .rows(Cloud::Azure)
        .into_iter()
        // Every eastus price of the services read is a fresh one.
        .filter(|r| r.3 == "eastus")
        .map(|r| (r.0, r.1, r.2, r.4))
        .collect();
    let fresh_eastus = [
        ("KubernetesService", "aks/standard", "hour", 0.1),
        ("LoadBalancer", "lb/standard/data", "GB", 0.005),
        ("LoadBalancer", "lb/standard/overage-rule", "hour", 0.01),
        ("LoadBalancer", "lb/standard/rule", "hour", 0.025),
        ("Storage", "managed-disk/p10", "disk-month", 19.71),
        ("VirtualMachines", "vm/linux/standard_d2s_v3", "hour", 0.096),
        (
            "VirtualMachines",
            "vm/windows/standard_d2s_v3",
            "hour",
            0.188,
        ),
        ("VirtualNetwork", "public-ip/standard/static", "hour", 0.005),
    ];
    assert_eq!(got, fresh_eastus);
    let text = std::fs::read_to_string(&r.file).unwrap();
    assert!(
        text.starts_with("@cloud azure\n@as-of 2026-11-22\n@source Azure Retail Prices API via "),
        "{text}"
    );
}

/// The other AWS offers, each with the columns its mapping reads (real names and values).
#[test]
fn other_offers_map_to_the_price_book_products() {
    let base = |usage: &'static str, price: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("SKU", usage),
            ("TermType", "OnDemand"),
            ("StartingRange", "0"),
            ("PricePerUnit", price),
            ("Currency", "USD"),
            ("Location Type", "AWS Region"),
            ("Region Code", "us-east-1"),
            ("usageType", usage),
        ]
    };
    let with = |mut r: Vec<(&'static str, &'static str)>,
                extra: &[(&'static str, &'static str)]| {
        for (k, v) in extra {
            r.retain(|(n, _)| n != k);
            r.push((k, v));
        }
        r
    };
    let header: &[&str] = &[
        "SKU",
        "TermType",
        "StartingRange",
        "Unit",
        "PricePerUnit",
        "Currency",
        "Product Family",
        "Location Type",
        "Instance Type",
        "Volume Type",
        "Database Engine",
        "Database Edition",
        "License Model",
        "Deployment Option",
        "Group",
        "Group Description",
        "usageType",
        "Cache Engine",
        "Alarm Type",
        "Region Code",
        "Volume API Name",
        "Deployment Model",
    ];
    let read = |code: &str, rows: Vec<Vec<(&str, &str)>>| -> Vec<(String, String, String, f64)> {
        let csv = offer_csv(code, header, &rows);
        let region = "us-east-1";
        let (_, book) = read_offer_file(csv.as_bytes(), code, region).unwrap();
        book.rows(Cloud::Aws)
            .into_iter()
            .map(|r| (r.0.to_string(), r.1.to_string(), r.2.to_string(), r.4))
            .collect()
    };
    let own = |v: &[(&str, &str, &str, f64)]| -> Vec<(String, String, String, f64)> {
        v.iter()
            .map(|(s, p, u, x)| (s.to_string(), p.to_string(), u.to_string(), *x))
            .collect()
    };

    let db = |engine, dep, usage, price| {
        with(
            base(usage, price),
            &[
                ("Product Family", "Database Instance"),
                ("Instance Type", "db.t3.micro"),
                ("Database Engine", engine),
                ("License Model", "No license required"),
                ("Deployment Option", dep),
            ],
        )
    };
    let storage = |volume, dep, usage, price| {
        with(
            base(usage, price),
            &[
                ("Product Family", "Database Storage"),
                ("Database Engine", "Any"),
                ("Volume Type", volume),
                ("Deployment Option", dep),
            ],
        )
    };
    let rds = read(
        "AmazonRDS",
        vec![
            db(
                "MySQL",
                "Single-AZ",
                "InstanceUsage:db.t3.micro",
                "0.0170000000",
            ),
            db(
                "MySQL",
                "Multi-AZ",
                "Multi-AZUsage:db.t3.micro",
                "0.0340000000",
            ),
            // Aurora I/O-Optimized and a Multi-AZ cluster are other products.
            db(
                "Aurora MySQL",
                "Single-AZ",
                "InstanceUsageIOOptimized:db.t3.micro",
                "0.0520000000",
            ),
            db(
                "MySQL",
                "Multi-AZ (readable standbys)",
                "Multi-AZClusterUsage:db.t3.micro",
                "0.0510000000",
            ),
            with(
                db(
                    "SQL Server",
                    "Single-AZ",
                    "InstanceUsage:db.t3.micro",
                    "0.0240000000",
                ),
                &[
                    ("Database Edition", "Express"),
                    ("License Model", "License included"),
                ],
            ),
            with(
                db(
                    "SQL Server",
                    "Single-AZ",
                    "InstanceUsage:db.t3.micro",
                    "0.0170000000",
                ),
                &[
                    ("Database Edition", "Express"),
                    ("License Model", "Bring your own license"),
                ],
            ),
            storage(
                "General Purpose",
                "Single-AZ",
                "RDS:GP2-Storage",
                "0.1150000000",
            ),
            storage(
                "General Purpose",
                "Multi-AZ",
                "RDS:Multi-AZ-GP2-Storage",
                "0.2300000000",
            ),
            storage(
                "General Purpose-GP3",
                "Single-AZ",
                "RDS:GP3-Storage",
                "0.1150000000",
            ),
            storage(
                "Provisioned IOPS",
                "Single-AZ",
                "RDS:PIOPS-Storage",
                "0.1250000000",
            ),
            with(
                base("RDS:PIOPS", "0.1000000000"),
                &[
                    ("Product Family", "Provisioned IOPS"),
                    ("Database Engine", "Any"),
                    ("Deployment Option", "Single-AZ"),
                ],
            ),
            with(
                base("RDS:ChargedBackupUsage", "0.0950000000"),
                &[
                    ("Product Family", "Storage Snapshot"),
                    ("Database Engine", "Any"),
                ],
            ),
        ],
    );
    assert_eq!(
        rds,
        own(&[
            ("AmazonRDS", "backup/storage", "GB-month", 0.095),
            (
                "AmazonRDS",
                "instance/mysql/multi/db.t3.micro",
                "hour",
                0.034
            ),
            (
                "AmazonRDS",
                "instance/mysql/single/db.t3.micro",
                "hour",
                0.017
            ),
            (
                "AmazonRDS",
                "instance/sqlserver-ex/single/db.t3.micro",
                "hour",
                0.024
            ),
            ("AmazonRDS", "iops/io1/single", "IOPS-month", 0.1),
            ("AmazonRDS", "storage/gp2/multi", "GB-month", 0.23),
            ("AmazonRDS", "storage/gp2/single", "GB-month", 0.115),
            ("AmazonRDS", "storage/gp3/single", "GB-month", 0.115),
            ("AmazonRDS", "storage/io1/single", "GB-month", 0.125),
        ])
    );

    let lb = |family, usage, price| with(base(usage, price), &[("Product Family", family)]);
    let elb = read(
        "AWSELB",
        vec![
            lb(
                "Load Balancer-Application",
                "LoadBalancerUsage",
                "0.0225000000",
            ),
            lb("Load Balancer-Application", "LCUUsage", "0.0080000000"),
            lb("Load Balancer-Network", "LoadBalancerUsage", "0.0225000000"),
            lb("Load Balancer-Network", "LCUUsage", "0.0060000000"),
            lb("Load Balancer", "LoadBalancerUsage", "0.0250000000"),
            lb("Load Balancer", "DataProcessing-Bytes", "0.0080000000"),
        ],
    );
    assert_eq!(
        elb,
        own(&[
            ("AWSELB", "alb/hour", "hour", 0.0225),
            ("AWSELB", "alb/lcu", "LCU-hour", 0.008),
            ("AWSELB", "clb/data", "GB", 0.008),
            ("AWSELB", "clb/hour", "hour", 0.025),
            ("AWSELB", "nlb/hour", "hour", 0.0225),
            ("AWSELB", "nlb/lcu", "LCU-hour", 0.006),
        ])
    );

    let s3 = read(
        "AmazonS3",
        vec![
            with(
                base("TimedStorage-ByteHrs", "0.0230000000"),
                &[("Volume Type", "Standard")],
            ),
            // The next tier (over 50 TB) is not the first-tier price.
            with(
                base("TimedStorage-ByteHrs", "0.0220000000"),
                &[("Volume Type", "Standard"), ("StartingRange", "51200")],
            ),
            base("TimedStorage-SIA-ByteHrs", "0.0125000000"),
            base("TimedStorage-GIR-ByteHrs", "0.0040000000"),
            base("Requests-Tier1", "0.0000050000"),
            base("Requests-Tier2", "0.0000004000"),
        ],
    );
    assert_eq!(
        s3,
        own(&[
            ("AmazonS3", "requests/get", "1k-requests", 0.0004),
            ("AmazonS3", "requests/put", "1k-requests", 0.005),
            ("AmazonS3", "storage/GLACIER_IR", "GB-month", 0.004),
            ("AmazonS3", "storage/STANDARD", "GB-month", 0.023),
            ("AmazonS3", "storage/STANDARD_IA", "GB-month", 0.0125),
        ])
    );

    let group = |g, usage, price| {
        with(
            base(usage, price),
            &[("Product Family", "Serverless"), ("Group", g)],
        )
    };
    let lambda = read(
        "AWSLambda",
        vec![
            group("AWS-Lambda-Requests", "Request", "0.0000002000"),
            group("AWS-Lambda-Duration", "Lambda-GB-Second", "0.0000166667"),
            with(
                group("AWS-Lambda-Duration", "Lambda-GB-Second", "0.0000150000"),
                &[("StartingRange", "6000000000")],
            ),
            group(
                "AWS-Lambda-Duration-ARM",
                "Lambda-GB-Second-ARM",
                "0.0000133334",
            ),
        ],
    );
    assert_eq!(
        lambda,
        own(&[
            ("AWSLambda", "duration/arm64", "GB-second", 0.0000133334),
            ("AWSLambda", "duration/x86_64", "GB-second", 0.0000166667),
            ("AWSLambda", "requests", "1M-requests", 0.2),
        ])
    );

    let cw = read(
        "AmazonCloudWatch",
        vec![
            with(
                base("USE1-DataProcessing-Bytes", "0.5000000000"),
                &[("Product Family", "Data Payload")],
            ),
            with(
                base("USE1-TimedStorage-ByteHrs", "0.0300000000"),
                &[("Product Family", "Storage Snapshot")],
            ),
            with(
                base("USE1-DataScanned-Bytes", "0.0050000000"),
                &[("Product Family", "Data Payload")],
            ),
            with(
                base("CW:MetricMonitorUsage", "0.3000000000"),
                &[("Product Family", "Metric")],
            ),
            with(
                base("CW:MetricMonitorUsage", "0.1000000000"),
                &[("Product Family", "Metric"), ("StartingRange", "10000")],
            ),
            with(
                base("CW:AlarmMonitorUsage", "0.1000000000"),
                &[("Product Family", "Alarm"), ("Alarm Type", "Standard")],
            ),
            with(
                base("CW:AlarmMonitorUsage", "0.3000000000"),
                &[
                    ("Product Family", "Alarm"),
                    ("Alarm Type", "High Resolution"),
                ],
            ),
        ],
    );
    assert_eq!(
        cw,
        own(&[
            ("AmazonCloudWatch", "alarm/standard", "alarm-month", 0.1),
            ("AmazonCloudWatch", "logs/ingestion", "GB", 0.5),
            ("AmazonCloudWatch", "logs/insights", "GB", 0.005),
            ("AmazonCloudWatch", "logs/storage", "GB-month", 0.03),
            ("AmazonCloudWatch", "metric", "metric-month", 0.3),
        ])
    );

    let kms = read(
        "awskms",
        vec![
            base("us-east-1-KMS-Keys", "1.0000000000"),
            base("us-east-1-KMS-Requests", "0.0000030000"),
        ],
    );
    assert_eq!(
        kms,
        own(&[
            ("awskms", "key/customer", "key-month", 1.0),
            ("awskms", "requests", "10k-requests", 0.03)
        ])
    );

    let secrets = read(
        "AWSSecretsManager",
        vec![
            with(
                base("USE1-AWSSecretsManager-Secrets", "0.4000000000"),
                &[("Product Family", "Secret")],
            ),
            with(
                base("USE1-AWSSecretsManagerAPIRequest", "0.0000050000"),
                &[("Product Family", "API Request")],
            ),
        ],
    );
    assert_eq!(
        secrets,
        own(&[
            ("AWSSecretsManager", "api", "10k-requests", 0.05),
            ("AWSSecretsManager", "secret", "secret-month", 0.4),
        ])
    );

    // Route 53 is read from its whole offer file, under `global`.
    let csv = offer_csv(
        "AmazonRoute53",
        header,
        &[
            vec![
                ("TermType", "OnDemand"),
                ("StartingRange", "0"),
                ("PricePerUnit", "0.5000000000"),
                ("usageType", "HostedZone"),
            ],
            vec![
                ("TermType", "OnDemand"),
                ("StartingRange", "25"),
                ("PricePerUnit", "0.1000000000"),
                ("usageType", "HostedZone"),
            ],
            vec![
                ("TermType", "OnDemand"),
                ("StartingRange", "0"),
                ("PricePerUnit", "0.0000004000"),
                ("usageType", "DNS-Queries"),
            ],
        ],
    );
    let (_, book) = read_offer_file(csv.as_bytes(), "AmazonRoute53", "us-east-1").unwrap();
    assert_eq!(
        book.rows(Cloud::Aws),
        [
            (
                "AmazonRoute53",
                "queries/standard",
                "1M-queries",
                "global",
                0.4
            ),
            ("AmazonRoute53", "zone/hosted", "zone-month", "global", 0.5),
        ]
    );
    assert_eq!(
        usd(&book, "AmazonRoute53", "zone/hosted", "eu-west-1"),
        Some(0.5)
    );

    let node = |engine, kind, usage, price| {
        with(
            base(usage, price),
            &[
                ("Product Family", "Cache Instance"),
                ("Cache Engine", engine),
                ("Instance Type", kind),
            ],
        )
    };
    let cache = read(
        "AmazonElastiCache",
        vec![
            node(
                "Redis",
                "cache.t3.micro",
                "NodeUsage:cache.t3.micro",
                "0.0170000000",
            ),
            // A free-tier row at $0 beside the price.
            node(
                "Memcached",
                "cache.t3.micro",
                "NodeUsage:cache.t3.micro",
                "0.0000000000",
            ),
            node(
                "Memcached",
                "cache.t3.micro",
                "NodeUsage:cache.t3.micro",
                "0.0170000000",
            ),
        ],
    );
    assert_eq!(
        cache,
        own(&[
            (
                "AmazonElastiCache",
                "node/memcached/cache.t3.micro",
                "hour",
                0.017
            ),
            (
                "AmazonElastiCache",
                "node/redis/cache.t3.micro",
                "hour",
                0.017
            ),
        ])
    );

    let vpc = read(
        "AmazonVPC",
        vec![
            base("PublicIPv4:InUseAddress", "0.0050000000"),
            base("PublicIPv4:IdleAddress", "0.0050000000"),
            base("VpcEndpoint-Hours", "0.0100000000"),
            base("VpcEndpoint-Bytes", "0.0100000000"),
            base("VpcEndpoint-GWLBE-Hours", "0.0035000000"),
        ],
    );
    assert_eq!(
        vpc,
        own(&[
            ("AmazonVPC", "endpoint/interface/data", "GB", 0.01),
            ("AmazonVPC", "endpoint/interface/hour", "hour", 0.01),
            ("AmazonVPC", "public-ipv4/hour", "hour", 0.005),
        ])
    );
}
