//! Checking `kind: cost` policies against the cost estimate: a project's monthly cost at the
//! head against `max_monthly`, and what the change adds against `max_increase` (when the base
//! was priced too). A budget that cannot be checked says so (`cost-unavailable`).

use super::waiver::Hit;
use super::{Policy, Rule};
use crate::cost::estimate::{CostReport, ProjectCost};
use crate::cost::money::usd;
use crate::finding::Finding;
use crate::project::{Project, ProjectKind};

/// The cost estimates a run can check budgets against.
#[derive(Clone, Copy)]
pub struct CostFacts<'a> {
    pub head: &'a CostReport,
    /// The base of the change, when one was priced.
    pub base: Option<&'a CostReport>,
}

/// Budget findings (as waivable hits) and `cost-unavailable` notes.
pub fn check(
    policies: &[Policy],
    projects: &[Project],
    costs: Option<CostFacts>,
) -> (Vec<Hit>, Vec<Finding>) {
    let mut hits = Vec::new();
    let mut notes = Vec::new();
    for pol in policies {
        let Rule::Cost(rule) = &pol.rule else {
            continue;
        };
        let unavailable = |what: &str| {
            Finding::new(
                "cost-unavailable",
                pol.file.as_str(),
                pol.line,
                format!(
                    "cost policy `{}` ({}) was not checked: {what}",
                    pol.id,
                    rule.describe()
                ),
            )
            .policy(pol.id.clone())
        };
        let Some(costs) = costs else {
            notes.push(unavailable("this run made no cost estimate"));
            continue;
        };
        if rule.max_increase.is_some() && costs.base.is_none() && rule.max_monthly.is_none() {
            notes.push(unavailable(
                "`max_increase` needs the base of the change (`--base REV`)",
            ));
            continue;
        }
        for p in projects.iter().filter(|p| pol.scope.applies_to_project(p)) {
            let Some(head) = costs.head.project(&p.path) else {
                continue;
            };
            let now = head.monthly_cost();
            let (file, line) = anchor(p, head);
            if let Some(max) = rule.max_monthly
                && now > max + 0.005
            {
                let f = Finding::new(
                    "policy-violation",
                    file.clone(),
                    line,
                    format!(
                        "`{}` costs {} a month, over the budget of {} (policy `{}`)",
                        p.name,
                        usd(now),
                        usd(max),
                        pol.id
                    ),
                )
                .level(pol.level)
                .policy(pol.id.clone())
                .resource(p.name.clone())
                .help(format!(
                    "the most expensive resource: {}{}",
                    priciest(head),
                    partial(head)
                ));
                hits.push(hit(f, p));
            }
            if let (Some(max), Some(base)) = (rule.max_increase, costs.base) {
                let before = base.project(&p.path).map_or(0.0, ProjectCost::monthly_cost);
                let added = now - before;
                if added > max + 0.005 {
                    let f = Finding::new(
                        "policy-violation",
                        file,
                        line,
                        format!(
                            "this change adds {} a month to `{}` ({} → {}), more than the +{} allowed (policy `{}`)",
                            usd(added),
                            p.name,
                            usd(before),
                            usd(now),
                            usd(max),
                            pol.id
                        ),
                    )
                    .level(pol.level)
                    .policy(pol.id.clone())
                    .resource(p.name.clone());
                    hits.push(hit(f, p));
                }
            }
        }
    }
    (hits, notes)
}

fn hit(finding: Finding, p: &Project) -> Hit {
    Hit {
        finding,
        project: p.path.clone(),
        addresses: Vec::new(),
        blocks: Vec::new(),
    }
}

/// Where a budget finding points: the instance file a developer edits, or the block of the
/// project's most expensive resource.
fn anchor(p: &Project, cost: &ProjectCost) -> (String, usize) {
    if p.kind == ProjectKind::StackInstance {
        return (p.path.clone(), 1);
    }
    cost.resources
        .iter()
        .filter_map(|r| Some((r.monthly_cost()?, r)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| (r.file.clone(), r.line))
        .unwrap_or_else(|| (p.path.clone(), 1))
}

/// `; 2 resources could not be fully priced (see stackgate cost)`, or nothing.
fn partial(cost: &ProjectCost) -> String {
    let n = cost.resources.iter().filter(|r| r.incomplete()).count();
    match n {
        0 => String::new(),
        1 => "; 1 resource could not be fully priced (see `stackgate cost`)".to_string(),
        n => format!("; {n} resources could not be fully priced (see `stackgate cost`)"),
    }
}

fn priciest(cost: &ProjectCost) -> String {
    cost.resources
        .iter()
        .filter_map(|r| Some((r.monthly_cost()?, r)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(c, r)| format!("`{}` at {} a month", r.address, usd(c)))
        .unwrap_or_else(|| "none priced".to_string())
}
