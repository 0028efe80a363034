//! The report every output format renders, and the dispatch to one file per format.

mod common;
pub mod cost_json;
pub mod cost_markdown;
pub mod cost_table;
pub mod cost_view;
#[cfg(test)]
mod fixture;
pub mod github;
mod human;
mod json;
mod junit;
mod markdown;
pub mod pr_scorecard;
mod sarif;
pub mod score_json;
pub mod score_markdown;
pub mod score_table;

/// Text safe to put in markdown: markup characters are escaped.
pub fn markdown_text(s: &str) -> String {
    markdown::escape(s)
}

use crate::finding::{Finding, Level};
use crate::project::Project;
use crate::source::Texts;
use serde::Serialize;

/// Version of the JSON report format; bumped on breaking changes only.
pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    /// The policies that ran (id, kind, level, description), for renderers.
    pub policies: Vec<crate::policy::PolicyInfo>,
    pub projects: Vec<Project>,
    pub findings: Vec<Finding>,
    /// Findings a waiver accepted: reported, never failing.
    pub suppressed: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "stackgate",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub stacks: usize,
    pub stack_instances: usize,
    pub terraform_roots: usize,
    pub catalog_entities: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    /// Findings waived (not counted above).
    pub suppressed: usize,
    /// Policies loaded from the policy files.
    pub policies: usize,
    /// The level at or above which the run fails.
    pub fail_on: Level,
    pub passed: bool,
}

impl Report {
    /// Findings at or above the fail level.
    pub fn failing(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level >= self.summary.fail_on)
            .count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
}

impl Format {
    pub const ALL: [(&'static str, Format); 6] = [
        ("human", Format::Human),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("junit", Format::Junit),
        ("markdown", Format::Markdown),
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.iter().find(|(n, _)| *n == s).map(|(_, f)| *f)
    }
}

/// What renderers may need beyond the report.
pub struct RenderOptions<'a> {
    /// File texts, for source snippets.
    pub texts: &'a Texts,
    /// ANSI colour (human format on a terminal).
    pub color: bool,
}

pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, opts),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, opts),
        Format::Github => github::render(report, opts),
        Format::Junit => junit::render(report, opts),
        Format::Markdown => markdown::render(report, opts),
    }
}
