//! Which URLs may become links, and the paths and anchors of the pages the site writes.
//! Every page name built from user text goes through here, so no name can climb out of
//! the output folder, collide on a case-insensitive file system, or break a relative link.

/// Whether `url` may be an `href`: `http(s)`, `mailto` or a relative URL. Anything else
/// (`javascript:`, `data:`, `vbscript:`…) is shown as text. Browsers drop tabs and newlines
/// inside URLs and leading spaces (`java\tscript:`), so any whitespace or control character
/// makes a URL unsafe.
pub fn is_safe_url(url: &str) -> bool {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match url.find([':', '/', '?', '#']) {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = &url[..i];
            ["http", "https", "mailto"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s))
        }
        _ => true,
    }
}

/// The way from a page back to the site root: `""` for `index.html`, `../../` for
/// `component/default/api.html`.
pub fn prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// Whether a page path from the data can be written and linked as is: relative, made of
/// plain names (letters, digits, `-_.~@+`), no `.`/`..` step, ending in `.html`.
pub fn is_safe_page(page: &str) -> bool {
    page.ends_with(".html")
        && page.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.~@+".contains(c))
        })
}

/// A file name for user text (a stack's canonical name, a kind): lowercase letters, digits
/// and `-` are kept, every other byte becomes `_` and two hex digits. The mapping is
/// one-to-one, and distinct names stay distinct on case-insensitive file systems.
pub fn file_slug(text: &str) -> String {
    encode(text, |b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
    })
}

/// The `id` of a project's row on `instances.html`, from its path.
pub fn project_anchor(path: &str) -> String {
    let body = encode(path, |b| b.is_ascii_alphanumeric() || b"-./".contains(&b));
    format!("project-{body}")
}

/// The `id` of a policy's section on `policies.html`.
pub fn policy_anchor(id: &str) -> String {
    let body = encode(id, |b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
    format!("policy-{body}")
}

/// The `id` of a scorecard's section on `scorecards.html`.
pub fn scorecard_anchor(id: &str) -> String {
    let body = encode(id, |b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
    format!("scorecard-{body}")
}

fn encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    if text.is_empty() {
        return "_".to_string();
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_urls() {
        for ok in [
            "https://example.com/a?b#c",
            "HTTP://example.com",
            "mailto:team@example.com",
            "docs/runbook.html",
            "../x.html",
            "#section",
            "?q=1",
            "/absolute/path",
            "//example.com/x",
            "javascript&colon;alert(1)",
            "a/b:c",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            ":nothing",
            "",
            "https://exa mple.com",
        ] {
            assert!(!is_safe_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix("index.html"), "");
        assert_eq!(prefix("catalog/api.html"), "../");
        assert_eq!(prefix("component/default/a.html"), "../../");
    }

    #[test]
    fn safe_pages() {
        assert!(is_safe_page("component/default/payments-api.html"));
        assert!(is_safe_page("api/team.v2/payments_api@1.html"));
        for bad in [
            "../etc/passwd.html",
            "/abs.html",
            "a//b.html",
            "a/./b.html",
            "a/.hidden.html",
            "a\\b.html",
            "a/b c.html",
            "a/b#c.html",
            "a/b.htm",
            "",
            "C:/x.html",
        ] {
            assert!(!is_safe_page(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_are_one_to_one() {
        assert_eq!(file_slug("aws-rds"), "aws-rds");
        assert_eq!(file_slug("AWS_rds"), "_41_57_53_5frds");
        assert_eq!(file_slug("../x"), "_2e_2e_2fx");
        assert_eq!(file_slug(""), "_");
        assert_ne!(file_slug("A"), file_slug("a"));
        assert_eq!(
            project_anchor("deploy/prod/db.stack.yaml"),
            "project-deploy/prod/db.stack.yaml"
        );
        assert_eq!(project_anchor("infra/my app"), "project-infra/my_20app");
        assert_eq!(
            policy_anchor("aws/allowed regions"),
            "policy-aws_2fallowed_20regions"
        );
    }
}
