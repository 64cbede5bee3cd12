//! tarmac compiles a client's blueprint of an AWS landing zone for a Bedrock/OpenAI pilot into
//! CloudFormation JSON and Terraform JSON. See ARCHITECTURE.md for the map of the pipeline:
//! blueprint → checks → resolve → plan → emit → cli.

pub mod blueprint;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod codes;
pub mod compile;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod generate;
pub mod json;
pub mod naming;
pub mod parallel;
pub mod plan;
pub mod policy;
pub mod resolve;
pub mod rollout;
pub mod value;
