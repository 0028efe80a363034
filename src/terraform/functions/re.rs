//! Terraform patterns are Go RE2 syntax; the `regex` crate speaks nearly the same language.
//! The differences that change results are bridged here: Go's `\d`, `\w`, `\s` and `\b` are
//! ASCII-only, Go's `\Q…\E` quotes, a `[` inside a class is a literal, `&&`/`--`/`~~` are not
//! set operations, and a `{` that does not start a repetition is a literal.

use regex::Regex;

/// Compiles a Go pattern; the error is a one-line reason.
pub(super) fn compile(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern);
    regex::RegexBuilder::new(&translated)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| short(&e))
}

fn short(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or(&text);
    last.trim().trim_start_matches("error: ").to_string()
}

fn translate(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    // Position just after a class's `[` or `[^`, where `]` is a literal.
    let mut class_start = false;
    while let Some(&c) = chars.get(i) {
        let first_in_class = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    out.push('\\');
                    break;
                };
                i += 2;
                if e == 'Q' {
                    let mut lit = String::new();
                    while let Some(&q) = chars.get(i) {
                        if q == '\\' && chars.get(i + 1) == Some(&'E') {
                            i += 2;
                            break;
                        }
                        lit.push(q);
                        i += 1;
                    }
                    if in_class {
                        for q in lit.chars() {
                            push_class_literal(&mut out, q);
                        }
                    } else {
                        out.push_str(&regex::escape(&lit));
                    }
                    continue;
                }
                out.push_str(&escape(e, in_class));
                continue;
            }
            '[' if in_class => {
                if chars.get(i + 1) == Some(&':') {
                    // A POSIX class such as `[:alpha:]` goes through whole.
                    if let Some(end) = find_posix_end(&chars, i + 2) {
                        out.extend(&chars[i..end]);
                        i = end;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            '[' => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if in_class && !first_in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(i + 1) == Some(&'-') => out.push_str("\\-"),
            '{' if !in_class && !starts_repeat(&chars, i) => out.push_str("\\{"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn push_class_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() {
        out.push('\\');
    }
    out.push(c);
}

fn find_posix_end(chars: &[char], from: usize) -> Option<usize> {
    let mut j = from;
    while let Some(&c) = chars.get(j) {
        if c == ':' && chars.get(j + 1) == Some(&']') {
            return Some(j + 2);
        }
        if !(c.is_ascii_alphabetic() || c == '^') {
            return None;
        }
        j += 1;
    }
    None
}

/// Whether `{` at `i` begins `{n}`, `{n,}` or `{n,m}`.
fn starts_repeat(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    let digits = |j: &mut usize| {
        let s = *j;
        while chars.get(*j).is_some_and(char::is_ascii_digit) {
            *j += 1;
        }
        *j > s
    };
    if !digits(&mut j) {
        return false;
    }
    if chars.get(j) == Some(&',') {
        j += 1;
        digits(&mut j);
    }
    chars.get(j) == Some(&'}')
}

fn escape(e: char, in_class: bool) -> String {
    let s = match (e, in_class) {
        ('d', false) => "[0-9]",
        ('D', false) => "[^0-9]",
        ('w', false) => "[0-9A-Za-z_]",
        ('W', false) => "[^0-9A-Za-z_]",
        ('s', false) => "[\\t\\n\\x0C\\r ]",
        ('S', false) => "[^\\t\\n\\x0C\\r ]",
        ('b', false) => "(?-u:\\b)",
        ('B', false) => "(?-u:\\B)",
        ('d', true) => "0-9",
        ('w', true) => "0-9A-Za-z_",
        ('s', true) => "\\t\\n\\x0C\\r ",
        ('D', true) => "[:^digit:]",
        ('W', true) => "[:^word:]",
        ('S', true) => "[:^space:]",
        _ => return format!("\\{e}"),
    };
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_ascii_like_go() {
        let re = compile(r"^\d+$").unwrap();
        assert!(re.is_match("123"));
        assert!(!re.is_match("١٢٣"));
        assert!(compile(r"\bfoo\b").unwrap().is_match("a foo b"));
        assert!(compile(r"[\d\s]+").unwrap().is_match("1 2"));
    }

    #[test]
    fn literal_oddities_of_go() {
        assert!(compile(r"a{").unwrap().is_match("a{"));
        assert!(compile(r"[[]").unwrap().is_match("["));
        assert!(compile(r"[a&&b]").unwrap().is_match("&"));
        assert!(compile(r"\Q.*\E").unwrap().is_match(".*"));
        assert!(!compile(r"\Q.*\E").unwrap().is_match("ab"));
        assert!(compile(r"[[:alpha:]]+").unwrap().is_match("abc"));
        assert!(compile(r"x{2,3}").unwrap().is_match("xx"));
    }

    #[test]
    fn errors_are_one_line() {
        let e = compile("(abc").unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        assert!(!e.is_empty());
    }
}
