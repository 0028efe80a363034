//! What the catalog site shows, assembled from a run (`site::assemble`) and rendered by the
//! templates. Plain data: every figure is computed, every reference resolved, every list
//! sorted before rendering starts, so templates only lay things out. User text stays raw here
//! (templates escape it; markdown is rendered and sanitized by the site).

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteData {
    /// `site.title` of stackgate.yaml.
    pub title: String,
    /// Where the prices come from ("AWS list prices as of 2026-07-20 …").
    pub prices: String,
    /// When the site was built, only when asked for (`--timestamp`): output is deterministic.
    pub generated: Option<String>,
    pub entities: Vec<EntityPage>,
    pub stacks: Vec<StackPage>,
    /// Every project: stack instances and plain Terraform roots, sorted by path.
    pub projects: Vec<ProjectRow>,
    pub policies: Vec<PolicyRow>,
    pub scorecards: Vec<ScorecardPage>,
    pub costs: CostBreakdown,
    /// Latest commits first.
    pub recent_changes: Vec<Change>,
}

/// A reference to an entity, resolved when the entity exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EntityLink {
    /// `component:default/payments-api`, lowercase kind.
    pub key: String,
    /// The title when the entity has one, else the name; `namespace/name` outside `default`.
    pub label: String,
    /// The entity's page, relative to the site root (`component/default/payments-api.html`);
    /// `None` when no descriptor defines the entity.
    pub page: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    pub title: Option<String>,
    pub icon: Option<String>,
    pub link_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityPage {
    pub link: EntityLink,
    /// As written: `Component`, `API`, `Group`…
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `spec.type`.
    pub spec_type: Option<String>,
    pub lifecycle: Option<String>,
    pub tags: Vec<String>,
    /// Sorted by key.
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub links: Vec<Link>,
    pub owner: Option<EntityLink>,
    pub system: Option<EntityLink>,
    pub domain: Option<EntityLink>,
    /// Both directions (`ownedBy` on a component, `ownerOf` on its group), sorted by
    /// relation type then target.
    pub relations: Vec<Relation>,
    /// README and `docs/*.md` next to the descriptor: raw markdown, README first.
    pub docs: Vec<Doc>,
    pub scores: Vec<EntityScore>,
    /// What it runs on: the projects linked to it (an instance's `metadata.component` or
    /// owner, an annotation, CODEOWNERS).
    pub projects: Vec<ProjectRow>,
    /// The sum over `projects`; `None` when it has none or none could be priced.
    pub monthly_cost: Option<f64>,
    /// The descriptor, relative to the repository root, and the line its document starts.
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    /// Backstage's relation type: `ownedBy`, `ownerOf`, `partOf`, `hasPart`, `dependsOn`…
    pub relation: String,
    pub target: EntityLink,
}

#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Relative to the repository root (`services/payments/docs/runbook.md`).
    pub path: String,
    /// The first `# heading`, else the file name.
    pub title: String,
    pub markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityScore {
    pub scorecard: String,
    /// The highest level held; `None` below the first.
    pub level: Option<String>,
    /// Passed weight over applicable weight, 0 to 1.
    pub score: f64,
    pub rules: Vec<RuleResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub id: String,
    /// The scorecard level the rule belongs to.
    pub level: String,
    /// `pass`, `fail` or `n/a`.
    pub status: String,
    /// What was found, and on failure how to fix it.
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub name: String,
    /// The instance file or the Terraform folder, relative to the repository root.
    pub path: String,
    /// `stack-instance`, `terraform` or `terraform-plan`.
    pub kind: String,
    pub stack: Option<String>,
    pub environment: Option<String>,
    /// Regions its resources run in, sorted.
    pub regions: Vec<String>,
    pub owner: Option<EntityLink>,
    pub component: Option<EntityLink>,
    pub resources: usize,
    /// `None` when nothing could be priced.
    pub monthly_cost: Option<f64>,
    /// Open findings at each level (after waivers).
    pub deny: usize,
    pub warn: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct StackPage {
    pub canonical: String,
    pub name: String,
    pub description: Option<String>,
    /// The stack's folder, relative to the repository root.
    pub dir: String,
    pub author: Option<String>,
    pub keywords: Vec<String>,
    pub technologies: Vec<String>,
    pub use_cases: Vec<UseCasePage>,
    /// Paths of the instances of this stack.
    pub instances: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UseCasePage {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub cloud_provider: Option<String>,
    /// What the stack costs a month with every field at its default; `None` when it could
    /// not be priced.
    pub monthly_cost_at_defaults: Option<f64>,
    /// Why the figure is partial or missing (an unknown value, a price not found).
    pub cost_note: Option<String>,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    pub section: String,
    pub group: String,
    pub name: String,
    /// The key an instance sets (`module.db.instance_class`).
    pub key: String,
    pub field_type: Option<String>,
    pub widget: Option<String>,
    pub description: Option<String>,
    /// As JSON text (`"t3.medium"`, `2`, `["a","b"]`).
    pub default: Option<String>,
    /// Allowed values, as JSON text each.
    pub values: Vec<String>,
    pub required: bool,
    pub unit: Option<String>,
    /// Readable constraints: "matches ^[a-z]+$ (lowercase letters only)", "between 1 and 10".
    pub constraints: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyRow {
    pub id: String,
    pub kind: String,
    /// `deny`, `warn` or `info`.
    pub level: String,
    pub description: Option<String>,
    /// The policy file, relative to the repository root.
    pub file: String,
    pub violations: Vec<Violation>,
    /// Findings a waiver suppressed.
    pub waived: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    pub file: String,
    pub line: usize,
    pub message: String,
    pub resource: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScorecardPage {
    pub id: String,
    /// Level names, lowest rank first.
    pub levels: Vec<String>,
    /// Best first (level rank, then score, then entity).
    pub leaderboard: Vec<LeaderboardRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeaderboardRow {
    pub entity: EntityLink,
    pub owner: Option<EntityLink>,
    pub level: Option<String>,
    pub score: f64,
    pub passed: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CostBreakdown {
    pub total: f64,
    /// Largest first; projects without an owner under "unowned".
    pub by_team: Vec<CostSlice>,
    pub by_system: Vec<CostSlice>,
    pub by_environment: Vec<CostSlice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostSlice {
    pub label: String,
    /// The team's or system's page, when there is one.
    pub page: Option<String>,
    pub monthly_cost: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `2026-11-20`
    pub date: String,
    /// Seven hex digits.
    pub commit: String,
    /// The commit's first line.
    pub summary: String,
    pub author: String,
    /// Entities and projects whose files the commit changed.
    pub entities: Vec<EntityLink>,
    pub projects: Vec<String>,
}
