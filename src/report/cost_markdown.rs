//! `stackgate cost --format markdown`: the body of the cost comment on a pull request. The
//! summary table comes first and is never cut; per-project details are folded.

use super::cost_view::{CostView, counts_lines, shown};
use crate::cost::Note;
use crate::cost::diff::Change;
use crate::cost::estimate::ProjectCost;
use crate::cost::money::{signed_usd, unit_price, usd};
use std::fmt::Write as _;

/// The hidden marker that finds the comment again.
pub const MARKER: &str = "<!-- stackgate:cost -->";

/// Rows of the summary table at most: the largest changes are shown, the rest summed in one
/// row, so the summary stays small enough to never be cut.
pub const MAX_ROWS: usize = 50;

pub fn render(view: &CostView) -> String {
    let (summary, details, footer) = sections(view);
    summary + &details.concat() + &footer
}

/// The comment in three parts: the summary (verdict and table), the folded details, and the
/// footer (counts, prices, usage), so a poster can cut the details alone.
pub fn sections(view: &CostView) -> (String, Vec<String>, String) {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}\n### Cost estimate\n");
    let total = view.head.monthly_cost();
    match view.past_total() {
        Some(past) => {
            let delta = total - past;
            let verb = if delta > 0.005 {
                "increase"
            } else if delta < -0.005 {
                "decrease"
            } else {
                "not change"
            };
            if verb == "not change" {
                let _ = writeln!(out, "Monthly cost will not change ({}).\n", usd(total));
            } else {
                let _ = writeln!(
                    out,
                    "Monthly cost will {verb} by **{}**{} ({} → {}).\n",
                    usd(delta.abs()),
                    percent(past, total),
                    usd(past),
                    usd(total)
                );
            }
        }
        None => {
            let _ = writeln!(out, "Monthly cost: **{}**.\n", usd(total));
        }
    }
    summary_table(view, &mut out);
    out.push('\n');
    let summary = out;
    let mut out = String::new();
    details(view, &mut out);
    let details = vec![out];
    let mut out = String::new();
    let counts = counts_lines(view.head);
    let _ = writeln!(out, "{} {}\n", counts[0], counts[1..].join(", "));
    let mut foot = format!("Prices: {}.", view.head.prices);
    if !view.head.adjustments.is_empty() {
        let _ = write!(
            foot,
            " Price overrides applied: {}.",
            view.head.adjustments.join(", ")
        );
    }
    match &view.usage_file {
        Some(u) => {
            let _ = write!(foot, " \\*Usage costs from `{u}`.");
        }
        None => foot.push_str(" \\*Usage costs need a usage file (`infracost-usage.yml`)."),
    }
    let _ = writeln!(out, "<sub>{foot}</sub>");
    (summary, details, out)
}

fn percent(past: f64, now: f64) -> String {
    if past.abs() < 0.005 {
        String::new()
    } else {
        format!(" ({:+.0}%)", (now - past) / past * 100.0)
    }
}

fn summary_table(view: &CostView, out: &mut String) {
    let _ = writeln!(
        out,
        "| Project | Baseline cost | Usage cost* | Cost change | New monthly cost |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
    let rows: Vec<(&str, Option<&ProjectCost>, Option<f64>)> = if view.base.is_some() {
        view.diff
            .iter()
            .filter(|d| d.changed())
            .map(|d| (d.name.as_str(), view.head.project(&d.path), Some(d.delta())))
            .collect()
    } else {
        view.head
            .projects
            .iter()
            .map(|p| (p.name.as_str(), Some(&**p), None))
            .collect()
    };
    if rows.is_empty() {
        let _ = writeln!(out, "| *no project changed* | | | | |");
    }
    let size = |(_, head, delta): &(&str, Option<&ProjectCost>, Option<f64>)| {
        delta
            .unwrap_or_else(|| head.map_or(0.0, |p| p.monthly_cost()))
            .abs()
    };
    let mut rest = None;
    let rows = if rows.len() > MAX_ROWS {
        let mut by_size: Vec<usize> = (0..rows.len()).collect();
        by_size.sort_by(|&a, &b| size(&rows[b]).total_cmp(&size(&rows[a])).then(a.cmp(&b)));
        let keep: std::collections::BTreeSet<usize> = by_size[..MAX_ROWS].iter().copied().collect();
        let (shown, hidden): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .enumerate()
            .partition(|(i, _)| keep.contains(i));
        let change: Option<f64> = hidden.iter().map(|(_, r)| r.2).sum();
        let total: f64 = hidden
            .iter()
            .map(|(_, r)| r.1.map_or(0.0, |p| p.monthly_cost()))
            .sum();
        rest = Some((hidden.len(), change, total));
        shown.into_iter().map(|(_, r)| r).collect()
    } else {
        rows
    };
    for (name, head, delta) in rows {
        let (baseline, usage, total) = head.map_or((0.0, 0.0, 0.0), |p| {
            let usage = p.usage_cost();
            (p.monthly_cost() - usage, usage, p.monthly_cost())
        });
        let change = delta.map_or("-".to_string(), signed_usd);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(name),
            usd(baseline),
            usd(usage),
            change,
            usd(total)
        );
    }
    if let Some((n, change, total)) = rest {
        let _ = writeln!(
            out,
            "| *{n} more projects with smaller changes* | | | {} | {} |",
            change.map_or("-".to_string(), signed_usd),
            usd(total)
        );
    }
}

fn details(view: &CostView, out: &mut String) {
    let _ = writeln!(out, "<details><summary>Cost details</summary>\n");
    if view.base.is_some() {
        for d in view.diff.iter().filter(|d| !d.resources.is_empty()) {
            let _ = writeln!(
                out,
                "**{}**: {} ({} → {})\n",
                cell(&d.name),
                signed_usd(d.delta()),
                usd(d.old),
                usd(d.new)
            );
            let _ = writeln!(
                out,
                "| | Resource | Before | After | Change |\n| --- | --- | ---: | ---: | ---: |"
            );
            for r in &d.resources {
                let mark = match r.change {
                    Change::Added => "+",
                    Change::Removed => "−",
                    Change::Changed => "~",
                };
                let _ = writeln!(
                    out,
                    "| {mark} | `{}` | {} | {} | {} |",
                    r.address,
                    r.old.map_or("-".to_string(), usd),
                    r.new.map_or("-".to_string(), usd),
                    signed_usd(r.delta())
                );
            }
            out.push('\n');
        }
    } else {
        for p in &view.head.projects {
            let _ = writeln!(out, "**{}**: {}\n", cell(&p.name), usd(p.monthly_cost()));
            let _ = writeln!(
                out,
                "| Resource | Component | Monthly cost |\n| --- | --- | ---: |"
            );
            for r in shown(&p.resources) {
                for c in r.all_components() {
                    let cost = match (&c.note, c.monthly_cost()) {
                        (_, Some(v)) => usd(v),
                        (Note::NeedsUsage, _) => format!(
                            "depends on usage: {} per {}",
                            c.price.map(unit_price).unwrap_or_default(),
                            c.unit
                        ),
                        (Note::Unknown(_), _) => "unknown".to_string(),
                        (Note::PriceNotFound(_), _) => "price not found".to_string(),
                        (Note::None, None) => "-".to_string(),
                    };
                    let _ = writeln!(out, "| `{}` | {} | {cost} |", r.address, cell(&c.name));
                }
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "</details>\n");
}

/// Table cells: pipes and newlines would break the table; angle brackets would be markup.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}
