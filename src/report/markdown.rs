//! `--format markdown`: findings for a job summary or a pull-request comment. All user text is
//! escaped: a finding message must not be able to inject HTML, links, table cells or mentions.

use super::common::{Counts, message_with_resource, scanned, verdict, worst_first};
use super::{RenderOptions, Report};
use crate::finding::{Finding, Level};
use std::fmt::Write;

/// Rows shown before the rest are summarised in one line, to keep comments readable and
/// within GitHub's size limits.
pub const MAX_ROWS: usize = 200;

pub fn render(report: &Report, _opts: &RenderOptions) -> String {
    let (passed, sentence) = verdict(report);
    let mut out = if passed {
        String::from("## ✅ stackgate: passed\n\n")
    } else {
        String::from("## ❌ stackgate: failed\n\n")
    };
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings. Scanned {}.", scanned(report));
        waived(&mut out, report);
        return out;
    }
    let _ = writeln!(
        out,
        "{} ({}). Scanned {}.\n",
        capitalize(&sentence),
        Counts::of(report).text(),
        scanned(report)
    );
    out.push_str("| Level | Code | Location | Message |\n| --- | --- | --- | --- |\n");
    let findings = worst_first(report);
    for f in findings.iter().take(MAX_ROWS) {
        row(&mut out, f);
    }
    let left = findings.len().saturating_sub(MAX_ROWS);
    if left > 0 {
        let _ = writeln!(
            out,
            "\n_{left} more {} not shown; run `stackgate check` to see all._",
            if left == 1 { "finding" } else { "findings" }
        );
    }
    waived(&mut out, report);
    out
}

/// Waived findings, folded: reviewers can check what was accepted and why.
fn waived(out: &mut String, report: &Report) {
    if report.suppressed.is_empty() {
        return;
    }
    let n = report.suppressed.len();
    let _ = writeln!(
        out,
        "\n<details><summary>{n} waived {}</summary>\n",
        if n == 1 { "finding" } else { "findings" }
    );
    for f in report.suppressed.iter().take(MAX_ROWS) {
        let _ = writeln!(out, "- {}", inline(&super::common::waived_line(f)));
    }
    out.push_str("\n</details>\n");
}

fn row(out: &mut String, f: &Finding) {
    let level = match f.level {
        Level::Deny => "🔴 deny",
        Level::Warn => "🟡 warn",
        Level::Info => "🔵 info",
    };
    let mut code = escape(f.code);
    if let Some(p) = f.policy.as_deref().filter(|p| !p.is_empty()) {
        code.push_str(" · ");
        code.push_str(&escape(p));
    }
    let mut message = inline(&message_with_resource(f));
    if let Some(h) = f.help.as_deref().filter(|h| !h.is_empty()) {
        message.push_str("<br>help: ");
        message.push_str(&inline(h));
    }
    let location = escape(&format!("{}:{}", f.file, f.line));
    let _ = writeln!(out, "| {level} | {code} | {location} | {message} |");
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Like [`escape`], but a `quoted` span on one line stays a code span, as messages use them
/// for keys and paths. Code spans show their content literally (no HTML, no emphasis, no
/// entities), so inside them only `|` needs escaping, which GFM tables undo even there.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(len) = after.find(['`', '\n', '\r']) else {
            break;
        };
        let content = &after[..len];
        if !after[len..].starts_with('`') || content.is_empty() {
            // Not a span: escape up to and including this backtick, look again after it.
            out.push_str(&escape(&rest[..=open]));
            rest = after;
            continue;
        }
        out.push_str(&escape(&rest[..open]));
        out.push('`');
        for c in content.chars().filter(|c| !c.is_control()) {
            if c == '|' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('`');
        rest = &after[len + 1..];
    }
    out.push_str(&escape(rest));
    out
}

/// User text made inert inside a GitHub-flavoured Markdown table cell: HTML special characters
/// become entities, Markdown punctuation is backslash-escaped, `|` cannot end the cell, line
/// ends become `<br>`, and `@name` cannot ping anyone.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '|' => out.push_str("\\|"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // A zero-width space after `@` stops GitHub from notifying a user or team.
            '@' if chars.peek().is_some_and(|n| n.is_alphanumeric()) => out.push_str("@&#8203;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn md(report: &Report) -> String {
        let texts = fixture::texts();
        render(report, &fixture::plain(&texts))
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>alert('x')</script> a|b & c"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; a\\|b &amp; c"
        );
        assert_eq!(escape("one\r\ntwo\nthree"), "one<br>two<br>three");
        assert_eq!(
            escape("[link](http://x) *b* `c` aws_s3"),
            "\\[link\\](http://x) \\*b\\* \\`c\\` aws\\_s3"
        );
        assert_eq!(
            escape("ping @acme/team, mail a@ b"),
            "ping @&#8203;acme/team, mail a@ b"
        );
        assert_eq!(escape("100% a,b: c\u{1b}[0m"), "100% a,b: c\\[0m");
    }

    #[test]
    fn code_spans_stay_code() {
        assert_eq!(inline("key `a|<b>*` is `x`"), "key `a\\|<b>*` is `x`");
        // A backtick without its pair on the same line is plain text.
        assert_eq!(inline("`open\nnot"), "\\`open<br>not");
        assert_eq!(inline("empty `` pair"), "empty \\`\\` pair");
        assert_eq!(inline("a ` b"), "a \\` b");
        assert_eq!(inline("`<script>`"), "`<script>`");
    }

    #[test]
    fn table_grouped_worst_first() {
        let (report, _) = fixture::report();
        let out = md(&report);
        assert!(out.starts_with(
            "## ❌ stackgate: failed\n\n3 findings at or above deny (3 deny, 2 warn, 1 info, 1 waived). \
             Scanned 1 stack, 2 stack instances, 0 Terraform roots, 3 catalog entities, 12 files.\n\n\
             | Level | Code | Location | Message |\n| --- | --- | --- | --- |\n"
        ));
        // Waived findings come last, folded, with reason and expiry.
        assert!(out.ends_with(
            "\n<details><summary>1 waived finding</summary>\n\n\
             - s3-encryption aws\\_s3\\_bucket.archive (infra/main.tf:1): archive bucket, encrypted by \
             default (PLAT-311) \\[until 2027-03-31, waiver at policies/security.yaml:20\\]\n\n</details>\n"
        ), "{out}");
        let rows: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Level") && !l.starts_with("| ---"))
            .collect();
        assert_eq!(
            rows,
            vec![
                "| 🔴 deny | policy-violation · s3-encryption | infra/main.tf:1 | \
                 aws\\_s3\\_bucket.logs: bucket is not encrypted<br>help: add server\\_side\\_encryption\\_configuration |",
                "| 🔴 deny | schema-error | stacks/web/.cycloid.yml:3 | \
                 unexpected key \\| &lt;script&gt;alert(1)&lt;/script&gt;<br>help: remove the key |",
                "| 🔴 deny | parse-error | stacks/web/.cycloid.yml:40 | 100% broken:<br>second line, with comma |",
                "| 🟡 warn | empty-file | catalog-info.yaml:1 | catalog-info.yaml is empty |",
                "| 🟡 warn | config-pattern | stackgate.yaml:4 | stacks/\\*\\*: a,b: pattern matches nothing |",
                "| 🔵 info | empty-file | infra/main.tf:2 | aws\\_s3\\_bucket.logs: bucket name is a literal |",
            ]
        );
        // Every row has exactly the table's four cells: no unescaped pipe broke one.
        for r in rows {
            assert_eq!(r.replace("\\|", "").matches('|').count(), 5, "{r}");
        }
        assert!(!out.contains("<script>"));
    }

    #[test]
    fn passed_with_warnings() {
        let (mut report, _) = fixture::report();
        report.findings.retain(|f| f.level < Level::Deny);
        assert!(md(&report).starts_with(
            "## ✅ stackgate: passed\n\nNo findings at or above deny (0 deny, 2 warn, 1 info, 1 waived)."
        ));
    }

    #[test]
    fn long_reports_are_cut() {
        let (mut report, _) = fixture::report();
        let warn = Finding::new("empty-file", "a.yml", 1, "w");
        report.suppressed.clear();
        report.findings = (1..=MAX_ROWS + 5)
            .map(|i| {
                Finding::new("schema-error", "a.yml", i, "d").level(if i % 2 == 0 {
                    Level::Deny
                } else {
                    Level::Info
                })
            })
            .chain(std::iter::once(warn))
            .collect();
        let out = md(&report);
        let rows = out
            .lines()
            .filter(|l| l.starts_with("| 🔴") || l.starts_with("| 🟡") || l.starts_with("| 🔵"))
            .count();
        assert_eq!(rows, MAX_ROWS);
        assert!(
            out.ends_with("\n_6 more findings not shown; run `stackgate check` to see all._\n"),
            "{out}"
        );
        // Cut from the bottom: all 102 deny and the warning are shown before any info.
        assert_eq!(out.matches("| 🔴 deny").count(), 102);
        assert_eq!(out.matches("| 🟡 warn").count(), 1);
    }

    #[test]
    fn no_findings() {
        let (report, _) = fixture::empty();
        assert_eq!(
            md(&report),
            "## ✅ stackgate: passed\n\nNo findings. Scanned 1 stack, 2 stack instances, 0 Terraform roots, \
             3 catalog entities, 12 files.\n"
        );
    }
}
