//! `kind: attribute`: a condition on a resource attribute (`storage_encrypted equals true`,
//! `ingress[*].cidr_blocks not_contains 0.0.0.0/0`), for the resource types listed. Path and
//! operator semantics live in `attr_path` and `attr_op`.

use super::attr_op::{self, Check, Outcome};
use super::fields::Fields;
use super::glob::Globs;
use super::{Verdict, explain::KindDoc};
use crate::terraform::resource::Resource;

#[derive(Debug)]
pub struct Attribute {
    resource_types: Globs,
    check: Check,
}

pub const DOC: KindDoc = KindDoc {
    kind: "attribute",
    summary: "a condition on a resource attribute",
    fields: &[
        (
            "resource_types",
            "globs of the resource types to check (required)",
        ),
        (
            "check",
            "`{path, op, value, match}`: `path` into the attributes (`a.b`, `a[0].b`, `a[*].b`, \
`tags[\"k\"]`), `op` one of exists, not_exists, equals, not_equals, in, not_in, matches, \
not_matches, gt, gte, lt, lte, contains, not_contains; `match` all (default) or any",
        ),
    ],
    details: attr_op::DOC,
    example: "- id: s3-encryption\n  kind: attribute\n  level: deny\n  resource_types: [aws_s3_bucket]\n  check: { path: server_side_encryption_configuration, op: exists }",
};

impl Attribute {
    pub fn parse(f: &mut Fields) -> Option<Attribute> {
        let resource_types = f.globs("resource_types");
        if resource_types.is_none()
            && !f
                .problems
                .iter()
                .any(|p| p.key.first().is_some_and(|k| k == "resource_types"))
        {
            f.problem(&[], "an attribute policy needs `resource_types`");
        }
        let check = match f.raw("check") {
            None => {
                f.problem(&[], "an attribute policy needs `check: {path, op, value}`");
                None
            }
            Some(raw) => match Check::parse(raw) {
                Ok(c) => Some(c),
                Err(errors) => {
                    for e in errors {
                        match &e.key {
                            Some(k) => f.problem(&["check", k], e.message),
                            None => f.problem(&["check"], e.message),
                        }
                    }
                    None
                }
            },
        };
        Some(Attribute {
            resource_types: resource_types?,
            check: check?,
        })
    }

    pub fn relevant(&self, resource_type: &str) -> bool {
        self.resource_types.is_match(resource_type)
    }

    pub fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        if !self.relevant(&r.r#type) {
            return;
        }
        match self.check.test(&r.attributes) {
            Outcome::Pass => {}
            Outcome::Fail { found } => out.push(
                Verdict::violation(format!("expected {}, but {found}", self.check.describe()))
                    .with_help(format!(
                        "set the resource so that {}",
                        self.check.describe()
                    )),
            ),
            Outcome::Unknown { path, reason } => out.push(Verdict::Unknown {
                message: format!(
                    "`{path}` is unknown, so {} cannot be checked: {reason}",
                    self.check.describe()
                ),
            }),
        }
    }
}
