//! `stackgate score --format json`: every scorecard with its levels, how many entities hold
//! each, and every entity's level, score and rule outcomes.

use crate::score::{CardScores, EntityScore, LevelDef, Scores};
use serde::Serialize;

/// Version of the JSON score format; bumped on breaking changes only.
pub const SCORE_JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    scorecards: Vec<Card<'a>>,
}

#[derive(Serialize)]
struct Card<'a> {
    id: &'a str,
    description: Option<&'a str>,
    file: &'a str,
    levels: &'a [LevelDef],
    /// Highest level first, then the entities below every level (`level: null`).
    summary: Vec<Count<'a>>,
    entities: &'a [EntityScore],
}

#[derive(Serialize)]
struct Count<'a> {
    level: Option<&'a str>,
    entities: usize,
}

pub fn render(scores: &Scores) -> String {
    let out = Out {
        version: SCORE_JSON_VERSION,
        scorecards: scores.cards.iter().map(card).collect(),
    };
    // Plain data (strings, numbers, lists): serializing cannot fail.
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

fn card(c: &CardScores) -> Card<'_> {
    Card {
        id: &c.id,
        description: c.description.as_deref(),
        file: &c.file,
        levels: &c.levels,
        summary: c
            .level_counts()
            .into_iter()
            .map(|(level, entities)| Count { level, entities })
            .collect(),
        entities: &c.entities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::fixture;

    #[test]
    fn json_document() {
        let out = render(&fixture::scores());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(
            v["scorecards"][0]["entities"][1]["rules"][1]["status"],
            "fail"
        );
        assert_eq!(
            v["scorecards"][0]["entities"][1]["rules"][3]["status"],
            "n/a"
        );
        insta::assert_snapshot!(out);
    }

    #[test]
    fn no_scorecards() {
        assert_eq!(
            render(&Scores::default()),
            "{\n  \"version\": 1,\n  \"scorecards\": []\n}\n"
        );
    }
}
