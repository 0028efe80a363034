//! `kind: resource-type`: which resource types may be created at all (no long-lived IAM users,
//! no default VPC...). Managed resources only: reading a data source creates nothing.

use super::fields::Fields;
use super::glob::Globs;
use super::{Verdict, explain::KindDoc};
use crate::terraform::resource::Resource;

#[derive(Debug)]
pub struct ResourceType {
    allow: Option<Globs>,
    deny: Option<Globs>,
}

pub const DOC: KindDoc = KindDoc {
    kind: "resource-type",
    summary: "which resource types may be created",
    fields: &[
        (
            "allow",
            "globs of allowed resource types; every other type is a violation",
        ),
        ("deny", "globs of denied resource types"),
    ],
    details: "Checks the type of every managed resource (data sources are reads and are not \
checked), in the project and in every module it calls. Combine with `where: {path: [...]}` to \
allow a type only in some folders.",
    example: "- id: no-long-lived-credentials\n  kind: resource-type\n  level: deny\n  deny: [aws_iam_user, aws_iam_access_key]",
};

impl ResourceType {
    pub fn parse(f: &mut Fields) -> Option<ResourceType> {
        let allow = f.globs("allow");
        let deny = f.globs("deny");
        if allow.is_none() && deny.is_none() && f.problems.is_empty() {
            f.problem(&[], "a resource-type policy needs `allow`, `deny` or both");
        }
        Some(ResourceType { allow, deny })
    }

    pub fn check(&self, r: &Resource, out: &mut Vec<Verdict>) {
        if let Some(allow) = &self.allow {
            if !allow.is_match(&r.r#type) {
                out.push(
                    Verdict::violation(format!("resource type `{}` is not allowed", r.r#type))
                        .with_help(format!("allowed types: {}", allow.describe())),
                );
                return;
            }
        }
        if let Some(deny) = &self.deny {
            if deny.is_match(&r.r#type) {
                out.push(Verdict::violation(format!(
                    "resource type `{}` is denied",
                    r.r#type
                )));
            }
        }
    }
}
