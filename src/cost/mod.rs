//! Monthly cost estimates: each evaluated resource becomes named cost components (what is
//! billed, how much a month, at what list price), one file per resource family, priced from
//! the price book with the user's overrides and usage. Rendering lives in `report/`.

pub mod attrs;
pub mod component;
pub mod context;
pub mod diff;
pub mod estimate;
pub mod families;
pub mod free;
pub mod inputs;
pub mod money;
#[cfg(test)]
pub mod test_support;
pub mod usage;

pub mod aws_cloudwatch;
pub mod aws_ebs;
pub mod aws_ec2;
pub mod aws_eks;
pub mod aws_elasticache;
pub mod aws_elb;
pub mod aws_kms;
pub mod aws_lambda;
pub mod aws_nat;
pub mod aws_rds;
pub mod aws_route53;
pub mod aws_s3;
pub mod aws_secrets;
pub mod aws_vpc;
pub mod azure_aks;
pub mod azure_disk;
pub mod azure_lb;
pub mod azure_network;
pub mod azure_vm;
pub mod google_compute;
pub mod google_disk;
pub mod google_gke;

pub use component::{Component, Note};
pub use context::Cx;

/// Hours in a month, as every cloud bill and Infracost count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

use crate::codes::CodeInfo;
use crate::finding::Level;

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "cost-unknown",
        level: Level::Warn,
        summary: "a value that decides a resource's price is unknown",
        explanation: "The instance type, volume size or another value that sets the price of a \
resource is only known after apply (a computed attribute, a variable without a value). The cost \
component is shown as unknown and left out of the totals, never counted as zero. Give the \
variable a value (a default, a tfvars file, the stack instance) to price it.",
    },
    CodeInfo {
        code: "price-not-found",
        level: Level::Info,
        summary: "the price book has no price for a resource's product in its region",
        explanation: "The resource is supported, but the price book holds no list price for what it \
uses in its region (an instance type the snapshot does not list, a region it does not cover). The \
component is left out of the totals. `stackgate pricing sync` refreshes prices from the public \
price lists; a custom price in `pricing.overrides` fills the gap.",
    },
    CodeInfo {
        code: "usage-invalid",
        level: Level::Warn,
        summary: "the usage file cannot be read as Infracost usage",
        explanation: "The usage file (`usage_file` in stackgate.yaml, `--usage-file`) is Infracost's \
format: `resource_type_default_usage` (usage per resource type) and `resource_usage` (per \
address, `[*]` for any index), each a mapping of usage keys to numbers. The entries that can be \
read still apply.",
    },
    CodeInfo {
        code: "pricing-invalid",
        level: Level::Warn,
        summary: "the price overrides file has a mistake",
        explanation: "`pricing.overrides` in stackgate.yaml names a file of `discounts` (`cloud`, \
optional `service`, `percent`, `reason`) and custom `prices` (`cloud`, `service`, `product`, \
optional `region`, `price` in USD per unit, `reason`). A custom price beats a discount, a \
service's discount beats a cloud's, and discounts do not stack. Entries with mistakes are left \
out; the rest apply.",
    },
];
