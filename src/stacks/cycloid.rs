//! `.cycloid.yml`: a stack's identity (canonical, name, author, keywords…) and its use cases
//! (`config.<use_case>`), read leniently from the YAML; the schema reports shape errors.

use crate::yaml::{Doc, Seg, to_json};
use serde::Serialize;
use serde_json::Value as Json;

#[derive(Debug, Clone, Default, Serialize)]
pub struct CycloidFile {
    pub version: Option<String>,
    pub name: Option<String>,
    pub canonical: Option<String>,
    pub canonical_line: usize,
    pub author: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub keywords: Vec<String>,
    pub technologies: Vec<Technology>,
    pub status: Option<String>,
    pub template: bool,
    pub dependencies: Vec<String>,
    /// `config` is present (a mapping); v1 stacks may lack it.
    pub has_config: bool,
    pub config: Vec<UseCaseConfig>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Technology {
    pub technology: String,
    pub version: Option<String>,
}

/// `config.<use_case>`.
#[derive(Debug, Clone, Serialize)]
pub struct UseCaseConfig {
    /// The use case: the key under `config`.
    pub key: String,
    pub line: usize,
    /// Its display name (`name`).
    pub name: Option<String>,
    pub description: Option<String>,
    pub cloud_provider: Option<String>,
    /// `terraform.<name>.path` entries.
    pub terraform_paths: Vec<String>,
}

fn text(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|x| text(Some(x))).collect())
        .unwrap_or_default()
}

pub fn read(doc: &Doc) -> CycloidFile {
    let json = to_json(&doc.value);
    let get = |k: &str| json.get(k);
    let config = get("config").and_then(Json::as_object);
    let use_cases = config
        .map(|c| {
            c.iter()
                .map(|(key, v)| UseCaseConfig {
                    key: key.clone(),
                    line: doc.line(&[Seg::Key("config".into()), Seg::Key(key.clone())]),
                    name: text(v.get("name")),
                    description: text(v.get("description")),
                    cloud_provider: text(v.get("cloud_provider")),
                    terraform_paths: v
                        .get("terraform")
                        .and_then(Json::as_object)
                        .map(|t| t.values().filter_map(|e| text(e.get("path"))).collect())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    CycloidFile {
        version: text(get("version")),
        name: text(get("name")),
        canonical: text(get("canonical")),
        canonical_line: doc.line(&[Seg::Key("canonical".into())]),
        author: text(get("author")),
        description: text(get("description")),
        image: text(get("image")),
        keywords: strings(get("keywords")),
        technologies: get("technologies")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| {
                        Some(Technology {
                            technology: text(t.get("technology"))?,
                            version: text(t.get("version")),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        status: text(get("status")),
        template: get("template").and_then(Json::as_bool).unwrap_or(false),
        // Dependencies are canonicals, or `{ref: canonical, …}` objects in some catalogs.
        dependencies: get("dependencies")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| text(Some(d)).or_else(|| text(d.get("ref"))))
                    .collect()
            })
            .unwrap_or_default(),
        has_config: config.is_some(),
        config: use_cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_one;

    #[test]
    fn reads_v3_and_v1_files() {
        let v3 = "version: 3\nname: RDS\ncanonical: aws-rds\nkeywords: [provider:aws, db]\n\
technologies:\n  - {technology: terraform, version: 1.5}\nconfig:\n  default:\n    name: Default\n    \
cloud_provider: aws\n    terraform:\n      main: {path: terraform/main.tf.sample, destination: x}\n  \
ha:\n    name: HA\n";
        let f = read(&parse_one(v3).unwrap());
        assert_eq!(f.version.as_deref(), Some("3"));
        assert_eq!(f.canonical.as_deref(), Some("aws-rds"));
        assert_eq!(f.canonical_line, 3);
        assert_eq!(f.keywords, vec!["provider:aws", "db"]);
        assert_eq!(f.technologies[0].version.as_deref(), Some("1.5"));
        assert_eq!(f.config.len(), 2);
        assert_eq!(f.config[0].key, "default");
        assert_eq!(f.config[0].line, 8);
        assert_eq!(f.config[0].cloud_provider.as_deref(), Some("aws"));
        assert_eq!(
            f.config[0].terraform_paths,
            vec!["terraform/main.tf.sample"]
        );
        assert_eq!(f.config[1].line, 13);

        let v1 = read(&parse_one("name: Old\ncanonical: old-stack\nauthor: me\n").unwrap());
        assert!(v1.version.is_none() && !v1.has_config && v1.config.is_empty());
        assert_eq!(v1.author.as_deref(), Some("me"));
    }
}
