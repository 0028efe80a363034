//! A small catalog the site tests render: two teams, a user, a system, three components,
//! an API, a resource, a stack with one use case, four projects, two policies with
//! violations and a scorecard.

use super::data::*;

pub fn link(kind: &str, name: &str, label: &str) -> EntityLink {
    EntityLink {
        key: format!("{kind}:default/{name}"),
        label: label.to_string(),
        page: Some(format!("{kind}/default/{name}.html")),
    }
}

fn rel(relation: &str, target: EntityLink) -> Relation {
    Relation {
        relation: relation.to_string(),
        target,
    }
}

fn s(v: &str) -> String {
    v.to_string()
}

/// A bare entity of `kind` (lowercase) named `name`.
pub fn entity(kind: &str, written: &str, name: &str) -> EntityPage {
    EntityPage {
        link: link(kind, name, name),
        kind: s(written),
        namespace: s("default"),
        name: s(name),
        title: None,
        description: None,
        spec_type: None,
        lifecycle: None,
        tags: vec![],
        labels: vec![],
        annotations: vec![],
        links: vec![],
        owner: None,
        system: None,
        domain: None,
        relations: vec![],
        docs: vec![],
        scores: vec![],
        projects: vec![],
        monthly_cost: None,
        file: format!("catalog/{name}.yaml"),
        line: 1,
    }
}

fn project(
    path: &str,
    env: Option<&str>,
    cost: Option<f64>,
    deny: usize,
    warn: usize,
) -> ProjectRow {
    let stack_instance = path.ends_with(".stack.yaml");
    ProjectRow {
        name: path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".stack.yaml")
            .to_string(),
        path: s(path),
        kind: s(if stack_instance {
            "stack-instance"
        } else {
            "terraform"
        }),
        stack: stack_instance.then(|| s("aws-rds")),
        environment: env.map(s),
        regions: vec![s("eu-west-1")],
        owner: Some(link("group", "payments", "Payments")),
        component: stack_instance.then(|| link("component", "payments-api", "Payments API")),
        resources: 3,
        monthly_cost: cost,
        deny,
        warn,
    }
}

pub fn site() -> SiteData {
    let payments = link("group", "payments", "Payments");
    let platform = link("group", "platform", "Platform");
    let api = link("component", "payments-api", "Payments API");
    let web = link("component", "checkout-web", "checkout-web");
    let worker = link("component", "ledger-worker", "ledger-worker");
    let system = link("system", "payments", "payments");
    let http = link("api", "payments-http", "payments-http");
    let db = link("resource", "payments-db", "payments-db");
    let user = link("user", "jdoe", "Jane Doe");

    let prod = project(
        "deploy/prod/payments-db.stack.yaml",
        Some("prod"),
        Some(1234.5),
        1,
        0,
    );
    let staging = project(
        "deploy/staging/payments-db.stack.yaml",
        Some("staging"),
        Some(210.25),
        0,
        2,
    );
    let network = project("infra/network", None, Some(32.85), 0, 0);
    let mut legacy = project("infra/legacy", Some("prod"), None, 0, 1);
    legacy.owner = None;
    legacy.regions = vec![];

    let mut team_payments = entity("group", "Group", "payments");
    team_payments.link = payments.clone();
    team_payments.title = Some(s("Payments"));
    team_payments.description = Some(s("Owns card payments and the ledger."));
    team_payments.spec_type = Some(s("team"));
    team_payments.relations = vec![
        rel("hasMember", user.clone()),
        rel("ownerOf", web.clone()),
        rel("ownerOf", api.clone()),
        rel("ownerOf", system.clone()),
    ];
    team_payments.projects = vec![prod.clone(), staging.clone(), network.clone()];
    team_payments.monthly_cost = Some(1477.6);

    let mut team_platform = entity("group", "Group", "platform");
    team_platform.link = platform.clone();
    team_platform.title = Some(s("Platform"));
    team_platform.spec_type = Some(s("team"));
    team_platform.relations = vec![rel("ownerOf", worker.clone()), rel("ownerOf", db.clone())];

    let mut jdoe = entity("user", "User", "jdoe");
    jdoe.link = user.clone();
    jdoe.title = Some(s("Jane Doe"));
    jdoe.relations = vec![rel("memberOf", payments.clone())];

    let mut sys = entity("system", "System", "payments");
    sys.description = Some(s("Everything that moves money."));
    sys.owner = Some(payments.clone());
    sys.relations = vec![
        rel("hasPart", api.clone()),
        rel("ownedBy", payments.clone()),
    ];

    let mut payments_api = entity("component", "Component", "payments-api");
    payments_api.link = api.clone();
    payments_api.title = Some(s("Payments API"));
    payments_api.description = Some(s("Takes card payments for checkout & refunds them."));
    payments_api.spec_type = Some(s("service"));
    payments_api.lifecycle = Some(s("production"));
    payments_api.tags = vec![s("java"), s("payments")];
    payments_api.labels = vec![(s("tier"), s("1"))];
    payments_api.annotations = vec![
        (s("backstage.io/techdocs-ref"), s("dir:.")),
        (s("pagerduty.com/service-id"), s("P123ABC")),
    ];
    payments_api.links = vec![
        Link {
            url: s("https://grafana.example.com/d/payments"),
            title: Some(s("Dashboard")),
            icon: Some(s("dashboard")),
            link_type: Some(s("dashboard")),
        },
        Link {
            url: s("mailto:payments@example.com"),
            title: None,
            icon: None,
            link_type: None,
        },
    ];
    payments_api.owner = Some(payments.clone());
    payments_api.system = Some(system.clone());
    payments_api.relations = vec![
        rel("dependsOn", db.clone()),
        rel(
            "dependsOn",
            EntityLink {
                key: s("component:default/fraud-check"),
                label: s("fraud-check"),
                page: None,
            },
        ),
        rel("ownedBy", payments.clone()),
        rel("partOf", system.clone()),
        rel("providesApi", http.clone()),
    ];
    payments_api.docs = vec![
        Doc {
            path: s("services/payments/README.md"),
            title: s("Payments API"),
            markdown: s(
                "# Payments API\n\nTakes **card payments**. See the [runbook](docs/runbook.md).\n\n## Local run\n\n```sh\nmake run\n```\n",
            ),
        },
        Doc {
            path: s("services/payments/docs/runbook.md"),
            title: s("Runbook"),
            markdown: s(
                "# Runbook\n\n1. Check the [dashboard](https://grafana.example.com/d/payments).\n2. Page the team.\n",
            ),
        },
    ];
    payments_api.scores = vec![EntityScore {
        scorecard: s("production-readiness"),
        level: Some(s("silver")),
        score: 0.75,
        rules: vec![
            RuleResult {
                id: s("has-owner"),
                level: s("bronze"),
                status: s("pass"),
                message: s("owned by group:default/payments"),
            },
            RuleResult {
                id: s("on-call"),
                level: s("silver"),
                status: s("pass"),
                message: s("pagerduty.com/service-id is set"),
            },
            RuleResult {
                id: s("policy-clean"),
                level: s("gold"),
                status: s("fail"),
                message: s("1 deny finding is open; fix it or add a waiver"),
            },
            RuleResult {
                id: s("within-budget"),
                level: s("gold"),
                status: s("n/a"),
                message: s("no budget is set"),
            },
        ],
    }];
    payments_api.projects = vec![prod.clone(), staging.clone()];
    payments_api.monthly_cost = Some(1444.75);
    payments_api.file = s("services/payments/catalog-info.yaml");
    payments_api.line = 1;

    let mut checkout = entity("component", "Component", "checkout-web");
    checkout.spec_type = Some(s("website"));
    checkout.lifecycle = Some(s("production"));
    checkout.owner = Some(payments.clone());
    checkout.relations = vec![rel("ownedBy", payments.clone())];

    let mut ledger = entity("component", "Component", "ledger-worker");
    ledger.spec_type = Some(s("service"));
    ledger.lifecycle = Some(s("experimental"));
    ledger.owner = Some(platform.clone());
    ledger.relations = vec![rel("ownedBy", platform.clone())];

    let mut payments_http = entity("api", "API", "payments-http");
    payments_http.spec_type = Some(s("openapi"));
    payments_http.lifecycle = Some(s("production"));
    payments_http.owner = Some(payments.clone());
    payments_http.relations = vec![rel("apiProvidedBy", api.clone())];

    let mut payments_db = entity("resource", "Resource", "payments-db");
    payments_db.spec_type = Some(s("database"));
    payments_db.owner = Some(platform.clone());
    payments_db.relations = vec![rel("dependencyOf", api.clone())];

    let stack = StackPage {
        canonical: s("aws-rds"),
        name: s("AWS RDS database"),
        description: Some(s("A managed PostgreSQL database with backups.")),
        dir: s("stacks/aws-rds"),
        author: Some(s("platform")),
        keywords: vec![s("database"), s("postgres")],
        technologies: vec![s("terraform"), s("aws")],
        use_cases: vec![UseCasePage {
            name: s("default"),
            title: Some(s("Default")),
            description: Some(s("A single-AZ database.")),
            cloud_provider: Some(s("aws")),
            monthly_cost_at_defaults: Some(105.12),
            cost_note: None,
            fields: vec![
                FormField {
                    section: s("Database"),
                    group: s("Size"),
                    name: s("Instance class"),
                    key: s("module.db.instance_class"),
                    field_type: Some(s("string")),
                    widget: Some(s("dropdown")),
                    description: Some(s("The RDS instance class.")),
                    default: Some(s("\"db.t3.medium\"")),
                    values: vec![s("\"db.t3.medium\""), s("\"db.m6g.large\"")],
                    required: true,
                    unit: None,
                    constraints: vec![],
                },
                FormField {
                    section: s("Database"),
                    group: s("Size"),
                    name: s("Storage"),
                    key: s("module.db.allocated_storage"),
                    field_type: Some(s("integer")),
                    widget: Some(s("slider_range")),
                    description: None,
                    default: Some(s("20")),
                    values: vec![],
                    required: false,
                    unit: Some(s("GiB")),
                    constraints: vec![s("between 20 and 1000")],
                },
            ],
        }],
        instances: vec![
            s("deploy/prod/payments-db.stack.yaml"),
            s("deploy/staging/payments-db.stack.yaml"),
        ],
    };

    SiteData {
        title: s("Acme platform"),
        prices: s("AWS list prices as of 2026-07-20"),
        generated: None,
        entities: vec![
            payments_http,
            checkout,
            ledger,
            payments_api,
            team_payments,
            team_platform,
            payments_db,
            sys,
            jdoe,
        ],
        stacks: vec![stack],
        projects: vec![prod, staging, legacy, network],
        policies: vec![
            PolicyRow {
                id: s("allowed-regions"),
                kind: s("region"),
                level: s("deny"),
                description: Some(s("Resources run in the EU only.")),
                file: s("policies/regions.yaml"),
                violations: vec![Violation {
                    file: s("deploy/prod/payments-db.stack.yaml"),
                    line: 7,
                    message: s(
                        "region us-east-1 is not allowed (allowed: eu-west-1, eu-central-1)",
                    ),
                    resource: Some(s("aws_db_instance.this")),
                }],
                waived: 1,
            },
            PolicyRow {
                id: s("required-tags"),
                kind: s("tags"),
                level: s("warn"),
                description: None,
                file: s("policies/tags.yaml"),
                violations: vec![
                    Violation {
                        file: s("deploy/staging/payments-db.stack.yaml"),
                        line: 3,
                        message: s("missing tag cost-center"),
                        resource: None,
                    },
                    Violation {
                        file: s("infra/legacy/main.tf"),
                        line: 12,
                        message: s("missing tag owner"),
                        resource: Some(s("aws_instance.old")),
                    },
                ],
                waived: 0,
            },
        ],
        scorecards: vec![ScorecardPage {
            id: s("production-readiness"),
            levels: vec![s("bronze"), s("silver"), s("gold")],
            leaderboard: vec![
                LeaderboardRow {
                    entity: api.clone(),
                    owner: Some(payments.clone()),
                    level: Some(s("silver")),
                    score: 0.75,
                    passed: 2,
                    failed: 1,
                },
                LeaderboardRow {
                    entity: worker.clone(),
                    owner: Some(platform.clone()),
                    level: None,
                    score: 0.25,
                    passed: 1,
                    failed: 3,
                },
            ],
        }],
        costs: CostBreakdown {
            total: 1477.6,
            by_team: vec![
                CostSlice {
                    label: s("Payments"),
                    page: payments.page.clone(),
                    monthly_cost: 1477.6,
                },
                CostSlice {
                    label: s("unowned"),
                    page: None,
                    monthly_cost: 0.0,
                },
            ],
            by_system: vec![CostSlice {
                label: s("payments"),
                page: system.page.clone(),
                monthly_cost: 1444.75,
            }],
            by_environment: vec![
                CostSlice {
                    label: s("prod"),
                    page: None,
                    monthly_cost: 1234.5,
                },
                CostSlice {
                    label: s("staging"),
                    page: None,
                    monthly_cost: 210.25,
                },
                CostSlice {
                    label: s("none"),
                    page: None,
                    monthly_cost: 32.85,
                },
            ],
        },
        recent_changes: vec![
            Change {
                date: s("2026-11-20"),
                commit: s("a1b2c3d"),
                summary: s("payments-db: bigger instance in prod"),
                author: s("Jane Doe"),
                entities: vec![api.clone()],
                projects: vec![s("deploy/prod/payments-db.stack.yaml")],
            },
            Change {
                date: s("2026-11-18"),
                commit: s("0f9e8d7"),
                summary: s("Add the checkout website"),
                author: s("Sam Roe"),
                entities: vec![web.clone()],
                projects: vec![],
            },
        ],
    }
}

/// A component of a synthetic catalog, with typical text sizes.
pub fn synthetic(i: usize) -> EntityPage {
    let name = format!("service-{i:05}");
    EntityPage {
        link: EntityLink {
            key: format!("component:default/{name}"),
            label: format!("Service {i}"),
            page: Some(format!("component/default/{name}.html")),
        },
        kind: "Component".into(),
        namespace: "default".into(),
        name: name.clone(),
        title: Some(format!("Service {i}")),
        description: Some(format!(
            "Service number {i} of the synthetic catalog: it handles requests for \
             the checkout flow, talks to two databases and publishes events on the bus."
        )),
        spec_type: Some("service".into()),
        lifecycle: Some("production".into()),
        tags: vec!["java".into(), "payments".into(), format!("tier-{}", i % 3)],
        labels: vec![("tier".into(), "1".into())],
        annotations: vec![],
        links: vec![],
        owner: Some(EntityLink {
            key: format!("group:default/team-{}", i % 50),
            label: format!("team-{}", i % 50),
            page: Some(format!("group/default/team-{}.html", i % 50)),
        }),
        system: None,
        domain: None,
        relations: vec![],
        docs: vec![],
        scores: vec![],
        projects: vec![],
        monthly_cost: None,
        file: format!("services/{name}/catalog-info.yaml"),
        line: 1,
    }
}
