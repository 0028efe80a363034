//! Command-line interface (clap derive). Parsing only; `main` runs and exits.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "stackgate",
    version,
    about = "Policy, cost and catalog checks for GitOps platform repositories",
    long_about = "stackgate reads a platform repository (Terraform, Cycloid stacks and their forms, \
stack instances, Backstage catalog files) and reports, with exact file and line, what is broken."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check stacks, forms, stack instances, Terraform and catalog files; exit 1 on failure.
    Check(CheckArgs),
    /// Show the resources stackgate evaluated for each project (what the engine understood).
    Inspect(InspectArgs),
    /// Estimate the monthly cost of every project, and with --base the difference a change makes.
    Cost(CostArgs),
    /// Score catalog entities against the repository's scorecards (levels, rules, facts).
    Score(ScoreArgs),
    /// Build the static catalog site: entities, stacks, instances, policies, scores, costs.
    Site(SiteArgs),
    /// The pull request job: check, cost of head and base, scorecards of what the change
    /// touches; two sticky comments, the job summary, outputs and annotations (GitHub Actions).
    Pr(PrArgs),
    /// Refresh or inspect the price book.
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
    },
    /// Explain a finding code (`parse-error`), a policy kind (`tags`) or a configured policy
    /// (`required-tags`); without an argument, list codes and kinds.
    Explain {
        /// A finding code, a policy kind, or the id of a policy in the repository's policy files.
        code: Option<String>,
        /// The repository whose policies a policy id is looked up in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Fail on findings at or above this level (overrides `fail_on` in stackgate.yaml).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Colour in the human format.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Print how long each stage took (and how many resources and policies) to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Check cost budgets against the merge base of HEAD and this revision too
    /// (`max_increase`); the base is read from git objects.
    #[arg(long)]
    pub base: Option<String>,
    /// Where `stackgate pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CostArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Compare with the merge base of HEAD and this revision (a branch, tag or commit), read
    /// from git objects.
    #[arg(long)]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    /// An Infracost usage file (replaces `usage_file` of stackgate.yaml).
    #[arg(long)]
    pub usage_file: Option<PathBuf>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Where `stackgate pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Where `stackgate pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The folder to write the site into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Show when the site was built (off by default: the same repository gives the same bytes).
    #[arg(long)]
    pub timestamp: bool,
    /// Where `stackgate pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct PrArgs {
    /// The repository root (a folder of the checkout).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Fail on findings at or above this level in what the change touches (overrides
    /// `fail_on` in stackgate.yaml).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// How the two comments are kept (overrides `comments.behavior` in stackgate.yaml).
    #[arg(long, value_enum)]
    pub comment_behavior: Option<CommentBehaviorArg>,
    /// Where `stackgate pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentBehaviorArg {
    /// Edit the comment in place (default).
    Update,
    /// Post a new comment when the report changed.
    New,
    /// Delete the old comment and post a new one when the report changed.
    DeleteAndNew,
    /// Post nothing; the job summary still has the report.
    Off,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Subcommand, Debug)]
pub enum PricingCommand {
    /// Download current list prices from the public price lists into the local cache.
    Sync(SyncArgs),
    /// Show where prices come from, or the prices of products matching a filter.
    Show(ShowArgs),
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// Only this cloud (repeatable): aws, azure.
    #[arg(long = "cloud")]
    pub clouds: Vec<String>,
    /// Only this region (repeatable); default: the major regions.
    #[arg(long = "region")]
    pub regions: Vec<String>,
    /// Base URL of a mirror of the price lists (replaces the public endpoints).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Where to keep prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// Only rows whose cloud, service, product or region contains this text (all must match
    /// when repeated).
    pub filter: Vec<String>,
    /// Where `pricing sync` keeps prices (default: the XDG cache folder).
    #[arg(long, env = "STACKGATE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    /// The repository root.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only this project (its name or path).
    #[arg(long, short)]
    pub project: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectFormat {
    Table,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Deny,
    Warn,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}
