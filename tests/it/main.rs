//! tarmac's integration tests, as one test binary (one link instead of one per file).
//! Snapshots live in `tests/snapshots/`; review changes with `cargo insta review`.

mod backend;
mod bad_blueprints;
mod brownfield;
mod checkov;
mod cli;
mod common;
mod composition;
mod dependencies;
mod deploy_order;
mod guardrails;
mod html;
mod identity_region;
mod init;
mod injection;
mod kit_checks;
mod limits;
mod many_clients;
mod new_vpc;
mod output_folder;
mod pointers;
mod privileged_role;
mod quotas;
mod readiness;
mod readme;
mod residency;
mod robustness;
mod rollout;
mod schema;
mod shapes;
mod snapshots;
mod tidy;
mod traps;
