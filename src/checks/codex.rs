//! The model the rollout kit writes into Codex's configuration: a Mantle id, approved, and one
//! OpenAI supports for Codex on Bedrock.

use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::resolve::identity::Access;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let pointer = "/rollout/codex_model";
    if let Some(id) = &bp.rollout.codex_model {
        if let Some(runtime) = catalog.runtime_model(id) {
            let help = match &runtime.mantle_twin {
                Some(twin) => {
                    format!("Codex's `amazon-bedrock` provider talks to Mantle: use `{twin}`")
                }
                None => String::from(
                    "Codex's `amazon-bedrock` provider talks to Mantle: use an approved Mantle id",
                ),
            };
            out.push(super::models::wrong_family(
                pointer,
                format!("`{id}` is a Bedrock Runtime model id, not a Mantle id"),
                "Codex would answer 'model not found'",
                help,
            ));
            return;
        }
        if !bp.bedrock.mantle_models.contains(id) {
            out.push(
                Diagnostic::error(
                    codes::CODEX_MODEL,
                    pointer,
                    format!("`{id}` is not an approved Mantle model"),
                )
                .with_label("not in `bedrock.mantle_models`")
                .with_help(if bp.bedrock.mantle_models.is_empty() {
                    String::from("approve it in `bedrock.mantle_models` first")
                } else {
                    format!(
                        "approved Mantle models: {}",
                        bp.bedrock.mantle_models.join(", ")
                    )
                }),
            );
            return;
        }
    }
    // An explicit `codex_model` is a recorded decision; only the default is questioned.
    if bp.rollout.codex_model.is_some() {
        return;
    }
    let uses_codex = bp
        .identity_center
        .permission_sets
        .iter()
        .any(|p| Access::of(p.bedrock_access).mantle);
    let Some(model) = crate::resolve::codex::model(bp, catalog) else {
        return;
    };
    if !uses_codex || catalog.mantle_model(model).is_none_or(|m| m.codex) {
        return;
    }
    let supported: Vec<&str> = catalog
        .mantle_models
        .iter()
        .filter(|m| m.codex)
        .map(|m| m.id.as_str())
        .collect();
    out.push(
        Diagnostic::warning(
            codes::CODEX_MODEL,
            "/bedrock/mantle_models",
            format!(
                "Codex would be configured with `{model}`, which OpenAI does not list as \
                supported on Bedrock"
            ),
        )
        .with_label("no approved model is listed for Codex")
        .with_help(format!(
            "OpenAI lists {} for Codex on Bedrock: approve one of them, or set \
                `rollout.codex_model: {model}` once the client's Codex version is confirmed to \
                    work with it",
            supported.join(" and ")
        )),
    );
}
