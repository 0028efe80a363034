//! The scorecard comment of a pull request: per project the change touches, its policy and form
//! findings with links to the exact lines of the head; then the catalog components it touches
//! with their scorecard level and its change against the base. Rendered as a summary, never
//! cut, and detail blocks that the poster drops from the end when the body grows too long.

use super::markdown::escape;
use crate::finding::{Finding, Level};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The hidden marker that finds the comment again.
pub const MARKER: &str = "<!-- stackgate:scorecard -->";

/// One project the change touches, with its open findings.
pub struct TouchedProject<'a> {
    pub name: String,
    pub path: String,
    pub findings: Vec<&'a Finding>,
}

/// A component the change touches and where it stands on one scorecard.
pub struct TouchedComponent {
    /// `component:default/payments-api`
    pub entity: String,
    pub title: String,
    pub scorecard: String,
    pub level: Option<String>,
    /// The level at the base; `None` when the entity or scorecard is new.
    pub base_level: Option<Option<String>>,
    /// The level's rank at the head and the base, to say up or down.
    pub rank: u32,
    pub base_rank: Option<u32>,
    pub score: f64,
    pub failing: Vec<String>,
}

pub struct PrScorecard<'a> {
    /// Where the findings' files are shown; `None` prints plain `file:line`.
    pub links: Option<BlobLinks>,
    /// Paths in findings are relative to this folder of the repository (`""` at its root).
    pub root_prefix: String,
    pub projects: Vec<TouchedProject<'a>>,
    pub components: Vec<TouchedComponent>,
    /// Findings of the files no project owns (catalog, policies, stack forms) the change touches.
    pub other: Vec<&'a Finding>,
}

/// The summary (never cut) and the detail blocks, in order.
pub fn render(c: &PrScorecard) -> (String, Vec<String>) {
    let mut out = String::new();
    let all = c
        .projects
        .iter()
        .flat_map(|p| p.findings.iter())
        .chain(c.other.iter());
    let (mut deny, mut warn) = (0, 0);
    for f in all {
        match f.level {
            Level::Deny => deny += 1,
            Level::Warn => warn += 1,
            Level::Info => {}
        }
    }
    let _ = writeln!(out, "{MARKER}\n### Policy and scorecards\n");
    let verdict = match (deny, warn) {
        (0, 0) => "✅ No deny or warn finding in what this change touches.".to_string(),
        (0, w) => format!(
            "⚠️ {w} warn finding{} in what this change touches.",
            plural(w)
        ),
        (d, w) => format!(
            "❌ {d} deny and {w} warn finding{} in what this change touches.",
            plural(d + w)
        ),
    };
    let _ = writeln!(out, "{verdict}\n");
    if c.projects.is_empty() {
        let _ = writeln!(
            out,
            "The change touches no stack instance or Terraform project.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "| Project | Path | Deny | Warn |\n| --- | --- | ---: | ---: |"
        );
        let count =
            |p: &TouchedProject, l: Level| p.findings.iter().filter(|f| f.level == l).count();
        let shown = keep_first(c.projects.len(), |i| {
            let p = &c.projects[i];
            (count(p, Level::Deny), count(p, Level::Warn))
        });
        for (i, p) in c.projects.iter().enumerate() {
            if !shown.contains(&i) {
                continue;
            }
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                escape(&p.name),
                code(&p.path),
                count(p, Level::Deny),
                count(p, Level::Warn)
            );
        }
        let hidden: Vec<&TouchedProject> = c
            .projects
            .iter()
            .enumerate()
            .filter(|(i, _)| !shown.contains(i))
            .map(|(_, p)| p)
            .collect();
        if !hidden.is_empty() {
            let _ = writeln!(
                out,
                "| *{} more projects* | | {} | {} |",
                hidden.len(),
                hidden.iter().map(|p| count(p, Level::Deny)).sum::<usize>(),
                hidden.iter().map(|p| count(p, Level::Warn)).sum::<usize>()
            );
        }
        out.push('\n');
    }
    if !c.components.is_empty() {
        let _ = writeln!(
            out,
            "| Component | Scorecard | Level | Score | Failing |\n| --- | --- | --- | ---: | --- |"
        );
        let shown = keep_first(c.components.len(), |i| {
            let comp = &c.components[i];
            (
                usize::from(comp.base_rank != Some(comp.rank)),
                comp.failing.len(),
            )
        });
        for (i, comp) in c.components.iter().enumerate() {
            if !shown.contains(&i) {
                continue;
            }
            let now = comp.level.as_deref().unwrap_or("none");
            let level = match (&comp.base_level, comp.base_rank) {
                (None, _) | (_, None) => format!("{} (new)", escape(now)),
                (Some(before), Some(base_rank)) => {
                    let before = before.as_deref().unwrap_or("none");
                    match comp.rank.cmp(&base_rank) {
                        std::cmp::Ordering::Greater => {
                            format!("⬆️ {} → **{}**", escape(before), escape(now))
                        }
                        std::cmp::Ordering::Less => {
                            format!("⬇️ {} → **{}**", escape(before), escape(now))
                        }
                        std::cmp::Ordering::Equal => escape(now),
                    }
                }
            };
            let failing = if comp.failing.is_empty() {
                "–".to_string()
            } else {
                comp.failing
                    .iter()
                    .map(|f| format!("`{}`", code(f)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0}% | {} |",
                escape(&comp.title),
                escape(&comp.scorecard),
                level,
                comp.score * 100.0,
                failing
            );
        }
        if c.components.len() > shown.len() {
            let _ = writeln!(
                out,
                "| *{} more components* | | | | |",
                c.components.len() - shown.len()
            );
        }
        out.push('\n');
    }

    let mut details = Vec::new();
    for p in c.projects.iter().filter(|p| !p.findings.is_empty()) {
        details.push(block(
            c,
            &format!("{} ({})", escape(&p.name), p.findings.len()),
            &p.findings,
        ));
    }
    if !c.other.is_empty() {
        details.push(block(
            c,
            &format!("Stacks, catalog and policy files ({})", c.other.len()),
            &c.other,
        ));
    }
    (out, details)
}

/// Where a finding's file is shown on the forge: at the pull request's head, unless the job
/// checked out another commit (GitHub's merge commit) whose text of that file differs, since
/// the finding's line is that commit's.
#[derive(Debug, Clone)]
pub struct BlobLinks {
    /// `https://github.com/o/r/blob/<head sha>/`
    pub head: String,
    /// The checked-out commit's prefix, and the files (relative to the root) whose text there
    /// differs from the head's.
    pub checked: Option<(String, BTreeSet<String>)>,
}

impl BlobLinks {
    pub fn url_for(&self, file: &str) -> &str {
        match &self.checked {
            Some((url, differ)) if differ.contains(file) => url,
            _ => &self.head,
        }
    }
}

fn block(c: &PrScorecard, title: &str, findings: &[&Finding]) -> String {
    let mut out = format!("<details><summary>{title}</summary>\n\n");
    for f in findings {
        let place = format!("{}:{}", f.file, f.line);
        let at = match &c.links {
            // Outside the root (shared stacks) the path climbs with `../`: no link then.
            Some(links) if !f.file.starts_with("../") => {
                let url = links.url_for(&f.file);
                let path = if c.root_prefix.is_empty() {
                    f.file.clone()
                } else {
                    format!("{}/{}", c.root_prefix, f.file)
                };
                format!("[`{}`]({url}{}#L{})", code(&place), path, f.line)
            }
            _ => format!("`{}`", code(&place)),
        };
        let _ = writeln!(
            out,
            "- **{}** `{}` {} {}",
            f.level.as_str(),
            f.code,
            escape(&f.message),
            at
        );
    }
    out.push_str("\n</details>\n");
    out
}

/// Text inside backticks: a backtick would end the span.
/// Rows a summary table shows at most, so the summary never needs cutting.
pub const MAX_ROWS: usize = 50;

/// The indices of the rows to show: all when they are few, else the `MAX_ROWS` with the
/// largest `weight` (earlier rows first among equals).
fn keep_first<W: Ord>(n: usize, weight: impl Fn(usize) -> W) -> std::collections::BTreeSet<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if n > MAX_ROWS {
        order.sort_by(|&a, &b| weight(b).cmp(&weight(a)).then(a.cmp(&b)));
        order.truncate(MAX_ROWS);
    }
    order.into_iter().collect()
}

fn code(s: &str) -> String {
    s.replace('`', "'")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &'static str, file: &str, line: usize, msg: &str) -> Finding {
        Finding::new(code, file, line, msg)
    }

    #[test]
    fn summary_and_details() {
        let f1 = finding(
            "policy-violation",
            "deploy/prod/db.stack.yaml",
            12,
            "instance type `db.m5.4xlarge` is larger than 2xlarge",
        );
        let f2 = finding(
            "instance-value-not-allowed",
            "deploy/prod/db.stack.yaml",
            9,
            "`region`: <b>us-west-9</b> | is not allowed",
        );
        let f3 = finding(
            "form-offers-forbidden",
            "../../stacks/aws/.forms.yml",
            40,
            "the form offers a region the policies forbid",
        );
        let c = PrScorecard {
            links: Some(BlobLinks {
                head: "https://github.com/acme/platform/blob/abc123/".into(),
                checked: Some((
                    "https://github.com/acme/platform/blob/merge99/".into(),
                    BTreeSet::from(["deploy/prod/moved.stack.yaml".to_string()]),
                )),
            }),
            root_prefix: "platform".into(),
            projects: vec![
                TouchedProject {
                    name: "payments-db".into(),
                    path: "deploy/prod/db.stack.yaml".into(),
                    findings: vec![&f1, &f2],
                },
                TouchedProject {
                    name: "network".into(),
                    path: "infra/network".into(),
                    findings: vec![],
                },
            ],
            components: vec![
                TouchedComponent {
                    entity: "component:default/payments-api".into(),
                    title: "Payments | API".into(),
                    scorecard: "production-readiness".into(),
                    level: Some("silver".into()),
                    base_level: Some(Some("gold".into())),
                    rank: 2,
                    base_rank: Some(3),
                    score: 0.857,
                    failing: vec!["policy-clean".into()],
                },
                TouchedComponent {
                    entity: "component:default/new".into(),
                    title: "New".into(),
                    scorecard: "production-readiness".into(),
                    level: None,
                    base_level: None,
                    rank: 0,
                    base_rank: None,
                    score: 0.25,
                    failing: vec!["has-owner".into()],
                },
            ],
            other: vec![&f3],
        };
        let (summary, details) = render(&c);
        let all = format!("{summary}\n{}", details.join("\n"));
        insta::assert_snapshot!(all);
        assert!(summary.starts_with(MARKER));
        assert!(!all.contains("<b>"), "user text is escaped");
        assert_eq!(details.len(), 2);
    }

    #[test]
    fn a_clean_change() {
        let c = PrScorecard {
            links: None,
            root_prefix: String::new(),
            projects: vec![],
            components: vec![],
            other: vec![],
        };
        let (summary, details) = render(&c);
        assert!(summary.contains("✅"));
        assert!(summary.contains("touches no stack instance"));
        assert!(details.is_empty());
    }

    #[test]
    fn big_changes_keep_the_worst_rows_and_sum_the_rest() {
        let bad = finding("policy-violation", "deploy/p07.stack.yaml", 3, "too big");
        let projects: Vec<TouchedProject> = (0..60)
            .map(|i| TouchedProject {
                name: format!("p{i:02}"),
                path: format!("deploy/p{i:02}.stack.yaml"),
                findings: if i == 57 { vec![&bad] } else { vec![] },
            })
            .collect();
        let c = PrScorecard {
            links: None,
            root_prefix: String::new(),
            projects,
            components: vec![],
            other: vec![],
        };
        let (summary, _) = render(&c);
        let rows = summary.lines().filter(|l| l.starts_with("| p")).count();
        assert_eq!(rows, MAX_ROWS);
        assert!(
            summary.contains("| p57 |"),
            "the project with a finding is kept"
        );
        assert!(summary.contains("| p00 |"));
        assert!(
            !summary.contains("| p49 |"),
            "the last clean ones are summed"
        );
        assert!(
            summary.contains("| *10 more projects* | | 0 | 0 |"),
            "{summary}"
        );
    }

    #[test]
    fn a_file_that_differs_in_the_checked_commit_links_there() {
        let moved = finding("policy-violation", "deploy/moved.stack.yaml", 18, "too big");
        let kept = finding("policy-violation", "deploy/kept.stack.yaml", 7, "too big");
        let c = PrScorecard {
            links: Some(BlobLinks {
                head: "https://github.com/o/r/blob/head1/".into(),
                checked: Some((
                    "https://github.com/o/r/blob/merge2/".into(),
                    BTreeSet::from(["deploy/moved.stack.yaml".to_string()]),
                )),
            }),
            root_prefix: String::new(),
            projects: vec![TouchedProject {
                name: "p".into(),
                path: "deploy".into(),
                findings: vec![&moved, &kept],
            }],
            components: vec![],
            other: vec![],
        };
        let details = render(&c).1.concat();
        assert!(
            details.contains("(https://github.com/o/r/blob/merge2/deploy/moved.stack.yaml#L18)"),
            "{details}"
        );
        assert!(
            details.contains("(https://github.com/o/r/blob/head1/deploy/kept.stack.yaml#L7)"),
            "{details}"
        );
    }
}
