//! Waivers: accepted violations, with a reason and an optional expiry. A waived violation is
//! kept, marked suppressed (SARIF `suppressions`), and does not fail the run; an expired waiver
//! lets the violation back and says so on its own line; a waiver that covers nothing is
//! reported so it cannot hide a future violation by accident.

use super::date::Date;
use crate::finding::Finding;
use regex::Regex;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct Waiver {
    pub policy: String,
    pub target: WaiverTarget,
    pub reason: String,
    pub expires: Option<Date>,
    /// Where the waiver is written (policy file entry, or the inline comment).
    pub file: String,
    pub line: usize,
    pub kind: SuppressionKind,
}

#[derive(Debug, Clone)]
pub enum WaiverTarget {
    /// From a policy file: globs over the resource address and the project path.
    Pattern {
        resource: Option<(String, Regex)>,
        project: Option<(String, Regex)>,
    },
    /// From an inline comment: the resource or module block declared at this file and line.
    Block { file: String, line: usize },
}

/// How a finding was suppressed; rendered as SARIF `suppressions[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the waiver is written.
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SuppressionKind {
    /// A waiver in a policy file.
    #[serde(rename = "external")]
    External,
    /// A `# stackgate:ignore` comment next to the code.
    #[serde(rename = "inSource")]
    InSource,
}

impl Waiver {
    /// What the waiver covers, for messages.
    pub fn target(&self) -> String {
        match &self.target {
            WaiverTarget::Pattern { resource, project } => match (resource, project) {
                (Some((r, _)), Some((p, _))) => format!("{r} in {p}"),
                (Some((r, _)), None) => r.clone(),
                (None, Some((p, _))) => format!("everything in {p}"),
                (None, None) => "nothing".to_string(),
            },
            WaiverTarget::Block { file, line } => format!("the block at {file}:{line}"),
        }
    }

    fn covers(&self, hit: &Hit) -> bool {
        if hit.finding.policy.as_deref() != Some(self.policy.as_str()) {
            return false;
        }
        match &self.target {
            WaiverTarget::Pattern { resource, project } => {
                // A finding about several resources is covered only if all of them are.
                let resource_ok = match resource {
                    Some((_, re)) => {
                        !hit.addresses.is_empty() && hit.addresses.iter().all(|a| re.is_match(a))
                    }
                    None => true,
                };
                let project_ok = match project {
                    Some((_, re)) => re.is_match(&hit.project),
                    None => true,
                };
                resource_ok && project_ok
            }
            WaiverTarget::Block { file, line } => {
                hit.blocks.iter().any(|(f, l)| f == file && l == line)
            }
        }
    }

    fn suppression(&self) -> Suppression {
        Suppression {
            kind: self.kind,
            reason: self.reason.clone(),
            expires: self.expires.map(|d| d.to_string()),
            file: self.file.clone(),
            line: self.line,
        }
    }
}

/// A policy finding and what a waiver can match it by.
#[derive(Debug, Clone)]
pub struct Hit {
    pub finding: Finding,
    /// The project's path.
    pub project: String,
    /// The resource addresses the finding is about.
    pub addresses: Vec<String>,
    /// The resource's block and the module blocks that lead to it (file, line).
    pub blocks: Vec<(String, usize)>,
}

/// Applies waivers: returns the findings still active, the suppressed ones, and the findings
/// about the waivers themselves (expired, unused).
pub fn apply(
    hits: Vec<Hit>,
    waivers: &[Waiver],
    today: Date,
) -> (Vec<Finding>, Vec<Finding>, Vec<Finding>) {
    let mut active = Vec::new();
    let mut suppressed = Vec::new();
    // Per waiver: how many findings it matched.
    let mut matched = vec![0usize; waivers.len()];
    for hit in hits {
        let mut waived = None;
        for (i, w) in waivers.iter().enumerate() {
            if !w.covers(&hit) {
                continue;
            }
            if let Some(n) = matched.get_mut(i) {
                *n += 1;
            }
            let expired = w.expires.is_some_and(|d| d < today);
            if !expired && waived.is_none() {
                waived = Some(w.suppression());
            }
        }
        match waived {
            Some(s) => {
                let mut f = hit.finding;
                f.suppression = Some(s);
                suppressed.push(f);
            }
            None => active.push(hit.finding),
        }
    }
    let mut about = Vec::new();
    for (i, w) in waivers.iter().enumerate() {
        let n = matched.get(i).copied().unwrap_or(0);
        let expired = w.expires.filter(|d| *d < today);
        let f = match (expired, n) {
            (Some(d), 0) => Finding::new(
                "waiver-expired",
                w.file.as_str(),
                w.line,
                format!(
                    "waiver of `{}` for {} expired on {d}; it matches nothing now, remove it",
                    w.policy,
                    w.target()
                ),
            ),
            (Some(d), n) => Finding::new(
                "waiver-expired",
                w.file.as_str(),
                w.line,
                format!(
                    "waiver of `{}` for {} expired on {d}: {} reported again",
                    w.policy,
                    w.target(),
                    if n == 1 { "1 violation is".to_string() } else { format!("{n} violations are") }
                ),
            )
            .help("fix the resource, or renew the waiver with a new `expires` and a reason that still holds"),
            (None, 0) => Finding::new(
                "waiver-unused",
                w.file.as_str(),
                w.line,
                format!("waiver of `{}` for {} matches no violation", w.policy, w.target()),
            )
            .help("the resource was fixed, renamed or removed: delete the waiver"),
            (None, _) => continue,
        };
        about.push(f.policy(w.policy.clone()));
    }
    (active, suppressed, about)
}
