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

/// The header of an EC2 offer file, as published.
const EC2_HEADER: &str = concat!(
    "SKU,OfferTermCode,RateCode,TermType,PriceDescription,EffectiveDate,StartingRange,",
    "EndingRange,Unit,PricePerUnit,Currency,RelatedTo,LeaseContractLength,PurchaseOption,",
    "OfferingClass,Product Family,serviceCode,Location,Location Type,Instance Type,",
    "Current Generation,Instance Family,vCPU,Physical Processor,Clock Speed,Memory,Storage,",
    "Network Performance,Processor Architecture,Storage Media,Volume Type,Max Volume Size,",
    "Max IOPS/volume,Max IOPS Burst Performance,Max throughput/volume,Provisioned,Tenancy,",
    "EBS Optimized,Operating System,License Model,Group,Group Description,Transfer Type,",
    "From Location,From Location Type,To Location,To Location Type,usageType,operation,",
    "AvailabilityZone,CapacityStatus,ClassicNetworkingSupport,Dedicated EBS Throughput,ECU,",
    "Elastic Graphics Type,Enhanced Networking Supported,From Region Code,GPU,GPU Memory,",
    "Instance,Instance Capacity - 10xlarge,Instance Capacity - 12xlarge,",
    "Instance Capacity - 16xlarge,Instance Capacity - 18xlarge,Instance Capacity - 24xlarge,",
    "Instance Capacity - 2xlarge,Instance Capacity - 32xlarge,Instance Capacity - 4xlarge,",
    "Instance Capacity - 8xlarge,Instance Capacity - 9xlarge,Instance Capacity - large,",
    "Instance Capacity - medium,Instance Capacity - metal,Instance Capacity - xlarge,",
    "instanceSKU,Intel AVX2 Available,Intel AVX Available,Intel Turbo Available,MarketOption,",
    "Normalization Size Factor,Physical Cores,Pre Installed S/W,Processor Features,",
    "Product Type,Region Code,Resource Type,serviceName,SnapshotArchiveFeeType,To Region Code,",
    "Volume API Name,VPCNetworkingSupport"
);

/// The columns the other offers' mappings read (real names; the files have more).
const OTHER_HEADER: &str = concat!(
    "SKU,TermType,StartingRange,Unit,PricePerUnit,Currency,Product Family,Location Type,",
    "Instance Type,Volume Type,Database Engine,Database Edition,License Model,",
    "Deployment Option,Group,Group Description,usageType,Cache Engine,Alarm Type,Region Code,",
    "Volume API Name,Deployment Model"
);

/// What every regional on-demand row in us-east-1 says.
const REGIONAL: &str =
    "TermType=OnDemand;StartingRange=0;Currency=USD;Location Type=AWS Region;Region Code=us-east-1";

/// An on-demand Linux instance on shared tenancy, in use, no pre-installed software.
const INSTANCE: &str = concat!(
    "TermType=OnDemand;StartingRange=0;EndingRange=Inf;Unit=Hrs;Currency=USD;",
    "Product Family=Compute Instance;Location Type=AWS Region;Region Code=us-east-1;",
    "Tenancy=Shared;Operating System=Linux;License Model=No License required;",
    "operation=RunInstances;CapacityStatus=Used;MarketOption=OnDemand;Pre Installed S/W=NA"
);

/// `Column=value` pairs separated by `;`.
fn pairs(spec: &str) -> Vec<(&str, &str)> {
    spec.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.split_once('=').expect("Column=value"))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// An offer file: the metadata rows, the header, then one row per spec (over `defaults`).
fn offer_csv(code: &str, header: &str, defaults: &str, rows: &[&str]) -> String {
    let quoted = |fields: Vec<&str>| {
        let q: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
        q.join(",") + "\n"
    };
    let header: Vec<&str> = header.split(',').collect();
    let mut out = format!(
        "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"This pricing list is for informational \
         purposes only.\"\n\"Publication Date\",\"2026-07-29T23:42:48Z\"\n\
         \"Version\",\"20260729234248\"\n\"OfferCode\",\"{code}\"\n"
    );
    out.push_str(&quoted(header.clone()));
    for spec in rows {
        let set: Vec<(&str, &str)> = pairs(defaults).into_iter().chain(pairs(spec)).collect();
        let fields = header
            .iter()
            .map(|h| {
                set.iter()
                    .rev()
                    .find(|(k, _)| k == h)
                    .map_or("", |(_, v)| *v)
            })
            .collect();
        out.push_str(&quoted(fields));
    }
    out
}

/// EC2's us-east-1 list: the prices to find, and rows a naive matcher would pick.
fn ec2_csv() -> String {
    let m5 = "SKU=M5;Instance Type=m5.large;usageType=BoxUsage:m5.large";
    let instances = [
        // $0 rows before the real price: a capacity block, capacity reservations.
        format!("{m5};PricePerUnit=0.0000000000;MarketOption=CapacityBlock"),
        format!("{m5};PricePerUnit=0.0000000000;CapacityStatus=AllocatedCapacityReservation"),
        format!("{m5};PricePerUnit=0.0000000000;CapacityStatus=UnusedCapacityReservation"),
        format!("{m5};PricePerUnit=0.0960000000"),
        // A reserved term (cheaper by the hour) and its upfront fee.
        format!("{m5};PricePerUnit=0.0600000000;TermType=Reserved;LeaseContractLength=1yr"),
        format!("{m5};PricePerUnit=500;TermType=Reserved;Unit=Quantity"),
        // Windows: the licence-included price, not BYOL's (which is Linux's).
        format!(
            "{m5};PricePerUnit=0.1880000000;Operating System=Windows;\
             License Model=License included;operation=RunInstances:0002"
        ),
        format!(
            "{m5};PricePerUnit=0.0960000000;Operating System=Windows;\
             License Model=Bring your own license;operation=RunInstances:0800"
        ),
        // SQL Server Web pre-installed, and a local zone in the same file.
        format!("{m5};PricePerUnit=0.1940000000;Pre Installed S/W=SQL Web"),
        format!(
            "{m5};PricePerUnit=0.1150000000;Location Type=AWS Local Zone;\
             Region Code=us-east-1-bos-1;usageType=USE1-BOS1-BoxUsage:m5.large"
        ),
        // Dedicated tenancy only: no shared price for c5.xlarge.
        "Instance Type=c5.xlarge;PricePerUnit=0.1870000000;Tenancy=Dedicated;\
         usageType=DedicatedUsage:c5.xlarge"
            .to_string(),
        "Instance Type=t3.medium;PricePerUnit=0.0416000000;usageType=BoxUsage:t3.medium"
            .to_string(),
    ];
    let mut rows: Vec<String> = instances
        .iter()
        .map(|r| format!("{INSTANCE};{r}"))
        .collect();
    for r in [
        "Product Family=Storage;usageType=EBS:VolumeUsage.gp3;Unit=GB-Mo;PricePerUnit=0.08;\
         Volume API Name=gp3",
        "Product Family=Storage;usageType=EBS:VolumeUsage.gp2;Unit=GB-Mo;PricePerUnit=0.10;\
         Volume API Name=gp2",
        "Product Family=System Operation;usageType=EBS:VolumeP-IOPS.gp3;Unit=IOPS-Mo;\
         PricePerUnit=0.005;Volume API Name=gp3",
        "Product Family=Provisioned Throughput;usageType=EBS:VolumeP-Throughput.gp3;\
         Unit=GiBps-mo;PricePerUnit=40.96;Volume API Name=gp3",
        "Product Family=NAT Gateway;usageType=NatGateway-Hours;Unit=Hrs;PricePerUnit=0.045",
        "Product Family=NAT Gateway;usageType=NatGateway-Bytes;Unit=GB;PricePerUnit=0.045",
    ] {
        rows.push(format!("{REGIONAL};SKU=EBS;{r}"));
    }
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    offer_csv("AmazonEC2", EC2_HEADER, "", &rows)
}

const EC2_CSV_PATH: &str = "/offers/v1.0/aws/AmazonEC2/20260729234248/us-east-1/index.csv";

const REGION_INDEX: &str = r#"{
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
}"#;

fn ec2_only(server: &Server, dir: &std::path::Path) -> SyncOptions {
    let mut o = options(dir);
    o.clouds = vec![Cloud::Aws];
    o.regions = vec!["us-east-1".into()];
    o.services = vec!["AmazonEC2".into()];
    o.aws_endpoint = Some(server.url());
    o
}

/// A cloud's prices, one `service product unit region usd` line each, sorted.
fn lines(book: &PriceBook, cloud: Cloud, keep: impl Fn(&str, &str) -> bool) -> String {
    let rows = book.rows(cloud);
    let kept = rows.iter().filter(|r| keep(r.0, r.3));
    let text: Vec<String> = kept
        .map(|r| format!("{} {} {} {} {}", r.0, r.1, r.2, r.3, r.4))
        .collect();
    text.join("\n")
}

#[test]
fn aws_ec2_offer_is_streamed_mapped_retried_and_cached() {
    let server = Server::start(|_| {
        Box::new(|target, n| match target {
            "/offers/v1.0/aws/AmazonEC2/current/region_index.json" => (200, REGION_INDEX.into()),
            // The offer file fails once with a 500, then is served.
            EC2_CSV_PATH if n == 0 => (500, "busy".into()),
            EC2_CSV_PATH => (200, ec2_csv()),
            _ => (404, "no such file".into()),
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let mut progress = Vec::new();
    let opts = ec2_only(&server, dir.path());
    let report = sync(&opts, &mut |l| progress.push(l.to_string())).unwrap();

    let index = "/offers/v1.0/aws/AmazonEC2/current/region_index.json";
    assert_eq!(server.requests(), [index, EC2_CSV_PATH, EC2_CSV_PATH]);
    let r = &report.clouds[0];
    assert_eq!(r.cloud, Cloud::Aws);
    assert_eq!(r.prices, 9);
    assert_eq!(r.as_of, "2026-07-29");
    assert_eq!(r.versions, ["AmazonEC2 20260729234248"]);
    assert!(
        r.file.ends_with("aws-2026-07-29.txt"),
        "{}",
        r.file.display()
    );
    assert!(
        progress.iter().any(|l| l.contains("18 rows, 9 prices")),
        "{progress:?}"
    );

    // What the snapshot has besides EC2 in us-east-1 is kept.
    let snap = snapshot::book().rows(Cloud::Aws);
    let others = snap
        .iter()
        .filter(|r| !(r.0 == "AmazonEC2" && r.3 == "us-east-1"));
    assert_eq!(r.kept, others.count());

    let text = std::fs::read_to_string(&r.file).unwrap();
    assert!(
        text.starts_with("@cloud aws\n@as-of 2026-07-29\n"),
        "{text}"
    );
    let source = format!(
        "@source AWS Price List (bulk offer files) via {}\n",
        server.url()
    );
    assert!(text.contains(&source), "{text}");

    let (book, notes) = price_book(Some(dir.path()));
    assert!(notes.is_empty(), "{notes:?}");
    // 40.96 per GiBps-month / 1024 = 0.04 per MiBps-month. No c5.xlarge: dedicated only.
    let fresh = lines(&book, Cloud::Aws, |s, r| {
        s == "AmazonEC2" && r == "us-east-1"
    });
    assert_eq!(
        fresh,
        "\
AmazonEC2 ebs/gp2/storage GB-month us-east-1 0.1
AmazonEC2 ebs/gp3/iops IOPS-month us-east-1 0.005
AmazonEC2 ebs/gp3/storage GB-month us-east-1 0.08
AmazonEC2 ebs/gp3/throughput MiBps-month us-east-1 0.04
AmazonEC2 instance/linux/m5.large hour us-east-1 0.096
AmazonEC2 instance/linux/t3.medium hour us-east-1 0.0416
AmazonEC2 instance/windows/m5.large hour us-east-1 0.188
AmazonEC2 nat/data GB us-east-1 0.045
AmazonEC2 nat/hour hour us-east-1 0.045"
    );
    let describe = book.describe();
    assert!(describe.contains("(cache)"), "{describe}");
    assert!(
        book.sections
            .iter()
            .any(|s| s.as_of == "2026-07-29" && s.origin != "snapshot"),
        "{:?}",
        book.sections
    );

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
    let server = Server::start(|_| Box::new(|_, _| (200, REGION_INDEX.into())));
    let dir = tempfile::tempdir().unwrap();
    let mut o = ec2_only(&server, dir.path());
    o.regions = vec!["mars-north-1".into()];
    let err = sync(&o, &mut |_| {}).unwrap_err().to_string();
    assert!(
        err.starts_with("aws has no price list for region `mars-north-1`"),
        "{err}"
    );
}

/// A Retail Prices API page.
fn azure_page(items: &[String], next: Option<String>) -> String {
    let next = next.map_or("null".to_string(), |n| format!("\"{n}\""));
    format!(
        "{{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\",\
         \"CustomerEntityType\":\"Retail\",\"Items\":[{}],\"NextPageLink\":{next},\"Count\":{}}}",
        items.join(","),
        items.len()
    )
}

/// An item from `serviceName|productName|skuName|meterName|unitOfMeasure|retailPrice|type|armSkuName`.
fn azure_item(spec: &str) -> String {
    let f: Vec<&str> = spec.split('|').collect();
    format!(
        r#"{{"currencyCode":"USD","tierMinimumUnits":0.0,"retailPrice":{5},"unitPrice":{5},
        "armRegionName":"eastus","location":"US East","effectiveStartDate":"2021-06-01T00:00:00Z",
        "meterId":"m","meterName":"{3}","productId":"p","skuId":"p/s","productName":"{1}",
        "skuName":"{2}","serviceName":"{0}","serviceFamily":"Compute","unitOfMeasure":"{4}",
        "type":"{6}","isPrimaryMeterRegion":true,"armSkuName":"{7}"}}"#,
        f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
    )
}

fn azure_items(specs: &[&str]) -> Vec<String> {
    specs.iter().map(|s| azure_item(s)).collect()
}

const DSV3: &str = "Virtual Machines|Virtual Machines DSv3 Series";

#[test]
fn azure_pages_are_followed_and_only_pay_as_you_go_prices_kept() {
    let server = Server::start(|base| {
        Box::new(move |target, _| {
            if !target.starts_with("/api/retail/prices?") {
                return (404, String::new());
            }
            let vms = target.contains("Virtual%20Machines");
            if vms && !target.contains("skip") {
                let next = format!("{base}{target}&$skip=4");
                let items = azure_items(&[
                    &format!(
                        "{DSV3}|D2s v3 Spot|D2s v3 Spot|1 Hour|0.0192|Consumption|Standard_D2s_v3"
                    ),
                    &format!(
                        "{DSV3}|D2s v3 Low Priority|D2s v3 Low Priority|1 Hour|0.0192|Consumption|Standard_D2s_v3"
                    ),
                    &format!(
                        "{DSV3}|D2s v3|D2s v3|1 Hour|0.096|DevTestConsumption|Standard_D2s_v3"
                    ),
                    &format!("{DSV3}|D2s v3|D2s v3|1 Hour|0.096|Consumption|Standard_D2s_v3"),
                ]);
                return (200, azure_page(&items, Some(next)));
            }
            if vms {
                let items = azure_items(&[
                    &format!(
                        "{DSV3} Windows|D2s v3|D2s v3|1 Hour|0.188|Consumption|Standard_D2s_v3"
                    ),
                    &format!("{DSV3}|D2s v3|D2s v3|1 Hour|0.06|Reservation|Standard_D2s_v3"),
                ]);
                return (200, azure_page(&items, None));
            }
            let items = azure_items(&[
                "Storage|Premium SSD Managed Disks|P10 LRS|P10 LRS Disk|1/Month|19.71|Consumption|",
                "Load Balancer|Load Balancer|Standard|Standard Included LB Rules and Outbound Rules|1 Hour|0.025|Consumption|",
                "Load Balancer|Load Balancer|Standard|Standard Overage LB Rules and Outbound Rules|1 Hour|0.01|Consumption|",
                "Load Balancer|Load Balancer|Standard|Standard Data Processed|1 GB|0.005|Consumption|",
                "Virtual Network|IP Addresses|Standard|Standard IPv4 Static Public IP|1 Hour|0.005|Consumption|",
                "Azure Kubernetes Service|Azure Kubernetes Service|Standard|Standard Uptime SLA|1 Hour|0.1|Consumption|",
            ]);
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
    let filter = "$filter=serviceName%20eq%20%27Virtual%20Machines%27%20and%20\
                  armRegionName%20eq%20%27eastus%27%20and%20priceType%20eq%20%27Consumption%27";
    assert!(asked[0].ends_with(filter), "{asked:?}");
    let r = &report.clouds[0];
    assert_eq!(r.prices, 8);
    assert!(
        r.file.ends_with("azure-2026-11-22.txt"),
        "{}",
        r.file.display()
    );
    let text = std::fs::read_to_string(&r.file).unwrap();
    let head = "@cloud azure\n@as-of 2026-11-22\n@source Azure Retail Prices API via ";
    assert!(text.starts_with(head), "{text}");

    let (cached, warnings) = load_cached(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    // Every eastus price of the services read is a fresh one.
    assert_eq!(
        lines(&cached[0].book, Cloud::Azure, |_, r| r == "eastus"),
        "\
KubernetesService aks/standard hour eastus 0.1
LoadBalancer lb/standard/data GB eastus 0.005
LoadBalancer lb/standard/overage-rule hour eastus 0.01
LoadBalancer lb/standard/rule hour eastus 0.025
Storage managed-disk/p10 disk-month eastus 19.71
VirtualMachines vm/linux/standard_d2s_v3 hour eastus 0.096
VirtualMachines vm/windows/standard_d2s_v3 hour eastus 0.188
VirtualNetwork public-ip/standard/static hour eastus 0.005"
    );
}

/// One of the other offers, read from a file with the columns its mapping reads.
fn other(code: &str, rows: &[&str]) -> String {
    let csv = offer_csv(code, OTHER_HEADER, REGIONAL, rows);
    let (_, book) = read_offer_file(csv.as_bytes(), code, "us-east-1").unwrap();
    lines(&book, Cloud::Aws, |_, _| true)
}

#[test]
fn rds_rows_map_by_engine_deployment_and_volume() {
    let db = "Product Family=Database Instance;Instance Type=db.t3.micro;\
              License Model=No license required";
    let storage = "Product Family=Database Storage;Database Engine=Any";
    let got = other(
        "AmazonRDS",
        &[
            &format!(
                "{db};Database Engine=MySQL;Deployment Option=Single-AZ;usageType=InstanceUsage:db.t3.micro;PricePerUnit=0.017"
            ),
            &format!(
                "{db};Database Engine=MySQL;Deployment Option=Multi-AZ;usageType=Multi-AZUsage:db.t3.micro;PricePerUnit=0.034"
            ),
            // Aurora I/O-Optimized and Multi-AZ clusters are other products.
            &format!(
                "{db};Database Engine=Aurora MySQL;Deployment Option=Single-AZ;usageType=InstanceUsageIOOptimized:db.t3.micro;PricePerUnit=0.052"
            ),
            &format!(
                "{db};Database Engine=MySQL;Deployment Option=Multi-AZ (readable standbys);usageType=Multi-AZClusterUsage:db.t3.micro;PricePerUnit=0.051"
            ),
            // SQL Server Express: the licence-included price, not BYOL.
            &format!(
                "{db};Database Engine=SQL Server;Database Edition=Express;License Model=License included;Deployment Option=Single-AZ;usageType=InstanceUsage:db.t3.micro;PricePerUnit=0.024"
            ),
            &format!(
                "{db};Database Engine=SQL Server;Database Edition=Express;License Model=Bring your own license;Deployment Option=Single-AZ;usageType=InstanceUsage:db.t3.micro;PricePerUnit=0.017"
            ),
            &format!(
                "{storage};Volume Type=General Purpose;Deployment Option=Single-AZ;usageType=RDS:GP2-Storage;PricePerUnit=0.115"
            ),
            &format!(
                "{storage};Volume Type=General Purpose;Deployment Option=Multi-AZ;usageType=RDS:Multi-AZ-GP2-Storage;PricePerUnit=0.23"
            ),
            &format!(
                "{storage};Volume Type=General Purpose-GP3;Deployment Option=Single-AZ;usageType=RDS:GP3-Storage;PricePerUnit=0.115"
            ),
            &format!(
                "{storage};Volume Type=Provisioned IOPS;Deployment Option=Single-AZ;usageType=RDS:PIOPS-Storage;PricePerUnit=0.125"
            ),
            "Product Family=Provisioned IOPS;Database Engine=Any;Deployment Option=Single-AZ;usageType=RDS:PIOPS;PricePerUnit=0.1",
            "Product Family=Storage Snapshot;Database Engine=Any;usageType=RDS:ChargedBackupUsage;PricePerUnit=0.095",
        ],
    );
    assert_eq!(
        got,
        "\
AmazonRDS backup/storage GB-month us-east-1 0.095
AmazonRDS instance/mysql/multi/db.t3.micro hour us-east-1 0.034
AmazonRDS instance/mysql/single/db.t3.micro hour us-east-1 0.017
AmazonRDS instance/sqlserver-ex/single/db.t3.micro hour us-east-1 0.024
AmazonRDS iops/io1/single IOPS-month us-east-1 0.1
AmazonRDS storage/gp2/multi GB-month us-east-1 0.23
AmazonRDS storage/gp2/single GB-month us-east-1 0.115
AmazonRDS storage/gp3/single GB-month us-east-1 0.115
AmazonRDS storage/io1/single GB-month us-east-1 0.125"
    );
}

#[test]
fn load_balancer_storage_and_serverless_rows_map() {
    let elb = other(
        "AWSELB",
        &[
            "Product Family=Load Balancer-Application;usageType=LoadBalancerUsage;PricePerUnit=0.0225",
            "Product Family=Load Balancer-Application;usageType=LCUUsage;PricePerUnit=0.008",
            "Product Family=Load Balancer-Network;usageType=LoadBalancerUsage;PricePerUnit=0.0225",
            "Product Family=Load Balancer-Network;usageType=LCUUsage;PricePerUnit=0.006",
            "Product Family=Load Balancer;usageType=LoadBalancerUsage;PricePerUnit=0.025",
            "Product Family=Load Balancer;usageType=DataProcessing-Bytes;PricePerUnit=0.008",
        ],
    );
    assert_eq!(
        elb,
        "\
AWSELB alb/hour hour us-east-1 0.0225
AWSELB alb/lcu LCU-hour us-east-1 0.008
AWSELB clb/data GB us-east-1 0.008
AWSELB clb/hour hour us-east-1 0.025
AWSELB nlb/hour hour us-east-1 0.0225
AWSELB nlb/lcu LCU-hour us-east-1 0.006"
    );

    // Per-request prices come out per 1,000 requests; the tier over 50 TB is not the price.
    let s3 = other(
        "AmazonS3",
        &[
            "usageType=TimedStorage-ByteHrs;Volume Type=Standard;PricePerUnit=0.023",
            "usageType=TimedStorage-ByteHrs;Volume Type=Standard;PricePerUnit=0.022;StartingRange=51200",
            "usageType=TimedStorage-SIA-ByteHrs;PricePerUnit=0.0125",
            "usageType=TimedStorage-GIR-ByteHrs;PricePerUnit=0.004",
            "usageType=Requests-Tier1;PricePerUnit=0.000005",
            "usageType=Requests-Tier2;PricePerUnit=0.0000004",
        ],
    );
    assert_eq!(
        s3,
        "\
AmazonS3 requests/get 1k-requests us-east-1 0.0004
AmazonS3 requests/put 1k-requests us-east-1 0.005
AmazonS3 storage/GLACIER_IR GB-month us-east-1 0.004
AmazonS3 storage/STANDARD GB-month us-east-1 0.023
AmazonS3 storage/STANDARD_IA GB-month us-east-1 0.0125"
    );

    let lambda = other(
        "AWSLambda",
        &[
            "Group=AWS-Lambda-Requests;usageType=Request;PricePerUnit=0.0000002",
            "Group=AWS-Lambda-Duration;usageType=Lambda-GB-Second;PricePerUnit=0.0000166667",
            "Group=AWS-Lambda-Duration;usageType=Lambda-GB-Second;PricePerUnit=0.000015;StartingRange=6000000000",
            "Group=AWS-Lambda-Duration-ARM;usageType=Lambda-GB-Second-ARM;PricePerUnit=0.0000133334",
        ],
    );
    assert_eq!(
        lambda,
        "\
AWSLambda duration/arm64 GB-second us-east-1 0.0000133334
AWSLambda duration/x86_64 GB-second us-east-1 0.0000166667
AWSLambda requests 1M-requests us-east-1 0.2"
    );
}

#[test]
fn monitoring_keys_secrets_dns_caches_and_endpoints_map() {
    let cw = other(
        "AmazonCloudWatch",
        &[
            "Product Family=Data Payload;usageType=USE1-DataProcessing-Bytes;PricePerUnit=0.5",
            "Product Family=Storage Snapshot;usageType=USE1-TimedStorage-ByteHrs;PricePerUnit=0.03",
            "Product Family=Data Payload;usageType=USE1-DataScanned-Bytes;PricePerUnit=0.005",
            "Product Family=Metric;usageType=CW:MetricMonitorUsage;PricePerUnit=0.3",
            "Product Family=Metric;usageType=CW:MetricMonitorUsage;PricePerUnit=0.1;StartingRange=10000",
            "Product Family=Alarm;usageType=CW:AlarmMonitorUsage;Alarm Type=Standard;PricePerUnit=0.1",
            "Product Family=Alarm;usageType=CW:AlarmMonitorUsage;Alarm Type=High Resolution;PricePerUnit=0.3",
        ],
    );
    assert_eq!(
        cw,
        "\
AmazonCloudWatch alarm/standard alarm-month us-east-1 0.1
AmazonCloudWatch logs/ingestion GB us-east-1 0.5
AmazonCloudWatch logs/insights GB us-east-1 0.005
AmazonCloudWatch logs/storage GB-month us-east-1 0.03
AmazonCloudWatch metric metric-month us-east-1 0.3"
    );

    let kms = other(
        "awskms",
        &[
            "usageType=us-east-1-KMS-Keys;PricePerUnit=1",
            "usageType=us-east-1-KMS-Requests;PricePerUnit=0.000003",
        ],
    );
    assert_eq!(
        kms,
        "awskms key/customer key-month us-east-1 1\nawskms requests 10k-requests us-east-1 0.03"
    );

    let secrets = other(
        "AWSSecretsManager",
        &[
            "Product Family=Secret;usageType=USE1-AWSSecretsManager-Secrets;PricePerUnit=0.4",
            "Product Family=API Request;usageType=USE1-AWSSecretsManagerAPIRequest;PricePerUnit=0.000005",
        ],
    );
    assert_eq!(
        secrets,
        "AWSSecretsManager api 10k-requests us-east-1 0.05\n\
         AWSSecretsManager secret secret-month us-east-1 0.4"
    );

    // Route 53 is read from its whole offer file, under `global`.
    let route53 = other(
        "AmazonRoute53",
        &[
            "usageType=HostedZone;PricePerUnit=0.5;Location Type=;Region Code=",
            "usageType=HostedZone;PricePerUnit=0.1;StartingRange=25;Location Type=;Region Code=",
            "usageType=DNS-Queries;PricePerUnit=0.0000004;Location Type=;Region Code=",
        ],
    );
    assert_eq!(
        route53,
        "AmazonRoute53 queries/standard 1M-queries global 0.4\n\
         AmazonRoute53 zone/hosted zone-month global 0.5"
    );

    let node = "Product Family=Cache Instance;Instance Type=cache.t3.micro;\
                usageType=NodeUsage:cache.t3.micro";
    let cache = other(
        "AmazonElastiCache",
        &[
            &format!("{node};Cache Engine=Redis;PricePerUnit=0.017"),
            // A free-tier row at $0 beside the price.
            &format!("{node};Cache Engine=Memcached;PricePerUnit=0"),
            &format!("{node};Cache Engine=Memcached;PricePerUnit=0.017"),
        ],
    );
    assert_eq!(
        cache,
        "AmazonElastiCache node/memcached/cache.t3.micro hour us-east-1 0.017\n\
         AmazonElastiCache node/redis/cache.t3.micro hour us-east-1 0.017"
    );

    let vpc = other(
        "AmazonVPC",
        &[
            "usageType=PublicIPv4:InUseAddress;PricePerUnit=0.005",
            "usageType=PublicIPv4:IdleAddress;PricePerUnit=0.005",
            "usageType=VpcEndpoint-Hours;PricePerUnit=0.01",
            "usageType=VpcEndpoint-Bytes;PricePerUnit=0.01",
            "usageType=VpcEndpoint-GWLBE-Hours;PricePerUnit=0.0035",
        ],
    );
    assert_eq!(
        vpc,
        "AmazonVPC endpoint/interface/data GB us-east-1 0.01\n\
         AmazonVPC endpoint/interface/hour hour us-east-1 0.01\n\
         AmazonVPC public-ipv4/hour hour us-east-1 0.005"
    );
}
