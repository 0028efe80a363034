//! Head against base: which resources of which projects were added, removed or changed, with
//! their old and new monthly cost. Projects and resources are matched by path and address.

use super::estimate::{CostReport, ProjectCost, ResourceCost};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDiff {
    pub address: String,
    pub resource_type: String,
    pub change: Change,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

impl ResourceDiff {
    pub fn delta(&self) -> f64 {
        self.new.unwrap_or(0.0) - self.old.unwrap_or(0.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectDiff {
    pub name: String,
    pub path: String,
    /// Monthly cost at the base (0 for a new project).
    pub old: f64,
    /// Monthly cost at the head (0 for a removed project).
    pub new: f64,
    pub in_base: bool,
    pub in_head: bool,
    /// Only resources that changed, sorted by address.
    pub resources: Vec<ResourceDiff>,
}

impl ProjectDiff {
    pub fn delta(&self) -> f64 {
        self.new - self.old
    }

    pub fn changed(&self) -> bool {
        !self.resources.is_empty() || self.in_base != self.in_head
    }
}

/// Compares two priced runs. Every project of either side is listed, changed or not.
pub fn diff(base: &CostReport, head: &CostReport) -> Vec<ProjectDiff> {
    let mut paths: Vec<&str> = base
        .projects
        .iter()
        .chain(head.projects.iter())
        .map(|p| p.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .map(|path| project_diff(base.project(path), head.project(path)))
        .collect()
}

fn project_diff(old: Option<&ProjectCost>, new: Option<&ProjectCost>) -> ProjectDiff {
    let any = new.or(old);
    let empty: &[ResourceCost] = &[];
    let old_rs = old.map_or(empty, |p| &p.resources);
    let new_rs = new.map_or(empty, |p| &p.resources);
    let mut resources = Vec::new();
    let (mut i, mut j) = (0, 0);
    // Both lists are sorted by address: a merge walk.
    while i < old_rs.len() || j < new_rs.len() {
        let order = match (old_rs.get(i), new_rs.get(j)) {
            (Some(a), Some(b)) => a.address.cmp(&b.address),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                let a = &old_rs[i];
                resources.push(entry(a, Change::Removed, a.monthly_cost(), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let b = &new_rs[j];
                resources.push(entry(b, Change::Added, None, b.monthly_cost()));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (a, b) = (&old_rs[i], &new_rs[j]);
                if a.components != b.components || a.subresources != b.subresources {
                    resources.push(entry(
                        b,
                        Change::Changed,
                        a.monthly_cost(),
                        b.monthly_cost(),
                    ));
                }
                i += 1;
                j += 1;
            }
        }
    }
    ProjectDiff {
        name: any.map(|p| p.name.clone()).unwrap_or_default(),
        path: any.map(|p| p.path.clone()).unwrap_or_default(),
        old: old.map_or(0.0, ProjectCost::monthly_cost),
        new: new.map_or(0.0, ProjectCost::monthly_cost),
        in_base: old.is_some(),
        in_head: new.is_some(),
        resources,
    }
}

fn entry(r: &ResourceCost, change: Change, old: Option<f64>, new: Option<f64>) -> ResourceDiff {
    ResourceDiff {
        address: r.address.clone(),
        resource_type: r.resource_type.clone(),
        change,
        old,
        new,
    }
}
