//! Pricing a run: every managed resource of every project, in parallel, into a `CostReport`.
//! Findings say what could not be priced and why (unknown values, missing prices).

use super::families::{self, Estimate};
use super::usage::UsageFile;
use super::{Component, Cx, Note, free};
use crate::finding::Finding;
use crate::pricing::{Cloud, Overrides, PriceBook};
use crate::project::{Project, ProjectKind};
use crate::terraform::module::Mode;
use crate::terraform::resource::Resource;
use crate::terraform::value::Value;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How stackgate handled a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Estimated,
    Free,
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceCost {
    pub address: String,
    pub resource_type: String,
    pub file: String,
    pub line: usize,
    pub status: Status,
    /// Tags with known string values (Infracost's JSON carries them).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    pub components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subresources: Vec<Subresource>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subresource {
    pub name: String,
    pub components: Vec<Component>,
}

impl ResourceCost {
    /// Every component, the resource's own then its subresources'.
    pub fn all_components(&self) -> impl Iterator<Item = &Component> {
        self.components
            .iter()
            .chain(self.subresources.iter().flat_map(|s| s.components.iter()))
    }

    /// The sum of the components whose cost is known; `None` when none is.
    pub fn monthly_cost(&self) -> Option<f64> {
        sum(self.all_components().filter_map(Component::monthly_cost))
    }

    /// The part of the cost that comes from usage.
    pub fn usage_cost(&self) -> f64 {
        self.all_components()
            .filter(|c| c.usage_based)
            .filter_map(Component::monthly_cost)
            .sum()
    }

    /// The hourly cost of the components billed by the hour.
    pub fn hourly_cost(&self) -> Option<f64> {
        sum(self
            .all_components()
            .filter_map(|c| Some(c.hourly_quantity()? * c.price?)))
    }

    /// True when a component's price depends on an unknown value or is missing.
    pub fn incomplete(&self) -> bool {
        self.all_components()
            .any(|c| matches!(c.note, Note::Unknown(_) | Note::PriceNotFound(_)))
    }
}

impl Subresource {
    pub fn monthly_cost(&self) -> Option<f64> {
        sum(self.components.iter().filter_map(Component::monthly_cost))
    }

    pub fn hourly_cost(&self) -> Option<f64> {
        sum(self
            .components
            .iter()
            .filter_map(|c| Some(c.hourly_quantity()? * c.price?)))
    }
}

/// The sum of some amounts; `None` when there are none (unknown is not zero).
fn sum(mut values: impl Iterator<Item = f64>) -> Option<f64> {
    let first = values.next()?;
    Some(values.fold(first, |a, b| a + b))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectCost {
    pub name: String,
    pub path: String,
    pub kind: ProjectKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Sorted by address.
    pub resources: Vec<ResourceCost>,
}

/// Resources by how they were handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub detected: usize,
    pub estimated: usize,
    pub free: usize,
    pub unsupported: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.detected += other.detected;
        self.estimated += other.estimated;
        self.free += other.free;
        self.unsupported += other.unsupported;
    }
}

impl ProjectCost {
    pub fn monthly_cost(&self) -> f64 {
        self.resources
            .iter()
            .filter_map(ResourceCost::monthly_cost)
            .sum()
    }

    pub fn usage_cost(&self) -> f64 {
        self.resources.iter().map(ResourceCost::usage_cost).sum()
    }

    pub fn hourly_cost(&self) -> f64 {
        self.resources
            .iter()
            .filter_map(ResourceCost::hourly_cost)
            .sum()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.resources {
            c.detected += 1;
            match r.status {
                Status::Estimated => c.estimated += 1,
                Status::Free => c.free += 1,
                Status::Unsupported => c.unsupported += 1,
            }
        }
        c
    }
}

/// The priced run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostReport {
    /// Where the prices came from (`PriceBook::describe`).
    pub prices: String,
    /// Overrides that changed at least one price, as shown to users.
    pub adjustments: Vec<String>,
    /// Sorted by project path. Shared: the base of a comparison takes the projects a change
    /// leaves alone from the head without copying them.
    pub projects: Vec<Arc<ProjectCost>>,
    pub findings: Vec<Finding>,
}

impl CostReport {
    pub fn monthly_cost(&self) -> f64 {
        self.projects.iter().map(|p| p.monthly_cost()).sum()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for p in &self.projects {
            c.add(p.counts());
        }
        c
    }

    pub fn project(&self, path: &str) -> Option<&ProjectCost> {
        self.projects
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
            .map(|i| &*self.projects[i])
    }

    /// The shared project at `path`.
    pub fn shared(&self, path: &str) -> Option<Arc<ProjectCost>> {
        self.projects
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
            .map(|i| Arc::clone(&self.projects[i]))
    }
}

/// What pricing needs besides the projects.
pub struct Pricing<'a> {
    pub book: &'a PriceBook,
    pub overrides: &'a Overrides,
    pub usage: &'a UsageFile,
}

/// The cloud a resource type bills on, if it is one stackgate prices.
pub fn cloud_of(resource_type: &str) -> Option<Cloud> {
    let prefix = resource_type.split('_').next()?;
    match prefix {
        "aws" => Some(Cloud::Aws),
        "azurerm" => Some(Cloud::Azure),
        "google" => Some(Cloud::Google),
        _ => None,
    }
}

/// Prices every project. Resources of other providers (random, null, kubernetes) and data
/// sources are not cloud resources and are not counted.
pub fn estimate(projects: &[Project], pricing: &Pricing) -> CostReport {
    let mut out: Vec<(ProjectCost, Vec<Finding>)> = projects
        .par_iter()
        .map(|p| estimate_project(p, pricing))
        .collect();
    out.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut findings = Vec::new();
    let mut projects_out = Vec::with_capacity(out.len());
    for (p, f) in out {
        projects_out.push(Arc::new(p));
        findings.extend(f);
    }
    crate::finding::normalize(&mut findings);
    let mut adjustments: Vec<String> = projects_out
        .iter()
        .flat_map(|p| p.resources.iter())
        .flat_map(ResourceCost::all_components)
        .filter_map(|c| c.adjustment.clone())
        .collect();
    adjustments.sort();
    adjustments.dedup();
    CostReport {
        prices: pricing.book.describe(),
        adjustments,
        projects: projects_out,
        findings,
    }
}

fn estimate_project(p: &Project, pricing: &Pricing) -> (ProjectCost, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut resources: Vec<ResourceCost> = p
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Managed)
        .filter_map(|r| {
            let cloud = cloud_of(&r.r#type)?;
            let rc = estimate_in(r, cloud, pricing, launch_template(r, &p.resources));
            findings.extend(resource_findings(p, r, &rc));
            Some(rc)
        })
        .collect();
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    (
        ProjectCost {
            name: p.name.clone(),
            path: p.path.clone(),
            kind: p.kind,
            environment: p.environment.clone(),
            resources,
        },
        findings,
    )
}

pub fn estimate_resource(r: &Resource, cloud: Cloud, pricing: &Pricing) -> ResourceCost {
    estimate_in(r, cloud, pricing, None)
}

/// The `aws_launch_template` a group's `launch_template` block points at, in the same module:
/// by a known `name`, or by the reference its unknown `id` was computed from.
fn launch_template<'a>(r: &Resource, all: &'a [Resource]) -> Option<&'a Resource> {
    let block = crate::cost::attrs::blocks(r, "launch_template")
        .into_iter()
        .next()?;
    let templates = || {
        all.iter()
            .filter(|t| t.r#type == "aws_launch_template" && t.module == r.module)
    };
    let field = |name: &str| crate::cost::attrs::field(block, name);
    if let Some(Value::String(name)) = field("name") {
        return templates().find(|t| t.attr("name").and_then(Value::as_str) == Some(name));
    }
    let reason = match field("id").or_else(|| field("name"))? {
        Value::Unknown(u) => u.reason.clone(),
        _ => return None,
    };
    // "computed by the provider (aws_launch_template.service.id)"
    let rest = &reason[reason.find("aws_launch_template.")? + "aws_launch_template.".len()..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let mut found = templates().filter(|t| t.name == name);
    let first = found.next()?;
    // With count or for_each, which instance is meant is not known here.
    found.next().is_none().then_some(first)
}

fn estimate_in(
    r: &Resource,
    cloud: Cloud,
    pricing: &Pricing,
    template: Option<&Resource>,
) -> ResourceCost {
    let (status, estimate) = match families::estimator(&r.r#type) {
        Some(f) => {
            let usage = pricing.usage.for_resource(&r.address, &r.r#type);
            let mut cx = Cx::new(r, cloud, pricing.book, pricing.overrides, usage);
            cx.launch_template = template;
            (Status::Estimated, f(&cx))
        }
        None if free::is_free(&r.r#type) => (Status::Free, Estimate::default()),
        None => (Status::Unsupported, Estimate::default()),
    };
    // A priced type can be free in one configuration (a Gateway VPC endpoint, an alias
    // record): nothing to bill is free, not a $0 estimate.
    let status = if status == Status::Estimated
        && estimate.components.is_empty()
        && estimate.subresources.is_empty()
    {
        Status::Free
    } else {
        status
    };
    let tags = r
        .tags
        .iter()
        .filter_map(|(k, t)| match &t.value {
            Value::String(s) => Some((k.clone(), s.clone())),
            _ => None,
        })
        .collect();
    ResourceCost {
        address: r.address.clone(),
        resource_type: r.r#type.clone(),
        file: r.file.clone(),
        line: r.line,
        status,
        tags,
        components: estimate.components,
        subresources: estimate
            .subresources
            .into_iter()
            .map(|(name, components)| Subresource { name, components })
            .collect(),
    }
}

/// One finding per resource for unknown values, one for missing prices.
fn resource_findings(p: &Project, r: &Resource, rc: &ResourceCost) -> Vec<Finding> {
    let mut unknown = Vec::new();
    let mut missing = Vec::new();
    for (sub, c) in rc.components.iter().map(|c| ("", c)).chain(
        rc.subresources
            .iter()
            .flat_map(|s| s.components.iter().map(move |c| (s.name.as_str(), c))),
    ) {
        let name = if sub.is_empty() {
            c.name.clone()
        } else {
            format!("{sub}: {}", c.name)
        };
        // A usage-priced part without usage adds nothing either way: no finding about it.
        if c.usage_based && c.monthly_quantity.is_none() {
            continue;
        }
        match &c.note {
            Note::Unknown(why) => unknown.push(format!("{name} ({why})")),
            Note::PriceNotFound(key) => missing.push(format!("{name} ({key})")),
            _ => {}
        }
    }
    let (file, line) = where_(p, r);
    let mut out = Vec::new();
    if !unknown.is_empty() {
        out.push(
            Finding::new(
                "cost-unknown",
                file.clone(),
                line,
                format!(
                    "the monthly cost of `{}` is incomplete: {}",
                    r.address,
                    unknown.join("; ")
                ),
            )
            .resource(r.address.clone())
            .help(
                "give the value a default, a tfvars entry or an instance value so it can be priced",
            ),
        );
    }
    if !missing.is_empty() {
        out.push(
            Finding::new(
                "price-not-found",
                file,
                line,
                format!("no list price for `{}`: {}", r.address, missing.join("; ")),
            )
            .resource(r.address.clone())
            .help("`stackgate pricing sync` refreshes prices; a custom price in `pricing.overrides` fills the gap"),
        );
    }
    out
}

/// A stack instance's resources are declared in the stack; findings point at the instance.
fn where_(p: &Project, r: &Resource) -> (String, usize) {
    match p.kind {
        ProjectKind::StackInstance => (p.path.clone(), 1),
        _ => (r.file.clone(), r.line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::test_support::{book, resource};
    use serde_json::json;

    #[test]
    fn a_group_is_priced_from_its_launch_template() {
        let mut template = resource(
            "aws_launch_template",
            "us-east-1",
            json!({"instance_type": "m5.large", "block_device_mappings": [{"ebs": [{"volume_size": 20, "volume_type": "gp3"}]}]}),
        );
        template.name = "service".into();
        template.address = "aws_launch_template.service".into();
        let group = resource(
            "aws_autoscaling_group",
            "us-east-1",
            json!({"desired_capacity": 2, "launch_template": [{"id": "(unknown) computed by the provider (aws_launch_template.service.id)"}]}),
        );
        let mut p = Project::new("p", "infra/p", ProjectKind::Terraform);
        p.resources = vec![template, group];
        let book = book(
            "@cloud aws\n@regions us-east-1\nAmazonEC2 instance/linux/m5.large hour 0.096\nAmazonEC2 ebs/gp3/storage GB-month 0.08\n",
        );
        let report = estimate(
            &[p],
            &Pricing {
                book: &book,
                overrides: &Overrides::default(),
                usage: &UsageFile::default(),
            },
        );
        let group = &report.projects[0].resources[0];
        assert_eq!(group.resource_type, "aws_autoscaling_group");
        // 2 × m5.large: 2 × 730 × $0.096 = $140.16; 2 × 20 GB gp3 × $0.08 = $3.20.
        assert_eq!(
            group.monthly_cost().map(|c| (c * 100.0).round() / 100.0),
            Some(143.36)
        );
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }
}
