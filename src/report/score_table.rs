//! `stackgate score --format table`: per scorecard, one line per entity (best first) with its
//! owner, level, score and failing rules, then how many entities hold each level.

use crate::score::{CardScores, Scores};
use std::fmt::Write as _;

pub fn render(scores: &Scores) -> String {
    let mut out = String::new();
    if scores.cards.is_empty() {
        out.push_str("No scorecard to evaluate.\n");
        return out;
    }
    for (i, card) in scores.cards.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_card(card, &mut out);
    }
    out
}

fn render_card(card: &CardScores, out: &mut String) {
    let _ = write!(out, "Scorecard: {}", card.id);
    if let Some(d) = &card.description {
        let _ = write!(out, " - {}", one_line(d));
    }
    let _ = writeln!(out, " ({})\n", card.file);
    if card.entities.is_empty() {
        let _ = writeln!(out, "  No entity matches this scorecard.");
        return;
    }
    let header = ["Entity", "Owner", "Level", "Score", "Failing"];
    let rows: Vec<[String; 5]> = card
        .entities
        .iter()
        .map(|e| {
            let failing: Vec<&str> = e.failing().collect();
            [
                e.entity.clone(),
                e.owner.clone().unwrap_or_else(|| "-".into()),
                e.level.clone().unwrap_or_else(|| "-".into()),
                format!("{}%", e.percent()),
                if failing.is_empty() {
                    "-".to_string()
                } else {
                    failing.join(", ")
                },
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    line(out, &header.map(str::to_string), &widths);
    for row in &rows {
        line(out, row, &widths);
    }
    let counts: Vec<String> = card
        .level_counts()
        .into_iter()
        .map(|(level, n)| format!("{} {n}", level.unwrap_or("none")))
        .collect();
    let n = card.entities.len();
    let _ = writeln!(
        out,
        "\n  {} ({n} {})",
        counts.join(" ∙ "),
        if n == 1 { "entity" } else { "entities" }
    );
}

/// One row: text columns left-aligned, the score right-aligned, no trailing spaces.
fn line(out: &mut String, cells: &[String; 5], widths: &[usize; 5]) {
    let mut text = String::from(" ");
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        let pad = w.saturating_sub(cell.chars().count());
        text.push(' ');
        if i == 3 {
            text.push_str(&" ".repeat(pad));
            text.push_str(cell);
        } else {
            text.push_str(cell);
            text.push_str(&" ".repeat(pad));
        }
        text.push(' ');
    }
    let _ = writeln!(out, "{}", text.trim_end());
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::fixture;

    #[test]
    fn table_per_scorecard() {
        let out = render(&fixture::scores());
        insta::assert_snapshot!(out);
    }

    #[test]
    fn empty_cases() {
        assert_eq!(render(&Scores::default()), "No scorecard to evaluate.\n");
        let mut scores = fixture::scores();
        scores.cards[0].entities.clear();
        let out = render(&scores);
        assert!(out.contains("No entity matches this scorecard."), "{out}");
    }
}
