//! Globs as policies write them: `*` is any run of characters and `?` one character; every
//! other character is literal, so resource addresses (`aws_instance.web["a"]`) and instance
//! types (`m5.*`) need no escaping. Path globs (`where.path`, waiver `project`) additionally
//! keep `*` inside one folder and use `**` to cross folders.

use regex::{Regex, RegexSet};

/// A list of globs, matched together.
#[derive(Debug, Clone)]
pub struct Globs {
    patterns: Vec<String>,
    set: RegexSet,
}

impl Globs {
    /// Globs over names (regions, types, addresses).
    pub fn names(patterns: &[String]) -> Result<Globs, String> {
        Globs::build(patterns, false)
    }

    /// Globs over repository paths: `*` stays inside a folder, `**` crosses folders.
    pub fn paths(patterns: &[String]) -> Result<Globs, String> {
        Globs::build(patterns, true)
    }

    fn build(patterns: &[String], path: bool) -> Result<Globs, String> {
        let mut sources = Vec::with_capacity(patterns.len());
        for p in patterns {
            if p.is_empty() {
                return Err("an empty pattern matches nothing".to_string());
            }
            sources.push(to_regex(p, path));
        }
        let set = RegexSet::new(&sources).map_err(|e| e.to_string())?;
        Ok(Globs {
            patterns: patterns.to_vec(),
            set,
        })
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.set.is_match(s)
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// `eu-west-1, eu-west-3` for messages; long lists are shortened.
    pub fn describe(&self) -> String {
        const MAX: usize = 8;
        let mut s = self
            .patterns
            .iter()
            .take(MAX)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if self.patterns.len() > MAX {
            s.push_str(&format!(", … ({} more)", self.patterns.len() - MAX));
        }
        s
    }
}

/// One glob as an anchored regular expression.
fn to_regex(glob: &str, path: bool) -> String {
    let mut out = String::from("^");
    let chars: Vec<char> = glob.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if path && chars.get(i + 1) == Some(&'*') => {
                // `**/` matches zero or more folders; a trailing `**` anything below.
                if chars.get(i + 2) == Some(&'/') {
                    out.push_str("(?:.*/)?");
                    i += 3;
                } else {
                    out.push_str(".*");
                    i += 2;
                }
                continue;
            }
            '*' if path => out.push_str("[^/]*"),
            '?' if path => out.push_str("[^/]"),
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
        i += 1;
    }
    out.push('$');
    out
}

/// One glob, for single-pattern fields (a waiver's `resource`).
pub fn single(pattern: &str, path: bool) -> Result<Regex, String> {
    if pattern.is_empty() {
        return Err("an empty pattern matches nothing".to_string());
    }
    Regex::new(&to_regex(pattern, path)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &[&str]) -> Globs {
        Globs::names(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn paths(p: &[&str]) -> Globs {
        Globs::paths(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn names_treat_brackets_and_dots_literally() {
        let g = names(&["m5.*", "aws_instance.web[\"a\"]"]);
        assert!(g.is_match("m5.large"));
        assert!(!g.is_match("m5large"));
        assert!(!g.is_match("xm5.large"));
        assert!(g.is_match("aws_instance.web[\"a\"]"));
        assert!(!g.is_match("aws_instance.web[\"b\"]"));
        let q = names(&["eu-west-?"]);
        assert!(q.is_match("eu-west-3") && !q.is_match("eu-west-10"));
        assert!(names(&["module.*.aws_*"]).is_match("module.a.module.b.aws_instance.x"));
    }

    #[test]
    fn paths_keep_star_in_one_folder() {
        let g = paths(&["deploy/*/x.yaml", "infra/**"]);
        assert!(g.is_match("deploy/prod/x.yaml"));
        assert!(!g.is_match("deploy/prod/a/x.yaml"));
        assert!(g.is_match("infra/network"));
        assert!(g.is_match("infra/a/b/c.tf"));
        let d = paths(&["**/prod/**"]);
        assert!(d.is_match("prod/a") && d.is_match("x/y/prod/a"));
        assert!(!d.is_match("x/production/a"));
    }

    #[test]
    fn empty_pattern_is_refused_and_describe_shortens() {
        assert!(Globs::names(&[String::new()]).is_err());
        let many: Vec<String> = (0..10).map(|i| format!("r{i}")).collect();
        let g = Globs::names(&many).unwrap();
        assert!(g.describe().ends_with("… (2 more)"));
    }
}
