//! GitHub's CODEOWNERS file: who owns a path. Patterns follow `.gitignore` rules (a pattern
//! with a slash before its end is anchored at the root, one without matches at any depth, a
//! trailing slash means a folder, a folder means everything below it); the last matching line
//! wins. `@org/team` names a Group and `@user` a User; e-mail owners name no entity.

use super::entity_ref::EntityRef;
use super::rules::DEFAULT_NAMESPACE;
use crate::finding::Finding;
use globset::{Glob, GlobBuilder, GlobMatcher};

/// Where GitHub looks for the file, in its order.
pub const LOCATIONS: &[&str] = &[".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

#[derive(Debug, Default)]
pub struct CodeOwners {
    pub file: String,
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    matchers: Vec<GlobMatcher>,
    owners: Vec<EntityRef>,
    line: usize,
}

impl CodeOwners {
    /// Reads a CODEOWNERS text; a pattern that cannot be read is a finding, and the line is
    /// left out (as GitHub does).
    pub fn parse(file: &str, text: &str) -> (CodeOwners, Vec<Finding>) {
        let mut out = CodeOwners {
            file: file.to_string(),
            rules: Vec::new(),
        };
        let mut findings = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split(" #").next().unwrap_or_default().trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(pattern) = parts.next() else {
                continue;
            };
            let owners = parts.filter_map(owner_ref).collect();
            match matchers(pattern) {
                Ok(matchers) => out.rules.push(Rule {
                    matchers,
                    owners,
                    line: i + 1,
                }),
                Err(e) => findings.push(
                    Finding::new(
                        "codeowners-invalid",
                        file,
                        i + 1,
                        format!("the pattern `{pattern}` cannot be read: {e}"),
                    )
                    .help("CODEOWNERS patterns follow .gitignore rules (`*`, `**`, `/docs/`)"),
                ),
            }
        }
        (out, findings)
    }

    /// The owners of a path (relative to the root) and the line that says so. A last match
    /// with no owner means nobody owns it.
    pub fn owners(&self, path: &str) -> Option<(&[EntityRef], usize)> {
        self.rules
            .iter()
            .rev()
            .find(|r| r.matchers.iter().any(|m| m.is_match(path)))
            .map(|r| (r.owners.as_slice(), r.line))
    }
}

/// `@org/team` → `group:default/team`, `@user` → `user:default/user`.
fn owner_ref(owner: &str) -> Option<EntityRef> {
    let name = owner.strip_prefix('@')?;
    match name.split_once('/') {
        Some((_, team)) if !team.is_empty() => {
            Some(EntityRef::new("Group", DEFAULT_NAMESPACE, team.to_string()))
        }
        Some(_) => None,
        None if !name.is_empty() => Some(EntityRef::new("User", DEFAULT_NAMESPACE, name)),
        None => None,
    }
}

fn matchers(pattern: &str) -> Result<Vec<GlobMatcher>, globset::Error> {
    let dir_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = pattern.starts_with('/') || body.contains('/');
    let body = body.trim_start_matches('/');
    let base = if anchored || body.starts_with("**") {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    let glob = |p: &str| -> Result<GlobMatcher, globset::Error> {
        Ok(GlobBuilder::new(p)
            .literal_separator(true)
            .build()?
            .compile_matcher())
    };
    let mut out = vec![glob(&format!("{base}/**"))?];
    if !dir_only {
        out.push(glob(&base)?);
    }
    // `*` alone owns everything, also files at the top.
    if body == "*" {
        out.push(Glob::new("**")?.compile_matcher());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# Default owners
*       @acme/platform
*.tf    @acme/infra   # Terraform
/deploy/prod/ @acme/sre @jdoe ops@example.com
docs/   @acme/writers
infra/network/main.tf @acme/network
/stacks/legacy/
[unclosed @acme/x
";

    fn owners(c: &CodeOwners, path: &str) -> Option<(Vec<String>, usize)> {
        c.owners(path)
            .map(|(o, line)| (o.iter().map(ToString::to_string).collect(), line))
    }

    #[test]
    fn last_match_wins_with_gitignore_patterns() {
        let (c, f) = CodeOwners::parse(".github/CODEOWNERS", TEXT);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].code, f[0].line), ("codeowners-invalid", 8));
        let g = |s: &str| s.to_string();
        assert_eq!(
            owners(&c, "README.md"),
            Some((vec![g("group:default/platform")], 2))
        );
        assert_eq!(
            owners(&c, "infra/app/main.tf"),
            Some((vec![g("group:default/infra")], 3))
        );
        assert_eq!(
            owners(&c, "deploy/prod/db.stack.yaml"),
            Some((vec![g("group:default/sre"), g("user:default/jdoe")], 4))
        );
        // Anchored: deploy/prod below another folder is not it.
        assert_eq!(owners(&c, "x/deploy/prod/db.yaml").map(|o| o.1), Some(2));
        // Unanchored folder: at any depth.
        assert_eq!(
            owners(&c, "services/api/docs/index.md").map(|o| o.1),
            Some(5)
        );
        assert_eq!(owners(&c, "infra/network/main.tf").map(|o| o.1), Some(6));
        // A pattern with no owner: nobody owns it.
        assert_eq!(
            owners(&c, "stacks/legacy/terraform/main.tf"),
            Some((vec![], 7))
        );
    }

    #[test]
    fn an_empty_file_owns_nothing() {
        let (c, f) = CodeOwners::parse("CODEOWNERS", "# nothing\n\n");
        assert!(f.is_empty());
        assert!(c.owners("a/b").is_none());
    }
}
