//! `stackgate cost --format table`: Infracost's breakdown (every resource and its cost
//! components) and, with a base, the difference per project.

use super::cost_view::{CostView, counts_lines, shown};
use crate::cost::Component;
use crate::cost::Note;
use crate::cost::diff::Change;
use crate::cost::money::{quantity, signed_usd, unit_price, usd};
use std::fmt::Write as _;

const NAME: usize = 62;

pub fn render(view: &CostView) -> String {
    let mut out = String::new();
    if view.base.is_some() {
        render_diff(view, &mut out);
    } else {
        render_breakdown(view, &mut out);
    }
    out.push('\n');
    for (i, line) in counts_lines(view.head).iter().enumerate() {
        let bullet = if i == 0 { "" } else { "∙ " };
        let _ = writeln!(out, "{bullet}{line}");
    }
    let _ = writeln!(out, "Prices: {}", view.head.prices);
    if !view.head.adjustments.is_empty() {
        let _ = writeln!(
            out,
            "Price overrides applied: {}",
            view.head.adjustments.join(", ")
        );
    }
    if let Some(u) = &view.usage_file {
        let _ = writeln!(out, "Usage: {u}");
    }
    out
}

fn render_breakdown(view: &CostView, out: &mut String) {
    for p in &view.head.projects {
        let _ = writeln!(out, "Project: {}", p.name);
        if p.resources
            .iter()
            .all(|r| r.status != crate::cost::estimate::Status::Estimated)
        {
            let _ = writeln!(out, "\n  No priced resources.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "\n {:<NAME$} {:>11}  {:<12} {:>13}",
            "Name", "Monthly Qty", "Unit", "Monthly Cost"
        );
        for r in shown(&p.resources) {
            let _ = writeln!(out, " {}", r.address);
            let subs = &r.subresources;
            let n = r.components.len();
            for (i, c) in r.components.iter().enumerate() {
                let last = i + 1 == n && subs.is_empty();
                line(out, if last { " └─ " } else { " ├─ " }, c);
            }
            for (j, s) in subs.iter().enumerate() {
                let last_sub = j + 1 == subs.len();
                let _ = writeln!(out, " {} {}", if last_sub { "└─" } else { "├─" }, s.name);
                let indent = if last_sub { "    " } else { " │  " };
                for (i, c) in s.components.iter().enumerate() {
                    let branch = if i + 1 == s.components.len() {
                        "└─ "
                    } else {
                        "├─ "
                    };
                    line(out, &format!("{indent}{branch}"), c);
                }
            }
        }
        let _ = writeln!(
            out,
            "\n {:<NAME$} {:>11}  {:<12} {:>13}\n",
            "Project total",
            "",
            "",
            usd(p.monthly_cost())
        );
    }
    let _ = writeln!(
        out,
        " {:<NAME$} {:>11}  {:<12} {:>13}",
        "OVERALL TOTAL",
        "",
        "",
        usd(view.head.monthly_cost())
    );
}

/// One component line: quantity, unit and cost, or why there is none.
fn line(out: &mut String, prefix: &str, c: &Component) {
    let label = format!("{prefix}{}", c.name);
    let width = NAME + 1;
    let label_width = label.chars().count();
    let pad = width.saturating_sub(label_width);
    match (&c.note, c.monthly_cost()) {
        (Note::None, Some(cost)) => {
            let q = c.monthly_quantity.map(quantity).unwrap_or_default();
            let star = if c.usage_based { " *" } else { "" };
            let _ = writeln!(
                out,
                "{label}{:pad$} {:>10}  {:<12} {:>13}{star}",
                "",
                q,
                c.unit,
                usd(cost)
            );
        }
        (Note::NeedsUsage, _) => {
            let price = c.price.map(unit_price).unwrap_or_default();
            let _ = writeln!(
                out,
                "{label}{:pad$}  Monthly cost depends on usage: {price} per {}",
                "", c.unit
            );
        }
        (Note::Unknown(why), _) => {
            let _ = writeln!(out, "{label}{:pad$}  unknown: {why}", "");
        }
        (Note::PriceNotFound(key), _) => {
            let _ = writeln!(out, "{label}{:pad$}  price not found ({key})", "");
        }
        (Note::None, None) => {
            let _ = writeln!(out, "{label}");
        }
    }
}

fn render_diff(view: &CostView, out: &mut String) {
    let base = view.base_label.as_deref().unwrap_or("the base");
    let _ = writeln!(out, "Monthly cost change against {base}\n");
    let changed: Vec<_> = view.diff.iter().filter(|d| d.changed()).collect();
    for d in &changed {
        let _ = writeln!(out, "Project: {}", d.name);
        if !d.in_base {
            let _ = writeln!(out, "  (new project)");
        } else if !d.in_head {
            let _ = writeln!(out, "  (removed)");
        }
        out.push('\n');
        for r in &d.resources {
            let (mark, text) = match r.change {
                Change::Added => ("+", signed_usd(r.new.unwrap_or(0.0))),
                Change::Removed => ("-", signed_usd(-r.old.unwrap_or(0.0))),
                Change::Changed => (
                    "~",
                    format!(
                        "{} → {}  ({})",
                        usd(r.old.unwrap_or(0.0)),
                        usd(r.new.unwrap_or(0.0)),
                        signed_usd(r.delta())
                    ),
                ),
            };
            let _ = writeln!(out, "{mark} {:<58} {text:>30}", r.address);
        }
        let _ = writeln!(
            out,
            "\nMonthly cost change for {}: {} ({} → {})\n",
            d.name,
            signed_usd(d.delta()),
            usd(d.old),
            usd(d.new)
        );
    }
    let unchanged = view.diff.len() - changed.len();
    if unchanged > 0 {
        let _ = writeln!(
            out,
            "{unchanged} {} unchanged.\n",
            if unchanged == 1 {
                "project is"
            } else {
                "projects are"
            }
        );
    }
    let _ = writeln!(
        out,
        "Key: + added, - removed, ~ changed\n\nOVERALL: {} a month ({} → {})",
        signed_usd(view.delta()),
        usd(view.past_total().unwrap_or(0.0)),
        usd(view.head.monthly_cost())
    );
}
