//! The one way discovery and evaluation read a repository: a snapshot that is the work tree
//! today and a git tree at a revision once PR mode reads the base from git objects.

use std::io;
use std::path::{Component, Path, PathBuf};

/// A read-only view of a repository's files.
pub trait Snapshot: Sync + Send {
    /// Every file, as a path relative to the repository root with `/` separators, sorted.
    /// Files of extra folders outside the root (shared stacks) keep their `../` prefix.
    fn files(&self) -> &[String];
    /// The bytes of one file of `files()`.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
    /// What this snapshot is, for messages: "working tree", "main@1a2b3c4".
    fn label(&self) -> String;

    /// Files directly in a folder, also in folders the walk leaves out on purpose (the
    /// modules `terraform init` downloaded under `.terraform/`). Sorted.
    fn list_dir(&self, dir: &str) -> Vec<String> {
        self.files()
            .iter()
            .filter(|f| parent(f) == dir)
            .cloned()
            .collect()
    }
}

/// The files on disk under a root, honouring `.gitignore`, `.ignore` and git's exclude files.
pub struct WorkTree {
    root: PathBuf,
    files: Vec<String>,
}

impl WorkTree {
    /// Walks `root`, plus `extra` folders given relative to it (they may start with `../`).
    pub fn open(root: &Path, extra: &[String]) -> io::Result<WorkTree> {
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not a directory", root.display()),
            ));
        }
        let mut files = Vec::new();
        walk(root, root, &mut files);
        for dir in extra {
            let abs = root.join(dir);
            if abs.is_dir() && !is_inside(root, &abs) {
                walk(root, &abs, &mut files);
            }
        }
        files.sort();
        files.dedup();
        Ok(WorkTree {
            root: root.to_path_buf(),
            files,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Snapshot for WorkTree {
    fn files(&self) -> &[String] {
        &self.files
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(path))
    }

    fn label(&self) -> String {
        "working tree".into()
    }

    fn list_dir(&self, dir: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.root.join(dir)) else {
            return Vec::new();
        };
        let mut out: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| join(dir, &e.file_name().to_string_lossy()))
            .collect();
        out.sort();
        out
    }
}

fn is_inside(root: &Path, dir: &Path) -> bool {
    match (root.canonicalize(), dir.canonicalize()) {
        (Ok(r), Ok(d)) => d.starts_with(r),
        _ => false,
    }
}

fn walk(root: &Path, start: &Path, out: &mut Vec<String>) {
    // Resolved once per walk; each entry is then a cheap prefix strip.
    let prefix = if start == root {
        Some(String::new())
    } else {
        relative(root, start)
    };
    let Some(prefix) = prefix else { return };
    let walker = ignore::WalkBuilder::new(start)
        // Stack files (.cycloid.yml, .forms.yml) are dotfiles.
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let name = e.file_name();
            // `.terraform/` holds downloaded providers and modules: read only on purpose.
            name != ".git" && name != ".terraform" && name != "node_modules"
        })
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rest) = entry.path().strip_prefix(start) else {
            continue;
        };
        let mut rel = prefix.clone();
        for c in rest.components() {
            if let Component::Normal(s) = c {
                if !rel.is_empty() {
                    rel.push('/');
                }
                rel.push_str(&s.to_string_lossy());
            }
        }
        out.push(rel);
    }
}

/// `path` relative to `root` with `/` separators, `../` where it lies outside.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let path = path.canonicalize().ok()?;
    let mut common = 0;
    let rc: Vec<_> = root.components().collect();
    let pc: Vec<_> = path.components().collect();
    while common < rc.len() && common < pc.len() && rc[common] == pc[common] {
        common += 1;
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..rc.len() {
        parts.push("..".into());
    }
    for c in &pc[common..] {
        if let Component::Normal(s) = c {
            parts.push(s.to_string_lossy().into_owned());
        }
    }
    Some(parts.join("/"))
}

/// Joins a relative folder and a relative path, resolving `.` and `..` lexically.
pub fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

/// The folder of a relative path (`""` for the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file name of a relative path.
pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_join() {
        assert_eq!(join("infra/app", "../modules/net"), "infra/modules/net");
        assert_eq!(join("", "./x"), "x");
        assert_eq!(join("", "../../stacks"), "../../stacks");
        assert_eq!(parent("a/b/c.tf"), "a/b");
        assert_eq!(parent("c.tf"), "");
    }
}
