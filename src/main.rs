//! The binary: parse arguments, run, render, and turn the outcome into an exit code. The only
//! place that exits.

mod cli;

use anyhow::Context;
use clap::Parser;
use cli::{CheckArgs, Cli, ColorArg, Command, FailOn, FormatArg, InspectArgs, InspectFormat};
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
        Command::Explain { code, dir } => explain(code.as_deref(), &dir),
    }
}

fn check(args: CheckArgs) -> anyhow::Result<u8> {
    let mut run = stackgate::check::check_dir(&args.dir)?;
    if let Some(f) = args.fail_on {
        let level = match f {
            FailOn::Deny => Level::Deny,
            FailOn::Warn => Level::Warn,
        };
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
