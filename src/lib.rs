//! stackgate: policy, cost and catalog engine for GitOps platform repositories.
//!
//! The pipeline: settings → discover → parse and validate (in parallel) → findings → report.
//! Every stage returns data plus findings; nothing here exits or panics on user input.

pub mod affected;
pub mod catalog;
pub mod check;
pub mod codes;
pub mod compare;
pub mod config;
pub mod cost;
pub mod discover;
pub mod facts;
pub mod finding;
pub mod git;
pub mod github;
pub mod inspect;
pub mod knowledge;
pub mod ownership;
pub mod policy;
pub mod pr;
pub mod pricing;
pub mod project;
pub mod report;
pub mod schema;
pub mod score;
pub mod site;
pub mod snapshot;
pub mod source;
pub mod stacks;
pub mod terraform;
pub mod yaml;
