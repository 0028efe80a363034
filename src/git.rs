//! A repository's files at a revision, read straight from git objects (no checkout), so the base
//! of a pull request is evaluated by exactly the code that evaluates the working tree.
//!
//! [`open`] finds the repository around a root folder (which may be a sub-folder of it),
//! [`Repo::resolve`] and [`Repo::merge_base`] pick the commit, [`Repo::tree_at`] gives a
//! [`GitTree`] snapshot and [`Repo::changed_paths`] lists what a pull request touches.

mod diff;
mod history;
mod tree;

pub use history::Commit;

use std::path::{Component, Path, PathBuf};

pub use gix::ObjectId;
pub use tree::GitTree;

/// What went wrong reading git; every message names the repository and the revision.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path} is not inside a git repository: {detail}")]
    NotARepository { path: PathBuf, detail: String },
    #[error("{repo} is a bare repository: stackgate needs a folder of a work tree")]
    NoWorkTree { repo: PathBuf },
    #[error("{root} is not inside the work tree of {repo}")]
    RootOutside { root: PathBuf, repo: PathBuf },
    #[error("cannot resolve revision `{rev}` in {repo}: {detail}")]
    Resolve {
        repo: PathBuf,
        rev: String,
        detail: String,
    },
    #[error("revision `{rev}` in {repo} names a {kind}, not a commit")]
    NotACommit {
        repo: PathBuf,
        rev: String,
        kind: String,
    },
    #[error("HEAD of {repo} has no commit yet (branch `{branch}` is unborn)")]
    UnbornHead { repo: PathBuf, branch: String },
    #[error("{first} and {second} have no common ancestor in {repo}: {reason}")]
    NoMergeBase {
        repo: PathBuf,
        first: String,
        second: String,
        reason: String,
    },
    #[error("cannot read {what} {id} in {repo}: {detail}")]
    Object {
        repo: PathBuf,
        what: &'static str,
        id: String,
        detail: String,
    },
    #[error("cannot read {path} in the work tree of {repo}: {source}")]
    WorkTree {
        repo: PathBuf,
        path: String,
        source: std::io::Error,
    },
}

const SHALLOW_HINT: &str =
    "the history is incomplete (shallow clone?): fetch with `fetch-depth: 0`";

/// The base a pull request is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseInfo {
    /// The revision as the user wrote it (`main`, `origin/main`).
    pub rev: String,
    /// What `rev` resolves to.
    pub target: ObjectId,
    /// The best common ancestor of `HEAD` and `rev`: the commit the base snapshot reads.
    pub merge_base: ObjectId,
    /// `HEAD` when the snapshot was taken.
    pub head: ObjectId,
    /// Files that differ between the merge base and the work tree (relative to the root,
    /// sorted): what the change touches.
    pub changed: Vec<String>,
}

/// An open repository and where the stackgate root lies inside it.
pub struct Repo {
    repo: gix::Repository,
    workdir: PathBuf,
    root: PathBuf,
    prefix: String,
}

/// Finds the repository containing `root` (which may be any folder of its work tree).
pub fn open(root: &Path) -> Result<Repo, GitError> {
    let not_repo = |detail: String| GitError::NotARepository {
        path: root.to_path_buf(),
        detail,
    };
    let root_abs = root
        .canonicalize()
        .map_err(|e| not_repo(format!("cannot open the folder: {e}")))?;
    let mut repo = gix::discover(&root_abs).map_err(|e| not_repo(e.to_string()))?;
    // Merge-base walks and tree reads revisit commits and trees: a small cache pays off.
    repo.object_cache_size_if_unset(8 << 20);
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .ok_or_else(|| GitError::NoWorkTree {
            repo: repo.git_dir().to_path_buf(),
        })?;
    let workdir = workdir.canonicalize().unwrap_or(workdir);
    let outside = || GitError::RootOutside {
        root: root.to_path_buf(),
        repo: workdir.clone(),
    };
    let rest = root_abs.strip_prefix(&workdir).map_err(|_| outside())?;
    let mut parts = Vec::new();
    for c in rest.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => return Err(outside()),
        }
    }
    // A root inside `.git` has no place in any tree.
    if parts.first().is_some_and(|p| p == ".git") {
        return Err(outside());
    }
    Ok(Repo {
        repo,
        workdir,
        root: root_abs,
        prefix: parts.join("/"),
    })
}

/// The tree of the merge base of `HEAD` and `rev`: what a pull request from `HEAD` into `rev`
/// starts from.
pub fn base_snapshot(
    root: &Path,
    rev: &str,
    extra: &[String],
) -> Result<(GitTree, BaseInfo), GitError> {
    let repo = open(root)?;
    let head = repo.head()?;
    let target = repo.resolve(rev)?;
    let merge_base = repo.merge_base(head, target).map_err(|e| match e {
        // Name the commits as the user knows them.
        GitError::NoMergeBase { repo, reason, .. } => GitError::NoMergeBase {
            repo,
            first: format!("HEAD ({})", short(head)),
            second: format!("`{rev}` ({})", short(target)),
            reason,
        },
        other => other,
    })?;
    let tree = repo.tree_at(merge_base, extra)?.with_rev(rev);
    let changed = repo.changed_paths(merge_base, None)?;
    let info = BaseInfo {
        rev: rev.to_string(),
        target,
        merge_base,
        head,
        changed,
    };
    Ok((tree, info))
}

/// The 7-character abbreviation used in labels and messages.
pub fn short(id: ObjectId) -> String {
    id.to_hex_with_len(7).to_string()
}

impl Repo {
    /// The root of the work tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The stackgate root, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The root's path inside the repository with `/` separators, `""` at the top.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// True when the repository lacks history beyond some commits.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The commit any rev-spec names: branch, tag, `HEAD~2`, `origin/main`, a full or short sha.
    pub fn resolve(&self, rev: &str) -> Result<ObjectId, GitError> {
        if rev.trim().is_empty() {
            return Err(self.resolve_error(rev, "the revision is empty".into()));
        }
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| self.resolve_error(rev, root_cause(&e)))?;
        self.peel_to_commit(id.detach(), rev)
    }

    /// The commit `HEAD` points to.
    pub fn head(&self) -> Result<ObjectId, GitError> {
        let head = self
            .repo
            .head()
            .map_err(|e| self.resolve_error("HEAD", e.to_string()))?;
        if head.is_unborn() {
            let branch = head
                .referent_name()
                .map(|n| n.shorten().to_string())
                .unwrap_or_else(|| "HEAD".into());
            return Err(GitError::UnbornHead {
                repo: self.workdir.clone(),
                branch,
            });
        }
        let id = head
            .into_peeled_id()
            .map_err(|e| self.resolve_error("HEAD", e.to_string()))?;
        self.peel_to_commit(id.detach(), "HEAD")
    }

    /// The best common ancestor of two commits.
    pub fn merge_base(&self, a: ObjectId, b: ObjectId) -> Result<ObjectId, GitError> {
        let no_base = |reason: String| GitError::NoMergeBase {
            repo: self.workdir.clone(),
            first: short(a),
            second: short(b),
            reason,
        };
        match self.repo.merge_base(a, b) {
            Ok(id) => Ok(id.detach()),
            Err(gix::repository::merge_base::Error::NotFound { .. }) => {
                Err(no_base(if self.repo.is_shallow() {
                    SHALLOW_HINT.into()
                } else {
                    "their histories are unrelated".into()
                }))
            }
            // A walk that hits a missing parent is the other face of a truncated history.
            Err(e) if self.repo.is_shallow() => Err(no_base(format!("{SHALLOW_HINT} ({e})"))),
            Err(e) => Err(no_base(e.to_string())),
        }
    }

    /// Every file of `commit` under the root, plus the `extra` folders (relative to the root,
    /// may start with `../`) that lie inside the repository.
    pub fn tree_at(&self, commit: ObjectId, extra: &[String]) -> Result<GitTree, GitError> {
        tree::build(self, commit, extra)
    }

    /// Paths (relative to the root, `../` for those outside it) of files that differ between
    /// `base` and `head`, or between `base` and the work tree on disk when `head` is `None`.
    /// Sorted. Covers the whole repository; the caller picks what concerns it.
    pub fn changed_paths(
        &self,
        base: ObjectId,
        head: Option<ObjectId>,
    ) -> Result<Vec<String>, GitError> {
        diff::changed_paths(self, base, head)
    }

    /// The latest `limit` commits reachable from `HEAD`, newest first, with the files each
    /// changed.
    pub fn history(&self, limit: usize) -> Result<Vec<Commit>, GitError> {
        history::recent(self, limit)
    }

    fn peel_to_commit(&self, id: ObjectId, rev: &str) -> Result<ObjectId, GitError> {
        let object = self
            .repo
            .find_object(id)
            .map_err(|e| self.object_error("object", id, e.to_string()))?;
        let kind = object.kind;
        match object.peel_to_kind(gix::object::Kind::Commit) {
            Ok(commit) => Ok(commit.id),
            Err(_) => Err(GitError::NotACommit {
                repo: self.workdir.clone(),
                rev: rev.to_string(),
                kind: kind.to_string(),
            }),
        }
    }

    /// The root tree of a commit.
    fn commit_tree(&self, commit: ObjectId) -> Result<ObjectId, GitError> {
        let err = |e: String| self.object_error("commit", commit, e);
        let c = self
            .repo
            .find_commit(commit)
            .map_err(|e| err(e.to_string()))?;
        let tree = c.tree_id().map_err(|e| err(e.to_string()))?;
        Ok(tree.detach())
    }

    fn resolve_error(&self, rev: &str, detail: String) -> GitError {
        GitError::Resolve {
            repo: self.workdir.clone(),
            rev: rev.to_string(),
            detail,
        }
    }

    fn object_error(&self, what: &'static str, id: ObjectId, detail: String) -> GitError {
        GitError::Object {
            repo: self.workdir.clone(),
            what,
            id: id.to_string(),
            detail,
        }
    }
}

/// The deepest cause of an error: gix puts the useful part ("the ref partially named `x` could
/// not be found") there, below generic layers ("couldn't parse revision").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut deepest = e;
    while let Some(cause) = deepest.source() {
        deepest = cause;
    }
    deepest.to_string()
}

/// `path` (inside the repository) as seen from `prefix` (the root inside the repository):
/// `../` for each step up, like `snapshot::relative` does on disk.
fn rel_from(prefix: &str, path: &str) -> String {
    let p: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
    let q: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let common = p.iter().zip(&q).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; p.len() - common];
    parts.extend(&q[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_inside_the_repository() {
        assert_eq!(rel_from("", "a/b.tf"), "a/b.tf");
        assert_eq!(rel_from("platform", "platform/a/b.tf"), "a/b.tf");
        assert_eq!(
            rel_from("platform", "shared-stacks/x.yml"),
            "../shared-stacks/x.yml"
        );
        assert_eq!(rel_from("a/b", "a/c/d"), "../c/d");
        assert_eq!(rel_from("a/b", "README.md"), "../../README.md");
        // A prefix that is a string prefix but not a folder prefix.
        assert_eq!(rel_from("plat", "platform/x"), "../platform/x");
    }

    #[test]
    fn short_id_has_seven_hex_digits() {
        let id = ObjectId::from_hex(b"1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5").unwrap();
        assert_eq!(short(id), "1a2b3c4");
    }
}
