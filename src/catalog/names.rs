//! The string formats Backstage enforces on an entity's envelope, mirroring the validators of
//! its catalog model (`KubernetesValidatorFunctions`, `CommonValidatorFunctions`, the default tag
//! rule). Each check returns what is wrong in words, so a finding can say more than "invalid".

use regex::Regex;
use std::sync::LazyLock;

/// The longest name, namespace, label value or tag Backstage accepts.
pub const MAX_NAME: usize = 63;
/// The longest DNS subdomain (a label or annotation key prefix).
pub const MAX_SUBDOMAIN: usize = 253;

fn regex(pattern: &str) -> Regex {
    // The patterns are constants of this file, checked by the tests below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern {pattern}: {e}"))
}

/// Backstage's object name: alphanumeric at both ends, `-`, `_` and `.` allowed in between.
static OBJECT_NAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"));
/// RFC 1123 label, lowercase: what Backstage requires of a namespace.
static DNS_LABEL: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z0-9]+(-[a-z0-9]+)*$"));
static TAG: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$"));
static KIND: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-zA-Z][a-zA-Z0-9]*$"));
static VERSION: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-zA-Z0-9]+$"));
static SCHEME: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-zA-Z][a-zA-Z0-9+.-]*$"));

fn too_long(s: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n > max {
        Err(format!("is {n} characters long, at most {max} are allowed"))
    } else {
        Ok(())
    }
}

/// `metadata.name`, a label value, the name part of a label or annotation key or of a reference.
pub fn object_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    too_long(s, MAX_NAME)?;
    if OBJECT_NAME.is_match(s) {
        return Ok(());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "contains {c:?}; only letters, digits, `-`, `_` and `.` are allowed"
        ));
    }
    Err("must start and end with a letter or digit".into())
}

/// `metadata.namespace`, and each dot-separated part of a DNS subdomain.
pub fn dns_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    too_long(s, MAX_NAME)?;
    if DNS_LABEL.is_match(s) {
        return Ok(());
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("must be lowercase".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "contains {c:?}; only lowercase letters, digits and `-` are allowed"
        ));
    }
    Err("must start and end with a letter or digit, with single `-` between".into())
}

pub fn dns_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    too_long(s, MAX_SUBDOMAIN)?;
    for part in s.split('.') {
        dns_label(part).map_err(|e| format!("part {part:?} {e}"))?;
    }
    Ok(())
}

/// A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain (as Kubernetes).
pub fn qualified_key(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        [name] => object_name(name).map_err(|e| format!("name {e}")),
        [prefix, name] => {
            dns_subdomain(prefix).map_err(|e| format!("prefix {prefix:?} {e}"))?;
            object_name(name).map_err(|e| format!("name {name:?} {e}"))
        }
        _ => Err("has more than one `/`; the form is `[prefix/]name`".into()),
    }
}

/// A label value: empty, or an object name.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() { Ok(()) } else { object_name(s) }
}

pub fn tag(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    too_long(s, MAX_NAME)?;
    if TAG.is_match(s) {
        return Ok(());
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("must be lowercase".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '+' | '#')))
    {
        return Err(format!(
            "contains {c:?}; only lowercase letters, digits, `:`, `+`, `#` and `-` are allowed"
        ));
    }
    Err("must not start or end with `-` nor contain `--`".into())
}

/// `kind`, also the kind part of an entity reference.
pub fn kind(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    too_long(s, MAX_NAME)?;
    if KIND.is_match(s) {
        Ok(())
    } else {
        Err("must be a letter followed by letters and digits, like `Component`".into())
    }
}

/// `apiVersion`: `[group/]version`, the group a DNS subdomain.
pub fn api_version(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.split('/').collect();
    let version = match parts.as_slice() {
        [version] => version,
        [group, version] => {
            dns_subdomain(group).map_err(|e| format!("group {group:?} {e}"))?;
            version
        }
        _ => return Err("must have the form `group/version`, like `backstage.io/v1alpha1`".into()),
    };
    if version.is_empty() || version.len() > MAX_NAME || !VERSION.is_match(version) {
        return Err(format!(
            "version {version:?} must be 1 to {MAX_NAME} letters and digits"
        ));
    }
    Ok(())
}

/// Schemes whose URLs must name a host (the WHATWG URL standard's "special" schemes, which is
/// what Backstage's `new URL(...)` applies).
const SPECIAL: &[&str] = &["http", "https", "ws", "wss", "ftp"];

/// An absolute URL as the WHATWG parser behind Backstage's `new URL(value)` accepts it: a scheme,
/// and for web schemes a non-empty host with a valid port.
pub fn url(s: &str) -> Result<(), String> {
    let s = s.trim();
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("is not an absolute URL (it has no scheme like `https:`)".into());
    };
    if !SCHEME.is_match(scheme) {
        return Err(format!(
            "is not an absolute URL (`{scheme}` is not a scheme)"
        ));
    }
    let scheme = scheme.to_ascii_lowercase();
    if !SPECIAL.contains(&scheme.as_str()) {
        // `mailto:`, `slack:`, `file:` and custom schemes: anything after the colon parses.
        return Ok(());
    }
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port, ipv6) = if let Some(inner) = host_port.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        let Some((ip, after)) = inner.split_once(']') else {
            return Err("has an unclosed `[` in its host".into());
        };
        if ip.is_empty()
            || !ip
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("has an invalid IPv6 host [{ip}]"));
        }
        match after.strip_prefix(':') {
            Some(port) => (ip, Some(port), true),
            None if after.is_empty() => (ip, None, true),
            None => return Err("has text after its IPv6 host".into()),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p), false),
            None => (host_port, None, false),
        }
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(c) = host
        .chars()
        .filter(|_| !ipv6)
        .find(|c| c.is_whitespace() || c.is_control() || "<>^|%#?@[]\\/:".contains(*c))
    {
        return Err(format!("has {c:?} in its host {host:?}"));
    }
    if let Some(port) = port {
        let digits = port.bytes().all(|b| b.is_ascii_digit());
        if !(port.is_empty() || digits && port.parse::<u32>().is_ok_and(|p| p <= 65535)) {
            return Err(format!("has an invalid port {port:?}"));
        }
    }
    Ok(())
}

/// A value the checks above would accept, derived from a rejected one, for the help text:
/// characters outside `keep` become `-`, runs collapse, the ends are trimmed, the length capped.
pub fn suggest(s: &str, lowercase: bool, keep: impl Fn(char) -> bool) -> Option<String> {
    let mut out = String::new();
    for c in s.chars() {
        let c = if lowercase { c.to_ascii_lowercase() } else { c };
        if c.is_ascii_alphanumeric() || (keep(c) && c.is_ascii()) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    // Separators may not end a value, nor, for tags and namespaces, repeat.
    let is_sep = |c: char| !c.is_ascii_alphanumeric();
    let mut out: String = out.trim_matches(is_sep).to_string();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.truncate(MAX_NAME);
    let out = out.trim_end_matches(is_sep).to_string();
    (!out.is_empty() && out != s).then_some(out)
}

pub fn suggest_name(s: &str) -> Option<String> {
    suggest(s, false, |c| matches!(c, '-' | '_' | '.')).filter(|n| object_name(n).is_ok())
}

pub fn suggest_dns_label(s: &str) -> Option<String> {
    suggest(s, true, |c| c == '-').filter(|n| dns_label(n).is_ok())
}

pub fn suggest_tag(s: &str) -> Option<String> {
    suggest(s, true, |c| matches!(c, '-' | ':' | '+' | '#')).filter(|n| tag(n).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names() {
        for ok in [
            "a",
            "payments-api",
            "Payments_API.v2",
            "a--b",
            "a._b",
            "x".repeat(63).as_str(),
        ] {
            assert!(object_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a b",
            "a/b",
            "é",
            "x".repeat(64).as_str(),
            "_",
        ] {
            assert!(object_name(bad).is_err(), "{bad}");
        }
        assert!(object_name("my service").unwrap_err().contains("' '"));
    }

    #[test]
    fn namespaces_are_lowercase_dns_labels() {
        assert!(dns_label("team-a").is_ok());
        assert!(dns_label("default").is_ok());
        assert_eq!(dns_label("Team").unwrap_err(), "must be lowercase");
        assert!(dns_label("team_a").is_err());
        assert!(dns_label("team--a").is_err());
        assert!(dns_label("-a").is_err());
    }

    #[test]
    fn label_and_annotation_keys() {
        for ok in [
            "team",
            "backstage.io/techdocs-ref",
            "github.com/project-slug",
            "a.b-c/D_e",
        ] {
            assert!(qualified_key(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/x",
            "x/",
            "Backstage.io/x",
            "a/b/c",
            "a_b.io/x",
            "bad key",
        ] {
            assert!(qualified_key(bad).is_err(), "{bad}");
        }
        let long_prefix = format!("{}.io/x", "a.".repeat(130));
        assert!(qualified_key(&long_prefix).unwrap_err().contains("253"));
    }

    #[test]
    fn label_values_may_be_empty() {
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2").is_ok());
        assert!(label_value("has space").is_err());
    }

    #[test]
    fn tags() {
        for ok in ["java", "c++", "c#", "lang:go", "a-b", "9"] {
            assert!(tag(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Java",
            "a_b",
            "a--b",
            "-a",
            "a b",
            "x".repeat(64).as_str(),
        ] {
            assert!(tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_and_api_versions() {
        assert!(kind("Component").is_ok());
        assert!(kind("1Component").is_err());
        assert!(kind("my-kind").is_err());
        for ok in [
            "backstage.io/v1alpha1",
            "scaffolder.backstage.io/v1beta3",
            "v1",
        ] {
            assert!(api_version(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "backstage.io/",
            "Backstage.io/v1",
            "a/b/c",
            "backstage.io/v1-beta",
        ] {
            assert!(api_version(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://example.com",
            "https://example.com:8443/a?b#c",
            "http://user:pw@host/x",
            "http://[::1]:8080/",
            "mailto:team@example.com",
            "slack://channel?id=1",
            "file:///etc/hosts",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "example.com",
            "/docs/runbook",
            "https://",
            "https://:8080/x",
            "https://exa mple.com",
            "https://example.com:99999",
            "https://example.com:port",
            "1http://x",
            "",
        ] {
            assert!(url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_name("My Service!").as_deref(), Some("My-Service"));
        assert_eq!(suggest_dns_label("Team_A").as_deref(), Some("team-a"));
        assert_eq!(suggest_tag("Java Script").as_deref(), Some("java-script"));
        assert_eq!(suggest_tag("ok"), None);
        assert_eq!(suggest_name("!!!"), None);
    }
}
