//! The binary: parse arguments, run, render, and turn the outcome into an exit code. The only
//! place that exits.

mod cli;

use anyhow::Context;
use clap::Parser;
use cli::{
    CheckArgs, Cli, ColorArg, Command, CommentBehaviorArg, CostArgs, CostFormat, FailOn, FormatArg,
    InspectArgs, InspectFormat, PrArgs, PricingCommand, ScoreArgs, ShowArgs, SiteArgs, SyncArgs,
};
use stackgate::finding::Level;
use stackgate::report::{self, Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

// The run allocates many small values (parsed files, evaluated resources) across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Inspect(args) => inspect(args),
        Command::Cost(args) => cost(args),
        Command::Score(args) => score(args),
        Command::Site(args) => site(args),
        Command::Pr(args) => pr(args),
        Command::Pricing { command } => match command {
            PricingCommand::Sync(args) => pricing_sync(args),
            PricingCommand::Show(args) => pricing_show(args),
        },
        Command::Explain { code, dir } => explain(code.as_deref(), &dir),
    }
}

fn check(args: CheckArgs) -> anyhow::Result<u8> {
    let mut run = match &args.base {
        Some(rev) => {
            let book = price_book(args.cache_dir.as_deref());
            stackgate::compare::run(&args.dir, Some(rev), None, &book)?.head
        }
        None => stackgate::check::check_dir(&args.dir)?,
    };
    if let Some(f) = args.fail_on {
        let level = level_of(f);
        run.report.summary.fail_on = level;
        run.report.summary.passed = !run.report.findings.iter().any(|f| f.level >= level);
    }
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Junit => Format::Junit,
        FormatArg::Markdown => Format::Markdown,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = report::render(
        &run.report,
        format,
        &RenderOptions {
            texts: &run.texts,
            color,
        },
    );
    match &args.output {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.write_all(out.as_bytes());
        }
    }
    if args.timings {
        let resources: usize = run.report.projects.iter().map(|p| p.resources.len()).sum();
        let mut t = format!(
            "timings ({} projects, {resources} resources, {} policies):\n",
            run.report.projects.len(),
            run.report.policies.len()
        );
        for (stage, d) in &run.timings {
            t.push_str(&format!(
                "  {stage:<20} {:>9.1} ms\n",
                d.as_secs_f64() * 1000.0
            ));
        }
        eprint!("{t}");
    }
    let code = u8::try_from(run.exit_code()).unwrap_or(2);
    // The process ends next: freeing every parsed file and resource one by one is wasted time.
    std::mem::forget(run);
    Ok(code)
}

fn cost(args: CostArgs) -> anyhow::Result<u8> {
    let usage = match &args.usage_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the usage file {}", path.display()))?;
            Some((path.display().to_string(), text))
        }
        None => None,
    };
    let book = price_book(args.cache_dir.as_deref());
    let priced = stackgate::compare::price(&args.dir, args.base.as_deref(), usage, &book)?;
    let view = report::cost_view::CostView::new(
        &priced.head,
        priced.base.as_ref().map(|b| (&b.cost, b.label.clone())),
        stackgate::policy::today().to_string(),
        priced.usage_file.clone(),
    );
    let out = match args.format {
        CostFormat::Table => report::cost_table::render(&view),
        CostFormat::Json => report::cost_json::render(&view),
        CostFormat::Markdown => report::cost_markdown::render(&view),
    };
    write_out(args.output.as_deref(), &out)?;
    // Freeing every evaluated resource only to exit is wasted time.
    drop(view);
    std::mem::forget(priced);
    Ok(0)
}

fn score(args: ScoreArgs) -> anyhow::Result<u8> {
    let book = price_book(args.cache_dir.as_deref());
    let k = stackgate::knowledge::gather(&args.dir, &book)?;
    for f in k.run.report.findings.iter().filter(|f| {
        f.code.starts_with("scorecard-") || (f.code == "parse-error" && is_scorecard(&k, &f.file))
    }) {
        eprintln!("{}: {}:{}: {}", f.code, f.file, f.line, f.message);
    }
    let out = match args.format {
        CostFormat::Table => report::score_table::render(&k.scores),
        CostFormat::Json => report::score_json::render(&k.scores),
        CostFormat::Markdown => report::score_markdown::render(&k.scores),
    };
    write_out(args.output.as_deref(), &out)?;
    std::mem::forget(k);
    Ok(0)
}

fn is_scorecard(k: &stackgate::knowledge::Knowledge, file: &str) -> bool {
    k.run.inventory.scorecards.iter().any(|s| s == file)
}

fn site(args: SiteArgs) -> anyhow::Result<u8> {
    let book = price_book(args.cache_dir.as_deref());
    let k = stackgate::knowledge::gather(&args.dir, &book)?;
    let generated = args
        .timestamp
        .then(|| stackgate::policy::today().to_string());
    let data = stackgate::site::assemble::assemble(&k, &args.dir, generated);
    let options = stackgate::site::SiteOptions {
        theme_dir: k.run.settings.site_theme.as_ref().map(|t| args.dir.join(t)),
    };
    let stats = stackgate::site::render(&data, &options, &args.out)?;
    eprintln!(
        "wrote {} pages ({} KiB, search index {} KiB) to {}",
        stats.pages,
        stats.bytes / 1024,
        stats.search_index_bytes / 1024,
        args.out.display()
    );
    std::mem::forget(k);
    Ok(0)
}

fn pr(args: PrArgs) -> anyhow::Result<u8> {
    use stackgate::config::CommentsBehavior;
    use stackgate::github::{client::Client, env::GithubEnv, event::PullRequest, publish};
    let env = GithubEnv::from_process();
    let event_path = env.event_path.clone().context(
        "GITHUB_EVENT_PATH is not set: `stackgate pr` runs in GitHub Actions, on a \
`pull_request` event",
    )?;
    if let Some(name) = env.event_name.as_deref() {
        if !name.starts_with("pull_request") {
            anyhow::bail!(
                "`stackgate pr` runs on `pull_request` events, not `{name}`; on pushes use \
`stackgate check` and `stackgate cost`"
            );
        }
    }
    let pull = PullRequest::read(&event_path)?;
    let repo = env
        .repository
        .clone()
        .or_else(|| pull.base.repo.clone())
        .context("GITHUB_REPOSITORY is not set")?;
    if let Some(fetched) = stackgate::pr::ensure_base(&args.dir, &pull.base.sha)? {
        eprintln!("stackgate: fetched the base commit ({fetched})");
    }
    let book = price_book(args.cache_dir.as_deref());
    let report = stackgate::pr::evaluate(
        &args.dir,
        &pull,
        &stackgate::pr::Options {
            repo_url: Some(format!("{}/{repo}", env.server_url)),
            fail_on: args.fail_on.map(level_of),
            book: &book,
        },
    )?;
    let behavior = match args.comment_behavior {
        Some(CommentBehaviorArg::Update) => CommentsBehavior::Update,
        Some(CommentBehaviorArg::New) => CommentsBehavior::New,
        Some(CommentBehaviorArg::DeleteAndNew) => CommentsBehavior::DeleteAndNew,
        Some(CommentBehaviorArg::Off) => CommentsBehavior::Off,
        None => report.behavior,
    };
    let read_only = pull.is_fork().then(|| {
        "this pull request comes from a fork, and GitHub gives the workflows of fork pull \
requests a read-only token"
            .to_string()
    });
    let client = match (&env.token, &read_only, behavior) {
        (Some(token), None, b) if b != CommentsBehavior::Off => {
            Some(Client::new(&env.api_url, token, retry_policy())?)
        }
        _ => None,
    };
    let target = publish::Target {
        repo: &repo,
        number: pull.number,
        behavior,
        read_only,
        run_url: env.run_url(),
    };
    let published = publish::comments(client.as_ref(), &target, &report);
    publish::runner_files(
        env.step_summary.as_deref(),
        env.output.as_deref(),
        &report,
        &published,
    )?;

    let mut out = String::new();
    let touched: Vec<&stackgate::finding::Finding> = report.touched.iter().collect();
    out.push_str(&report::github::annotations(
        &touched,
        &report.root_prefix,
        10,
    ));
    for (what, outcome) in [
        ("scorecard", &published.scorecard),
        ("cost", &published.cost),
    ] {
        if let publish::Outcome::Failed(why) = outcome {
            out.push_str(&format!(
                "::warning title=stackgate::the {what} comment was not posted: {}\n",
                why.replace('%', "%25")
                    .replace('\r', "%0D")
                    .replace('\n', "%0A")
            ));
        }
    }
    if env.step_summary.is_none() {
        // Outside a runner the report goes to the terminal.
        out.push_str(&publish::summary_text(&report, &published));
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    eprintln!(
        "stackgate: {} project{} touched{}, compared with {}: {} deny, {} warn; monthly cost {} ({:+.2})",
        report.affected.len(),
        if report.affected.len() == 1 { "" } else { "s" },
        if report.everything {
            " (settings, policies or pricing changed)"
        } else {
            ""
        },
        report.base_label,
        report.deny,
        report.warn,
        stackgate::cost::money::usd(report.total_monthly),
        report.diff_monthly
    );
    for (what, outcome) in [
        ("scorecard", &published.scorecard),
        ("cost", &published.cost),
    ] {
        let said = match outcome {
            publish::Outcome::Posted(p) => {
                format!("{} {}", p.describe(), p.url().unwrap_or_default())
            }
            publish::Outcome::Skipped(why) => format!("not posted: {why}"),
            publish::Outcome::Failed(why) => format!("failed: {why}"),
        };
        eprintln!("stackgate: {what} comment {said}");
    }
    let code = u8::from(!report.passed());
    std::mem::forget(report);
    Ok(code)
}

fn level_of(f: FailOn) -> Level {
    match f {
        FailOn::Deny => Level::Deny,
        FailOn::Warn => Level::Warn,
    }
}

/// GitHub's pace by default; `STACKGATE_RETRY_BASE_MS` shortens the first backoff (tests).
fn retry_policy() -> stackgate::github::retry::Retry {
    let mut r = stackgate::github::retry::Retry::default();
    if let Some(ms) = std::env::var("STACKGATE_RETRY_BASE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        r.base = std::time::Duration::from_millis(ms);
    }
    r
}

/// The price book: the local cache where `pricing sync` filled it, the built-in snapshot for
/// the rest. Cache problems are warnings; the run goes on with what could be read.
fn price_book(cache_dir: Option<&std::path::Path>) -> stackgate::pricing::PriceBook {
    let (book, warnings) = stackgate::pricing::cache::price_book(cache_dir);
    for w in warnings {
        eprintln!("warning: {w}");
    }
    book
}

fn pricing_sync(args: SyncArgs) -> anyhow::Result<u8> {
    use stackgate::pricing::{Cloud, cache, sync};
    let dir = args
        .cache_dir
        .or_else(cache::default_cache_dir)
        .context("no cache folder: set HOME or pass --cache-dir")?;
    let mut opts = sync::SyncOptions::new(dir);
    for c in &args.clouds {
        opts.clouds
            .push(Cloud::parse(c).with_context(|| format!("unknown cloud `{c}` (aws, azure)"))?);
    }
    opts.regions = args.regions;
    opts.aws_endpoint = args.endpoint.clone();
    opts.azure_endpoint = args.endpoint;
    let report = sync::sync(&opts, &mut |line| eprintln!("{line}"))?;
    for c in &report.clouds {
        for n in &c.notes {
            eprintln!("note: {n}");
        }
    }
    write_out(None, &report.summary())?;
    Ok(0)
}

fn pricing_show(args: ShowArgs) -> anyhow::Result<u8> {
    let book = price_book(args.cache_dir.as_deref());
    let mut out = format!("{}\n", book.describe());
    for s in &book.sections {
        out.push_str(&format!(
            "  {} {} ({}), as of {}\n",
            s.cloud, s.source, s.origin, s.as_of
        ));
    }
    if !args.filter.is_empty() {
        out.push('\n');
        for cloud in stackgate::pricing::Cloud::ALL {
            for (service, product, unit, region, usd) in book.rows(cloud) {
                let line = format!("{cloud} {service} {product} {region}");
                if args.filter.iter().all(|f| line.contains(f.as_str())) {
                    out.push_str(&format!(
                        "{cloud:<7} {service:<20} {product:<44} {region:<16} {:>14} per {unit}\n",
                        stackgate::cost::money::unit_price(usd)
                    ));
                }
            }
        }
    }
    write_out(None, &out)?;
    Ok(0)
}

fn write_out(path: Option<&std::path::Path>, out: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            Ok(())
        }
    }
}

fn inspect(args: InspectArgs) -> anyhow::Result<u8> {
    let run = stackgate::check::check_dir(&args.dir)?;
    let selected = stackgate::inspect::select(&run.report.projects, args.project.as_deref());
    if selected.is_empty() {
        if let Some(p) = &args.project {
            anyhow::bail!(
                "no project named `{p}`; `stackgate inspect` without --project lists them"
            );
        }
    }
    let out = match args.format {
        InspectFormat::Table => stackgate::inspect::table(&selected),
        InspectFormat::Json => stackgate::inspect::json(&selected),
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(0)
}

fn explain(code: Option<&str>, dir: &std::path::Path) -> anyhow::Result<u8> {
    let mut out = String::new();
    match code {
        None => {
            for c in stackgate::codes::all() {
                out.push_str(&format!(
                    "{:<32} {:<5} {}\n",
                    c.code,
                    c.level.as_str(),
                    c.summary
                ));
            }
            out.push_str("\nPolicy kinds (`stackgate explain <kind>`):\n");
            for k in stackgate::policy::KIND_DOCS {
                out.push_str(&format!("{:<32} {}\n", k.kind, k.summary));
            }
        }
        Some(code) => {
            if let Some(c) = stackgate::codes::lookup(code) {
                out = format!(
                    "{} ({})\n\n{}\n\n{}\n",
                    c.code, c.level, c.summary, c.explanation
                );
            } else if let Some(doc) = stackgate::policy::explain_kind(code) {
                out = doc;
            } else {
                // A policy id: read the repository's policy files.
                let run = stackgate::check::check_dir(dir)?;
                match stackgate::policy::explain_policy(&run.policies, code) {
                    Some(doc) => out = doc,
                    None => anyhow::bail!(
                        "`{code}` is not a finding code, a policy kind, or the id of a policy in {}; \
run `stackgate explain` to list codes and kinds",
                        dir.display()
                    ),
                }
            }
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(0)
}
