//! A hand-built report the format tests share: findings with and without column, resource,
//! policy and help; a CRLF file; a line past the end of its file; a file whose text is missing;
//! user text with markup, pipes, percent signs, newlines, commas and colons.

use super::{RenderOptions, Report, Summary, Tool};
use crate::finding::{Finding, Level, normalize};
use crate::source::Texts;
use std::sync::Arc;

pub const CRLF_FILE: &str = "stacks/web/.cycloid.yml";
pub const TF_FILE: &str = "infra/main.tf";

/// Options without colour, as most tests render.
pub fn plain(texts: &Texts) -> RenderOptions<'_> {
    RenderOptions {
        texts,
        color: false,
    }
}

pub fn texts() -> Texts {
    let mut t = Texts::new();
    t.insert(
        CRLF_FILE.to_string(),
        Arc::from("version: '3'\r\nname: web\r\n  canonical: <script>x</script>\r\n"),
    );
    t.insert(
        TF_FILE.to_string(),
        Arc::from("resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n"),
    );
    t
}

pub fn report() -> (Report, Texts) {
    let mut findings = vec![
        Finding::new(
            "schema-error",
            CRLF_FILE,
            3,
            "unexpected key | <script>alert(1)</script>",
        )
        .column(3)
        .help("remove the key"),
        // Past the end of the file: rendered without a snippet.
        Finding::new(
            "parse-error",
            CRLF_FILE,
            40,
            "100% broken:\nsecond line, with comma",
        ),
        // A policy finding with a code the registry does not know: formats must cope.
        Finding {
            code: "policy-violation",
            policy: Some("s3-encryption".to_string()),
            level: Level::Deny,
            message: "bucket is not encrypted".to_string(),
            file: TF_FILE.to_string(),
            line: 1,
            column: Some(1),
            resource: Some("aws_s3_bucket.logs".to_string()),
            help: Some("add server_side_encryption_configuration".to_string()),
            suppression: None,
        },
        Finding::new(
            "empty-file",
            "catalog-info.yaml",
            1,
            "catalog-info.yaml is empty",
        ),
        Finding::new(
            "config-pattern",
            "stackgate.yaml",
            4,
            "pattern matches nothing",
        )
        .level(Level::Warn)
        .column(5)
        .resource("stacks/**: a,b"),
        Finding::new("empty-file", TF_FILE, 2, "bucket name is a literal")
            .level(Level::Info)
            .resource("aws_s3_bucket.logs"),
    ];
    normalize(&mut findings);
    let report = Report {
        version: super::REPORT_VERSION,
        tool: Tool::default(),
        policies: vec![crate::policy::PolicyInfo {
            id: "s3-encryption".to_string(),
            kind: "attribute",
            level: Level::Deny,
            description: Some("Buckets declare their server-side encryption.".to_string()),
            file: "policies/security.yaml".to_string(),
            line: 3,
        }],
        projects: Vec::new(),
        findings,
        suppressed: vec![waived()],
        summary: Summary {
            files: 12,
            stacks: 1,
            stack_instances: 2,
            terraform_roots: 0,
            catalog_entities: 3,
            deny: 3,
            warn: 2,
            info: 1,
            suppressed: 1,
            policies: 1,
            fail_on: Level::Deny,
            passed: false,
        },
    };
    (report, texts())
}

/// A violation a policy-file waiver accepted.
pub fn waived() -> Finding {
    let mut f = Finding::new(
        "policy-violation",
        TF_FILE,
        1,
        "expected `server_side_encryption_configuration` exists, but it is not set",
    )
    .policy("s3-encryption")
    .resource("aws_s3_bucket.archive");
    f.suppression = Some(crate::policy::Suppression {
        kind: crate::policy::SuppressionKind::External,
        reason: "archive bucket, encrypted by default (PLAT-311)".to_string(),
        expires: Some("2027-03-31".to_string()),
        file: "policies/security.yaml".to_string(),
        line: 20,
    });
    f
}

/// A clean run.
pub fn empty() -> (Report, Texts) {
    let (mut report, texts) = report();
    report.findings.clear();
    report.suppressed.clear();
    report.summary.suppressed = 0;
    report.summary.deny = 0;
    report.summary.warn = 0;
    report.summary.info = 0;
    report.summary.passed = true;
    (report, texts)
}
