//! The pilot must not reach production accounts: its SCPs, budgets and access are sized for
//! experiments.

use std::collections::BTreeSet;

use crate::blueprint::pointer::Ptr;
use crate::blueprint::{Blueprint, Environment};
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let mut production_ous = BTreeSet::new();
    for (i, a) in bp.accounts.iter().enumerate() {
        if a.environment == Environment::Production {
            out.push(
                Diagnostic::error(
                    codes::PRODUCTION_ACCOUNT,
                    Ptr::account(i).field("environment").to_string(),
                    format!("the pilot targets production account `{}`", a.name),
                )
                .with_label("a production account")
                .with_help(
                    "run the pilot in a dedicated pilot or sandbox account; its guardrails and \
budgets would otherwise apply to production workloads",
                ),
            );
        } else if says_production(&a.name) {
            out.push(
                Diagnostic::warning(
                    codes::PRODUCTION_ACCOUNT,
                    Ptr::account(i).field("name").to_string(),
                    format!("account `{}` is named like a production account", a.name),
                )
                .with_label("the name says production")
                .with_help(
                    "use a dedicated pilot or sandbox account; if this is not production, rename \
                        it so reviewers are not misled",
                ),
            );
        }
        if says_production(&a.ou) {
            production_ous.insert(a.ou.as_str());
        }
    }
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        if production_ous.contains(ou.name.as_str()) {
            out.push(
                Diagnostic::warning(
                    codes::PRODUCTION_ACCOUNT,
                    Ptr::ou(i).field("name").to_string(),
                    format!("pilot accounts are placed in OU `{}`", ou.name),
                )
                .with_label("the OU's name says production")
                .with_help(
                    "place pilot accounts in a sandbox or AI-platform OU: the pilot's SCPs attach \
to the OUs of its accounts",
                ),
            );
        }
    }
}

/// Whether a name contains the word prod, prd or production (split on `-`, `_`, `.`, spaces).
fn says_production(name: &str) -> bool {
    name.split(['-', '_', '.', ' ', '/']).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "prod" | "prd" | "production"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::says_production;

    #[test]
    fn production_words() {
        assert!(says_production("acme-prod"));
        assert!(says_production("Production"));
        assert!(says_production("Workloads PRD"));
        assert!(!says_production("acme-product-pilot"));
        assert!(!says_production("Sandbox"));
    }
}
