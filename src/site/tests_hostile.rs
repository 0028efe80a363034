//! Hostile text everywhere user text goes (titles, descriptions, links, docs, labels,
//! paths, stack names, policy and scorecard ids): the site shows it as text, and no page
//! gains a script, an event handler, a style or a `javascript:` link.

use super::SiteOptions;
use super::data::*;
use super::fixture::{entity, site};
use super::tests::{assert_links_resolve, build, links, text};

/// The elements of a page: each tag's name and attribute names, lowercase. User text is
/// escaped, so every tag found is one the site wrote (or ammonia let through).
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'>'
            && bytes[i] != b'/'
        {
            i += 1;
        }
        let tag = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i])
            {
                i += 1;
            }
            attrs.push(html[name_start..i].to_ascii_lowercase());
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        i += 1;
                        while i < bytes.len() && bytes[i] != q {
                            i += 1;
                        }
                        i += 1;
                    }
                    _ => {
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                    }
                }
            }
        }
        out.push((tag, attrs));
    }
    out
}

#[test]
fn the_tag_scanner_sees_attributes() {
    let found = tags(
        "<p title=\"x onerror=y\">a &lt;img onerror=x&gt;</p><img src=x onerror=alert(1)><br/>",
    );
    assert_eq!(
        found,
        [
            ("p".to_string(), vec!["title".to_string()]),
            (
                "img".to_string(),
                vec!["src".to_string(), "onerror".to_string()]
            ),
            ("br".to_string(), vec![]),
        ]
    );
}

/// An entity (and every other kind of user text) written to attack the page.
fn hostile() -> SiteData {
    const SCRIPT: &str = "<script>alert(1)</script>";
    const IMG: &str = "<img src=x onerror=alert(1)>";
    let mut data = site();
    data.title = format!("Acme {SCRIPT}");
    data.prices = IMG.to_string();
    let mut e = entity("component", "Component", "evil");
    e.title = Some(SCRIPT.to_string());
    e.description = Some(format!("{IMG} \"quoted\" 'single'"));
    e.spec_type = Some("\" onmouseover=\"alert(1)".to_string());
    e.lifecycle = Some(IMG.to_string());
    e.tags = vec!["\"><script>alert(1)</script>".to_string()];
    e.labels = vec![(SCRIPT.to_string(), IMG.to_string())];
    e.annotations = vec![("x".into(), "javascript:alert(1)".into())];
    e.links = [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://ok.example.com/\"onclick=\"x",
    ]
    .iter()
    .map(|u| Link {
        url: u.to_string(),
        title: Some(IMG.to_string()),
        icon: None,
        link_type: Some(SCRIPT.to_string()),
    })
    .collect();
    e.owner = Some(EntityLink {
        key: format!("group:default/{SCRIPT}"),
        label: SCRIPT.to_string(),
        page: Some("../../../../etc/passwd.html".to_string()),
    });
    e.relations = vec![Relation {
        relation: SCRIPT.to_string(),
        target: EntityLink {
            key: IMG.to_string(),
            label: IMG.to_string(),
            page: Some("javascript:alert(1).html".to_string()),
        },
    }];
    e.docs = vec![Doc {
        path: "evil/README.md".into(),
        title: SCRIPT.to_string(),
        markdown: format!(
            "# Evil\n\n<script>alert(2)</script>\n\n{IMG}\n\n[x](javascript:alert(1)) \
             <a href=\"javascript:alert(1)\" onclick=\"alert(1)\">y</a> \
             <p style=\"background:url(javascript:alert(1))\">z</p> \
             <iframe src=\"https://evil.example.com\"></iframe>\n\n\
             ![i](javascript:alert(1))\n"
        ),
    }];
    e.scores = vec![EntityScore {
        scorecard: SCRIPT.to_string(),
        level: Some(IMG.to_string()),
        score: 0.5,
        rules: vec![RuleResult {
            id: SCRIPT.into(),
            level: IMG.into(),
            status: "\"><script>alert(1)</script>".into(),
            message: IMG.into(),
        }],
    }];
    let mut p = data.projects[0].clone();
    p.path = format!("deploy/{SCRIPT}.stack.yaml");
    p.name = SCRIPT.to_string();
    p.stack = Some(SCRIPT.to_string());
    p.environment = Some(IMG.to_string());
    p.regions = vec![SCRIPT.to_string()];
    e.projects = vec![p.clone()];
    e.file = SCRIPT.to_string();
    data.projects.push(p);
    data.entities.push(e);
    let mut stack = data.stacks[0].clone();
    stack.canonical = "../../evil".into();
    stack.name = SCRIPT.into();
    stack.description = Some(IMG.into());
    stack.use_cases[0].fields[0].default = Some(format!("\"{SCRIPT}\""));
    stack.use_cases[0].fields[0].constraints = vec![IMG.into()];
    stack.use_cases[0].cost_note = Some(SCRIPT.into());
    stack.use_cases[0].monthly_cost_at_defaults = None;
    stack.instances.push(format!("deploy/{SCRIPT}.stack.yaml"));
    data.stacks.push(stack);
    data.policies[0].id = SCRIPT.into();
    data.policies[0].violations[0].message = IMG.into();
    data.scorecards[0].id = IMG.into();
    data.costs.by_team.push(CostSlice {
        label: SCRIPT.into(),
        page: Some("javascript:alert(1)".into()),
        monthly_cost: 5.0,
    });
    data.recent_changes[0].summary = IMG.into();
    data.recent_changes[0].projects.push(SCRIPT.into());
    data
}

#[test]
fn hostile_text_stays_inert() {
    let (dir, _, files) = build(&hostile(), &SiteOptions::default());
    // Nothing was written outside the output folder.
    assert!(!dir.path().parent().unwrap().join("etc").exists());
    let own_scripts = [
        "<script src=\"search-index.js\"></script>",
        "<script src=\"assets/search.js\"></script>",
    ];
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        let mut rest = html.to_string();
        for own in own_scripts {
            rest = rest.replace(own, "");
        }
        for (tag, attrs) in tags(&rest) {
            assert!(
                !["script", "iframe", "object", "embed", "style"].contains(&tag.as_str()),
                "{name}: a <{tag}> element"
            );
            for attr in attrs {
                assert!(
                    !attr.starts_with("on") && attr != "style",
                    "{name}: <{tag} {attr}=…>"
                );
            }
        }
        for link in links(html) {
            let squashed: String = link
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !squashed.starts_with("javascript:") && !squashed.starts_with("data:"),
                "{name}: href {link:?}"
            );
        }
    }
    assert_links_resolve(&files);
    let evil = text(&files, "component/default/evil.html");
    assert!(
        evil.contains("<h1 id=\"title\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{evil}"
    );
    assert!(
        evil.contains("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &#39;single&#39;")
    );
    // The unsafe link is shown, not linked; the owner page that climbs out is not linked.
    assert!(evil.contains("<span class=\"inert\""));
    assert!(evil.contains("<dd id=\"owner\"><span class=\"unresolved\""));
    // The stack named `../../evil` stays in `stacks/`.
    assert!(files.contains_key("stacks/_2e_2e_2f_2e_2e_2fevil.html"));
    // The search index stays a script defining one array.
    let index = text(&files, "search-index.js");
    let json = index
        .strip_prefix("window.STACKGATE_SEARCH = ")
        .unwrap()
        .trim_end()
        .trim_end_matches(';');
    let items: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| !i["u"].as_str().unwrap_or_default().contains("javascript"))
    );
}
