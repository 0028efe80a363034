//! The built site in a real headless browser (Debian's chromium, driven through chromedriver
//! over WebDriver): search from the home page, follow a result, read an entity's owner and
//! cost; and a hostile catalog whose every field tries to run script stays inert.
//!
//! Needs `chromium` and `chromedriver` (`.ci/run` installs Debian's `chromium` and
//! `chromium-driver`); `CHROMEDRIVER` and `CHROME_BIN` point elsewhere.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{fixture, stackgate};

/// A chromedriver for one test, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_driver() -> Driver {
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{bin}` ({e}): the browser tests need chromium and chromedriver \
                 (Debian: apt-get install chromium chromium-driver; .ci/run does it)"
            )
        });
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

async fn browser(driver: &Driver) -> Client {
    let mut options = serde_json::json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--allow-file-access-from-files"]
    });
    let binary = std::env::var("CHROME_BIN").ok().or_else(|| {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .find(|p| Path::new(p).exists())
            .map(|p| p.to_string())
    });
    if let Some(b) = binary {
        options["binary"] = serde_json::Value::String(b);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

fn build_site(repo: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let r = stackgate(&[
        "site",
        repo.to_str().expect("utf-8 path"),
        "--out",
        site.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(r.code, 0, "stackgate site failed: {}", r.stderr);
    (out, site)
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn search_from_home_then_read_owner_and_cost() {
    let (_keep, site) = build_site(&crate::support::repo_root().join("examples/acme-platform"));
    let driver = start_driver();
    runtime().block_on(async {
        let c = browser(&driver).await;
        let result = async {
            c.goto(&file_url(&site.join("index.html"))).await?;
            let q = c.find(Locator::Id("q")).await?;
            q.send_keys("payments api").await?;
            q.send_keys("\u{E007}").await?; // Enter submits the search form.
            c.wait()
                .for_element(Locator::Css("a.search-result"))
                .await?;
            assert!(c.current_url().await?.as_str().contains("search.html?q="));
            let results = c.find_all(Locator::Css("a.search-result")).await?;
            // The API and the component share the title: follow the component.
            let mut target = None;
            for r in results {
                let href = r.attr("href").await?.unwrap_or_default();
                if r.text().await?.contains("Payments API")
                    && href.ends_with("component/default/payments-api.html")
                {
                    target = Some(r);
                    break;
                }
            }
            let target = target.expect("the Payments API component among the results");
            target.click().await?;
            c.wait().for_element(Locator::Id("title")).await?;
            let url = c.current_url().await?;
            assert!(
                url.as_str()
                    .ends_with("component/default/payments-api.html"),
                "{url}"
            );
            let title = c.find(Locator::Id("title")).await?.text().await?;
            assert!(title.contains("Payments API"), "{title}");
            let owner = c.find(Locator::Id("owner")).await?.text().await?;
            assert!(owner.contains("Payments"), "owner: {owner}");
            let cost = c.find(Locator::Id("monthly-cost")).await?.text().await?;
            assert!(cost.trim_start().starts_with('$'), "cost: {cost}");
            // The owner is a link to the team's page, which exists.
            c.find(Locator::Css("#owner a")).await?.click().await?;
            c.wait().for_element(Locator::Id("title")).await?;
            assert!(
                c.current_url()
                    .await?
                    .as_str()
                    .ends_with("group/default/team-payments.html")
            );
            // A project result leads to its row on the instances page.
            c.goto(&file_url(&site.join("search.html?q=payments-db")))
                .await?;
            c.wait()
                .for_element(Locator::Css("a.search-result"))
                .await?;
            let mut project = None;
            for r in c.find_all(Locator::Css("a.search-result")).await? {
                let href = r.attr("href").await?.unwrap_or_default();
                if href.contains("instances.html#project-deploy/prod/payments-db") {
                    project = Some(r);
                    break;
                }
            }
            project
                .expect("the prod payments-db instance among the results")
                .click()
                .await?;
            let found = c
                .execute(
                    "return !!document.getElementById(decodeURIComponent(location.hash.slice(1)));",
                    vec![],
                )
                .await?;
            assert_eq!(found, serde_json::Value::Bool(true), "the project's row");
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = c.close().await;
        result.expect("the browser session");
    });
}

#[test]
fn a_hostile_catalog_stays_inert() {
    let (_keep, site) = build_site(&fixture("site-hostile"));
    let page = site.join("component/default/evil.html");
    assert!(page.exists(), "no page for the hostile entity");
    let driver = start_driver();
    runtime().block_on(async {
        let c = browser(&driver).await;
        let result = async {
            c.goto(&file_url(&page)).await?;
            c.wait().for_element(Locator::Id("title")).await?;
            // The markup shows as text.
            let title = c.find(Locator::Id("title")).await?.text().await?;
            assert!(title.contains("<script>"), "title: {title}");
            // Follow every link the page offers to the hostile text, and the search.
            for text in ["<i>Runbook</i>", "click me", "raw link"] {
                if let Ok(a) = c.find(Locator::LinkText(text)).await {
                    let href = a.attr("href").await?.unwrap_or_default();
                    assert!(!href.starts_with("javascript:"), "{text}: {href}");
                    let _ = a.click().await;
                    let _ = c.goto(&file_url(&page)).await;
                }
            }
            let hrefs = c
                .execute(
                    "return Array.from(document.querySelectorAll('[href],[src]'))\
                     .map(e => e.getAttribute('href') || e.getAttribute('src'));",
                    vec![],
                )
                .await?;
            for h in hrefs.as_array().into_iter().flatten() {
                let h = h.as_str().unwrap_or_default().to_ascii_lowercase();
                assert!(!h.trim_start().starts_with("javascript:"), "{h}");
            }
            let handlers = c
                .execute(
                    "return Array.from(document.querySelectorAll('*')).flatMap(e => \
                     Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => a.name));",
                    vec![],
                )
                .await?;
            assert_eq!(handlers, serde_json::json!([]), "event handler attributes");
            c.goto(&file_url(&site.join("search.html?q=evil"))).await?;
            let _ = c.wait().for_element(Locator::Css("a.search-result")).await;
            let pwned = c.execute("return window.__pwned || null;", vec![]).await?;
            assert_eq!(pwned, serde_json::Value::Null, "script ran");
            c.goto(&file_url(&page)).await?;
            let pwned = c.execute("return window.__pwned || null;", vec![]).await?;
            assert_eq!(pwned, serde_json::Value::Null, "script ran");
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = c.close().await;
        result.expect("the browser session");
    });
}
