//! Who a project belongs to, so every catalog entity shows what it runs on and what that
//! costs. In order: the stack instance says it (`metadata.component`, `metadata.owner`); an
//! entity claims it with the `stackgate.dev/projects` annotation (globs over project paths);
//! CODEOWNERS names the team that owns its files. An owner left unsaid is the component's.

use crate::catalog::codeowners::CodeOwners;
use crate::catalog::{Catalog, EntityRef};
use crate::project::{Project, ProjectKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::collections::BTreeMap;

/// The annotation an entity claims projects with: paths or globs, separated by commas or
/// new lines (`infra/network, deploy/*/payments-*.stack.yaml`).
pub const ANNOTATION: &str = "stackgate.dev/projects";

/// How a project's link was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    Instance,
    /// The entity whose annotation claims the project.
    Annotation(String),
    /// The CODEOWNERS line.
    Codeowners(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectLink {
    pub owner: Option<EntityRef>,
    pub component: Option<EntityRef>,
    pub via: Via,
}

#[derive(Debug, Default)]
pub struct Ownership {
    /// By project path.
    pub links: BTreeMap<String, ProjectLink>,
    /// Project paths by the key of each entity they belong to: their component, their owner,
    /// and the component's system.
    by_entity: BTreeMap<String, Vec<String>>,
}

impl Ownership {
    pub fn link(projects: &[Project], catalog: &Catalog, codeowners: Option<&CodeOwners>) -> Self {
        let claims = claims(catalog);
        let mut out = Ownership::default();
        for p in projects {
            let Some(link) = link_one(p, catalog, &claims, codeowners) else {
                continue;
            };
            let mut keys: Vec<String> = Vec::new();
            keys.extend(link.owner.as_ref().map(EntityRef::key));
            if let Some(c) = &link.component {
                keys.push(c.key());
                if let Some(system) = catalog.get(c).and_then(|e| e.system.as_ref()) {
                    keys.push(system.key());
                }
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                out.by_entity.entry(k).or_default().push(p.path.clone());
            }
            out.links.insert(p.path.clone(), link);
        }
        for paths in out.by_entity.values_mut() {
            paths.sort();
        }
        out
    }

    /// Paths of the projects an entity runs on or owns, sorted.
    pub fn projects_of(&self, entity: &EntityRef) -> &[String] {
        self.by_entity.get(&entity.key()).map_or(&[], Vec::as_slice)
    }
}

/// Entities claiming projects through the annotation, with their compiled globs.
fn claims<'a>(catalog: &Catalog<'a>) -> Vec<(&'a crate::catalog::Entity, GlobSet)> {
    catalog
        .entities
        .iter()
        .filter_map(|e| {
            let value = e.annotations.get(ANNOTATION)?;
            let mut set = GlobSetBuilder::new();
            for pattern in value
                .split([',', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                // A bad glob claims nothing; the pattern as a plain path still does.
                let glob = Glob::new(pattern.trim_end_matches('/'))
                    .or_else(|_| Glob::new(&globset::escape(pattern)));
                if let Ok(g) = glob {
                    set.add(g);
                }
            }
            set.build().ok().map(|s| (e, s))
        })
        .collect()
}

fn link_one(
    p: &Project,
    catalog: &Catalog,
    claims: &[(&crate::catalog::Entity, GlobSet)],
    codeowners: Option<&CodeOwners>,
) -> Option<ProjectLink> {
    let parse = |text: &Option<String>, kind: &str| {
        text.as_deref()
            .and_then(|t| EntityRef::parse(t, kind, "default").ok())
    };
    let owner_of = |c: &Option<EntityRef>| {
        c.as_ref()
            .and_then(|c| catalog.get(c))
            .and_then(|e| e.owner.clone())
    };
    let component = parse(&p.component, "Component");
    let owner = parse(&p.owner, "Group");
    if component.is_some() || owner.is_some() {
        let owner = owner.or_else(|| owner_of(&component));
        return Some(ProjectLink {
            owner,
            component,
            via: Via::Instance,
        });
    }
    if let Some((e, _)) = claims.iter().find(|(_, set)| set.is_match(&p.path)) {
        let r = e.entity_ref();
        let (owner, component) = match r.kind.as_str() {
            "Group" | "User" => (Some(r.clone()), None),
            _ => (e.owner.clone(), Some(r.clone())),
        };
        return Some(ProjectLink {
            owner,
            component,
            via: Via::Annotation(r.to_string()),
        });
    }
    let file = match p.kind {
        ProjectKind::Terraform => crate::snapshot::join(&p.path, "main.tf"),
        _ => p.path.clone(),
    };
    let (owners, line) = codeowners?.owners(&file)?;
    // The first team named, else the first person.
    let owner = owners
        .iter()
        .find(|o| o.kind == "Group")
        .or_else(|| owners.first())?;
    Some(ProjectLink {
        owner: Some(owner.clone()),
        component: None,
        via: Via::Codeowners(line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::load_texts;

    const CATALOG: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: payments
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: network
  annotations:
    stackgate.dev/projects: \"infra/network, infra/edge-*\"
spec:
  type: infrastructure
  lifecycle: production
  owner: team-platform
";

    fn project(path: &str, kind: ProjectKind) -> Project {
        Project::new(path, path, kind)
    }

    #[test]
    fn instances_then_annotations_then_codeowners() {
        let (entities, _) = load_texts(&[("catalog-info.yaml", CATALOG)]);
        let catalog = Catalog::new(&entities);
        let (co, _) = CodeOwners::parse("CODEOWNERS", "/infra/ @acme/sre\n");
        let mut inst = project("deploy/prod/pay.stack.yaml", ProjectKind::StackInstance);
        inst.component = Some("payments-api".into());
        let mut owned = project("deploy/dev/x.stack.yaml", ProjectKind::StackInstance);
        owned.owner = Some("group:team-x".into());
        let projects = vec![
            inst,
            owned,
            project("infra/network", ProjectKind::Terraform),
            project("infra/edge-eu", ProjectKind::Terraform),
            project("infra/dns", ProjectKind::Terraform),
            project("tools/x", ProjectKind::Terraform),
        ];
        let o = Ownership::link(&projects, &catalog, Some(&co));
        let show = |path: &str| {
            o.links.get(path).map(|l| {
                (
                    l.owner.as_ref().map(ToString::to_string),
                    l.component.as_ref().map(ToString::to_string),
                    l.via.clone(),
                )
            })
        };
        let s = |t: &str| Some(t.to_string());
        assert_eq!(
            show("deploy/prod/pay.stack.yaml"),
            Some((
                s("group:default/team-payments"),
                s("component:default/payments-api"),
                Via::Instance
            ))
        );
        assert_eq!(
            show("deploy/dev/x.stack.yaml"),
            Some((s("group:default/team-x"), None, Via::Instance))
        );
        let claimed = Some((
            s("group:default/team-platform"),
            s("component:default/network"),
            Via::Annotation("component:default/network".into()),
        ));
        assert_eq!(show("infra/network"), claimed);
        assert_eq!(show("infra/edge-eu"), claimed);
        assert_eq!(
            show("infra/dns"),
            Some((s("group:default/sre"), None, Via::Codeowners(1)))
        );
        assert_eq!(show("tools/x"), None);
        let system = EntityRef::new("System", "default", "payments");
        assert_eq!(o.projects_of(&system), ["deploy/prod/pay.stack.yaml"]);
        let team = EntityRef::new("Group", "default", "team-platform");
        assert_eq!(o.projects_of(&team), ["infra/edge-eu", "infra/network"]);
    }
}
