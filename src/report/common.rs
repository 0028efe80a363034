//! Wording and ordering shared by the text formats, so that every format says the same thing
//! the same way.

use super::Report;
use crate::finding::{Finding, Level};

/// The id a finding is known by in tools that group by rule: its policy when a policy produced
/// it, else its code.
pub(super) fn rule_id(f: &Finding) -> &str {
    f.policy
        .as_deref()
        .filter(|p| !p.is_empty())
        .unwrap_or(f.code)
}

/// The findings in the report's deterministic order (file, line, code, ...). Sorting again is
/// cheap and keeps every format stable even if a caller forgot to normalize.
pub(super) fn ordered(report: &Report) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = report.findings.iter().collect();
    v.sort_by(|a, b| a.sort_key_cmp(b));
    v
}

/// The findings worst first (deny, warn, info), each level in the report's order.
pub(super) fn worst_first(report: &Report) -> Vec<&Finding> {
    let mut v = ordered(report);
    // A stable sort keeps the file/line order inside each level.
    v.sort_by_key(|f| std::cmp::Reverse(f.level));
    v
}

/// Findings per level, counted from the findings themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for f in &report.findings {
            match f.level {
                Level::Deny => c.deny += 1,
                Level::Warn => c.warn += 1,
                Level::Info => c.info += 1,
            }
        }
        c.waived = report.suppressed.len();
        c
    }

    /// `2 deny, 1 warn, 0 info`, and `, 1 waived` when waivers accepted anything.
    pub fn text(&self) -> String {
        let mut s = format!("{} deny, {} warn, {} info", self.deny, self.warn, self.info);
        if self.waived > 0 {
            s.push_str(&format!(", {} waived", self.waived));
        }
        s
    }
}

/// `1 finding` / `3 findings`.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the run looked at: `1 stack, 2 stack instances, 0 Terraform roots, 3 catalog entities, 12 files`.
pub(super) fn scanned(report: &Report) -> String {
    let s = &report.summary;
    [
        plural(s.stacks, "stack", "stacks"),
        plural(s.stack_instances, "stack instance", "stack instances"),
        plural(s.terraform_roots, "Terraform root", "Terraform roots"),
        plural(s.catalog_entities, "catalog entity", "catalog entities"),
        plural(s.files, "file", "files"),
    ]
    .join(", ")
}

/// Whether the run passes, and the sentence that says why, relative to the fail level:
/// `3 findings at or above deny` / `no findings at or above deny`.
pub(super) fn verdict(report: &Report) -> (bool, String) {
    let failing = report.failing();
    let level = report.summary.fail_on;
    if failing == 0 {
        (true, format!("no findings at or above {level}"))
    } else {
        (
            false,
            format!(
                "{} at or above {level}",
                plural(failing, "finding", "findings")
            ),
        )
    }
}

/// The message, prefixed with the resource it is about unless the message already names it.
pub(super) fn message_with_resource(f: &Finding) -> String {
    match f.resource.as_deref().filter(|r| !r.is_empty()) {
        Some(r) if !f.message.contains(r) => format!("{r}: {}", f.message),
        _ => f.message.clone(),
    }
}

/// One waived finding on one line: `s3-encryption aws_s3_bucket.logs (main.tf:3): reason
/// [until 2027-03-31, waiver at policies/x.yaml:20]`.
pub(super) fn waived_line(f: &Finding) -> String {
    let mut s = format!("{} {} ({})", rule_id(f), message_target(f), location(f));
    if let Some(w) = &f.suppression {
        s.push_str(&format!(": {}", w.reason));
        match &w.expires {
            Some(d) => s.push_str(&format!(" [until {d}, waiver at {}:{}]", w.file, w.line)),
            None => s.push_str(&format!(" [waiver at {}:{}]", w.file, w.line)),
        }
    }
    s
}

/// What a finding is about: its resource, else its file.
fn message_target(f: &Finding) -> &str {
    f.resource
        .as_deref()
        .filter(|r| !r.is_empty())
        .unwrap_or(&f.file)
}

/// `file:line` or `file:line:col`.
pub(super) fn location(f: &Finding) -> String {
    match f.column {
        Some(c) => format!("{}:{}:{c}", f.file, f.line),
        None => format!("{}:{}", f.file, f.line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn wording() {
        let (report, _) = fixture::report();
        assert_eq!(
            Counts::of(&report).text(),
            "3 deny, 2 warn, 1 info, 1 waived"
        );
        assert_eq!(
            scanned(&report),
            "1 stack, 2 stack instances, 0 Terraform roots, 3 catalog entities, 12 files"
        );
        assert_eq!(
            verdict(&report),
            (false, "3 findings at or above deny".to_string())
        );
        let levels: Vec<Level> = worst_first(&report).iter().map(|f| f.level).collect();
        let mut sorted = levels.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(levels, sorted);
        assert_eq!(levels.first(), Some(&Level::Deny));

        let (empty, _) = fixture::empty();
        assert_eq!(
            verdict(&empty),
            (true, "no findings at or above deny".to_string())
        );
    }

    #[test]
    fn resource_is_named_once() {
        let f = Finding::new("schema-error", "a.yml", 1, "bad").resource("aws_s3_bucket.b");
        assert_eq!(message_with_resource(&f), "aws_s3_bucket.b: bad");
        let f = Finding::new("schema-error", "a.yml", 1, "aws_s3_bucket.b is bad")
            .resource("aws_s3_bucket.b");
        assert_eq!(message_with_resource(&f), "aws_s3_bucket.b is bad");
        let f = Finding::new("schema-error", "a.yml", 1, "bad").policy("p1");
        assert_eq!(rule_id(&f), "p1");
        assert_eq!(location(&f.clone().column(4)), "a.yml:1:4");
    }
}
