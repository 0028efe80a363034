//! `stackgate score --format markdown`: the body of the scorecard comment on a pull request.
//! Per scorecard, a summary table (entity, level, score), then per entity its rules folded in a
//! `<details>` block.

use crate::score::{CardScores, EntityScore, RuleStatus, Scores};
use std::fmt::Write as _;

/// The hidden marker that finds the comment again.
pub const MARKER: &str = "<!-- stackgate:scorecard -->";

pub fn render(scores: &Scores) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}\n### Scorecards\n");
    if scores.cards.is_empty() {
        let _ = writeln!(out, "No scorecard to evaluate.");
        return out;
    }
    for card in &scores.cards {
        render_card(card, &mut out);
    }
    out
}

fn render_card(card: &CardScores, out: &mut String) {
    let _ = writeln!(out, "#### {}\n", html(&card.id));
    if let Some(d) = &card.description {
        let _ = writeln!(out, "{}\n", html(&one_line(d)));
    }
    if card.entities.is_empty() {
        let _ = writeln!(out, "No entity matches this scorecard.\n");
        return;
    }
    let counts: Vec<String> = card
        .level_counts()
        .into_iter()
        .map(|(level, n)| format!("{}: {n}", html(level.unwrap_or("none"))))
        .collect();
    let _ = writeln!(out, "{}\n", counts.join(" · "));
    let _ = writeln!(out, "| Entity | Level | Score |\n| --- | --- | ---: |");
    for e in &card.entities {
        let _ = writeln!(
            out,
            "| {} | {} | {}% |",
            cell(&entity_name(e)),
            level(e),
            e.percent()
        );
    }
    out.push('\n');
    for e in &card.entities {
        details(e, out);
    }
}

fn details(e: &EntityScore, out: &mut String) {
    let _ = writeln!(
        out,
        "<details><summary>{}: {}, {}%</summary>\n",
        html(&entity_name(e)),
        html(e.level.as_deref().unwrap_or("no level")),
        e.percent()
    );
    let _ = writeln!(
        out,
        "| | Rule | Level | Result |\n| --- | --- | --- | --- |"
    );
    for r in &e.rules {
        let mark = match r.status {
            RuleStatus::Pass => "✅",
            RuleStatus::Fail => "❌",
            RuleStatus::NotApplicable => "➖",
        };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} | {} |",
            cell(&r.id),
            cell(&r.level),
            cell(&r.message)
        );
    }
    let _ = writeln!(out, "\n</details>\n");
}

/// `Payments API (component:default/payments-api)`, or the ref alone when there is no title.
fn entity_name(e: &EntityScore) -> String {
    if e.entity.ends_with(&format!("/{}", e.title)) {
        e.entity.clone()
    } else {
        format!("{} ({})", e.title, e.entity)
    }
}

fn level(e: &EntityScore) -> String {
    e.level.as_deref().map_or("*none*".to_string(), cell)
}

/// Text in HTML (`<summary>`) or markdown outside tables: angle brackets and ampersands would
/// be markup.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Table cells: pipes and newlines would also break the table.
fn cell(s: &str) -> String {
    html(s).replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::fixture;

    #[test]
    fn comment_body() {
        let out = render(&fixture::scores());
        assert!(out.starts_with(MARKER));
        // The title `Cart <beta> | API` must not open a tag or split a cell.
        assert!(out.contains("Cart &lt;beta&gt; \\| API (component:default/cart-api)"));
        assert!(!out.contains("<beta>"));
        insta::assert_snapshot!(out);
    }

    #[test]
    fn escaping() {
        assert_eq!(cell("a|b<c>&\nd"), "a\\|b&lt;c&gt;&amp; d");
        assert_eq!(html("<x>"), "&lt;x&gt;");
        assert!(render(&Scores::default()).contains("No scorecard to evaluate."));
    }
}
