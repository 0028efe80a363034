//! The entity model the site and scorecards read: what a descriptor says, with its references
//! parsed. Built leniently: a field that fails its check is left out here and reported by the
//! rules, so one typo does not hide the rest of the entity.

use super::entity_ref::{CORE_KINDS, EntityRef};
use super::rules::{DEFAULT_NAMESPACE, get, is_templated, ref_namespace, untag};
use super::spec::{self, Shape};
use crate::yaml::{Doc, Value, scalar_text, to_json};
use serde::Serialize;
use serde_yaml::Mapping;
use std::collections::BTreeMap;

/// One of `metadata.links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub url: String,
    pub title: Option<String>,
    pub icon: Option<String>,
    #[serde(rename = "type")]
    pub link_type: Option<String>,
}

/// One catalog entity, from one YAML document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub api_version: String,
    /// As written (`Component`); Backstage's kinds are case-sensitive.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    /// `spec.type`.
    pub spec_type: Option<String>,
    pub lifecycle: Option<String>,
    pub owner: Option<EntityRef>,
    pub system: Option<EntityRef>,
    pub domain: Option<EntityRef>,
    pub subcomponent_of: Option<EntityRef>,
    pub provides_apis: Vec<EntityRef>,
    pub consumes_apis: Vec<EntityRef>,
    pub depends_on: Vec<EntityRef>,
    pub dependency_of: Vec<EntityRef>,
    pub parent: Option<EntityRef>,
    pub children: Vec<EntityRef>,
    pub members: Vec<EntityRef>,
    pub member_of: Vec<EntityRef>,
    pub subdomain_of: Option<EntityRef>,
    /// `metadata` and `spec` as written, for rules that look up arbitrary paths.
    pub metadata: serde_json::Value,
    pub spec: serde_json::Value,
    /// The line of each reference field of `spec` (`owner`, `dependsOn`…), for findings.
    #[serde(skip)]
    pub ref_lines: BTreeMap<String, usize>,
    pub file: String,
    /// Where the document starts.
    pub line: usize,
}

impl Entity {
    pub fn entity_ref(&self) -> EntityRef {
        EntityRef::new(self.kind.clone(), self.namespace.clone(), self.name.clone())
    }

    /// The name to show: the title when there is one.
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

/// The entity of a document, when it has a kind and a name to be known by.
pub(super) fn build(file: &str, doc: &Doc, root: &Mapping) -> Option<Entity> {
    let kind = get(root, "kind")?
        .as_str()
        .filter(|k| !k.is_empty())?
        .to_string();
    let meta_value = get(root, "metadata")?;
    let meta = meta_value.as_mapping()?;
    let name = scalar_text(get(meta, "name")?).filter(|n| !n.is_empty())?;
    let namespace = string(meta, "namespace").unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());
    let spec_value = get(root, "spec");
    let empty = Mapping::new();
    let spec = spec_value.and_then(Value::as_mapping).unwrap_or(&empty);
    let refs = Refs {
        kind: &kind,
        namespace: ref_namespace(&namespace),
        spec,
    };
    let ref_lines = spec
        .keys()
        .filter_map(|k| k.as_str())
        .filter(|k| refs.default_kind(k).is_some())
        .map(|k| (k.to_string(), doc.line(&["spec".into(), k.into()])))
        .collect();
    Some(Entity {
        api_version: string(root, "apiVersion").unwrap_or_default(),
        ref_lines,
        title: string(meta, "title"),
        description: string(meta, "description"),
        labels: string_map(meta, "labels"),
        annotations: string_map(meta, "annotations"),
        tags: strings(meta, "tags"),
        links: links(meta),
        spec_type: string(spec, "type"),
        lifecycle: string(spec, "lifecycle"),
        owner: refs.one("owner"),
        system: refs.one("system"),
        domain: refs.one("domain"),
        subcomponent_of: refs.one("subcomponentOf"),
        provides_apis: refs.many("providesApis"),
        consumes_apis: refs.many("consumesApis"),
        depends_on: refs.many("dependsOn"),
        dependency_of: refs.many("dependencyOf"),
        parent: refs.one("parent"),
        children: refs.many("children"),
        members: refs.many("members"),
        member_of: refs.many("memberOf"),
        subdomain_of: refs.one("subdomainOf"),
        metadata: to_json(meta_value),
        spec: spec_value.map_or(serde_json::Value::Null, to_json),
        file: file.to_string(),
        line: doc.start.line,
        kind,
        namespace,
        name,
    })
}

fn string(map: &Mapping, key: &str) -> Option<String> {
    get(map, key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn string_map(map: &Mapping, key: &str) -> BTreeMap<String, String> {
    let Some(Value::Mapping(m)) = get(map, key) else {
        return BTreeMap::new();
    };
    m.iter()
        .filter_map(|(k, v)| Some((scalar_text(k)?, untag(v).as_str()?.to_string())))
        .collect()
}

fn strings(map: &Mapping, key: &str) -> Vec<String> {
    let Some(Value::Sequence(items)) = get(map, key) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|v| untag(v).as_str())
        .map(str::to_string)
        .collect()
}

fn links(meta: &Mapping) -> Vec<Link> {
    let Some(Value::Sequence(items)) = get(meta, "links") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let link = untag(item).as_mapping()?;
            Some(Link {
                url: string(link, "url")?,
                title: string(link, "title"),
                icon: string(link, "icon"),
                link_type: string(link, "type"),
            })
        })
        .collect()
}

/// Reads the references of a spec, with the kind each field defaults to.
struct Refs<'a> {
    kind: &'a str,
    namespace: &'a str,
    spec: &'a Mapping,
}

impl Refs<'_> {
    /// The kind a bare name in `key` means, if this entity's kind has such a field. A core kind
    /// only has its own fields (Backstage derives no relation from the others); another kind
    /// (a Template, a custom kind) is read with the same names and meanings.
    fn default_kind(&self, key: &str) -> Option<&'static str> {
        let field = if CORE_KINDS.contains(&self.kind) {
            spec::fields(self.kind)?.iter().find(|f| f.key == key)?
        } else {
            spec::all_ref_fields().find(|f| f.key == key)?
        };
        match field.shape {
            Shape::Ref(k) | Shape::RefList(k) => Some(k),
            _ => None,
        }
    }

    fn parse(&self, value: &Value, default_kind: &str) -> Option<EntityRef> {
        let text = untag(value).as_str().filter(|s| !is_templated(s))?;
        EntityRef::parse(text, default_kind, self.namespace).ok()
    }

    fn one(&self, key: &str) -> Option<EntityRef> {
        let default_kind = self.default_kind(key)?;
        self.parse(get(self.spec, key)?, default_kind)
    }

    fn many(&self, key: &str) -> Vec<EntityRef> {
        let (Some(default_kind), Some(Value::Sequence(items))) =
            (self.default_kind(key), get(self.spec, key))
        else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| self.parse(v, default_kind))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::entity_ref::EntityRef;
    use crate::catalog::tests::entities;

    #[test]
    fn the_model_holds_what_the_descriptor_says() {
        let text = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  namespace: finance
  title: Payments API
  description: Takes the money.
  labels: {tier: gold, bad: 3}
  annotations: {github.com/project-slug: acme/payments}
  tags: [java, 42]
  links:
    - url: https://runbooks.example.com/payments
      title: Runbook
    - title: no url
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: default/payments
  providesApis: [payments-api]
  consumesApis: [fx-rates, 'not valid']
  dependsOn: [resource:payments-db]
  parent: ignored-for-components
";
        let e = entities(text).remove(0);
        assert_eq!(e.entity_ref().to_string(), "component:finance/payments-api");
        assert_eq!((e.file.as_str(), e.line), ("catalog-info.yaml", 1));
        assert_eq!(e.display_name(), "Payments API");
        assert_eq!(e.labels.len(), 1);
        assert_eq!(e.annotations["github.com/project-slug"], "acme/payments");
        assert_eq!(e.tags, ["java"]);
        assert_eq!(e.links.len(), 1);
        assert_eq!(e.links[0].title.as_deref(), Some("Runbook"));
        assert_eq!(
            (e.spec_type.as_deref(), e.lifecycle.as_deref()),
            (Some("service"), Some("production"))
        );
        assert_eq!(
            e.owner,
            Some(EntityRef::new("Group", "finance", "team-payments"))
        );
        assert_eq!(
            e.system,
            Some(EntityRef::new("System", "default", "payments"))
        );
        assert_eq!(
            e.provides_apis,
            [EntityRef::new("API", "finance", "payments-api")]
        );
        assert_eq!(e.consumes_apis.len(), 1);
        assert_eq!(e.depends_on[0].to_string(), "resource:finance/payments-db");
        assert_eq!(e.parent, None);
        assert_eq!(e.metadata["title"], "Payments API");
        assert_eq!(e.spec["owner"], "team-payments");
    }

    #[test]
    fn groups_users_and_other_kinds() {
        let text = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments}
spec: {type: team, parent: engineering, children: [payments-core], members: [jdoe]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: jdoe}
spec: {memberOf: [payments, 'ops/sre']}
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: new-service}
spec: {type: service, owner: user:jdoe, steps: []}
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: {name: retail}
spec: {owner: a, subdomainOf: commerce}
";
        let e = entities(text);
        assert_eq!(e.len(), 4);
        assert_eq!(
            e[0].parent.as_ref().map(ToString::to_string).as_deref(),
            Some("group:default/engineering")
        );
        assert_eq!(e[0].children[0].to_string(), "group:default/payments-core");
        assert_eq!(e[0].members[0].to_string(), "user:default/jdoe");
        assert_eq!(e[1].member_of[1].to_string(), "group:ops/sre");
        assert_eq!(
            e[2].owner.as_ref().map(ToString::to_string).as_deref(),
            Some("user:default/jdoe")
        );
        assert_eq!(
            e[3].subdomain_of
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("domain:default/commerce")
        );
        assert_eq!(e[1].line, 6);
    }

    #[test]
    fn documents_without_kind_or_name_are_not_entities() {
        assert!(
            entities("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {title: x}\n")
                .is_empty()
        );
        assert!(entities("apiVersion: backstage.io/v1alpha1\nmetadata: {name: x}\n").is_empty());
    }
}
