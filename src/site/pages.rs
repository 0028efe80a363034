//! Which pages the site has and where they go. Page paths that come from the data are
//! checked here once: an entity page that is unsafe, reserved or taken (also on a
//! case-insensitive file system) is not written, and every link to it becomes plain text,
//! so no link on the site points at a missing page.

use super::data::{EntityLink, SiteData};
use super::url::{file_slug, is_safe_page};
use std::collections::{BTreeMap, HashSet};

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Index,
    Search,
    /// `catalog/index.html` (`None`) or one kind's listing (the index in `Site::kinds`).
    Catalog(Option<usize>),
    /// An entity, by its index in `data.entities`.
    Entity(usize),
    Stacks,
    /// A stack, by its index in `data.stacks`.
    Stack(usize),
    Instances,
    Policies,
    Scorecards,
    Costs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Relative to the site root, `/`-separated.
    pub path: String,
    /// The template that renders it.
    pub template: &'static str,
    pub kind: PageKind,
}

/// A kind of entity with its listing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// As the first entity of the kind writes it (`API`).
    pub label: String,
    /// `catalog/api.html`.
    pub page: String,
    pub count: usize,
}

/// Top-level folders the site's own pages use; entity pages may not start with them.
const RESERVED_DIRS: &[&str] = &["assets", "catalog", "stacks"];
/// Backstage's kinds in the order its catalog shows them; other kinds follow by name.
const KIND_ORDER: &[&str] = &[
    "component",
    "api",
    "resource",
    "system",
    "domain",
    "group",
    "user",
    "template",
    "location",
];

/// A copy of `data` where every entity page can be written and every link points at a page
/// that is written.
pub fn sanitize(data: &SiteData) -> SiteData {
    let mut data = data.clone();
    let mut taken = HashSet::new();
    for e in &mut data.entities {
        let keep = e.link.page.as_deref().is_some_and(|p| {
            is_safe_page(p) && entity_dir_ok(p) && taken.insert(p.to_ascii_lowercase())
        });
        if !keep {
            e.link.page = None;
        }
    }
    let pages: HashSet<String> = data
        .entities
        .iter()
        .filter_map(|e| e.link.page.clone())
        .collect();
    let fix = |link: &mut EntityLink| {
        if link.page.as_ref().is_some_and(|p| !pages.contains(p)) {
            link.page = None;
        }
    };
    let fix_opt = |link: &mut Option<EntityLink>| {
        if let Some(l) = link {
            fix(l);
        }
    };
    for e in &mut data.entities {
        fix(&mut e.link);
        fix_opt(&mut e.owner);
        fix_opt(&mut e.system);
        fix_opt(&mut e.domain);
        e.relations.iter_mut().for_each(|r| fix(&mut r.target));
        for p in &mut e.projects {
            fix_opt(&mut p.owner);
            fix_opt(&mut p.component);
        }
    }
    for p in &mut data.projects {
        fix_opt(&mut p.owner);
        fix_opt(&mut p.component);
    }
    for s in &mut data.scorecards {
        for row in &mut s.leaderboard {
            fix(&mut row.entity);
            fix_opt(&mut row.owner);
        }
    }
    let costs = &mut data.costs;
    for slice in costs
        .by_team
        .iter_mut()
        .chain(&mut costs.by_system)
        .chain(&mut costs.by_environment)
    {
        if slice.page.as_ref().is_some_and(|p| !pages.contains(p)) {
            slice.page = None;
        }
    }
    for c in &mut data.recent_changes {
        c.entities.iter_mut().for_each(fix);
    }
    data
}

/// An entity page lives in a folder of its own (`kind/namespace/name.html`), outside the
/// folders of the site's own pages.
fn entity_dir_ok(page: &str) -> bool {
    match page.split_once('/') {
        Some((dir, _)) => !RESERVED_DIRS.iter().any(|r| dir.eq_ignore_ascii_case(r)),
        None => false,
    }
}

/// The kinds present, in Backstage's order, with their listing pages.
pub fn kinds(data: &SiteData) -> (Vec<Kind>, Vec<usize>) {
    let mut by_key: BTreeMap<(usize, String), Kind> = BTreeMap::new();
    let mut keys = Vec::with_capacity(data.entities.len());
    for e in &data.entities {
        let key = e.kind.to_ascii_lowercase();
        let rank = KIND_ORDER
            .iter()
            .position(|k| *k == key)
            .unwrap_or(KIND_ORDER.len());
        let kind = by_key.entry((rank, key.clone())).or_insert_with(|| Kind {
            label: e.kind.clone(),
            page: format!("catalog/{}.html", kind_slug(&key)),
            count: 0,
        });
        kind.count += 1;
        keys.push((rank, key));
    }
    let order: Vec<(usize, String)> = by_key.keys().cloned().collect();
    let of_entity = keys
        .iter()
        .map(|k| order.iter().position(|o| o == k).unwrap_or(0))
        .collect();
    (by_key.into_values().collect(), of_entity)
}

/// `index` is taken by the listing of every kind.
fn kind_slug(key: &str) -> String {
    let slug = file_slug(key);
    if slug == "index" {
        "index~".to_string()
    } else {
        slug
    }
}

/// The page of each stack, in `data.stacks` order; a canonical name seen twice gets a
/// numbered page.
pub fn stack_pages(data: &SiteData) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    data.stacks
        .iter()
        .map(|s| {
            let slug = file_slug(&s.canonical);
            let n = seen.entry(slug.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                format!("stacks/{slug}.html")
            } else {
                format!("stacks/{slug}~{n}.html")
            }
        })
        .collect()
}

/// Every page, in a fixed order.
pub fn plan(data: &SiteData, kinds: &[Kind], stack_pages: &[String]) -> Vec<Page> {
    let page = |path: &str, template, kind| Page {
        path: path.to_string(),
        template,
        kind,
    };
    let mut pages = vec![
        page("index.html", "index.html", PageKind::Index),
        page("search.html", "search.html", PageKind::Search),
        page(
            "catalog/index.html",
            "catalog.html",
            PageKind::Catalog(None),
        ),
    ];
    for (i, k) in kinds.iter().enumerate() {
        pages.push(page(&k.page, "catalog.html", PageKind::Catalog(Some(i))));
    }
    for (i, e) in data.entities.iter().enumerate() {
        if let Some(path) = &e.link.page {
            pages.push(page(path, "entity.html", PageKind::Entity(i)));
        }
    }
    pages.push(page("stacks.html", "stacks.html", PageKind::Stacks));
    for (i, path) in stack_pages.iter().enumerate() {
        pages.push(page(path, "stack.html", PageKind::Stack(i)));
    }
    pages.push(page(
        "instances.html",
        "instances.html",
        PageKind::Instances,
    ));
    pages.push(page("policies.html", "policies.html", PageKind::Policies));
    pages.push(page(
        "scorecards.html",
        "scorecards.html",
        PageKind::Scorecards,
    ));
    pages.push(page("costs.html", "costs.html", PageKind::Costs));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::data::{CostSlice, StackPage};
    use crate::site::fixture::synthetic as entity;

    #[test]
    fn unsafe_reserved_and_taken_pages_are_dropped_with_their_links() {
        let mut data = SiteData::default();
        for (i, page) in [
            "component/default/ok.html",
            "../escape.html",
            "catalog/default/x.html",
            "Component/default/OK.html",
            "top.html",
        ]
        .into_iter()
        .enumerate()
        {
            let mut e = entity(i);
            e.link.page = Some(page.to_string());
            e.owner = Some(EntityLink {
                key: "group:default/t".into(),
                label: "t".into(),
                page: Some(page.to_string()),
            });
            data.entities.push(e);
        }
        data.costs.by_team.push(CostSlice {
            label: "x".into(),
            page: Some("../escape.html".into()),
            monthly_cost: 1.0,
        });
        let clean = sanitize(&data);
        let pages: Vec<_> = clean.entities.iter().map(|e| e.link.page.clone()).collect();
        assert_eq!(
            pages,
            [
                Some("component/default/ok.html".to_string()),
                None,
                None,
                None,
                None
            ]
        );
        let owners: Vec<_> = clean
            .entities
            .iter()
            .map(|e| e.owner.as_ref().and_then(|o| o.page.clone()))
            .collect();
        assert_eq!(owners, pages);
        assert_eq!(clean.costs.by_team[0].page, None);
    }

    #[test]
    fn kinds_in_backstage_order() {
        let mut data = SiteData::default();
        for (i, kind) in ["Widget", "System", "API", "Component", "component"]
            .iter()
            .enumerate()
        {
            let mut e = entity(i);
            e.kind = kind.to_string();
            data.entities.push(e);
        }
        let (kinds, of_entity) = super::kinds(&data);
        let labels: Vec<_> = kinds
            .iter()
            .map(|k| (k.label.as_str(), k.count, k.page.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Component", 2, "catalog/component.html"),
                ("API", 1, "catalog/api.html"),
                ("System", 1, "catalog/system.html"),
                ("Widget", 1, "catalog/widget.html"),
            ]
        );
        assert_eq!(of_entity, [3, 2, 1, 0, 0]);
    }

    #[test]
    fn stack_pages_are_unique() {
        let stack = |c: &str| StackPage {
            canonical: c.into(),
            name: c.into(),
            description: None,
            dir: String::new(),
            author: None,
            keywords: vec![],
            technologies: vec![],
            use_cases: vec![],
            instances: vec![],
        };
        let data = SiteData {
            stacks: vec![stack("aws-rds"), stack("../x"), stack("aws-rds")],
            ..SiteData::default()
        };
        assert_eq!(
            stack_pages(&data),
            [
                "stacks/aws-rds.html",
                "stacks/_2e_2e_2fx.html",
                "stacks/aws-rds~2.html"
            ]
        );
    }
}
