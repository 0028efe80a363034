//! ElastiCache: cache nodes by the hour, for clusters and replication groups.

use super::aws_ec2::{number_at, text_at};
use super::families::Estimate;
use super::{Component, Cx};

pub const TYPES: &[&str] = &[
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
];

pub fn estimate(cx: &Cx) -> Estimate {
    let r = cx.resource;
    match r.r#type.as_str() {
        "aws_elasticache_cluster" => {
            // A member of a replication group is billed with the group.
            if matches!(text_at(r, &["replication_group_id"]), Ok(Some(_)) | Err(_)) {
                return Estimate::default();
            }
            Estimate::of(vec![nodes(cx, text_at(r, &["engine"]), cluster_nodes(cx))])
        }
        "aws_elasticache_replication_group" => Estimate::of(vec![nodes(
            cx,
            text_at(r, &["engine"]).map(|e| e.or(Some("redis"))),
            group_nodes(cx),
        )]),
        _ => Estimate::default(),
    }
}

fn nodes(cx: &Cx, engine: Result<Option<&str>, String>, count: Result<f64, String>) -> Component {
    const UNKNOWN: &str = "ElastiCache (on-demand)";
    let node_type = match text_at(cx.resource, &["node_type"]) {
        Ok(Some(t)) => t,
        Ok(None) => return cx.unknown(UNKNOWN, "hours", "`node_type` is not set"),
        Err(why) => return cx.unknown(UNKNOWN, "hours", why),
    };
    let engine = match engine {
        Ok(Some(e)) => e.to_ascii_lowercase(),
        Ok(None) => return cx.unknown(UNKNOWN, "hours", "`engine` is not set"),
        Err(why) => return cx.unknown(UNKNOWN, "hours", why),
    };
    match count {
        Ok(n) => cx.hours(
            format!("ElastiCache (on-demand, {node_type})"),
            n,
            "AmazonElastiCache",
            &format!("node/{engine}/{node_type}"),
        ),
        Err(why) => cx.unknown(
            format!("ElastiCache (on-demand, {node_type})"),
            "hours",
            why,
        ),
    }
}

/// `num_cache_nodes`, 1 when not set (Redis and Valkey clusters have a single node).
fn cluster_nodes(cx: &Cx) -> Result<f64, String> {
    Ok(number_at(cx.resource, &["num_cache_nodes"])?.unwrap_or(1.0))
}

/// Cluster mode: shards × (replicas + 1); otherwise `num_cache_clusters` (default 1). The
/// deprecated spellings of both still count.
fn group_nodes(cx: &Cx) -> Result<f64, String> {
    let r = cx.resource;
    let shards = match number_at(r, &["num_node_groups"])? {
        Some(n) => Some(n),
        None => number_at(r, &["cluster_mode", "0", "num_node_groups"])?,
    };
    if let Some(shards) = shards.filter(|n| *n > 0.0) {
        let replicas = match number_at(r, &["replicas_per_node_group"])? {
            Some(n) => n,
            None => number_at(r, &["cluster_mode", "0", "replicas_per_node_group"])?.unwrap_or(0.0),
        };
        return Ok(shards * (replicas + 1.0));
    }
    match number_at(r, &["num_cache_clusters"])? {
        Some(n) => Ok(n),
        None => Ok(number_at(r, &["number_cache_clusters"])?.unwrap_or(1.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Note;
    use crate::cost::test_support::{book, costs, resource, run};
    use crate::pricing::{Cloud, PriceBook};
    use serde_json::json;

    /// us-east-1 list prices (Infracost's elasticache golden file: cache.m4.large $0.156 an
    /// hour, 1,460 h = $227.76; cache.m6g.12xlarge $3.557, 730 h = $2,596.61).
    fn prices() -> PriceBook {
        book(
            "@cloud aws
@regions us-east-1
AmazonElastiCache node/redis/cache.m4.large hour 0.156
AmazonElastiCache node/memcached/cache.m4.large hour 0.156
AmazonElastiCache node/redis/cache.m6g.12xlarge hour 3.557
",
        )
    }

    fn c(name: &str, cost: f64) -> (String, Option<f64>) {
        (name.to_string(), Some(cost))
    }

    fn ec(t: &str, attrs: serde_json::Value) -> Estimate {
        run(
            estimate,
            Cloud::Aws,
            &resource(t, "us-east-1", attrs),
            &prices(),
            "",
        )
    }

    #[test]
    fn clusters() {
        // 2 × 730 × $0.156 = $227.76
        assert_eq!(
            costs(&ec(
                "aws_elasticache_cluster",
                json!({"engine": "memcached", "node_type": "cache.m4.large", "num_cache_nodes": 2})
            )),
            vec![c("ElastiCache (on-demand, cache.m4.large)", 227.76)]
        );
        // 730 × $3.557 = $2,596.61
        assert_eq!(
            costs(&ec(
                "aws_elasticache_cluster",
                json!({"engine": "redis", "node_type": "cache.m6g.12xlarge"})
            )),
            vec![c("ElastiCache (on-demand, cache.m6g.12xlarge)", 2596.61)]
        );
        // Members of a replication group are priced with the group.
        assert!(
            ec(
                "aws_elasticache_cluster",
                json!({"replication_group_id": "(unknown) computed"})
            )
            .components
            .is_empty()
        );
    }

    #[test]
    fn replication_groups() {
        // Cluster mode: 4 shards × (3 replicas + 1) = 16 nodes × 730 × $0.156 = $1,822.08
        assert_eq!(
            costs(&ec(
                "aws_elasticache_replication_group",
                json!({"node_type": "cache.m4.large", "num_node_groups": 4, "replicas_per_node_group": 3})
            )),
            vec![c("ElastiCache (on-demand, cache.m4.large)", 1822.08)]
        );
        // Redis by default, 3 cache clusters: 3 × 730 × $0.156 = $341.64
        assert_eq!(
            costs(&ec(
                "aws_elasticache_replication_group",
                json!({"node_type": "cache.m4.large", "num_cache_clusters": 3})
            )),
            vec![c("ElastiCache (on-demand, cache.m4.large)", 341.64)]
        );
        // Deprecated cluster_mode block: 2 × (1 + 1) = 4 nodes × 730 × $0.156 = $455.52
        assert_eq!(
            costs(&ec(
                "aws_elasticache_replication_group",
                json!({"node_type": "cache.m4.large", "cluster_mode": [{"num_node_groups": 2, "replicas_per_node_group": 1}]})
            )),
            vec![c("ElastiCache (on-demand, cache.m4.large)", 455.52)]
        );
    }

    #[test]
    fn unknowns() {
        let e = ec(
            "aws_elasticache_cluster",
            json!({"engine": "redis", "node_type": "(unknown) var.node_type"}),
        );
        assert!(matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`node_type`")));
        let e = ec(
            "aws_elasticache_replication_group",
            json!({"node_type": "cache.m4.large", "num_cache_clusters": "(unknown) var.n"}),
        );
        assert!(
            matches!(&e.components[0].note, Note::Unknown(why) if why.contains("`num_cache_clusters`"))
        );
        let e = ec(
            "aws_elasticache_cluster",
            json!({"node_type": "cache.m4.large"}),
        );
        assert_eq!(
            e.components[0].note,
            Note::Unknown("`engine` is not set".into())
        );
    }
}
