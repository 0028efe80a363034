//! Scorecards: levels (bronze, silver, gold) of rules over catalog entities, as in Cortex or
//! OpsLevel. A rule checks a path of the entity's descriptor or a fact the caller computes
//! (policy findings, cost, docs, on-call, git history); an entity holds the highest level whose
//! rules, and every lower level's, pass.
//!
//! Loading turns scorecard files into [`Scorecard`]s (a broken scorecard is findings and does
//! not run; the others do). Evaluation scores every entity a scorecard applies to.

mod evaluate;
pub mod facts;
mod load;
mod load_check;
pub mod op;
pub mod path;
mod value;

#[cfg(test)]
mod evaluate_tests;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod load_tests;

pub use evaluate::{CardScores, EntityScore, RuleOutcome, RuleStatus, Scores, evaluate};
pub use facts::{FACTS, Fact, FactInfo, FactKind, Facts, NoFacts};
pub use load::load;

use crate::catalog::Entity;
use crate::codes::CodeInfo;
use crate::finding::Level;
use op::Op;
use path::Path;
use serde::Serialize;

pub const CODES: &[CodeInfo] = &[CodeInfo {
    code: "scorecard-invalid",
    level: Level::Deny,
    summary: "a scorecard file or a rule in it is invalid",
    explanation: "A scorecard file holds one scorecard (`scorecard: ID` with `levels` and \
`rules`) or a list of them under `scorecards:`. Each level has a `name` and a `rank` (1 is the \
lowest), both unique. Each rule needs an `id` unique in its scorecard, a `level` the scorecard \
defines, and a `check`: either `path` (a path into the entity, like `spec.owner`, \
`metadata.annotations['pagerduty.com/service-id']` or `metadata.links[?title=='Runbook'].url`) or \
`fact` (one of the facts stackgate computes, like `policy.deny` or `cost.over_budget`), with an \
`op` (exists, absent, not_empty, eq, ne, gt, gte, lt, lte, in, matches, contains) and, for the \
comparing ops, a `value` of the right type. `weight` is a number of at least 0 (default 1). \
`applies_to` may list `kinds`, `types`, `lifecycles`, `tags` and `namespaces`. An unknown key, \
level, op or fact, a path that does not parse, or an id used twice is an error: the finding \
points at the offending key, and that scorecard is not evaluated (a partial scorecard would \
award levels it should not); the others are. A scorecard id defined again in another file is \
ignored there; the first one, in path order, is kept.",
}];

/// One scorecard, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Scorecard {
    pub id: String,
    pub description: Option<String>,
    pub applies_to: AppliesTo,
    /// Lowest rank first.
    pub levels: Vec<LevelDef>,
    /// In file order.
    pub rules: Vec<Rule>,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelDef {
    pub name: String,
    pub rank: u32,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub level: String,
    /// The rank of `level`, so evaluation needs no lookup.
    pub rank: u32,
    pub description: Option<String>,
    pub weight: f64,
    /// How to fix a failure, in the rule author's words.
    pub fix: Option<String>,
    pub applies_to: AppliesTo,
    pub check: Check,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub enum Check {
    Path { path: Path, op: Op },
    Fact { fact: &'static FactInfo, op: Op },
}

/// Which entities a scorecard or rule is for. An empty list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliesTo {
    /// Compared ignoring case, as Backstage compares kinds.
    pub kinds: Vec<String>,
    /// `spec.type`.
    pub types: Vec<String>,
    /// `spec.lifecycle`.
    pub lifecycles: Vec<String>,
    /// At least one of them in `metadata.tags`.
    pub tags: Vec<String>,
    /// Compared ignoring case, as Backstage compares namespaces.
    pub namespaces: Vec<String>,
}

impl AppliesTo {
    /// Whether the entity is in scope. Cheap: scoring asks it of every entity.
    pub fn matches(&self, e: &Entity) -> bool {
        let any = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
        };
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k.eq_ignore_ascii_case(&e.kind)))
            && (self.namespaces.is_empty()
                || self
                    .namespaces
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&e.namespace)))
            && any(&self.types, e.spec_type.as_deref())
            && any(&self.lifecycles, e.lifecycle.as_deref())
            && (self.tags.is_empty() || self.tags.iter().any(|t| e.tags.contains(t)))
    }

    /// Why the entity is out of scope (`its lifecycle is experimental, not production`), or
    /// `None` when it is in.
    pub fn why_not(&self, e: &Entity) -> Option<String> {
        if self.matches(e) {
            return None;
        }
        let list = |v: &[String]| v.join(", ");
        if !self.kinds.iter().any(|k| k.eq_ignore_ascii_case(&e.kind)) && !self.kinds.is_empty() {
            return Some(format!("its kind is {}, not {}", e.kind, list(&self.kinds)));
        }
        if !self.namespaces.is_empty()
            && !self
                .namespaces
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&e.namespace))
        {
            return Some(format!(
                "its namespace is {}, not {}",
                e.namespace,
                list(&self.namespaces)
            ));
        }
        let one_of = |what: &str, value: Option<&str>, allowed: &[String]| {
            if allowed.is_empty() || value.is_some_and(|v| allowed.iter().any(|a| a == v)) {
                return None;
            }
            Some(match value {
                Some(v) => format!("its {what} is {v}, not {}", list(allowed)),
                None => format!("it has no {what} ({} expected)", list(allowed)),
            })
        };
        one_of("type", e.spec_type.as_deref(), &self.types)
            .or_else(|| one_of("lifecycle", e.lifecycle.as_deref(), &self.lifecycles))
            .or_else(|| Some(format!("it has none of the tags {}", list(&self.tags))))
    }
}
