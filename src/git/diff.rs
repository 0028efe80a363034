//! Which files a pull request touches: two trees compared by entry id, or a tree compared with
//! the files on disk.
//!
//! Only files count (what a snapshot lists): symbolic links and submodules are left out, and a
//! change of the executable bit alone is no change of content.

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use gix::objs::tree::EntryKind;

use super::tree::{Listing, list};
use super::{GitError, ObjectId, Repo, rel_from};
use crate::snapshot::{Snapshot, WorkTree};

pub(super) fn changed_paths(
    repo: &Repo,
    base: ObjectId,
    head: Option<ObjectId>,
) -> Result<Vec<String>, GitError> {
    let base_tree = repo.commit_tree(base)?;
    let mut out = Vec::new();
    match head {
        Some(h) => {
            let head_tree = repo.commit_tree(h)?;
            diff_trees(&repo.repo, Some(base_tree), Some(head_tree), "", &mut out)
                .map_err(|e| repo.object_error("trees of commit", h, e))?;
        }
        None => worktree_diff(repo, base, base_tree, &mut out)?,
    }
    let mut rel: Vec<String> = out.iter().map(|p| rel_from(&repo.prefix, p)).collect();
    rel.sort();
    rel.dedup();
    Ok(rel)
}

/// One name of a tree: a folder, a file, or neither (a link or a submodule).
#[derive(Default)]
struct Side {
    tree: Option<ObjectId>,
    file: Option<ObjectId>,
}

fn entries(
    repo: &gix::Repository,
    tree: Option<ObjectId>,
) -> Result<BTreeMap<String, Side>, String> {
    let mut map = BTreeMap::new();
    let Some(id) = tree else { return Ok(map) };
    let t = repo.find_tree(id).map_err(|e| e.to_string())?;
    let decoded = t.decode().map_err(|e| e.to_string())?;
    for e in &decoded.entries {
        let side: &mut Side = map.entry(e.filename.to_string()).or_default();
        match e.mode.kind() {
            EntryKind::Tree => side.tree = Some(e.oid.to_owned()),
            EntryKind::Blob | EntryKind::BlobExecutable => side.file = Some(e.oid.to_owned()),
            EntryKind::Link | EntryKind::Commit => {}
        }
    }
    Ok(map)
}

/// Files that differ between trees `a` and `b` (`None`: empty), paths below `dir`.
pub(super) fn diff_trees(
    repo: &gix::Repository,
    a: Option<ObjectId>,
    b: Option<ObjectId>,
    dir: &str,
    out: &mut Vec<String>,
) -> Result<(), String> {
    // Equal ids mean equal contents all the way down: the reason this diff is cheap.
    if a == b {
        return Ok(());
    }
    let ea = entries(repo, a)?;
    let eb = entries(repo, b)?;
    let names: BTreeSet<&String> = ea.keys().chain(eb.keys()).collect();
    for name in names {
        let path = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        let (sa, sb) = (ea.get(name), eb.get(name));
        let (ta, tb) = (sa.and_then(|s| s.tree), sb.and_then(|s| s.tree));
        if ta.is_some() || tb.is_some() {
            diff_trees(repo, ta, tb, &path, out)?;
        }
        if sa.and_then(|s| s.file) != sb.and_then(|s| s.file) {
            out.push(path);
        }
    }
    Ok(())
}

/// Files that differ between the tree of `base` and the work tree on disk: tracked files are
/// hashed as git would store them (without clean filters such as `autocrlf` or LFS), new
/// files not ignored by `.gitignore` count as added.
fn worktree_diff(
    repo: &Repo,
    base: ObjectId,
    base_tree: ObjectId,
    out: &mut Vec<String>,
) -> Result<(), GitError> {
    let mut listing = Listing::default();
    list(&repo.repo, base_tree, "", &mut listing)
        .map_err(|e| repo.object_error("tree of commit", base, e))?;
    let mut tracked: BTreeMap<String, Option<ObjectId>> = listing
        .files
        .into_iter()
        .map(|(p, id)| (p, Some(id)))
        .collect();
    let mut submodules = listing.submodules;
    // Files committed since the base stay tracked even when `.gitignore` matches them, so the
    // walk below would miss them: HEAD's tree names them.
    if let Ok(head) = repo.head() {
        let mut at_head = Listing::default();
        let head_tree = repo.commit_tree(head)?;
        list(&repo.repo, head_tree, "", &mut at_head)
            .map_err(|e| repo.object_error("tree of commit", head, e))?;
        for (p, _) in at_head.files {
            tracked.entry(p).or_insert(None);
        }
        submodules.extend(at_head.submodules);
    }
    let disk_err = |path: &str, source: io::Error| GitError::WorkTree {
        repo: repo.workdir.clone(),
        path: path.to_string(),
        source,
    };
    for (path, id) in &tracked {
        let abs = repo.workdir.join(path);
        let data = match std::fs::symlink_metadata(&abs) {
            Ok(m) if m.is_file() => match std::fs::read(&abs) {
                Ok(d) => Some(d),
                Err(e) if gone(&e) => None,
                Err(e) => return Err(disk_err(path, e)),
            },
            Ok(_) => None,
            Err(e) if gone(&e) => None,
            Err(e) => return Err(disk_err(path, e)),
        };
        let now = match data {
            Some(d) => Some(
                gix::objs::compute_hash(repo.repo.object_hash(), gix::objs::Kind::Blob, &d)
                    .map_err(|e| disk_err(path, io::Error::other(e.to_string())))?,
            ),
            None => None,
        };
        if now != *id {
            out.push(path.clone());
        }
    }
    let disk = WorkTree::open(&repo.workdir, &[]).map_err(|e| disk_err("", e))?;
    let in_submodule = |p: &str| {
        submodules.iter().any(|s| {
            p.strip_prefix(s.as_str())
                .is_some_and(|r| r.starts_with('/'))
        })
    };
    for f in disk.files() {
        if !tracked.contains_key(f) && !in_submodule(f) {
            out.push(f.clone());
        }
    }
    Ok(())
}

/// The file is not there (any more): removed, not an error.
fn gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}
