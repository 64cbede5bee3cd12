//! AWS limits that would otherwise surface only at deploy time: SCP size and SCPs per target.

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::plan::guardrails::{scps, LimitError};

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    match scps(bp, catalog) {
        Ok(_) => {}
        Err(LimitError::StatementTooLarge {
            sid,
            characters,
            limit,
        }) => out.push(
            Diagnostic::error(
                codes::SCP_TOO_LARGE,
                "/guardrails/limits/max_characters",
                format!(
                    "SCP statement `{sid}` is {characters} characters, over the limit of {limit}"
                ),
            )
            .at_key()
            .with_label("the limit in force for this organization")
            .with_help(
                "a single statement cannot be split: approve fewer regions or models, \
                    or raise the limit if the organization has the May 2026 quota (10,240)",
            ),
        ),
        Err(LimitError::TooManyOnTarget {
            target,
            needed,
            limit,
        }) => {
            let pointer = match bp.guardrails.targets.iter().position(|t| *t == target) {
                Some(i) => Ptr::item("guardrails", "targets", i).to_string(),
                None => bp
                    .accounts
                    .iter()
                    .position(|a| a.ou == target)
                    .map_or(String::from("/guardrails"), |i| {
                        Ptr::account(i).field("ou").to_string()
                    }),
            };
            out.push(
                Diagnostic::error(
                    codes::TOO_MANY_SCPS,
                    pointer,
                    format!(
                        "`{target}` would carry \
                    {needed} SCPs, over the limit of {limit} per target"
                    ),
                )
                .with_label("SCPs attach here")
                .with_help(
                    "tarmac already packs its guardrails into as few SCPs as the size \
                        limit allows; the count includes FullAWSAccess and \
                            `guardrails.external_scps`: detach one, or disable a guardrail",
                ),
            );
        }
    }
}
