//! `stackgate pr` end to end: a real git repository with a pull request's base and head, the
//! built binary in a simulated Actions environment, and a fake GitHub API on loopback.

use crate::fake_github::{PREFIX, Server, TOKEN};
use crate::support::{TODAY, copy_dir, git, no_cache, repo_root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCORECARD: &str = "<!-- stackgate:scorecard -->";
const COST: &str = "<!-- stackgate:cost -->";
const ROOT: &str = "examples/acme-platform";
const INSTANCE: &str = "examples/acme-platform/deploy/prod/payments-api.stack.yaml";

/// The demo platform with the shipped stacks, committed on `main`, and a `feature` branch
/// checked out.
struct Checkout {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    path: PathBuf,
    base: String,
}

impl Checkout {
    fn new() -> Checkout {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = repo_root();
        copy_dir(&src.join("stacks"), &dir.path().join("stacks"));
        copy_dir(&src.join(ROOT), &dir.path().join(ROOT));
        git(dir.path(), &["init", "-q", "-b", "main"]);
        git(dir.path(), &["config", "user.email", "t@example.com"]);
        git(dir.path(), &["config", "user.name", "t"]);
        git(dir.path(), &["add", "."]);
        git(dir.path(), &["commit", "-q", "-m", "base"]);
        git(dir.path(), &["checkout", "-q", "-b", "feature"]);
        let base = rev(dir.path(), "main");
        Checkout {
            path: dir.path().to_path_buf(),
            _dir: dir,
            base,
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Edits a file with a text replacement and commits.
    fn change(&self, file: &str, from: &str, to: &str, message: &str) {
        let p = self.path().join(file);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
        self.commit(message);
    }

    fn commit(&self, message: &str) {
        git(self.path(), &["add", "-A"]);
        git(self.path(), &["commit", "-q", "-m", message]);
    }

    fn head(&self) -> String {
        rev(self.path(), "HEAD")
    }
}

fn rev(dir: &Path, name: &str) -> String {
    let out = Command::new("git")
        .args(["rev-parse", name])
        .current_dir(dir)
        .output()
        .expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The `pull_request` payload as GitHub writes it (the fields stackgate reads, and some it
/// does not).
fn event(dir: &Path, head: &str, base: &str, head_repo: &str) -> PathBuf {
    let payload = serde_json::json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "url": "https://api.github.com/repos/acme/platform/pulls/7",
            "id": 1_234_567,
            "number": 7,
            "state": "open",
            "title": "Bigger payments API",
            "html_url": "https://github.com/acme/platform/pull/7",
            "user": {"login": "dev", "type": "User"},
            "head": {"label": "dev:feature", "ref": "feature", "sha": head,
                     "repo": {"full_name": head_repo, "fork": head_repo != "acme/platform"}},
            "base": {"label": "acme:main", "ref": "main", "sha": base,
                     "repo": {"full_name": "acme/platform", "fork": false}}
        },
        "repository": {"full_name": "acme/platform"},
        "sender": {"login": "dev"}
    });
    let path = dir.join("event.json");
    std::fs::write(&path, payload.to_string()).expect("write event");
    path
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
    summary: String,
    outputs: BTreeMap<String, String>,
}

impl Run {
    /// Everything the run showed anyone.
    fn everything(&self) -> String {
        format!(
            "{}{}{}{:?}",
            self.stdout, self.stderr, self.summary, self.outputs
        )
    }
}

struct Env<'a> {
    checkout: &'a Checkout,
    api: Option<String>,
    token: bool,
    head_repo: &'a str,
    args: Vec<&'a str>,
    /// The pull request's head when the job checked out another commit (a merge commit).
    head_sha: Option<String>,
}

impl<'a> Env<'a> {
    fn new(checkout: &'a Checkout, server: &Server) -> Env<'a> {
        Env {
            checkout,
            api: Some(server.api_url()),
            token: true,
            head_repo: "acme/platform",
            args: Vec::new(),
            head_sha: None,
        }
    }

    /// Runs `stackgate pr ROOT` as a runner would.
    fn run(&self) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stackgate"));
        cmd.arg("pr").arg(ROOT).args(&self.args);
        self.run_with(cmd, &[])
    }

    /// Runs a command in the simulated runner, with `extra` variables.
    fn run_with(&self, mut cmd: Command, extra: &[(&str, String)]) -> Run {
        let runner = tempfile::tempdir().expect("runner dir");
        let head = self
            .head_sha
            .clone()
            .unwrap_or_else(|| self.checkout.head());
        let ev = event(runner.path(), &head, &self.checkout.base, self.head_repo);
        let summary = runner.path().join("step_summary.md");
        let output = runner.path().join("output.txt");
        // The tests may themselves run inside GitHub Actions: nothing of the real runner leaks.
        for (k, _) in std::env::vars() {
            if k.starts_with("GITHUB_") || k.starts_with("STACKGATE_") || k.starts_with("INPUT_") {
                cmd.env_remove(k);
            }
        }
        cmd.current_dir(self.checkout.path())
            .env("NO_COLOR", "1")
            .env("STACKGATE_TODAY", TODAY)
            .env("STACKGATE_CACHE_DIR", no_cache())
            .env("STACKGATE_RETRY_BASE_MS", "10")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_EVENT_PATH", &ev)
            .env("GITHUB_REPOSITORY", "acme/platform")
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_RUN_ID", "4242")
            .env("GITHUB_BASE_REF", "main")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output);
        if let Some(api) = &self.api {
            cmd.env("GITHUB_API_URL", api);
        }
        if self.token {
            cmd.env("GITHUB_TOKEN", TOKEN);
        }
        cmd.envs(extra.iter().map(|(k, v)| (k, v)));
        let out = cmd.output().expect("stackgate runs");
        let outputs = std::fs::read_to_string(&output)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
            summary: std::fs::read_to_string(&summary).unwrap_or_default(),
            outputs,
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A change that breaks a form constraint (deny) and adds an instance (cost).
fn bigger_payments(c: &Checkout) {
    c.change(
        INSTANCE,
        "instance_type: m6i.large",
        "instance_type: m6i.8xlarge",
        "bigger",
    );
    c.change(INSTANCE, "asg_min_size: 3", "asg_min_size: 4", "more");
}

#[test]
fn comments_are_created_once_then_left_alone_then_updated_in_place() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    server.seed(3, "reviewer");
    let c = Checkout::new();
    bigger_payments(&c);
    let env = Env::new(&c, &server);

    let first = env.run();
    assert_eq!(
        first.code, 1,
        "a deny finding fails the check:\n{}",
        first.stderr
    );
    assert_eq!(server.calls("POST"), 2, "{:?}", server.state().calls);
    assert_eq!(server.calls("PATCH"), 0);
    let card = server.bodies(SCORECARD);
    let cost = server.bodies(COST);
    assert_eq!((card.len(), cost.len()), (1, 1));
    assert!(card[0].contains("payments-api-prod"), "{}", card[0]);
    assert!(
        card[0].contains(&format!(
            "https://github.com/acme/platform/blob/{}/{INSTANCE}#L17",
            c.head()
        )),
        "links go to the head's exact line:\n{}",
        card[0]
    );
    assert!(
        cost[0].contains("Monthly cost will increase by"),
        "{}",
        cost[0]
    );
    assert!(cost[0].contains("| payments-api-prod |"), "{}", cost[0]);
    assert!(
        server
            .state()
            .calls
            .iter()
            .all(|call| call.path.starts_with(PREFIX)),
        "GITHUB_API_URL's path is kept"
    );
    assert_eq!(first.outputs["deny"], "1");
    assert_eq!(first.outputs["passed"], "false");
    assert!(
        first.outputs["cost-comment-url"]
            .starts_with("https://github.com/acme/platform/pull/7#issuecomment-")
    );
    assert!(first.outputs["scorecard-comment-url"].contains("#issuecomment-"));
    assert!(first.outputs["diff-monthly-cost"].parse::<f64>().unwrap() > 0.0);
    assert!(first.summary.contains(SCORECARD) && first.summary.contains(COST));
    assert!(
        first
            .stdout
            .contains(&format!("::error file={INSTANCE},line=17")),
        "annotations name the repository path:\n{}",
        first.stdout
    );

    // A rerun with nothing new: the comments are read, neither created nor edited.
    server.clear_calls();
    let again = env.run();
    assert_eq!(again.code, 1);
    assert_eq!(
        server.calls("POST") + server.calls("PATCH") + server.calls("DELETE"),
        0
    );
    assert_eq!(server.calls("GET"), 1);
    assert!(
        again.stderr.contains("scorecard comment unchanged"),
        "{}",
        again.stderr
    );

    // A new commit: both comments are edited in place (the links follow the head).
    server.clear_calls();
    c.change(INSTANCE, "asg_min_size: 4", "asg_min_size: 5", "even more");
    let third = env.run();
    assert_eq!(server.calls("POST"), 0, "{:?}", server.state().calls);
    assert_eq!(server.calls("PATCH"), 2);
    assert_eq!(server.bodies(COST).len(), 1, "no pile-up");
    assert!(server.bodies(SCORECARD)[0].contains(&c.head()));
    assert_eq!(
        third.outputs["cost-comment-url"],
        first.outputs["cost-comment-url"]
    );

    // Fixing the problem passes the check.
    c.change(
        INSTANCE,
        "instance_type: m6i.8xlarge",
        "instance_type: m6i.large",
        "fix",
    );
    let fixed = env.run();
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert!(server.bodies(SCORECARD)[0].contains("✅"));
    for r in [&first, &again, &third, &fixed] {
        assert!(!r.everything().contains(TOKEN), "the token leaked");
    }
}

#[test]
fn more_than_a_hundred_comments_are_paged_through() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    bigger_payments(&c);
    let env = Env::new(&c, &server);
    server.seed(120, "reviewer");
    env.run();
    assert_eq!(server.calls("POST"), 2);
    // Stackgate's comments are now 121st and 122nd: on page 2 of 100.
    server.seed(130, "reviewer");
    server.clear_calls();
    c.change(INSTANCE, "asg_min_size: 4", "asg_min_size: 6", "more");
    env.run();
    assert_eq!(
        server.calls("POST"),
        0,
        "found on a later page, not posted again"
    );
    assert_eq!(server.calls("PATCH"), 2);
    assert_eq!(server.calls("GET"), 3, "252 comments, 100 a page");
    assert_eq!(server.bodies(COST).len(), 1);
}

#[test]
fn transient_errors_are_retried() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    bigger_payments(&c);
    {
        let mut s = server.state();
        s.failures.push(("GET".into(), 403, Some(1)));
        s.failures.push(("POST".into(), 500, None));
        s.failures.push(("POST".into(), 502, None));
    }
    let run = Env::new(&c, &server).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let statuses: Vec<(String, u16)> = server
        .state()
        .calls
        .iter()
        .map(|c| (c.method.clone(), c.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("GET".to_string(), 403),
            ("GET".to_string(), 200),
            ("POST".to_string(), 500),
            ("POST".to_string(), 502),
            ("POST".to_string(), 201),
            ("POST".to_string(), 201),
        ]
    );
    assert_eq!(server.bodies(SCORECARD).len(), 1, "retried, not duplicated");
    assert!(
        !run.stdout.contains("::warning title=stackgate::"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_fork_gets_the_report_in_the_job_summary() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    bigger_payments(&c);
    let mut env = Env::new(&c, &server);
    env.head_repo = "someone/platform";
    let run = env.run();
    assert_eq!(run.code, 1, "the verdict still counts:\n{}", run.stderr);
    assert!(
        server.state().calls.is_empty(),
        "a read-only token is not even tried"
    );
    assert!(run.summary.contains("comes from a fork"), "{}", run.summary);
    assert!(run.summary.contains(SCORECARD) && run.summary.contains(COST));
    assert_eq!(run.outputs["cost-comment-url"], "");
    assert!(!run.everything().contains(TOKEN));
}

#[test]
fn a_token_without_write_permission_degrades_to_the_summary() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    server.state().read_only = true;
    let c = Checkout::new();
    c.change(INSTANCE, "asg_min_size: 3", "asg_min_size: 4", "more");
    let run = Env::new(&c, &server).run();
    assert_eq!(run.code, 0, "no finding: the check passes\n{}", run.stderr);
    assert!(
        run.summary.contains("pull-requests: write"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout
            .contains("::warning title=stackgate::the cost comment was not posted"),
        "{}",
        run.stdout
    );
    assert!(!run.everything().contains(TOKEN));
}

#[test]
fn bad_credentials_never_show_the_token() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    c.change(INSTANCE, "asg_min_size: 3", "asg_min_size: 4", "more");
    let mut env = Env::new(&c, &server);
    // Talking to the wrong server: it refuses the token.
    env.api = Some(format!("{}/wrong", server.server.uri()));
    let run = env.run();
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("404") || run.stderr.contains("Not Found"),
        "{}",
        run.stderr
    );
    assert!(!run.everything().contains(TOKEN), "{}", run.everything());
}

#[test]
fn a_huge_report_is_cut_to_fit_a_comment_and_whole_in_the_summary() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    // 300 new instances, each with a value the form forbids: ~300 long findings.
    let text = std::fs::read_to_string(c.path().join(INSTANCE)).expect("read");
    let bad = text.replace("instance_type: m6i.large", "instance_type: m6i.8xlarge");
    for i in 0..300 {
        let p = c
            .path()
            .join(format!("{ROOT}/deploy/prod/generated-{i:03}.stack.yaml"));
        std::fs::write(
            p,
            bad.replace("payments-api-prod", &format!("generated-{i:03}")),
        )
        .expect("write");
    }
    c.commit("many");
    let run = Env::new(&c, &server).run();
    assert_eq!(run.code, 1);
    let status: Vec<u16> = server.state().calls.iter().map(|c| c.status).collect();
    assert!(!status.contains(&422), "{status:?}");
    let card = &server.bodies(SCORECARD)[0];
    assert!(card.len() <= 65_536, "{}", card.len());
    assert!(
        card.contains("detail sections shown in full"),
        "the cut is said"
    );
    assert!(card.contains("[job summary](https://github.com/acme/platform/actions/runs/4242)"));
    assert!(
        card.contains("more projects"),
        "the summary table is bounded"
    );
    assert!(
        run.summary.contains("generated-299"),
        "the job summary has everything"
    );
}

#[test]
fn comments_off_posts_nothing() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    bigger_payments(&c);
    let mut env = Env::new(&c, &server);
    env.args = vec!["--comment-behavior", "off", "--fail-on", "warn"];
    let run = env.run();
    assert_eq!(run.code, 1);
    assert!(server.state().calls.is_empty());
    assert!(run.summary.contains("`comments.behavior` is `off`"));
}

#[test]
fn delete_and_new_replaces_the_comment() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    bigger_payments(&c);
    let mut env = Env::new(&c, &server);
    env.run();
    let before = server.bodies(COST);
    c.change(INSTANCE, "asg_min_size: 4", "asg_min_size: 5", "even more");
    env.args = vec!["--comment-behavior", "delete-and-new"];
    server.clear_calls();
    env.run();
    assert_eq!(server.calls("DELETE"), 2);
    assert_eq!(server.calls("POST"), 2);
    let after = server.bodies(COST);
    assert_eq!(after.len(), 1);
    assert_ne!(before, after);
}

/// A shallow checkout (the `actions/checkout` default is one commit) has no base: stackgate
/// fetches it from `origin`; without a way to fetch, the error says to use `fetch-depth: 0`.
#[test]
fn a_shallow_checkout_fetches_the_base() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let origin = Checkout::new();
    bigger_payments(&origin);
    let clones = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", origin.path().display());
    let clone = |name: &str| {
        git(
            clones.path(),
            &[
                "clone", "-q", "--depth", "1", "--branch", "feature", &url, name,
            ],
        );
        Checkout {
            _dir: tempfile::tempdir().expect("tempdir"),
            path: clones.path().join(name),
            base: origin.base.clone(),
        }
    };
    let shallow = clone("shallow");
    let mut env = Env::new(&shallow, &server);
    env.args = vec!["--comment-behavior", "off"];
    let run = env.run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("fetched the base commit"),
        "{}",
        run.stderr
    );
    assert!(
        run.summary.contains("Monthly cost will increase"),
        "{}",
        run.summary
    );

    // No remote to fetch from.
    let lonely = clone("lonely");
    git(lonely.path(), &["remote", "remove", "origin"]);
    let run = Env::new(&lonely, &server).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}

/// The composite action's entry script, run as the action runs it: inputs arrive as
/// environment variables, the binary from `STACKGATE_BIN`.
#[test]
fn the_action_entry_script_runs_stackgate_pr() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let c = Checkout::new();
    c.change(INSTANCE, "asg_min_size: 3", "asg_min_size: 4", "more");
    let env = Env::new(&c, &server);
    let script = |fail_on: &str, behavior: &str| {
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join("action/run.sh"));
        // The variables action.yml maps its inputs to.
        env.run_with(
            cmd,
            &[
                ("STACKGATE_BIN", env!("CARGO_BIN_EXE_stackgate").to_string()),
                ("STACKGATE_PATH", ROOT.to_string()),
                ("STACKGATE_FAIL_ON", fail_on.to_string()),
                ("STACKGATE_COMMENT_BEHAVIOR", behavior.to_string()),
            ],
        )
    };
    let quiet = script("deny", "off");
    assert_eq!(quiet.code, 0, "{}\n{}", quiet.stdout, quiet.stderr);
    assert!(
        server.state().calls.is_empty(),
        "comment-behavior reached stackgate"
    );
    assert!(quiet.summary.contains(COST));

    c.change(
        INSTANCE,
        "asg_min_size: 4",
        "asg_min_size: 12",
        "past the slider",
    );
    let failing = script("deny", "update");
    assert_eq!(failing.code, 1, "{}\n{}", failing.stdout, failing.stderr);
    assert_eq!(server.bodies(COST).len(), 1);
    assert_eq!(server.bodies(SCORECARD).len(), 1);
    assert!(failing.outputs.contains_key("total-monthly-cost"));
    assert!(!failing.everything().contains(TOKEN));
}

/// The scorecard row of a component (by its title) in the comment.
fn component_row<'a>(card: &'a str, component: &str) -> &'a str {
    card.lines()
        .find(|l| l.starts_with(&format!("| {component} |")))
        .unwrap_or_else(|| panic!("no row for {component} in:\n{card}"))
}

#[test]
fn component_levels_are_compared_with_the_base() {
    let c = Checkout::new();
    let env = Env {
        checkout: &c,
        api: None,
        token: false,
        head_repo: "acme/platform",
        args: Vec::new(),
        head_sha: None,
    };

    // Fixing the staging ledger database lifts its component; the others stay as they were.
    c.change(
        "examples/acme-platform/deploy/staging/ledger-db.stack.yaml",
        "useCase: high-availability",
        "useCase: ha",
        "ledger: a use case that exists",
    );
    let run = env.run();
    assert_eq!(
        component_row(&run.summary, "Ledger worker")
            .split(" | ")
            .nth(2),
        Some("⬆️ silver → **gold**"),
        "{}",
        run.summary
    );
    assert!(
        !run.summary.contains("| Analytics ETL |"),
        "an untouched component is left out:\n{}",
        run.summary
    );

    // A deleted policy file is only at the base: the change touches every project, so every
    // component is listed and compared with the base judged by its own policies.
    std::fs::remove_file(
        c.path()
            .join("examples/acme-platform/policies/guardrails.yaml"),
    )
    .expect("rm");
    c.commit("no more guardrails");
    let run = env.run();
    for title in ["Analytics ETL", "Cart API", "Payments API"] {
        assert!(
            !component_row(&run.summary, title).contains('⬇'),
            "{}",
            run.summary
        );
    }
    assert!(component_row(&run.summary, "Ledger worker").contains("⬆️ silver → **gold**"));
}

#[test]
fn links_follow_the_merge_commit_where_its_lines_differ_from_the_head() {
    let mut c = Checkout::new();
    bigger_payments(&c);
    let feature = c.head();
    // Meanwhile on main: two lines on top of the same instance file.
    git(c.path(), &["checkout", "-q", "main"]);
    let p = c.path().join(INSTANCE);
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        format!("# Payments API in production.\n# Owned by payments.\n{text}"),
    )
    .expect("write");
    c.commit("main: a header");
    let base = rev(c.path(), "main");
    // What actions/checkout does for a pull request: the merge commit, detached.
    git(c.path(), &["checkout", "-q", "--detach", "main"]);
    git(
        c.path(),
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge feature into main",
            "feature",
        ],
    );
    let merge = c.head();
    assert_ne!(merge, feature);

    c.base = base;
    let env = Env {
        checkout: &c,
        api: None,
        token: false,
        head_repo: "acme/platform",
        args: Vec::new(),
        head_sha: Some(feature.clone()),
    };
    let run = env.run();
    assert!(
        run.summary.contains(&format!(
            "https://github.com/acme/platform/blob/{merge}/{INSTANCE}#L19"
        )),
        "the merge commit's line 19 is linked at the merge commit:\n{}",
        run.summary
    );
    assert!(
        !run.summary.contains(&format!("blob/{feature}/{INSTANCE}")),
        "{}",
        run.summary
    );
}
