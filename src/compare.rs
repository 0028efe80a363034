//! A change and its base: the working tree (the head) and the tree at the merge base with a
//! revision, read from git objects, evaluated concurrently by the same code and priced with
//! the same price book, usage and overrides (the head's), so the difference is the change's.

use crate::check::{self, Run, RunError};
use crate::cost::estimate::CostReport;
use crate::git::{self, BaseInfo, GitError};
use crate::pricing::PriceBook;
use crate::snapshot::Snapshot;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Git(#[from] GitError),
}

/// The base side of a comparison.
pub struct Base {
    pub info: BaseInfo,
    /// `main@1a2b3c4`
    pub label: String,
    pub cost: CostReport,
}

pub struct Compared {
    /// The head's run; its cost policies were checked against the base's cost.
    pub head: Run,
    pub base: Option<Base>,
}

/// Evaluates and prices the working tree under `root`, and with `base_rev` the merge base of
/// HEAD and that revision. `usage` (name, text) replaces the repository's usage file.
pub fn run(
    root: &Path,
    base_rev: Option<&str>,
    usage: Option<(String, String)>,
    book: &PriceBook,
) -> Result<Compared, CompareError> {
    let head_tree = check::open_dir(root)?;
    let base_tree = match base_rev {
        Some(rev) => {
            let extra = check::outside_dirs(head_tree.read(crate::config::FILE).ok().as_deref());
            Some(git::base_snapshot(root, rev, &extra)?)
        }
        None => None,
    };
    let (head, base) = rayon::join(
        || check::evaluate(&head_tree, usage.clone()),
        || {
            base_tree
                .as_ref()
                .map(|(tree, info)| (check::evaluate(tree, None), tree.label(), info))
        },
    );
    let head_cost = head.price(book);
    let base = base.map(|(mut e, label, info)| {
        e.cost_inputs = head.cost_inputs.clone();
        let cost = e.price(book);
        Base {
            info: info.clone(),
            label,
            cost,
        }
    });
    let head = check::judge(head, Some(head_cost), base.as_ref().map(|b| &b.cost));
    Ok(Compared { head, base })
}
