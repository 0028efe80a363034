//! Publishing a pull request's report: the two sticky comments (fitted to GitHub's limit),
//! then the job summary and the step outputs. A comment that cannot be posted is not a
//! failure of the check: the job summary always has the report, and says why it is there.

use super::GithubError;
use super::client::Client;
use super::comments::{self, Posted};
use super::fit::{self, COMMENT_LIMIT, SUMMARY_LIMIT};
use super::summary;
use crate::config::CommentsBehavior;
use crate::pr::{Body, PrReport};
use crate::report::{cost_markdown, pr_scorecard};
use std::path::Path;

/// Where a report goes and under which rules.
pub struct Target<'a> {
    /// `owner/name`.
    pub repo: &'a str,
    pub number: u64,
    pub behavior: CommentsBehavior,
    /// Why comments cannot be posted at all (a fork's read-only token, no token), if so.
    pub read_only: Option<String>,
    /// The workflow run's page, where the job summary is.
    pub run_url: Option<String>,
}

/// What happened to one comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Posted(Posted),
    /// Not posted, and why.
    Skipped(String),
    /// The API refused or failed after retries.
    Failed(String),
}

impl Outcome {
    pub fn url(&self) -> Option<&str> {
        match self {
            Outcome::Posted(p) => p.url(),
            _ => None,
        }
    }
}

pub struct Published {
    pub scorecard: Outcome,
    pub cost: Outcome,
}

/// The comment text of a report: whole when it fits, else cut with a pointer to the summary.
pub fn comment_body(body: &Body, run_url: Option<&str>) -> String {
    let note = match run_url {
        Some(u) => format!("The full report is in the [job summary]({u})."),
        None => "The full report is in the job summary of this workflow run.".to_string(),
    };
    fit::fit(
        &fit::Parts {
            summary: &body.summary,
            details: &body.details,
            footer: &body.footer,
        },
        COMMENT_LIMIT,
        &note,
    )
}

/// Posts or updates the two comments. `client` is `None` when there is no token.
pub fn comments(client: Option<&Client>, target: &Target, report: &PrReport) -> Published {
    let skipped = |why: &str| Published {
        scorecard: Outcome::Skipped(why.to_string()),
        cost: Outcome::Skipped(why.to_string()),
    };
    if target.behavior == CommentsBehavior::Off {
        return skipped("`comments.behavior` is `off`");
    }
    if let Some(why) = &target.read_only {
        return skipped(why);
    }
    let Some(client) = client else {
        return skipped(
            "no `GITHUB_TOKEN`: give the step `github-token` (the action does by default) or set \
the variable",
        );
    };
    let existing = match client.list_comments(target.repo, target.number) {
        Ok(c) => c,
        Err(e) => {
            let why = refusal(&e);
            return Published {
                scorecard: Outcome::Failed(why.clone()),
                cost: Outcome::Failed(why),
            };
        }
    };
    let run_url = target.run_url.as_deref();
    let post = |marker: &str, body: &Body| {
        let text = comment_body(body, run_url);
        match comments::publish(
            client,
            target.repo,
            target.number,
            &existing,
            marker,
            &text,
            target.behavior,
        ) {
            Ok(p) => Outcome::Posted(p),
            Err(e) => Outcome::Failed(refusal(&e)),
        }
    };
    Published {
        scorecard: post(pr_scorecard::MARKER, &report.scorecard),
        cost: post(cost_markdown::MARKER, &report.cost),
    }
}

/// An API error as the summary explains it; a 403 is the token's permissions.
fn refusal(e: &GithubError) -> String {
    match e.status() {
        Some(403) => format!(
            "the token may not write pull request comments ({e}); a pull request from a fork \
gets a read-only token, otherwise give the workflow `permissions: pull-requests: write`"
        ),
        _ => e.to_string(),
    }
}

/// The job summary: a line per comment that was not posted, then both reports, each fitted
/// to half of the runner's 1 MiB.
pub fn summary_text(report: &PrReport, published: &Published) -> String {
    let mut out = String::new();
    let mut reasons: Vec<&str> = Vec::new();
    for o in [&published.scorecard, &published.cost] {
        if let Outcome::Skipped(why) | Outcome::Failed(why) = o {
            if !reasons.contains(&why.as_str()) {
                reasons.push(why);
            }
        }
    }
    for why in reasons {
        out.push_str(&format!(
            "> [!NOTE]\n> stackgate posted no comment on the pull request: {why}. The report is \
below.\n\n"
        ));
    }
    let note =
        "The complete findings: `stackgate check`; the complete cost: `stackgate cost --base`.";
    for body in [&report.scorecard, &report.cost] {
        out.push_str(&fit::fit(
            &fit::Parts {
                summary: &body.summary,
                details: &body.details,
                footer: &body.footer,
            },
            SUMMARY_LIMIT / 2 - 1024,
            note,
        ));
        out.push('\n');
    }
    out
}

/// The step outputs the action declares.
pub fn outputs(report: &PrReport, published: &Published) -> Vec<(&'static str, String)> {
    vec![
        ("total-monthly-cost", format!("{:.2}", report.total_monthly)),
        ("diff-monthly-cost", format!("{:.2}", report.diff_monthly)),
        ("deny", report.deny.to_string()),
        ("warn", report.warn.to_string()),
        ("passed", report.passed().to_string()),
        (
            "scorecard-comment-url",
            published.scorecard.url().unwrap_or_default().to_string(),
        ),
        (
            "cost-comment-url",
            published.cost.url().unwrap_or_default().to_string(),
        ),
    ]
}

/// Writes the job summary and the outputs where the runner asks for them.
pub fn runner_files(
    summary_path: Option<&Path>,
    output_path: Option<&Path>,
    report: &PrReport,
    published: &Published,
) -> Result<(), GithubError> {
    if let Some(p) = summary_path {
        summary::append_summary(p, &summary_text(report, published))?;
    }
    if let Some(p) = output_path {
        summary::write_outputs(p, &outputs(report, published))?;
    }
    Ok(())
}
