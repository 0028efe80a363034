//! What stackgate knows about each catalog entity beyond its descriptor, for scorecards and
//! the site: the findings and cost of the projects it runs on, the budget that applies to
//! them, its docs, runbook and on-call, and when its folder last changed in git.

use crate::catalog::Entity;
use crate::cost::estimate::CostReport;
use crate::finding::{Finding, Level};
use crate::git::Commit;
use crate::ownership::Ownership;
use crate::policy::{Date, Kind, PolicySet};
use crate::project::Project;
use crate::score::{Fact, Facts};
use crate::snapshot::{file_name, join, parent};
use std::collections::HashMap;

/// Annotations that route alerts to someone.
const ONCALL: &[&str] = &[
    "pagerduty.com/service-id",
    "pagerduty.com/integration-key",
    "opsgenie.com/team",
    "opsgenie.com/component-selector",
];

pub struct Inputs<'a> {
    pub entities: &'a [Entity],
    pub projects: &'a [Project],
    /// Open findings (after waivers).
    pub findings: &'a [Finding],
    pub policies: &'a PolicySet,
    pub ownership: &'a Ownership,
    pub cost: Option<&'a CostReport>,
    /// Every file of the snapshot (for docs).
    pub files: &'a [String],
    /// Newest first; `None` outside a git repository.
    pub history: Option<&'a [Commit]>,
    pub today: Date,
}

/// Open findings of one project, by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub deny: usize,
    pub warn: usize,
}

#[derive(Debug, Clone, Default)]
struct Known {
    projects: usize,
    findings: Counts,
    cost: Option<f64>,
    budget: Option<f64>,
    docs: bool,
    runbook: bool,
    oncall: bool,
    last_change: Option<Date>,
}

pub struct EntityFacts {
    by_entity: HashMap<String, Known>,
    cost_known: bool,
    git: bool,
    today: Date,
}

impl EntityFacts {
    pub fn compute(i: &Inputs) -> EntityFacts {
        let per_project = project_findings(i.projects, i.findings);
        let by_path: HashMap<&str, &Project> =
            i.projects.iter().map(|p| (p.path.as_str(), p)).collect();
        let cost_policies: Vec<_> = i
            .policies
            .policies
            .iter()
            .filter(|p| p.kind == Kind::Cost)
            .filter_map(|p| p.max_monthly().map(|m| (p, m)))
            .collect();
        let mut by_entity = HashMap::with_capacity(i.entities.len());
        for e in i.entities {
            let r = e.entity_ref();
            let paths = i.ownership.projects_of(&r);
            let mut k = Known {
                projects: paths.len(),
                ..Known::default()
            };
            for path in paths {
                let c = per_project.get(path.as_str()).copied().unwrap_or_default();
                k.findings.deny += c.deny;
                k.findings.warn += c.warn;
                if let Some(pc) = i.cost.and_then(|c| c.project(path)) {
                    *k.cost.get_or_insert(0.0) += pc.monthly_cost();
                }
                if let Some(p) = by_path.get(path.as_str()) {
                    for (pol, max) in &cost_policies {
                        if pol.scope.applies_to_project(p) {
                            k.budget = Some(k.budget.map_or(*max, |b: f64| b.min(*max)));
                        }
                    }
                }
            }
            let docs = docs_of(e, i.files);
            k.docs = !docs.is_empty();
            k.runbook = e.links.iter().any(|l| {
                [&l.title, &l.link_type]
                    .iter()
                    .any(|t| t.as_deref().is_some_and(is_runbook))
            }) || docs.iter().any(|d| is_runbook(file_name(d)));
            k.oncall = ONCALL.iter().any(|a| e.annotations.contains_key(*a));
            k.last_change = i.history.and_then(|h| last_change(e, h));
            by_entity.insert(r.key(), k);
        }
        EntityFacts {
            by_entity,
            cost_known: i.cost.is_some(),
            git: i.history.is_some(),
            today: i.today,
        }
    }
}

impl Facts for EntityFacts {
    fn fact(&self, entity: &Entity, name: &str) -> Fact {
        let Some(k) = self.by_entity.get(&entity.entity_ref().key()) else {
            return Fact::Unknown("the entity was not part of this run".into());
        };
        let runs_on_nothing = || Fact::Unknown("it runs on no project stackgate knows".into());
        let n = |v: usize| Fact::Number(v as f64);
        match name {
            "projects.count" => n(k.projects),
            "policy.deny" | "policy.warn" if k.projects == 0 => runs_on_nothing(),
            "policy.deny" => n(k.findings.deny),
            "policy.warn" => n(k.findings.warn),
            "cost.monthly" | "cost.budget" | "cost.over_budget" if !self.cost_known => {
                Fact::Unknown("costs were not estimated in this run".into())
            }
            "cost.monthly" | "cost.budget" | "cost.over_budget" if k.projects == 0 => {
                runs_on_nothing()
            }
            "cost.monthly" => k.cost.map_or_else(
                || Fact::Unknown("none of its projects could be priced".into()),
                Fact::Number,
            ),
            "cost.budget" => k.budget.map_or_else(
                || Fact::Unknown("no cost policy with max_monthly applies to its projects".into()),
                Fact::Number,
            ),
            "cost.over_budget" => match (k.cost, k.budget) {
                (Some(c), Some(b)) => Fact::Bool(c > b),
                (_, None) => {
                    Fact::Unknown("no cost policy with max_monthly applies to its projects".into())
                }
                (None, _) => Fact::Unknown("none of its projects could be priced".into()),
            },
            "docs.present" => Fact::Bool(k.docs),
            "docs.runbook" => Fact::Bool(k.runbook),
            "oncall" => Fact::Bool(k.oncall),
            "git.last_change" | "git.last_change_days" if !self.git => {
                Fact::Unknown("the repository's git history is not available".into())
            }
            "git.last_change" | "git.last_change_days" => match k.last_change {
                None => Fact::Unknown("no commit in the history read touches its folder".into()),
                Some(d) if name == "git.last_change" => Fact::Text(d.to_string()),
                Some(d) => Fact::Number(self.today.days_since(&d).max(0) as f64),
            },
            other => Fact::Unknown(format!("stackgate does not compute `{other}`")),
        }
    }
}

/// Open deny and warn findings per project: an instance's are on its file, a Terraform
/// root's on the files of its folder (shared modules' findings stay unattributed: they
/// belong to every caller at once).
pub fn project_findings<'a>(
    projects: &'a [Project],
    findings: &[Finding],
) -> HashMap<&'a str, Counts> {
    let mut out: HashMap<&'a str, Counts> = projects
        .iter()
        .map(|p| (p.path.as_str(), Counts::default()))
        .collect();
    for f in findings {
        let key = enclosing(&f.file, |p| out.contains_key(p));
        if let Some(c) = key.and_then(|k| out.get_mut(k)) {
            match f.level {
                Level::Deny => c.deny += 1,
                Level::Warn => c.warn += 1,
                Level::Info => {}
            }
        }
    }
    out
}

/// The project a file belongs to: the file itself (an instance) or its nearest folder that
/// is a project (a Terraform root).
pub fn enclosing(file: &str, is_project: impl Fn(&str) -> bool) -> Option<&str> {
    let mut at = file;
    loop {
        if is_project(at) {
            return Some(at);
        }
        if at.is_empty() {
            return None;
        }
        at = parent(at);
    }
}

/// The markdown docs next to an entity's descriptor: `README.md`, then `docs/**/*.md`, and the
/// `docs/` of a TechDocs `dir:` annotation. Sorted, README first.
pub fn docs_of(e: &Entity, files: &[String]) -> Vec<String> {
    let dir = parent(&e.file);
    let mut roots = vec![dir.to_string()];
    if let Some(rel) = e
        .annotations
        .get("backstage.io/techdocs-ref")
        .and_then(|r| r.strip_prefix("dir:"))
    {
        let docs_dir = join(dir, rel.trim());
        if !roots.contains(&docs_dir) {
            roots.push(docs_dir);
        }
    }
    let mut readme = Vec::new();
    let mut docs = Vec::new();
    for root in &roots {
        for name in ["README.md", "readme.md", "Readme.md"] {
            let p = join(root, name);
            if files.binary_search(&p).is_ok() && !readme.contains(&p) {
                readme.push(p);
            }
        }
        let prefix = format!("{}/", join(root, "docs"));
        let start = files.partition_point(|f| f.as_str() < prefix.as_str());
        docs.extend(
            files[start..]
                .iter()
                .take_while(|f| f.starts_with(&prefix))
                .filter(|f| f.ends_with(".md"))
                .cloned(),
        );
    }
    docs.sort();
    docs.dedup();
    readme.extend(docs);
    readme
}

fn is_runbook(text: &str) -> bool {
    text.to_ascii_lowercase().contains("runbook")
}

/// The date of the newest commit touching the descriptor's folder (the file itself for a
/// descriptor at the root, whose folder is everything).
fn last_change(e: &Entity, history: &[Commit]) -> Option<Date> {
    let dir = parent(&e.file);
    let prefix = format!("{dir}/");
    history
        .iter()
        .find(|c| {
            c.paths.iter().any(|p| {
                if dir.is_empty() {
                    p == &e.file
                } else {
                    p.starts_with(&prefix)
                }
            })
        })
        .map(|c| Date::from_unix(c.time))
}
