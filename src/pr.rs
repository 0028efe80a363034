//! A pull request, evaluated: its base fetched when the checkout lacks it, head and base
//! checked and priced, the projects and catalog entities the change touches, their findings
//! and scorecard levels against the base, and the two comment bodies. Publishing is
//! `github::publish`; this module only computes.

use crate::affected::{self, Changes};
use crate::check::Run;
use crate::compare::{self, CompareError};
use crate::finding::{Finding, Level};
use crate::git::{self, GitError};
use crate::github::event::PullRequest;
use crate::knowledge::{self, HISTORY_DEPTH};
use crate::pricing::PriceBook;
use crate::report::cost_markdown;
use crate::report::cost_view::CostView;
use crate::report::pr_scorecard::{self, BlobLinks, PrScorecard, TouchedComponent, TouchedProject};
use crate::score::Scores;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PrError {
    #[error(transparent)]
    Compare(#[from] CompareError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(
        "the pull request's base commit {sha} is not in the local repository{shallow}, and \
`git fetch` could not bring it: {reason}. Check out the full history: `actions/checkout` with \
`fetch-depth: 0`"
    )]
    Fetch {
        sha: String,
        shallow: &'static str,
        reason: String,
    },
    /// The comparison left out a part it always makes (a bug, reported rather than a panic).
    #[error("the comparison with the base produced no {0}")]
    Incomplete(&'static str),
}

/// A report as the comment poster needs it: the summary is never cut, the details may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub summary: String,
    pub details: Vec<String>,
    pub footer: String,
}

impl Body {
    pub fn whole(&self) -> String {
        let mut s = self.summary.clone();
        self.details.iter().for_each(|d| s.push_str(d));
        s.push_str(&self.footer);
        s
    }
}

pub struct PrReport {
    pub scorecard: Body,
    pub cost: Body,
    /// The open findings in what the change touches, in report order.
    pub touched: Vec<Finding>,
    /// Paths of the projects the change touches.
    pub affected: Vec<String>,
    /// A change to settings, policies, usage or price overrides touches every project.
    pub everything: bool,
    pub total_monthly: f64,
    pub diff_monthly: f64,
    pub deny: usize,
    pub warn: usize,
    pub fail_on: Level,
    /// `comments.behavior` of stackgate.yaml.
    pub behavior: crate::config::CommentsBehavior,
    /// `main@1a2b3c4`.
    pub base_label: String,
    /// The root's folder inside the repository (`""` at its top).
    pub root_prefix: String,
}

impl PrReport {
    /// No touched finding reaches `fail_on`.
    pub fn passed(&self) -> bool {
        !self.touched.iter().any(|f| f.level >= self.fail_on)
    }
}

pub struct Options<'a> {
    /// `https://github.com/acme/platform`: findings link to their lines on the head commit.
    pub repo_url: Option<String>,
    /// Replaces `fail_on` of stackgate.yaml.
    pub fail_on: Option<Level>,
    pub book: &'a PriceBook,
}

/// Makes sure the base commit and the history down to the merge base are present: a shallow
/// or single-commit checkout (the `actions/checkout` default) is deepened with `git fetch`.
/// Returns what it did, for the log.
pub fn ensure_base(root: &Path, sha: &str) -> Result<Option<String>, PrError> {
    let repo = git::open(root)?;
    let shallow = repo.is_shallow();
    if !shallow && repo.resolve(sha).is_ok() {
        return Ok(None);
    }
    let mut args = vec!["fetch", "--no-tags", "--quiet"];
    if shallow {
        args.push("--unshallow");
    }
    args.extend(["origin", sha]);
    let fail = |reason: String| PrError::Fetch {
        sha: sha.to_string(),
        shallow: if shallow {
            " (the checkout is shallow)"
        } else {
            ""
        },
        reason,
    };
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo.workdir())
        .args(&args)
        .output()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(fail(stderr.trim().replace('\n', " ")));
    }
    git::open(root)?
        .resolve(sha)
        .map_err(|e| fail(format!("fetched, but still missing: {e}")))?;
    Ok(Some(format!("git {}", args.join(" "))))
}

/// Evaluates the pull request checked out under `root` against its base commit.
pub fn evaluate(root: &Path, pr: &PullRequest, opts: &Options) -> Result<PrReport, PrError> {
    let repo = git::open(root)?;
    let root_prefix = repo.prefix().to_string();
    let history = repo.history(HISTORY_DEPTH).ok();
    let compared = compare::run(root, Some(&pr.base.sha), None, opts.book)?;
    let mut run = compared.head;
    // Asked for a base, the comparison always has one.
    let base = compared.base.ok_or(PrError::Incomplete("base"))?;
    let base_label = format!(
        "{}@{}",
        if pr.base.ref_name.is_empty() {
            "base"
        } else {
            &pr.base.ref_name
        },
        git::short(base.info.merge_base)
    );
    let changes = Changes::new(base.info.changed.iter().cloned());
    let everything = touches_everything(&run, base.evaluated.policy_files(), &changes);
    let affected: BTreeSet<&str> = run
        .report
        .projects
        .iter()
        .filter(|p| {
            everything
                || affected::touches(
                    &changes,
                    &affected::reads(p, &run.terraform, &run.stacks, &run.settings.var_files),
                )
        })
        .map(|p| p.path.as_str())
        .collect();

    // Findings: those of the touched projects, and those of changed files no project owns (or
    // of shared code a touched project reads).
    let all_projects: BTreeSet<&str> = run
        .report
        .projects
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    let shared_reads: Vec<affected::Reads> = run
        .report
        .projects
        .iter()
        .filter(|p| affected.contains(p.path.as_str()))
        .map(|p| affected::reads(p, &run.terraform, &run.stacks, &run.settings.var_files))
        .collect();
    let mut by_project: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut other: Vec<&Finding> = Vec::new();
    for f in &run.report.findings {
        match crate::facts::enclosing(&f.file, |p| all_projects.contains(p)) {
            Some(p) if affected.contains(p) => by_project.entry(p).or_default().push(f),
            Some(_) => {}
            None => {
                // A resource's violation inside a shared module belongs to its callers.
                let read = f.resource.is_some()
                    && f.policy.is_some()
                    && shared_reads.iter().any(|r| {
                        r.files.contains(&f.file) || r.dirs.iter().any(|d| within(&f.file, d))
                    });
                if everything || changes.file(&f.file) || read {
                    other.push(f);
                }
            }
        }
    }
    let projects: Vec<TouchedProject> = run
        .report
        .projects
        .iter()
        .filter(|p| affected.contains(p.path.as_str()))
        .map(|p| TouchedProject {
            name: p.name.clone(),
            path: p.path.clone(),
            findings: by_project.remove(p.path.as_str()).unwrap_or_default(),
        })
        .collect();

    let mut touched: Vec<Finding> = projects
        .iter()
        .flat_map(|p| p.findings.iter())
        .chain(other.iter())
        .map(|f| (*f).clone())
        .collect();
    crate::finding::normalize(&mut touched);

    // The cost comment, with the budget policies' verdicts on the touched projects.
    let head_cost = run.cost.take().ok_or(PrError::Incomplete("cost"))?;
    let view = CostView::new(
        &head_cost,
        Some((&base.cost, base_label.clone())),
        crate::policy::today().to_string(),
        run.cost_usage_file.clone(),
    );
    let (mut cost_summary, cost_details, cost_footer) = cost_markdown::sections(&view);
    guardrails(&run, &touched, &mut cost_summary);
    let total_monthly = head_cost.monthly_cost();
    let diff_monthly = total_monthly - base.cost.monthly_cost();
    drop(view);

    // Scorecards: the components the change touches, at the head and at the base.
    let linked = knowledge::link(&run, Some(&head_cost), &compared.files, history.as_deref());
    let touched_entities: Vec<String> = run
        .entities
        .iter()
        .filter(|e| {
            changes.file(&e.file)
                || (e.kind.eq_ignore_ascii_case("component")
                    && linked
                        .ownership
                        .projects_of(&e.entity_ref())
                        .iter()
                        .any(|p| affected.contains(p.as_str())))
        })
        .map(|e| e.entity_ref().to_string())
        .collect();
    let scored = |scores: &Scores| -> bool {
        scores.cards.iter().any(|c| {
            c.entities
                .iter()
                .any(|e| touched_entities.contains(&e.entity))
        })
    };
    let base_scores = if !scored(&linked.scores) {
        None
    } else if everything {
        // Settings, policies, usage or prices changed: nothing at the base is as at the head.
        let extra = crate::check::outside_dirs(
            std::fs::read(root.join(crate::config::FILE))
                .ok()
                .as_deref(),
        );
        let (tree, _) = git::base_snapshot(root, &pr.base.sha, &extra)?;
        Some(knowledge::scores_of(&tree, opts.book, history.as_deref()))
    } else {
        Some(knowledge::scores_of_base(
            base.evaluated,
            base.cost,
            &base.files,
            &run,
            history.as_deref(),
        ))
    };
    let components = touched_components(&linked.scores, base_scores.as_ref(), &touched_entities);

    let links = opts
        .repo_url
        .as_ref()
        .map(|u| blob_links(&repo, u, &pr.head.sha));
    let card = PrScorecard {
        links,
        root_prefix: root_prefix.clone(),
        projects,
        components,
        other,
    };
    let (summary, details) = pr_scorecard::render(&card);
    let scorecard = Body {
        summary,
        details,
        footer: format!(
            "<sub>Compared with `{}`. Findings in files the change does not touch are left \
out; `stackgate check` lists them all.</sub>\n",
            base_label
        ),
    };

    let count = |l: Level| touched.iter().filter(|f| f.level == l).count();
    let (deny, warn) = (count(Level::Deny), count(Level::Warn));
    Ok(PrReport {
        scorecard,
        cost: Body {
            summary: cost_summary,
            details: cost_details,
            footer: cost_footer,
        },
        affected: affected.iter().map(|s| s.to_string()).collect(),
        touched,
        everything,
        total_monthly,
        diff_monthly,
        deny,
        warn,
        fail_on: opts.fail_on.unwrap_or(run.settings.fail_on),
        behavior: run.settings.comments_behavior,
        base_label,
        root_prefix,
    })
}

/// Files every project's verdict depends on.
/// Links to the pull request's head; Actions checks out GitHub's merge commit by default,
/// whose lines differ from the head's in files the base changed too: those files link to the
/// checked-out commit. When the head commit is not in the repository at all, everything does.
fn blob_links(repo: &git::Repo, repo_url: &str, head_sha: &str) -> BlobLinks {
    let at = |sha: &str| format!("{repo_url}/blob/{sha}/");
    let Ok(checked) = repo.head() else {
        return BlobLinks {
            head: at(head_sha),
            checked: None,
        };
    };
    match repo.resolve(head_sha) {
        Ok(head) if head == checked => BlobLinks {
            head: at(head_sha),
            checked: None,
        },
        Ok(head) => match repo.changed_paths(head, None) {
            Ok(differ) => BlobLinks {
                head: at(head_sha),
                checked: Some((at(&checked.to_string()), differ.into_iter().collect())),
            },
            Err(_) => BlobLinks {
                head: at(&checked.to_string()),
                checked: None,
            },
        },
        Err(_) => BlobLinks {
            head: at(&checked.to_string()),
            checked: None,
        },
    }
}

/// `base_policies`: a policy file the change deletes is only at the base.
fn touches_everything(run: &Run, base_policies: &[String], changes: &Changes) -> bool {
    let s = &run.settings;
    changes.file(crate::config::FILE)
        || run
            .inventory
            .policies
            .iter()
            .chain(base_policies)
            .any(|p| changes.file(p))
        || s.usage_file.as_deref().is_some_and(|f| changes.file(f))
        || s.pricing_overrides
            .as_deref()
            .is_some_and(|f| changes.file(f))
}

fn within(file: &str, dir: &str) -> bool {
    dir.is_empty() || file.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

fn touched_components(
    head: &Scores,
    base: Option<&Scores>,
    touched: &[String],
) -> Vec<TouchedComponent> {
    let mut out = Vec::new();
    for card in &head.cards {
        let base_card = base.and_then(|b| b.cards.iter().find(|c| c.id == card.id));
        for e in card.entities.iter().filter(|e| touched.contains(&e.entity)) {
            let before = base_card.and_then(|c| c.entities.iter().find(|b| b.entity == e.entity));
            out.push(TouchedComponent {
                entity: e.entity.clone(),
                title: e.title.clone(),
                scorecard: card.id.clone(),
                level: e.level.clone(),
                base_level: before.map(|b| b.level.clone()),
                rank: e.rank,
                base_rank: before.map(|b| b.rank),
                score: e.score,
                failing: e.failing().map(str::to_string).collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.entity, &a.scorecard).cmp(&(&b.entity, &b.scorecard)));
    out
}

/// The budget section of the cost comment: what the cost policies say about the touched
/// projects.
fn guardrails(run: &Run, touched: &[Finding], out: &mut String) {
    let budget_ids: BTreeSet<&str> = run
        .report
        .policies
        .iter()
        .filter(|p| p.kind == "cost")
        .map(|p| p.id.as_str())
        .collect();
    if budget_ids.is_empty() {
        return;
    }
    let hits: Vec<&Finding> = touched
        .iter()
        .filter(|f| {
            f.code == "cost-unavailable"
                || f.policy.as_deref().is_some_and(|p| budget_ids.contains(p))
        })
        .collect();
    let _ = writeln!(out, "#### Budget guardrails\n");
    if hits.is_empty() {
        let _ = writeln!(
            out,
            "✅ The touched projects are within the {} budget polic{}.\n",
            budget_ids.len(),
            if budget_ids.len() == 1 { "y" } else { "ies" }
        );
        return;
    }
    for f in hits.iter().take(pr_scorecard::MAX_ROWS) {
        let icon = match f.level {
            Level::Deny => "❌",
            Level::Warn => "⚠️",
            Level::Info => "ℹ️",
        };
        let _ = writeln!(
            out,
            "- {icon} **{}** `{}`: {}",
            f.level.as_str(),
            f.policy.as_deref().unwrap_or(f.code).replace('`', "'"),
            crate::report::markdown_text(&f.message)
        );
    }
    if hits.len() > pr_scorecard::MAX_ROWS {
        let _ = writeln!(out, "- … and {} more", hits.len() - pr_scorecard::MAX_ROWS);
    }
    out.push('\n');
}
