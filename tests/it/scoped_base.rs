//! The base of a comparison is evaluated only where the change touches it; every other project
//! is taken from the head. These tests hold that shortcut to the long way: after each kind of
//! change, the base's costs and scorecard levels must equal those of a full evaluation of the
//! base tree.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{copy_dir, git};
use stackgate::check;
use stackgate::compare;
use stackgate::cost::estimate::CostReport;
use stackgate::git;
use stackgate::knowledge;
use stackgate::pricing::snapshot;

/// The demo platform and the shipped stacks it uses from `../../stacks`, committed, plus a
/// root whose instance type comes from a file outside its folder.
fn demo_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = crate::support::repo_root();
    copy_dir(&src.join("stacks"), &dir.path().join("stacks"));
    copy_dir(
        &src.join("examples/acme-platform"),
        &dir.path().join("examples/acme-platform"),
    );
    let root = dir.path().join("examples/acme-platform");
    std::fs::create_dir_all(root.join("infra/batch")).expect("mkdir");
    std::fs::create_dir_all(root.join("sizes")).expect("mkdir");
    std::fs::write(root.join("sizes/batch.txt"), "m5.large\n").expect("write");
    std::fs::write(
        root.join("infra/batch/main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\nresource \"aws_instance\" \"batch\" {\n  ami           = \"ami-1\"\n  instance_type = trimspace(file(\"${path.module}/../../sizes/batch.txt\"))\n  tags = { owner = \"data\", environment = \"prod\", cost-center = \"CC-1234\" }\n}\n",
    )
    .expect("write");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.email", "t@example.com"]);
    git(dir.path(), &["config", "user.name", "t"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

/// Per project: path and monthly cost in cents (unknown as -1), resources by address.
fn summary(cost: &CostReport) -> Vec<(String, i64, Vec<String>)> {
    cost.projects
        .iter()
        .map(|p| {
            (
                p.path.clone(),
                (p.monthly_cost() * 100.0).round() as i64,
                p.resources.iter().map(|r| r.address.clone()).collect(),
            )
        })
        .collect()
}

/// The base as a full evaluation of the merge base's tree sees it.
fn full_base(root: &Path, head_inputs: &stackgate::cost::inputs::CostInputs) -> CostReport {
    let config = std::fs::read(root.join("stackgate.yaml")).ok();
    let extra = check::outside_dirs(config.as_deref());
    let (tree, _) = git::base_snapshot(root, "HEAD", &extra).expect("base snapshot");
    let mut e = check::evaluate(&tree, None);
    e.cost_inputs = head_inputs.clone();
    e.price(snapshot::book())
}

fn assert_same_as_full(root: &Path, what: &str) -> (usize, usize) {
    let compared = compare::run(root, Some("HEAD"), None, snapshot::book()).expect("compare");
    let base = compared.base.expect("a base");
    let head_inputs = check::evaluate(&check::open_dir(root).expect("open"), None).cost_inputs;
    let full = full_base(root, &head_inputs);
    assert_eq!(summary(&base.cost), summary(&full), "{what}");
    // How many projects the change touched, of how many.
    let changed: BTreeSet<String> = base.info.changed.iter().cloned().collect();
    let counts = (changed.len(), full.projects.len());

    // The base's scores from the scoped evaluation and the head, as `stackgate pr` makes them.
    let scoped =
        knowledge::scores_of_base(base.evaluated, base.cost, &base.files, &compared.head, None);
    let config = std::fs::read(root.join("stackgate.yaml")).ok();
    let extra = check::outside_dirs(config.as_deref());
    let (tree, _) = git::base_snapshot(root, "HEAD", &extra).expect("base snapshot");
    let full = knowledge::scores_of(&tree, snapshot::book(), None);
    let json = |s: &stackgate::score::Scores| serde_json::to_string_pretty(s).expect("json");
    assert_eq!(json(&scoped), json(&full), "{what}: scores");
    counts
}

#[test]
fn every_kind_of_change_prices_the_base_as_a_full_evaluation_does() {
    let repo = demo_repo();
    let root = repo.path().join("examples/acme-platform");
    let edit = |path: &str, from: &str, to: &str| {
        let p = root.join(path);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{path} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
    };
    let reset = || {
        git(repo.path(), &["checkout", "-q", "--", "."]);
        git(repo.path(), &["clean", "-qfd"]);
    };

    let (changed, projects) = assert_same_as_full(&root, "nothing changed");
    assert_eq!(changed, 0);
    assert!(projects > 20, "{projects}");

    // A fix that lifts a component's level at the head: the base keeps it where it was.
    edit(
        "deploy/staging/ledger-db.stack.yaml",
        "useCase: high-availability",
        "useCase: ha",
    );
    let level = |scores: &stackgate::score::Scores| {
        scores.cards[0]
            .entities
            .iter()
            .find(|e| e.entity == "component:default/ledger-worker")
            .map(|e| e.level.clone())
            .expect("ledger-worker scored")
    };
    let compared = compare::run(&root, Some("HEAD"), None, snapshot::book()).expect("compare");
    let head = knowledge::link(
        &compared.head,
        compared.head.cost.as_ref(),
        &compared.files,
        None,
    );
    let base = compared.base.expect("base");
    let at_base =
        knowledge::scores_of_base(base.evaluated, base.cost, &base.files, &compared.head, None);
    assert_ne!(
        level(&head.scores),
        level(&at_base),
        "the fix shows at the head only"
    );
    assert_same_as_full(&root, "a fixed instance");
    reset();

    edit("deploy/prod/cart-api.stack.yaml", "cart-api", "cart-api2");
    assert_same_as_full(&root, "an instance file");
    reset();

    std::fs::remove_file(root.join("deploy/prod/payments-db.stack.yaml")).expect("rm");
    assert_same_as_full(&root, "an instance removed");
    reset();

    std::fs::copy(
        root.join("deploy/prod/payments-db.stack.yaml"),
        root.join("deploy/prod/payments-db2.stack.yaml"),
    )
    .expect("copy");
    assert_same_as_full(&root, "an instance added");
    reset();

    edit(
        "infra/modules/vpc/main.tf",
        "resource",
        "# a comment\nresource",
    );
    assert_same_as_full(&root, "a module two roots call");
    reset();

    edit("sizes/batch.txt", "m5.large", "m5.2xlarge");
    let compared = compare::run(&root, Some("HEAD"), None, snapshot::book()).expect("compare");
    let base = compared.base.expect("base");
    let batch = base.cost.project("infra/batch").expect("batch at the base");
    assert!(
        batch.resources[0].components[0].name.contains("m5.large"),
        "the base reads the file as committed: {:?}",
        batch.resources[0].components[0]
    );
    assert_same_as_full(&root, "a file read by file()");
    reset();

    // A shipped stack's Terraform, outside the root.
    let stack_tf = repo.path().join("stacks");
    let stack_main = std::fs::read_dir(&stack_tf)
        .expect("stacks")
        .flatten()
        .map(|e| e.path().join("terraform/main.tf"))
        .find(|p| p.exists())
        .expect("a stack with terraform/main.tf");
    let text = std::fs::read_to_string(&stack_main).expect("read");
    std::fs::write(&stack_main, format!("# changed\n{text}")).expect("write");
    assert_same_as_full(&root, "a stack's Terraform");
    reset();

    edit("stackgate.yaml", "fail_on: deny", "fail_on: warn");
    assert_same_as_full(&root, "the settings");
    reset();

    // A root becomes a module another root calls: at the head it is no project of its own,
    // at the base it still is, with its files unchanged.
    let dns = root.join("infra/dns/main.tf");
    let text = std::fs::read_to_string(&dns).expect("read");
    std::fs::write(
        &dns,
        format!("{text}\nmodule \"batch\" {{\n  source = \"../batch\"\n}}\n"),
    )
    .expect("write");
    let compared = compare::run(&root, Some("HEAD"), None, snapshot::book()).expect("compare");
    assert!(
        compared
            .head
            .report
            .projects
            .iter()
            .all(|p| p.path != "infra/batch")
    );
    let base = compared.base.expect("base");
    assert!(base.cost.project("infra/batch").is_some());
    assert_same_as_full(&root, "a root that became a module");
    reset();
}
