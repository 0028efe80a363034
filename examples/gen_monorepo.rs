//! Writes a synthetic platform monorepo for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen_monorepo -- --out DIR [--instances 1000] [--tf-files 1000]
//!     [--stacks 10] [--components N] [--seed 42] [--force]
//! ```
//!
//! The repository has a `stackgate.yaml`, stacks (the starter stacks of `stacks/`, read at run
//! time, plus variations of them under new canonicals), stack instances spread over
//! environments and teams, plain Terraform roots calling local modules, a Backstage catalog
//! (about one component per five instances), policies, a scorecard and a `.gitignore`.
//! Exactly `--tf-files` `.tf` files are written, stacks included.
//!
//! The output depends only on the arguments: a xorshift generator seeded from `--seed` makes
//! every choice. About 2% of the instances are broken on purpose, one kind of problem after
//! the other; `expected-findings.tsv` lists them (file and finding code) for tests.

#[path = "gen_monorepo/catalog.rs"]
mod catalog;
#[path = "gen_monorepo/instances.rs"]
mod instances;
#[path = "gen_monorepo/terraform.rs"]
mod terraform;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_monorepo --out DIR [--instances N] [--tf-files N] [--stacks N] [--components N] [--seed N] [--force]

  --out DIR        where to write the repository (created; must be empty unless --force)
  --instances N    stack instances to write (default 1000)
  --tf-files N     total .tf files, stacks included (default 1000)
  --stacks N       stacks: the starter stacks, then variations of them (default 10)
  --components N   catalog components (each with its API or resource; default instances / 5)
  --seed N         seed of the generator; the same arguments give the same files (default 42)
  --force          replace DIR if it holds an earlier output of this generator";

/// The file marking a folder as this generator's output (and listing the planted problems).
const MARKER: &str = "expected-findings.tsv";

struct Args {
    out: PathBuf,
    instances: usize,
    tf_files: usize,
    stacks: usize,
    /// Catalog components; `None`: one per five instances.
    components: Option<usize>,
    seed: u64,
    force: bool,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = None;
    let mut args = Args {
        out: PathBuf::new(),
        instances: 1000,
        tf_files: 1000,
        stacks: 10,
        components: None,
        seed: 42,
        force: false,
    };
    while let Some(arg) = it.next() {
        // Both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        let number = |v: String| -> Result<u64, String> {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("`{v}` is not a non-negative integer"))
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--instances" => args.instances = number(value()?)? as usize,
            "--tf-files" => args.tf_files = number(value()?)? as usize,
            "--stacks" => args.stacks = number(value()?)? as usize,
            "--components" => args.components = Some(number(value()?)? as usize),
            "--seed" => args.seed = number(value()?)?,
            "--force" => args.force = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    args.out = out.ok_or("`--out DIR` is required")?;
    Ok(Some(args))
}

/// xorshift64* (Marsaglia; Vigna's multiplier): small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let s = seed ^ 0x9E37_79B9_7F4A_7C15;
        Rng(if s == 0 { 1 } else { s })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i64
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Writes files under the output root, counting them.
pub struct Out {
    root: PathBuf,
    made: BTreeSet<PathBuf>,
    pub files: usize,
    pub tf_files: usize,
}

impl Out {
    pub fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent()
            && !self.made.contains(dir)
        {
            fs::create_dir_all(dir)?;
            self.made.insert(dir.to_path_buf());
        }
        fs::write(&path, text)?;
        self.files += 1;
        if rel.ends_with(".tf") {
            self.tf_files += 1;
        }
        Ok(())
    }
}

/// Teams: (name, cost center, system). Instances, components and roots are spread over them.
pub const TEAMS: &[(&str, &str, &str)] = &[
    ("payments", "CC-1001", "payments"),
    ("checkout", "CC-1002", "storefront"),
    ("data", "CC-1003", "analytics"),
    ("web", "CC-1004", "web"),
    ("platform", "CC-1000", "developer-platform"),
    ("search", "CC-1005", "search"),
    ("identity", "CC-1006", "identity"),
    ("mobile", "CC-1007", "mobile"),
];

pub const ENVIRONMENTS: &[&str] = &["dev", "staging", "prod"];

/// One stack folder: its canonical, the canonical of the starter it comes from, its files.
pub struct Stack {
    pub canonical: String,
    pub base: String,
    files: Vec<(String, String)>,
}

impl Stack {
    fn tf_count(&self) -> usize {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".tf"))
            .count()
    }
}

/// Reads every stack folder of `dir` (sorted, so the output does not depend on the file system).
fn read_starters(dir: &Path) -> io::Result<Vec<Stack>> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(".cycloid.yml").is_file())
        .collect();
    dirs.sort();
    let mut stacks = Vec::new();
    for d in dirs {
        let mut files = Vec::new();
        collect_files(&d, &d, &mut files)?;
        files.sort();
        let canonical = files
            .iter()
            .find(|(p, _)| p == ".cycloid.yml")
            .and_then(|(_, text)| {
                text.lines()
                    .find_map(|l| l.strip_prefix("canonical:"))
                    .map(|c| c.trim().trim_matches(['\'', '"']).to_string())
            })
            .unwrap_or_else(|| {
                d.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        stacks.push(Stack {
            base: canonical.clone(),
            canonical,
            files,
        });
    }
    Ok(stacks)
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// The starters first, then variations (`<canonical>-v2`, `-v3`, …) until `wanted` stacks or
/// the `.tf` budget is reached.
fn choose_stacks(starters: &[Stack], wanted: usize, tf_budget: usize) -> Vec<Stack> {
    let mut out: Vec<Stack> = Vec::new();
    let mut used = 0;
    for i in 0..wanted {
        let Some(base) = starters.get(i % starters.len().max(1)) else {
            break;
        };
        let cost = base.tf_count();
        if used + cost > tf_budget {
            break;
        }
        used += cost;
        let round = i / starters.len();
        if round == 0 {
            out.push(Stack {
                canonical: base.canonical.clone(),
                base: base.base.clone(),
                files: base.files.clone(),
            });
        } else {
            out.push(variation(base, round + 1));
        }
    }
    out
}

/// A copy of a stack under a new canonical, with a different display name and default region,
/// as teams do when they fork a golden path.
fn variation(base: &Stack, n: usize) -> Stack {
    let canonical = format!("{}-v{n}", base.canonical);
    let files = base
        .files
        .iter()
        .map(|(path, text)| {
            let mut text = text.replace(&base.canonical, &canonical);
            if path == ".cycloid.yml" {
                text = text
                    .lines()
                    .map(|l| match l.strip_prefix("name: ") {
                        Some(name) => format!("name: {name} (variant {n})\n"),
                        None => format!("{l}\n"),
                    })
                    .collect();
            }
            (path.clone(), text)
        })
        .collect();
    Stack {
        canonical,
        base: base.base.clone(),
        files,
    }
}

fn prepare_out_dir(args: &Args) -> Result<(), String> {
    let dir = &args.out;
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            if !args.force {
                return Err(format!(
                    "{} is not empty (use --force to replace an earlier output)",
                    dir.display()
                ));
            }
            // Only ever delete what this generator wrote.
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "{} was not written by gen_monorepo (no {MARKER}); refusing to delete it",
                    dir.display()
                ));
            }
            fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// `stackgate.yaml`; the stacks and instances lines are added when there are some, since a
/// pattern that matches nothing is worth a warning.
const CONFIG: &str = "# Generated by examples/gen_monorepo.rs.
version: 1
catalog: [\"catalog/**/catalog-info.yaml\", \"services/**/catalog-info.yaml\"]
policies: [\"policies/\"]
scorecards: [\"scorecards/\"]
site:
  title: Generated monorepo
fail_on: deny
";

const GITIGNORE: &str = ".terraform/
*.tfstate
*.tfstate.backup
crash.log
/site/
";

const POLICIES: &str = "version: 1
policies:
  - id: allowed-regions
    kind: region
    level: deny
    allow: [eu-west-1, eu-west-3, eu-central-1, us-east-1, westeurope, northeurope, francecentral]
  - id: instance-size-cap
    kind: instance-type
    level: deny
    allow: [\"t3.*\", \"t4g.*\", \"m5.*\", \"m6i.*\", \"m6g.*\", \"c6i.*\", \"c6g.*\", \"db.t3.*\", \"db.t4g.*\", \"db.m5.*\", \"db.m6g.*\", \"db.r6g.*\", \"Standard_B*\", \"Standard_D*s_v5\", \"Standard_E*s_v5\"]
    max_size: 2xlarge
    where: { environment: [dev, staging] }
  - id: required-tags
    kind: tags
    level: deny
    required:
      owner: {}
      cost-center: { pattern: \"^CC-[0-9]{4}$\" }
      environment: { allowed: [dev, staging, prod] }
  - id: prod-budget
    kind: cost
    level: warn
    max_monthly: 5000
    where: { environment: [prod] }
  - id: s3-encryption
    kind: attribute
    level: deny
    resource_types: [aws_s3_bucket]
    check: { path: server_side_encryption_configuration, op: exists }
";

/// Regions the starter forms offer that `POLICIES` does not allow.
const FORBIDDEN_OFFERS: &[&str] = &[
    "us-west-2",
    "germanywestcentral",
    "uksouth",
    "swedencentral",
    "eastus",
];

const SCORECARD: &str = "scorecard: production-readiness
applies_to: { kinds: [Component], types: [service] }
levels: [{ name: bronze, rank: 1 }, { name: silver, rank: 2 }, { name: gold, rank: 3 }]
rules:
  - { id: has-owner, level: bronze, check: { path: spec.owner, op: exists } }
  - { id: has-runbook, level: silver, check: { path: \"metadata.links[?title=='Runbook']\", op: exists } }
  - { id: on-call, level: silver, check: { path: \"metadata.annotations['pagerduty.com/service-id']\", op: exists } }
  - { id: policy-clean, level: gold, check: { fact: policy.deny, op: eq, value: 0 } }
";

fn run(args: &Args) -> Result<String, String> {
    let starters_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks");
    let starters = read_starters(&starters_dir)
        .map_err(|e| format!("cannot read {}: {e}", starters_dir.display()))?;
    let stacks = choose_stacks(&starters, args.stacks, args.tf_files);
    let usable: Vec<&Stack> = stacks
        .iter()
        .filter(|s| instances::knows(&s.base))
        .collect();
    if args.instances > 0 && usable.is_empty() {
        return Err(format!(
            "no stack for the instances: --stacks {} and --tf-files {} allow none of the {} starter stacks of {} \
(each stack's .tf files count towards --tf-files)",
            args.stacks,
            args.tf_files,
            starters.len(),
            starters_dir.display()
        ));
    }
    prepare_out_dir(args)?;
    let mut out = Out {
        root: args.out.clone(),
        made: BTreeSet::new(),
        files: 0,
        tf_files: 0,
    };
    let io = |e: io::Error| format!("cannot write into {}: {e}", args.out.display());
    let mut rng = Rng::new(args.seed);

    let mut config = CONFIG.to_string();
    if !stacks.is_empty() {
        config.push_str("stacks: [\"stacks/*\"]\n");
    }
    if args.instances > 0 {
        config.push_str("instances: [\"deploy/**/*.stack.yaml\"]\n");
    }
    out.write("stackgate.yaml", &config).map_err(io)?;
    out.write(".gitignore", GITIGNORE).map_err(io)?;
    out.write("policies/guardrails.yaml", POLICIES)
        .map_err(io)?;
    out.write("scorecards/production-readiness.yaml", SCORECARD)
        .map_err(io)?;
    // Policy findings known before any instance: a form offering a region the guardrails
    // forbid is worth a warning. (The $5,000 budget is checked against the estimate; no
    // generated instance comes near it.)
    let mut policy_findings: Vec<(String, &str)> = Vec::new();
    for s in &stacks {
        for (path, text) in &s.files {
            out.write(&format!("stacks/{}/{path}", s.canonical), text)
                .map_err(io)?;
            if path == ".forms.yml" && FORBIDDEN_OFFERS.iter().any(|r| text.contains(r)) {
                policy_findings.push((
                    format!("stacks/{}/.forms.yml", s.canonical),
                    "form-offers-forbidden",
                ));
            }
        }
    }
    let components = args
        .components
        .unwrap_or_else(|| args.instances.div_ceil(5))
        .max(1);
    let problems =
        instances::write(&mut out, &mut rng, &usable, args.instances, components).map_err(io)?;
    let entities = catalog::write(&mut out, &mut rng, components).map_err(io)?;
    let budget = args.tf_files.saturating_sub(out.tf_files);
    let (roots, modules) = terraform::write(&mut out, &mut rng, budget).map_err(io)?;

    let mut tsv = String::from("# file\tfinding code (problems planted by gen_monorepo)\n");
    for (file, code) in policy_findings.iter().chain(&problems) {
        tsv.push_str(&format!("{file}\t{code}\n"));
    }
    out.write(MARKER, &tsv).map_err(io)?;

    Ok(format!(
        "gen_monorepo: wrote {} files to {}: {} stacks, {} stack instances ({} with planted problems), \
{} .tf files ({} roots, {} modules), {} catalog entities",
        out.files,
        args.out.display(),
        stacks.len(),
        args.instances,
        problems.len(),
        out.tf_files,
        roots,
        modules,
        entities
    ))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen_monorepo: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_monorepo: {e}");
            ExitCode::FAILURE
        }
    }
}
