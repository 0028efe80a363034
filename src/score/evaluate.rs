//! Scoring entities: each rule passes, fails or does not apply; the entity holds the highest
//! level whose rules, and every lower level's, all pass or do not apply; its score is the
//! weight that passed over the weight that applied.

use super::facts::Facts;
use super::op::{Found, Op};
use super::path::{Reached, Root};
use super::{Check, LevelDef, Rule, Scorecard};
use crate::catalog::Entity;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value as Json;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub cards: Vec<CardScores>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardScores {
    pub id: String,
    pub description: Option<String>,
    pub file: String,
    /// Lowest rank first.
    pub levels: Vec<LevelDef>,
    /// Best first: level rank, then score, then entity ref.
    pub entities: Vec<EntityScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityScore {
    /// `component:default/payments-api`.
    pub entity: String,
    /// The name to show: its title, else its name.
    pub title: String,
    pub owner: Option<String>,
    /// The descriptor and the line its document starts.
    pub file: String,
    pub line: usize,
    /// The highest level held; `None` when a rule of the lowest level fails.
    pub level: Option<String>,
    /// The rank of `level`; 0 for none.
    pub rank: u32,
    /// Passed weight over applicable weight, 0 to 1 (1 when no rule applies).
    pub score: f64,
    /// In the scorecard's order.
    pub rules: Vec<RuleOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleOutcome {
    pub id: String,
    pub description: Option<String>,
    pub level: String,
    pub weight: f64,
    pub status: RuleStatus,
    /// What was found; on failure, also how to fix it; for n/a, why it does not apply.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RuleStatus {
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl RuleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Pass => "pass",
            RuleStatus::Fail => "fail",
            RuleStatus::NotApplicable => "n/a",
        }
    }
}

impl CardScores {
    /// How many entities hold each level, highest rank first, then `None` for those below the
    /// lowest level.
    pub fn level_counts(&self) -> Vec<(Option<&str>, usize)> {
        let mut out: Vec<(Option<&str>, usize)> = self
            .levels
            .iter()
            .rev()
            .map(|l| {
                let n = self
                    .entities
                    .iter()
                    .filter(|e| e.level.as_deref() == Some(l.name.as_str()))
                    .count();
                (Some(l.name.as_str()), n)
            })
            .collect();
        let none = self.entities.iter().filter(|e| e.level.is_none()).count();
        out.push((None, none));
        out
    }
}

impl EntityScore {
    /// The score as a whole percentage that never rounds to 100 while a rule fails, nor to 0
    /// while one passes.
    pub fn percent(&self) -> u32 {
        let p = (self.score * 100.0).round().clamp(0.0, 100.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let p = p as u32;
        if self.score < 1.0 && p == 100 {
            99
        } else if self.score > 0.0 && p == 0 {
            1
        } else {
            p
        }
    }

    /// The ids of the rules that failed, in the scorecard's order.
    pub fn failing(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .filter(|r| r.status == RuleStatus::Fail)
            .map(|r| r.id.as_str())
    }
}

/// Scores every entity each scorecard applies to. Entities are scored in parallel; the output
/// is sorted, so it does not depend on the thread count.
pub fn evaluate(cards: &[Scorecard], entities: &[Entity], facts: &dyn Facts) -> Scores {
    Scores {
        cards: cards
            .iter()
            .map(|card| score_card(card, entities, facts))
            .collect(),
    }
}

fn score_card(card: &Scorecard, entities: &[Entity], facts: &dyn Facts) -> CardScores {
    let mut scored: Vec<EntityScore> = entities
        .par_iter()
        .filter(|e| card.applies_to.matches(e))
        .map(|e| score_entity(card, e, facts))
        .collect();
    scored.sort_by(|a, b| {
        b.rank
            .cmp(&a.rank)
            .then(b.score.total_cmp(&a.score))
            .then_with(|| a.entity.cmp(&b.entity))
    });
    CardScores {
        id: card.id.clone(),
        description: card.description.clone(),
        file: card.file.clone(),
        levels: card.levels.clone(),
        entities: scored,
    }
}

/// An entity as the document paths start from, `{apiVersion, kind, metadata, spec}`, without
/// copying its metadata and spec.
struct EntityDoc<'a> {
    api_version: Json,
    kind: Json,
    entity: &'a Entity,
}

impl Root for EntityDoc<'_> {
    fn field(&self, key: &str) -> Option<&Json> {
        match key {
            "apiVersion" => Some(&self.api_version),
            "kind" => Some(&self.kind),
            "metadata" => Some(&self.entity.metadata),
            "spec" => Some(&self.entity.spec),
            _ => None,
        }
    }
}

fn score_entity(card: &Scorecard, e: &Entity, facts: &dyn Facts) -> EntityScore {
    let doc = EntityDoc {
        api_version: Json::String(e.api_version.clone()),
        kind: Json::String(e.kind.clone()),
        entity: e,
    };
    let rules: Vec<RuleOutcome> = card
        .rules
        .iter()
        .map(|r| outcome(r, e, &doc, facts))
        .collect();
    // The lowest rank with a failing rule caps the level below it.
    let failed_rank = card
        .rules
        .iter()
        .zip(&rules)
        .filter(|(_, o)| o.status == RuleStatus::Fail)
        .map(|(r, _)| r.rank)
        .min();
    let held = card
        .levels
        .iter()
        .take_while(|l| failed_rank.is_none_or(|f| l.rank < f))
        .last();
    let (mut passed, mut applicable) = (0.0, 0.0);
    for o in &rules {
        match o.status {
            RuleStatus::Pass => {
                passed += o.weight;
                applicable += o.weight;
            }
            RuleStatus::Fail => applicable += o.weight,
            RuleStatus::NotApplicable => {}
        }
    }
    let score = if applicable > 0.0 {
        // Four decimals are plenty for a percentage and keep JSON output short.
        (passed / applicable * 10_000.0).round() / 10_000.0
    } else {
        1.0
    };
    EntityScore {
        entity: e.entity_ref().to_string(),
        title: e.display_name().to_string(),
        owner: e.owner.as_ref().map(ToString::to_string),
        file: e.file.clone(),
        line: e.line,
        level: held.map(|l| l.name.clone()),
        rank: held.map_or(0, |l| l.rank),
        score,
        rules,
    }
}

fn outcome(rule: &Rule, e: &Entity, doc: &EntityDoc, facts: &dyn Facts) -> RuleOutcome {
    let (status, message) = match rule.applies_to.why_not(e) {
        Some(why) => (RuleStatus::NotApplicable, format!("does not apply: {why}")),
        None => run(rule, e, doc, facts),
    };
    RuleOutcome {
        id: rule.id.clone(),
        description: rule.description.clone(),
        level: rule.level.clone(),
        weight: rule.weight,
        status,
        message,
    }
}

/// How a failure is fixed when the rule says nothing: a verb for the descriptor (`add it to`
/// catalog-info.yaml), or the fact's own advice.
enum Hint {
    Descriptor(&'static str),
    Fact(&'static str),
}

fn run(rule: &Rule, e: &Entity, doc: &EntityDoc, facts: &dyn Facts) -> (RuleStatus, String) {
    let (pass, said, hint) = match &rule.check {
        Check::Path { path, op } => {
            let found = match path.select(doc) {
                Reached::One(v) => Found::One(v),
                Reached::Many(values) => {
                    let said = path.describe_many(&values);
                    Found::Many(values, said)
                }
                Reached::Missing { step, wrong } => {
                    Found::Missing(path.describe_missing(step, wrong))
                }
            };
            let (pass, said) = op.apply(path.as_str(), &found);
            let verb = match (op, &found) {
                (Op::Absent, _) => "remove it from",
                (_, Found::Missing(_)) if path.is_many() => "add one to",
                (_, Found::Missing(_)) => "add it to",
                _ => "change it in",
            };
            (pass, said, Hint::Descriptor(verb))
        }
        Check::Fact { fact, op } => match facts.fact(e, fact.name).to_json() {
            Err(why) => {
                return (
                    RuleStatus::NotApplicable,
                    format!("{} is unknown: {why}", fact.name),
                );
            }
            Ok(value) => {
                let (pass, said) = op.apply(fact.name, &Found::One(&value));
                (pass, said, Hint::Fact(fact.fix))
            }
        },
    };
    if pass {
        return (RuleStatus::Pass, said);
    }
    let message = match (&rule.fix, hint) {
        (Some(fix), _) => format!("{said}: {fix}"),
        (None, Hint::Fact(fix)) => format!("{said}: {fix}"),
        (None, Hint::Descriptor(verb)) => {
            let file = e.file.rsplit('/').next().unwrap_or(&e.file);
            format!("{said}: {verb} {file}")
        }
    };
    (RuleStatus::Fail, message)
}

/// For tests: a fact source from a closure.
#[cfg(test)]
pub(crate) struct FnFacts<F>(pub F);

#[cfg(test)]
impl<F: Fn(&Entity, &str) -> super::Fact + Sync> Facts for FnFacts<F> {
    fn fact(&self, entity: &Entity, name: &str) -> super::Fact {
        (self.0)(entity, name)
    }
}
