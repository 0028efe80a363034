//! Scoring: cumulative levels, n/a, weights, applies_to, facts, messages and order.

use super::evaluate::FnFacts;
use super::fixture::{self, cards, entities};
use super::{CardScores, EntityScore, Fact, NoFacts, RuleStatus, evaluate};
use crate::catalog::Entity;

fn status(e: &EntityScore) -> Vec<(&str, &str)> {
    e.rules
        .iter()
        .map(|r| (r.id.as_str(), r.status.as_str()))
        .collect()
}

fn find<'a>(card: &'a CardScores, name: &str) -> &'a EntityScore {
    card.entities
        .iter()
        .find(|e| e.entity.ends_with(&format!("/{name}")))
        .unwrap_or_else(|| panic!("{name} not scored"))
}

/// Scores `catalog` against one scorecard file, with facts from `fact`.
fn score(card: &str, catalog: &str, fact: impl Fn(&Entity, &str) -> Fact + Sync) -> CardScores {
    let (cards, findings) = cards(&[("scorecards/s.yaml", card)]);
    assert!(findings.is_empty(), "{findings:#?}");
    let mut scores = evaluate(&cards, &entities(catalog), &FnFacts(fact));
    scores.cards.remove(0)
}

fn component(name: &str, metadata: &str, spec: &str) -> String {
    format!(
        "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {{ name: {name}{metadata} }}\n\
         spec: {{ type: service, lifecycle: production, owner: team-a{spec} }}\n"
    )
}

#[test]
fn the_fixture_scores_as_intended() {
    let scores = fixture::scores();
    let card = &scores.cards[0];
    let got: Vec<(&str, Option<&str>, u32, f64)> = card
        .entities
        .iter()
        .map(|e| (e.entity.as_str(), e.level.as_deref(), e.rank, e.score))
        .collect();
    // The website is not a service; best first.
    assert_eq!(
        got,
        [
            ("component:default/payments-api", Some("gold"), 3, 1.0),
            ("component:default/cart-api", Some("bronze"), 1, 0.5),
            ("component:default/orphan", None, 0, 0.6),
        ]
    );
    let cart = find(card, "cart-api");
    assert_eq!(
        status(cart),
        [
            ("has-owner", "pass"),
            ("has-runbook", "fail"),
            ("on-call", "fail"),
            ("policy-clean", "n/a"),
            ("within-budget", "n/a"),
        ]
    );
    assert_eq!(
        cart.rules[1].message,
        "metadata.links has no entry with title 'Runbook': add one to catalog-info.yaml"
    );
    // The rule's own fix replaces the generated hint.
    assert_eq!(
        cart.rules[2].message,
        "metadata.annotations is missing: ask #platform for a PagerDuty service, then add its \
         id as an annotation"
    );
    assert_eq!(
        cart.rules[3].message,
        "does not apply: its lifecycle is experimental, not production"
    );
    assert_eq!(
        cart.rules[4].message,
        "cost.over_budget is unknown: it runs on no priced project"
    );
    assert_eq!(cart.owner.as_deref(), Some("group:default/team-checkout"));
    assert_eq!(cart.title, "Cart <beta> | API");
    assert_eq!(
        (cart.file.as_str(), cart.line),
        ("services/catalog-info.yaml", 10)
    );
    assert_eq!(
        find(card, "orphan").failing().collect::<Vec<_>>(),
        ["has-owner"]
    );
}

const LEVELS: &str = "\
scorecard: s
levels: [bronze, silver, gold]
rules:
  - { id: b, level: bronze, check: { path: spec.owner, op: exists } }
  - { id: s, level: silver, check: { path: metadata.description, op: exists } }
  - { id: g, level: gold, check: { path: metadata.title, op: exists } }
";

#[test]
fn levels_are_cumulative() {
    let catalog = [
        component("all", ", description: d, title: T", ""),
        component("no-silver", ", title: T", ""),
        component("no-gold", ", description: d", ""),
        "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: no-bronze, \
         description: d, title: T }\nspec: { type: service, lifecycle: production }\n"
            .to_string(),
    ]
    .concat();
    let card = score(LEVELS, &catalog, |_, _| Fact::Unknown(String::new()));
    let level = |n: &str| find(&card, n).level.clone();
    assert_eq!(level("all").as_deref(), Some("gold"));
    // Gold passes, but silver does not: silver's failure caps the level at bronze.
    assert_eq!(level("no-silver").as_deref(), Some("bronze"));
    assert_eq!(level("no-gold").as_deref(), Some("silver"));
    // Everything else passes, but a rank-1 rule fails: no level.
    assert_eq!(level("no-bronze"), None);
    assert_eq!(find(&card, "no-bronze").rank, 0);
    assert!((find(&card, "no-bronze").score - 0.6667).abs() < 1e-9);
}

#[test]
fn not_applicable_rules_do_not_block_levels_or_count_in_the_score() {
    let text = "\
scorecard: s
levels: [bronze, silver]
rules:
  - { id: owner, level: bronze, weight: 3, check: { path: spec.owner, op: exists } }
  - id: prod-only
    level: bronze
    applies_to: { lifecycles: [production], tags: [pci] }
    check: { path: metadata.title, op: exists }
  - { id: deny, level: silver, check: { fact: policy.deny, op: eq, value: 0 } }
";
    let card = score(text, &component("x", ", tags: [java]", ""), |_, _| {
        Fact::Unknown("it runs on no project".into())
    });
    let x = &card.entities[0];
    assert_eq!(
        status(x),
        [("owner", "pass"), ("prod-only", "n/a"), ("deny", "n/a")]
    );
    assert_eq!(
        x.rules[1].message,
        "does not apply: it has none of the tags pci"
    );
    assert_eq!(
        x.rules[2].message,
        "policy.deny is unknown: it runs on no project"
    );
    assert_eq!((x.level.as_deref(), x.score), (Some("silver"), 1.0));
    // Nothing applies at all: the score is 1.
    let text = "scorecard: s\nlevels: [a]\nrules: [{ id: r, level: a, check: { fact: oncall, op: exists } }]\n";
    let card = score(text, &component("y", "", ""), |_, _| {
        Fact::Unknown("n/a".into())
    });
    assert_eq!(
        (card.entities[0].score, card.entities[0].level.as_deref()),
        (1.0, Some("a"))
    );
}

#[test]
fn weights_make_the_score() {
    let text = "\
scorecard: s
levels: [a]
rules:
  - { id: heavy, level: a, weight: 3, check: { path: spec.owner, op: exists } }
  - { id: light, level: a, weight: 1, check: { path: spec.system, op: exists } }
  - { id: free, level: a, weight: 0, check: { path: spec.domain, op: exists } }
";
    let card = score(text, &component("x", "", ""), |_, _| Fact::Bool(true));
    assert_eq!(card.entities[0].score, 0.75);
    assert_eq!(card.entities[0].percent(), 75);
    assert_eq!(card.entities[0].rules[0].weight, 3.0);
    let text = text.replace("weight: 3", "weight: 0");
    let card = score(&text, &component("x", "", ""), |_, _| Fact::Bool(true));
    assert_eq!(card.entities[0].score, 0.0);
}

#[test]
fn scorecard_applies_to_filters_entities() {
    let catalog = [
        component("svc", ", namespace: Payments, tags: [pci]", ""),
        "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: { name: api }\n\
         spec: { type: openapi, lifecycle: production, owner: a, definition: x }\n"
            .to_string(),
        "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: web }\n\
         spec: { type: website, lifecycle: experimental, owner: a }\n"
            .to_string(),
    ]
    .concat();
    let scored = |applies: &str| {
        let text = format!(
            "scorecard: s\napplies_to: {applies}\nlevels: [a]\nrules: [{{ id: r, level: a, check: {{ path: kind, op: exists }} }}]\n"
        );
        let card = score(&text, &catalog, |_, _| Fact::Bool(true));
        card.entities
            .iter()
            .map(|e| e.entity.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(scored("{ kinds: [COMPONENT] }").len(), 2);
    assert_eq!(scored("{ kinds: [api] }"), ["api:default/api"]);
    assert_eq!(scored("{ types: [website] }"), ["component:default/web"]);
    assert_eq!(scored("{ lifecycles: [production] }").len(), 2);
    assert_eq!(scored("{ tags: [pci, gdpr] }"), ["component:Payments/svc"]);
    assert_eq!(
        scored("{ namespaces: [payments] }"),
        ["component:Payments/svc"]
    );
    assert_eq!(
        scored("{ kinds: [Component], types: [service, website] }").len(),
        2
    );
    assert!(scored("{ kinds: [Group] }").is_empty());
}

#[test]
fn facts_are_compared_with_their_values() {
    let text = "\
scorecard: s
levels: [a]
rules:
  - { id: cost, level: a, check: { fact: cost.monthly, op: lte, value: 100 } }
  - { id: fresh, level: a, check: { fact: git.last_change, op: matches, value: '^2025-' } }
  - { id: oncall, level: a, check: { fact: oncall, op: eq, value: true } }
  - { id: budget, level: a, fix: ask FinOps, check: { fact: cost.budget, op: gt, value: 0 } }
";
    let card = score(text, &component("x", "", ""), |_, name| match name {
        "cost.monthly" => Fact::Number(250.5),
        "git.last_change" => Fact::Text("2025-03-01".into()),
        "oncall" => Fact::Bool(false),
        _ => Fact::Text("lots".into()),
    });
    let x = &card.entities[0];
    assert_eq!(
        status(x),
        [
            ("cost", "fail"),
            ("fresh", "pass"),
            ("oncall", "fail"),
            ("budget", "fail")
        ]
    );
    assert_eq!(
        x.rules[0].message,
        "cost.monthly is 250.5, expected <= 100: reduce the cost of the projects it runs on \
         (see `stackgate cost`)"
    );
    assert_eq!(x.rules[1].message, "git.last_change is '2025-03-01'");
    assert_eq!(
        x.rules[2].message,
        "oncall is false, expected true: add a `pagerduty.com/service-id` or `opsgenie.com/team` \
         annotation"
    );
    // A caller handing the wrong type is a failure that says so, never a panic.
    assert_eq!(
        x.rules[3].message,
        "cost.budget is 'lots' (a string), but `gt` compares numbers: ask FinOps"
    );
    assert_eq!(x.level, None);
}

#[test]
fn path_rules_explain_what_they_found() {
    let text = "\
scorecard: s
levels: [a]
rules:
  - { id: lifecycle, level: a, check: { path: spec.lifecycle, op: eq, value: experimental } }
  - { id: no-legacy, level: a, check: { path: \"metadata.tags[?@=='legacy']\", op: absent } }
  - { id: replicas, level: a, check: { path: spec.replicas, op: gte, value: 2 } }
  - { id: https, level: a, check: { path: 'metadata.links[*].url', op: matches, value: '^https://' } }
  - { id: kind, level: a, check: { path: kind, op: in, value: [Component, API] } }
";
    let card = score(
        text,
        &component(
            "x",
            ", tags: [legacy], links: [{ url: 'https://a' }, { url: 'http://b' }]",
            ", replicas: three",
        ),
        |_, _| Fact::Bool(true),
    );
    let messages: Vec<&str> = card.entities[0]
        .rules
        .iter()
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "spec.lifecycle is 'production', expected 'experimental': change it in catalog-info.yaml",
            "metadata.tags has 1 entry 'legacy': remove it from catalog-info.yaml",
            "spec.replicas is 'three' (a string), but `gte` compares numbers: change it in \
             catalog-info.yaml",
            "metadata.links[*].url has 'http://b', expected text matching /^https:///: change it \
             in catalog-info.yaml",
            "kind is 'Component'",
        ]
    );
}

#[test]
fn without_facts_fact_rules_are_not_applicable() {
    let (cards, _) = cards(&[("s.yaml", fixture::SCORECARD)]);
    let scores = evaluate(&cards, &entities(fixture::CATALOG), &NoFacts);
    let payments = find(&scores.cards[0], "payments-api");
    assert_eq!(payments.rules[3].status, RuleStatus::NotApplicable);
    assert_eq!(
        payments.rules[3].message,
        "policy.deny is unknown: policy.deny is not computed in this run"
    );
    assert_eq!(payments.level.as_deref(), Some("gold"));
}

#[test]
fn the_acme_example_evaluates_as_intended() {
    let root = format!("{}/examples/acme-platform", env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["services", "catalog"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path().join("catalog-info.yaml");
            if path.exists() {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    let (entities, _) = crate::catalog::tests::load_texts(&refs);
    let card =
        std::fs::read_to_string(format!("{root}/scorecards/production-readiness.yaml")).unwrap();
    let (cards, findings) = cards(&[("scorecards/production-readiness.yaml", &card)]);
    assert!(findings.is_empty());
    let facts = FnFacts(|e: &Entity, name: &str| match (e.name.as_str(), name) {
        ("ledger-worker", "policy.deny") => Fact::Number(1.0),
        (_, "policy.deny") => Fact::Number(0.0),
        (_, _) => Fact::Bool(false),
    });
    let scores = evaluate(&cards, &entities, &facts);
    let got: Vec<(&str, Option<&str>)> = scores.cards[0]
        .entities
        .iter()
        .map(|e| (e.entity.as_str(), e.level.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("component:default/payments-api", Some("gold")),
            ("component:default/ledger-worker", Some("silver")),
            ("component:default/cart-api", Some("bronze")),
            ("component:default/analytics-etl", Some("bronze")),
            ("component:default/fraud-scorer", Some("bronze")),
        ]
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let catalog: String = (0..400)
        .map(|i| {
            let extra = match i % 3 {
                0 => ", description: d, title: T".to_string(),
                1 => ", title: T".to_string(),
                _ => String::new(),
            };
            component(&format!("svc-{i:03}"), &extra, "")
        })
        .collect();
    let (cards, _) = cards(&[("s.yaml", LEVELS)]);
    let entities = entities(&catalog);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| crate::report::score_json::render(&evaluate(&cards, &entities, &NoFacts)))
    };
    let one = run(1);
    assert_eq!(one, run(4));
    let scores = evaluate(&cards, &entities, &NoFacts);
    let first = &scores.cards[0].entities;
    assert_eq!(first.len(), 400);
    assert_eq!(first[0].entity, "component:default/svc-000");
    assert_eq!(first[0].level.as_deref(), Some("gold"));
    assert_eq!(
        first.last().map(|e| e.level.as_deref()),
        Some(Some("bronze"))
    );
}
