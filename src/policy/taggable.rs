//! Which Terraform resource types can carry tags, for the `tags` policy kind.
//!
//! A "required tags" policy applies by default to every taggable resource type of a provider, and
//! must stay silent on types that cannot carry tags at all (`aws_iam_role_policy_attachment`,
//! `aws_route`): flagging those would be noise nobody can fix. The exact answer lives in each
//! provider's schema, but stackgate runs offline in CI without `terraform init`, so it has no
//! provider schemas. Instead it ships one list per provider, embedded at build time from
//! `taggable/<provider>.txt`.
//!
//! The lists were derived from the providers' own resource documentation: a type is taggable when
//! its argument reference documents a top-level `tags` argument (aws, azurerm) or `labels`
//! argument (google), i.e. one that is not part of a nested block. For aws the documentation
//! available was older than the provider, so types added since were taken from the provider's
//! resource registry (a schema with `tags_all`, which only resource-level tags get) and checked
//! against the current pages on a sample. Each file's header says which sources it was built from
//! and the few judgement calls made. Types of any other provider are unknown here: callers ask
//! [`provider_has_list`] before treating "not taggable" as a fact.

use std::sync::OnceLock;

/// A provider stackgate knows the taggable types of.
struct Provider {
    /// Resource type prefix, the provider's local name (`aws` for `aws_instance`).
    name: &'static str,
    /// Attribute that holds the tags on this provider's resources.
    attribute: &'static str,
    /// The embedded list, one type a line, `#` header lines first.
    text: &'static str,
}

const PROVIDERS: [Provider; 3] = [
    Provider {
        name: "aws",
        attribute: "tags",
        text: include_str!("taggable/aws.txt"),
    },
    Provider {
        name: "azurerm",
        attribute: "tags",
        text: include_str!("taggable/azurerm.txt"),
    },
    Provider {
        name: "google",
        attribute: "labels",
        text: include_str!("taggable/google.txt"),
    },
];

/// Parsed lists, index-aligned with [`PROVIDERS`]; built on first use.
fn lists() -> &'static [Vec<&'static str>; 3] {
    static LISTS: OnceLock<[Vec<&'static str>; 3]> = OnceLock::new();
    LISTS.get_or_init(|| PROVIDERS.each_ref().map(|p| parse(p.text)))
}

/// The type names of one list file: blank and `#` lines skipped, sorted and deduplicated so a
/// binary search stays correct even if a hand edit breaks the file's order (a test keeps the
/// files themselves clean).
fn parse(text: &'static str) -> Vec<&'static str> {
    let mut types: Vec<&'static str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    types.sort_unstable();
    types.dedup();
    types
}

/// Index in [`PROVIDERS`] of the provider a resource type belongs to: Terraform names types
/// `<provider local name>_<rest>`, so the provider is everything before the first underscore.
fn provider_index(resource_type: &str) -> Option<usize> {
    let (provider, rest) = resource_type.split_once('_')?;
    if rest.is_empty() {
        return None;
    }
    PROVIDERS.iter().position(|p| p.name == provider)
}

/// Whether the provider documents a tags attribute (`tags`, or `labels` on google) at the top
/// level of this resource type. False for unknown providers: check [`provider_has_list`] first
/// when "unknown" and "not taggable" must be told apart.
pub fn is_taggable(resource_type: &str) -> bool {
    provider_index(resource_type)
        .and_then(|i| lists().get(i))
        .is_some_and(|list| list.binary_search(&resource_type).is_ok())
}

/// The attribute that holds tags on this resource type's provider: `tags` for aws and azurerm,
/// `labels` for google; None for providers stackgate has no list for. Says nothing about whether
/// this particular type is taggable (see [`is_taggable`]).
pub fn tag_attribute(resource_type: &str) -> Option<&'static str> {
    provider_index(resource_type)
        .and_then(|i| PROVIDERS.get(i))
        .map(|p| p.attribute)
}

/// Whether stackgate knows the taggable types of this resource type's provider (aws, azurerm,
/// google), so that `is_taggable(t) == false` means "cannot carry tags" rather than "unknown".
pub fn provider_has_list(resource_type: &str) -> bool {
    provider_index(resource_type).is_some()
}

/// Total number of taggable resource types across all lists.
pub fn count() -> usize {
    lists().iter().map(Vec::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_taggable_types() {
        for t in [
            "aws_instance",
            "aws_s3_bucket",
            "aws_db_instance",
            "aws_vpc",
            "aws_lb",
            "aws_alb",
            "azurerm_linux_virtual_machine",
            "azurerm_resource_group",
            "azurerm_virtual_network",
            "google_compute_instance",
            "google_storage_bucket",
            "google_compute_disk",
        ] {
            assert!(is_taggable(t), "{t} should be taggable");
        }
    }

    #[test]
    fn known_untaggable_types() {
        for t in [
            "aws_iam_role_policy_attachment",
            "aws_route",
            "aws_s3_bucket_policy",
            "azurerm_role_assignment",
            "azurerm_subnet",
            "google_project_iam_member",
            // GKE clusters are labelled through `resource_labels`, not `labels`.
            "google_container_cluster",
            // `tags` here only selects which resources to watch.
            "aws_devopsguru_resource_collection",
        ] {
            assert!(!is_taggable(t), "{t} should not be taggable");
            assert!(provider_has_list(t));
        }
    }

    #[test]
    fn other_providers_and_odd_names_are_unknown() {
        for t in [
            "awscc_s3_bucket",
            "kubernetes_namespace",
            "null_resource",
            "aws",
            "aws_",
            "",
            "_instance",
            "AWS_INSTANCE",
        ] {
            assert!(!provider_has_list(t), "{t:?}");
            assert!(!is_taggable(t), "{t:?}");
            assert_eq!(tag_attribute(t), None, "{t:?}");
        }
    }

    #[test]
    fn tag_attribute_per_provider() {
        assert_eq!(tag_attribute("aws_instance"), Some("tags"));
        assert_eq!(tag_attribute("azurerm_resource_group"), Some("tags"));
        assert_eq!(tag_attribute("google_storage_bucket"), Some("labels"));
        // The attribute is the provider's, whether or not this type has it.
        assert_eq!(tag_attribute("aws_route"), Some("tags"));
    }

    #[test]
    fn files_are_sorted_unique_and_well_formed() {
        for p in &PROVIDERS {
            let mut in_header = true;
            let mut previous: Option<&str> = None;
            let prefix = format!("{}_", p.name);
            for line in p.text.lines() {
                if in_header && line.starts_with('#') {
                    continue;
                }
                in_header = false;
                assert!(
                    line.len() > prefix.len()
                        && line.starts_with(&prefix)
                        && line
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}: bad line {line:?}",
                    p.name
                );
                if let Some(prev) = previous {
                    assert!(prev < line, "{}: {prev} then {line}", p.name);
                }
                previous = Some(line);
            }
        }
    }

    #[test]
    fn lists_have_plausible_sizes() {
        let sizes: Vec<usize> = lists().iter().map(Vec::len).collect();
        assert!(sizes[0] > 600, "aws: {}", sizes[0]);
        assert!(sizes[1] > 300, "azurerm: {}", sizes[1]);
        assert!(sizes[2] > 250, "google: {}", sizes[2]);
        assert_eq!(count(), sizes.iter().sum::<usize>());
    }

    #[test]
    fn parse_skips_header_and_blank_lines_and_sorts() {
        let parsed = parse("# header\n\nb_two\na_one\nb_two\n");
        assert_eq!(parsed, vec!["a_one", "b_two"]);
    }
}
