//! An entity's docs (README, `docs/*.md`) as HTML: rendered by pulldown-cmark, then cleaned
//! by ammonia, so raw HTML in markdown keeps its text and loses scripts, handlers and styles.
//! Links between the entity's own docs become anchors on its page; other links into the
//! repository lead nowhere on the site and lose their `href` (the text stays).

use super::data::Doc;
use ammonia::{Builder, UrlRelative, UrlRelativeEvaluate};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// A doc ready for its section of the entity page.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedDoc {
    /// The section's `id`: `doc-1`, `doc-2`…
    pub id: String,
    pub title: String,
    pub path: String,
    /// Sanitized HTML.
    pub html: String,
}

pub fn render_docs(docs: &[Doc]) -> Vec<RenderedDoc> {
    let ids: BTreeMap<&str, String> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), format!("doc-{}", i + 1)))
        .collect();
    docs.iter()
        .enumerate()
        .map(|(i, doc)| RenderedDoc {
            id: format!("doc-{}", i + 1),
            title: doc.title.clone(),
            path: doc.path.clone(),
            html: to_html(doc, &ids),
        })
        .collect()
}

/// Markdown to sanitized HTML. The doc's leading `# title` is dropped (the page shows the
/// title above it) and headings move down two levels, below the page's `h1` and `h2`.
fn to_html(doc: &Doc, ids: &BTreeMap<&str, String>) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut events: Vec<Event> = Parser::new_ext(&doc.markdown, options).collect();
    drop_title(&mut events, &doc.title);
    let events = events.into_iter().map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut raw = String::with_capacity(doc.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    sanitize(&raw, &doc.path, ids)
}

fn sanitize(html: &str, doc_path: &str, ids: &BTreeMap<&str, String>) -> String {
    Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .url_relative(UrlRelative::Custom(Box::new(Resolver { doc_path, ids })))
        .clean(html)
        .to_string()
}

struct Resolver<'a> {
    doc_path: &'a str,
    ids: &'a BTreeMap<&'a str, String>,
}

impl<'a> UrlRelativeEvaluate<'a> for Resolver<'a> {
    fn evaluate<'u>(&self, url: &'u str) -> Option<Cow<'u, str>> {
        resolve(url, self.doc_path, self.ids)
    }
}

/// A relative URL in a doc: an in-page anchor stays, a scheme-relative one becomes https,
/// a link to another doc of the entity becomes that doc's anchor, anything else is dropped.
fn resolve<'u>(url: &'u str, doc_path: &str, ids: &BTreeMap<&str, String>) -> Option<Cow<'u, str>> {
    if url.starts_with('#') {
        return Some(Cow::Borrowed(url));
    }
    if url.starts_with("//") {
        return Some(Cow::Owned(format!("https:{url}")));
    }
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let (base, path) = match path.strip_prefix('/') {
        Some(rooted) => ("", rooted),
        None => (doc_path.rsplit_once('/').map_or("", |(dir, _)| dir), path),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    let target = parts.join("/");
    ids.get(target.as_str())
        .map(|id| Cow::Owned(format!("#{id}")))
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Removes a first-level heading that opens the doc and repeats its title.
fn drop_title(events: &mut Vec<Event>, title: &str) {
    // Front matter comes first when present; the title heading follows it.
    let start = if matches!(events.first(), Some(Event::Start(Tag::MetadataBlock(_)))) {
        events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::MetadataBlock(_))))
            .map_or(0, |i| i + 1)
    } else {
        0
    };
    let Some(Event::Start(Tag::Heading {
        level: HeadingLevel::H1,
        ..
    })) = events.get(start)
    else {
        return;
    };
    let Some(len) = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
    else {
        return;
    };
    let text: String = events[start..start + len]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if text.trim() == title.trim() {
        events.drain(start..=start + len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, title: &str, markdown: &str) -> Doc {
        Doc {
            path: path.into(),
            title: title.into(),
            markdown: markdown.into(),
        }
    }

    fn one(markdown: &str) -> String {
        render_docs(&[doc("svc/README.md", "Svc", markdown)])
            .remove(0)
            .html
    }

    #[test]
    fn renders_markdown_below_the_page_headings() {
        let html = one("# Svc\n\nHello *world*.\n\n## Setup\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(!html.contains("<h1>"), "{html}");
        assert!(html.contains("<h4>Setup</h4>"), "{html}");
        assert!(html.contains("<em>world</em>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn keeps_a_first_heading_that_is_not_the_title() {
        let html = one("# Other\n\ntext\n");
        assert!(html.contains("<h3>Other</h3>"), "{html}");
    }

    #[test]
    fn front_matter_is_not_shown() {
        let html = one("---\nid: x\n---\n# Svc\n\nbody\n");
        assert!(!html.contains("id: x"), "{html}");
        assert!(!html.contains("<h3>"), "{html}");
        assert!(html.contains("body"), "{html}");
    }

    #[test]
    fn strips_scripts_handlers_styles_and_bad_links() {
        let html = one(concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=x onerror=alert(1)>\n\n",
            "<p style=\"color:red\" onclick=\"x()\">styled</p>\n\n",
            "[x](javascript:alert(1)) [d](data:text/html,hi) <a href=\"vbscript:x\">v</a>\n\n",
            "[ok](https://example.com) [mail](mailto:a@example.com)\n",
        ));
        for bad in [
            "<script",
            "alert(1)</",
            "onerror",
            "onclick",
            "style=",
            "javascript:",
            "data:",
            "vbscript:",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(
            html.contains(r#"<a href="https://example.com" rel="noopener noreferrer">ok</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"href="mailto:a@example.com""#), "{html}");
        assert!(html.contains("styled"), "{html}");
    }

    #[test]
    fn links_between_docs_become_anchors() {
        let docs = [
            doc(
                "svc/README.md",
                "Svc",
                "[runbook](docs/runbook.md#pager) [top](#top) [src](../main.tf) [ext](//cdn.example.com/x)\n",
            ),
            doc(
                "svc/docs/runbook.md",
                "Runbook",
                "[back](../README.md) [abs](/svc/README.md) [up](../../../x.md)\n",
            ),
        ];
        let out = render_docs(&docs);
        assert_eq!(out[0].id, "doc-1");
        assert_eq!(out[1].id, "doc-2");
        let a = &out[0].html;
        assert!(a.contains(r##"href="#doc-2""##), "{a}");
        assert!(a.contains(r##"href="#top""##), "{a}");
        assert!(a.contains("<a rel=\"noopener noreferrer\">src</a>"), "{a}");
        assert!(a.contains(r#"href="https://cdn.example.com/x""#), "{a}");
        let b = &out[1].html;
        assert_eq!(b.matches(r##"href="#doc-1""##).count(), 2, "{b}");
        assert!(b.contains("<a rel=\"noopener noreferrer\">up</a>"), "{b}");
    }
}
