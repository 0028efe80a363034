//! Policies: the platform team's guardrails (regions, instance sizes, tags, costs, attributes,
//! resource types) checked against every evaluated resource, stack instance and form, with
//! levels, scopes and waivers.
//!
//! Loading turns policy files into [`PolicySet`] (a broken policy is a finding; the others still
//! run). Evaluation turns projects into findings; waivers then move the findings they cover to
//! the suppressed list. Each rule kind lives in its own file with the same shape: a `parse` from
//! the policy's fields, `check` of one resource, and its documentation.

pub mod attr_op;
pub mod attr_path;
mod attribute;
mod cost;
pub mod cost_check;
mod date;
mod evaluate;
mod explain;
pub(crate) mod fields;
mod forms;
pub mod glob;
mod inline;
mod instance_type;
mod load;
pub mod machine_types;
mod region;
mod resource_type;
mod scope;
pub mod size;
pub mod taggable;
mod tags;
mod waiver;

pub use date::{Date, today};
pub use evaluate::{Outcome, evaluate};
pub use explain::{KIND_DOCS, KindDoc, explain_kind, explain_policy};
pub use load::load;
pub use waiver::{Suppression, SuppressionKind, Waiver};

use crate::codes::CodeInfo;
use crate::finding::Level;
use crate::terraform::resource::Resource;
use serde::Serialize;

/// Every policy and waiver of the repository's policy files.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    pub waivers: Vec<Waiver>,
}

#[derive(Debug)]
pub struct Policy {
    pub id: String,
    pub kind: Kind,
    pub level: Level,
    pub description: Option<String>,
    /// The level of a finding for a value that cannot be resolved; `None` ignores them.
    pub on_unknown: Option<Level>,
    pub scope: scope::Scope,
    pub file: String,
    pub line: usize,
    rule: Rule,
    /// The policy as written, for `stackgate explain <policy-id>`.
    pub source: serde_json::Value,
}

/// What the report carries about a policy, for renderers (SARIF rules, the site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    pub kind: &'static str,
    pub level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub file: String,
    pub line: usize,
}

impl Policy {
    /// The monthly budget of a cost policy.
    pub fn max_monthly(&self) -> Option<f64> {
        match &self.rule {
            Rule::Cost(c) => c.max_monthly,
            _ => None,
        }
    }

    pub fn info(&self) -> PolicyInfo {
        PolicyInfo {
            id: self.id.clone(),
            kind: self.kind.as_str(),
            level: self.level,
            description: self.description.clone(),
            file: self.file.clone(),
            line: self.line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Region,
    InstanceType,
    Tags,
    Cost,
    Attribute,
    ResourceType,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Region,
        Kind::InstanceType,
        Kind::Tags,
        Kind::Cost,
        Kind::Attribute,
        Kind::ResourceType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::InstanceType => "instance-type",
            Kind::Tags => "tags",
            Kind::Cost => "cost",
            Kind::Attribute => "attribute",
            Kind::ResourceType => "resource-type",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug)]
enum Rule {
    Region(region::Region),
    InstanceType(instance_type::InstanceType),
    Tags(tags::Tags),
    Cost(cost::Cost),
    Attribute(attribute::Attribute),
    ResourceType(resource_type::ResourceType),
}

impl Rule {
    /// Whether resources of this type can concern the rule at all; decided once per type, so
    /// that each resource meets only the policies that can apply to it.
    fn relevant(&self, resource_type: &str) -> bool {
        match self {
            Rule::Region(_) | Rule::Tags(_) | Rule::ResourceType(_) => true,
            Rule::InstanceType(_) => machine_types::covered_types().any(|t| t == resource_type),
            Rule::Cost(_) => false,
            Rule::Attribute(k) => k.relevant(resource_type),
        }
    }

    /// Checks one managed resource.
    fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        match self {
            Rule::Region(k) => k.check(r, out),
            Rule::InstanceType(k) => k.check(r, out),
            Rule::Tags(k) => k.check(r, out),
            Rule::Cost(_) => {}
            Rule::Attribute(k) => k.check(r, out),
            Rule::ResourceType(k) => k.check(r, out),
        }
    }

    /// Whether the rule judges the value of a stack instance or form key by its name
    /// (`aws_region` for regions, `instance_type` for sizes).
    fn judges_key(&self, key: &str) -> bool {
        match self {
            Rule::Region(_) => region::is_region_key(key),
            Rule::InstanceType(_) => instance_type::is_instance_type_key(key),
            _ => false,
        }
    }

    /// Checks a value a stack instance or a form sets directly (`aws_region: us-west-2`), for
    /// the kinds that judge such values.
    fn check_value(&self, key: &str, value: &str) -> Option<Verdict> {
        if !self.judges_key(key) {
            return None;
        }
        match self {
            Rule::Region(k) => k.check_region(value),
            Rule::InstanceType(k) => k.check_type(value),
            _ => None,
        }
    }
}

/// Whether a key's last segment (`module.db.instance_class` → `instance_class`) is one of
/// `names` or ends with `_<name>`, ignoring ASCII case. Called for every instance value and
/// policy, so it compares without allocating.
fn key_names_one_of(key: &str, names: &[&str]) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    names.iter().any(|n| {
        let Some(start) = last.len().checked_sub(n.len()) else {
            return false;
        };
        last.get(start..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(n))
            && (start == 0 || last.as_bytes().get(start - 1) == Some(&b'_'))
    })
}

/// What a rule says about one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Violation {
        message: String,
        help: Option<String>,
        /// The offending scalar (`us-west-2`), so a violation can point at the stack instance
        /// value that set it.
        value: Option<String>,
    },
    /// The rule could not decide: `message` says which value was unknown and why.
    Unknown { message: String },
}

impl Verdict {
    fn violation(message: impl Into<String>) -> Verdict {
        Verdict::Violation {
            message: message.into(),
            help: None,
            value: None,
        }
    }

    fn with_value(self, v: impl Into<String>) -> Verdict {
        match self {
            Verdict::Violation { message, help, .. } => Verdict::Violation {
                message,
                help,
                value: Some(v.into()),
            },
            u => u,
        }
    }

    fn with_help(self, h: impl Into<String>) -> Verdict {
        match self {
            Verdict::Violation { message, value, .. } => Verdict::Violation {
                message,
                help: Some(h.into()),
                value,
            },
            u => u,
        }
    }
}

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "policy-violation",
        level: Level::Deny,
        summary: "a resource, stack instance or form breaks a policy",
        explanation: "A policy of the repository's policy files does not hold. The finding's \
policy id names the policy, its level is the policy's `level`, and it points at the resource \
block (or at the stack instance value that set the offending value). Fix the resource, or waive \
it with a reason: a `waivers` entry in a policy file, or `# stackgate:ignore <policy-id> \
reason=\"…\" expires=YYYY-MM-DD` on or above the block. `stackgate explain <policy-id>` prints \
what the policy checks.",
    },
    CodeInfo {
        code: "policy-unknown",
        level: Level::Warn,
        summary: "a policy could not decide because a value is not known before apply",
        explanation: "The value a policy needs (a region, an instance type, a tag) cannot be \
resolved statically: a variable without a value, an attribute the provider computes, a data \
source. stackgate never passes such a resource silently: it reports which value was unknown \
and why. The policy's `on_unknown` (warn by default; deny, info or ignore) sets the level. Give \
the variable a value (tfvars, `var_files` in stackgate.yaml, the stack instance) to let the \
policy decide.",
    },
    CodeInfo {
        code: "policy-invalid",
        level: Level::Deny,
        summary: "a policy file or a policy in it is invalid",
        explanation: "A policy file is not valid YAML, or a policy has an unknown kind or field, a \
bad level, operator, glob or regular expression, or an id used twice. The broken policy does not \
run; the others do. The finding points at the offending key.",
    },
    CodeInfo {
        code: "waiver-invalid",
        level: Level::Deny,
        summary: "a waiver is refused (no reason, bad date, unknown policy)",
        explanation: "Every waiver must say why: a `reason` in a policy file's `waivers`, \
`reason=\"…\"` in an inline `# stackgate:ignore` comment. A waiver without a reason, with an \
`expires` date that is not YYYY-MM-DD, or naming a policy no policy file defines is refused: \
the violations it meant to cover stay.",
    },
    CodeInfo {
        code: "waiver-expired",
        level: Level::Warn,
        summary: "a waiver has expired, so the violations it covered are back",
        explanation: "A waiver's `expires` date has passed. The violations it covered are reported \
again at their policy's level, and this finding points at the waiver so it can be renewed (with \
a new reason) or removed.",
    },
    CodeInfo {
        code: "waiver-unused",
        level: Level::Info,
        summary: "a waiver matches no violation",
        explanation: "A waiver covers nothing: the resource was fixed, renamed or removed, or the \
pattern has a typo. Delete the waiver so it cannot hide a future violation by accident.",
    },
    CodeInfo {
        code: "form-offers-forbidden",
        level: Level::Warn,
        summary: "a stack form offers a value the policies forbid",
        explanation: "A field of a `.forms.yml` offers (in `values` or as its `default`) a region \
or an instance type that a policy forbids for every environment, so a developer filling the \
form as offered would be blocked at review. Remove the value from the form, or change the \
policy. Policies scoped to some environments are not held against forms, since the form may \
serve other environments.",
    },
    CodeInfo {
        code: "cost-unavailable",
        level: Level::Info,
        summary: "a cost policy cannot be checked because no cost estimate was made",
        explanation: "A `cost` policy (`max_monthly`, `max_increase`) needs the monthly cost of \
each project. The policy is valid, but this run made no cost estimate, so nothing was checked \
against it.",
    },
];
