//! What each template receives. Every page gets `site` (title, prices, generated),
//! `prefix` (the way back to the root, `../../`), `nav` (the menu entry it belongs to) and
//! `page_title`; the rest is the page's own data, with figures and markup (docs, graphs,
//! charts) prepared here so templates only lay things out.

use super::chart::bar_chart;
use super::data::{EntityLink, EntityPage, ProjectRow, SiteData, StackPage};
use super::graph::relation_graph;
use super::html::truncate;
use super::markdown::render_docs;
use super::pages::{Kind, Page, PageKind};
use super::url::prefix;
use super::value::to_value;
use minijinja::value::Value;
use minijinja::{Environment, context};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Changes listed on the home page.
const RECENT_CHANGES: usize = 20;
/// Characters of a description in a listing.
const LISTING_DESCRIPTION: usize = 140;

pub struct Site<'a> {
    data: &'a SiteData,
    kinds: Vec<Kind>,
    /// The index in `kinds` of each entity.
    kind_of: Vec<usize>,
    stack_pages: Vec<String>,
    /// Scorecards in the catalog's level columns: those defined, then any other an entity
    /// was scored by.
    scorecards: Vec<String>,
    site: Value,
}

#[derive(Serialize)]
struct CatalogRow<'a> {
    link: &'a EntityLink,
    kind: &'a str,
    owner: Option<&'a EntityLink>,
    spec_type: Option<&'a str>,
    lifecycle: Option<&'a str>,
    /// The level held in each of `Site::scorecards`.
    levels: Vec<Option<&'a str>>,
    monthly_cost: Option<f64>,
    description: Option<String>,
}

#[derive(Serialize)]
struct Team<'a> {
    link: &'a EntityLink,
    description: Option<&'a str>,
    owns: Vec<&'a EntityLink>,
    monthly_cost: Option<f64>,
}

#[derive(Serialize)]
struct EnvironmentGroup<'a> {
    environment: &'a str,
    projects: Vec<&'a ProjectRow>,
    monthly_cost: f64,
    unpriced: usize,
    deny: usize,
    warn: usize,
}

impl<'a> Site<'a> {
    pub fn new(
        data: &'a SiteData,
        kinds: Vec<Kind>,
        kind_of: Vec<usize>,
        stack_pages: Vec<String>,
    ) -> Site<'a> {
        let mut scorecards: Vec<String> = data.scorecards.iter().map(|s| s.id.clone()).collect();
        let extra: BTreeSet<&str> = data
            .entities
            .iter()
            .flat_map(|e| e.scores.iter().map(|s| s.scorecard.as_str()))
            .filter(|s| !scorecards.iter().any(|id| id == s))
            .collect();
        scorecards.extend(extra.into_iter().map(str::to_string));
        let site = context! {
            title => data.title.as_str(),
            prices => data.prices.as_str(),
            generated => data.generated.as_deref(),
        };
        Site {
            data,
            kinds,
            kind_of,
            stack_pages,
            scorecards,
            site,
        }
    }

    pub fn stack_page(&self, i: usize) -> &str {
        self.stack_pages
            .get(i)
            .map_or("stacks.html", String::as_str)
    }

    pub fn render_page(&self, env: &Environment, page: &Page) -> Result<String, minijinja::Error> {
        let prefix = prefix(&page.path);
        let (nav, title, own) = match &page.kind {
            PageKind::Index => ("home", self.data.title.clone(), self.index()),
            PageKind::Search => ("search", "Search".to_string(), context! {}),
            PageKind::Catalog(kind) => self.catalog(*kind),
            PageKind::Entity(i) => match self.data.entities.get(*i) {
                Some(e) => (
                    "catalog",
                    entity_title(e).to_string(),
                    self.entity(*i, e, &prefix),
                ),
                None => ("catalog", String::new(), context! {}),
            },
            PageKind::Stacks => ("stacks", "Stacks".to_string(), self.stacks()),
            PageKind::Stack(i) => match self.data.stacks.get(*i) {
                Some(s) => ("stacks", s.name.clone(), self.stack(s)),
                None => ("stacks", String::new(), context! {}),
            },
            PageKind::Instances => ("instances", "Instances".to_string(), self.instances()),
            PageKind::Policies => ("policies", "Policies".to_string(), self.policies()),
            PageKind::Scorecards => ("scorecards", "Scorecards".to_string(), self.scorecards()),
            PageKind::Costs => ("costs", "Costs".to_string(), self.costs(&prefix)),
        };
        let ctx = context! {
            site => self.site.clone(),
            prefix => prefix,
            nav => nav,
            page_title => title,
            page_path => page.path.as_str(),
            kinds => self.kinds_value(),
            ..own
        };
        let mut html = env.get_template(page.template)?.render(ctx)?;
        if !html.ends_with('\n') {
            html.push('\n');
        }
        Ok(html)
    }

    fn kinds_value(&self) -> Value {
        self.kinds
            .iter()
            .map(|k| context! { label => k.label.as_str(), page => k.page.as_str(), count => k.count })
            .collect()
    }

    fn index(&self) -> Value {
        let data = self.data;
        let teams: Vec<Team> = data
            .entities
            .iter()
            .filter(|e| {
                e.kind.eq_ignore_ascii_case("group")
                    && e.spec_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("team"))
            })
            .map(|e| Team {
                link: &e.link,
                description: e.description.as_deref(),
                owns: e
                    .relations
                    .iter()
                    .filter(|r| r.relation == "ownerOf")
                    .map(|r| &r.target)
                    .collect(),
                monthly_cost: e.monthly_cost,
            })
            .collect();
        let instances = data
            .projects
            .iter()
            .filter(|p| p.kind == "stack-instance")
            .count();
        let changes = &data.recent_changes[..data.recent_changes.len().min(RECENT_CHANGES)];
        context! {
            counts => context! {
                entities => data.entities.len(),
                stacks => data.stacks.len(),
                instances => instances,
                projects => data.projects.len(),
                policies => data.policies.len(),
                scorecards => data.scorecards.len(),
                total_cost => data.costs.total,
            },
            teams => to_value(&teams),
            changes => to_value(changes),
        }
    }

    fn catalog(&self, kind: Option<usize>) -> (&'static str, String, Value) {
        let rows: Vec<CatalogRow> = self
            .data
            .entities
            .iter()
            .zip(&self.kind_of)
            .filter(|(_, k)| kind.is_none_or(|kind| **k == kind))
            .map(|(e, _)| CatalogRow {
                link: &e.link,
                kind: &e.kind,
                owner: e.owner.as_ref(),
                spec_type: e.spec_type.as_deref(),
                lifecycle: e.lifecycle.as_deref(),
                levels: self
                    .scorecards
                    .iter()
                    .map(|id| {
                        e.scores
                            .iter()
                            .find(|s| s.scorecard == *id)
                            .and_then(|s| s.level.as_deref())
                    })
                    .collect(),
                monthly_cost: e.monthly_cost,
                description: e
                    .description
                    .as_deref()
                    .map(|d| truncate(d.trim(), LISTING_DESCRIPTION)),
            })
            .collect();
        let selected = kind.and_then(|k| self.kinds.get(k));
        let title = selected.map_or("Catalog".to_string(), |k| format!("Catalog: {}", k.label));
        let ctx = context! {
            kind => selected.map(|k| k.label.as_str()),
            rows => to_value(&rows),
            scorecards => to_value(&self.scorecards),
        };
        ("catalog", title, ctx)
    }

    fn entity(&self, i: usize, e: &EntityPage, prefix: &str) -> Value {
        let kind = self.kind_of.get(i).and_then(|k| self.kinds.get(*k));
        let docs: Vec<Value> = render_docs(&e.docs)
            .into_iter()
            .map(|d| {
                context! {
                    id => d.id,
                    title => d.title,
                    path => d.path,
                    html => Value::from_safe_string(d.html),
                }
            })
            .collect();
        let cost_why = if e.projects.is_empty() {
            "runs on no project"
        } else {
            "none of its projects could be priced"
        };
        context! {
            e => to_value(e),
            kind_page => kind.map(|k| k.page.as_str()),
            docs => docs,
            graph => Value::from_safe_string(relation_graph(&e.link.label, &e.relations, prefix)),
            cost_why => cost_why,
        }
    }

    fn stacks(&self) -> Value {
        let items: Vec<Value> = self
            .data
            .stacks
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let cost_from = s
                    .use_cases
                    .iter()
                    .filter_map(|u| u.monthly_cost_at_defaults)
                    .filter(|v| v.is_finite())
                    .reduce(f64::min);
                context! {
                    s => to_value(s),
                    page => self.stack_page(i),
                    cost_from => cost_from,
                }
            })
            .collect();
        context! { stacks => items }
    }

    fn stack(&self, s: &StackPage) -> Value {
        let wanted: HashSet<&str> = s.instances.iter().map(String::as_str).collect();
        let projects: Vec<&ProjectRow> = self
            .data
            .projects
            .iter()
            .filter(|p| wanted.contains(p.path.as_str()))
            .collect();
        let known: HashSet<&str> = projects.iter().map(|p| p.path.as_str()).collect();
        let missing: Vec<&str> = s
            .instances
            .iter()
            .map(String::as_str)
            .filter(|p| !known.contains(p))
            .collect();
        context! {
            s => to_value(s),
            projects => to_value(&projects),
            missing => to_value(&missing),
        }
    }

    fn instances(&self) -> Value {
        let mut groups: BTreeMap<(bool, &str), EnvironmentGroup> = BTreeMap::new();
        for p in &self.data.projects {
            // No environment sorts last.
            let env = p.environment.as_deref();
            let group = groups
                .entry((env.is_none(), env.unwrap_or("none")))
                .or_insert_with(|| EnvironmentGroup {
                    environment: env.unwrap_or("none"),
                    projects: Vec::new(),
                    monthly_cost: 0.0,
                    unpriced: 0,
                    deny: 0,
                    warn: 0,
                });
            group.projects.push(p);
            match p.monthly_cost {
                Some(c) if c.is_finite() => group.monthly_cost += c,
                _ => group.unpriced += 1,
            }
            group.deny += p.deny;
            group.warn += p.warn;
        }
        let groups: Vec<EnvironmentGroup> = groups.into_values().collect();
        context! { groups => to_value(&groups) }
    }

    fn policies(&self) -> Value {
        let open: usize = self.data.policies.iter().map(|p| p.violations.len()).sum();
        let waived: usize = self.data.policies.iter().map(|p| p.waived).sum();
        context! {
            policies => to_value(&self.data.policies),
            open => open,
            waived => waived,
        }
    }

    fn scorecards(&self) -> Value {
        context! { scorecards => to_value(&self.data.scorecards) }
    }

    fn costs(&self, prefix: &str) -> Value {
        let c = &self.data.costs;
        let chart = |title: &str, slices| Value::from_safe_string(bar_chart(title, slices, prefix));
        context! {
            costs => to_value(c),
            charts => context! {
                team => chart("Monthly cost by team", &c.by_team),
                system => chart("Monthly cost by system", &c.by_system),
                environment => chart("Monthly cost by environment", &c.by_environment),
            },
            max_bars => super::chart::MAX_BARS,
        }
    }
}

fn entity_title(e: &EntityPage) -> &str {
    e.title.as_deref().unwrap_or(&e.name)
}
