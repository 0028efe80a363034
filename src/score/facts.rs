//! Facts: what a scorecard rule may ask about an entity beyond its descriptor (policy findings,
//! cost, docs, on-call, git history). The caller computes them; this file names them, so a
//! scorecard is checked against the list when it loads and the docs come from one place.

use crate::catalog::Entity;
use serde::Serialize;

/// The type of a fact's value, which decides the operators and values a rule may use with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    Number,
    Bool,
    Text,
}

impl FactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Number => "number",
            FactKind::Bool => "bool",
            FactKind::Text => "text",
        }
    }
}

/// One fact a rule can check with `check: { fact: NAME, op: ..., value: ... }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FactInfo {
    pub name: &'static str,
    pub kind: FactKind,
    pub description: &'static str,
    /// How to fix a failing rule on this fact, when the rule gives no `fix` of its own.
    pub fix: &'static str,
}

pub const FACTS: &[FactInfo] = &[
    FactInfo {
        name: "policy.deny",
        kind: FactKind::Number,
        description: "Open deny findings on the projects the entity runs on.",
        fix: "fix the deny findings on the projects it runs on (see `stackgate check`)",
    },
    FactInfo {
        name: "policy.warn",
        kind: FactKind::Number,
        description: "Open warn findings on the projects the entity runs on.",
        fix: "fix the warn findings on the projects it runs on (see `stackgate check`)",
    },
    FactInfo {
        name: "cost.monthly",
        kind: FactKind::Number,
        description: "Estimated monthly cost, in USD, of the projects the entity runs on.",
        fix: "reduce the cost of the projects it runs on (see `stackgate cost`)",
    },
    FactInfo {
        name: "cost.budget",
        kind: FactKind::Number,
        description: "The smallest `max_monthly` of the cost policies that apply to its projects.",
        fix: "add a cost policy with `max_monthly` that covers its projects",
    },
    FactInfo {
        name: "cost.over_budget",
        kind: FactKind::Bool,
        description: "Whether its monthly cost is above `cost.budget`.",
        fix: "bring the monthly cost of its projects under the budget (see `stackgate cost`)",
    },
    FactInfo {
        name: "projects.count",
        kind: FactKind::Number,
        description: "How many projects (stack instances, Terraform roots) the entity runs on.",
        fix: "set `metadata.component` to its name in the stack instances it runs on",
    },
    FactInfo {
        name: "docs.present",
        kind: FactKind::Bool,
        description: "Whether a README or a docs/ folder sits next to its descriptor.",
        fix: "add a README.md or a docs/ folder next to its catalog-info.yaml",
    },
    FactInfo {
        name: "docs.runbook",
        kind: FactKind::Bool,
        description: "Whether it has a runbook: a link titled or typed runbook, or a runbook doc.",
        fix: "add a metadata.links entry titled Runbook, or a docs/runbook.md",
    },
    FactInfo {
        name: "oncall",
        kind: FactKind::Bool,
        description: "Whether alerts reach someone: a PagerDuty or Opsgenie annotation.",
        fix: "add a `pagerduty.com/service-id` or `opsgenie.com/team` annotation",
    },
    FactInfo {
        name: "git.last_change",
        kind: FactKind::Text,
        description: "The date (YYYY-MM-DD) of the last commit touching its descriptor's folder.",
        fix: "review its descriptor and docs, and commit what changed",
    },
    FactInfo {
        name: "git.last_change_days",
        kind: FactKind::Number,
        description: "Days since the last commit touching its descriptor's folder.",
        fix: "review its descriptor and docs, and commit what changed",
    },
];

pub fn lookup(name: &str) -> Option<&'static FactInfo> {
    FACTS.iter().find(|f| f.name == name)
}

/// The value of one fact for one entity.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Number(f64),
    Bool(bool),
    Text(String),
    /// Not known for this entity; the text says why (the rule is then n/a with that reason).
    Unknown(String),
}

/// Where facts come from: the caller, which has the policy findings, costs and git history.
pub trait Facts: Sync {
    fn fact(&self, entity: &Entity, name: &str) -> Fact;
}

/// No facts at all: every fact rule is n/a. For runs that only look at descriptors.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFacts;

impl Facts for NoFacts {
    fn fact(&self, _: &Entity, name: &str) -> Fact {
        Fact::Unknown(format!("{name} is not computed in this run"))
    }
}

impl Fact {
    /// The value as JSON, for the operators; `Err` with the reason when it is not known.
    pub(super) fn to_json(&self) -> Result<serde_json::Value, String> {
        match self {
            Fact::Number(n) => number(*n).ok_or_else(|| format!("is not a number ({n})")),
            Fact::Bool(b) => Ok(serde_json::Value::Bool(*b)),
            Fact::Text(s) => Ok(serde_json::Value::String(s.clone())),
            Fact::Unknown(why) => Err(why.clone()),
        }
    }
}

/// A JSON number, integral when it is one, so messages say `3`, not `3.0`.
pub(super) fn number(n: f64) -> Option<serde_json::Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        // Exact: |n| < 2^53 and integral.
        #[allow(clippy::cast_possible_truncation)]
        return Some(serde_json::Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(serde_json::Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_unique_and_documented() {
        let mut names: Vec<&str> = FACTS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FACTS.len());
        for f in FACTS {
            assert!(!f.description.is_empty() && !f.fix.is_empty(), "{}", f.name);
        }
        assert_eq!(lookup("oncall").map(|f| f.kind), Some(FactKind::Bool));
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn fact_values_as_json() {
        assert_eq!(Fact::Number(3.0).to_json(), Ok(serde_json::json!(3)));
        assert_eq!(Fact::Number(2.5).to_json(), Ok(serde_json::json!(2.5)));
        assert!(Fact::Number(f64::NAN).to_json().is_err());
        assert_eq!(Fact::Bool(true).to_json(), Ok(serde_json::json!(true)));
        assert_eq!(
            Fact::Unknown("runs on nothing".into()).to_json(),
            Err("runs on nothing".to_string())
        );
    }
}
