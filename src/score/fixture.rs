//! A small scorecard, catalog and fact source, scored for real: the input of the renderers'
//! snapshot tests and of the evaluation tests.

use super::evaluate::FnFacts;
use super::{Fact, Scorecard, Scores};
use crate::catalog::Entity;
use crate::finding::Finding;
use crate::source::Texts;
use std::sync::Arc;

pub const SCORECARD: &str = "\
scorecard: production-readiness
description: Ownership, operability and guardrails of production services.
applies_to: { kinds: [component], types: [service] }
levels:
  - { name: bronze, rank: 1 }
  - { name: silver, rank: 2 }
  - { name: gold, rank: 3 }
rules:
  - id: has-owner
    level: bronze
    description: A team owns it.
    weight: 2
    check: { path: spec.owner, op: exists }
  - id: has-runbook
    level: silver
    description: A runbook is linked.
    check: { path: \"metadata.links[?title=='Runbook']\", op: exists }
  - id: on-call
    level: silver
    fix: \"ask #platform for a PagerDuty service, then add its id as an annotation\"
    check: { path: \"metadata.annotations['pagerduty.com/service-id']\", op: exists }
  - id: policy-clean
    level: gold
    applies_to: { lifecycles: [production] }
    check: { fact: policy.deny, op: eq, value: 0 }
  - id: within-budget
    level: gold
    check: { fact: cost.over_budget, op: eq, value: false }
";

pub const CATALOG: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  title: Payments API
  annotations: { pagerduty.com/service-id: P123 }
  links: [{ url: 'https://rb.example.com/payments', title: Runbook }]
spec: { type: service, lifecycle: production, owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart-api
  title: Cart <beta> | API
  links: [{ url: 'https://dash.example.com/cart', title: Dashboard }]
spec: { type: service, lifecycle: experimental, owner: team-checkout }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orphan
  annotations: { pagerduty.com/service-id: P9 }
  links: [{ url: 'https://rb.example.com/orphan', title: Runbook }]
spec: { type: service, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: website }
spec: { type: website, lifecycle: production, owner: team-web }
";

pub fn texts(files: &[(&str, &str)]) -> Texts {
    files
        .iter()
        .map(|(f, t)| (f.to_string(), Arc::from(*t)))
        .collect()
}

pub fn cards(files: &[(&str, &str)]) -> (Vec<Scorecard>, Vec<Finding>) {
    let names: Vec<String> = files.iter().map(|(f, _)| f.to_string()).collect();
    super::load(&names, &texts(files))
}

pub fn entities(text: &str) -> Vec<Entity> {
    crate::catalog::tests::load_texts(&[("services/catalog-info.yaml", text)]).0
}

/// Facts for the fixture: payments is clean and within budget, cart has two deny findings
/// and runs on nothing that is priced, the rest runs on nothing.
pub fn fact(e: &Entity, name: &str) -> Fact {
    match (e.name.as_str(), name) {
        ("payments-api", "policy.deny") => Fact::Number(0.0),
        ("payments-api", "cost.over_budget") => Fact::Bool(false),
        ("cart-api", "policy.deny") => Fact::Number(2.0),
        (_, n) if n.starts_with("cost.") => Fact::Unknown("it runs on no priced project".into()),
        _ => Fact::Number(0.0),
    }
}

pub fn scores() -> Scores {
    let (cards, findings) = cards(&[("scorecards/readiness.yaml", SCORECARD)]);
    assert!(findings.is_empty(), "{findings:#?}");
    super::evaluate(&cards, &entities(CATALOG), &FnFacts(fact))
}
