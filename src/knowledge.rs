//! Everything stackgate knows about a repository's catalog after one run: the checked and
//! priced projects, who each belongs to, the facts about every entity, its scores, and the
//! recent history. `stackgate score` and `stackgate site` read it.

use crate::check::{self, Run, RunError};
use crate::cost::estimate::CostReport;
use crate::facts::{EntityFacts, Inputs};
use crate::finding::Finding;
use crate::git::{self, Commit};
use crate::ownership::Ownership;
use crate::pricing::PriceBook;
use crate::project::Project;
use crate::score::{self, Scores};
use crate::snapshot::Snapshot;
use std::collections::HashSet;
use std::path::Path;

/// How many commits the history reads: enough for "recent changes" and a last-change date of
/// anything touched in the last few hundred commits, bounded so big repositories stay fast.
pub const HISTORY_DEPTH: usize = 500;

pub struct Knowledge {
    pub run: Run,
    pub cost: CostReport,
    /// Each stack use case at its form's defaults (project paths `<stack folder>#<use case>`).
    pub stack_defaults: CostReport,
    pub ownership: Ownership,
    pub facts: EntityFacts,
    pub scores: Scores,
    /// Newest first; `None` when the root is not in a git repository.
    pub history: Option<Vec<Commit>>,
    /// Every file of the snapshot, sorted.
    pub files: Vec<String>,
}

/// Checks and prices the working tree under `root`, then links and scores its catalog.
pub fn gather(root: &Path, book: &PriceBook) -> Result<Knowledge, RunError> {
    let tree = check::open_dir(root)?;
    // Outside a repository (or in one without commits) there is simply no history.
    let history = git::open(root)
        .ok()
        .and_then(|repo| repo.history(HISTORY_DEPTH).ok());
    Ok(gather_snapshot(&tree, book, history))
}

/// [`gather`] for any snapshot (the base of a pull request is a git tree).
pub fn gather_snapshot(
    tree: &dyn Snapshot,
    book: &PriceBook,
    history: Option<Vec<Commit>>,
) -> Knowledge {
    let evaluated = check::evaluate(tree, None);
    let cost = evaluated.price(book);
    let stack_defaults = evaluated.price_stack_defaults(tree, book);
    let run = check::judge(evaluated, Some(cost.clone()), None);
    let files = tree.files().to_vec();
    let Linked {
        ownership,
        facts,
        scores,
    } = link(&run, Some(&cost), &files, history.as_deref());
    Knowledge {
        run,
        cost,
        stack_defaults,
        ownership,
        facts,
        scores,
        history,
        files,
    }
}

/// The scores of a snapshot alone (the base of a pull request): checked, priced, linked and
/// scored, without what only the site needs (the stacks' default costs).
pub fn scores_of(tree: &dyn Snapshot, book: &PriceBook, history: Option<&[Commit]>) -> Scores {
    let evaluated = check::evaluate(tree, None);
    let cost = evaluated.price(book);
    let files = tree.files().to_vec();
    let run = check::judge(evaluated, Some(cost.clone()), None);
    let scores = link(&run, Some(&cost), &files, history).scores;
    // Freeing the base's evaluation is wasted time in a process about to report and exit.
    std::mem::forget(run);
    scores
}

/// The scores of a pull request's base from the comparison's scoped evaluation of it: the
/// projects the change leaves alone read nothing it changed, so their outlines and open
/// findings are the head's. Sound only while every shared input (settings, policies, usage,
/// prices) is the same at both ends; otherwise score the whole base with [`scores_of`].
pub fn scores_of_base(
    evaluated: check::Evaluated,
    cost: CostReport,
    files: &[String],
    head: &Run,
    history: Option<&[Commit]>,
) -> Scores {
    let unchanged: HashSet<String> = evaluated.unchanged.iter().cloned().collect();
    let mut run = check::judge(evaluated, Some(cost), None);
    run.report.projects.extend(
        head.report
            .projects
            .iter()
            .filter(|p| unchanged.contains(&p.path))
            .map(Project::outline),
    );
    run.report
        .projects
        .sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    let paths: HashSet<&str> = run
        .report
        .projects
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    // What the base evaluation also found (files it parsed anyway) comes out once.
    let theirs: Vec<Finding> = head
        .report
        .findings
        .iter()
        .filter(|f| {
            crate::facts::enclosing(&f.file, |p| paths.contains(p))
                .is_some_and(|p| unchanged.contains(p))
        })
        .cloned()
        .collect();
    drop(paths);
    run.report.findings.extend(theirs);
    crate::finding::normalize(&mut run.report.findings);
    let scores = link(&run, run.cost.as_ref(), files, history).scores;
    // Freeing the base's evaluation is wasted time in a process about to report and exit.
    std::mem::forget(run);
    scores
}

/// Who each project belongs to, the facts about every entity, and their scores.
pub struct Linked {
    pub ownership: Ownership,
    pub facts: EntityFacts,
    pub scores: Scores,
}

/// Links a checked run's projects to its catalog, computes the facts and scores the entities.
pub fn link(
    run: &Run,
    cost: Option<&CostReport>,
    files: &[String],
    history: Option<&[Commit]>,
) -> Linked {
    let catalog = crate::catalog::Catalog::new(&run.entities);
    let ownership = Ownership::link(&run.report.projects, &catalog, run.codeowners.as_ref());
    let facts = EntityFacts::compute(&Inputs {
        entities: &run.entities,
        projects: &run.report.projects,
        findings: &run.report.findings,
        policies: &run.policies,
        ownership: &ownership,
        cost,
        files,
        history,
        today: crate::policy::today(),
    });
    let scores = score::evaluate(&run.scorecards, &run.entities, &facts);
    Linked {
        ownership,
        facts,
        scores,
    }
}
