//! Inline waivers in Terraform: `# stackgate:ignore <policy-id>[,<policy-id>] reason="…"
//! expires=YYYY-MM-DD` (or `//`), written on the line of a resource or module block, or in
//! the comment lines right above it. A waiver above a module block covers what the module
//! creates through that call.

use super::SuppressionKind;
use super::date::Date;
use super::waiver::{Waiver, WaiverTarget};
use crate::finding::Finding;

const MARKER: &str = "stackgate:ignore";

/// Scans Terraform file texts for inline waivers. `known` says whether a policy id exists.
pub fn scan<'a>(
    files: impl Iterator<Item = (&'a str, &'a str)>,
    known: &dyn Fn(&str) -> bool,
) -> (Vec<Waiver>, Vec<Finding>) {
    let mut waivers = Vec::new();
    let mut findings = Vec::new();
    for (file, text) in files {
        if !text.contains(MARKER) {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((code, comment)) = split_comment(line) else {
                continue;
            };
            let Some(rest) = comment.trim_start().strip_prefix(MARKER) else {
                continue;
            };
            let at = i + 1;
            // On the block's own line, or above it: the next line that is not a comment.
            let target = if code.trim().is_empty() {
                lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .find(|(_, l)| {
                        let t = l.trim();
                        !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                    })
                    .map(|(j, _)| j + 1)
            } else {
                Some(at)
            };
            match parse(rest) {
                Err(msg) => findings.push(Finding::new("waiver-invalid", file, at, msg)),
                Ok(parsed) => {
                    let Some(target) = target else {
                        findings.push(Finding::new(
                            "waiver-invalid",
                            file,
                            at,
                            "`stackgate:ignore` is followed by no block to waive",
                        ));
                        continue;
                    };
                    for id in parsed.ids {
                        if !known(&id) {
                            findings.push(
                                Finding::new(
                                    "waiver-invalid",
                                    file,
                                    at,
                                    format!("`stackgate:ignore` names policy `{id}`, which no policy file defines"),
                                )
                                .policy(id),
                            );
                            continue;
                        }
                        waivers.push(Waiver {
                            policy: id,
                            target: WaiverTarget::Block {
                                file: file.to_string(),
                                line: target,
                            },
                            reason: parsed.reason.clone(),
                            expires: parsed.expires,
                            file: file.to_string(),
                            line: at,
                            kind: SuppressionKind::InSource,
                        });
                    }
                }
            }
        }
    }
    (waivers, findings)
}

/// The code before a comment and the comment's text, when the line has a `#` or `//`
/// comment outside a string.
fn split_comment(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'#' if !in_string => return Some((&line[..i], &line[i + 1..])),
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                return Some((&line[..i], &line[i + 2..]));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[derive(Debug, PartialEq)]
struct Parsed {
    ids: Vec<String>,
    reason: String,
    expires: Option<Date>,
}

/// ` id1,id2 reason="…" expires=2027-01-31`
fn parse(rest: &str) -> Result<Parsed, String> {
    let rest = rest.trim();
    let (ids, mut tail) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim_start()),
        None => (rest, ""),
    };
    let ids: Vec<String> = ids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() || ids.iter().any(|i| i.contains('=')) {
        return Err("`stackgate:ignore` needs the id of the policy to waive: `# stackgate:ignore <policy-id> reason=\"…\"`".to_string());
    }
    let mut reason = None;
    let mut expires = None;
    while !tail.is_empty() {
        let Some(eq) = tail.find('=') else {
            return Err(format!(
                "unexpected `{tail}` in `stackgate:ignore`; write key=value pairs: reason=\"…\" expires=YYYY-MM-DD"
            ));
        };
        let key = tail[..eq].trim();
        let after = &tail[eq + 1..];
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => return Err(format!("the quoted value of `{key}` is not closed")),
            }
        } else {
            match after.find(char::is_whitespace) {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            }
        };
        match key {
            "reason" => reason = Some(value.trim().to_string()),
            "expires" => {
                expires = Some(Date::parse(value.trim()).ok_or_else(|| {
                    format!("`expires` must be a date as YYYY-MM-DD, not `{value}`")
                })?)
            }
            other => {
                return Err(format!(
                    "unknown key `{other}` in `stackgate:ignore`; known: reason, expires"
                ));
            }
        }
        tail = next.trim_start();
    }
    let reason = reason.filter(|r| !r.is_empty()).ok_or_else(|| {
        "a waiver without a reason is refused: add reason=\"…\" saying why the violation is acceptable".to_string()
    })?;
    Ok(Parsed {
        ids,
        reason,
        expires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        id != "nope"
    }

    #[test]
    fn parses_ids_reason_and_expiry() {
        let p = parse(" a,b reason=\"load test, OPS-1\" expires=2027-01-31").unwrap();
        assert_eq!(p.ids, ["a", "b"]);
        assert_eq!(p.reason, "load test, OPS-1");
        assert_eq!(p.expires, Date::parse("2027-01-31"));
        assert!(parse(" a").unwrap_err().contains("without a reason"));
        assert!(
            parse(" a reason=\"\"")
                .unwrap_err()
                .contains("without a reason")
        );
        assert!(parse(" reason=\"x\"").unwrap_err().contains("needs the id"));
        assert!(parse(" a reason=\"x").unwrap_err().contains("not closed"));
        assert!(
            parse(" a reason=x expires=tomorrow")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(
            parse(" a reason=x because")
                .unwrap_err()
                .contains("unexpected")
        );
        assert!(
            parse(" a reson=x")
                .unwrap_err()
                .contains("unknown key `reson`")
        );
    }

    #[test]
    fn targets_the_block_below_or_on_the_same_line() {
        let text = "# stackgate:ignore p1 reason=\"why\"\n# more words\n\nresource \"a\" \"b\" {\n}\nmodule \"m\" { # stackgate:ignore p2 reason=why\n}\nlocals { x = \"# stackgate:ignore p3\" }\n";
        let (w, f) = scan([("main.tf", text)].into_iter(), &known);
        assert!(f.is_empty(), "{f:?}");
        let targets: Vec<(String, usize, usize)> = w
            .iter()
            .map(|w| match &w.target {
                WaiverTarget::Block { line, .. } => (w.policy.clone(), w.line, *line),
                WaiverTarget::Pattern { .. } => unreachable!(),
            })
            .collect();
        assert_eq!(
            targets,
            [("p1".to_string(), 1, 4), ("p2".to_string(), 6, 6)]
        );
    }

    #[test]
    fn refuses_unknown_policies_and_dangling_comments() {
        let (w, f) = scan(
            [("x.tf", "// stackgate:ignore nope reason=x\nresource \"a\" \"b\" {}\n# stackgate:ignore p reason=x\n")].into_iter(),
            &known,
        );
        assert!(w.is_empty());
        let msgs: Vec<(usize, &str)> = f.iter().map(|f| (f.line, f.message.as_str())).collect();
        assert_eq!(msgs.len(), 2);
        assert!(msgs[0].1.contains("`nope`") && msgs[0].0 == 1);
        assert!(msgs[1].1.contains("no block") && msgs[1].0 == 3);
    }
}
