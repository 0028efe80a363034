//! Entity references, `[<kind>:][<namespace>/]<name>`, split exactly where Backstage splits
//! them, with each part held to the naming rules.

use super::names;
use serde::Serialize;
use std::fmt;

/// The kinds Backstage's built-in processor knows, spelled as Backstage spells them.
pub const CORE_KINDS: &[&str] = &[
    "Component",
    "API",
    "Resource",
    "System",
    "Domain",
    "Group",
    "User",
    "Location",
];

/// The core kind `kind` names, ignoring case (references may write `group:` or `Group:`).
pub fn canonical_kind(kind: &str) -> Option<&'static str> {
    CORE_KINDS
        .iter()
        .copied()
        .find(|k| k.eq_ignore_ascii_case(kind))
}

/// A reference to an entity. `kind` is spelled as Backstage spells core kinds (`Group`), other
/// kinds as written; `namespace` and `name` as written (Backstage compares them ignoring case,
/// see [`EntityRef::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EntityRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl EntityRef {
    pub fn new(
        kind: impl Into<String>,
        namespace: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        let kind = kind.into();
        EntityRef {
            kind: canonical_kind(&kind).map_or(kind, str::to_string),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Parses `text`, filling a missing kind or namespace from the defaults (the field decides
    /// the kind: `owner` means a Group; the namespace is the referring entity's). An empty
    /// `default_kind` makes the kind required. The error says what is wrong, for a finding.
    pub fn parse(
        text: &str,
        default_kind: &str,
        default_namespace: &str,
    ) -> Result<EntityRef, String> {
        let form = "the form is `[<kind>:][<namespace>/]<name>`";
        let slash = text.find('/');
        // A colon after the first slash belongs to the name, not to a kind.
        let colon = text.find(':').filter(|&c| slash.is_none_or(|s| c < s));
        let kind = colon.and_then(|c| text.get(..c));
        let rest = colon.and_then(|c| text.get(c + 1..)).unwrap_or(text);
        let (namespace, name) = match rest.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, rest),
        };
        if kind == Some("") {
            return Err(format!("`{text}` has an empty kind before `:`; {form}"));
        }
        if namespace == Some("") {
            return Err(format!(
                "`{text}` has an empty namespace before `/`; {form}"
            ));
        }
        if name.is_empty() {
            return Err(format!("`{text}` has no name; {form}"));
        }
        let kind = kind.unwrap_or(default_kind);
        if kind.is_empty() {
            return Err(format!("`{text}` has no kind; write it as `<kind>:{text}`"));
        }
        let namespace = namespace.unwrap_or(default_namespace);
        names::kind(kind).map_err(|e| format!("`{text}`: kind `{kind}` {e}"))?;
        // Backstage matches references ignoring case, so only the characters are checked here.
        names::dns_label(&namespace.to_ascii_lowercase())
            .map_err(|e| format!("`{text}`: namespace `{namespace}` {e}"))?;
        names::object_name(name).map_err(|e| format!("`{text}`: name `{name}` {e}"))?;
        Ok(EntityRef::new(kind, namespace, name))
    }

    /// The form Backstage compares references by: everything lowercase.
    pub fn key(&self) -> String {
        self.to_string().to_lowercase()
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}/{}",
            self.kind.to_lowercase(),
            self.namespace,
            self.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str, kind: &str) -> Result<String, String> {
        EntityRef::parse(text, kind, "default").map(|r| r.to_string())
    }

    #[test]
    fn defaults_fill_missing_parts() {
        assert_eq!(parse("team-a", "Group").unwrap(), "group:default/team-a");
        assert_eq!(parse("ops/team-a", "Group").unwrap(), "group:ops/team-a");
        assert_eq!(parse("user:jdoe", "Group").unwrap(), "user:default/jdoe");
        assert_eq!(parse("user:ops/jdoe", "Group").unwrap(), "user:ops/jdoe");
        let r = EntityRef::parse("payments", "System", "finance").unwrap();
        assert_eq!(r, EntityRef::new("System", "finance", "payments"));
    }

    #[test]
    fn core_kinds_are_canonicalised_and_displayed_lowercase() {
        let r = EntityRef::parse("GROUP:Team-A", "Component", "default").unwrap();
        assert_eq!(r.kind, "Group");
        assert_eq!(r.to_string(), "group:default/Team-A");
        assert_eq!(r.key(), "group:default/team-a");
        let custom = EntityRef::parse("Pipeline:x", "Group", "default").unwrap();
        assert_eq!(custom.kind, "Pipeline");
        assert_eq!(custom.to_string(), "pipeline:default/x");
    }

    #[test]
    fn malformed_references_are_errors() {
        for bad in [
            "",
            ":x",
            "group:",
            "group:/x",
            "/x",
            "ns/",
            "a b",
            "group:ops/team/a",
            "https://example.com/x",
        ] {
            assert!(parse(bad, "Group").is_err(), "{bad}");
        }
        assert!(parse("1group:x", "Group").unwrap_err().contains("kind"));
        assert!(
            parse("group:Ops_Team/x", "Group")
                .unwrap_err()
                .contains("namespace")
        );
        // A colon after the slash is part of the name, which names do not allow.
        assert!(parse("ops/a:b", "Group").unwrap_err().contains("name"));
        assert!(parse("x", "").unwrap_err().contains("no kind"));
        assert_eq!(parse("component:x", "").unwrap(), "component:default/x");
    }

    #[test]
    fn namespaces_match_ignoring_case() {
        assert_eq!(parse("group:Ops/x", "Group").unwrap(), "group:Ops/x");
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in ".{0,80}", kind in "[A-Za-z]{0,8}", ns in "[a-z:/]{0,6}") {
            if let Ok(r) = EntityRef::parse(&text, &kind, &ns) {
                // Whatever parsed holds a valid name, and prints back into something that parses.
                prop_assert!(names::object_name(&r.name).is_ok());
                let again = EntityRef::parse(&r.to_string(), "", "default");
                prop_assert_eq!(again.map(|a| a.key()), Ok(r.key()));
            }
        }
    }
}
