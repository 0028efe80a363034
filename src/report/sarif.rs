//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and most security dashboards
//! import. One run, one rule per rule id used, one result per finding.

use super::common::{message_with_resource, ordered, rule_id};
use super::{RenderOptions, Report};
use crate::codes;
use crate::finding::{Finding, Level};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/stackgate/stackgate";

pub fn render(report: &Report, _opts: &RenderOptions) -> String {
    let mut findings = ordered(report);
    // Waived findings are results too, marked with `suppressions`, as code scanning expects.
    findings.extend(report.suppressed.iter());
    let rules = rules(&findings);
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| result(f, index.get(rule_id(f)).copied().unwrap_or(0)))
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(|(id, r)| rule(id, r, report)).collect::<Vec<_>>(),
                }
            },
            // Finding columns count characters, not SARIF's default UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// What a rule needs: the code behind it and the level it is reported at.
struct RuleInfo {
    code: &'static str,
    policy: bool,
    level: Level,
}

/// Rules sorted by id, so rule indexes are stable from run to run.
fn rules<'a>(findings: &[&'a Finding]) -> BTreeMap<&'a str, RuleInfo> {
    let mut rules: BTreeMap<&str, RuleInfo> = BTreeMap::new();
    for f in findings {
        let policy = f.policy.as_deref().is_some_and(|p| !p.is_empty());
        let entry = rules.entry(rule_id(f)).or_insert_with(|| RuleInfo {
            code: f.code,
            policy,
            // A built-in check's configured level is the registry's; a policy's is what it reports.
            level: match (policy, codes::lookup(f.code)) {
                (false, Some(info)) => info.level,
                _ => f.level,
            },
        });
        if entry.policy {
            entry.level = entry.level.max(f.level);
        }
    }
    rules
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Info => "note",
    }
}

fn rule(id: &str, r: &RuleInfo, report: &Report) -> Value {
    let info = codes::lookup(r.code);
    let mut rule = Map::new();
    rule.insert("id".into(), json!(id));
    let policy = r
        .policy
        .then(|| report.policies.iter().find(|p| p.id == id))
        .flatten();
    let short = match (info, r.policy, policy) {
        (_, true, Some(p)) => match &p.description {
            Some(d) => format!("policy {id} ({}): {d}", p.kind),
            None => format!("policy {id} ({})", p.kind),
        },
        (Some(i), false, _) => i.summary.to_string(),
        (Some(i), true, None) => format!("policy {id}: {}", i.summary),
        (None, _, _) => format!("{id} ({})", r.code),
    };
    rule.insert("shortDescription".into(), json!({ "text": short }));
    if let Some(i) = info {
        rule.insert("fullDescription".into(), json!({ "text": i.explanation }));
        rule.insert(
            "help".into(),
            json!({ "text": format!("{}\n\nRun `stackgate explain {}` for this text.", i.explanation, r.code) }),
        );
    }
    rule.insert(
        "defaultConfiguration".into(),
        json!({ "level": sarif_level(r.level) }),
    );
    rule.insert("properties".into(), json!({ "code": r.code }));
    Value::Object(rule)
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut text = message_with_resource(f);
    if let Some(h) = f.help.as_deref().filter(|h| !h.is_empty()) {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let mut location = Map::new();
    if !f.file.is_empty() {
        let mut region = Map::new();
        region.insert("startLine".into(), json!(f.line.max(1)));
        if let Some(c) = f.column {
            region.insert("startColumn".into(), json!(c.max(1)));
        }
        location.insert(
            "physicalLocation".into(),
            json!({
                "artifactLocation": { "uri": uri(&f.file), "uriBaseId": "%SRCROOT%" },
                "region": region,
            }),
        );
    }
    if let Some(r) = f.resource.as_deref().filter(|r| !r.is_empty()) {
        location.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": r }]),
        );
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(rule_id(f)));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(sarif_level(f.level)));
    result.insert("message".into(), json!({ "text": text }));
    if !location.is_empty() {
        result.insert("locations".into(), json!([location]));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ "stackgate/v1": fingerprint(f) }),
    );
    if let Some(w) = &f.suppression {
        let mut justification = w.reason.clone();
        if let Some(d) = &w.expires {
            justification.push_str(&format!(" (until {d})"));
        }
        result.insert(
            "suppressions".into(),
            json!([{
                "kind": w.kind,
                "status": "accepted",
                "justification": justification,
                "location": {
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&w.file), "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": w.line.max(1) },
                    }
                },
            }]),
        );
    }
    let mut props = Map::new();
    props.insert("code".into(), json!(f.code));
    if let Some(p) = &f.policy {
        props.insert("policy".into(), json!(p));
    }
    result.insert("properties".into(), Value::Object(props));
    Value::Object(result)
}

/// A repo-relative path as a URI reference: anything but unreserved characters and `/` is
/// percent-encoded, so spaces, `#` and `%` in file names do not break the URI.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stable identity for an alert that survives lines moving: FNV-1a (64-bit) over code,
/// policy, file, resource and message, each length-prefixed so that field boundaries count.
fn fingerprint(f: &Finding) -> String {
    let mut hash = Fnv::new();
    let fields = [
        Some(f.code),
        f.policy.as_deref(),
        Some(f.file.as_str()),
        f.resource.as_deref(),
        Some(f.message.as_str()),
    ];
    for field in fields {
        match field {
            // `None` and `Some("")` must differ.
            None => hash.write(&u64::MAX.to_le_bytes()),
            Some(s) => {
                hash.write(&(s.len() as u64).to_le_bytes());
                hash.write(s.as_bytes());
            }
        }
    }
    format!("{:016x}", hash.0)
}

/// 64-bit FNV-1a: tiny, well known, and stable across Rust releases (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn parsed(report: &Report, texts: &crate::source::Texts) -> Value {
        let out = render(
            report,
            &RenderOptions {
                texts,
                color: false,
            },
        );
        assert!(out.ends_with("}\n"));
        serde_json::from_str(&out).unwrap_or(Value::Null)
    }

    #[test]
    fn structure() {
        let (report, texts) = fixture::report();
        let doc = parsed(&report, &texts);
        assert_eq!(doc["$schema"], SCHEMA);
        assert_eq!(doc["version"], "2.1.0");
        let runs = doc["runs"].as_array().map_or(0, Vec::len);
        assert_eq!(runs, 1);
        let run = &doc["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "stackgate");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], INFORMATION_URI);

        let ids: Vec<&str> = driver["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "config-pattern",
                "empty-file",
                "parse-error",
                "s3-encryption",
                "schema-error"
            ]
        );
        let schema_rule = &driver["rules"][4];
        assert_eq!(
            schema_rule["shortDescription"]["text"],
            "a file does not match the schema of its format"
        );
        assert!(
            schema_rule["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("JSON Schemas"))
        );
        assert!(
            schema_rule["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("stackgate explain schema-error"))
        );
        assert_eq!(schema_rule["defaultConfiguration"]["level"], "error");
        // Registry level, not the level one finding was raised to.
        assert_eq!(driver["rules"][0]["defaultConfiguration"]["level"], "error");
        assert_eq!(
            driver["rules"][1]["defaultConfiguration"]["level"],
            "warning"
        );
        // A policy's rule is described by the policy itself.
        assert_eq!(
            driver["rules"][3]["shortDescription"]["text"],
            "policy s3-encryption (attribute): Buckets declare their server-side encryption."
        );

        let results = run["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), 7);
        // The waived finding is a result with a suppression that says why, until when, and
        // where the waiver is.
        let waived: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(waived.len(), 1);
        let s = &waived[0]["suppressions"][0];
        assert_eq!(s["kind"], "external");
        assert_eq!(s["status"], "accepted");
        assert_eq!(
            s["justification"],
            "archive bucket, encrypted by default (PLAT-311) (until 2027-03-31)"
        );
        assert_eq!(
            s["location"]["physicalLocation"]["artifactLocation"]["uri"],
            "policies/security.yaml"
        );
        assert_eq!(waived[0]["ruleId"], "s3-encryption");
        for r in &results {
            let idx = r["ruleIndex"].as_u64().unwrap_or(99) as usize;
            assert_eq!(driver["rules"][idx]["id"], r["ruleId"]);
            let fp = r["partialFingerprints"]["stackgate/v1"]
                .as_str()
                .unwrap_or("");
            assert!(
                fp.len() == 16 && fp.chars().all(|c| c.is_ascii_hexdigit()),
                "{fp}"
            );
        }
        let by_rule = |id: &str, line: u64| {
            results
                .iter()
                .find(|r| {
                    r["ruleId"] == id
                        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == line
                })
                .cloned()
                .unwrap_or(Value::Null)
        };
        // Results follow the report's file/line order.
        assert_eq!(results[0]["ruleId"], "empty-file");
        assert_eq!(results[5]["ruleId"], "parse-error");
        let policy = by_rule("s3-encryption", 1);
        assert_eq!(policy["ruleId"], "s3-encryption");
        assert_eq!(policy["level"], "error");
        assert_eq!(
            policy["message"]["text"],
            "aws_s3_bucket.logs: bucket is not encrypted\nhelp: add server_side_encryption_configuration"
        );
        let loc = &policy["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "infra/main.tf"
        );
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
        assert_eq!(
            loc["physicalLocation"]["region"],
            json!({"startLine": 1, "startColumn": 1})
        );
        assert_eq!(
            loc["logicalLocations"][0]["fullyQualifiedName"],
            "aws_s3_bucket.logs"
        );
        assert_eq!(policy["properties"]["code"], "policy-violation");

        let info = by_rule("empty-file", 2);
        assert_eq!(info["level"], "note");
        assert_eq!(
            info["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 2})
        );
        let no_resource = by_rule("schema-error", 3);
        assert_eq!(no_resource["level"], "error");
        assert!(
            no_resource["locations"][0]
                .get("logicalLocations")
                .is_none()
        );
    }

    #[test]
    fn fingerprints_ignore_lines_but_not_content() {
        let a = Finding::new("schema-error", "a.yml", 3, "bad key");
        let moved = Finding::new("schema-error", "a.yml", 9, "bad key").column(2);
        assert_eq!(fingerprint(&a), fingerprint(&moved));
        assert_ne!(fingerprint(&a), fingerprint(&a.clone().resource("r")));
        assert_ne!(fingerprint(&a), fingerprint(&a.clone().policy("")));
        assert_ne!(
            fingerprint(&a),
            fingerprint(&Finding::new("schema-error", "b.yml", 3, "bad key"))
        );
        // Field boundaries matter: moving text between fields changes the hash.
        let x = Finding::new("schema-error", "ab", 1, "c");
        let y = Finding::new("schema-error", "a", 1, "bc");
        assert_ne!(fingerprint(&x), fingerprint(&y));
    }

    #[test]
    fn fnv_matches_published_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv::new();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(
            uri("stacks/web app/#1%.yml"),
            "stacks/web%20app/%231%25.yml"
        );
        assert_eq!(uri("é.tf"), "%C3%A9.tf");
    }

    #[test]
    fn empty_run_is_valid() {
        let (report, texts) = fixture::empty();
        let doc = parsed(&report, &texts);
        assert_eq!(doc["runs"][0]["results"], json!([]));
        assert_eq!(doc["runs"][0]["tool"]["driver"]["rules"], json!([]));
    }
}
