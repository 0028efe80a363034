//! `kind: cost`: monthly budgets per project (`max_monthly`) and per pull request
//! (`max_increase`). The policy is read and validated here; it is checked against the cost
//! report, and a run without a cost estimate says so instead of passing silently.

use super::explain::KindDoc;
use super::fields::Fields;
use crate::cost::money::usd;

#[derive(Debug)]
pub struct Cost {
    pub max_monthly: Option<f64>,
    pub max_increase: Option<f64>,
}

pub const DOC: KindDoc = KindDoc {
    kind: "cost",
    summary: "monthly budgets: per project, and per pull request",
    fields: &[
        ("max_monthly", "the most a project may cost a month, in USD"),
        (
            "max_increase",
            "the most a pull request may add to a project's monthly cost, in USD",
        ),
    ],
    details: "Reads the estimated monthly cost of each project in scope (the same figures \
`stackgate cost` shows). `max_monthly` is checked against the head; `max_increase` against the \
difference with the base of the change, so it needs `--base REV` (or `stackgate pr`). A budget \
that cannot be checked yields one `cost-unavailable` finding (info) instead of a silent pass. A \
finding points at the stack instance file, or at the project's most expensive resource.",
    example: "- id: prod-budget\n  kind: cost\n  level: warn\n  max_monthly: 2000\n  max_increase: 500\n  where: { environment: [prod] }",
};

impl Cost {
    pub fn parse(f: &mut Fields) -> Option<Cost> {
        let max_monthly = f.number("max_monthly");
        let max_increase = f.number("max_increase");
        for (key, v) in [("max_monthly", max_monthly), ("max_increase", max_increase)] {
            if v.is_some_and(|v| v < 0.0 || !v.is_finite()) {
                f.problem(&[key], format!("`{key}` must be a positive amount of USD"));
            }
        }
        if max_monthly.is_none() && max_increase.is_none() && f.problems.is_empty() {
            f.problem(
                &[],
                "a cost policy needs `max_monthly`, `max_increase` or both",
            );
        }
        Some(Cost {
            max_monthly,
            max_increase,
        })
    }

    /// `at most $2,000.00 a month, at most +$500.00 per change`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.max_monthly {
            parts.push(format!("at most {} a month", usd(m)));
        }
        if let Some(i) = self.max_increase {
            parts.push(format!("at most +{} a month per change", usd(i)));
        }
        parts.join(", ")
    }
}
