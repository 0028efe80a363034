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
    /// Variable files per Terraform root (relative to the root folder), applied after
    /// `terraform.tfvars` and `*.auto.tfvars`, like `-var-file`.
    pub var_files: std::collections::BTreeMap<String, Vec<String>>,
    pub usage_file: Option<String>,
    pub pricing_overrides: Option<String>,
    pub site_title: String,
    pub site_base_url: String,
    /// `site.theme`: a folder whose files replace the site's templates and assets.
    pub site_theme: Option<String>,
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
            var_files: Default::default(),
            usage_file: None,
            pricing_overrides: None,
            site_title: "Platform catalog".into(),
            site_base_url: "/".into(),
            site_theme: None,
            comments_behavior: CommentsBehavior::Update,
            fail_on: Level::Deny,
        }
    }
}

impl Settings {
    /// Reads settings from the text of `stackgate.yaml` (`None` when the file is absent).
    pub fn load(text: Option<&str>) -> (Settings, Vec<Finding>) {
        let (settings, findings, _) = Settings::load_with_doc(text);
        (settings, findings)
    }

    /// `load`, also returning the parsed document (findings about patterns need its lines).
    pub fn load_with_doc(text: Option<&str>) -> (Settings, Vec<Finding>, Option<yaml::Doc>) {
        let mut findings = Vec::new();
        let Some(text) = text else {
            return (Settings::default(), findings, None);
        };
        let doc = match yaml::parse_one(text) {
            Ok(doc) => doc,
            Err(e) => {
                findings.push(
                    Finding::new(
                        "config-invalid",
                        FILE,
                        e.pos.line,
                        format!("cannot parse: {}", e.message),
                    )
                    .column(e.pos.column),
                );
                return (Settings::default(), findings, None);
            }
        };
        if doc.value.is_null() {
            return (Settings::default(), findings, Some(doc));
        }
        // Schema problems are reported with their lines; each setting is then read on its own,
        // so one broken key leaves the others in force.
        findings.extend(
            schema::validate(schema::Schema::Config, FILE, &doc)
                .into_iter()
                .map(|mut f| {
                    f.code = "config-invalid";
                    f
                }),
        );
        fn get<T: for<'de> Deserialize<'de>>(v: &yaml::Value, path: &[&str]) -> Option<T> {
            let mut cur = v;
            for key in path {
                cur = cur.get(*key)?;
            }
            serde_yaml::from_value(cur.clone()).ok()
        }
        let v = &doc.value;
        let mut s = Settings {
            stacks: get(v, &["stacks"]),
            terraform: get(v, &["terraform"]),
            usage_file: get(v, &["usage_file"]),
            var_files: get(v, &["var_files"]).unwrap_or_default(),
            pricing_overrides: get(v, &["pricing", "overrides"]),
            ..Settings::default()
        };
        if let Some(x) = get(v, &["instances"]) {
            s.instances = x;
        }
        if let Some(x) = get(v, &["catalog"]) {
            s.catalog = x;
        }
        if let Some(x) = get(v, &["policies"]) {
            s.policies = x;
        }
        if let Some(x) = get(v, &["scorecards"]) {
            s.scorecards = x;
        }
        if let Some(x) = get(v, &["site", "title"]) {
            s.site_title = x;
        }
        if let Some(x) = get(v, &["site", "base_url"]) {
            s.site_base_url = x;
        }
        if let Some(x) = get(v, &["site", "theme"]) {
            s.site_theme = Some(x);
        }
        if let Some(x) = get(v, &["comments", "behavior"]) {
            s.comments_behavior = x;
        }
        // The schema already reported a bad value; the default stands.
        if let Some(l) = get::<String>(v, &["fail_on"])
            .as_deref()
            .and_then(Level::parse)
        {
            if l != Level::Info {
                s.fail_on = l;
            }
        }
        (s, findings, Some(doc))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_and_empty_files_give_defaults() {
        assert_eq!(Settings::load(None).0, Settings::default());
        assert_eq!(Settings::load(Some("")).0, Settings::default());
    }

    #[test]
    fn one_broken_key_leaves_the_others_in_force() {
        let (s, f) = Settings::load(Some(
            "stacks: [\"platform/*\"]\nfail_on: warn\ncomments: {behavior: never}\n",
        ));
        assert_eq!(s.stacks, Some(vec!["platform/*".to_string()]));
        assert_eq!(s.fail_on, Level::Warn);
        assert_eq!(s.comments_behavior, CommentsBehavior::Update);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].code, f[0].line), ("config-invalid", 3));
    }

    #[test]
    fn outside_dirs_are_the_literal_prefixes() {
        let (s, _) = Settings::load(Some("stacks: [\"../../stacks/*\", \"stacks/*\"]\n"));
        assert_eq!(s.outside_dirs(), vec!["../../stacks".to_string()]);
    }
}
