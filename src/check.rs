//! One run over a repository snapshot: settings, discovery, every parser and validator, and
//! the report. Stages run in parallel where they are independent; the result is sorted, so
//! it is the same whatever the thread count.

use crate::affected::{self, Changes};
use crate::catalog::codeowners::{self, CodeOwners};
use crate::catalog::{self, Entity};
use crate::config::{self, Settings};
use crate::cost::{self, estimate::CostReport, inputs::CostInputs};
use crate::discover::{self, ConfigLines, Inventory};
use crate::finding::{self, Finding, Level};
use crate::policy::{self, PolicySet};
use crate::pricing::PriceBook;
use crate::project::{Project, ProjectKind};
use crate::report::{Report, Summary, Tool};
use crate::score::{self, Scorecard};
use crate::snapshot::{Snapshot, WorkTree};
use crate::source::{self, Texts};
use crate::stacks::{self, Stack};
use crate::terraform::{self, TerraformScan};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

/// A file's text, or the finding that says why it has none.
type Decoded = Result<std::sync::Arc<str>, Box<Finding>>;

/// Everything a run learned; the report is what gets rendered, the rest feeds later stages
/// (site, PR comments).
pub struct Run {
    /// How long each stage took, in order (`--timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub settings: Settings,
    pub inventory: Inventory,
    pub stacks: Vec<Stack>,
    pub entities: Vec<Entity>,
    pub terraform: TerraformScan,
    pub policies: PolicySet,
    pub texts: Texts,
    pub report: Report,
    /// The cost estimate, when the run made one (cost policies, `stackgate cost`).
    pub cost: Option<CostReport>,
    /// The usage file pricing read, if any.
    pub cost_usage_file: Option<String>,
    /// The repository's CODEOWNERS, when it has one.
    pub codeowners: Option<CodeOwners>,
    /// The scorecards that loaded without errors.
    pub scorecards: Vec<Scorecard>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Run {
    /// 0: nothing at or above the fail level; 1: something is; 2: the configuration is broken.
    pub fn exit_code(&self) -> i32 {
        if self
            .report
            .findings
            .iter()
            .any(|f| f.code == "config-invalid" && f.level == Level::Deny)
        {
            2
        } else if self.report.failing() > 0 {
            1
        } else {
            0
        }
    }
}

/// Checks the working tree under `root`.
pub fn check_dir(root: &Path) -> Result<Run, RunError> {
    Ok(check(&open_dir(root)?))
}

/// The working tree under `root`, with the folders beside it that stackgate.yaml's stack
/// patterns reach.
pub fn open_dir(root: &Path) -> Result<WorkTree, RunError> {
    let config_path = root.join(config::FILE);
    let config_text = match std::fs::read(&config_path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(RunError::Io {
                path: config_path.display().to_string(),
                source,
            });
        }
    };
    let pre = outside_dirs(config_text.as_deref());
    WorkTree::open(root, &pre).map_err(|source| RunError::Io {
        path: root.display().to_string(),
        source,
    })
}

/// Folders beside the root that the stack patterns of a stackgate.yaml reach.
pub fn outside_dirs(config_text: Option<&[u8]>) -> Vec<String> {
    config_text
        .and_then(|b| source::decode(config::FILE, b).ok())
        .map(|t| Settings::load(Some(&t)).0)
        .unwrap_or_default()
        .outside_dirs()
}

/// Checks any snapshot (the working tree, or a git tree at a revision). Projects are priced
/// when a cost policy needs it.
pub fn check(snapshot: &dyn Snapshot) -> Run {
    let e = evaluate(snapshot, None);
    if e.policies
        .policies
        .iter()
        .any(|p| p.kind == policy::Kind::Cost)
    {
        // The cache `pricing sync` fills, else the built-in snapshot.
        let (book, _) = crate::pricing::cache::price_book(None);
        let cost = e.price(&book);
        judge(e, Some(cost), None)
    } else {
        judge(e, None, None)
    }
}

/// A snapshot read, parsed and evaluated: everything but the verdicts.
pub struct Evaluated {
    clock: Clock,
    findings: Vec<Finding>,
    texts: Texts,
    settings: Settings,
    inventory: Inventory,
    stacks: Vec<Stack>,
    entities: Vec<Entity>,
    tf: TerraformScan,
    pub policies: PolicySet,
    pub projects: Vec<Project>,
    files: usize,
    pub cost_inputs: CostInputs,
    /// Projects a scoped evaluation left out (paths, sorted): the change does not touch them.
    pub unchanged: Vec<String>,
    codeowners: Option<CodeOwners>,
    scorecards: Vec<Scorecard>,
}

impl Evaluated {
    /// The policy files the evaluation found.
    pub fn policy_files(&self) -> &[String] {
        &self.inventory.policies
    }

    /// Prices the projects with a price book and the repository's usage and overrides.
    pub fn price(&self, book: &PriceBook) -> CostReport {
        let mut report = cost::estimate::estimate(
            &self.projects,
            &cost::estimate::Pricing {
                book,
                overrides: &self.cost_inputs.overrides,
                usage: &self.cost_inputs.usage,
            },
        );
        report
            .findings
            .extend(self.cost_inputs.findings.iter().cloned());
        finding::normalize(&mut report.findings);
        report
    }
}

impl Evaluated {
    /// Every stack use case at its form's defaults, evaluated and priced like an instance.
    pub fn price_stack_defaults(&self, snapshot: &dyn Snapshot, book: &PriceBook) -> CostReport {
        let mut projects = stacks::default_projects(&self.stacks);
        let configs = terraform::configs(&self.tf);
        // Their findings would repeat, at the stack's Terraform, what instances already say.
        let _ = terraform::evaluate_projects(
            &mut projects,
            &configs,
            &self.inventory,
            &self.texts,
            snapshot,
            &BTreeSet::new(),
            &self.settings.var_files,
        );
        cost::estimate::estimate(
            &projects,
            &cost::estimate::Pricing {
                book,
                overrides: &self.cost_inputs.overrides,
                usage: &self.cost_inputs.usage,
            },
        )
    }
}

/// Reads, parses and evaluates a snapshot. `usage_text` replaces the repository's usage file.
pub fn evaluate(snapshot: &dyn Snapshot, usage_text: Option<(String, String)>) -> Evaluated {
    evaluate_scoped(snapshot, usage_text, None)
}

/// Which projects a scoped evaluation evaluates: those whose files a change touches, and
/// those named in `force`. The others are listed in `Evaluated::unchanged`.
pub struct Scope<'a> {
    pub changes: &'a Changes,
    pub force: &'a BTreeSet<String>,
}

/// [`evaluate`], limited to a scope. A change to `stackgate.yaml` touches every project.
pub fn evaluate_scoped(
    snapshot: &dyn Snapshot,
    usage_text: Option<(String, String)>,
    scope: Option<Scope>,
) -> Evaluated {
    let mut clock = Clock::start();
    let mut findings: Vec<Finding> = Vec::new();
    let mut texts = Texts::new();

    // Settings.
    let has_config = snapshot.files().iter().any(|f| f == config::FILE);
    let config_text = if has_config {
        match read_text(snapshot, config::FILE) {
            Ok(t) => Some(t),
            Err(f) => {
                let mut f = *f;
                f.code = "config-invalid";
                findings.push(f);
                None
            }
        }
    } else {
        None
    };
    let (settings, config_findings, config_doc) = Settings::load_with_doc(config_text.as_deref());
    findings.extend(config_findings);
    if let Some(t) = &config_text {
        texts.insert(config::FILE.to_string(), t.clone());
    }
    let lines = ConfigLines {
        present: has_config,
        doc: config_doc,
    };

    // Discovery.
    let (mut inventory, discover_findings) =
        discover::discover(&settings, snapshot.files(), &lines);
    findings.extend(discover_findings);
    let scope = scope.filter(|s| !s.changes.file(config::FILE));
    let mut unchanged = Vec::new();
    if let Some(s) = &scope {
        // Until instances are parsed their stack is not known: when no stack or Terraform
        // folder changed, only the instance files that changed are worth reading.
        let folders_changed = inventory
            .stacks
            .iter()
            .map(|st| &st.dir)
            .chain(inventory.terraform_dirs.keys())
            .chain(inventory.stack_terraform_dirs.keys())
            .any(|d| s.changes.under(d));
        if !folders_changed {
            let (keep, skip): (Vec<String>, Vec<String>) = std::mem::take(&mut inventory.instances)
                .into_iter()
                .partition(|f| s.changes.file(f) || s.force.contains(f));
            inventory.instances = keep;
            unchanged = skip;
        }
    }

    // Read every file that matters, in parallel, once.
    let read: Vec<(String, Decoded)> = inventory
        .files()
        .into_par_iter()
        .filter(|f| f != config::FILE)
        .map(|f| {
            let r = read_text(snapshot, &f);
            (f, r)
        })
        .collect();
    for (path, r) in read {
        match r {
            Ok(t) => {
                texts.insert(path, t);
            }
            Err(f) => findings.push(*f),
        }
    }
    // CODEOWNERS, where GitHub looks for it: who owns what nobody else claims.
    let codeowners = codeowners::LOCATIONS
        .iter()
        .find(|l| {
            snapshot
                .files()
                .binary_search_by(|f| f.as_str().cmp(l))
                .is_ok()
        })
        .and_then(|l| match read_text(snapshot, l) {
            Ok(text) => {
                let (c, f) = CodeOwners::parse(l, &text);
                findings.extend(f);
                texts.insert(l.to_string(), text);
                Some(c)
            }
            Err(f) => {
                findings.push(*f);
                None
            }
        });
    clock.lap("discover and read");

    // The catalog is independent of the rest; stacks read their Terraform's declarations.
    let ((tf, tf_findings, stacks, stack_findings), (entities, catalog_findings)) = rayon::join(
        || {
            let (tf, tf_findings) = terraform::scan(&inventory, &texts);
            let (stacks, stack_findings) = stacks::load_stacks(&inventory.stacks, &texts, &tf);
            (tf, tf_findings, stacks, stack_findings)
        },
        || catalog::load(&inventory.catalog, &texts),
    );
    findings.extend(tf_findings);
    findings.extend(stack_findings);
    findings.extend(catalog_findings);
    let (mut projects, instance_findings) =
        stacks::load_instances(&inventory.instances, &stacks, &texts);
    findings.extend(instance_findings);

    // Policies are loaded now (their files' mistakes are findings); they run once every
    // project is evaluated. Scorecards too: they score the catalog once facts are known.
    let (policies, policy_findings) = policy::load(&inventory.policies, &texts);
    findings.extend(policy_findings);
    let (scorecards, score_findings) = score::load(&inventory.scorecards, &texts);
    findings.extend(score_findings);

    for root in &tf.roots {
        let mut p = Project::new(
            if root.is_empty() { "." } else { root.as_str() },
            root.clone(),
            ProjectKind::Terraform,
        );
        p.terraform_dir = Some(root.clone());
        projects.push(p);
    }
    // Plans placed in the repository give their resources directly.
    let plans: Vec<(Project, Option<Finding>)> = inventory
        .plans
        .par_iter()
        .filter_map(|f| {
            let text = texts.get(f)?;
            let mut p = Project::new(f.as_str(), f.clone(), ProjectKind::TerraformPlan);
            match terraform::plan::read_plan(f, text) {
                Ok(resources) => {
                    p.resources = resources;
                    Some((p, None))
                }
                Err(finding) => Some((p, Some(*finding))),
            }
        })
        .collect();
    for (p, f) in plans {
        findings.extend(f);
        projects.push(p);
    }
    projects.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    if let Some(s) = &scope {
        let (keep, skip): (Vec<Project>, Vec<Project>) = projects.into_iter().partition(|p| {
            s.force.contains(&p.path)
                || affected::touches(
                    s.changes,
                    &affected::reads(p, &tf, &stacks, &settings.var_files),
                )
        });
        projects = keep;
        unchanged.extend(skip.into_iter().map(|p| p.path));
        unchanged.sort();
    }

    clock.lap("parse and validate");
    // Terraform evaluation of every project, in parallel.
    let configs = terraform::configs(&tf);
    let invalid: std::collections::BTreeSet<String> = findings
        .iter()
        .filter(|f| f.level == Level::Deny && inventory.instances.binary_search(&f.file).is_ok())
        .map(|f| f.file.clone())
        .collect();
    findings.extend(terraform::evaluate_projects(
        &mut projects,
        &configs,
        &inventory,
        &texts,
        snapshot,
        &invalid,
        &settings.var_files,
    ));
    // Variable files named in stackgate.yaml must exist.
    for (dir, files) in &settings.var_files {
        for f in files {
            let path = crate::snapshot::join(dir, f);
            if !texts.contains_key(&path) {
                let line = lines
                    .doc
                    .as_ref()
                    .map_or(1, |d| d.line(&["var_files".into(), dir.as_str().into()]));
                findings.push(Finding::new(
                    "config-pattern",
                    config::FILE,
                    line,
                    format!("variable file `{path}` named under `var_files` does not exist"),
                ));
            }
        }
    }
    clock.lap("evaluate Terraform");
    let cost_inputs = cost::inputs::load(snapshot, &settings, usage_text);
    Evaluated {
        clock,
        findings,
        texts,
        settings,
        inventory,
        stacks,
        entities,
        tf,
        policies,
        projects,
        files: snapshot.files().len(),
        cost_inputs,
        unchanged,
        codeowners,
        scorecards,
    }
}

/// The verdicts: policies (budgets against `cost`, increases against `base`), then the report.
pub fn judge(e: Evaluated, cost: Option<CostReport>, base: Option<&CostReport>) -> Run {
    let Evaluated {
        mut clock,
        mut findings,
        texts,
        settings,
        inventory,
        stacks,
        entities,
        tf,
        policies,
        projects,
        files,
        cost_inputs,
        unchanged: _,
        codeowners,
        scorecards,
    } = e;
    // A broken usage or overrides file is a finding of every run; what the estimate could not
    // price is reported by `stackgate cost` (a budget finding says when its figure is partial).
    findings.extend(cost_inputs.findings);
    if cost.is_some() {
        clock.lap("cost");
    }
    let facts = cost
        .as_ref()
        .map(|head| policy::cost_check::CostFacts { head, base });
    let outcome = policy::evaluate(
        &policies,
        &projects,
        &stacks,
        &texts,
        policy::today(),
        facts,
    );
    clock.lap("policies");
    findings.extend(outcome.findings);
    let mut suppressed = outcome.suppressed;
    finding::normalize(&mut findings);
    finding::normalize(&mut suppressed);

    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let summary = Summary {
        files,
        stacks: stacks.len(),
        stack_instances: projects
            .iter()
            .filter(|p| p.kind == ProjectKind::StackInstance)
            .count(),
        terraform_roots: tf.roots.len(),
        catalog_entities: entities.len(),
        deny: count(Level::Deny),
        warn: count(Level::Warn),
        info: count(Level::Info),
        suppressed: suppressed.len(),
        policies: policies.policies.len(),
        fail_on: settings.fail_on,
        passed: !findings.iter().any(|f| f.level >= settings.fail_on),
    };
    let report = Report {
        version: crate::report::REPORT_VERSION,
        tool: Tool::default(),
        policies: policies.policies.iter().map(policy::Policy::info).collect(),
        projects,
        findings,
        suppressed,
        summary,
    };
    clock.lap("report");
    Run {
        timings: clock.laps,
        settings,
        inventory,
        stacks,
        entities,
        terraform: tf,
        policies,
        texts,
        report,
        cost,
        cost_usage_file: cost_inputs.usage_file,
        codeowners,
        scorecards,
    }
}

/// Stage durations for `--timings`.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps
            .push((stage, now.saturating_duration_since(self.last)));
        self.last = now;
    }
}

fn read_text(snapshot: &dyn Snapshot, path: &str) -> Decoded {
    let bytes = snapshot.read(path).map_err(|e| {
        Box::new(Finding::new(
            "parse-error",
            path,
            1,
            format!("cannot read file: {e}"),
        ))
    })?;
    source::decode(path, &bytes)
}
