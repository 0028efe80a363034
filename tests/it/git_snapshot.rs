//! Reading a repository at a revision from git objects: real repositories built with the `git`
//! command line, with branches that diverge so the merge base is neither side.

use std::path::{Path, PathBuf};
use std::process::Command;

use stackgate::git::{self, GitError, GitTree, ObjectId};
use stackgate::snapshot::{Snapshot, WorkTree};

/// Runs git in `dir`, isolated from the user's and the system's configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, path: &str, content: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn id(hex: &str) -> ObjectId {
    ObjectId::from_hex(hex.as_bytes()).unwrap()
}

fn init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Test"]);
    git(dir, &["config", "user.email", "test@example.com"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
    git(dir, &["config", "core.autocrlf", "false"]);
}

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff, 0xfe, 7,
];

/// A repository with history
///
/// ```text
/// c1 ── c3  main (README, catalog changed)
///   └── c2  feature = HEAD (app/main.tf changed, app/vars.tf deleted, db/main.tf added)
/// ```
struct Fixture {
    dir: tempfile::TempDir,
    c1: ObjectId,
    c2: ObjectId,
    c3: ObjectId,
}

impl Fixture {
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn platform(&self) -> PathBuf {
        self.dir.path().join("platform")
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d);
    write(d, ".gitignore", b"*.log\n.terraform/\n");
    write(d, "README.md", b"# platform\n");
    write(
        d,
        "platform/stacks/app/main.tf",
        b"resource \"x\" \"a\" {}\n",
    );
    write(d, "platform/stacks/app/vars.tf", b"variable \"v\" {}\n");
    write(d, "platform/catalog/catalog-info.yaml", b"kind: System\n");
    write(d, "platform/logo.png", PNG);
    write(d, "shared-stacks/net/main.tf", b"# shared network\n");
    write(d, "platform/debug.log", b"committed although ignored\n");
    write(
        d,
        "platform/.terraform/modules/m/main.tf",
        b"# downloaded\n",
    );
    std::os::unix::fs::symlink("stacks/app/main.tf", d.join("platform/link.tf")).unwrap();
    git(d, &["add", "."]);
    // Ignored, yet committed: part of the tree all the same.
    git(
        d,
        &["add", "-f", "platform/debug.log", "platform/.terraform"],
    );
    git(d, &["commit", "-q", "-m", "c1"]);
    let c1 = git(d, &["rev-parse", "HEAD"]);
    git(d, &["tag", "v1"]);

    git(d, &["checkout", "-q", "-b", "feature"]);
    write(
        d,
        "platform/stacks/app/main.tf",
        b"resource \"x\" \"b\" {}\n",
    );
    std::fs::remove_file(d.join("platform/stacks/app/vars.tf")).unwrap();
    write(
        d,
        "platform/stacks/db/main.tf",
        b"resource \"db\" \"d\" {}\n",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "c2"]);
    let c2 = git(d, &["rev-parse", "HEAD"]);

    git(d, &["checkout", "-q", "main"]);
    write(d, "README.md", b"# platform, v2\n");
    write(d, "platform/catalog/catalog-info.yaml", b"kind: Domain\n");
    git(d, &["commit", "-q", "-am", "c3"]);
    let c3 = git(d, &["rev-parse", "HEAD"]);
    git(d, &["update-ref", "refs/remotes/origin/main", "main"]);

    git(d, &["checkout", "-q", "feature"]);
    Fixture {
        c1: id(&c1),
        c2: id(&c2),
        c3: id(&c3),
        dir,
    }
}

#[test]
fn git_tree_is_sync_and_send() {
    fn sync_send<T: Sync + Send>() {}
    sync_send::<GitTree>();
    sync_send::<GitError>();
    let _: Option<Box<dyn Snapshot>> = None::<Box<GitTree>>.map(|t| t as Box<dyn Snapshot>);
}

#[test]
fn open_remembers_the_root_inside_the_repository() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    assert_eq!(repo.prefix(), "platform");
    assert_eq!(repo.workdir(), f.path().canonicalize().unwrap());
    assert_eq!(git::open(f.path()).unwrap().prefix(), "");
    let deep = git::open(&f.platform().join("stacks/app")).unwrap();
    assert_eq!(deep.prefix(), "platform/stacks/app");
}

#[test]
fn resolves_branches_tags_ancestors_and_shas() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    assert_eq!(repo.head().unwrap(), f.c2);
    assert_eq!(repo.resolve("HEAD").unwrap(), f.c2);
    assert_eq!(repo.resolve("main").unwrap(), f.c3);
    assert_eq!(repo.resolve("feature").unwrap(), f.c2);
    assert_eq!(repo.resolve("origin/main").unwrap(), f.c3);
    assert_eq!(repo.resolve("HEAD~1").unwrap(), f.c1);
    assert_eq!(repo.resolve("main^").unwrap(), f.c1);
    assert_eq!(repo.resolve("v1").unwrap(), f.c1);
    assert_eq!(repo.resolve(&f.c3.to_string()).unwrap(), f.c3);
    assert_eq!(repo.resolve(&git::short(f.c3)).unwrap(), f.c3);
}

#[test]
fn an_annotated_tag_peels_to_its_commit() {
    let f = fixture();
    git(f.path(), &["tag", "-a", "-m", "release", "r1", "main"]);
    let repo = git::open(f.path()).unwrap();
    assert_eq!(repo.resolve("r1").unwrap(), f.c3);
}

#[test]
fn resolve_errors_name_the_revision_and_the_repository() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    let workdir = f.path().canonicalize().unwrap();

    let err = repo.resolve("no-such-branch").unwrap_err();
    assert!(matches!(err, GitError::Resolve { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("`no-such-branch`"), "{msg}");
    assert!(msg.contains(&workdir.display().to_string()), "{msg}");

    let err = repo.resolve("HEAD~9").unwrap_err().to_string();
    assert!(err.contains("`HEAD~9`"), "{err}");

    let err = repo.resolve("").unwrap_err().to_string();
    assert!(err.contains("empty"), "{err}");

    let err = repo.resolve("HEAD^{tree}").unwrap_err();
    assert!(matches!(err, GitError::NotACommit { .. }), "{err:?}");
    assert!(err.to_string().contains("names a tree"), "{err}");
}

#[test]
fn merge_base_of_diverged_branches_is_the_fork_point() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    assert_eq!(repo.merge_base(f.c2, f.c3).unwrap(), f.c1);
    assert_eq!(repo.merge_base(f.c3, f.c2).unwrap(), f.c1);
    // An ancestor is its own merge base with a descendant.
    assert_eq!(repo.merge_base(f.c1, f.c2).unwrap(), f.c1);

    // After merging main into feature, main's tip is the best common ancestor.
    git(f.path(), &["merge", "-q", "--no-edit", "main"]);
    let merged = repo.head().unwrap();
    assert_ne!(merged, f.c2);
    assert_eq!(repo.merge_base(merged, f.c3).unwrap(), f.c3);
}

#[test]
fn unrelated_histories_have_no_merge_base() {
    let f = fixture();
    let d = f.path();
    git(d, &["checkout", "-q", "--orphan", "lonely"]);
    git(d, &["commit", "-q", "-m", "alone"]);
    let repo = git::open(d).unwrap();
    let lonely = repo.head().unwrap();
    let err = repo.merge_base(lonely, f.c3).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&git::short(lonely)), "{msg}");
    assert!(msg.contains(&git::short(f.c3)), "{msg}");
    assert!(msg.contains("unrelated"), "{msg}");

    let err = git::base_snapshot(d, "main", &[])
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("HEAD (") && err.contains("`main` ("), "{err}");
}

#[test]
fn a_shallow_clone_says_to_fetch_the_history() {
    let f = fixture();
    // Tag `v1` would bring the fork point along, and with it a merge base.
    git(f.path(), &["tag", "-d", "v1"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", f.path().display());
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            "c",
        ],
    );
    let root = clone.path().join("c");
    let repo = git::open(&root).unwrap();
    assert!(repo.is_shallow());
    let err = git::base_snapshot(&root, "origin/main", &[])
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("shallow clone?"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    assert!(err.contains("`origin/main`"), "{err}");
}

#[test]
fn unborn_head_and_paths_outside_repositories_are_errors() {
    let empty = tempfile::tempdir().unwrap();
    init(empty.path());
    let repo = git::open(empty.path()).unwrap();
    let err = repo.head().unwrap_err();
    assert!(matches!(err, GitError::UnbornHead { .. }), "{err:?}");
    assert!(err.to_string().contains("`main` is unborn"), "{err}");
    let err = git::base_snapshot(empty.path(), "main", &[]).err().unwrap();
    assert!(matches!(err, GitError::UnbornHead { .. }), "{err:?}");

    let plain = tempfile::tempdir().unwrap();
    let err = git::open(plain.path()).err().unwrap();
    assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
    assert!(err.to_string().contains("is not inside a git repository"));

    let err = git::open(&plain.path().join("missing")).err().unwrap();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn base_snapshot_reads_the_merge_base_under_the_root() {
    let f = fixture();
    let extra = vec![
        "../shared-stacks".to_string(),
        "../../elsewhere".to_string(),
    ];
    let (tree, info) = git::base_snapshot(&f.platform(), "main", &extra).unwrap();
    assert_eq!(info.rev, "main");
    assert_eq!(info.merge_base, f.c1);
    assert_eq!(info.head, f.c2);
    assert_eq!(info.target, f.c3);
    assert_eq!(tree.commit(), f.c1);
    assert_eq!(tree.label(), format!("main@{}", &f.c1.to_string()[..7]));

    // The base state: vars.tf still there, db/ not yet; the symlink and `.terraform/` left out
    // as the working-tree walk leaves them out; the committed ignored file present.
    assert_eq!(
        tree.files(),
        [
            "../shared-stacks/net/main.tf",
            "catalog/catalog-info.yaml",
            "debug.log",
            "logo.png",
            "stacks/app/main.tf",
            "stacks/app/vars.tf",
        ]
    );
    assert_eq!(tree.read("logo.png").unwrap(), PNG);
    assert_eq!(
        tree.read("catalog/catalog-info.yaml").unwrap(),
        b"kind: System\n"
    );
    assert_eq!(
        tree.read("../shared-stacks/net/main.tf").unwrap(),
        b"# shared network\n"
    );
    assert_eq!(
        tree.read("stacks/db/main.tf").unwrap_err().kind(),
        std::io::ErrorKind::NotFound
    );
    assert!(tree.read("link.tf").is_err());

    // `.terraform/` stays readable through list_dir, as on disk.
    assert_eq!(
        tree.list_dir(".terraform/modules/m"),
        [".terraform/modules/m/main.tf"]
    );
    assert_eq!(
        tree.read(".terraform/modules/m/main.tf").unwrap(),
        b"# downloaded\n"
    );
    assert_eq!(tree.list_dir(""), ["debug.log", "logo.png"]);
    assert_eq!(tree.list_dir("stacks"), Vec::<String>::new());

    assert_eq!(tree.notes().len(), 1, "{:?}", tree.notes());
    assert!(tree.notes()[0].contains("../../elsewhere"));
    assert!(tree.notes()[0].contains("outside the repository"));
}

#[test]
fn tree_at_head_from_the_repository_root() {
    let f = fixture();
    let repo = git::open(f.path()).unwrap();
    // An extra folder inside the root is already part of the walk.
    let tree = repo.tree_at(f.c2, &["shared-stacks".to_string()]).unwrap();
    assert_eq!(tree.label(), git::short(f.c2));
    assert_eq!(
        tree.files(),
        [
            ".gitignore",
            "README.md",
            "platform/catalog/catalog-info.yaml",
            "platform/debug.log",
            "platform/logo.png",
            "platform/stacks/app/main.tf",
            "platform/stacks/db/main.tf",
            "shared-stacks/net/main.tf",
        ]
    );
    assert!(tree.notes().is_empty());
}

#[test]
fn a_root_missing_at_the_commit_is_an_empty_snapshot_with_a_note() {
    let f = fixture();
    let repo = git::open(&f.platform().join("stacks/db")).unwrap();
    let tree = repo.tree_at(f.c1, &[]).unwrap();
    assert!(tree.files().is_empty());
    assert_eq!(tree.notes().len(), 1);
    assert!(tree.notes()[0].contains("platform/stacks/db"));
}

/// The same commit read from objects and checked out on disk gives the same bytes.
#[test]
fn git_tree_matches_the_work_tree_at_the_same_commit() {
    let f = fixture();
    let checkout = tempfile::tempdir().unwrap();
    let wt = checkout.path().join("wt");
    git(
        f.path(),
        &[
            "worktree",
            "add",
            "-q",
            "--detach",
            wt.to_str().unwrap(),
            &f.c1.to_string(),
        ],
    );
    let extra = vec!["../shared-stacks".to_string()];
    let on_disk = WorkTree::open(&wt.join("platform"), &extra).unwrap();
    let repo = git::open(&f.platform()).unwrap();
    let tree = repo.tree_at(f.c1, &extra).unwrap();

    // The one difference: a file committed despite `.gitignore` is in the tree, not in the walk.
    let mut expected: Vec<String> = on_disk.files().to_vec();
    expected.push("debug.log".into());
    expected.sort();
    assert_eq!(tree.files(), expected);
    for path in on_disk.files() {
        assert_eq!(
            tree.read(path).unwrap(),
            on_disk.read(path).unwrap(),
            "{path}"
        );
    }
    assert_eq!(tree.list_dir("stacks/app"), on_disk.list_dir("stacks/app"));

    // A linked work tree opens too, and reads the same objects.
    let linked = git::open(&wt.join("platform")).unwrap();
    assert_eq!(linked.head().unwrap(), f.c1);
    let from_linked = linked.tree_at(f.c1, &extra).unwrap();
    assert_eq!(from_linked.files(), tree.files());
    assert_eq!(from_linked.read("logo.png").unwrap(), PNG);
    // Other threads open their own handle from the linked work tree's git folder.
    std::thread::scope(|s| {
        s.spawn(|| assert_eq!(from_linked.read("logo.png").unwrap(), PNG));
    });
}

#[test]
fn reads_from_many_threads_at_once() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    let tree = repo.tree_at(f.c2, &[]).unwrap();
    let expected: Vec<Vec<u8>> = tree.files().iter().map(|p| tree.read(p).unwrap()).collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for (p, want) in tree.files().iter().zip(&expected) {
                    assert_eq!(&tree.read(p).unwrap(), want, "{p}");
                }
            });
        }
    });
}

#[test]
fn changed_paths_between_commits() {
    let f = fixture();
    let repo = git::open(&f.platform()).unwrap();
    assert_eq!(
        repo.changed_paths(f.c1, Some(f.c2)).unwrap(),
        [
            "stacks/app/main.tf",
            "stacks/app/vars.tf",
            "stacks/db/main.tf"
        ]
    );
    // Outside the root: `../`, as in the snapshots.
    assert_eq!(
        repo.changed_paths(f.c1, Some(f.c3)).unwrap(),
        ["../README.md", "catalog/catalog-info.yaml"]
    );
    assert_eq!(
        repo.changed_paths(f.c3, Some(f.c2)).unwrap(),
        [
            "../README.md",
            "catalog/catalog-info.yaml",
            "stacks/app/main.tf",
            "stacks/app/vars.tf",
            "stacks/db/main.tf",
        ]
    );
    assert!(repo.changed_paths(f.c2, Some(f.c2)).unwrap().is_empty());
}

#[test]
fn changed_paths_of_a_folder_replaced_by_a_file() {
    let f = fixture();
    let d = f.path();
    git(d, &["rm", "-q", "-r", "platform/stacks/app"]);
    write(d, "platform/stacks/app", b"now a file\n");
    git(d, &["add", "platform/stacks/app"]);
    git(d, &["commit", "-q", "-m", "c4"]);
    let repo = git::open(d).unwrap();
    let c4 = repo.head().unwrap();
    assert_eq!(
        repo.changed_paths(f.c2, Some(c4)).unwrap(),
        ["platform/stacks/app", "platform/stacks/app/main.tf"]
    );
}

#[test]
fn changed_paths_against_the_work_tree() {
    let f = fixture();
    let d = f.path();
    let repo = git::open(&f.platform()).unwrap();
    assert!(repo.changed_paths(f.c2, None).unwrap().is_empty());

    write(
        d,
        "platform/stacks/db/main.tf",
        b"resource \"db\" \"e\" {}\n",
    );
    std::fs::remove_file(d.join("platform/logo.png")).unwrap();
    write(d, "platform/stacks/cache/main.tf", b"# new, untracked\n");
    write(d, "platform/trace.log", b"ignored, untracked\n");
    // Tracked although ignored: a change still counts.
    write(d, "platform/debug.log", b"changed\n");
    assert_eq!(
        repo.changed_paths(f.c2, None).unwrap(),
        [
            "debug.log",
            "logo.png",
            "stacks/cache/main.tf",
            "stacks/db/main.tf",
        ]
    );
    // Against the merge base: the branch's own commits count too.
    assert_eq!(
        repo.changed_paths(f.c1, None).unwrap(),
        [
            "debug.log",
            "logo.png",
            "stacks/app/main.tf",
            "stacks/app/vars.tf",
            "stacks/cache/main.tf",
            "stacks/db/main.tf",
        ]
    );
}
