//! The Backstage catalog: `catalog-info.yaml` descriptors checked against Backstage's rules
//! (envelope, metadata formats, each core kind's spec, entity references, duplicates), and
//! the entity model the site and scorecards read.

pub mod codeowners;
mod entity;
mod entity_ref;
mod metadata;
mod names;
mod relations;
mod rules;
mod spec;

pub use entity::{Entity, Link};
pub use entity_ref::{CORE_KINDS, EntityRef, canonical_kind};
pub use relations::{Catalog, Relation, references};

use crate::codes::CodeInfo;
use crate::finding::{self, Finding, Level};
use crate::source::Texts;
use crate::yaml::{self, Value};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "catalog-envelope",
        level: Level::Deny,
        summary: "a catalog document is not a well-formed Backstage entity",
        explanation: "Every YAML document of a catalog file is one entity: a mapping with \
`apiVersion` (`backstage.io/v1alpha1` or `backstage.io/v1beta1` for Backstage's own kinds; \
`scaffolder.backstage.io/v1beta3` for Software Templates; your own group for custom kinds), \
`kind`, `metadata` and, for the core kinds, `spec`, all of the right type. Backstage rejects any \
other root field (only `relations` and `status`, which it fills itself, are allowed): a root \
`owner` or `name` usually belongs under `spec` or `metadata`. A document that breaks these rules \
is dropped by Backstage's catalog with a processing error, so its entity never appears.",
    },
    CodeInfo {
        code: "catalog-unknown-kind",
        level: Level::Deny,
        summary: "a backstage.io entity has a kind Backstage does not know",
        explanation: "Under a `backstage.io/` apiVersion Backstage knows the kinds Component, API, \
Resource, System, Domain, Group, User and Location, spelled exactly so (kinds are case-sensitive: \
`component` is not `Component`). Any other kind is refused unless a catalog processor of your own \
handles it; give such custom kinds their own apiVersion group (`acme.com/v1`), or lower this \
code's level if your Backstage has a processor for it. Software Templates use \
`scaffolder.backstage.io/v1beta3`.",
    },
    CodeInfo {
        code: "catalog-invalid-name",
        level: Level::Deny,
        summary: "metadata.name or metadata.namespace breaks Backstage's naming rules",
        explanation: "`metadata.name` must be a string of 1 to 63 characters: letters, digits, \
`-`, `_` and `.`, starting and ending with a letter or digit (`payments-api`). Put a display \
name with spaces in `metadata.title`. `metadata.namespace` (default `default`) must be a \
lowercase DNS label: 1 to 63 lowercase letters and digits with single `-` between. Names that are \
numbers in YAML (`name: 123`) must be quoted. Values holding a Software Template expression \
(`${{ values.name }}`) are not judged.",
    },
    CodeInfo {
        code: "catalog-invalid-metadata",
        level: Level::Deny,
        summary: "a metadata field has the wrong type",
        explanation: "`metadata.title` must be a non-empty string, `metadata.description` a \
string, `labels` and `annotations` mappings of keys to strings, `tags` and `links` lists. \
Backstage's entity schema rejects anything else.",
    },
    CodeInfo {
        code: "catalog-invalid-label",
        level: Level::Deny,
        summary: "a label key or value breaks Backstage's label rules",
        explanation: "Labels follow the Kubernetes rules Backstage adopted. A key is an optional \
prefix, a lowercase DNS subdomain of at most 253 characters followed by `/` (`acme.com/`), then a \
name of 1 to 63 letters, digits, `-`, `_`, `.` starting and ending with a letter or digit. A \
value is empty or follows the same name rule, and must be a string (quote numbers). Free text \
belongs in annotations, whose values may be any string.",
    },
    CodeInfo {
        code: "catalog-invalid-annotation",
        level: Level::Deny,
        summary: "an annotation key is malformed or its value is not a string",
        explanation: "Annotation keys follow the label key rules (`[prefix/]name`, like \
`backstage.io/techdocs-ref` or `pagerduty.com/service-id`). Values may be any text but must be \
strings: YAML reads `12345`, `true` or `1.10` as a number or boolean, which Backstage rejects; \
quote them.",
    },
    CodeInfo {
        code: "catalog-invalid-tag",
        level: Level::Deny,
        summary: "a tag breaks Backstage's tag rule",
        explanation: "A tag is a string of 1 to 63 characters: runs of lowercase letters, digits, \
`:`, `+` and `#`, joined by single `-` (`java`, `c++`, `lang:go`, `spring-boot`). Uppercase, \
spaces and `_` are refused by Backstage.",
    },
    CodeInfo {
        code: "catalog-invalid-link",
        level: Level::Deny,
        summary: "a metadata link has no valid absolute URL, or a bad title, icon or type",
        explanation: "Each entry of `metadata.links` is a mapping with `url`, an absolute URL \
with a scheme (`https://runbooks.example.com/payments`, `mailto:team@example.com`); a relative \
path or a bare host is refused. `title`, `icon` and `type` are optional non-empty strings. \
Scorecards often look links up by title (a Runbook, a Dashboard), so keep titles stable.",
    },
    CodeInfo {
        code: "catalog-missing-field",
        level: Level::Deny,
        summary: "a field the entity's kind requires is missing",
        explanation: "Backstage requires `metadata.name`, `spec` for its core kinds, and per kind: \
Component `type`, `lifecycle`, `owner`; API `type`, `lifecycle`, `owner`, `definition`; \
Resource `type`, `owner`; System `owner`; Domain `owner`; Group `type`, `children` (a list, may \
be empty); User `memberOf` (a list, may be empty). Location has no required field. An entity \
missing one is refused by the catalog.",
    },
    CodeInfo {
        code: "catalog-invalid-field",
        level: Level::Deny,
        summary: "a spec field has the wrong type or value",
        explanation: "Spec fields are strings (`type`, `lifecycle`, `owner`, `system`, \
`definition`, ...) or lists of strings (`providesApis`, `dependsOn`, `children`, `memberOf`, \
`targets`, ...), never empty. Write one value where a string is expected and a list (`[a, b]`, \
or `[]`) where a list is. `definition` may be a placeholder Backstage resolves: `$text`, `$json` \
or `$yaml` followed by a path or URL. A Location's `presence` is `required` or `optional`.",
    },
    CodeInfo {
        code: "catalog-invalid-ref",
        level: Level::Deny,
        summary: "an entity reference in spec is malformed",
        explanation: "References are `[<kind>:][<namespace>/]<name>`. A missing kind takes the \
field's default (owner: Group, system: System, domain: Domain, providesApis/consumesApis: API, \
dependsOn/dependencyOf/subcomponentOf: Component, parent/children/memberOf: Group, members: \
User, subdomainOf: Domain) and a missing namespace is the entity's own. Each part must follow the \
naming rules; an empty part (`group:`, `/name`), a space or a second `/` makes the reference \
unreadable and Backstage refuses the entity. Whether the referenced entity exists is not \
checked here.",
    },
    CodeInfo {
        code: "catalog-unknown-ref",
        level: Level::Warn,
        summary: "a reference names an entity no descriptor defines",
        explanation: "A spec field (`owner`, `system`, `dependsOn`, `providesApis`, ...) refers to \
an entity that no catalog file of the repository defines, after the field's default kind and the \
entity's namespace are filled in. Backstage keeps the relation but shows it broken, and the site \
cannot link it. Usually a typo, a missing kind (`dependsOn` reads a bare name as a Component), or \
an entity in another namespace. When the repository defines no entity of that kind at all (Groups \
and Users often come from an organization provider), the reference is not judged.",
    },
    CodeInfo {
        code: "catalog-owner-kind",
        level: Level::Warn,
        summary: "an entity's owner is not a Group or a User",
        explanation: "`spec.owner` names who answers for the entity: Backstage's ownership views \
and scorecards expect a Group (a team) or a User. A bare name is read as a Group; \
`owner: component:web` makes a component the owner, which no team page will show.",
    },
    CodeInfo {
        code: "codeowners-invalid",
        level: Level::Warn,
        summary: "a CODEOWNERS pattern cannot be read",
        explanation: "stackgate reads `.github/CODEOWNERS` (or `CODEOWNERS`, `docs/CODEOWNERS`) \
to find the team that owns a project nobody else claims. Patterns follow `.gitignore` rules: \
`*`, `**`, `?`, `[a-z]`, a leading `/` anchors at the root, a trailing `/` means a folder. A \
line whose pattern does not parse (an unclosed `[`) is skipped, as GitHub skips it.",
    },
    CodeInfo {
        code: "catalog-duplicate-entity",
        level: Level::Deny,
        summary: "two descriptors define the same entity",
        explanation: "An entity is identified by kind, namespace and name, compared ignoring case \
as Backstage does. When two documents define the same one, Backstage keeps whichever it reads \
first and reports a conflict for the other, so edits to one of them silently do nothing. The \
finding is on the second definition and names the first; rename one, or move it to another \
namespace.",
    },
];

/// Reads and checks every catalog descriptor. Entities come back sorted by file and line;
/// findings sorted as every report is.
pub fn load(files: &[String], texts: &Texts) -> (Vec<Entity>, Vec<Finding>) {
    // A file listed twice must not collide with itself.
    let files: Vec<&String> = files.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let per_file: Vec<FileOutcome> = files
        .par_iter()
        .filter_map(|f| texts.get(f.as_str()).map(|text| load_file(f, text)))
        .collect();
    let mut entities = Vec::new();
    let mut findings = Vec::new();
    for (e, f) in per_file {
        entities.extend(e);
        findings.extend(f);
    }
    entities.sort_by(|(a, _), (b, _)| (&a.file, a.line).cmp(&(&b.file, b.line)));
    findings.extend(duplicates(&entities));
    let entities: Vec<Entity> = entities.into_iter().map(|(e, _)| e).collect();
    findings.extend(Catalog::new(&entities).check_references());
    finding::normalize(&mut findings);
    (entities, findings)
}

/// The entities of one file (each with the line of its name) and its findings.
type FileOutcome = (Vec<(Entity, usize)>, Vec<Finding>);

fn load_file(file: &str, text: &str) -> FileOutcome {
    let (docs, error) = yaml::parse_stream(text);
    let mut entities = Vec::new();
    let mut findings = Vec::new();
    let mut described = 0;
    for (i, doc) in docs.iter().enumerate() {
        // `---` at the end, or between two documents, leaves an empty document: not an entity.
        if matches!(rules::untag(&doc.value), Value::Null) {
            continue;
        }
        described += 1;
        let outcome = rules::check_document(file, doc, i + 1);
        entities.extend(outcome.entity);
        findings.extend(outcome.findings);
    }
    if let Some(e) = error {
        findings.push(
            Finding::new(
                "parse-error",
                file,
                e.pos.line,
                format!("invalid YAML: {}", e.message),
            )
            .column(e.pos.column)
            .help("fix the YAML syntax; the documents after this point are not checked"),
        );
    } else if described == 0 {
        findings.push(
            Finding::new(
                "empty-file",
                file,
                1,
                "the catalog file describes no entity",
            )
            .help("add an entity (apiVersion, kind, metadata, spec) or delete the file"),
        );
    }
    (entities, findings)
}

/// A finding on each entity defined again after its first definition (in file, line order).
fn duplicates(entities: &[(Entity, usize)]) -> Vec<Finding> {
    let mut first: HashMap<String, &Entity> = HashMap::new();
    let mut out = Vec::new();
    for (e, name_line) in entities {
        // A templated name is not a name yet.
        if [&e.kind, &e.namespace, &e.name]
            .iter()
            .any(|s| rules::is_templated(s))
        {
            continue;
        }
        let r = e.entity_ref();
        match first.get(&r.key()) {
            None => {
                first.insert(r.key(), e);
            }
            Some(prev) => out.push(
                Finding::new(
                    "catalog-duplicate-entity",
                    e.file.as_str(),
                    *name_line,
                    format!("{r} is already defined at {}:{}", prev.file, prev.line),
                )
                .resource(r.to_string())
                .help(
                    "give one of them another `metadata.name` (or namespace), or delete the copy",
                ),
            ),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::Arc;

    pub fn load_texts(files: &[(&str, &str)]) -> (Vec<Entity>, Vec<Finding>) {
        let texts: Texts = files
            .iter()
            .map(|(f, t)| (f.to_string(), Arc::from(*t)))
            .collect();
        let names: Vec<String> = files.iter().map(|(f, _)| f.to_string()).collect();
        load(&names, &texts)
    }

    /// The findings of one file's own rules; references between entities are judged in
    /// `relations`, where the tests build catalogs that resolve.
    pub fn findings(text: &str) -> Vec<Finding> {
        load_texts(&[("catalog-info.yaml", text)])
            .1
            .into_iter()
            .filter(|f| !matches!(f.code, "catalog-unknown-ref" | "catalog-owner-kind"))
            .collect()
    }

    pub fn entities(text: &str) -> Vec<Entity> {
        load_texts(&[("catalog-info.yaml", text)]).0
    }

    pub fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    const SYSTEM: &str = "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: payments\nspec:\n  owner: team-a\n";

    #[test]
    fn multi_document_files() {
        let text = format!(
            "---\n{SYSTEM}---\n{}\n---\n",
            SYSTEM.replace("payments", "billing")
        );
        let (e, f) = load_texts(&[("catalog-info.yaml", &text)]);
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(
            e.iter()
                .map(|e| (e.name.as_str(), e.line))
                .collect::<Vec<_>>(),
            [("payments", 2), ("billing", 9)]
        );
    }

    #[test]
    fn parse_errors_keep_the_documents_before_them() {
        let text = format!("{SYSTEM}---\nkind: [unclosed\n");
        let (e, f) = load_texts(&[("catalog-info.yaml", &text)]);
        assert_eq!(e.len(), 1);
        assert_eq!(codes(&f), ["parse-error"]);
        assert!(f[0].line >= 8, "{f:?}");
    }

    #[test]
    fn empty_files() {
        for text in ["", "# nothing yet\n", "---\n", "---\n---\n"] {
            let f = findings(text);
            assert_eq!((codes(&f), f[0].line), (vec!["empty-file"], 1), "{text:?}");
        }
    }

    #[test]
    fn non_mapping_documents_are_numbered() {
        let f = findings(&format!("{SYSTEM}---\njust text\n"));
        assert_eq!((codes(&f), f[0].line), (vec!["catalog-envelope"], 8));
        assert!(f[0].message.contains("document 2"), "{f:?}");
    }

    #[test]
    fn duplicates_across_files_ignore_case() {
        let other = SYSTEM.replace("name: payments", "name: Payments");
        let (e, f) = load_texts(&[
            ("b/catalog-info.yaml", &other),
            ("a/catalog-info.yaml", SYSTEM),
        ]);
        assert_eq!(e.len(), 2);
        assert_eq!(codes(&f), ["catalog-duplicate-entity"]);
        assert_eq!((f[0].file.as_str(), f[0].line), ("b/catalog-info.yaml", 4));
        assert!(f[0].message.contains("a/catalog-info.yaml:1"), "{f:?}");
        assert_eq!(f[0].resource.as_deref(), Some("system:default/Payments"));
    }

    #[test]
    fn same_name_in_other_kind_or_namespace_is_no_duplicate() {
        let group = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: payments\nspec:\n  type: team\n  children: []\n";
        let ns = SYSTEM.replace(
            "  name: payments\n",
            "  name: payments\n  namespace: finance\n",
        );
        let text = format!("{SYSTEM}---\n{group}---\n{ns}---\n{SYSTEM}");
        let f = findings(&text);
        assert_eq!(codes(&f), ["catalog-duplicate-entity"]);
        assert_eq!(f[0].line, 27);
        assert!(f[0].message.contains("catalog-info.yaml:1"));
    }

    #[test]
    fn a_file_listed_twice_is_read_once() {
        let texts: Texts = [("c.yaml".to_string(), Arc::from(SYSTEM))]
            .into_iter()
            .collect();
        let (e, f) = load(
            &["c.yaml".into(), "c.yaml".into(), "missing.yaml".into()],
            &texts,
        );
        assert_eq!((e.len(), f.len()), (1, 0));
    }

    #[test]
    fn thousands_of_entities() {
        let mut files = Vec::new();
        for i in 0..500 {
            let mut text = String::new();
            for j in 0..10 {
                text.push_str(&format!(
                    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-{i}-{j}\n  tags: [rust, payments]\n  links: [{{url: 'https://x.example.com/{j}', title: Runbook}}]\nspec:\n  type: service\n  lifecycle: production\n  owner: team-{i}\n  dependsOn: [resource:db-{i}]\n"
                ));
            }
            files.push((format!("s{i}/catalog-info.yaml"), text));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        let (e, f) = load_texts(&refs);
        assert_eq!((e.len(), f.len()), (5000, 0));
        assert!(
            e.windows(2)
                .all(|w| (&w[0].file, w[0].line) < (&w[1].file, w[1].line))
        );
    }

    fn yamlish_document() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "apiVersion",
            "kind",
            "metadata",
            "spec",
            "name",
            "namespace",
            "title",
            "labels",
            "annotations",
            "tags",
            "links",
            "url",
            "owner",
            "type",
            "lifecycle",
            "system",
            "dependsOn",
            "children",
            "memberOf",
            "profile",
            "email",
            "presence",
            "definition",
            "$text",
            "- url",
            "-",
            "<<",
        ]);
        let value = prop_oneof![
            prop::sample::select(vec![
                "",
                "backstage.io/v1alpha1",
                "Component",
                "Group",
                "User",
                "API",
                "Location",
                "x",
                "[]",
                "{}",
                "[a, 'b c']",
                "~",
                "123",
                "true",
                "'${{ values.x }}'",
                "group:",
                "a/b/c",
                "&a x",
                "*a",
                "!tag x",
                "https://x",
                "|",
                "[",
                "{a: [b, {c: d}]}",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,12}",
        ];
        prop::collection::vec((0usize..4, key, value), 0..24).prop_map(|lines| {
            lines
                .into_iter()
                .map(|(indent, k, v)| format!("{}{k}: {v}\n", "  ".repeat(indent)))
                .collect::<String>()
        })
    }

    fn assert_sane(text: &str) {
        let (entities, findings) = load_texts(&[("f.yaml", text)]);
        // YAML counts CR, NEL and the Unicode line and paragraph separators as line breaks too.
        let breaks = text.replace("\r\n", "\n");
        let lines = breaks
            .chars()
            .filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
            .count()
            + 1;
        for f in &findings {
            assert!(crate::codes::lookup(f.code).is_some(), "{f:?}");
            // An error at the end of the stream may point just past the last line.
            assert!(f.line >= 1 && f.line <= lines + 1, "{f:?} in {text:?}");
        }
        for e in &entities {
            assert!(e.line >= 1 && e.line <= lines);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,300}") {
            assert_sane(&text);
        }

        #[test]
        fn yamlish_input_never_panics(docs in prop::collection::vec(yamlish_document(), 1..4)) {
            assert_sane(&docs.join("---\n"));
        }
    }
}
