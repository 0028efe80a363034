//! HTML escaping for the markup the site builds in Rust (SVG, money cells), and the
//! template formatter that escapes everything the templates print.

use minijinja::value::Value;
use minijinja::{AutoEscape, Error, Output, State, escape_formatter};
use std::fmt::Write as _;

/// Escapes text for an element's content or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The formatter of the site's environment: the same escaping as minijinja's, without
/// turning every `/` into `&#x2f;` (which makes hrefs unreadable and is not needed inside
/// quoted attributes).
pub fn formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(s) if !value.is_safe() && matches!(state.auto_escape(), AutoEscape::Html) => {
            let mut escaped = String::with_capacity(s.len());
            escape_into(&mut escaped, s);
            out.write_str(&escaped).map_err(Error::from)
        }
        _ => escape_formatter(out, state, value),
    }
}

/// `$1,234.56`; an amount that is not a number shows as a dash.
pub fn usd(v: f64) -> String {
    if v.is_finite() {
        crate::cost::money::usd(v)
    } else {
        "–".to_string()
    }
}

/// Appends `text` cut to `max` characters (with an ellipsis) to `out`, escaped.
pub fn push_truncated(out: &mut String, text: &str, max: usize) {
    escape_into(out, &truncate(text, max));
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Writes a number with at most one decimal, as SVG coordinates need no more.
pub fn num(out: &mut String, v: f64) {
    let v = if v.is_finite() { v } else { 0.0 };
    if (v - v.round()).abs() < 0.05 {
        let _ = write!(out, "{}", v.round() as i64);
    } else {
        let _ = write!(out, "{v:.1}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("a/b"), "a/b");
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        let mut out = String::new();
        push_truncated(&mut out, "<b>bold</b>", 4);
        assert_eq!(out, "&lt;b&gt;…");
    }

    #[test]
    fn numbers() {
        let mut out = String::new();
        num(&mut out, 12.0);
        out.push(' ');
        num(&mut out, 12.3);
        out.push(' ');
        num(&mut out, f64::NAN);
        assert_eq!(out, "12 12.3 0");
    }
}
