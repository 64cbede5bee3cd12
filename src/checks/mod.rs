//! What is wrong with a blueprint that parsed: references, regions, model ids, availability, and
//! the pilot-readiness mistakes (preview models, production accounts, budgets, alert lists,
//! long-lived credentials, residency, invoke scope, the audit trail, SCP lock-out, Codex's model,
//! the guardrails' privileged role and inference profiles), and the Terraform state backend.
//!
//! Each submodule owns one family of checks and reports through [`Diagnostic`]s that carry a stable
//! code from [`crate::codes`]. Checks never stop early: a user fixing a blueprint wants every
//! problem in one run. Only a blueprint with no errors is resolved (`crate::resolve`), which
//! refuses what these checks should have, so the planner relies on no check having run.

mod audit;
mod backend;
pub(crate) mod budgets;
mod codex;
mod guardrails;
pub(crate) mod iam;
pub(crate) mod identity;
mod lockout;
mod models;
mod names;
mod network;
mod placement;
mod preview;
mod principals;
mod production;
mod quotas;
pub(crate) mod references;
mod regions;
mod residency;
mod text;

use std::collections::HashSet;

pub use text::breaks_a_line;

use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;

/// Runs every check.
pub fn check(blueprint: &Blueprint, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    references::check(blueprint, &mut out);
    names::check(blueprint, &mut out);
    placement::check(blueprint, &mut out);
    principals::check(blueprint, &mut out);
    text::check(blueprint, &mut out);
    quotas::check(blueprint, &mut out);
    regions::check(blueprint, catalog, &mut out);
    models::check(blueprint, catalog, &mut out);
    network::check(blueprint, catalog, &mut out);
    // Pilot readiness: the mistakes the troubleshooting guide lists, caught before deploy.
    preview::check(blueprint, catalog, &mut out);
    production::check(blueprint, &mut out);
    budgets::check(blueprint, &mut out);
    iam::check(blueprint, catalog, &mut out);
    residency::check(blueprint, catalog, &mut out);
    audit::check(blueprint, &mut out);
    lockout::check(blueprint, &mut out);
    codex::check(blueprint, catalog, &mut out);
    guardrails::check(blueprint, catalog, &mut out);
    backend::check(blueprint, catalog, &mut out);
    // Identity Center's quotas are counted on resolved names. Those that need a built
    // document (the SCPs' limits, the inline policies' size) are measured where the documents
    // are built, by `resolve`.
    if !crate::diagnostics::has_errors(&out) {
        identity::check(blueprint, &mut out);
    }
    out
}

/// The names something may refer to: a set for lookups (checks stay linear in the blueprint's
/// size), and the list in blueprint order for suggestions.
pub(crate) struct Choices {
    pub list: Vec<String>,
    set: HashSet<String>,
}

impl Choices {
    fn contains(&self, name: &str) -> bool {
        self.set.contains(name)
    }
}

fn choices<'a>(names: impl Iterator<Item = &'a str>) -> Choices {
    let list: Vec<String> = names.map(str::to_owned).collect();
    Choices {
        set: list.iter().cloned().collect(),
        list,
    }
}

/// "did you mean `x`?" or the list of valid names.
fn help_for(name: &str, valid: &[String], what: &str) -> String {
    match crate::blueprint::load::suggest(name, valid) {
        Some(s) => format!("did you mean `{s}`?"),
        None if valid.is_empty() => format!("declare the {what} first"),
        None if valid.len() <= 12 => format!("valid {what} names: {}", valid.join(", ")),
        None => format!("{} {what} names are valid; see the blueprint", valid.len()),
    }
}
