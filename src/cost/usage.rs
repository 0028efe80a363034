//! The usage file, in Infracost's format (`infracost-usage.yml`): usage per resource type
//! (`resource_type_default_usage`) and per address (`resource_usage`, where `[*]` matches any
//! index). For each key, an exact address beats a `[*]` address, which beats the type default.

use crate::finding::Finding;
use crate::yaml::{self, Seg};
use serde_json::{Map, Value as Json};

/// The usage values of one resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    values: Map<String, Json>,
}

impl Usage {
    /// A number at a path of keys; numbers written as strings count too.
    pub fn number(&self, path: &[&str]) -> Option<f64> {
        let (first, rest) = path.split_first()?;
        let mut v = self.values.get(*first)?;
        for key in rest {
            v = v.as_object()?.get(*key)?;
        }
        match v {
            Json::Number(n) => n.as_f64(),
            Json::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A string at a path of keys (`operating_system: windows`).
    pub fn text(&self, path: &[&str]) -> Option<&str> {
        let (first, rest) = path.split_first()?;
        let mut v = self.values.get(*first)?;
        for key in rest {
            v = v.as_object()?.get(*key)?;
        }
        v.as_str()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn overlay(&mut self, from: &Map<String, Json>) {
        for (k, v) in from {
            match (self.values.get_mut(k), v) {
                (Some(Json::Object(mine)), Json::Object(theirs)) => {
                    let mut inner = Usage {
                        values: std::mem::take(mine),
                    };
                    inner.overlay(theirs);
                    *mine = inner.values;
                }
                _ => {
                    self.values.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageFile {
    by_type: Vec<(String, Map<String, Json>)>,
    /// Addresses with `[*]`: matched index by index.
    wildcard: Vec<(String, Map<String, Json>)>,
    exact: std::collections::HashMap<String, Map<String, Json>>,
}

impl UsageFile {
    pub fn is_empty(&self) -> bool {
        self.by_type.is_empty() && self.wildcard.is_empty() && self.exact.is_empty()
    }

    /// The usage of the resource at `address` of type `resource_type`.
    pub fn for_resource(&self, address: &str, resource_type: &str) -> Usage {
        let mut usage = Usage::default();
        if self.is_empty() {
            return usage;
        }
        for (t, values) in &self.by_type {
            if t == resource_type {
                usage.overlay(values);
            }
        }
        for (pattern, values) in &self.wildcard {
            if wildcard_matches(pattern, address) {
                usage.overlay(values);
            }
        }
        if let Some(values) = self.exact.get(address) {
            usage.overlay(values);
        }
        usage
    }

    /// Reads a usage file; mistakes are `usage-invalid` findings on their lines.
    pub fn load(file: &str, text: &str) -> (UsageFile, Vec<Finding>) {
        let mut out = UsageFile::default();
        let mut findings = Vec::new();
        let doc = match yaml::parse_one(text) {
            Ok(doc) => doc,
            Err(e) => {
                findings.push(Finding::new("usage-invalid", file, e.pos.line, e.message));
                return (out, findings);
            }
        };
        let json = yaml::to_json(&doc.value);
        let Some(top) = json.as_object() else {
            if !json.is_null() {
                findings.push(Finding::new(
                    "usage-invalid",
                    file,
                    doc.start.line,
                    "a usage file is a mapping with `resource_usage` and `resource_type_default_usage`",
                ));
            }
            return (out, findings);
        };
        for (key, value) in top {
            let at = |path: &[Seg]| {
                let mut p = vec![Seg::Key(key.clone())];
                p.extend_from_slice(path);
                doc.line(&p)
            };
            match key.as_str() {
                "version" => {}
                "resource_usage" | "resource_type_default_usage" => {
                    let Some(entries) = value.as_object() else {
                        if !value.is_null() {
                            findings.push(Finding::new("usage-invalid", file, at(&[]), format!("`{key}` must be a mapping of addresses to usage")));
                        }
                        continue;
                    };
                    for (name, usage) in entries {
                        let Some(values) = usage.as_object() else {
                            if !usage.is_null() {
                                findings.push(Finding::new(
                                    "usage-invalid",
                                    file,
                                    at(&[Seg::Key(name.clone())]),
                                    format!("the usage of `{name}` must be a mapping of usage keys to numbers"),
                                ));
                            }
                            continue;
                        };
                        if key == "resource_type_default_usage" {
                            out.by_type.push((name.clone(), values.clone()));
                        } else if name.contains("[*]") {
                            out.wildcard.push((name.clone(), values.clone()));
                        } else {
                            out.exact.insert(name.clone(), values.clone());
                        }
                    }
                }
                other => findings.push(
                    Finding::new("usage-invalid", file, at(&[]), format!("unknown key `{other}`"))
                        .help("a usage file has `version`, `resource_usage` and `resource_type_default_usage`"),
                ),
            }
        }
        (out, findings)
    }
}

/// `module.app.aws_instance.web[*]` matches `module.app.aws_instance.web[3]` and
/// `module.app.aws_instance.web["a"]`; `module.app[*].x` matches every instance of the module.
fn wildcard_matches(pattern: &str, address: &str) -> bool {
    let mut rest = address;
    let mut parts = pattern.split("[*]").peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if first {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
            first = false;
        } else {
            // Skip one index `[...]` then expect `part`.
            let Some(r) = rest.strip_prefix('[') else {
                return false;
            };
            let Some(close) = index_end(r) else {
                return false;
            };
            rest = &r[close + 1..];
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        }
        if parts.peek().is_none() {
            return rest.is_empty();
        }
    }
    rest.is_empty()
}

/// The position of the `]` closing an index, skipping a quoted key's contents.
fn index_end(s: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ']' if !in_quotes => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"version: 0.1
resource_type_default_usage:
  aws_lambda_function: { monthly_requests: 100000, request_duration_ms: 500 }
resource_usage:
  aws_nat_gateway.nat: { monthly_data_processed_gb: 100 }
  module.app.aws_cloudwatch_log_group.logs[*]: { storage_gb: 1000 }
  module.app.aws_cloudwatch_log_group.logs["b"]: { storage_gb: 5 }
  aws_lambda_function.api: { monthly_requests: 2000000 }
  aws_s3_bucket.b: { standard: { storage_gb: 10 } }
"#;

    #[test]
    fn exact_beats_wildcard_beats_type_default() {
        let (u, findings) = UsageFile::load("infracost-usage.yml", FILE);
        assert!(findings.is_empty(), "{findings:?}");
        let nat = u.for_resource("aws_nat_gateway.nat", "aws_nat_gateway");
        assert_eq!(nat.number(&["monthly_data_processed_gb"]), Some(100.0));
        let a = u.for_resource(
            r#"module.app.aws_cloudwatch_log_group.logs["a"]"#,
            "aws_cloudwatch_log_group",
        );
        assert_eq!(a.number(&["storage_gb"]), Some(1000.0));
        let b = u.for_resource(
            r#"module.app.aws_cloudwatch_log_group.logs["b"]"#,
            "aws_cloudwatch_log_group",
        );
        assert_eq!(b.number(&["storage_gb"]), Some(5.0));
        let api = u.for_resource("aws_lambda_function.api", "aws_lambda_function");
        assert_eq!(api.number(&["monthly_requests"]), Some(2_000_000.0));
        assert_eq!(api.number(&["request_duration_ms"]), Some(500.0));
        let s3 = u.for_resource("aws_s3_bucket.b", "aws_s3_bucket");
        assert_eq!(s3.number(&["standard", "storage_gb"]), Some(10.0));
        assert!(
            u.for_resource("aws_nat_gateway.other", "aws_nat_gateway")
                .is_empty()
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("a.b[*]", "a.b[0]"));
        assert!(wildcard_matches("a.b[*]", r#"a.b["x]y"]"#));
        assert!(!wildcard_matches("a.b[*]", "a.b"));
        assert!(!wildcard_matches("a.b[*]", "a.bc[0]"));
        assert!(wildcard_matches(
            "module.m[*].x.y[*]",
            r#"module.m["k"].x.y[2]"#
        ));
        assert!(!wildcard_matches("module.m[*].x.y", "module.m[0].x.y[2]"));
    }

    #[test]
    fn mistakes_are_findings_with_lines() {
        let (_, f) = UsageFile::load("u.yml", "resource_usage:\n  a.b: 3\nfoo: 1\n");
        assert_eq!(
            f.iter().map(|f| (f.code, f.line)).collect::<Vec<_>>(),
            vec![("usage-invalid", 2), ("usage-invalid", 3)]
        );
    }
}
