//! Which estimator prices which resource type. Each family file exposes the same two things:
//! `TYPES`, the resource types it prices, and `estimate`, which turns one resource into cost
//! components (and subresources, such as an instance's volumes).

use super::{Component, Cx};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a family makes of one resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Estimate {
    pub components: Vec<Component>,
    /// Named parts billed on their own (`root_block_device`, `ebs_block_device[0]`).
    pub subresources: Vec<(String, Vec<Component>)>,
}

impl Estimate {
    pub fn of(components: Vec<Component>) -> Estimate {
        Estimate {
            components,
            subresources: Vec::new(),
        }
    }
}

pub type Estimator = fn(&Cx) -> Estimate;

/// Every family: its types and its estimator.
pub const FAMILIES: &[(&[&str], Estimator)] = &[
    (
        super::aws_cloudwatch::TYPES,
        super::aws_cloudwatch::estimate,
    ),
    (super::aws_ebs::TYPES, super::aws_ebs::estimate),
    (super::aws_ec2::TYPES, super::aws_ec2::estimate),
    (super::aws_eks::TYPES, super::aws_eks::estimate),
    (
        super::aws_elasticache::TYPES,
        super::aws_elasticache::estimate,
    ),
    (super::aws_elb::TYPES, super::aws_elb::estimate),
    (super::aws_kms::TYPES, super::aws_kms::estimate),
    (super::aws_lambda::TYPES, super::aws_lambda::estimate),
    (super::aws_nat::TYPES, super::aws_nat::estimate),
    (super::aws_rds::TYPES, super::aws_rds::estimate),
    (super::aws_route53::TYPES, super::aws_route53::estimate),
    (super::aws_s3::TYPES, super::aws_s3::estimate),
    (super::aws_secrets::TYPES, super::aws_secrets::estimate),
    (super::aws_vpc::TYPES, super::aws_vpc::estimate),
    (super::azure_aks::TYPES, super::azure_aks::estimate),
    (super::azure_disk::TYPES, super::azure_disk::estimate),
    (super::azure_lb::TYPES, super::azure_lb::estimate),
    (super::azure_network::TYPES, super::azure_network::estimate),
    (super::azure_vm::TYPES, super::azure_vm::estimate),
    (
        super::google_compute::TYPES,
        super::google_compute::estimate,
    ),
    (super::google_disk::TYPES, super::google_disk::estimate),
    (super::google_gke::TYPES, super::google_gke::estimate),
];

/// The estimator for a resource type, if stackgate prices it.
pub fn estimator(resource_type: &str) -> Option<Estimator> {
    static BY_TYPE: OnceLock<HashMap<&'static str, Estimator>> = OnceLock::new();
    BY_TYPE
        .get_or_init(|| {
            FAMILIES
                .iter()
                .flat_map(|(types, f)| types.iter().map(move |t| (*t, *f)))
                .collect()
        })
        .get(resource_type)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_type_is_priced_twice_or_listed_free() {
        let mut seen = std::collections::BTreeSet::new();
        for (types, _) in FAMILIES {
            for t in *types {
                assert!(seen.insert(*t), "{t} is in two families");
                assert!(!super::super::free::is_free(t), "{t} is priced and free");
            }
        }
    }
}
