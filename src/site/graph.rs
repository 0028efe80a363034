//! The relation graph of an entity page, as inline SVG laid out here (no script, no
//! library): the entity in the middle, its targets grouped by relation type, what it points
//! up to (owner, system, dependencies) on the left, the rest on the right.

use super::data::{EntityLink, Relation};
use super::html::{escape, escape_into, num, push_truncated};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Relation types drawn on the left: the entity's owner, parents and what it uses.
const LEFT: &[&str] = &[
    "ownedBy",
    "partOf",
    "childOf",
    "memberOf",
    "dependsOn",
    "consumesApi",
];
/// Targets drawn per relation type; the rest are counted in a last box.
const MAX_PER_TYPE: usize = 8;
/// Characters of a label drawn in a box; the full label is in its tooltip.
const MAX_LABEL: usize = 30;

const WIDTH: f64 = 760.0;
const BOX_W: f64 = 220.0;
const BOX_H: f64 = 28.0;
const STEP: f64 = 36.0;
const HEADER: f64 = 22.0;
const PAD: f64 = 12.0;
const LEFT_X: f64 = 10.0;
const CENTER_X: f64 = (WIDTH - BOX_W) / 2.0;
const RIGHT_X: f64 = WIDTH - BOX_W - 10.0;

/// One box on a side: a target, or the count of targets left out.
enum Item<'a> {
    Header(&'a str),
    Target(&'a EntityLink),
    More(usize),
}

/// The graph of `relations` around the entity named `label`; empty without relations.
/// `prefix` leads from the page to the site root, for the targets' links.
pub fn relation_graph(label: &str, relations: &[Relation], prefix: &str) -> String {
    if relations.is_empty() {
        return String::new();
    }
    let mut by_type: BTreeMap<&str, Vec<&EntityLink>> = BTreeMap::new();
    for r in relations {
        by_type
            .entry(r.relation.as_str())
            .or_default()
            .push(&r.target);
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for (relation, mut targets) in by_type {
        targets.sort();
        targets.dedup();
        let side = if LEFT.contains(&relation) {
            &mut left
        } else {
            &mut right
        };
        side.push(Item::Header(relation));
        let shown = if targets.len() > MAX_PER_TYPE {
            MAX_PER_TYPE - 1
        } else {
            targets.len()
        };
        side.extend(targets.iter().take(shown).map(|t| Item::Target(t)));
        if shown < targets.len() {
            side.push(Item::More(targets.len() - shown));
        }
    }
    let height = column_height(&left).max(column_height(&right)).max(BOX_H) + 2.0 * PAD;
    let center_y = (height - BOX_H) / 2.0;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} "#,
        WIDTH
    );
    num(&mut svg, height);
    svg.push_str(r#"" role="img" aria-label="Relations of "#);
    escape_into(&mut svg, label);
    svg.push_str("\">\n");
    let mut edges = String::new();
    let mut boxes = String::new();
    for (items, x, from_x, to_x) in [
        (&left, LEFT_X, CENTER_X, LEFT_X + BOX_W),
        (&right, RIGHT_X, CENTER_X + BOX_W, RIGHT_X),
    ] {
        let mut y = PAD;
        for item in items.iter() {
            match item {
                Item::Header(relation) => {
                    boxes.push_str(r#"<text class="rel" x=""#);
                    num(&mut boxes, x);
                    boxes.push_str(r#"" y=""#);
                    num(&mut boxes, y + 15.0);
                    boxes.push_str("\">");
                    escape_into(&mut boxes, relation);
                    boxes.push_str("</text>\n");
                    y += HEADER;
                }
                Item::Target(target) => {
                    edge(
                        &mut edges,
                        from_x,
                        center_y + BOX_H / 2.0,
                        to_x,
                        y + BOX_H / 2.0,
                    );
                    node(
                        &mut boxes,
                        x,
                        y,
                        &target.label,
                        &target.key,
                        target.page.as_deref(),
                        prefix,
                        "node",
                    );
                    y += STEP;
                }
                Item::More(n) => {
                    let text = format!("+ {n} more");
                    edge(
                        &mut edges,
                        from_x,
                        center_y + BOX_H / 2.0,
                        to_x,
                        y + BOX_H / 2.0,
                    );
                    node(&mut boxes, x, y, &text, &text, None, prefix, "node more");
                    y += STEP;
                }
            }
        }
    }
    svg.push_str(&edges);
    svg.push_str(&boxes);
    node(
        &mut svg,
        CENTER_X,
        center_y,
        label,
        label,
        None,
        prefix,
        "node self",
    );
    svg.push_str("</svg>");
    svg
}

fn column_height(items: &[Item]) -> f64 {
    items
        .iter()
        .map(|i| match i {
            Item::Header(_) => HEADER,
            _ => STEP,
        })
        .sum::<f64>()
        - if items.is_empty() { 0.0 } else { STEP - BOX_H }
}

fn edge(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    let mid = (x1 + x2) / 2.0;
    out.push_str(r#"<path class="edge" d="M"#);
    for (i, v) in [x1, y1, mid, y1, mid, y2, x2, y2].into_iter().enumerate() {
        out.push_str(match i {
            0 => "",
            2 => " C",
            1 | 3 | 5 | 7 => " ",
            _ => ", ",
        });
        num(out, v);
    }
    out.push_str("\"/>\n");
}

#[allow(clippy::too_many_arguments)]
fn node(
    out: &mut String,
    x: f64,
    y: f64,
    label: &str,
    tooltip: &str,
    page: Option<&str>,
    prefix: &str,
    class: &str,
) {
    if let Some(page) = page {
        let _ = write!(out, r#"<a href="{}{}">"#, escape(prefix), escape(page));
    } else {
        out.push_str("<g>");
    }
    out.push_str("<title>");
    escape_into(out, tooltip);
    let _ = write!(out, r#"</title><rect class="{class}" x=""#);
    num(out, x);
    out.push_str(r#"" y=""#);
    num(out, y);
    let _ = write!(
        out,
        r#"" width="{BOX_W}" height="{BOX_H}" rx="4"/><text x=""#
    );
    num(out, x + 10.0);
    out.push_str(r#"" y=""#);
    num(out, y + 18.0);
    out.push_str("\">");
    push_truncated(out, label, MAX_LABEL);
    out.push_str("</text>");
    out.push_str(if page.is_some() { "</a>\n" } else { "</g>\n" });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(relation: &str, name: &str, page: bool) -> Relation {
        Relation {
            relation: relation.into(),
            target: EntityLink {
                key: format!("component:default/{name}"),
                label: name.into(),
                page: page.then(|| format!("component/default/{name}.html")),
            },
        }
    }

    #[test]
    fn nothing_without_relations() {
        assert_eq!(relation_graph("x", &[], ""), "");
    }

    #[test]
    fn lays_out_sides_deterministically() {
        let relations = vec![
            rel("ownedBy", "team-a", true),
            rel("dependsOn", "db", false),
            rel("providesApi", "api", true),
        ];
        let svg = relation_graph("payments", &relations, "../../");
        assert_eq!(svg, relation_graph("payments", &relations, "../../"));
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn caps_each_type_and_escapes_text() {
        let mut relations: Vec<Relation> = (0..20)
            .map(|i| rel("ownerOf", &format!("svc-{i:02}"), true))
            .collect();
        relations.push(rel("dependsOn", "<script>alert(1)</script>", true));
        let svg = relation_graph("<b>\"x\"</b>", &relations, "../");
        assert!(svg.contains("+ 13 more"), "{svg}");
        assert_eq!(svg.matches("<a href=").count(), 8, "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(svg.contains("aria-label=\"Relations of &lt;b&gt;&quot;x&quot;&lt;/b&gt;\""));
    }
}
