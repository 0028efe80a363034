//! The Backstage catalog: the teams as groups (with one user each), a system per team, and
//! the components stack instances serve, some providing an API that the next one consumes.

use crate::{Out, Rng, TEAMS};
use std::io;

const WORDS: &[&str] = &[
    "orders", "ledger", "invoices", "search", "profile", "notify", "pricing", "catalog", "reviews",
    "returns", "shipping", "tax", "media", "sessions", "reports", "exports",
];

/// The name of component `j` (its team is `TEAMS[j % TEAMS.len()]`).
pub fn component_name(j: usize) -> String {
    format!("{}-{j:04}", WORDS[(j / TEAMS.len()) % WORDS.len()])
}

/// Writes the catalog; returns how many entities it holds.
pub fn write(out: &mut Out, rng: &mut Rng, components: usize) -> io::Result<usize> {
    let mut entities = 0;

    let children: Vec<String> = TEAMS.iter().map(|(t, _, _)| format!("team-{t}")).collect();
    let mut org = format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: engineering\nspec:\n  type: department\n  \
children: [{}]\n",
        children.join(", ")
    );
    entities += 1;
    for (team, _, _) in TEAMS {
        org.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-{team}\n  title: {}\nspec:\n  \
type: team\n  profile:\n    email: {team}@acme.example\n  parent: engineering\n  children: []\n",
            title(team)
        ));
        org.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: lead.{team}\nspec:\n  \
profile:\n    displayName: {} lead\n  memberOf: [team-{team}]\n",
            title(team)
        ));
        entities += 2;
    }
    out.write("catalog/org/catalog-info.yaml", &org)?;

    let mut systems = String::new();
    for (i, (team, _, system)) in TEAMS.iter().enumerate() {
        if i > 0 {
            systems.push_str("---\n");
        }
        systems.push_str(&format!(
            "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: {system}\nspec:\n  owner: group:team-{team}\n"
        ));
        entities += 1;
    }
    out.write("catalog/systems/catalog-info.yaml", &systems)?;

    for j in 0..components {
        let (team, _, system) = TEAMS[j % TEAMS.len()];
        let name = component_name(j);
        let mut text = format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  description: The {} service of \
team {team}.\n",
            WORDS[(j / TEAMS.len()) % WORDS.len()]
        );
        // Scorecards need variety: some services are fully operable, some are not.
        if rng.chance(60) {
            text.push_str(&format!(
                "  annotations:\n    backstage.io/techdocs-ref: dir:.\n    pagerduty.com/service-id: P{:06}\n",
                rng.below(1_000_000)
            ));
        }
        if rng.chance(70) {
            text.push_str(&format!(
                "  links:\n    - url: https://runbooks.acme.example/{name}\n      title: Runbook\n      icon: docs\n"
            ));
        }
        let provides = j % 4 == 0;
        text.push_str(&format!(
            "spec:\n  type: service\n  lifecycle: {}\n  owner: group:team-{team}\n  system: {system}\n",
            if rng.chance(80) { "production" } else { "experimental" }
        ));
        if provides {
            text.push_str(&format!("  providesApis: [{name}-api]\n"));
        } else if j % 4 == 1 {
            text.push_str(&format!(
                "  consumesApis: [{}-api]\n",
                component_name(j - 1)
            ));
        }
        entities += 1;
        if provides {
            text.push_str(&format!(
                "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: {name}-api\nspec:\n  type: openapi\n  \
lifecycle: production\n  owner: group:team-{team}\n  system: {system}\n  definition: |\n    openapi: 3.0.3\n    \
info: {{ title: {name}, version: 1.0.0 }}\n    paths:\n      /v1/{name}:\n        get:\n          responses:\n            \
\"200\": {{ description: OK }}\n"
            ));
            entities += 1;
        }
        out.write(&format!("services/{name}/catalog-info.yaml"), &text)?;
    }
    Ok(entities)
}

fn title(team: &str) -> String {
    let mut c = team.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
