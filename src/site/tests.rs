//! The whole site rendered from the fixture: snapshots of the main pages, links that
//! resolve, determinism, themes, and hostile text staying inert.

use super::data::*;
use super::fixture::site;
use super::{SiteError, SiteOptions, SiteStats, render};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Renders `data` into a fresh folder; returns the folder and every file in it.
pub(super) fn build(
    data: &SiteData,
    options: &SiteOptions,
) -> (tempfile::TempDir, SiteStats, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let stats = render(data, options, dir.path()).unwrap();
    let files = files(dir.path());
    (dir, stats, files)
}

pub(super) fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

pub(super) fn text<'a>(files: &'a BTreeMap<String, Vec<u8>>, name: &str) -> &'a str {
    std::str::from_utf8(files.get(name).unwrap_or_else(|| panic!("no {name}"))).unwrap()
}

fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every `href` and `src` value of a page, unescaped.
pub(super) fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// `page`'s folder joined with `link`, `..` resolved.
fn resolve(page: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{link} climbs out of the site from {page}"
                );
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Every link on every page is external, or leads to a file of the site (and to an
/// element with the fragment's id when it has one).
pub(super) fn assert_links_resolve(files: &BTreeMap<String, Vec<u8>>) {
    let mut checked = 0;
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        for link in links(html) {
            if link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                page.clone()
            } else {
                resolve(page, path)
            };
            let Some(target_bytes) = files.get(&target) else {
                panic!("{page}: {link} leads to {target}, which is not in the site");
            };
            if !fragment.is_empty() {
                let target_html = std::str::from_utf8(target_bytes).unwrap();
                assert!(
                    target_html.contains(&format!("id=\"{fragment}\"")),
                    "{page}: {link}: no id {fragment} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn snapshots_of_the_main_pages() {
    let (_dir, _, files) = build(&site(), &SiteOptions::default());
    insta::assert_snapshot!("index", text(&files, "index.html"));
    insta::assert_snapshot!(
        "entity",
        text(&files, "component/default/payments-api.html")
    );
    insta::assert_snapshot!("stack", text(&files, "stacks/aws-rds.html"));
    insta::assert_snapshot!("costs", text(&files, "costs.html"));
    insta::assert_snapshot!("search_index", text(&files, "search-index.js"));
}

#[test]
fn writes_every_page_and_counts_them() {
    let (_dir, stats, files) = build(&site(), &SiteOptions::default());
    let pages: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        pages,
        [
            "api/default/payments-http.html",
            "assets/search.js",
            "assets/style.css",
            "catalog/api.html",
            "catalog/component.html",
            "catalog/group.html",
            "catalog/index.html",
            "catalog/resource.html",
            "catalog/system.html",
            "catalog/user.html",
            "component/default/checkout-web.html",
            "component/default/ledger-worker.html",
            "component/default/payments-api.html",
            "costs.html",
            "group/default/payments.html",
            "group/default/platform.html",
            "index.html",
            "instances.html",
            "policies.html",
            "resource/default/payments-db.html",
            "scorecards.html",
            "search-index.js",
            "search.html",
            "stacks.html",
            "stacks/aws-rds.html",
            "system/default/payments.html",
            "user/default/jdoe.html",
        ]
    );
    assert_eq!(
        stats.pages,
        files.keys().filter(|p| p.ends_with(".html")).count()
    );
    assert_eq!(
        stats.bytes,
        files.values().map(|b| b.len() as u64).sum::<u64>()
    );
    assert_eq!(
        stats.search_index_bytes,
        files["search-index.js"].len() as u64
    );
}

#[test]
fn links_resolve_from_every_page() {
    let (_dir, _, files) = build(&site(), &SiteOptions::default());
    assert_links_resolve(&files);
    // Each page reaches the stylesheet through its own prefix.
    assert!(text(&files, "index.html").contains("href=\"assets/style.css\""));
    assert!(text(&files, "catalog/api.html").contains("href=\"../assets/style.css\""));
    assert!(
        text(&files, "component/default/payments-api.html")
            .contains("href=\"../../assets/style.css\"")
    );
}

#[test]
fn pages_carry_what_the_browser_tests_read() {
    let (_dir, _, files) = build(&site(), &SiteOptions::default());
    let api = text(&files, "component/default/payments-api.html");
    assert!(api.contains("<h1 id=\"title\">Payments API</h1>"));
    assert!(api.contains(
        "<dd id=\"owner\"><a href=\"../../group/default/payments.html\">Payments</a></dd>"
    ));
    assert!(api.contains("<dd id=\"monthly-cost\">$1,444.75</dd>"));
    // An unresolved relation is text, with the reference in its tooltip.
    assert!(api.contains(
        "title=\"component:default/fraud-check is not described in the catalog\">fraud-check</span>"
    ));
    let search = text(&files, "search.html");
    for needle in [
        "id=\"q\"",
        "name=\"q\"",
        "id=\"results\"",
        "<script src=\"search-index.js\"></script>",
    ] {
        assert!(search.contains(needle), "{needle}");
    }
    assert!(text(&files, "assets/search.js").contains("search-result"));
    let index = text(&files, "index.html");
    assert!(index.contains("<form class=\"search-form\" action=\"search.html\" method=\"get\""));
    // Environments in order, "none" last.
    let instances = text(&files, "instances.html");
    let order: Vec<usize> = [
        "<h2 id=\"env-1\">prod</h2>",
        "<h2 id=\"env-2\">staging</h2>",
        "<h2 id=\"env-3\">none</h2>",
    ]
    .iter()
    .map(|h| instances.find(h).unwrap_or_else(|| panic!("{h}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    // A missing amount is a dash that says why.
    assert!(
        instances.contains(
            "<span class=\"na\" title=\"nothing in this project could be priced\">–</span>"
        )
    );
    let policies = text(&files, "policies.html");
    assert!(policies.contains("<code>deploy/prod/payments-db.stack.yaml:7</code>"));
    assert!(policies.contains("1 finding waived"));
    let scorecards = text(&files, "scorecards.html");
    assert!(scorecards.contains("<td class=\"num\">75%</td>"));
    assert!(!text(&files, "index.html").contains("Generated"));
}

#[test]
fn the_timestamp_shows_only_when_given() {
    let mut data = site();
    data.generated = Some("2026-11-21T10:00:00Z".into());
    let (_dir, _, files) = build(&data, &SiteOptions::default());
    assert!(text(&files, "costs.html").contains("Generated 2026-11-21T10:00:00Z."));
}

#[test]
fn output_is_deterministic_whatever_the_thread_count() {
    let data = site();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| build(&data, &SiteOptions::default()))
    };
    let (_a, stats_a, one) = run(1);
    let (_b, stats_b, four) = run(4);
    assert_eq!(stats_a, stats_b);
    assert_eq!(one, four);
}

#[test]
fn an_empty_catalog_still_renders_every_section() {
    let (_dir, stats, files) = build(&SiteData::default(), &SiteOptions::default());
    assert_eq!(stats.pages, 8);
    assert!(text(&files, "catalog/index.html").contains("The catalog is empty"));
    assert!(text(&files, "search-index.js").starts_with("window.STACKGATE_SEARCH = ["));
}

#[test]
fn replaces_its_files_and_leaves_others() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public/site");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "old").unwrap();
    fs::write(out.join("CNAME"), "docs.example.com").unwrap();
    render(&site(), &SiteOptions::default(), &out).unwrap();
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Acme platform")
    );
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "docs.example.com"
    );
}

#[test]
fn an_unwritable_output_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    fs::create_dir_all(out.join("index.html")).unwrap();
    let err = render(&site(), &SiteOptions::default(), &out).unwrap_err();
    assert!(matches!(err, SiteError::Io { .. }), "{err}");
    assert!(err.to_string().contains("index.html"), "{err}");
}

#[test]
fn a_theme_overrides_templates_and_assets() {
    let theme = tempfile::tempdir().unwrap();
    fs::write(
        theme.path().join("index.html"),
        "{% extends \"base.html\" %}{% block content %}<h1 id=\"title\">Custom {{ site.title }}</h1>{% include \"banner.html\" %}{% endblock %}",
    )
    .unwrap();
    fs::write(
        theme.path().join("banner.html"),
        "<p class=\"banner\">{{ counts.projects }} projects</p>",
    )
    .unwrap();
    fs::create_dir(theme.path().join("assets")).unwrap();
    fs::write(
        theme.path().join("assets/style.css"),
        "body { color: red; }",
    )
    .unwrap();
    fs::write(theme.path().join("assets/logo.svg"), "<svg/>").unwrap();
    let options = SiteOptions {
        theme_dir: Some(theme.path().to_path_buf()),
    };
    let (_dir, _, files) = build(&site(), &options);
    let index = text(&files, "index.html");
    assert!(
        index.contains(
            "<h1 id=\"title\">Custom Acme platform</h1><p class=\"banner\">4 projects</p>"
        ),
        "{index}"
    );
    assert!(
        index.contains("aria-current=\"page\">Home</a>"),
        "the base layout stays"
    );
    assert_eq!(text(&files, "assets/style.css"), "body { color: red; }");
    assert_eq!(text(&files, "assets/logo.svg"), "<svg/>");
    assert!(
        !files.contains_key("banner.html"),
        "a partial is not a page"
    );
    // Pages the theme does not override keep the embedded templates.
    assert!(text(&files, "costs.html").contains("<h1 id=\"title\">Costs</h1>"));
}

#[test]
fn a_broken_theme_template_is_an_error_naming_file_and_line() {
    let theme = tempfile::tempdir().unwrap();
    let file = theme.path().join("entity.html");
    fs::write(
        &file,
        "{% extends \"base.html\" %}\n{% block content %}\n{% for x in %}\n{% endblock %}\n",
    )
    .unwrap();
    let options = SiteOptions {
        theme_dir: Some(theme.path().to_path_buf()),
    };
    let out = tempfile::tempdir().unwrap();
    let err = render(&site(), &options, out.path()).unwrap_err();
    match &err {
        SiteError::Template {
            template,
            path,
            line,
            ..
        } => {
            assert_eq!(template, "entity.html");
            assert_eq!(path.as_deref(), Some(file.as_path()));
            assert_eq!(*line, Some(3));
        }
        other => panic!("{other}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:3: syntax error", file.display())),
        "{message}"
    );

    // A template that parses but fails while rendering names its line too.
    fs::write(&file, "{% extends \"base.html\" %}\n{% block content %}\n\n{{ e.no_such_field.deeper }}\n{% endblock %}\n").unwrap();
    let err = render(&site(), &options, out.path()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}:4: ", file.display())),
        "{err}"
    );
}
