//! Fitting a report into a size limit: GitHub refuses a comment over 65,536 characters (422),
//! and a step's job summary over 1 MiB. The summary and the footer are never cut; detail
//! blocks are kept whole while they fit, the first one that does not is cut at a line (its
//! `<details>` closed again), and a note says what was left out and where to find it.

/// GitHub's limit for a comment body; counted in UTF-8 bytes to stay under it whatever the
/// characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// The job summary's limit per step, shared by the two reports.
pub const SUMMARY_LIMIT: usize = 1024 * 1024;

/// A report in the parts that fit treats differently.
pub struct Parts<'a> {
    pub summary: &'a str,
    pub details: &'a [String],
    pub footer: &'a str,
}

/// The whole report when it fits in `limit` bytes; otherwise the summary, as many details as
/// fit, `note` (a markdown sentence saying where the full report is) and the footer.
pub fn fit(parts: &Parts, limit: usize, note: &str) -> String {
    let whole: usize = parts.summary.len()
        + parts.details.iter().map(String::len).sum::<usize>()
        + parts.footer.len();
    let mut out = String::with_capacity(whole.min(limit));
    out.push_str(parts.summary);
    if whole <= limit {
        parts.details.iter().for_each(|d| out.push_str(d));
        out.push_str(parts.footer);
        return out;
    }
    const CLOSE: &str = "\n</details>\n\n";
    let shown = |n: usize| {
        format!(
            "> [!NOTE]\n> Cut to stay under {} bytes: {} of {} detail section{} shown in full. \
{note}\n\n",
            group(limit),
            n,
            parts.details.len(),
            if parts.details.len() == 1 { "" } else { "s" }
        )
    };
    // Room for the note with the largest counts it can print, the closing tags and the footer.
    let reserve = shown(parts.details.len()).len() + CLOSE.len() + parts.footer.len();
    let budget = limit.saturating_sub(reserve);
    let mut whole_blocks = 0;
    for d in parts.details {
        if out.len() + d.len() > budget {
            let before = out.len();
            for line in d.split_inclusive('\n') {
                if out.len() + line.len() > budget {
                    break;
                }
                out.push_str(line);
            }
            if out.len() > before && d.trim_start().starts_with("<details") {
                out.push_str(CLOSE);
            } else if out.len() > before {
                out.push_str("\n\n");
            }
            break;
        }
        out.push_str(d);
        whole_blocks += 1;
    }
    out.push_str(&shown(whole_blocks));
    out.push_str(parts.footer);
    out
}

/// `65536` as `65,536`.
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn block(name: &str, lines: usize) -> String {
        let mut s = format!("<details><summary>{name}</summary>\n\n");
        for i in 0..lines {
            s.push_str(&format!("- finding {i} of {name} ✓\n"));
        }
        s.push_str("\n</details>\n");
        s
    }

    #[test]
    fn everything_when_it_fits() {
        let details = vec![block("a", 3), block("b", 2)];
        let p = Parts {
            summary: "# S\n\n",
            details: &details,
            footer: "<sub>f</sub>\n",
        };
        let out = fit(&p, COMMENT_LIMIT, "See the job summary.");
        assert_eq!(
            out,
            format!("# S\n\n{}{}<sub>f</sub>\n", details[0], details[1])
        );
    }

    #[test]
    fn cut_keeps_summary_and_footer_and_closes_the_block() {
        let details = vec![block("a", 10), block("b", 5_000), block("c", 10)];
        let p = Parts {
            summary: "# Summary\n\n| a | b |\n",
            details: &details,
            footer: "<sub>prices</sub>\n",
        };
        let out = fit(
            &p,
            4_000,
            "The full report is in the [job summary](https://x/runs/1).",
        );
        assert!(out.len() <= 4_000, "{}", out.len());
        assert!(out.starts_with("# Summary\n\n| a | b |\n"));
        assert!(out.ends_with("<sub>prices</sub>\n"));
        assert!(out.contains(&details[0]));
        assert!(
            out.contains("1 of 3 detail sections shown in full"),
            "{out}"
        );
        assert!(out.contains("[job summary](https://x/runs/1)"));
        assert!(!out.contains("of c"));
        assert_eq!(
            out.matches("<details>").count(),
            out.matches("</details>").count(),
            "{out}"
        );
        insta::assert_snapshot!(fit(
            &Parts {
                summary: "S\n",
                details: &[block("a", 1), block("b", 40)],
                footer: "F\n"
            },
            600,
            "See the job summary."
        ));
    }

    proptest! {
        #[test]
        fn never_over_the_limit(
            lines in proptest::collection::vec(0usize..400, 0..8),
            limit in 2_000usize..20_000,
        ) {
            let details: Vec<String> =
                lines.iter().enumerate().map(|(i, n)| block(&format!("p{i}"), *n)).collect();
            let p = Parts { summary: "## Summary ✓\n", details: &details, footer: "foot\n" };
            let out = fit(&p, limit, "See the job summary.");
            prop_assert!(out.len() <= limit);
            prop_assert!(out.starts_with("## Summary ✓\n"));
            prop_assert!(out.ends_with("foot\n"));
            prop_assert_eq!(out.matches("<details>").count(), out.matches("</details>").count());
        }
    }
}
