//! `--format junit`: JUnit XML as GitLab, Jenkins and CircleCI read test reports. Each file with
//! findings is a test suite and each finding a test case, failed when it is at or above the fail
//! level, so CI shows problems in its test tab.

use super::common::{location, message_with_resource, ordered, rule_id, scanned};
use super::{RenderOptions, Report};
use crate::finding::Finding;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// Suite name for findings that are not about a file.
const NO_FILE: &str = "stackgate";

pub fn render(report: &Report, _opts: &RenderOptions) -> String {
    let fail_on = report.summary.fail_on;
    let mut suites: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    // Waived findings are skipped tests: visible in the test tab, never failing.
    for f in ordered(report).into_iter().chain(report.suppressed.iter()) {
        let name = if f.file.is_empty() {
            NO_FILE
        } else {
            f.file.as_str()
        };
        suites.entry(name).or_default().push(f);
    }

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if suites.is_empty() {
        // A green test, so CI shows that the check ran and passed.
        let _ = write!(
            out,
            "<testsuites name=\"stackgate\" tests=\"1\" failures=\"0\" errors=\"0\">\n  \
             <testsuite name=\"stackgate\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    \
             <testcase classname=\"stackgate\" name=\"stackgate\">\n      \
             <system-out>No findings. Scanned {}.</system-out>\n    \
             </testcase>\n  </testsuite>\n</testsuites>\n",
            text(&scanned(report))
        );
        return out;
    }

    let fails = |f: &Finding| f.suppression.is_none() && f.level >= fail_on;
    let failures = report.findings.iter().filter(|f| fails(f)).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"stackgate\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        report.findings.len() + report.suppressed.len()
    );
    for (file, findings) in &suites {
        let failed = findings.iter().filter(|f| fails(f)).count();
        let skipped = findings.iter().filter(|f| f.suppression.is_some()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\">",
            attr(file),
            findings.len()
        );
        // Test names must be unique within a suite or some tools merge them.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in findings {
            let base = format!("{} at line {}", rule_id(f), f.line);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let name = if *n == 1 {
                base
            } else {
                format!("{base} ({n})")
            };
            let _ = writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">",
                attr(file),
                attr(&name),
                attr(&f.file),
                f.line
            );
            if let Some(w) = &f.suppression {
                let until = w
                    .expires
                    .as_deref()
                    .map(|d| format!(" (until {d})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "      <skipped message=\"{}\"/>\n      <system-out>{}\n{}</system-out>",
                    attr(&format!("waived: {}{until}", w.reason)),
                    text(&message_with_resource(f)),
                    text(&body(f))
                );
            } else if f.level >= fail_on {
                let _ = writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    attr(f.code),
                    attr(&message_with_resource(f)),
                    text(&body(f))
                );
            } else {
                let _ = writeln!(
                    out,
                    "      <system-out>{}\n{}</system-out>",
                    text(&message_with_resource(f)),
                    text(&body(f))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Details a CI test page shows under the test: where, how bad, what, how to fix.
fn body(f: &Finding) -> String {
    let mut b = format!("{}\nlevel: {}\ncode: {}", location(f), f.level, f.code);
    if let Some(p) = &f.policy {
        let _ = write!(b, "\npolicy: {p}");
    }
    if let Some(r) = &f.resource {
        let _ = write!(b, "\nresource: {r}");
    }
    if let Some(h) = &f.help {
        let _ = write!(b, "\nhelp: {h}");
    }
    b
}

/// Characters XML 1.0 allows: tab, LF, CR, and the rest from U+0020 except U+FFFE/U+FFFF
/// (Rust `char`s are never surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Element text: markup escaped, forbidden characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Attribute values: as text, plus whitespace as character references, since parsers turn
/// literal tabs and line ends in attributes into spaces.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text(s).chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Level;
    use crate::report::fixture;

    fn count(hay: &str, needle: &str) -> usize {
        hay.matches(needle).count()
    }

    /// Every opened element is closed, in order (a small well-formedness check for what this
    /// file writes: no comments, CDATA or processing instructions besides the declaration).
    fn balanced(xml: &str) -> bool {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .unwrap_or(xml);
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>') else {
                return false;
            };
            let tag = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop().as_deref() != Some(name) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split(' ').next().unwrap_or("").to_string());
            }
        }
        stack.is_empty()
    }

    #[test]
    fn suites_cases_and_failures() {
        let (report, texts) = fixture::report();
        let out = render(&report, &fixture::plain(&texts));
        assert!(balanced(&out), "{out}");
        assert!(
            out.contains("<testsuites name=\"stackgate\" tests=\"7\" failures=\"3\" errors=\"0\">")
        );
        assert_eq!(count(&out, "<testsuite "), 4);
        assert_eq!(count(&out, "<testcase "), 7);
        assert_eq!(count(&out, "<failure "), 3);
        assert_eq!(count(&out, "<system-out>"), 4);
        // A waived finding is a skipped test that says why and until when.
        assert_eq!(count(&out, "<skipped "), 1);
        assert!(out.contains(
            "<skipped message=\"waived: archive bucket, encrypted by default (PLAT-311) (until 2027-03-31)\"/>"
        ));
        assert!(out.contains("<testsuite name=\"infra/main.tf\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"));
        assert!(out.contains(
            "<testsuite name=\"stacks/web/.cycloid.yml\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\">"
        ));
        assert!(out.contains(
            "<testcase classname=\"infra/main.tf\" name=\"s3-encryption at line 1\" file=\"infra/main.tf\" line=\"1\">\n      \
             <failure type=\"policy-violation\" message=\"aws_s3_bucket.logs: bucket is not encrypted\">\
             infra/main.tf:1:1\nlevel: deny\ncode: policy-violation\npolicy: s3-encryption\n\
             resource: aws_s3_bucket.logs\nhelp: add server_side_encryption_configuration</failure>"
        ));
        // User text is escaped in attributes and bodies; newlines survive in attributes.
        assert!(out.contains("message=\"unexpected key | &lt;script&gt;alert(1)&lt;/script&gt;\""));
        assert!(out.contains("message=\"100% broken:&#10;second line, with comma\""));
        assert!(!out.contains("<script>"));
        // Below the fail level: passing test with output.
        assert!(out.contains(
            "<testcase classname=\"stackgate.yaml\" name=\"config-pattern at line 4\" file=\"stackgate.yaml\" line=\"4\">\n      \
             <system-out>stacks/**: a,b: pattern matches nothing\nstackgate.yaml:4:5\nlevel: warn"
        ));
    }

    #[test]
    fn fail_level_moves_the_line() {
        let (mut report, texts) = fixture::report();
        report.summary.fail_on = Level::Info;
        let out = render(&report, &fixture::plain(&texts));
        assert_eq!(count(&out, "<failure "), 6);
        assert!(out.contains("failures=\"6\""));
    }

    #[test]
    fn duplicate_names_and_forbidden_characters() {
        let (mut report, texts) = fixture::report();
        report.findings = vec![
            Finding::new("schema-error", "a&b.yml", 2, "one \u{0}\u{1b}nul'\"").column(1),
            Finding::new("schema-error", "a&b.yml", 2, "two\u{FFFF}"),
        ];
        let out = render(&report, &fixture::plain(&texts));
        assert!(balanced(&out), "{out}");
        assert!(out.contains("name=\"schema-error at line 2\""));
        assert!(out.contains("name=\"schema-error at line 2 (2)\""));
        assert!(out.contains("<testsuite name=\"a&amp;b.yml\""));
        assert!(out.contains("message=\"one nul&apos;&quot;\""));
        assert!(out.contains("message=\"two\""));
        assert!(!out.contains('\u{0}') && !out.contains('\u{1b}') && !out.contains('\u{FFFF}'));
    }

    #[test]
    fn clean_run_is_one_green_test() {
        let (report, texts) = fixture::empty();
        let out = render(&report, &fixture::plain(&texts));
        assert!(balanced(&out), "{out}");
        assert_eq!(count(&out, "<testcase "), 1);
        assert_eq!(count(&out, "<failure"), 0);
        assert!(out.contains("<testcase classname=\"stackgate\" name=\"stackgate\">"));
        assert!(out.contains("tests=\"1\" failures=\"0\""));
    }

    #[test]
    fn unbalanced_is_detected() {
        assert!(!balanced("<a><b></a></b>"));
        assert!(balanced("<a x=\"1\"><b/></a>"));
    }
}
