//! Where each resource type keeps its instance type(s): a table of attribute paths per type,
//! walked over the evaluated attributes. Nested blocks are lists of objects, so a `[*]` step
//! visits every block; adding a resource type is adding one table line.

use crate::terraform::value::Value;

/// One instance type attribute found on a resource: its path
/// (`mixed_instances_policy[0].launch_template[0].override[1].instance_type`) and value, which
/// may be unknown (then the path names the deepest level that could be reached).
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    pub path: String,
    pub value: &'a Value,
}

/// Resource type → paths of its instance type attributes; `name[*]` steps through every item
/// of a list (nested blocks, `instance_types`). Kept sorted by type (a test checks).
const TABLE: &[(&str, &[&str])] = &[
    (
        "aws_autoscaling_group",
        &["mixed_instances_policy[*].launch_template[*].override[*].instance_type"],
    ),
    ("aws_db_instance", &["instance_class"]),
    (
        "aws_dms_replication_instance",
        &["replication_instance_class"],
    ),
    ("aws_docdb_cluster_instance", &["instance_class"]),
    ("aws_eks_node_group", &["instance_types[*]"]),
    ("aws_elasticache_cluster", &["node_type"]),
    ("aws_elasticache_replication_group", &["node_type"]),
    (
        "aws_elasticsearch_domain",
        &[
            "cluster_config[*].instance_type",
            "cluster_config[*].dedicated_master_type",
            "cluster_config[*].warm_type",
        ],
    ),
    (
        "aws_emr_cluster",
        &[
            "master_instance_group[*].instance_type",
            "core_instance_group[*].instance_type",
            "master_instance_fleet[*].instance_type_configs[*].instance_type",
            "core_instance_fleet[*].instance_type_configs[*].instance_type",
        ],
    ),
    ("aws_emr_instance_group", &["instance_type"]),
    ("aws_instance", &["instance_type"]),
    ("aws_launch_configuration", &["instance_type"]),
    ("aws_launch_template", &["instance_type"]),
    ("aws_memorydb_cluster", &["node_type"]),
    ("aws_mq_broker", &["host_instance_type"]),
    (
        "aws_msk_cluster",
        &["broker_node_group_info[*].instance_type"],
    ),
    ("aws_neptune_cluster_instance", &["instance_class"]),
    (
        "aws_opensearch_domain",
        &[
            "cluster_config[*].instance_type",
            "cluster_config[*].dedicated_master_type",
            "cluster_config[*].warm_type",
        ],
    ),
    ("aws_rds_cluster", &["db_cluster_instance_class"]),
    ("aws_rds_cluster_instance", &["instance_class"]),
    ("aws_redshift_cluster", &["node_type"]),
    ("aws_sagemaker_notebook_instance", &["instance_type"]),
    ("aws_spot_instance_request", &["instance_type"]),
    (
        "azurerm_kubernetes_cluster",
        &["default_node_pool[*].vm_size"],
    ),
    ("azurerm_kubernetes_cluster_node_pool", &["vm_size"]),
    ("azurerm_linux_virtual_machine", &["size"]),
    ("azurerm_linux_virtual_machine_scale_set", &["sku"]),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        &["sku_name"],
    ),
    ("azurerm_virtual_machine", &["vm_size"]),
    ("azurerm_virtual_machine_scale_set", &["sku[*].name"]),
    ("azurerm_windows_virtual_machine", &["size"]),
    ("azurerm_windows_virtual_machine_scale_set", &["sku"]),
    ("google_compute_instance", &["machine_type"]),
    ("google_compute_instance_template", &["machine_type"]),
    ("google_compute_region_instance_template", &["machine_type"]),
    (
        "google_container_cluster",
        &[
            "node_config[*].machine_type",
            "node_pool[*].node_config[*].machine_type",
        ],
    ),
    (
        "google_container_node_pool",
        &["node_config[*].machine_type"],
    ),
    (
        "google_dataproc_cluster",
        &[
            "cluster_config[*].master_config[*].machine_type",
            "cluster_config[*].worker_config[*].machine_type",
            "cluster_config[*].preemptible_worker_config[*].machine_type",
        ],
    ),
    ("google_sql_database_instance", &["settings[*].tier"]),
];

/// The resource types that have an instance type, sorted.
pub fn covered_types() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(t, _)| *t)
}

/// The instance type values of a resource, in table order then list order. `None` when the
/// type has no instance type; an empty list when it has one but it is not set.
pub fn instance_types<'a>(resource_type: &str, attributes: &'a Value) -> Option<Vec<Found<'a>>> {
    let (_, paths) = TABLE.iter().find(|(t, _)| *t == resource_type)?;
    let mut out = Vec::new();
    for pattern in *paths {
        if let Value::Unknown(_) = attributes {
            // Nothing to walk: report the attribute as the table names it.
            out.push(Found {
                path: (*pattern).to_string(),
                value: attributes,
            });
            continue;
        }
        let steps: Vec<(&str, bool)> = pattern
            .split('.')
            .map(|s| match s.strip_suffix("[*]") {
                Some(name) => (name, true),
                None => (s, false),
            })
            .collect();
        walk(attributes, &steps, String::new(), &mut out);
    }
    Some(out)
}

/// Follows `steps` from `object` (expected to be a map); `at` is the path walked so far.
fn walk<'a>(object: &'a Value, steps: &[(&str, bool)], at: String, out: &mut Vec<Found<'a>>) {
    let Some(((name, each), rest)) = steps.split_first() else {
        return;
    };
    let value = match object {
        Value::Map(m) => match m.get(*name) {
            Some(v) => v,
            None => return,
        },
        // An unknown block or list item: the caller reports it as such.
        Value::Unknown(_) => {
            out.push(Found {
                path: at,
                value: object,
            });
            return;
        }
        _ => return,
    };
    let path = if at.is_empty() {
        (*name).to_string()
    } else {
        format!("{at}.{name}")
    };
    match (value, *each) {
        (Value::Null, _) => {}
        (Value::List(items) | Value::Set(items), true) => {
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                if rest.is_empty() {
                    if !matches!(item, Value::Null) {
                        out.push(Found {
                            path: item_path,
                            value: item,
                        });
                    }
                } else {
                    walk(item, rest, item_path, out);
                }
            }
        }
        // A whole unknown list, or a value at the end of the path.
        (Value::Unknown(_), _) => out.push(Found { path, value }),
        _ if rest.is_empty() => out.push(Found { path, value }),
        // A single block written as an object rather than a one-item list.
        (Value::Map(_), _) => walk(value, rest, path, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    /// (path, rendered value) pairs, for compact assertions.
    fn found(resource_type: &str, attributes: &Value) -> Option<Vec<(String, String)>> {
        instance_types(resource_type, attributes).map(|v| {
            v.into_iter()
                .map(|f| (f.path, f.value.to_string()))
                .collect()
        })
    }

    fn pairs(list: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            list.iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        let types: Vec<&str> = covered_types().collect();
        let mut sorted = types.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(types, sorted);
        for (t, paths) in TABLE {
            assert!(!paths.is_empty(), "{t}");
            for p in *paths {
                for step in p.split('.') {
                    let name = step.strip_suffix("[*]").unwrap_or(step);
                    assert!(
                        !name.is_empty()
                            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                        "{t}: {p}"
                    );
                }
            }
        }
    }

    #[test]
    fn covers_the_required_types() {
        let types: Vec<&str> = covered_types().collect();
        for t in [
            "aws_instance",
            "aws_spot_instance_request",
            "aws_launch_template",
            "aws_launch_configuration",
            "aws_autoscaling_group",
            "aws_eks_node_group",
            "aws_db_instance",
            "aws_rds_cluster_instance",
            "aws_rds_cluster",
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group",
            "aws_redshift_cluster",
            "aws_opensearch_domain",
            "aws_elasticsearch_domain",
            "aws_emr_cluster",
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_orchestrated_virtual_machine_scale_set",
            "azurerm_kubernetes_cluster",
            "azurerm_kubernetes_cluster_node_pool",
            "google_compute_instance",
            "google_compute_instance_template",
            "google_compute_region_instance_template",
            "google_container_node_pool",
            "google_container_cluster",
        ] {
            assert!(types.contains(&t), "{t}");
        }
    }

    #[test]
    fn simple_attributes() {
        let cases = [
            ("aws_instance", "instance_type", "t3.micro"),
            ("aws_spot_instance_request", "instance_type", "c5.large"),
            ("aws_launch_template", "instance_type", "m5.xlarge"),
            ("aws_db_instance", "instance_class", "db.t3.micro"),
            (
                "aws_rds_cluster",
                "db_cluster_instance_class",
                "db.r6gd.large",
            ),
            (
                "aws_elasticache_replication_group",
                "node_type",
                "cache.t3.small",
            ),
            ("aws_redshift_cluster", "node_type", "ra3.xlplus"),
            ("azurerm_linux_virtual_machine", "size", "Standard_B2ms"),
            ("azurerm_virtual_machine", "vm_size", "Standard_DS2_v2"),
            (
                "azurerm_windows_virtual_machine_scale_set",
                "sku",
                "Standard_D4s_v5",
            ),
            (
                "azurerm_orchestrated_virtual_machine_scale_set",
                "sku_name",
                "Standard_F2",
            ),
            (
                "azurerm_kubernetes_cluster_node_pool",
                "vm_size",
                "Standard_E8s_v5",
            ),
            ("google_compute_instance", "machine_type", "e2-medium"),
            (
                "google_compute_region_instance_template",
                "machine_type",
                "n2-standard-8",
            ),
        ];
        for (t, attr, v) in cases {
            let attrs = obj(&[(attr, s(v)), ("name", s("x"))]);
            let want = format!("{v:?}");
            assert_eq!(found(t, &attrs), pairs(&[(attr, &want)]), "{t}");
        }
    }

    #[test]
    fn types_without_instance_type_are_none() {
        let attrs = obj(&[("instance_type", s("t3.micro"))]);
        assert_eq!(found("aws_s3_bucket", &attrs), None);
        assert_eq!(found("", &attrs), None);
        assert_eq!(found("aws_instance_x", &attrs), None);
    }

    #[test]
    fn missing_or_null_attributes_give_an_empty_list() {
        assert_eq!(found("aws_instance", &obj(&[])), pairs(&[]));
        assert_eq!(
            found("aws_instance", &obj(&[("instance_type", Value::Null)])),
            pairs(&[])
        );
        assert_eq!(found("aws_instance", &Value::Null), pairs(&[]));
        assert_eq!(
            found("aws_autoscaling_group", &obj(&[("name", s("asg"))])),
            pairs(&[])
        );
        let empty_policy = obj(&[("mixed_instances_policy", Value::List(vec![]))]);
        assert_eq!(found("aws_autoscaling_group", &empty_policy), pairs(&[]));
    }

    #[test]
    fn autoscaling_overrides_are_walked() {
        let overrides = Value::List(vec![
            obj(&[
                ("instance_type", s("m5.large")),
                ("weighted_capacity", s("1")),
            ]),
            obj(&[("instance_type", s("m5a.large"))]),
            obj(&[("instance_requirements", Value::List(vec![]))]),
        ]);
        let lt = obj(&[("override", overrides)]);
        let attrs = obj(&[(
            "mixed_instances_policy",
            Value::List(vec![obj(&[("launch_template", Value::List(vec![lt]))])]),
        )]);
        assert_eq!(
            found("aws_autoscaling_group", &attrs),
            pairs(&[
                (
                    "mixed_instances_policy[0].launch_template[0].override[0].instance_type",
                    "\"m5.large\""
                ),
                (
                    "mixed_instances_policy[0].launch_template[0].override[1].instance_type",
                    "\"m5a.large\""
                ),
            ])
        );
    }

    #[test]
    fn list_attributes_give_one_found_per_item() {
        let attrs = obj(&[(
            "instance_types",
            Value::List(vec![s("t3.large"), Value::Null, s("t3a.large")]),
        )]);
        assert_eq!(
            found("aws_eks_node_group", &attrs),
            pairs(&[
                ("instance_types[0]", "\"t3.large\""),
                ("instance_types[2]", "\"t3a.large\""),
            ])
        );
        let set = obj(&[("instance_types", Value::set(vec![s("m5.large")]))]);
        assert_eq!(
            found("aws_eks_node_group", &set),
            pairs(&[("instance_types[0]", "\"m5.large\"")])
        );
    }

    #[test]
    fn unknowns_are_returned_where_they_stop_the_walk() {
        let why = Value::unknown("variable `size` has no value");
        let whole_list = obj(&[("instance_types", why.clone())]);
        let got = instance_types("aws_eks_node_group", &whole_list).unwrap_or_default();
        assert_eq!(
            got,
            vec![Found {
                path: "instance_types".into(),
                value: &why
            }]
        );

        let leaf = obj(&[("instance_type", why.clone())]);
        let got = instance_types("aws_instance", &leaf).unwrap_or_default();
        assert_eq!(
            got,
            vec![Found {
                path: "instance_type".into(),
                value: &why
            }]
        );

        let block = obj(&[("default_node_pool", why.clone())]);
        assert_eq!(
            found("azurerm_kubernetes_cluster", &block),
            pairs(&[("default_node_pool", "(known after apply)")])
        );

        let item = obj(&[(
            "node_pool",
            Value::List(vec![
                obj(&[(
                    "node_config",
                    Value::List(vec![obj(&[("machine_type", s("e2-standard-4"))])]),
                )]),
                why.clone(),
            ]),
        )]);
        assert_eq!(
            found("google_container_cluster", &item),
            pairs(&[
                (
                    "node_pool[0].node_config[0].machine_type",
                    "\"e2-standard-4\""
                ),
                ("node_pool[1]", "(known after apply)"),
            ])
        );

        let got = instance_types("aws_instance", &why).unwrap_or_default();
        assert_eq!(
            got,
            vec![Found {
                path: "instance_type".into(),
                value: &why
            }]
        );
    }

    #[test]
    fn every_path_of_a_type_is_visited_in_table_order() {
        let cfg = obj(&[
            ("instance_type", s("r6g.large.search")),
            ("dedicated_master_type", s("m6g.large.search")),
            ("warm_type", Value::Null),
        ]);
        let attrs = obj(&[("cluster_config", Value::List(vec![cfg]))]);
        assert_eq!(
            found("aws_opensearch_domain", &attrs),
            pairs(&[
                ("cluster_config[0].instance_type", "\"r6g.large.search\""),
                (
                    "cluster_config[0].dedicated_master_type",
                    "\"m6g.large.search\""
                ),
            ])
        );

        let group = |t: &str| Value::List(vec![obj(&[("instance_type", s(t))])]);
        let emr = obj(&[
            ("core_instance_group", group("m5.2xlarge")),
            ("master_instance_group", group("m5.xlarge")),
        ]);
        assert_eq!(
            found("aws_emr_cluster", &emr),
            pairs(&[
                ("master_instance_group[0].instance_type", "\"m5.xlarge\""),
                ("core_instance_group[0].instance_type", "\"m5.2xlarge\""),
            ])
        );

        let gke = obj(&[
            (
                "node_config",
                Value::List(vec![obj(&[("machine_type", s("e2-medium"))])]),
            ),
            (
                "node_pool",
                Value::List(vec![obj(&[(
                    "node_config",
                    Value::List(vec![obj(&[("machine_type", s("n2-highmem-4"))])]),
                )])]),
            ),
        ]);
        assert_eq!(
            found("google_container_cluster", &gke),
            pairs(&[
                ("node_config[0].machine_type", "\"e2-medium\""),
                (
                    "node_pool[0].node_config[0].machine_type",
                    "\"n2-highmem-4\""
                ),
            ])
        );
    }

    #[test]
    fn odd_shapes_do_not_panic_and_are_reported_honestly() {
        // A block written as a single object still reaches its attribute.
        let single = obj(&[(
            "default_node_pool",
            obj(&[("vm_size", s("Standard_D2s_v5"))]),
        )]);
        assert_eq!(
            found("azurerm_kubernetes_cluster", &single),
            pairs(&[("default_node_pool.vm_size", "\"Standard_D2s_v5\"")])
        );
        // A string where a list is expected is still the value to check.
        let scalar = obj(&[("instance_types", s("t3.large"))]);
        assert_eq!(
            found("aws_eks_node_group", &scalar),
            pairs(&[("instance_types", "\"t3.large\"")])
        );
        // A number is returned as is (the caller decides what a non-string means).
        let number = obj(&[("instance_type", Value::Number(3.0))]);
        assert_eq!(
            found("aws_instance", &number),
            pairs(&[("instance_type", "3")])
        );
        // Scalars where blocks are expected are skipped.
        let wrong = obj(&[("node_config", Value::List(vec![s("e2"), Value::Bool(true)]))]);
        assert_eq!(found("google_container_node_pool", &wrong), pairs(&[]));
        assert_eq!(found("google_container_node_pool", &s("x")), pairs(&[]));
    }
}
