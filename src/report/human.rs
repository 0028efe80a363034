//! `--format human`: findings for a terminal, the way rustc and ruff print them: a header, the
//! location, the source line with the offending part underlined, notes, then a summary.

use super::common::{Counts, location, scanned, verdict, waived_line};
use super::{RenderOptions, Report};
use crate::finding::{Finding, Level};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Ansi, Color, ColorSpec, NoColor, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use std::collections::HashMap;
use std::io;
use std::ops::Range;

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let bytes = if opts.color {
        let mut w = Ansi::new(Vec::new());
        write_report(&mut w, report, opts);
        w.into_inner()
    } else {
        let mut w = NoColor::new(Vec::new());
        write_report(&mut w, report, opts);
        w.into_inner()
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Writing into a `Vec` cannot fail, so I/O results are dropped here once.
fn write_report<W: WriteColor>(w: &mut W, report: &Report, opts: &RenderOptions) {
    let mut files = Sources::new(opts);
    for f in super::common::ordered(report) {
        let _ = write_finding(w, f, &mut files, opts.color);
    }
    let _ = write_waived(w, report);
    let _ = write_summary(w, report);
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        // Cyan rather than codespan's green "note": green reads as "all good".
        Level::Info => Severity::Help,
    }
}

fn level_color(level: Level) -> Color {
    match level {
        Level::Deny => Color::Red,
        Level::Warn => Color::Yellow,
        Level::Info => Color::Cyan,
    }
}

fn write_finding<W: WriteColor>(
    w: &mut W,
    f: &Finding,
    files: &mut Sources,
    color: bool,
) -> io::Result<()> {
    // Header: `deny[code]: message`, styled like codespan's own headers.
    w.set_color(
        ColorSpec::new()
            .set_fg(Some(level_color(f.level)))
            .set_bold(true)
            .set_intense(true),
    )?;
    write!(w, "{}[{}]", f.level, f.code)?;
    w.set_color(ColorSpec::new().set_bold(true).set_intense(true))?;
    write!(w, ": {}", clean(&f.message))?;
    w.reset()?;
    writeln!(w)?;

    let notes = notes(f);
    if let Some(snippet) = files.snippet(f, &notes, color) {
        return w.write_all(snippet.as_bytes());
    }
    // No text for the file, or the line is past its end: location and notes only.
    let pad = digits(f.line);
    write!(w, "{:pad$} ", "")?;
    w.set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
    write!(w, "-->")?;
    w.reset()?;
    writeln!(w, " {}", clean(&location(f)))?;
    for note in &notes {
        for (i, line) in note.lines().enumerate() {
            write!(w, "{:pad$} ", "")?;
            if i == 0 {
                w.set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
                write!(w, "=")?;
                w.reset()?;
            } else {
                write!(w, " ")?;
            }
            writeln!(w, " {line}")?;
        }
    }
    writeln!(w)
}

fn notes(f: &Finding) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(h) = &f.help {
        notes.push(format!("help: {}", clean(h)));
    }
    if let Some(r) = &f.resource {
        notes.push(format!("resource: {}", clean(r)));
    }
    if let Some(p) = &f.policy {
        notes.push(format!("policy: {}", clean(p)));
    }
    notes
}

/// Waived findings: one line each, after the active ones, so a reviewer sees what was accepted
/// and why without it reading as a failure.
fn write_waived<W: WriteColor>(w: &mut W, report: &Report) -> io::Result<()> {
    if report.suppressed.is_empty() {
        return Ok(());
    }
    writeln!(w, "waived:")?;
    for f in &report.suppressed {
        writeln!(w, "  {}", clean(&waived_line(f)))?;
    }
    writeln!(w)
}

fn write_summary<W: WriteColor>(w: &mut W, report: &Report) -> io::Result<()> {
    let (passed, sentence) = verdict(report);
    if report.findings.is_empty() && report.suppressed.is_empty() {
        writeln!(w, "No findings.")?;
    } else {
        writeln!(w, "summary: {}", Counts::of(report).text())?;
    }
    writeln!(w, "scanned: {}", scanned(report))?;
    let (mark, color) = if passed {
        ("✓", Color::Green)
    } else {
        ("✗", Color::Red)
    };
    w.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(w, "{mark} {sentence}")?;
    w.reset()?;
    writeln!(w)
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Text safe to print on a terminal: control characters (an escape sequence hidden in a file
/// could restyle or rewrite the user's terminal) become U+FFFD; CRLF becomes LF; tabs stay.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The file texts handed to codespan, added on first use so each file's line index is built once.
struct Sources<'a> {
    opts: &'a RenderOptions<'a>,
    files: SimpleFiles<String, String>,
    ids: HashMap<String, usize>,
    config: Config,
}

impl<'a> Sources<'a> {
    fn new(opts: &'a RenderOptions<'a>) -> Self {
        Sources {
            opts,
            files: SimpleFiles::new(),
            ids: HashMap::new(),
            config: Config {
                chars: Chars::ascii(),
                ..Config::default()
            },
        }
    }

    fn id(&mut self, path: &str) -> Option<usize> {
        if let Some(id) = self.ids.get(path) {
            return Some(*id);
        }
        let text = self.opts.texts.get(path)?;
        let id = self.files.add(path.to_string(), clean_source(text));
        self.ids.insert(path.to_string(), id);
        Some(id)
    }

    /// Everything after the header: location, snippet, notes. `None` when there is no snippet.
    fn snippet(&mut self, f: &Finding, notes: &[String], color: bool) -> Option<String> {
        let id = self.id(&f.file)?;
        let text = self.files.get(id).ok()?.source();
        let range = label_range(text, f.line, f.column)?;
        let diag = Diagnostic::new(severity(f.level))
            .with_label(Label::primary(id, range))
            .with_notes(notes.to_vec());
        let bytes = if color {
            let mut w = Ansi::new(Vec::new());
            term::emit_to_write_style(&mut w, &self.config, &self.files, &diag).ok()?;
            w.into_inner()
        } else {
            let mut w = NoColor::new(Vec::new());
            term::emit_to_write_style(&mut w, &self.config, &self.files, &diag).ok()?;
            w.into_inner()
        };
        let out = String::from_utf8(bytes).ok()?;
        // codespan prints its own header (`error: `) on the first line; ours replaces it.
        out.split_once('\n').map(|(_, rest)| rest.to_string())
    }
}

/// Source text with terminal-unsafe characters replaced one for one, so character columns
/// stay right. Line ends (LF, CRLF) are kept: codespan trims the CR when it prints a line.
fn clean_source(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The byte range to underline on 1-based `line`: from `column` (1-based, in characters) to the
/// end of the word there, or the line's content without indentation when there is no column.
/// `None` when the line does not exist.
fn label_range(text: &str, line: usize, column: Option<usize>) -> Option<Range<usize>> {
    let mut start = 0;
    let mut segment = None;
    for (i, seg) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            segment = Some(seg);
            break;
        }
        start += seg.len();
    }
    let seg = segment?;
    let content = seg.strip_suffix('\n').unwrap_or(seg);
    let content = content.strip_suffix('\r').unwrap_or(content);
    let (from, to) = match column {
        Some(col) => {
            let from = content
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(content.len(), |(b, _)| b);
            let rest = content.get(from..).unwrap_or("");
            let word = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ':' | '=' | ',' | ';'))
                .unwrap_or(rest.len());
            // A column on a delimiter itself underlines that one character.
            let word = if word == 0 {
                rest.chars().next().map_or(0, char::len_utf8)
            } else {
                word
            };
            (from, from + word)
        }
        None => {
            let body = content.trim_end();
            let indent = body.len() - body.trim_start().len();
            (indent, body.len())
        }
    };
    Some(start + from..start + to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn plain(report: &Report, texts: &crate::source::Texts) -> String {
        render(
            report,
            &RenderOptions {
                texts,
                color: false,
            },
        )
    }

    #[test]
    fn findings_with_snippets_notes_and_summary() {
        let (report, texts) = fixture::report();
        let out = plain(&report, &texts);
        // CRLF file: the line shows without a stray CR, the key is underlined from column 3.
        assert!(
            out.contains(
                "deny[schema-error]: unexpected key | <script>alert(1)</script>\n  \
                 --> stacks/web/.cycloid.yml:3:3\n  |\n3 |   canonical: <script>x</script>\n  \
                 |   ^^^^^^^^^\n  |\n  = help: remove the key\n"
            ),
            "{out}"
        );
        assert!(!out.contains('\r'));
        // Policy finding: resource and policy notes.
        assert!(
            out.contains("1 | resource \"aws_s3_bucket\" \"logs\" {\n  | ^^^^^^^^\n"),
            "{out}"
        );
        assert!(
            out.contains("  = resource: aws_s3_bucket.logs\n  = policy: s3-encryption\n"),
            "{out}"
        );
        // No column: the line's content is underlined, indentation excluded.
        assert!(
            out.contains("2 |   bucket = \"logs\"\n  |   ^^^^^^^^^^^^^^^\n"),
            "{out}"
        );
        // Past the end of the file and missing text: header and location only.
        assert!(out.contains("deny[parse-error]: 100% broken:\nsecond line, with comma\n   --> stacks/web/.cycloid.yml:40\n\n"), "{out}");
        assert!(
            out.contains(
                "warn[empty-file]: catalog-info.yaml is empty\n  --> catalog-info.yaml:1\n\n"
            ),
            "{out}"
        );
        assert!(
            out.contains("  --> stackgate.yaml:4:5\n  = resource: stacks/**: a,b\n"),
            "{out}"
        );
        assert!(out.ends_with(
            "waived:\n  s3-encryption aws_s3_bucket.archive (infra/main.tf:1): archive bucket, \
             encrypted by default (PLAT-311) [until 2027-03-31, waiver at policies/security.yaml:20]\n\n\
             summary: 3 deny, 2 warn, 1 info, 1 waived\n\
             scanned: 1 stack, 2 stack instances, 0 Terraform roots, 3 catalog entities, 12 files\n\
             ✗ 3 findings at or above deny\n"
        ));
        assert!(!out.contains('\u{1b}'));
        // Findings appear in file/line order.
        let infra = out.find("infra/main.tf:1").unwrap_or(usize::MAX);
        let stacks = out.find("stacks/web/.cycloid.yml:3").unwrap_or(0);
        assert!(infra < stacks);
    }

    #[test]
    fn no_findings() {
        let (report, texts) = fixture::empty();
        assert_eq!(
            plain(&report, &texts),
            "No findings.\n\
             scanned: 1 stack, 2 stack instances, 0 Terraform roots, 3 catalog entities, 12 files\n\
             ✓ no findings at or above deny\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let (report, texts) = fixture::report();
        let out = render(
            &report,
            &RenderOptions {
                texts: &texts,
                color: true,
            },
        );
        assert!(out.contains("\u{1b}[38;5;9mdeny[schema-error]"), "{out:?}");
        // The snippet line survives colouring too.
        assert!(
            out.contains("canonical\u{1b}[0m: <script>x</script>\n"),
            "{out:?}"
        );
    }

    #[test]
    fn fail_on_warn_counts_warnings() {
        let (mut report, texts) = fixture::report();
        report.summary.fail_on = Level::Warn;
        assert!(plain(&report, &texts).ends_with("✗ 5 findings at or above warn\n"));
    }

    #[test]
    fn terminal_escapes_are_neutralised() {
        let (mut report, mut texts) = fixture::report();
        texts.insert("evil.yml".into(), std::sync::Arc::from("a: \u{1b}[2Jb\n"));
        report.findings =
            vec![Finding::new("schema-error", "evil.yml", 1, "x\u{1b}]0;t\u{7}").column(4)];
        let out = plain(&report, &texts);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("1 | a: \u{FFFD}[2Jb\n  |    ^^^^^\n"), "{out}");
    }

    #[test]
    fn edge_positions_do_not_break_snippets() {
        let (mut report, mut texts) = fixture::report();
        texts.insert("e.yml".into(), std::sync::Arc::from("a: 1\n\n\tb: 2\rc\n"));
        report.findings = vec![
            Finding::new("schema-error", "e.yml", 1, "past the end of the line").column(99),
            Finding::new("schema-error", "e.yml", 2, "empty line"),
            Finding::new("schema-error", "e.yml", 3, "tab and lone CR").column(2),
            Finding::new("schema-error", "e.yml", 4, "after the last line"),
        ];
        let out = plain(&report, &texts);
        assert!(out.contains("1 | a: 1\n  |     ^\n"), "{out}");
        assert!(out.contains("  --> e.yml:2:1\n  |\n2 | \n"), "{out}");
        assert!(out.contains("3 |     b: 2\u{FFFD}c\n  |     ^\n"), "{out}");
        assert!(
            out.contains("deny[schema-error]: after the last line\n  --> e.yml:4\n\n"),
            "{out}"
        );
    }

    #[test]
    fn ranges() {
        let text = "a: 1\r\n  key: value\n\n    \nlast";
        assert_eq!(label_range(text, 1, None), Some(0..4));
        assert_eq!(label_range(text, 2, Some(3)), Some(8..11));
        // Column on the colon itself, and past the end of the line.
        assert_eq!(label_range(text, 2, Some(6)), Some(11..12));
        assert_eq!(label_range(text, 2, Some(99)), Some(18..18));
        assert_eq!(label_range(text, 3, None), Some(19..19));
        assert_eq!(label_range(text, 5, Some(2)), Some(26..29));
        assert_eq!(label_range(text, 6, None), None);
        assert_eq!(label_range("", 1, None), None);
        assert_eq!(label_range("é: 1\n", 1, Some(2)), Some(2..3));
    }
}
