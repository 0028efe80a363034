//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations on
//! the pull request's diff. GitHub shows at most 10 errors and 10 warnings per step, so the
//! worst come first; all are printed anyway, the limit is GitHub's to apply.

use super::common::{Counts, message_with_resource, rule_id, verdict, worst_first};
use super::{RenderOptions, Report};
use crate::finding::{Finding, Level};

pub fn render(report: &Report, _opts: &RenderOptions) -> String {
    let mut out = String::new();
    for f in worst_first(report) {
        out.push_str(&command(f));
        out.push('\n');
    }
    let (passed, sentence) = verdict(report);
    let totals = format!(
        "stackgate: {} ({}): {}",
        Counts::of(report).text(),
        if passed { "passed" } else { "failed" },
        sentence
    );
    out.push_str("::notice::");
    out.push_str(&escape_data(&totals));
    out.push('\n');
    out
}

/// The worst of some findings as annotations, at most `per_level` of each level (GitHub shows
/// 10 errors and 10 warnings a step). `prefix` turns the root's paths into the repository's;
/// a file outside the repository (`../`) gets no location.
pub fn annotations(findings: &[&Finding], prefix: &str, per_level: usize) -> String {
    let mut sorted: Vec<&Finding> = findings.to_vec();
    sorted.sort_by(|a, b| {
        (std::cmp::Reverse(a.level), &a.file, a.line).cmp(&(
            std::cmp::Reverse(b.level),
            &b.file,
            b.line,
        ))
    });
    let mut out = String::new();
    let mut shown = [0usize; 3];
    for f in sorted {
        let slot = &mut shown[f.level as usize];
        if *slot >= per_level {
            continue;
        }
        *slot += 1;
        let mut located = (*f).clone();
        if located.file.starts_with("../") {
            located.file.clear();
        } else if !prefix.is_empty() && !located.file.is_empty() {
            located.file = format!("{prefix}/{}", located.file);
        }
        out.push_str(&command(&located));
        out.push('\n');
    }
    out
}

/// One annotation: `::error file=F,line=L,col=C,title=T::message`.
fn command(f: &Finding) -> String {
    let kind = match f.level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Info => "notice",
    };
    let mut props = Vec::new();
    if !f.file.is_empty() {
        props.push(format!("file={}", escape_property(&f.file)));
        props.push(format!("line={}", f.line.max(1)));
        if let Some(c) = f.column {
            props.push(format!("col={c}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("stackgate {}", rule_id(f)))
    ));
    let mut message = message_with_resource(f);
    if let Some(h) = f.help.as_deref().filter(|h| !h.is_empty()) {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

/// The message part of a command, escaped the way the Actions runner unescapes it; a raw
/// newline would otherwise end the command and let the rest be read as a new one.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: data escaping plus the two characters that delimit properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("100% a\r\nb: c, d"),
            "100%25 a%0D%0Ab%3A c%2C d"
        );
        // `%` first, so escapes are not escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn commands_worst_first_with_totals() {
        let (report, texts) = fixture::report();
        let out = render(&report, &fixture::plain(&texts));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            vec![
                "::error file=infra/main.tf,line=1,col=1,title=stackgate s3-encryption::\
                 aws_s3_bucket.logs: bucket is not encrypted%0Ahelp: add server_side_encryption_configuration",
                "::error file=stacks/web/.cycloid.yml,line=3,col=3,title=stackgate schema-error::\
                 unexpected key | <script>alert(1)</script>%0Ahelp: remove the key",
                "::error file=stacks/web/.cycloid.yml,line=40,title=stackgate parse-error::\
                 100%25 broken:%0Asecond line, with comma",
                "::warning file=catalog-info.yaml,line=1,title=stackgate empty-file::catalog-info.yaml is empty",
                "::warning file=stackgate.yaml,line=4,col=5,title=stackgate config-pattern::\
                 stacks/**: a,b: pattern matches nothing",
                "::notice file=infra/main.tf,line=2,title=stackgate empty-file::\
                 aws_s3_bucket.logs: bucket name is a literal",
                "::notice::stackgate: 3 deny, 2 warn, 1 info, 1 waived (failed): 3 findings at or above deny",
            ]
        );
    }

    #[test]
    fn properties_are_escaped() {
        let (mut report, texts) = fixture::report();
        report.findings = vec![Finding::new("schema-error", "a,b:c%.yml", 2, "m").policy("p:1,2")];
        let out = render(&report, &fixture::plain(&texts));
        assert!(
            out.starts_with("::error file=a%2Cb%3Ac%25.yml,line=2,title=stackgate p%3A1%2C2::m\n"),
            "{out}"
        );
    }

    #[test]
    fn clean_run_is_one_notice() {
        let (report, texts) = fixture::empty();
        let out = render(&report, &fixture::plain(&texts));
        assert_eq!(
            out,
            "::notice::stackgate: 0 deny, 0 warn, 0 info (passed): no findings at or above deny\n"
        );
    }
}
