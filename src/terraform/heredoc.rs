//! `<<-` heredocs strip their common indentation. The parser strips it from the template's
//! top-level text only; text inside `%{for}` / `%{if}` directives keeps it. This finishes the
//! job before evaluation, so both give what Terraform gives.

use hcl_edit::template::{Directive, Element, HeredocTemplate, Template};
use hcl_edit::visit_mut::{self, VisitMut};

/// Dedents the text inside directives of every indented heredoc of a body.
pub fn dedent_nested(body: &mut hcl_edit::structure::Body) {
    NestedDedent.visit_body_mut(body);
}

struct NestedDedent;

impl VisitMut for NestedDedent {
    fn visit_heredoc_template_mut(&mut self, node: &mut HeredocTemplate) {
        if let Some(n) = node.indent() {
            for el in &mut node.template {
                if let Element::Directive(d) = el {
                    directive(d, n);
                }
            }
        }
        visit_mut::visit_heredoc_template_mut(self, node);
    }
}

fn directive(d: &mut Directive, n: usize) {
    match d {
        Directive::If(i) => {
            template(&mut i.if_expr.template, n);
            if let Some(e) = &mut i.else_expr {
                template(&mut e.template, n);
            }
        }
        Directive::For(f) => template(&mut f.for_expr.template, n),
    }
}

fn template(t: &mut Template, n: usize) {
    // The text right after a directive's opening continues that line: its first line keeps
    // its leading whitespace.
    let mut line_start = false;
    for el in t {
        match el {
            Element::Literal(l) => {
                let text = dedent(l.value(), n, !line_start);
                line_start = text.ends_with('\n');
                *l.value_mut() = text;
            }
            Element::Directive(d) => {
                directive(d, n);
                line_start = false;
            }
            Element::Interpolation(_) => line_start = false,
        }
    }
}

/// Removes up to `n` leading whitespace characters from every line (but the first when it
/// continues a line).
fn dedent(s: &str, n: usize, skip_first: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if i == 0 && skip_first {
            out.push_str(line);
            continue;
        }
        let strip = line
            .chars()
            .take(n)
            .take_while(|c| *c == ' ' || *c == '\t')
            .map(char::len_utf8)
            .sum();
        out.push_str(&line[strip..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedents_inside_directives_only_where_lines_start() {
        assert_eq!(dedent("\n    env=", 4, true), "\nenv=");
        assert_eq!(dedent("  x\n      y", 4, true), "  x\n  y");
        assert_eq!(dedent("    a\n  b", 4, false), "a\nb");
    }
}
