//! The site's data from what a run knows: every reference resolved to a page, every figure
//! summed, every list sorted, so the templates only lay things out.

use super::data::{
    Change, CostBreakdown, CostSlice, Doc, EntityLink, EntityPage, EntityScore, FormField,
    LeaderboardRow, Link, PolicyRow, ProjectRow, Relation, RuleResult, ScorecardPage, SiteData,
    StackPage, UseCasePage, Violation,
};
use crate::catalog::{Catalog, Entity, EntityRef};
use crate::cost::estimate::{CostReport, ProjectCost};
use crate::facts::{self, Counts};
use crate::knowledge::Knowledge;
use crate::project::{Project, ProjectKind};
use crate::score::RuleStatus;
use crate::stacks::Stack;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Docs larger than this are cut: a catalog page is no place for a 10 MB file.
const MAX_DOC_BYTES: usize = 256 * 1024;
/// How many commits "recent changes" lists.
const RECENT: usize = 20;

pub fn assemble(k: &Knowledge, root: &Path, generated: Option<String>) -> SiteData {
    let run = &k.run;
    let catalog = Catalog::new(&run.entities);
    let links = Links { catalog: &catalog };
    let findings = facts::project_findings(&run.report.projects, &run.report.findings);
    let rows: BTreeMap<&str, ProjectRow> = run
        .report
        .projects
        .iter()
        .map(|p| {
            (
                p.path.as_str(),
                project_row(p, k, &links, findings.get(p.path.as_str())),
            )
        })
        .collect();

    let mut relations: HashMap<String, Vec<Relation>> = HashMap::new();
    for r in catalog.relations() {
        relations.entry(r.source.key()).or_default().push(Relation {
            relation: r.relation.to_string(),
            target: links.link(&r.target),
        });
    }
    let mut scores: HashMap<&str, Vec<EntityScore>> = HashMap::new();
    for card in &k.scores.cards {
        for s in &card.entities {
            scores
                .entry(s.entity.as_str())
                .or_default()
                .push(EntityScore {
                    scorecard: card.id.clone(),
                    level: s.level.clone(),
                    score: s.score,
                    rules: s
                        .rules
                        .iter()
                        .map(|r| RuleResult {
                            id: r.id.clone(),
                            level: r.level.clone(),
                            status: status(r.status).to_string(),
                            message: r.message.clone(),
                        })
                        .collect(),
                });
        }
    }

    let mut entities: Vec<EntityPage> = run
        .entities
        .iter()
        // A duplicate's page would overwrite the first definition's.
        .filter(|e| {
            catalog
                .get(&e.entity_ref())
                .is_some_and(|first| std::ptr::eq(first, *e))
        })
        .map(|e| {
            let r = e.entity_ref();
            let projects: Vec<ProjectRow> = k
                .ownership
                .projects_of(&r)
                .iter()
                .filter_map(|p| rows.get(p.as_str()).cloned())
                .collect();
            let monthly_cost = projects
                .iter()
                .filter_map(|p| p.monthly_cost)
                .reduce(|a, b| a + b);
            let key = r.to_string();
            EntityPage {
                link: links.link(&r),
                kind: e.kind.clone(),
                namespace: e.namespace.clone(),
                name: e.name.clone(),
                title: e.title.clone(),
                description: e.description.clone(),
                spec_type: e.spec_type.clone(),
                lifecycle: e.lifecycle.clone(),
                tags: e.tags.clone(),
                labels: e.labels.clone().into_iter().collect(),
                annotations: e.annotations.clone().into_iter().collect(),
                links: e
                    .links
                    .iter()
                    .map(|l| Link {
                        url: l.url.clone(),
                        title: l.title.clone(),
                        icon: l.icon.clone(),
                        link_type: l.link_type.clone(),
                    })
                    .collect(),
                owner: e.owner.as_ref().map(|o| links.link(o)),
                system: e.system.as_ref().map(|o| links.link(o)),
                domain: e.domain.as_ref().map(|o| links.link(o)),
                relations: relations.remove(&key).unwrap_or_default(),
                docs: docs(e, &k.files, root),
                scores: scores.remove(key.as_str()).unwrap_or_default(),
                projects,
                monthly_cost,
                file: e.file.clone(),
                line: e.line,
            }
        })
        .collect();
    entities.sort_by(|a, b| a.link.key.cmp(&b.link.key));

    let stacks = run
        .stacks
        .iter()
        .map(|s| stack_page(s, &run.report.projects, &k.stack_defaults))
        .collect();

    SiteData {
        title: run.settings.site_title.clone(),
        prices: k.cost.prices.clone(),
        generated,
        costs: breakdown(rows.values(), &catalog, &links),
        projects: rows.into_values().collect(),
        entities,
        stacks,
        policies: policies(k),
        scorecards: scorecards(k, &links),
        recent_changes: recent_changes(k, &links),
    }
}

struct Links<'a> {
    catalog: &'a Catalog<'a>,
}

impl Links<'_> {
    fn link(&self, r: &EntityRef) -> EntityLink {
        let entity = self.catalog.get(r);
        let label = match entity {
            Some(e) => e.display_name().to_string(),
            None => r.name.clone(),
        };
        let label = if r.namespace.eq_ignore_ascii_case("default") {
            label
        } else {
            format!("{}/{label}", r.namespace)
        };
        EntityLink {
            key: r.to_string(),
            label,
            page: entity.map(page_of),
        }
    }
}

/// `component/default/payments-api.html`: kinds and namespaces lowercase, the name as
/// written (names are unique ignoring case; the first definition owns the page).
pub fn page_of(e: &Entity) -> String {
    format!(
        "{}/{}/{}.html",
        e.kind.to_lowercase(),
        e.namespace.to_lowercase(),
        e.name
    )
}

fn status(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Pass => "pass",
        RuleStatus::Fail => "fail",
        RuleStatus::NotApplicable => "n/a",
    }
}

fn kind_name(k: ProjectKind) -> &'static str {
    match k {
        ProjectKind::Terraform => "terraform",
        ProjectKind::StackInstance => "stack-instance",
        ProjectKind::TerraformPlan => "terraform-plan",
    }
}

/// A project's cost, when anything in it could be priced.
fn priced(pc: Option<&ProjectCost>) -> Option<f64> {
    let pc = pc?;
    pc.resources
        .iter()
        .any(|r| r.monthly_cost().is_some())
        .then(|| pc.monthly_cost())
}

fn project_row(p: &Project, k: &Knowledge, links: &Links, counts: Option<&Counts>) -> ProjectRow {
    let link = k.ownership.links.get(&p.path);
    let regions: BTreeSet<String> = p
        .resources
        .iter()
        .filter_map(|r| r.provider.region.as_str().map(str::to_string))
        .collect();
    let counts = counts.copied().unwrap_or_default();
    ProjectRow {
        name: p.name.clone(),
        path: p.path.clone(),
        kind: kind_name(p.kind).to_string(),
        stack: p.stack.clone(),
        environment: p.environment.clone(),
        regions: regions.into_iter().collect(),
        owner: link.and_then(|l| l.owner.as_ref()).map(|o| links.link(o)),
        component: link
            .and_then(|l| l.component.as_ref())
            .map(|c| links.link(c)),
        resources: p.resources.len(),
        monthly_cost: priced(k.cost.project(&p.path)),
        deny: counts.deny,
        warn: counts.warn,
    }
}

fn docs(e: &Entity, files: &[String], root: &Path) -> Vec<Doc> {
    facts::docs_of(e, files)
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(root.join(&path)).ok()?;
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            if text.len() > MAX_DOC_BYTES {
                let mut cut = MAX_DOC_BYTES;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                text.push_str("\n\n*(cut: the file is larger than 256 KiB)*\n");
            }
            let title = text
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| crate::snapshot::file_name(&path).to_string());
            Some(Doc {
                path,
                title,
                markdown: text,
            })
        })
        .collect()
}

fn stack_page(s: &Stack, projects: &[Project], defaults: &CostReport) -> StackPage {
    let use_cases = s
        .use_cases
        .iter()
        .map(|uc| {
            let pc = defaults.project(&format!("{}#{}", s.dir, uc.name));
            let cost = priced(pc);
            let note = match pc {
                None if s.terraform_dir.is_none() => Some("the stack has no Terraform".into()),
                None => Some("the use case has no form to take defaults from".into()),
                Some(pc) => cost_note(pc),
            };
            let mut fields = Vec::new();
            if let Some(form) = &uc.form {
                for section in &form.sections {
                    for group in &section.groups {
                        for v in &group.vars {
                            fields.push(form_field(&section.name, &group.name, v));
                        }
                    }
                }
            }
            UseCasePage {
                name: uc.name.clone(),
                title: uc.title.clone(),
                description: uc.description.clone(),
                cloud_provider: uc.cloud_provider.clone(),
                monthly_cost_at_defaults: cost,
                cost_note: note,
                fields,
            }
        })
        .collect();
    let mut instances: Vec<String> = projects
        .iter()
        .filter(|p| p.stack.as_deref() == Some(s.canonical.as_str()))
        .map(|p| p.path.clone())
        .collect();
    instances.sort();
    StackPage {
        canonical: s.canonical.clone(),
        name: s.name.clone(),
        description: s.description.clone(),
        dir: s.dir.clone(),
        author: s.author.clone(),
        keywords: s.keywords.clone(),
        technologies: s
            .technologies
            .iter()
            .map(|t| t.technology.clone())
            .collect(),
        use_cases,
        instances,
    }
}

/// What keeps a figure from being whole: unknown values and prices not found.
fn cost_note(pc: &ProjectCost) -> Option<String> {
    let (mut unknown, mut missing, mut usage) = (0, 0, 0);
    for r in &pc.resources {
        for c in r.all_components() {
            match &c.note {
                crate::cost::component::Note::Unknown(_) => unknown += 1,
                crate::cost::component::Note::PriceNotFound(_) => missing += 1,
                _ if c.usage_based && c.monthly_quantity.is_none() => usage += 1,
                _ => {}
            }
        }
    }
    let mut parts = Vec::new();
    if unknown > 0 {
        parts.push(format!(
            "{unknown} component(s) depend on values only known at apply"
        ));
    }
    if missing > 0 {
        parts.push(format!("{missing} price(s) not found"));
    }
    if usage > 0 {
        parts.push(format!("{usage} usage-based component(s) not counted"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn json_text(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn form_field(section: &str, group: &str, v: &crate::stacks::forms::Var) -> FormField {
    use crate::stacks::values::{DefaultValue, Values};
    let default = v.default.as_ref().map(|d| match d {
        DefaultValue::Value { value } => json_text(value),
        DefaultValue::Options { .. } => "depends on other fields".to_string(),
    });
    let mut constraints = Vec::new();
    let values = match &v.values {
        Some(Values::List { items }) => items.iter().map(json_text).collect(),
        Some(Values::Labeled { items }) => items.iter().map(|l| json_text(&l.value)).collect(),
        Some(Values::Range { min, max }) => {
            constraints.push(format!("between {min} and {max}"));
            Vec::new()
        }
        Some(Values::Options { .. }) => {
            constraints.push("allowed values depend on other fields".to_string());
            Vec::new()
        }
        None => Vec::new(),
    };
    for val in &v.validations {
        constraints.push(match &val.error_message {
            Some(m) => format!("matches {} ({m})", val.regexp),
            None => format!("matches {}", val.regexp),
        });
    }
    if let Some(c) = &v.condition {
        constraints.push(format!("shown when {}", c.text));
    }
    if v.read_only {
        constraints.push("read-only".to_string());
    }
    FormField {
        section: section.to_string(),
        group: group.to_string(),
        name: v.name.clone(),
        key: v.key.clone(),
        field_type: v.type_name.clone(),
        widget: v.widget.clone(),
        description: v.description.clone(),
        default,
        values,
        required: v.required,
        unit: v.unit.clone(),
        constraints,
    }
}

fn policies(k: &Knowledge) -> Vec<PolicyRow> {
    let run = &k.run;
    run.policies
        .policies
        .iter()
        .map(|p| {
            let of = |f: &&crate::finding::Finding| f.policy.as_deref() == Some(p.id.as_str());
            PolicyRow {
                id: p.id.clone(),
                kind: p.kind.as_str().to_string(),
                level: p.level.as_str().to_string(),
                description: p.description.clone(),
                file: p.file.clone(),
                violations: run
                    .report
                    .findings
                    .iter()
                    .filter(of)
                    .map(|f| Violation {
                        file: f.file.clone(),
                        line: f.line,
                        message: f.message.clone(),
                        resource: f.resource.clone(),
                    })
                    .collect(),
                waived: run.report.suppressed.iter().filter(of).count(),
            }
        })
        .collect()
}

fn scorecards(k: &Knowledge, links: &Links) -> Vec<ScorecardPage> {
    k.scores
        .cards
        .iter()
        .map(|card| {
            let leaderboard = card
                .entities
                .iter()
                .map(|s| {
                    let r = EntityRef::parse(&s.entity, "Component", "default").ok();
                    let owner = r
                        .as_ref()
                        .and_then(|r| links.catalog.get(r))
                        .and_then(|e| e.owner.as_ref())
                        .map(|o| links.link(o));
                    LeaderboardRow {
                        entity: r.map_or_else(
                            || EntityLink {
                                key: s.entity.clone(),
                                label: s.title.clone(),
                                page: None,
                            },
                            |r| links.link(&r),
                        ),
                        owner,
                        level: s.level.clone(),
                        score: s.score,
                        passed: s
                            .rules
                            .iter()
                            .filter(|r| r.status == RuleStatus::Pass)
                            .count(),
                        failed: s
                            .rules
                            .iter()
                            .filter(|r| r.status == RuleStatus::Fail)
                            .count(),
                    }
                })
                .collect();
            ScorecardPage {
                id: card.id.clone(),
                levels: card.levels.iter().map(|l| l.name.clone()).collect(),
                leaderboard,
            }
        })
        .collect()
}

/// Costs by team (the project's owner), by system (its component's) and by environment.
fn breakdown<'a>(
    rows: impl Iterator<Item = &'a ProjectRow>,
    catalog: &Catalog,
    links: &Links,
) -> CostBreakdown {
    let mut team: BTreeMap<String, (Option<String>, f64)> = BTreeMap::new();
    let mut system: BTreeMap<String, (Option<String>, f64)> = BTreeMap::new();
    let mut env: BTreeMap<String, (Option<String>, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for row in rows {
        let Some(cost) = row.monthly_cost else {
            continue;
        };
        total += cost;
        let add = |map: &mut BTreeMap<String, (Option<String>, f64)>, label: String, page| {
            map.entry(label).or_insert((page, 0.0)).1 += cost;
        };
        match &row.owner {
            Some(o) => add(&mut team, o.label.clone(), o.page.clone()),
            None => add(&mut team, "unowned".into(), None),
        }
        let sys = row
            .component
            .as_ref()
            .and_then(|c| EntityRef::parse(&c.key, "Component", "default").ok())
            .and_then(|c| catalog.get(&c))
            .and_then(|e| e.system.as_ref())
            .map(|s| links.link(s));
        match sys {
            Some(s) => add(&mut system, s.label, s.page),
            None => add(&mut system, "no system".into(), None),
        }
        add(
            &mut env,
            row.environment.clone().unwrap_or_else(|| "none".into()),
            None,
        );
    }
    let slices = |map: BTreeMap<String, (Option<String>, f64)>| {
        let mut v: Vec<CostSlice> = map
            .into_iter()
            .map(|(label, (page, monthly_cost))| CostSlice {
                label,
                page,
                monthly_cost,
            })
            .collect();
        v.sort_by(|a, b| {
            b.monthly_cost
                .total_cmp(&a.monthly_cost)
                .then_with(|| a.label.cmp(&b.label))
        });
        v
    };
    CostBreakdown {
        total,
        by_team: slices(team),
        by_system: slices(system),
        by_environment: slices(env),
    }
}

fn recent_changes(k: &Knowledge, links: &Links) -> Vec<Change> {
    let Some(history) = &k.history else {
        return Vec::new();
    };
    let entity_dirs: Vec<(&Entity, &str)> = links
        .catalog
        .entities
        .iter()
        .map(|e| (e, crate::snapshot::parent(&e.file)))
        .collect();
    let project_paths: BTreeSet<&str> = k
        .run
        .report
        .projects
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    history
        .iter()
        .take(RECENT)
        .map(|c| {
            let mut entities: BTreeSet<EntityLink> = BTreeSet::new();
            let mut projects: BTreeSet<String> = BTreeSet::new();
            for path in &c.paths {
                for (e, dir) in &entity_dirs {
                    if &e.file == path || (!dir.is_empty() && path.starts_with(&format!("{dir}/")))
                    {
                        entities.insert(links.link(&e.entity_ref()));
                    }
                }
                if let Some(p) = facts::enclosing(path, |p| project_paths.contains(p)) {
                    projects.insert(p.to_string());
                }
            }
            Change {
                date: crate::policy::Date::from_unix(c.time).to_string(),
                commit: crate::git::short(c.id),
                summary: c.summary.clone(),
                author: c.author.clone(),
                entities: entities.into_iter().collect(),
                projects: projects.into_iter().collect(),
            }
        })
        .collect()
}
