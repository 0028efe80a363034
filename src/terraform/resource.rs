//! An evaluated resource: one instance of a `resource` or `data` block, with its address as
//! Terraform writes it, its provider and region, attributes (unknowns marked), effective tags
//! with where each came from, and where it is declared.

use super::module::Mode;
use super::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub address: String,
    pub mode: Mode,
    #[serde(rename = "type")]
    pub r#type: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<InstanceKey>,
    /// The module path (`module.net.module.sub["a"]`), empty for the root module.
    pub module: String,
    pub provider: ProviderInfo,
    pub attributes: Value,
    pub tags: BTreeMap<String, Tag>,
    /// Set when the tags are incomplete because the provider's `default_tags` is unknown as a
    /// whole: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags_unknown: Option<String>,
    pub file: String,
    pub line: usize,
    /// Module calls from the root down to this resource's module.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub call_chain: Vec<CallSite>,
    /// Set when stackgate gave a data source a stand-in value instead of reading the cloud.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<String>,
}

impl Resource {
    /// An attribute by top-level name.
    pub fn attr(&self, name: &str) -> Option<&Value> {
        self.attributes.as_map().and_then(|m| m.get(name))
    }
}

/// `count.index` or `each.key`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum InstanceKey {
    Int(usize),
    Str(String),
}

impl InstanceKey {
    /// `[2]` or `["a"]`, as in Terraform addresses.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Int(i) => format!("[{i}]"),
            InstanceKey::Str(s) => format!("[{s:?}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderInfo {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The region (AWS, GCP) or location (Azure): a string, unknown (with why), or null when
    /// the resource type has none.
    pub region: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub value: Value,
    pub source: TagSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TagSource {
    /// Set in the resource's own `tags`.
    Resource { file: String, line: usize },
    /// Passed in through the module's variables (`module.x`'s caller set it).
    ModuleInput {
        module: String,
        file: String,
        line: usize,
    },
    /// The provider configuration's `default_tags`.
    ProviderDefault {
        provider: String,
        file: String,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite {
    /// `module.net`, `module.sub["a"]`.
    pub module: String,
    pub file: String,
    pub line: usize,
}
