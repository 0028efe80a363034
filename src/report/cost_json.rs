//! `stackgate cost --format json`: Infracost's JSON (version "0.2"), so tools that read
//! Infracost output read stackgate's. Money is a decimal string; unknown costs are null.

use super::cost_view::CostView;
use crate::cost::diff::Change;
use crate::cost::estimate::{CostReport, ProjectCost, ResourceCost, Status};
use crate::cost::money::decimal;
use crate::cost::{Component, Note};
use crate::project::ProjectKind;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

pub fn render(view: &CostView) -> String {
    let projects: Vec<Value> = project_paths(view)
        .into_iter()
        .map(|path| {
            let head = view.head.project(path);
            let base = view.base.and_then(|b| b.project(path));
            project(view, head, base)
        })
        .collect();
    let head_total = view.head.monthly_cost();
    let head_usage: f64 = view.head.projects.iter().map(|p| p.usage_cost()).sum();
    let head_hourly: f64 = view.head.projects.iter().map(|p| p.hourly_cost()).sum();
    let mut top = Map::new();
    top.insert("version".into(), json!("0.2"));
    top.insert(
        "metadata".into(),
        json!({
            "infracostCommand": "breakdown",
            "tool": "stackgate",
            "toolVersion": env!("CARGO_PKG_VERSION"),
            "prices": view.head.prices,
            "priceAdjustments": view.head.adjustments,
            "usageFile": view.usage_file,
            "base": view.base_label,
        }),
    );
    top.insert("currency".into(), json!("USD"));
    top.insert("projects".into(), Value::Array(projects));
    top.insert("totalHourlyCost".into(), money(head_hourly));
    top.insert("totalMonthlyCost".into(), money(head_total));
    top.insert("totalMonthlyUsageCost".into(), money(head_usage));
    match view.base {
        Some(base) => {
            let past = base.monthly_cost();
            let past_usage: f64 = base.projects.iter().map(|p| p.usage_cost()).sum();
            let past_hourly: f64 = base.projects.iter().map(|p| p.hourly_cost()).sum();
            top.insert("pastTotalHourlyCost".into(), money(past_hourly));
            top.insert("pastTotalMonthlyCost".into(), money(past));
            top.insert("pastTotalMonthlyUsageCost".into(), money(past_usage));
            top.insert(
                "diffTotalHourlyCost".into(),
                money(head_hourly - past_hourly),
            );
            top.insert("diffTotalMonthlyCost".into(), money(head_total - past));
            top.insert(
                "diffTotalMonthlyUsageCost".into(),
                money(head_usage - past_usage),
            );
        }
        None => {
            for k in [
                "pastTotalHourlyCost",
                "pastTotalMonthlyCost",
                "pastTotalMonthlyUsageCost",
                "diffTotalHourlyCost",
                "diffTotalMonthlyCost",
                "diffTotalMonthlyUsageCost",
            ] {
                top.insert(k.into(), Value::Null);
            }
        }
    }
    top.insert(
        "timeGenerated".into(),
        json!(format!("{}T00:00:00Z", view.date)),
    );
    top.insert("summary".into(), summary(view.head));
    // Not part of Infracost's format: what could not be priced, and why, with file and line.
    top.insert(
        "findings".into(),
        serde_json::to_value(&view.head.findings).unwrap_or(Value::Array(Vec::new())),
    );
    let mut s = serde_json::to_string(&Value::Object(top)).unwrap_or_default();
    s.push('\n');
    s
}

fn project_paths<'a>(view: &'a CostView) -> Vec<&'a str> {
    let mut paths: Vec<&str> = view
        .head
        .projects
        .iter()
        .chain(view.base.iter().flat_map(|b| b.projects.iter()))
        .map(|p| p.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

fn project(view: &CostView, head: Option<&ProjectCost>, base: Option<&ProjectCost>) -> Value {
    let any = head.or(base);
    let kind = match any.map(|p| p.kind) {
        Some(ProjectKind::StackInstance) => "stack_instance",
        Some(ProjectKind::TerraformPlan) => "terraform_plan_json",
        _ => "terraform_dir",
    };
    let path = any.map(|p| p.path.as_str()).unwrap_or_default();
    let mut meta = json!({ "path": path, "type": kind });
    if let Some(env) = any.and_then(|p| p.environment.as_deref()) {
        meta["environment"] = json!(env);
    }
    let mut p = Map::new();
    p.insert(
        "name".into(),
        json!(any.map(|p| p.name.as_str()).unwrap_or_default()),
    );
    p.insert("metadata".into(), meta);
    p.insert(
        "pastBreakdown".into(),
        match (view.base.is_some(), base) {
            (true, Some(b)) => breakdown(b),
            (true, None) => empty_breakdown(),
            (false, _) => Value::Null,
        },
    );
    p.insert(
        "breakdown".into(),
        head.map_or_else(empty_breakdown, breakdown),
    );
    p.insert(
        "diff".into(),
        match view.diff.iter().find(|d| d.path == path) {
            Some(d) if view.base.is_some() => {
                let resources: Vec<Value> = d
                    .resources
                    .iter()
                    .map(|r| {
                        json!({
                            "name": r.address,
                            "resourceType": r.resource_type,
                            "change": match r.change { Change::Added => "added", Change::Removed => "removed", Change::Changed => "changed" },
                            "pastMonthlyCost": r.old.map(decimal),
                            "monthlyCost": r.new.map(decimal),
                            "diffMonthlyCost": decimal(r.delta()),
                        })
                    })
                    .collect();
                json!({ "resources": resources, "totalMonthlyCost": decimal(d.delta()) })
            }
            _ => Value::Null,
        },
    );
    p.insert("summary".into(), head.map_or(Value::Null, project_summary));
    Value::Object(p)
}

fn empty_breakdown() -> Value {
    json!({ "resources": [], "freeResources": [], "totalHourlyCost": "0", "totalMonthlyCost": "0", "totalMonthlyUsageCost": "0" })
}

fn breakdown(p: &ProjectCost) -> Value {
    let resources: Vec<Value> = p
        .resources
        .iter()
        .filter(|r| r.status == Status::Estimated)
        .map(resource)
        .collect();
    let free: Vec<Value> = p
        .resources
        .iter()
        .filter(|r| r.status == Status::Free)
        .map(|r| json!({ "name": r.address, "resourceType": r.resource_type }))
        .collect();
    json!({
        "resources": resources,
        "freeResources": free,
        "totalHourlyCost": decimal(p.hourly_cost()),
        "totalMonthlyCost": decimal(p.monthly_cost()),
        "totalMonthlyUsageCost": decimal(p.usage_cost()),
    })
}

fn resource(r: &ResourceCost) -> Value {
    let subresources: Vec<Value> = r
        .subresources
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "hourlyCost": s.hourly_cost().map(decimal),
                "monthlyCost": s.monthly_cost().map(decimal),
                "costComponents": s.components.iter().map(component).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "name": r.address,
        "resourceType": r.resource_type,
        "tags": r.tags,
        "metadata": { "filename": r.file, "startLine": r.line },
        "hourlyCost": r.hourly_cost().map(decimal),
        "monthlyCost": r.monthly_cost().map(decimal),
        "monthlyUsageCost": decimal(r.usage_cost()),
        "costComponents": r.components.iter().map(component).collect::<Vec<_>>(),
        "subresources": subresources,
    })
}

fn component(c: &Component) -> Value {
    let mut v = json!({
        "name": c.name,
        "unit": c.unit,
        "hourlyQuantity": c.hourly_quantity().map(decimal),
        "monthlyQuantity": c.monthly_quantity.map(decimal),
        "price": c.price.map(decimal).unwrap_or_else(|| "0".to_string()),
        "hourlyCost": c.hourly_quantity().zip(c.price).map(|(q, p)| decimal(q * p)),
        "monthlyCost": c.monthly_cost().map(decimal),
        "usageBased": c.usage_based,
        "priceNotFound": matches!(c.note, Note::PriceNotFound(_)),
    });
    match &c.note {
        Note::Unknown(why) => v["unknown"] = json!(why),
        Note::PriceNotFound(key) => v["priceKey"] = json!(key),
        _ => {}
    }
    if let Some(a) = &c.adjustment {
        v["priceAdjustment"] = json!(a);
    }
    v
}

fn project_summary(p: &ProjectCost) -> Value {
    let c = p.counts();
    json!({
        "totalDetectedResources": c.detected,
        "totalSupportedResources": c.estimated,
        "totalFreeResources": c.free,
        "totalUnsupportedResources": c.unsupported,
    })
}

fn summary(head: &CostReport) -> Value {
    let c = head.counts();
    let mut unsupported: BTreeMap<&str, usize> = BTreeMap::new();
    let mut no_price: BTreeMap<&str, usize> = BTreeMap::new();
    let mut usage_based = 0;
    for r in head.projects.iter().flat_map(|p| &p.resources) {
        if r.status == Status::Unsupported {
            *unsupported.entry(&r.resource_type).or_default() += 1;
        }
        if r.all_components()
            .any(|c| matches!(c.note, Note::PriceNotFound(_)))
        {
            *no_price.entry(&r.resource_type).or_default() += 1;
        }
        if r.all_components().any(|c| c.usage_based) {
            usage_based += 1;
        }
    }
    json!({
        "totalDetectedResources": c.detected,
        "totalSupportedResources": c.estimated,
        "totalFreeResources": c.free,
        "totalUnsupportedResources": c.unsupported,
        "totalUsageBasedResources": usage_based,
        "totalNoPriceResources": no_price.values().sum::<usize>(),
        "unsupportedResourceCounts": unsupported,
        "noPriceResourceCounts": no_price,
    })
}

fn money(v: f64) -> Value {
    json!(decimal(v))
}
