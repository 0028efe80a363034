//! The catalog as a graph: entities by reference, the relations Backstage derives from their
//! specs in both directions, and the references that lead nowhere.

use super::entity::Entity;
use super::entity_ref::EntityRef;
use crate::finding::Finding;
use std::collections::{BTreeSet, HashMap};

/// One relation, read from `source`'s side: `component:default/api ownedBy group:default/team`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    pub source: EntityRef,
    pub relation: &'static str,
    pub target: EntityRef,
}

/// Spec fields that make relations: the relation from the entity, and the inverse one from
/// the target (Backstage's names).
const FIELDS: &[(&str, &str, &str)] = &[
    ("owner", "ownedBy", "ownerOf"),
    ("system", "partOf", "hasPart"),
    ("domain", "partOf", "hasPart"),
    ("subcomponentOf", "partOf", "hasPart"),
    ("subdomainOf", "partOf", "hasPart"),
    ("providesApis", "providesApi", "apiProvidedBy"),
    ("consumesApis", "consumesApi", "apiConsumedBy"),
    ("dependsOn", "dependsOn", "dependencyOf"),
    ("dependencyOf", "dependencyOf", "dependsOn"),
    ("parent", "childOf", "parentOf"),
    ("children", "parentOf", "childOf"),
    ("members", "hasMember", "memberOf"),
    ("memberOf", "memberOf", "hasMember"),
];

/// The references an entity's spec makes, by field.
pub fn references(e: &Entity) -> Vec<(&'static str, &EntityRef)> {
    let mut out: Vec<(&'static str, &EntityRef)> = Vec::new();
    for (field, r) in [
        ("owner", &e.owner),
        ("system", &e.system),
        ("domain", &e.domain),
        ("subcomponentOf", &e.subcomponent_of),
        ("subdomainOf", &e.subdomain_of),
        ("parent", &e.parent),
    ] {
        if let Some(r) = r {
            out.push((field, r));
        }
    }
    for (field, list) in [
        ("providesApis", &e.provides_apis),
        ("consumesApis", &e.consumes_apis),
        ("dependsOn", &e.depends_on),
        ("dependencyOf", &e.dependency_of),
        ("children", &e.children),
        ("members", &e.members),
        ("memberOf", &e.member_of),
    ] {
        out.extend(list.iter().map(|r| (field, r)));
    }
    out
}

/// The entities, found by reference (compared ignoring case, as Backstage does).
pub struct Catalog<'a> {
    pub entities: &'a [Entity],
    by_key: HashMap<String, usize>,
}

impl<'a> Catalog<'a> {
    /// The first definition wins when two collide (the duplicate is already a finding).
    pub fn new(entities: &'a [Entity]) -> Catalog<'a> {
        let mut by_key = HashMap::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            by_key.entry(e.entity_ref().key()).or_insert(i);
        }
        Catalog { entities, by_key }
    }

    pub fn get(&self, r: &EntityRef) -> Option<&'a Entity> {
        self.by_key.get(&r.key()).map(|&i| &self.entities[i])
    }

    /// Every relation in both directions, sorted, without repeats. Inverse relations are
    /// only made for targets that exist: a dangling reference has nobody to tell.
    pub fn relations(&self) -> Vec<Relation> {
        let mut out = BTreeSet::new();
        for e in self.entities {
            let source = e.entity_ref();
            for (field, target) in references(e) {
                let Some(&(_, forward, inverse)) = FIELDS.iter().find(|(f, _, _)| *f == field)
                else {
                    continue;
                };
                out.insert(Relation {
                    source: source.clone(),
                    relation: forward,
                    target: target.clone(),
                });
                if let Some(t) = self.get(target) {
                    out.insert(Relation {
                        source: t.entity_ref(),
                        relation: inverse,
                        target: source.clone(),
                    });
                }
            }
        }
        out.into_iter().collect()
    }

    /// References to entities no descriptor defines, and owners that are not a Group or a
    /// User. A kind the repository defines no entity of at all (Groups and Users often come
    /// from an organization provider, not from files) is not judged.
    pub fn check_references(&self) -> Vec<Finding> {
        let kinds: BTreeSet<String> = self
            .entities
            .iter()
            .map(|e| e.kind.to_lowercase())
            .collect();
        let mut out = Vec::new();
        for e in self.entities {
            let line = |field: &str| e.ref_lines.get(field).copied().unwrap_or(e.line);
            for (field, target) in references(e) {
                if field == "owner" && !matches!(target.kind.as_str(), "Group" | "User") {
                    out.push(
                        Finding::new(
                            "catalog-owner-kind",
                            e.file.as_str(),
                            line(field),
                            format!(
                                "{} is owned by {target}, a {}: owners are groups or users",
                                e.entity_ref(),
                                target.kind
                            ),
                        )
                        .resource(e.entity_ref().to_string())
                        .help("name the team that answers for it: `owner: group:team-name`"),
                    );
                    continue;
                }
                if self.get(target).is_none() && kinds.contains(&target.kind.to_lowercase()) {
                    out.push(
                        Finding::new(
                            "catalog-unknown-ref",
                            e.file.as_str(),
                            line(field),
                            format!(
                                "spec.{field} of {} refers to {target}, which no descriptor defines",
                                e.entity_ref()
                            ),
                        )
                        .resource(e.entity_ref().to_string())
                        .help(format!(
                            "fix the reference (kind, namespace and name), or add a catalog-info.yaml defining {target}"
                        )),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::{codes, load_texts};

    const TEXT: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: shop
  dependsOn: [component:api, resource:db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api
spec:
  type: service
  lifecycle: production
  owner: component:web
";

    fn entities() -> Vec<Entity> {
        let (entities, findings) = load_texts(&[("catalog-info.yaml", TEXT)]);
        let findings: Vec<_> = findings
            .into_iter()
            .filter(|f| {
                !f.code.starts_with("catalog-unknown-ref") && f.code != "catalog-owner-kind"
            })
            .collect();
        assert!(findings.is_empty(), "{findings:?}");
        entities
    }

    #[test]
    fn relations_run_both_ways_to_entities_that_exist() {
        let entities = entities();
        let rel: Vec<String> = Catalog::new(&entities)
            .relations()
            .iter()
            .map(|r| format!("{} {} {}", r.source, r.relation, r.target))
            .collect();
        assert_eq!(
            rel,
            [
                "component:default/api dependencyOf component:default/web",
                "component:default/api ownedBy component:default/web",
                "component:default/web dependsOn component:default/api",
                "component:default/web dependsOn resource:default/db",
                "component:default/web ownedBy group:default/team-a",
                "component:default/web ownerOf component:default/api",
                "component:default/web partOf system:default/shop",
                "group:default/team-a ownerOf component:default/web",
            ]
        );
    }

    #[test]
    fn dangling_references_of_known_kinds_and_wrong_owners_are_findings() {
        let f = Catalog::new(&entities()).check_references();
        // No System and no Resource is defined anywhere: those come from elsewhere.
        assert_eq!(codes(&f), ["catalog-owner-kind"]);
        assert_eq!(f[0].line, 27);
        let missing_api = TEXT.replace("component:api", "component:apii");
        let (entities, _) = load_texts(&[("catalog-info.yaml", &missing_api)]);
        let f = Catalog::new(&entities).check_references();
        assert_eq!(codes(&f), ["catalog-unknown-ref", "catalog-owner-kind"]);
        assert_eq!(f[0].line, 18);
        assert!(f[0].message.contains("component:default/apii"), "{f:?}");
    }

    #[test]
    fn lookups_ignore_case() {
        let entities = entities();
        let c = Catalog::new(&entities);
        assert!(
            c.get(&EntityRef::new("group", "default", "TEAM-A"))
                .is_some()
        );
        assert!(c.get(&EntityRef::new("Group", "other", "team-a")).is_none());
    }
}
