//! Recent history: the latest commits reachable from `HEAD`, newest first, each with the
//! files it changed against its first parent. The site's "recent changes" and the scorecard
//! fact "last change" read it.

use super::diff::diff_trees;
use super::{GitError, ObjectId, Repo, rel_from};

/// One commit and the files it changed (relative to the root, sorted; `../` outside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: ObjectId,
    /// Unix seconds of the commit.
    pub time: i64,
    pub author: String,
    /// The first line of the message.
    pub summary: String,
    pub paths: Vec<String>,
}

pub(super) fn recent(repo: &Repo, limit: usize) -> Result<Vec<Commit>, GitError> {
    let head = repo.head()?;
    let walk = repo
        .repo
        .rev_walk([head])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
        ))
        .all()
        .map_err(|e| repo.object_error("history of", head, e.to_string()))?;
    let mut out = Vec::new();
    for info in walk.take(limit) {
        let info = info.map_err(|e| repo.object_error("history of", head, e.to_string()))?;
        let id = info.id;
        let err = |e: String| repo.object_error("commit", id, e);
        let commit = repo.repo.find_commit(id).map_err(|e| err(e.to_string()))?;
        let tree = commit.tree_id().map_err(|e| err(e.to_string()))?.detach();
        let parent_tree = match info.parent_ids.first() {
            Some(p) => Some(repo.commit_tree(*p)?),
            None => None,
        };
        let mut paths = Vec::new();
        diff_trees(&repo.repo, parent_tree, Some(tree), "", &mut paths).map_err(err)?;
        let mut paths: Vec<String> = paths.iter().map(|p| rel_from(&repo.prefix, p)).collect();
        paths.sort();
        let time = commit.time().map_err(|e| err(e.to_string()))?.seconds;
        let author = commit
            .author()
            .map(|a| a.name.to_string())
            .unwrap_or_default();
        let summary = commit
            .message()
            .map(|m| m.summary().to_string())
            .unwrap_or_default();
        out.push(Commit {
            id,
            time,
            author,
            summary,
            paths,
        });
    }
    Ok(out)
}
