//! What every cost output renders: the head's estimate, and when a base was priced, the base's
//! estimate and the difference.

use crate::cost::diff::{self, ProjectDiff};
use crate::cost::estimate::{CostReport, ResourceCost, Status};
use std::collections::BTreeMap;

pub struct CostView<'a> {
    pub head: &'a CostReport,
    pub base: Option<&'a CostReport>,
    /// What the base is (`main@1a2b3c4`), when there is one.
    pub base_label: Option<String>,
    /// The date of the run, for Infracost's `timeGenerated` (`2026-11-22`).
    pub date: String,
    /// Every project of either side, with what changed.
    pub diff: Vec<ProjectDiff>,
    pub usage_file: Option<String>,
}

impl<'a> CostView<'a> {
    pub fn new(
        head: &'a CostReport,
        base: Option<(&'a CostReport, String)>,
        date: String,
        usage_file: Option<String>,
    ) -> CostView<'a> {
        let diff = match &base {
            Some((b, _)) => diff::diff(b, head),
            None => Vec::new(),
        };
        CostView {
            head,
            base: base.as_ref().map(|(b, _)| *b),
            base_label: base.map(|(_, l)| l),
            date,
            diff,
            usage_file,
        }
    }

    pub fn past_total(&self) -> Option<f64> {
        self.base.map(CostReport::monthly_cost)
    }

    pub fn delta(&self) -> f64 {
        self.head.monthly_cost() - self.past_total().unwrap_or(0.0)
    }
}

/// "12 cloud resources were detected: 8 estimated, 3 free, 1 not supported (1 × aws_foo)".
pub fn counts_lines(report: &CostReport) -> Vec<String> {
    let c = report.counts();
    let mut lines = vec![format!(
        "{} cloud {} detected:",
        c.detected,
        if c.detected == 1 {
            "resource was"
        } else {
            "resources were"
        }
    )];
    lines.push(format!("{} {} estimated", c.estimated, were(c.estimated)));
    if c.free > 0 {
        lines.push(format!("{} {} free", c.free, were(c.free)));
    }
    if c.unsupported > 0 {
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        for r in report
            .projects
            .iter()
            .flat_map(|p| &p.resources)
            .filter(|r| r.status == Status::Unsupported)
        {
            *by_type.entry(&r.resource_type).or_default() += 1;
        }
        let types: Vec<String> = by_type.iter().map(|(t, n)| format!("{n} × {t}")).collect();
        lines.push(format!(
            "{} {} not supported yet: {}",
            c.unsupported,
            if c.unsupported == 1 { "is" } else { "are" },
            types.join(", ")
        ));
    }
    lines
}

fn were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

/// Resources that have a cost line to show (estimated ones).
pub fn shown(resources: &[ResourceCost]) -> impl Iterator<Item = &ResourceCost> {
    resources.iter().filter(|r| r.status == Status::Estimated)
}
