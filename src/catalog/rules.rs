//! The checks of one document: the envelope here, then `metadata` and `spec` in their own
//! files. Every finding points at the key it is about and names the entity when it can.

use super::entity::{self, Entity};
use super::entity_ref::{CORE_KINDS, canonical_kind};
use super::{metadata, names, spec};
use crate::finding::Finding;
use crate::yaml::{Doc, Seg, Value, scalar_text};
use serde_yaml::Mapping;

/// Root fields Backstage keeps; anything else is rejected (its `NoForeignRootFieldsEntityPolicy`).
const ROOT_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "relations",
    "status",
];
/// The apiVersions of the core kinds.
pub const CORE_API_VERSIONS: &[&str] = &["backstage.io/v1alpha1", "backstage.io/v1beta1"];
pub const DEFAULT_NAMESPACE: &str = "default";

/// Builds a path into a document from keys and indexes.
macro_rules! segs {
    ($($seg:expr),* $(,)?) => { [$(crate::yaml::Seg::from($seg)),*] };
}
pub(super) use segs;

/// What the checks of one document share: where findings go and whom they are about.
pub(super) struct Ctx<'a> {
    pub file: &'a str,
    pub doc: &'a Doc,
    /// The entity ref, once kind and name are known.
    pub resource: Option<String>,
    /// "Component `payments-api`", for messages.
    pub subject: String,
    /// The namespace references default to: the entity's own.
    pub namespace: String,
    pub findings: Vec<Finding>,
}

impl Ctx<'_> {
    pub fn report(
        &mut self,
        code: &'static str,
        path: &[Seg],
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let pos = self.doc.pos(path);
        let mut f = Finding::new(code, self.file, pos.line, message)
            .column(pos.column)
            .help(help);
        if let Some(r) = &self.resource {
            f = f.resource(r.clone());
        }
        self.findings.push(f);
    }
}

pub fn untag(mut v: &Value) -> &Value {
    while let Value::Tagged(t) = v {
        v = &t.value;
    }
    v
}

/// A key of a mapping, looked through YAML tags.
pub fn get<'a>(map: &'a Mapping, key: &str) -> Option<&'a Value> {
    map.get(key).map(untag)
}

/// How a value reads in a message: "found a number".
pub fn type_name(v: &Value) -> &'static str {
    match untag(v) {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// A Software Template expression (`${{ values.name }}`): filled in when the template runs, so
/// its format cannot be judged here.
pub fn is_templated(s: &str) -> bool {
    s.contains("${{")
}

/// The placeholders Backstage resolves when it reads a descriptor (`definition: {$text: ./api.yaml}`).
const PLACEHOLDERS: &[&str] = &["$text", "$json", "$yaml"];

/// `Some(Ok)` for a placeholder (a mapping whose only key starts with `$`) Backstage resolves,
/// `Some(Err(key))` for one it does not know, `None` for any other value.
pub fn placeholder(v: &Value) -> Option<Result<(), String>> {
    let map = untag(v).as_mapping()?;
    if map.len() != 1 {
        return None;
    }
    let key = map.keys().next().and_then(|k| untag(k).as_str())?;
    if !key.starts_with('$') {
        return None;
    }
    Some(if PLACEHOLDERS.contains(&key) {
        Ok(())
    } else {
        Err(key.to_string())
    })
}

/// The outcome of one document: the entity, when it can be identified, and where its name is.
pub(super) struct Outcome {
    pub entity: Option<(Entity, usize)>,
    pub findings: Vec<Finding>,
}

/// Checks document number `number` (1-based) of `file`.
pub(super) fn check_document(file: &str, doc: &Doc, number: usize) -> Outcome {
    let mut ctx = Ctx {
        file,
        doc,
        resource: None,
        subject: String::from("this entity"),
        namespace: DEFAULT_NAMESPACE.to_string(),
        findings: Vec::new(),
    };
    let Some(root) = untag(&doc.value).as_mapping() else {
        ctx.report(
            "catalog-envelope",
            &[],
            format!("document {number} is {}, not a mapping with `apiVersion`, `kind`, `metadata` and `spec`", type_name(&doc.value)),
            "each YAML document of a catalog file describes one entity; remove the document or write it as a mapping",
        );
        return Outcome {
            entity: None,
            findings: ctx.findings,
        };
    };
    identify(&mut ctx, root);
    let api_version = check_api_version(&mut ctx, root);
    let kind = check_kind(&mut ctx, root);
    check_root_fields(&mut ctx, root);
    match get(root, "metadata") {
        None => ctx.report(
            "catalog-envelope",
            &[],
            format!("document {number} has no `metadata`"),
            "add `metadata:` with at least `name:`",
        ),
        Some(Value::Mapping(meta)) => metadata::check(&mut ctx, meta),
        Some(other) => ctx.report(
            "catalog-envelope",
            &segs!["metadata"],
            format!("`metadata` must be a mapping, found {}", type_name(other)),
            "write `metadata:` as a mapping with at least `name:`",
        ),
    }
    let spec_value = get(root, "spec");
    match (kind, api_version) {
        (Some(kind), api) if CORE_KINDS.contains(&kind) => {
            if let Some(api) =
                api.filter(|a| a.starts_with("backstage.io/") && !CORE_API_VERSIONS.contains(a))
            {
                ctx.report(
                    "catalog-envelope",
                    &segs!["apiVersion"],
                    format!("`apiVersion: {api}` is not a version of the {kind} kind"),
                    "use `apiVersion: backstage.io/v1alpha1` (or `backstage.io/v1beta1`)",
                );
            }
            spec::check(&mut ctx, kind, spec_value);
        }
        (Some(kind), Some(api)) if api.starts_with("backstage.io/") => {
            report_unknown_kind(&mut ctx, kind, api);
            check_spec_is_mapping(&mut ctx, spec_value);
        }
        _ => check_spec_is_mapping(&mut ctx, spec_value),
    }
    let entity = entity::build(file, doc, root).map(|e| {
        let name_line = doc.line(&segs!["metadata", "name"]);
        (e, name_line)
    });
    Outcome {
        entity,
        findings: ctx.findings,
    }
}

/// The namespace an entity's references default to: its own, unless that one is reported as
/// invalid already (or templated), so the error is not repeated for every reference.
pub fn ref_namespace(namespace: &str) -> &str {
    if names::dns_label(&namespace.to_ascii_lowercase()).is_ok() {
        namespace
    } else {
        DEFAULT_NAMESPACE
    }
}

/// Fills in whom findings are about, from whatever kind and name the document has.
fn identify(ctx: &mut Ctx, root: &Mapping) {
    let meta = get(root, "metadata").and_then(Value::as_mapping);
    let name = meta
        .and_then(|m| get(m, "name"))
        .and_then(scalar_text)
        .filter(|n| !n.is_empty());
    let written_ns = meta
        .and_then(|m| get(m, "namespace"))
        .and_then(Value::as_str)
        .filter(|ns| !ns.is_empty())
        .unwrap_or(DEFAULT_NAMESPACE);
    ctx.namespace = ref_namespace(written_ns).to_string();
    let kind = get(root, "kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    if let (Some(kind), Some(name)) = (kind, name) {
        ctx.resource = Some(format!("{}:{written_ns}/{name}", kind.to_lowercase()));
        ctx.subject = format!("{kind} `{name}`");
    }
}

fn check_api_version<'a>(ctx: &mut Ctx, root: &'a Mapping) -> Option<&'a str> {
    let help = "use `apiVersion: backstage.io/v1alpha1` for Backstage's kinds";
    match get(root, "apiVersion") {
        None => {
            ctx.report(
                "catalog-envelope",
                &[],
                "the entity has no `apiVersion`",
                help,
            );
            None
        }
        Some(Value::String(api)) => {
            if !is_templated(api) {
                if let Err(e) = names::api_version(api) {
                    ctx.report(
                        "catalog-envelope",
                        &segs!["apiVersion"],
                        format!("`apiVersion: {api}` {e}"),
                        help,
                    );
                    return None;
                }
            }
            Some(api.as_str())
        }
        Some(other) => {
            ctx.report(
                "catalog-envelope",
                &segs!["apiVersion"],
                format!("`apiVersion` must be a string, found {}", type_name(other)),
                help,
            );
            None
        }
    }
}

fn check_kind<'a>(ctx: &mut Ctx, root: &'a Mapping) -> Option<&'a str> {
    let help =
        "set `kind:` to one of Component, API, Resource, System, Domain, Group, User, Location";
    match get(root, "kind") {
        None => {
            ctx.report("catalog-envelope", &[], "the entity has no `kind`", help);
            None
        }
        Some(Value::String(kind)) => {
            if !is_templated(kind) {
                if let Err(e) = names::kind(kind) {
                    ctx.report(
                        "catalog-envelope",
                        &segs!["kind"],
                        format!("`kind: {kind}` {e}"),
                        help,
                    );
                    return None;
                }
            }
            Some(kind.as_str())
        }
        Some(other) => {
            ctx.report(
                "catalog-envelope",
                &segs!["kind"],
                format!("`kind` must be a string, found {}", type_name(other)),
                help,
            );
            None
        }
    }
}

fn check_root_fields(ctx: &mut Ctx, root: &Mapping) {
    for key in root.keys() {
        let key = scalar_text(key).unwrap_or_else(|| String::from("?"));
        if ROOT_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let help = match key.as_str() {
            "name" | "namespace" | "title" | "description" | "labels" | "annotations" | "tags"
            | "links" => {
                format!("move `{key}` under `metadata:`")
            }
            "owner" | "type" | "lifecycle" | "system" | "domain" | "dependsOn" | "providesApis"
            | "consumesApis" => {
                format!("move `{key}` under `spec:`")
            }
            _ => String::from("remove it, or move it under `metadata.annotations` or `spec`"),
        };
        ctx.report(
            "catalog-envelope",
            &segs![key.as_str()],
            format!(
                "unknown root field `{key}`: Backstage only accepts {}",
                ROOT_FIELDS.join(", ")
            ),
            help,
        );
    }
}

fn report_unknown_kind(ctx: &mut Ctx, kind: &str, api: &str) {
    let help = match (canonical_kind(kind), kind) {
        (Some(core), _) => format!("kinds are case-sensitive: write `kind: {core}`"),
        (None, "Template") => {
            String::from("Software Templates use `apiVersion: scaffolder.backstage.io/v1beta3`")
        }
        _ => format!(
            "use one of {}, or give a custom kind its own apiVersion group (for example `acme.com/v1`)",
            CORE_KINDS.join(", ")
        ),
    };
    ctx.report(
        "catalog-unknown-kind",
        &segs!["kind"],
        format!("`{kind}` is not a kind of `{api}`"),
        help,
    );
}

fn check_spec_is_mapping(ctx: &mut Ctx, spec: Option<&Value>) {
    if let Some(v) = spec.filter(|v| !matches!(v, Value::Mapping(_))) {
        ctx.report(
            "catalog-envelope",
            &segs!["spec"],
            format!("`spec` must be a mapping, found {}", type_name(v)),
            "write `spec:` as a mapping of fields, or remove it",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::tests::{codes, findings};

    const OK: &str = "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: payments\nspec:\n  owner: team-a\n";

    #[test]
    fn a_valid_entity_has_no_findings() {
        assert!(findings(OK).is_empty(), "{:?}", findings(OK));
    }

    #[test]
    fn documents_must_be_mappings() {
        let f = findings("- a\n- b\n");
        assert_eq!(codes(&f), ["catalog-envelope"]);
        assert!(f[0].message.contains("a list"));
    }

    #[test]
    fn api_version_and_kind_are_required_and_well_formed() {
        let f = findings("kind: System\nmetadata:\n  name: x\nspec:\n  owner: a\n");
        assert_eq!(codes(&f), ["catalog-envelope"]);
        assert!(f[0].message.contains("apiVersion"));
        let f = findings("apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: x\n");
        assert!(f.iter().any(|f| f.message.contains("no `kind`")), "{f:?}");
        let f = findings(&OK.replace("backstage.io/v1alpha1", "Backstage.io/v1"));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-envelope"], 1));
        let f = findings(&OK.replace("kind: System", "kind: 42"));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-envelope"], 2));
    }

    #[test]
    fn core_kinds_need_a_core_api_version() {
        assert!(findings(&OK.replace("v1alpha1", "v1beta1")).is_empty());
        let f = findings(&OK.replace("v1alpha1", "v2"));
        assert_eq!(codes(&f), ["catalog-envelope"]);
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("backstage.io/v1alpha1")
        );
    }

    #[test]
    fn metadata_must_be_a_mapping() {
        let f = findings("apiVersion: acme.com/v1\nkind: Thing\nmetadata: x\n");
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-envelope"], 3));
        let f = findings("apiVersion: acme.com/v1\nkind: Thing\n");
        assert_eq!(codes(&f), ["catalog-envelope"]);
    }

    #[test]
    fn foreign_root_fields_are_rejected() {
        let f = findings(&format!("{OK}owner: team-a\nrelations: []\n"));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-envelope"], 7));
        assert_eq!(f[0].help.as_deref(), Some("move `owner` under `spec:`"));
    }

    #[test]
    fn unknown_kinds_of_backstage_io() {
        let f = findings(&OK.replace("kind: System", "kind: system"));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-unknown-kind"], 2));
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("kind: System")
        );
        assert_eq!(f[0].resource.as_deref(), Some("system:default/payments"));
        let f = findings(&OK.replace("kind: System", "kind: Template"));
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("scaffolder.backstage.io/v1beta3")
        );
    }

    #[test]
    fn other_api_versions_get_envelope_and_metadata_checks_only() {
        let text = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: new-service\nspec:\n  type: service\n  steps: []\n";
        assert!(findings(text).is_empty());
        let f = findings(
            "apiVersion: acme.com/v1\nkind: Pipeline\nmetadata:\n  name: bad name\nspec: [1]\n",
        );
        assert_eq!(codes(&f), ["catalog-invalid-name", "catalog-envelope"]);
    }

    #[test]
    fn placeholders() {
        use super::placeholder;
        use crate::yaml::parse_one;
        let v = |t: &str| parse_one(t).map(|d| d.value).unwrap_or_default();
        assert_eq!(placeholder(&v("$text: ./api.yaml")), Some(Ok(())));
        assert_eq!(
            placeholder(&v("$file: ./api.yaml")),
            Some(Err("$file".into()))
        );
        assert_eq!(placeholder(&v("text: x")), None);
        assert_eq!(placeholder(&v("$text: a\n$yaml: b")), None);
    }
}
