//! `stackgate inspect`: what the engine understood of each project, resource by resource.

use crate::project::Project;
use crate::terraform::resource::{Resource, TagSource};
use crate::terraform::value::Value;
use std::fmt::Write;

/// Projects matching `filter` (a name or a path; all when `None`).
pub fn select<'a>(projects: &'a [Project], filter: Option<&str>) -> Vec<&'a Project> {
    projects
        .iter()
        .filter(|p| {
            filter.is_none_or(|f| {
                p.name == f
                    || p.path == f
                    || p.path.trim_end_matches('/') == f.trim_end_matches('/')
            })
        })
        .collect()
}

/// JSON: the selected projects with their resources.
pub fn json(projects: &[&Project]) -> String {
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "projects": projects }))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// A table per project: address, provider, region, tags, declaration.
pub fn table(projects: &[&Project]) -> String {
    let mut out = String::new();
    for p in projects {
        let _ = writeln!(out, "{} ({}, {})", p.name, kind(p), p.path);
        if p.resources.is_empty() {
            let _ = writeln!(out, "  no resources\n");
            continue;
        }
        let rows: Vec<[String; 5]> = p.resources.iter().map(row).collect();
        let headers = ["ADDRESS", "PROVIDER", "REGION", "TAGS", "DECLARED AT"];
        let mut widths = headers.map(str::len);
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 5]| {
            let mut l = String::from("  ");
            for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
                if i == 4 {
                    l.push_str(c);
                } else {
                    let _ = write!(l, "{c:<w$}  ");
                }
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(headers));
        for r in &rows {
            let _ = writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
        }
        let unknown = p
            .resources
            .iter()
            .filter(|r| r.attributes.contains_unknown())
            .count();
        let _ = writeln!(
            out,
            "  {} resource(s), {} with values known only after apply\n",
            p.resources.len(),
            unknown
        );
    }
    out
}

fn kind(p: &Project) -> &'static str {
    match p.kind {
        crate::project::ProjectKind::Terraform => "terraform",
        crate::project::ProjectKind::StackInstance => "stack instance",
        crate::project::ProjectKind::TerraformPlan => "terraform plan",
    }
}

fn row(r: &Resource) -> [String; 5] {
    let provider = match &r.provider.alias {
        Some(a) => format!("{}.{a}", r.provider.name),
        None => r.provider.name.clone(),
    };
    let region = match &r.provider.region {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        Value::Unknown(_) => "(unknown)".into(),
        other => other.to_string(),
    };
    let defaults = r
        .tags
        .values()
        .filter(|t| matches!(t.source, TagSource::ProviderDefault { .. }))
        .count();
    let tags = if r.tags.is_empty() {
        "-".to_string()
    } else if defaults > 0 {
        format!("{} ({} default)", r.tags.len(), defaults)
    } else {
        r.tags.len().to_string()
    };
    [
        r.address.clone(),
        provider,
        region,
        tags,
        format!("{}:{}", r.file, r.line),
    ]
}
