//! tarmac's integration tests, as one test binary (one link instead of one per file).
//! Snapshots live in `tests/snapshots/`; review changes with `cargo insta review`.

mod bad_blueprints;
mod cli;
mod common;
mod guardrails;
mod limits;
mod readiness;
mod rollout;
mod schema;
mod shapes;
mod snapshots;
mod traps;
