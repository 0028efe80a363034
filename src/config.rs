//! `stackgate.yaml` → `Settings`. Every key is optional and zero-config works: a missing file
//! gives the defaults, a broken one gives findings and the defaults for what could not be read.

use crate::finding::{Finding, Level};
use crate::schema;
use crate::yaml;
use serde::Deserialize;

pub const FILE: &str = "stackgate.yaml";

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Globs of stack folders (those holding `.cycloid.yml`); `None`: every such folder.
    pub stacks: Option<Vec<String>>,
    pub instances: Vec<String>,
    /// Globs of Terraform root folders; `None`: auto-detected.
    pub terraform: Option<Vec<String>>,
    pub catalog: Vec<String>,
    pub policies: Vec<String>,
    pub scorecards: Vec<String>,
    pub usage_file: Option<String>,
    pub pricing_overrides: Option<String>,
    pub site_title: String,
    pub site_base_url: String,
    pub comments_behavior: CommentsBehavior,
    pub fail_on: Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentsBehavior {
    Update,
    New,
    DeleteAndNew,
    Off,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stacks: None,
            instances: vec!["**/*.stack.yaml".into(), "**/*.stack.yml".into()],
            terraform: None,
            catalog: vec!["**/catalog-info.yaml".into(), "**/catalog-info.yml".into()],
            policies: vec!["policies/".into()],
            scorecards: vec!["scorecards/".into()],
            usage_file: None,
            pricing_overrides: None,
            site_title: "Platform catalog".into(),
            site_base_url: "/".into(),
            comments_behavior: CommentsBehavior::Update,
            fail_on: Level::Deny,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Raw {
    stacks: Option<Vec<String>>,
    instances: Option<Vec<String>>,
    terraform: Option<Vec<String>>,
    catalog: Option<Vec<String>>,
    policies: Option<Vec<String>>,
    scorecards: Option<Vec<String>>,
    usage_file: Option<String>,
    pricing: Option<RawPricing>,
    site: Option<RawSite>,
    comments: Option<RawComments>,
    fail_on: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawPricing {
    overrides: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSite {
    title: Option<String>,
    base_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawComments {
    behavior: Option<CommentsBehavior>,
}

impl Settings {
    /// Reads settings from the text of `stackgate.yaml` (`None` when the file is absent).
    pub fn load(text: Option<&str>) -> (Settings, Vec<Finding>) {
        let mut findings = Vec::new();
        let Some(text) = text else {
            return (Settings::default(), findings);
        };
        let doc = match yaml::parse_one(text) {
            Ok(doc) => doc,
            Err(e) => {
                findings.push(
                    Finding::new("config-invalid", FILE, e.pos.line, format!("cannot parse: {}", e.message))
                        .column(e.pos.column),
                );
                return (Settings::default(), findings);
            }
        };
        if doc.value.is_null() {
            return (Settings::default(), findings);
        }
        let schema_findings = schema::validate(schema::Schema::Config, FILE, &doc);
        let schema_failed = !schema_findings.is_empty();
        findings.extend(schema_findings.into_iter().map(|mut f| {
            f.code = "config-invalid";
            f
        }));
        let raw: Raw = match doc.deserialize() {
            Ok(raw) => raw,
            Err(e) => {
                if !schema_failed {
                    findings.push(Finding::new("config-invalid", FILE, doc.start.line, e.to_string()));
                }
                return (Settings::default(), findings);
            }
        };
        let mut s = Settings::default();
        s.stacks = raw.stacks;
        s.terraform = raw.terraform;
        if let Some(v) = raw.instances {
            s.instances = v;
        }
        if let Some(v) = raw.catalog {
            s.catalog = v;
        }
        if let Some(v) = raw.policies {
            s.policies = v;
        }
        if let Some(v) = raw.scorecards {
            s.scorecards = v;
        }
        s.usage_file = raw.usage_file;
        s.pricing_overrides = raw.pricing.and_then(|p| p.overrides);
        if let Some(site) = raw.site {
            if let Some(t) = site.title {
                s.site_title = t;
            }
            if let Some(b) = site.base_url {
                s.site_base_url = b;
            }
        }
        if let Some(b) = raw.comments.and_then(|c| c.behavior) {
            s.comments_behavior = b;
        }
        if let Some(level) = raw.fail_on {
            match Level::parse(&level) {
                Some(l) if l != Level::Info => s.fail_on = l,
                _ => findings.push(Finding::new(
                    "config-invalid",
                    FILE,
                    doc.line(&["fail_on".into()]),
                    format!("fail_on must be `deny` or `warn`, not `{level}`"),
                )),
            }
        }
        (s, findings)
    }

    /// Folders outside the repository root that the stack patterns reach (`../shared/stacks/*`).
    pub fn outside_dirs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.stacks.iter().flatten() {
            if p.starts_with("../") {
                let literal: Vec<&str> = p
                    .split('/')
                    .take_while(|part| !part.contains(['*', '?', '[', '{']))
                    .collect();
                out.push(literal.join("/"));
            }
        }
        out
    }
}
