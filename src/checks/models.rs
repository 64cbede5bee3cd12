//! Approved models: known ids, of the right family, served in the approved regions.

use super::help_for;
use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::{Diagnostic, Severity};

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let runtime_ids: Vec<String> = catalog
        .runtime_models
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let mantle_ids: Vec<String> = catalog
        .mantle_models
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    // Unknown regions are reported on their own (TM010), not again for every model. With an
    // approved cross-border inference, the residency's own Regions serving a model is not
    // expected (that is why the approval exists; the residency check reports a model served in
    // none), so availability is checked in the Regions the approval names.
    let known: Vec<String> = match (&bp.bedrock.cross_border_inference, bp.data_residency) {
        (Some(cross), Some(_)) => cross.regions.clone(),
        _ => bp.bedrock.regions.clone(),
    }
    .into_iter()
    .filter(|r| catalog.is_region(r))
    .collect();

    for (i, id) in bp.bedrock.runtime_models.iter().enumerate() {
        let pointer = Ptr::item("bedrock", "runtime_models", i).to_string();
        if let Some(model) = catalog.runtime_model(id) {
            availability(out, &pointer, id, &model.regions, &known);
        } else if let Some(mantle) = catalog.mantle_model(id) {
            let fix = match &mantle.runtime_twin {
                Some(twin) => format!(
                    "on Bedrock Runtime this model is `{twin}`; or move `{id}` \
                    to `bedrock.mantle_models`"
                ),
                None => {
                    format!("`{id}` is served only by Mantle: move it to `bedrock.mantle_models`")
                }
            };
            out.push(wrong_family(
                pointer,
                format!("`{id}` is a Mantle model id, not a Bedrock Runtime id"),
                "Runtime ids carry a version suffix such as `-1:0`",
                fix,
            ));
        } else {
            unknown(out, pointer, id, &runtime_ids, "Bedrock Runtime");
        }
    }
    for (i, id) in bp.bedrock.mantle_models.iter().enumerate() {
        let pointer = Ptr::item("bedrock", "mantle_models", i).to_string();
        if let Some(model) = catalog.mantle_model(id) {
            availability(out, &pointer, id, &model.regions, &known);
        } else if let Some(runtime) = catalog.runtime_model(id) {
            let fix = match &runtime.mantle_twin {
                Some(twin) => format!(
                    "on Mantle this model is `{twin}`; or move `{id}` to `bedrock.runtime_models`"
                ),
                None => format!(
                    "`{id}` is served only by Bedrock Runtime: move it to `bedrock.runtime_models`"
                ),
            };
            out.push(wrong_family(
                pointer,
                format!("`{id}` is a Bedrock Runtime model id, not a Mantle id"),
                "Mantle ids have no version suffix",
                fix,
            ));
        } else {
            unknown(out, pointer, id, &mantle_ids, "Mantle");
        }
    }
}

/// TM012: an id of one family (Runtime, Mantle) where the other belongs: in the approved
/// models, and in the model the rollout kit gives Codex (`checks/codex.rs`).
pub(super) fn wrong_family(
    pointer: impl Into<String>,
    message: String,
    label: &str,
    help: String,
) -> Diagnostic {
    Diagnostic::error(codes::MODEL_ID_FAMILY, pointer, message)
        .with_label(label)
        .with_help(help)
}

fn unknown(out: &mut Vec<Diagnostic>, pointer: String, id: &str, valid: &[String], family: &str) {
    out.push(
        Diagnostic::error(
            codes::UNKNOWN_MODEL,
            pointer,
            format!("unknown {family} model `{id}`"),
        )
        .with_label("not in tarmac's model catalog")
        .with_help(help_for(id, valid, &format!("{family} model"))),
    );
}

/// An error when the model is served in none of the approved regions, a warning when it is
/// missing from some (the plan then grants it only where it is served).
fn availability(
    out: &mut Vec<Diagnostic>,
    pointer: &str,
    id: &str,
    served: &[String],
    approved: &[String],
) {
    let missing: Vec<&str> = approved
        .iter()
        .filter(|r| !served.contains(r))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return;
    }
    let none = missing.len() == approved.len();
    let mut d = Diagnostic::error(
        codes::MODEL_NOT_IN_REGION,
        pointer,
        format!("`{id}` is not served in {}", missing.join(", ")),
    )
    .with_label(if none {
        "served in none of the approved regions"
    } else {
        "not available in every approved region"
    })
    .with_help(format!("it is served in: {}", served.join(", ")));
    if !none {
        d.severity = Severity::Warning;
    }
    out.push(d);
}
