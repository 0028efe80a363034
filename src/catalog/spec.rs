//! `spec` of the core kinds: which fields each kind requires, their types, and the entity
//! references they hold (each with the kind it defaults to), as Backstage's kind schemas and
//! its built-in processor read them.

use super::entity_ref::EntityRef;
use super::rules::{Ctx, get, is_templated, placeholder, segs, type_name, untag};
use crate::yaml::{Seg, Value, scalar_text};
use serde_yaml::Mapping;

/// What a spec field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    TextList,
    /// A reference; the kind it means when it names none.
    Ref(&'static str),
    RefList(&'static str),
    /// `{displayName, email, picture}` of a Group or User.
    Profile,
    /// `required` or `optional`, for a Location.
    Presence,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// An example line, for help texts.
    pub example: &'static str,
}

const fn req(key: &'static str, shape: Shape, example: &'static str) -> Field {
    Field {
        key,
        shape,
        required: true,
        example,
    }
}

const fn opt(key: &'static str, shape: Shape, example: &'static str) -> Field {
    Field {
        key,
        shape,
        required: false,
        example,
    }
}

const TYPE: Field = req("type", Shape::Text, "type: service");
const LIFECYCLE: Field = req("lifecycle", Shape::Text, "lifecycle: production");
const OWNER: Field = req("owner", Shape::Ref("Group"), "owner: team-payments");
const SYSTEM: Field = opt("system", Shape::Ref("System"), "system: payments");
// Backstage wants a kind in `dependsOn`; a bare name is read as a Component.
const DEPENDS_ON: Field = opt(
    "dependsOn",
    Shape::RefList("Component"),
    "dependsOn: [resource:payments-db]",
);
const DEPENDENCY_OF: Field = opt(
    "dependencyOf",
    Shape::RefList("Component"),
    "dependencyOf: [component:checkout]",
);
const PROFILE: Field = opt(
    "profile",
    Shape::Profile,
    "profile: {displayName: Jane Doe, email: jane@example.com}",
);

const COMPONENT: &[Field] = &[
    TYPE,
    LIFECYCLE,
    OWNER,
    SYSTEM,
    opt(
        "subcomponentOf",
        Shape::Ref("Component"),
        "subcomponentOf: checkout",
    ),
    opt(
        "providesApis",
        Shape::RefList("API"),
        "providesApis: [payments-api]",
    ),
    opt(
        "consumesApis",
        Shape::RefList("API"),
        "consumesApis: [fx-rates-api]",
    ),
    DEPENDS_ON,
    DEPENDENCY_OF,
];
const API: &[Field] = &[
    req("type", Shape::Text, "type: openapi"),
    LIFECYCLE,
    OWNER,
    req(
        "definition",
        Shape::Text,
        "definition: {$text: ./openapi.yaml}",
    ),
    SYSTEM,
];
const RESOURCE: &[Field] = &[
    req("type", Shape::Text, "type: database"),
    OWNER,
    SYSTEM,
    DEPENDS_ON,
    DEPENDENCY_OF,
];
const SYSTEM_FIELDS: &[Field] = &[
    OWNER,
    opt("domain", Shape::Ref("Domain"), "domain: commerce"),
    opt("type", Shape::Text, "type: product"),
];
const DOMAIN: &[Field] = &[
    OWNER,
    opt("subdomainOf", Shape::Ref("Domain"), "subdomainOf: commerce"),
    opt("type", Shape::Text, "type: business"),
];
const GROUP: &[Field] = &[
    req("type", Shape::Text, "type: team"),
    PROFILE,
    opt("parent", Shape::Ref("Group"), "parent: engineering"),
    req("children", Shape::RefList("Group"), "children: []"),
    opt("members", Shape::RefList("User"), "members: [jdoe]"),
];
const USER: &[Field] = &[
    PROFILE,
    req(
        "memberOf",
        Shape::RefList("Group"),
        "memberOf: [team-payments]",
    ),
];
const LOCATION: &[Field] = &[
    opt("type", Shape::Text, "type: url"),
    opt(
        "target",
        Shape::Text,
        "target: ./services/payments/catalog-info.yaml",
    ),
    opt(
        "targets",
        Shape::TextList,
        "targets: [./a/catalog-info.yaml]",
    ),
    opt("presence", Shape::Presence, "presence: optional"),
];

/// The spec fields of a core kind (exact spelling), `None` for any other kind.
pub fn fields(kind: &str) -> Option<&'static [Field]> {
    Some(match kind {
        "Component" => COMPONENT,
        "API" => API,
        "Resource" => RESOURCE,
        "System" => SYSTEM_FIELDS,
        "Domain" => DOMAIN,
        "Group" => GROUP,
        "User" => USER,
        "Location" => LOCATION,
        _ => return None,
    })
}

/// Every reference field any kind has, with its default kind: what a custom kind's spec is read
/// with when it uses the same names.
pub fn all_ref_fields() -> impl Iterator<Item = &'static Field> {
    [COMPONENT, API, RESOURCE, SYSTEM_FIELDS, DOMAIN, GROUP, USER]
        .into_iter()
        .flatten()
        .filter(|f| matches!(f.shape, Shape::Ref(_) | Shape::RefList(_)))
}

pub(super) fn check(ctx: &mut Ctx, kind: &str, spec: Option<&Value>) {
    let Some(fields) = fields(kind) else { return };
    let required: Vec<String> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.key))
        .collect();
    let needs = if required.is_empty() {
        String::from("a mapping (it may be empty)")
    } else {
        required.join(", ")
    };
    let example: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.example)
        .collect();
    let add = if example.is_empty() {
        String::from("add `spec: {}` with the location's `target`")
    } else {
        format!(
            "add `spec:` with {}",
            example
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match spec {
        None | Some(Value::Null) => ctx.report(
            "catalog-missing-field",
            &segs!["spec"],
            format!("{} has no `spec`; a {kind} needs {needs}", ctx.subject),
            add,
        ),
        Some(Value::Mapping(spec)) => {
            for field in fields {
                check_field(ctx, kind, spec, field);
            }
        }
        Some(other) => ctx.report(
            "catalog-envelope",
            &segs!["spec"],
            format!("`spec` must be a mapping, found {}", type_name(other)),
            add,
        ),
    }
}

fn check_field(ctx: &mut Ctx, kind: &str, spec: &Mapping, field: &Field) {
    let key = field.key;
    let Some(value) = get(spec, key) else {
        if field.required {
            ctx.report(
                "catalog-missing-field",
                &segs!["spec"],
                format!(
                    "{} has no `spec.{key}`, which a {kind} requires",
                    ctx.subject
                ),
                format!("add `{}` under `spec:`", field.example),
            );
        }
        return;
    };
    let at = segs!["spec", key];
    match placeholder(value) {
        Some(Ok(())) => return,
        Some(Err(name)) => {
            return ctx.report(
                "catalog-invalid-field",
                &at,
                format!("`spec.{key}` uses the unknown placeholder `{name}`"),
                "Backstage resolves `$text`, `$json` and `$yaml` placeholders only",
            );
        }
        None => {}
    }
    match field.shape {
        Shape::Text => {
            text(ctx, &at, value, field);
        }
        Shape::Ref(default_kind) => {
            if let Some(s) = text(ctx, &at, value, field) {
                reference(ctx, &at, s, default_kind, field);
            }
        }
        Shape::TextList | Shape::RefList(_) => {
            let Some(items) = list(ctx, &at, value, field) else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let at = segs!["spec", key, i];
                let item_field = Field {
                    required: false,
                    ..*field
                };
                if let (Some(s), Shape::RefList(default_kind)) =
                    (text(ctx, &at, item, &item_field), field.shape)
                {
                    reference(ctx, &at, s, default_kind, field);
                }
            }
        }
        Shape::Profile => profile(ctx, &at, value, field),
        Shape::Presence => {
            if let Some(s) = text(ctx, &at, value, field) {
                if s != "required" && s != "optional" {
                    ctx.report(
                        "catalog-invalid-field",
                        &at,
                        format!("`spec.presence: {s}` is neither `required` nor `optional`"),
                        "use `presence: required` (the default) or `presence: optional`",
                    );
                }
            }
        }
    }
}

/// The non-empty string at `at`, or a finding.
fn text<'a>(ctx: &mut Ctx, at: &[Seg], value: &'a Value, field: &Field) -> Option<&'a str> {
    let name = crate::yaml::path_to_string(at);
    match untag(value) {
        Value::String(s) if !s.is_empty() => Some(s.as_str()),
        Value::String(_) => {
            ctx.report(
                "catalog-invalid-field",
                at,
                format!("`{name}` is empty"),
                format!("give it a value, e.g. `{}`", field.example),
            );
            None
        }
        Value::Null if field.required => {
            ctx.report(
                "catalog-missing-field",
                at,
                format!("`{name}` has no value, but it is required"),
                format!("write e.g. `{}`", field.example),
            );
            None
        }
        other => {
            let help = match (other, scalar_text(other)) {
                (Value::Null, _) => {
                    format!("give it a value, e.g. `{}`, or remove it", field.example)
                }
                (Value::Number(_) | Value::Bool(_), Some(t)) => {
                    format!("quote it so YAML reads it as text: `\"{t}\"`")
                }
                _ => format!("write it as a single value, e.g. `{}`", field.example),
            };
            ctx.report(
                "catalog-invalid-field",
                at,
                format!("`{name}` must be a string, found {}", type_name(other)),
                help,
            );
            None
        }
    }
}

fn list<'a>(ctx: &mut Ctx, at: &[Seg], value: &'a Value, field: &Field) -> Option<&'a [Value]> {
    let name = crate::yaml::path_to_string(at);
    match untag(value) {
        Value::Sequence(items) => Some(items),
        Value::Null if field.required => {
            ctx.report(
                "catalog-missing-field",
                at,
                format!("`{name}` has no value; it must be a list, even an empty one"),
                format!("write `{}: []` when there is nothing to list", field.key),
            );
            None
        }
        other => {
            let help = match other {
                Value::String(s) => format!("write it as a list: `{}: [{s}]`", field.key),
                _ => format!("write it as a list, e.g. `{}`", field.example),
            };
            ctx.report(
                "catalog-invalid-field",
                at,
                format!("`{name}` must be a list, found {}", type_name(other)),
                help,
            );
            None
        }
    }
}

fn reference(ctx: &mut Ctx, at: &[Seg], text: &str, default_kind: &str, field: &Field) {
    if is_templated(text) {
        return;
    }
    if let Err(e) = EntityRef::parse(text, default_kind, &ctx.namespace) {
        let name = crate::yaml::path_to_string(at);
        ctx.report(
            "catalog-invalid-ref",
            at,
            format!("`{name}`: {e}"),
            format!(
                "write an entity reference `[<kind>:][<namespace>/]<name>` (a bare name here means a {default_kind}), e.g. `{}`",
                field.example
            ),
        );
    }
}

fn profile(ctx: &mut Ctx, at: &[Seg], value: &Value, field: &Field) {
    let Value::Mapping(profile) = untag(value) else {
        if !matches!(untag(value), Value::Null) {
            ctx.report(
                "catalog-invalid-field",
                at,
                format!(
                    "`spec.profile` must be a mapping, found {}",
                    type_name(value)
                ),
                format!("write e.g. `{}`", field.example),
            );
        }
        return;
    };
    for key in ["displayName", "email", "picture"] {
        if let Some(v) = get(profile, key) {
            let sub = Field {
                key,
                shape: Shape::Text,
                required: false,
                example: field.example,
            };
            text(ctx, &segs!["spec", "profile", key], v, &sub);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::tests::{codes, findings};

    fn entity(kind: &str, spec: &str) -> String {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: x\nspec:\n{spec}"
        )
    }

    #[test]
    fn required_fields_per_kind() {
        let cases = [
            (
                "Component",
                "  type: service\n  lifecycle: production\n  owner: team-a\n",
                3,
            ),
            (
                "API",
                "  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: \"openapi: 3.0.0\"\n",
                4,
            ),
            ("Resource", "  type: database\n  owner: team-a\n", 2),
            ("System", "  owner: team-a\n", 1),
            ("Domain", "  owner: team-a\n", 1),
            ("Group", "  type: team\n  children: []\n", 2),
            ("User", "  memberOf: []\n", 1),
        ];
        for (kind, spec, required) in cases {
            assert!(
                findings(&entity(kind, spec)).is_empty(),
                "{kind}: {:?}",
                findings(&entity(kind, spec))
            );
            let f = findings(&entity(kind, "  unrelated: 1\n"));
            assert_eq!(codes(&f), vec!["catalog-missing-field"; required], "{kind}");
            assert!(f.iter().all(|f| f.line == 5
                && f.resource.as_deref() == Some(&*format!("{}:default/x", kind.to_lowercase()))));
        }
        assert!(findings(&entity("Location", "  {}\n")).is_empty());
        assert!(
            findings(&entity(
                "Location",
                "  target: ./a.yaml\n  targets: [./b.yaml]\n  presence: optional\n"
            ))
            .is_empty()
        );
    }

    #[test]
    fn spec_itself_is_required_for_core_kinds() {
        let f = findings("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: x\n");
        assert_eq!(codes(&f), ["catalog-missing-field"]);
        assert!(f[0].message.contains("`type`, `children`"), "{f:?}");
        let f = findings(&entity("System", "  - owner: a\n"));
        assert_eq!(codes(&f), ["catalog-envelope"]);
    }

    #[test]
    fn field_types() {
        let f = findings(&entity(
            "Component",
            "  type: service\n  lifecycle: 3\n  owner: [a, b]\n  providesApis: payments-api\n",
        ));
        assert_eq!(codes(&f), ["catalog-invalid-field"; 3]);
        assert_eq!(f.iter().map(|f| f.line).collect::<Vec<_>>(), [7, 8, 9]);
        assert!(
            f[2].help
                .as_deref()
                .unwrap_or_default()
                .contains("[payments-api]")
        );
        let f = findings(&entity("Group", "  type: ''\n  children:\n"));
        assert_eq!(
            codes(&f),
            ["catalog-invalid-field", "catalog-missing-field"]
        );
        let f = findings(&entity(
            "Location",
            "  presence: maybe\n  targets: [1, ./a.yaml]\n",
        ));
        assert_eq!(codes(&f), ["catalog-invalid-field"; 2]);
        let f = findings(&entity(
            "User",
            "  memberOf: []\n  profile:\n    email: ''\n",
        ));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-invalid-field"], 8));
    }

    #[test]
    fn placeholders_stand_for_values() {
        let spec = "  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ./openapi.yaml\n";
        assert!(findings(&entity("API", spec)).is_empty());
        let f = findings(&entity("API", &spec.replace("$text", "$file")));
        assert_eq!(codes(&f), ["catalog-invalid-field"]);
    }

    #[test]
    fn references() {
        let spec = "  type: service\n  lifecycle: production\n  owner: user:ops/jdoe\n  system: payments\n  subcomponentOf: component:checkout\n  providesApis: [payments-api, api:ops/x]\n  consumesApis: []\n  dependsOn: [resource:db, cache]\n  dependencyOf: [web]\n";
        assert!(findings(&entity("Component", spec)).is_empty());
        let f = findings(&entity(
            "Component",
            "  type: service\n  lifecycle: production\n  owner: team a\n  dependsOn:\n    - 'resource:'\n    - ok\n",
        ));
        assert_eq!(codes(&f), ["catalog-invalid-ref"; 2]);
        assert_eq!(f.iter().map(|f| f.line).collect::<Vec<_>>(), [8, 10]);
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or_default()
                .contains("a bare name here means a Group), e.g. `owner: team-payments`")
        );
        let f = findings(&entity(
            "Group",
            "  type: team\n  parent: Bad_NS/eng\n  children: [a]\n  members: ['user:']\n",
        ));
        assert_eq!(codes(&f), ["catalog-invalid-ref"; 2]);
        let f = findings(&entity("Domain", "  owner: a\n  subdomainOf: 'domain:'\n"));
        assert_eq!(codes(&f), ["catalog-invalid-ref"]);
    }
}
