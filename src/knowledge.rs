//! Everything stackgate knows about a repository's catalog after one run: the checked and
//! priced projects, who each belongs to, the facts about every entity, its scores, and the
//! recent history. `stackgate score` and `stackgate site` read it.

use crate::check::{self, Run, RunError};
use crate::cost::estimate::CostReport;
use crate::facts::{EntityFacts, Inputs};
use crate::git::{self, Commit};
use crate::ownership::Ownership;
use crate::pricing::PriceBook;
use crate::score::{self, Scores};
use crate::snapshot::Snapshot;
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
    let evaluated = check::evaluate(&tree, None);
    let cost = evaluated.price(book);
    let stack_defaults = evaluated.price_stack_defaults(&tree, book);
    let run = check::judge(evaluated, Some(cost.clone()), None);
    // Outside a repository (or in one without commits) there is simply no history.
    let history = git::open(root)
        .ok()
        .and_then(|repo| repo.history(HISTORY_DEPTH).ok());
    let files = tree.files().to_vec();
    let catalog = crate::catalog::Catalog::new(&run.entities);
    let ownership = Ownership::link(&run.report.projects, &catalog, run.codeowners.as_ref());
    let facts = EntityFacts::compute(&Inputs {
        entities: &run.entities,
        projects: &run.report.projects,
        findings: &run.report.findings,
        policies: &run.policies,
        ownership: &ownership,
        cost: Some(&cost),
        files: &files,
        history: history.as_deref(),
        today: crate::policy::today(),
    });
    let scores = score::evaluate(&run.scorecards, &run.entities, &facts);
    Ok(Knowledge {
        run,
        cost,
        stack_defaults,
        ownership,
        facts,
        scores,
        history,
        files,
    })
}
