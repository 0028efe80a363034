//! The registry of finding codes: every code stackgate can emit, its default level, a one-line
//! summary and the explanation `stackgate explain CODE` prints. Codes are stable: tools and
//! waivers refer to them.

use crate::finding::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub level: Level,
    pub summary: &'static str,
    pub explanation: &'static str,
}

/// Codes of the engine itself: reading files and the configuration.
pub const CORE: &[CodeInfo] = &[
    CodeInfo {
        code: "parse-error",
        level: Level::Deny,
        summary: "a file cannot be parsed",
        explanation: "The file is not valid YAML, HCL or JSON, is binary, or is not UTF-8. The finding \
points at the line where parsing stopped. Nothing else in the file is checked until it parses; \
the rest of the repository is still checked.",
    },
    CodeInfo {
        code: "empty-file",
        level: Level::Warn,
        summary: "a file that should describe something is empty",
        explanation: "An empty stack file, form, stack instance or catalog descriptor describes \
nothing. Delete it or fill it in.",
    },
    CodeInfo {
        code: "schema-error",
        level: Level::Deny,
        summary: "a file does not match the schema of its format",
        explanation: "stackgate ships JSON Schemas for `.cycloid.yml`, `.forms.yml`, stack \
instances and `stackgate.yaml`. The finding names the offending key, what the schema expected, and \
points at the key's line. Run `stackgate explain schema-error` for this text; the schemas are in \
the project's `schemas/` folder.",
    },
    CodeInfo {
        code: "config-invalid",
        level: Level::Deny,
        summary: "stackgate.yaml is invalid",
        explanation: "stackgate.yaml could not be read or does not match its format. The run goes \
on with defaults for the broken settings and exits with code 2, because its results may not be \
the ones the repository asked for.",
    },
    CodeInfo {
        code: "config-pattern",
        level: Level::Deny,
        summary: "a glob pattern in stackgate.yaml is invalid or matches nothing",
        explanation: "A pattern under `stacks`, `instances`, `terraform`, `catalog`, `policies` or \
`scorecards` is not a valid glob (deny), or matches no file at all (warn), which usually means a \
typo or a moved folder.",
    },
];

/// Every code, from every module.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    CORE.iter()
        .chain(crate::stacks::CODES.iter())
        .chain(crate::catalog::CODES.iter())
        .chain(crate::terraform::CODES.iter())
        .chain(crate::policy::CODES.iter())
        .chain(crate::cost::CODES.iter())
        .chain(crate::score::CODES.iter())
}

pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all().find(|c| c.code == code)
}

/// The level a code has unless a policy says otherwise. An unregistered code is a bug; it is
/// reported as `deny` so it cannot pass silently.
pub fn default_level(code: &str) -> Level {
    debug_assert!(lookup(code).is_some(), "unregistered finding code {code}");
    lookup(code).map_or(Level::Deny, |c| c.level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for c in all() {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(
                c.code
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-' || ch.is_ascii_digit()),
                "{}",
                c.code
            );
            assert!(!c.summary.is_empty() && !c.explanation.is_empty());
        }
    }
}
