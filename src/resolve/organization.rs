//! The organization resolved: each OU's parent and each account's OU as references, the order
//! created OUs are made in (parents first), where an existing account moves from, and each
//! account's effective budgets (its own amounts, else the blueprint's defaults).

use std::collections::HashMap;

use crate::blueprint::pointer::Ptr;
use crate::blueprint::{self, Blueprint};
use crate::checks::references::{ou_cycle, unknown_reference};
use crate::diagnostics::Diagnostic;

/// An organizational unit tarmac creates, with its parent resolved.
pub struct Ou<'a> {
    pub ou: &'a blueprint::OrganizationalUnit,
    /// The parent OU; the root when `None`.
    pub parent: Option<&'a blueprint::OrganizationalUnit>,
}

/// A member account with its OU resolved and its defaults applied.
pub struct Account<'a> {
    pub account: &'a blueprint::Account,
    pub ou: &'a blueprint::OrganizationalUnit,
    /// Where an existing account must be moved from to reach its OU, when it must: it names a
    /// `current_parent` that is not its OU's id (an OU tarmac creates has no id yet, so any
    /// current parent differs). Checks (TM063) make every existing account of a created OU
    /// name one, so an account without it is created, or already in its OU.
    pub moves_from: Option<String>,
    /// The region of its own unit.
    pub primary_region: &'a str,
    pub budgets: Budgets,
}

/// An account's monthly budgets in USD, as deployed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budgets {
    pub account_usd: f64,
    pub bedrock_usd: f64,
}

pub struct Organization<'a> {
    /// The OUs tarmac creates, parents before children whatever the blueprint order.
    pub created_ous: Vec<Ou<'a>>,
    pub accounts: Vec<Account<'a>>,
    /// Accounts by name: assignments may list thousands of them.
    account_index: HashMap<&'a str, usize>,
}

impl<'a> Organization<'a> {
    /// The position in [`Organization::accounts`] of the account of this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.account_index.get(name).copied()
    }

    /// The account of this name, if the blueprint declares it.
    pub fn account(&self, name: &str) -> Option<&Account<'a>> {
        self.accounts.get(self.index_of(name)?)
    }
}

pub(super) fn resolve<'a>(bp: &'a Blueprint, errors: &mut Vec<Diagnostic>) -> Organization<'a> {
    let ou_index: HashMap<&str, usize> = bp
        .organizational_units
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i))
        .collect();
    let ous = &bp.organizational_units;
    let parents: Vec<Option<usize>> = ous
        .iter()
        .enumerate()
        .map(|(i, ou)| {
            let parent = ou.parent.as_ref()?;
            let at = ou_index.get(parent.as_str()).copied();
            if at.is_none() {
                errors.push(unknown_reference(Ptr::ou(i).field("parent"), "OU", parent));
            }
            at
        })
        .collect();
    let created_ous = creation_order(ous, &parents, errors)
        .into_iter()
        .map(|i| Ou {
            ou: &ous[i],
            parent: parents[i].map(|p| &ous[p]),
        })
        .collect();
    let mut accounts = Vec::with_capacity(bp.accounts.len());
    for (i, account) in bp.accounts.iter().enumerate() {
        let Some(ou) = ou_index.get(account.ou.as_str()).map(|&o| &ous[o]) else {
            errors.push(unknown_reference(
                Ptr::account(i).field("ou"),
                "OU",
                &account.ou,
            ));
            continue;
        };
        let moves_from = account
            .id
            .as_ref()
            .and(account.current_parent.as_ref())
            .filter(|from| ou.id.as_ref() != Some(*from))
            .cloned();
        accounts.push(Account {
            account,
            ou,
            moves_from,
            primary_region: bp.primary_region(account),
            budgets: Budgets {
                account_usd: account
                    .monthly_budget_usd
                    .unwrap_or(bp.budgets.account_monthly_usd),
                bedrock_usd: account
                    .bedrock_budget_usd
                    .unwrap_or(bp.budgets.bedrock_monthly_usd),
            },
        });
    }
    let account_index = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.account.name.as_str(), i))
        .collect();
    Organization {
        created_ous,
        accounts,
        account_index,
    }
}

/// Created OUs in passes: each pass takes, in blueprint order, those whose parent is the root,
/// an existing OU or one taken already. What no pass takes is in a cycle.
fn creation_order(
    ous: &[blueprint::OrganizationalUnit],
    parents: &[Option<usize>],
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut known: Vec<bool> = ous.iter().map(|o| o.id.is_some()).collect();
    let mut pending: Vec<usize> = (0..ous.len()).filter(|&i| !known[i]).collect();
    let mut order = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|&i| {
            let ready = parents[i].is_none_or(|p| known[p]);
            if ready {
                known[i] = true;
                order.push(i);
            }
            !ready
        });
        if pending.len() == before {
            errors.extend(pending.iter().map(|&i| ou_cycle(i, &ous[i].name)));
            break;
        }
    }
    order
}
