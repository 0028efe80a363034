//! [`GitTree`]: the files of a commit as a [`Snapshot`].
//!
//! Blob ids are listed once, up front; contents are read on demand. gix is built here without
//! its `parallel` feature, so its handles are `Rc`-based and neither `Send` nor `Sync`: each
//! thread that reads opens (and keeps) its own handle to the repository.

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};

use gix::objs::tree::EntryKind;

use super::{GitError, ObjectId, Repo, rel_from, short};
use crate::snapshot::{Snapshot, join, parent};

/// The files of one commit under the stackgate root, read from git objects.
///
/// Regular and executable files are listed; symbolic links are skipped (the working tree walk
/// skips them too) and so are submodules.
pub struct GitTree {
    git_dir: PathBuf,
    repo_dir: PathBuf,
    commit: ObjectId,
    rev: Option<String>,
    /// What the working-tree walk would list: sorted, relative to the root.
    files: Vec<String>,
    /// Every blob, also those the walk leaves out (`.terraform/`), sorted by path.
    blobs: Vec<(String, ObjectId)>,
    notes: Vec<String>,
}

impl GitTree {
    /// Labels the snapshot with the revision as the user wrote it: `main@1a2b3c4`.
    pub fn with_rev(mut self, rev: &str) -> GitTree {
        self.rev = Some(rev.to_string());
        self
    }

    /// The commit this snapshot reads.
    pub fn commit(&self) -> ObjectId {
        self.commit
    }

    /// Things the caller may want to report: extra folders left out because they lie outside
    /// the repository, a root folder missing at this commit.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    fn blob_id(&self, path: &str) -> Option<ObjectId> {
        self.blobs
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| self.blobs[i].1)
    }
}

impl Snapshot for GitTree {
    fn files(&self) -> &[String] {
        &self.files
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let Some(id) = self.blob_id(path) else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{path} is not a file at {}", self.label()),
            ));
        };
        with_handle(&self.git_dir, None, |repo| {
            repo.find_object(id).map(|o| o.detach().data).map_err(|e| {
                io::Error::other(format!(
                    "cannot read {path} ({id}) in {}: {e}",
                    self.repo_dir.display()
                ))
            })
        })?
    }

    fn label(&self) -> String {
        match &self.rev {
            Some(rev) => format!("{rev}@{}", short(self.commit)),
            None => short(self.commit),
        }
    }

    fn list_dir(&self, dir: &str) -> Vec<String> {
        // Paths below `dir/` sort together: start there, stop after them.
        let lead = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let start = self
            .blobs
            .partition_point(|(p, _)| p.as_str() < lead.as_str());
        self.blobs[start..]
            .iter()
            .take_while(|(p, _)| p.starts_with(&lead))
            .filter(|(p, _)| parent(p) == dir)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// Kept in step with the working-tree walk in `snapshot.rs`: folders it never descends into.
fn walk_skips(path: &str) -> bool {
    path.split('/')
        .any(|c| c == ".terraform" || c == "node_modules")
}

pub(super) fn build(repo: &Repo, commit: ObjectId, extra: &[String]) -> Result<GitTree, GitError> {
    let root_tree = repo.commit_tree(commit)?;
    let tree_err = |e: String| repo.object_error("tree of commit", commit, e);
    let mut listing = Listing::default();
    let mut notes = Vec::new();
    match find_subtree(&repo.repo, root_tree, &repo.prefix).map_err(tree_err)? {
        Some(t) => list(&repo.repo, t, "", &mut listing).map_err(tree_err)?,
        None => notes.push(format!(
            "{} does not exist at {}",
            repo.prefix,
            short(commit)
        )),
    }
    for dir in extra {
        let in_repo = join(&repo.prefix, dir);
        if in_repo == ".." || in_repo.starts_with("../") {
            notes.push(format!(
                "{dir} lies outside the repository {}: left out of {}",
                repo.workdir.display(),
                short(commit)
            ));
            continue;
        }
        // Folders inside the root are listed already, as in the working-tree walk.
        let p = &repo.prefix;
        if p.is_empty() || in_repo == *p || in_repo.starts_with(&format!("{p}/")) {
            continue;
        }
        if let Some(t) = find_subtree(&repo.repo, root_tree, &in_repo).map_err(tree_err)? {
            list(&repo.repo, t, &rel_from(p, &in_repo), &mut listing).map_err(tree_err)?;
        }
    }
    let mut blobs = listing.files;
    blobs.sort_by(|a, b| a.0.cmp(&b.0));
    blobs.dedup_by(|a, b| a.0 == b.0);
    let files = blobs
        .iter()
        .filter(|(p, _)| !walk_skips(p))
        .map(|(p, _)| p.clone())
        .collect();
    let git_dir = repo.repo.git_dir().to_path_buf();
    // The opening thread reuses the handle it has rather than opening a second one.
    let _ = with_handle(&git_dir, Some(&repo.repo), |_| ());
    Ok(GitTree {
        git_dir,
        repo_dir: repo.workdir.clone(),
        commit,
        rev: None,
        files,
        blobs,
        notes,
    })
}

/// Entries of a tree, recursively, with paths below a base.
#[derive(Default)]
pub(super) struct Listing {
    /// Regular and executable files.
    pub files: Vec<(String, ObjectId)>,
    /// Submodules: their folders hold another repository's files.
    pub submodules: Vec<String>,
}

/// Lists `tree` recursively into `out`, paths prefixed with `base` (`""` for none).
pub(super) fn list(
    repo: &gix::Repository,
    tree: ObjectId,
    base: &str,
    out: &mut Listing,
) -> Result<(), String> {
    // A stack rather than recursion: deep trees cannot overflow it.
    let mut stack = vec![(tree, base.to_string())];
    while let Some((id, dir)) = stack.pop() {
        let t = repo.find_tree(id).map_err(|e| e.to_string())?;
        let decoded = t.decode().map_err(|e| e.to_string())?;
        for e in &decoded.entries {
            let name = e.filename.to_string();
            let path = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            match e.mode.kind() {
                EntryKind::Tree => stack.push((e.oid.to_owned(), path)),
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    out.files.push((path, e.oid.to_owned()))
                }
                EntryKind::Commit => out.submodules.push(path),
                EntryKind::Link => {}
            }
        }
    }
    Ok(())
}

/// The tree at `path` (`/`-separated, `""` for `tree` itself), if there is one.
pub(super) fn find_subtree(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &str,
) -> Result<Option<ObjectId>, String> {
    let mut current = tree;
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let t = repo.find_tree(current).map_err(|e| e.to_string())?;
        let decoded = t.decode().map_err(|e| e.to_string())?;
        let next = decoded
            .entries
            .iter()
            .find(|e| e.mode.kind() == EntryKind::Tree && e.filename == part.as_bytes());
        match next {
            Some(e) => current = e.oid.to_owned(),
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// Handles a thread keeps open; a run reads one or two repositories.
const MAX_HANDLES: usize = 4;

thread_local! {
    static HANDLES: RefCell<Vec<(PathBuf, gix::Repository)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's handle to the repository at `git_dir`, opening it on first use
/// (or adopting `seed`, a handle the thread already has).
fn with_handle<R>(
    git_dir: &Path,
    seed: Option<&gix::Repository>,
    f: impl FnOnce(&gix::Repository) -> R,
) -> io::Result<R> {
    HANDLES.with(|cell| {
        let mut handles = cell.borrow_mut();
        let pos = match handles.iter().position(|(p, _)| p == git_dir) {
            Some(i) => i,
            None => {
                let repo =
                    match seed {
                        Some(r) => r.clone(),
                        // Objects need only the repository's own configuration.
                        None => gix::open_opts(git_dir, gix::open::Options::isolated()).map_err(
                            |e| io::Error::other(format!("cannot open {}: {e}", git_dir.display())),
                        )?,
                    };
                if handles.len() >= MAX_HANDLES {
                    handles.remove(0);
                }
                handles.push((git_dir.to_path_buf(), repo));
                handles.len() - 1
            }
        };
        Ok(f(&handles[pos].1))
    })
}
