//! The one integration test binary: runs the real `stackgate` binary and the library on fixture
//! repositories under `tests/fixtures/` and on repositories built by the tests themselves.

mod broken_files;
mod cli;
mod cost;
mod coverage;
mod discovery;
mod fake_github;
mod fuzz;
mod git_snapshot;
mod monorepo;
mod policies;
mod pr;
mod pricing_sync;
mod scoped_base;
mod site_browser;
mod snapshots;
mod support;
mod terraform;
