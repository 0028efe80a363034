//! `search-index.js`: what `search.html` searches, as a script the page loads with a plain
//! `<script src>` (a `fetch` of a JSON file fails from `file://`). One compact object per
//! entity, stack and project, short keys, empty fields left out, descriptions cut, so that
//! 10,000 entities stay well under 2 MB.

use super::data::SiteData;
use super::html::truncate;
use super::url::project_anchor;
use serde::Serialize;

/// The global the index defines; `search.js` reads it.
pub const GLOBAL: &str = "STACKGATE_SEARCH";
/// The file, relative to the site root.
pub const FILE: &str = "search-index.js";
/// Characters of a description kept in the index.
const MAX_DESCRIPTION: usize = 64;
/// Characters of a title kept in the index.
const MAX_TITLE: usize = 60;
/// Tags kept per entity (a stack keeps all its keywords and technologies).
const MAX_TAGS: usize = 6;

#[derive(Serialize)]
struct Item<'a> {
    /// Kind: `Component`, `stack`, `project`…
    k: &'a str,
    /// Title, when it differs from the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    /// Name.
    n: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    d: String,
    /// Tags (keywords and technologies for a stack).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    g: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<&'a str>,
    /// The page, relative to the site root; left out for an entity in the default
    /// namespace whose page is `<kind in lowercase>/default/<name>.html` (search.js
    /// rebuilds it), which is most of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<String>,
}

/// The script text. `stack_page` gives the page of a stack by its index in `data.stacks`.
pub fn search_index(data: &SiteData, stack_page: impl Fn(usize) -> String) -> String {
    let mut items =
        Vec::with_capacity(data.entities.len() + data.stacks.len() + data.projects.len());
    for e in &data.entities {
        let Some(page) = &e.link.page else { continue };
        items.push(Item {
            k: &e.kind,
            t: title(e.title.as_deref(), &e.name),
            n: &e.name,
            d: short(e.description.as_deref()),
            g: e.tags.iter().take(MAX_TAGS).map(String::as_str).collect(),
            o: e.owner.as_ref().map(|o| o.label.as_str()),
            u: Some(page.clone()).filter(|p| *p != default_page(&e.kind, &e.name)),
        });
    }
    for (i, s) in data.stacks.iter().enumerate() {
        items.push(Item {
            k: "stack",
            t: title(Some(&s.name), &s.canonical),
            n: &s.canonical,
            d: short(s.description.as_deref()),
            g: s.keywords
                .iter()
                .chain(&s.technologies)
                .map(String::as_str)
                .collect(),
            o: None,
            u: Some(stack_page(i)),
        });
    }
    for p in &data.projects {
        let mut about = vec![p.kind.as_str()];
        about.extend(p.stack.as_deref());
        about.extend(p.environment.as_deref());
        about.extend(p.regions.iter().map(String::as_str));
        items.push(Item {
            k: "project",
            t: title(Some(&p.path), &p.name),
            n: &p.name,
            d: short(Some(&about.join(" · "))),
            g: Vec::new(),
            o: p.owner.as_ref().map(|o| o.label.as_str()),
            // Left out when search.js can rebuild it from the path (most projects).
            u: Some(format!("instances.html#{}", project_anchor(&p.path)))
                .filter(|u| *u != format!("instances.html#project-{}", p.path)),
        });
    }
    let mut out = format!("window.{GLOBAL} = [\n");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        // Serializing these plain structs cannot fail.
        out.push_str(&serde_json::to_string(item).unwrap_or_default());
    }
    out.push_str("\n];\n");
    out
}

/// The page search.js assumes when an item has no `u`. Only ASCII kinds: JavaScript's
/// `toLowerCase` and Rust's agree there.
fn default_page(kind: &str, name: &str) -> String {
    if kind.is_ascii() {
        format!("{}/default/{name}.html", kind.to_ascii_lowercase())
    } else {
        String::new()
    }
}

fn title(title: Option<&str>, name: &str) -> Option<String> {
    title.filter(|t| *t != name).map(|t| truncate(t, MAX_TITLE))
}

fn short(text: Option<&str>) -> String {
    let text = text.unwrap_or_default();
    // One line: descriptions are often folded YAML with newlines.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&flat, MAX_DESCRIPTION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixture::synthetic as entity;

    #[test]
    fn ten_thousand_entities_stay_under_two_megabytes() {
        let data = SiteData {
            entities: (0..10_000).map(entity).collect(),
            ..SiteData::default()
        };
        let index = search_index(&data, |_| String::new());
        assert!(index.len() < 2_000_000, "{} bytes", index.len());
        assert_eq!(index.matches("\"k\":\"Component\"").count(), 10_000);
    }

    #[test]
    fn items_are_compact() {
        let mut e = entity(7);
        e.description = Some("line one\n  line two".into());
        e.title = Some(e.name.clone());
        e.owner = None;
        let data = SiteData {
            entities: vec![e],
            ..SiteData::default()
        };
        let index = search_index(&data, |_| String::new());
        assert_eq!(
            index,
            "window.STACKGATE_SEARCH = [\n{\"k\":\"Component\",\"n\":\"service-00007\",\
             \"d\":\"line one line two\",\"g\":[\"java\",\"payments\",\"tier-1\"]}\n];\n"
        );
        // Outside the default namespace the page is written out.
        let mut e = entity(8);
        e.link.page = Some("component/team-a/service-00008.html".into());
        let data = SiteData {
            entities: vec![e],
            ..SiteData::default()
        };
        let index = search_index(&data, |_| String::new());
        assert!(
            index.contains(r#""u":"component/team-a/service-00008.html""#),
            "{index}"
        );
    }
}
