//! The one integration test binary: runs the real `stackgate` binary and the library on fixture
//! repositories under `tests/fixtures/` and on repositories built by the tests themselves.

mod broken_files;
mod cli;
mod coverage;
mod discovery;
mod fuzz;
mod monorepo;
mod policies;
mod snapshots;
mod support;
mod terraform;
