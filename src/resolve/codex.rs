//! The Mantle model the rollout kit configures for Codex CLI: `rollout.codex_model`, else the
//! first approved Mantle model that Codex supports, else the first approved Mantle model. The
//! kit writes it and the Codex check questions it, so the choice is made here only.

use crate::blueprint::Blueprint;
use crate::catalog::Catalog;

pub fn model<'a>(bp: &'a Blueprint, catalog: &Catalog) -> Option<&'a str> {
    if let Some(id) = &bp.rollout.codex_model {
        return Some(id);
    }
    let approved = &bp.bedrock.mantle_models;
    approved
        .iter()
        .find(|id| catalog.mantle_model(id).is_some_and(|m| m.codex))
        .or_else(|| approved.first())
        .map(String::as_str)
}
