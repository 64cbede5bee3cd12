//! tarmac's integration tests, as one test binary (one link instead of one per file).
//! Snapshots live in `tests/snapshots/`; review changes with `cargo insta review`.

mod backend;
mod bad_blueprints;
mod checkov;
mod cli;
mod common;
mod dependencies;
mod deploy_order;
mod guardrails;
mod injection;
mod kit_checks;
mod limits;
mod new_vpc;
mod output_folder;
mod privileged_role;
mod quotas;
mod readiness;
mod residency;
mod robustness;
mod rollout;
mod schema;
mod shapes;
mod snapshots;
mod traps;
