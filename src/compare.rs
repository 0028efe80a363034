//! A change and its base: the working tree (the head) and the tree at the merge base with a
//! revision, read from git objects, evaluated concurrently by the same code and priced with
//! the same price book, usage and overrides (the head's), so the difference is the change's.

use crate::affected::Changes;
use crate::check::{self, Run, RunError, Scope};
use crate::cost::estimate::CostReport;
use crate::git::{self, BaseInfo, GitError};
use crate::pricing::PriceBook;
use crate::project::Project;
use crate::snapshot::Snapshot;
use std::collections::{BTreeSet, HashMap};
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
    /// The base as evaluated: only the projects the change touches, the others listed in
    /// `unchanged` (they are as at the head).
    pub evaluated: check::Evaluated,
    /// Every file of the base tree, sorted.
    pub files: Vec<String>,
}

pub struct Compared {
    /// The head's run; its cost policies were checked against the base's cost.
    pub head: Run,
    pub base: Option<Base>,
    /// Every file of the head, sorted.
    pub files: Vec<String>,
}

/// The costs of a change and its base, without the policy verdicts (`stackgate cost`).
pub struct Priced {
    pub head: CostReport,
    /// The usage file pricing read, if any.
    pub usage_file: Option<String>,
    pub base: Option<Base>,
    /// The head's evaluation, for callers that go on to judge it.
    pub evaluated: check::Evaluated,
    /// Every file of the head, sorted.
    pub files: Vec<String>,
}

/// Evaluates and prices the working tree under `root`, and with `base_rev` the merge base of
/// HEAD and that revision, then judges the head (policies, budgets against the base). `usage`
/// (name, text) replaces the repository's usage file.
pub fn run(
    root: &Path,
    base_rev: Option<&str>,
    usage: Option<(String, String)>,
    book: &PriceBook,
) -> Result<Compared, CompareError> {
    let p = price(root, base_rev, usage, book)?;
    let head = check::judge(p.evaluated, Some(p.head), p.base.as_ref().map(|b| &b.cost));
    Ok(Compared {
        head,
        base: p.base,
        files: p.files,
    })
}

/// [`run`] without the verdicts: what `stackgate cost` shows.
pub fn price(
    root: &Path,
    base_rev: Option<&str>,
    usage: Option<(String, String)>,
    book: &PriceBook,
) -> Result<Priced, CompareError> {
    let head_tree = check::open_dir(root)?;
    let base_tree = match base_rev {
        Some(rev) => {
            let extra = check::outside_dirs(head_tree.read(crate::config::FILE).ok().as_deref());
            Some(git::base_snapshot(root, rev, &extra)?)
        }
        None => None,
    };
    let changes = base_tree
        .as_ref()
        .map(|(_, info)| Changes::new(info.changed.iter().cloned()))
        .unwrap_or_default();
    let none = BTreeSet::new();
    let base_scope = |force| Scope {
        changes: &changes,
        force,
    };
    let (head, base) = rayon::join(
        || check::evaluate(&head_tree, usage.clone()),
        || {
            base_tree
                .as_ref()
                .map(|(tree, _)| check::evaluate_scoped(tree, None, Some(base_scope(&none))))
        },
    );
    let head_cost = head.price(book);
    let base = match (base, &base_tree) {
        (Some(mut e), Some((tree, info))) => {
            // What the scoped evaluation could not know before the head was evaluated: a
            // project it left out must be at the head too (a folder that stopped being a
            // module call is a root only at one end), and must not have read a changed file
            // through a Terraform file function. Such projects are evaluated after all.
            let at_head: HashMap<&str, &Project> =
                head.projects.iter().map(|p| (p.path.as_str(), p)).collect();
            let redo: BTreeSet<String> = e
                .unchanged
                .iter()
                .filter(|path| {
                    at_head
                        .get(path.as_str())
                        .is_none_or(|p| p.reads.iter().any(|f| changes.file(f)))
                })
                .cloned()
                .collect();
            if !redo.is_empty() {
                e = check::evaluate_scoped(tree, None, Some(base_scope(&redo)));
            }
            e.cost_inputs = head.cost_inputs.clone();
            let mut cost = e.price(book);
            // The projects the change leaves alone cost at the base what they cost now.
            cost.projects
                .extend(e.unchanged.iter().filter_map(|path| head_cost.shared(path)));
            cost.projects.sort_by(|a, b| a.path.cmp(&b.path));
            Some(Base {
                info: info.clone(),
                label: tree.label(),
                cost,
                evaluated: e,
                files: tree.files().to_vec(),
            })
        }
        _ => None,
    };
    Ok(Priced {
        usage_file: head.cost_inputs.usage_file.clone(),
        head: head_cost,
        base,
        evaluated: head,
        files: head_tree.files().to_vec(),
    })
}
