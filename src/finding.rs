//! Findings are the data every stage produces; rendering lives in `report/`.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// How serious a finding is. Ordered so that `Deny` is the greatest.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warn,
    #[default]
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "info" => Some(Level::Info),
            "warn" | "warning" => Some(Level::Warn),
            "deny" | "error" => Some(Level::Deny),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, at one place. `file` is relative to the repository root with `/` separators;
/// `line` and `column` are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    /// The policy that produced it; `None` for built-in checks (parse, schema, forms, catalog).
    pub policy: Option<String>,
    pub level: Level,
    pub message: String,
    pub file: String,
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Terraform address, stack instance name or entity ref, when the finding is about one.
    pub resource: Option<String>,
    /// A short hint on how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Set when a waiver accepted this finding: it is reported, but does not fail the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<crate::policy::Suppression>,
}

impl Finding {
    /// A finding with the code's default level.
    pub fn new(
        code: &'static str,
        file: impl Into<String>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            policy: None,
            level: crate::codes::default_level(code),
            message: message.into(),
            file: file.into(),
            line: line.max(1),
            column: None,
            resource: None,
            help: None,
            suppression: None,
        }
    }

    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column.max(1));
        self
    }

    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The deterministic order of every report: path, line, code, then the rest.
    pub fn sort_key_cmp(&self, other: &Self) -> Ordering {
        (
            &self.file,
            self.line,
            self.code,
            self.column,
            &self.resource,
            &self.message,
        )
            .cmp(&(
                &other.file,
                other.line,
                other.code,
                other.column,
                &other.resource,
                &other.message,
            ))
    }
}

/// Sorts and removes exact duplicates (the same problem reached twice, e.g. through an alias).
pub fn normalize(findings: &mut Vec<Finding>) {
    findings.sort_by(Finding::sort_key_cmp);
    findings.dedup();
}
