//! `metadata`: name, namespace, title, description, labels, annotations, tags and links, held to
//! the formats Backstage's `FieldFormatEntityPolicy` and entity schema enforce.

use super::names;
use super::rules::{Ctx, get, is_templated, segs, type_name, untag};
use crate::yaml::{Seg, Value, scalar_text};
use serde_yaml::Mapping;

pub(super) fn check(ctx: &mut Ctx, meta: &Mapping) {
    check_name(ctx, meta);
    check_namespace(ctx, meta);
    check_text(ctx, meta, "title", false);
    check_text(ctx, meta, "description", true);
    check_labels(ctx, meta);
    check_annotations(ctx, meta);
    check_tags(ctx, meta);
    check_links(ctx, meta);
}

/// "quote it" advice for a scalar YAML read as a number or boolean.
fn quote_help(key: &str, v: &Value) -> String {
    match scalar_text(v) {
        Some(text) if !text.is_empty() && !matches!(untag(v), Value::String(_)) => {
            format!("quote the value so YAML reads it as text: `{key}: \"{text}\"`")
        }
        _ => format!("give `{key}` a string value"),
    }
}

fn check_name(ctx: &mut Ctx, meta: &Mapping) {
    let at = segs!["metadata", "name"];
    let name = match get(meta, "name") {
        None => {
            return ctx.report(
                "catalog-missing-field",
                &segs!["metadata"],
                "`metadata.name` is missing",
                "add `name:` under `metadata:`, unique among entities of the same kind and namespace",
            );
        }
        Some(Value::String(s)) => s,
        Some(v) => {
            return ctx.report(
                "catalog-invalid-name",
                &at,
                format!("`metadata.name` must be a string, found {}", type_name(v)),
                quote_help("name", v),
            );
        }
    };
    if is_templated(name) {
        return;
    }
    if let Err(e) = names::object_name(name) {
        let help = match names::suggest_name(name) {
            Some(s) => format!(
                "use letters, digits and `-`, `_`, `.` between them, e.g. `name: {s}`; put the display name in `metadata.title`"
            ),
            None => "use 1 to 63 letters and digits, with `-`, `_` or `.` between them".to_string(),
        };
        ctx.report(
            "catalog-invalid-name",
            &at,
            format!("`metadata.name` `{name}` {e}"),
            help,
        );
    }
}

fn check_namespace(ctx: &mut Ctx, meta: &Mapping) {
    let Some(v) = get(meta, "namespace") else {
        return;
    };
    let at = segs!["metadata", "namespace"];
    let Value::String(ns) = v else {
        return ctx.report(
            "catalog-invalid-name",
            &at,
            format!(
                "`metadata.namespace` must be a string, found {}",
                type_name(v)
            ),
            "remove it to use the `default` namespace, or name one",
        );
    };
    if is_templated(ns) {
        return;
    }
    if let Err(e) = names::dns_label(ns) {
        let help = match names::suggest_dns_label(ns) {
            Some(s) => {
                format!("namespaces are lowercase letters, digits and single `-`: `namespace: {s}`")
            }
            None => "namespaces are 1 to 63 lowercase letters and digits, with single `-` between"
                .to_string(),
        };
        ctx.report(
            "catalog-invalid-name",
            &at,
            format!("`metadata.namespace` `{ns}` {e}"),
            help,
        );
    }
}

/// `title` (non-empty) and `description` (any string).
fn check_text(ctx: &mut Ctx, meta: &Mapping, key: &str, may_be_empty: bool) {
    let Some(v) = get(meta, key) else { return };
    let at = segs!["metadata", key];
    match v {
        Value::String(s) if s.is_empty() && !may_be_empty => ctx.report(
            "catalog-invalid-metadata",
            &at,
            format!("`metadata.{key}` is empty"),
            format!("remove `{key}` or give it a value"),
        ),
        Value::String(_) => {}
        other => ctx.report(
            "catalog-invalid-metadata",
            &at,
            format!(
                "`metadata.{key}` must be a string, found {}",
                type_name(other)
            ),
            quote_help(key, other),
        ),
    }
}

/// A mapping under `metadata`, or a finding.
fn mapping<'a>(ctx: &mut Ctx, meta: &'a Mapping, key: &str) -> Option<&'a Mapping> {
    match get(meta, key)? {
        Value::Mapping(m) => Some(m),
        Value::Null => None,
        other => {
            ctx.report(
                "catalog-invalid-metadata",
                &segs!["metadata", key],
                format!(
                    "`metadata.{key}` must be a mapping of keys to strings, found {}",
                    type_name(other)
                ),
                format!("write `{key}:` as `key: value` lines"),
            );
            None
        }
    }
}

/// A list under `metadata`, or a finding.
fn list<'a>(ctx: &mut Ctx, meta: &'a Mapping, key: &str, example: &str) -> Option<&'a [Value]> {
    match get(meta, key)? {
        Value::Sequence(items) => Some(items),
        Value::Null => None,
        other => {
            ctx.report(
                "catalog-invalid-metadata",
                &segs!["metadata", key],
                format!(
                    "`metadata.{key}` must be a list, found {}",
                    type_name(other)
                ),
                format!("write `{key}:` as a list, e.g. `{key}: {example}`"),
            );
            None
        }
    }
}

fn check_labels(ctx: &mut Ctx, meta: &Mapping) {
    let Some(labels) = mapping(ctx, meta, "labels") else {
        return;
    };
    for (k, v) in labels {
        let key = scalar_text(k).unwrap_or_default();
        let at = segs!["metadata", "labels", key.as_str()];
        if let Err(e) = names::qualified_key(&key) {
            ctx.report(
                "catalog-invalid-label",
                &at,
                format!("label key `{key}` {e}"),
                "label keys are `[prefix/]name`: an optional lowercase DNS prefix like `acme.com/`, then up to 63 letters, digits, `-`, `_`, `.`",
            );
        }
        match untag(v) {
            Value::String(s) if is_templated(s) => {}
            Value::String(s) => {
                if let Err(e) = names::label_value(s) {
                    let help = match names::suggest_name(s) {
                        Some(fixed) => format!(
                            "label values follow the name rules, e.g. `{fixed}`; free text belongs in `annotations`"
                        ),
                        None => {
                            "label values follow the name rules; free text belongs in `annotations`"
                                .to_string()
                        }
                    };
                    ctx.report(
                        "catalog-invalid-label",
                        &at,
                        format!("label `{key}`: value `{s}` {e}"),
                        help,
                    );
                }
            }
            other => ctx.report(
                "catalog-invalid-label",
                &at,
                format!(
                    "label `{key}` must have a string value, found {}",
                    type_name(other)
                ),
                quote_help(&key, other),
            ),
        }
    }
}

fn check_annotations(ctx: &mut Ctx, meta: &Mapping) {
    let Some(annotations) = mapping(ctx, meta, "annotations") else {
        return;
    };
    for (k, v) in annotations {
        let key = scalar_text(k).unwrap_or_default();
        let at = segs!["metadata", "annotations", key.as_str()];
        if let Err(e) = names::qualified_key(&key) {
            ctx.report(
                "catalog-invalid-annotation",
                &at,
                format!("annotation key `{key}` {e}"),
                "annotation keys are `[prefix/]name`, like `backstage.io/techdocs-ref` or `github.com/project-slug`",
            );
        }
        if !matches!(untag(v), Value::String(_)) {
            ctx.report(
                "catalog-invalid-annotation",
                &at,
                format!(
                    "annotation `{key}` must have a string value, found {}",
                    type_name(v)
                ),
                quote_help(&key, v),
            );
        }
    }
}

fn check_tags(ctx: &mut Ctx, meta: &Mapping) {
    let Some(tags) = list(ctx, meta, "tags", "[java, payments]") else {
        return;
    };
    for (i, t) in tags.iter().enumerate() {
        let at = segs!["metadata", "tags", i];
        match untag(t) {
            Value::String(s) if is_templated(s) => {}
            Value::String(s) => {
                if let Err(e) = names::tag(s) {
                    let help = match names::suggest_tag(s) {
                        Some(fixed) => format!("tags are lowercase letters, digits, `:`, `+`, `#`, joined by single `-`: `{fixed}`"),
                        None => "tags are 1 to 63 lowercase letters, digits, `:`, `+`, `#`, joined by single `-`".to_string(),
                    };
                    ctx.report("catalog-invalid-tag", &at, format!("tag `{s}` {e}"), help);
                }
            }
            other => ctx.report(
                "catalog-invalid-tag",
                &at,
                format!("tag {} must be a string, found {}", i + 1, type_name(other)),
                match scalar_text(other).filter(|t| !t.is_empty()) {
                    Some(text) => format!("quote it so YAML reads it as text: `- \"{text}\"`"),
                    None => "write each tag as a short lowercase string".to_string(),
                },
            ),
        }
    }
}

fn check_links(ctx: &mut Ctx, meta: &Mapping) {
    let Some(links) = list(ctx, meta, "links", "[{url: https://..., title: Runbook}]") else {
        return;
    };
    for (i, link) in links.iter().enumerate() {
        let n = i + 1;
        let Value::Mapping(link) = untag(link) else {
            ctx.report(
                "catalog-invalid-link",
                &segs!["metadata", "links", i],
                format!(
                    "link {n} must be a mapping with `url`, found {}",
                    type_name(link)
                ),
                "write each link as `- url: https://...` with optional `title`, `icon`, `type`",
            );
            continue;
        };
        let at = |key: &str| -> [Seg; 4] { segs!["metadata", "links", i, key] };
        match get(link, "url") {
            None => ctx.report(
                "catalog-invalid-link",
                &segs!["metadata", "links", i],
                format!("link {n} has no `url`"),
                "add `url:` with an absolute URL, like `https://runbooks.example.com/payments`",
            ),
            Some(Value::String(url)) if is_templated(url) => {}
            Some(Value::String(url)) => {
                if let Err(e) = names::url(url) {
                    ctx.report(
                        "catalog-invalid-link",
                        &at("url"),
                        format!("link {n}: `{url}` {e}"),
                        "links need an absolute URL with a scheme, like `https://runbooks.example.com/payments`",
                    );
                }
            }
            Some(other) => ctx.report(
                "catalog-invalid-link",
                &at("url"),
                format!(
                    "link {n}: `url` must be a string, found {}",
                    type_name(other)
                ),
                "write `url:` as an absolute URL",
            ),
        }
        for key in ["title", "icon", "type"] {
            match get(link, key) {
                None => {}
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(other) => ctx.report(
                    "catalog-invalid-link",
                    &at(key),
                    format!(
                        "link {n}: `{key}` must be a non-empty string, found {}",
                        match other {
                            Value::String(_) => "an empty string",
                            v => type_name(v),
                        }
                    ),
                    format!("remove `{key}` or give it a text value"),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::tests::{codes, findings};

    fn with_meta(extra: &str) -> String {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: payments\n{extra}spec:\n  owner: team-a\n"
        )
    }

    fn check(extra: &str) -> Vec<crate::finding::Finding> {
        findings(&with_meta(extra))
    }

    #[test]
    fn names() {
        let f = findings(
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: Payments Platform\nspec:\n  owner: a\n",
        );
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-invalid-name"], 4));
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("name: Payments-Platform"),
            "{f:?}"
        );
        assert_eq!(
            f[0].resource.as_deref(),
            Some("domain:default/Payments Platform")
        );
        let f = findings(
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: 123\nspec:\n  owner: a\n",
        );
        assert_eq!(codes(&f), ["catalog-invalid-name"]);
        assert!(f[0].help.as_deref().unwrap_or_default().contains("\"123\""));
        let f = findings(
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  title: X\nspec:\n  owner: a\n",
        );
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-missing-field"], 3));
        let long = format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: {}\nspec:\n  owner: a\n",
            "a".repeat(64)
        );
        assert!(findings(&long)[0].message.contains("64 characters"));
    }

    #[test]
    fn namespaces() {
        assert!(check("  namespace: finance\n").is_empty());
        let f = check("  namespace: Finance_Team\n");
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-invalid-name"], 5));
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("finance-team")
        );
        assert_eq!(
            f[0].resource.as_deref(),
            Some("domain:Finance_Team/payments")
        );
    }

    #[test]
    fn title_and_description() {
        assert!(check("  title: Payments\n  description: ''\n").is_empty());
        assert_eq!(codes(&check("  title: ''\n")), ["catalog-invalid-metadata"]);
        assert_eq!(
            codes(&check("  description: [a]\n")),
            ["catalog-invalid-metadata"]
        );
    }

    #[test]
    fn labels() {
        assert!(
            check("  labels:\n    tier: gold\n    acme.com/cost-center: CC-1\n    empty: ''\n")
                .is_empty()
        );
        let f = check(
            "  labels:\n    ok: yes-it-is\n    Acme.com/x: y\n    tier: not valid\n    n: 3\n",
        );
        assert_eq!(codes(&f), ["catalog-invalid-label"; 3]);
        assert_eq!(f.iter().map(|f| f.line).collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!(
            codes(&check("  labels: [a]\n")),
            ["catalog-invalid-metadata"]
        );
    }

    #[test]
    fn annotations() {
        assert!(check("  annotations:\n    backstage.io/techdocs-ref: dir:.\n    note: Any text, at all!\n").is_empty());
        let f = check("  annotations:\n    bad key: x\n    pagerduty.com/service-id: 12345\n");
        assert_eq!(codes(&f), ["catalog-invalid-annotation"; 2]);
        assert!(
            f[1].help
                .as_deref()
                .unwrap_or_default()
                .contains("\"12345\"")
        );
    }

    #[test]
    fn tags() {
        assert!(check("  tags: [java, c++, lang:go, a-b]\n").is_empty());
        let f = check("  tags:\n    - java\n    - Spring Boot\n    - 42\n");
        assert_eq!(codes(&f), ["catalog-invalid-tag"; 2]);
        assert_eq!(f[0].line, 7);
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("spring-boot")
        );
        assert_eq!(
            codes(&check("  tags: java\n")),
            ["catalog-invalid-metadata"]
        );
    }

    #[test]
    fn links() {
        let ok = "  links:\n    - url: https://runbooks.example.com/payments\n      title: Runbook\n      icon: docs\n      type: runbook\n    - url: mailto:team@example.com\n";
        assert!(check(ok).is_empty());
        let f = check(
            "  links:\n    - url: runbooks/payments\n    - title: Missing url\n    - url: https://x.io\n      title: ''\n    - just-text\n",
        );
        assert_eq!(codes(&f), ["catalog-invalid-link"; 4]);
        assert_eq!(f.iter().map(|f| f.line).collect::<Vec<_>>(), [6, 7, 9, 10]);
    }

    #[test]
    fn template_expressions_are_not_judged() {
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\n  namespace: ${{ values.ns }}\n  tags: ['${{ values.lang }}']\n  links: [{url: '${{ values.url }}'}]\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n  system: ${{ values.system | dump }}\n";
        assert!(findings(text).is_empty(), "{:?}", findings(text));
    }
}
