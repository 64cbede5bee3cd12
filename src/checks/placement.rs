//! Where accounts are when the controls arrive. The SCPs attach to OUs and each StackSet
//! instance targets the intersection of an OU and one account, so a pilot account that is not
//! in its OU at deploy time gets none of them, and the deployment still succeeds. An existing
//! account must therefore say where it is now when it has to move (tarmac moves it), and a
//! control whose targets hold no pilot account is refused rather than written.

use std::collections::{HashMap, HashSet};

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    accounts(bp, out);
    targets(bp, out);
}

/// TM063: an existing account in an OU tarmac creates names its current parent, a new one does
/// not, and a current parent belongs to this organization.
fn accounts(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let ous: HashMap<&str, Option<&str>> = bp
        .organizational_units
        .iter()
        .map(|o| (o.name.as_str(), o.id.as_deref()))
        .collect();
    // `r-ab12` is the root; its OUs are `ou-ab12-…`.
    let root = bp.organization.root_id.strip_prefix("r-").unwrap_or("");
    for (i, a) in bp.accounts.iter().enumerate() {
        match (&a.id, &a.current_parent) {
            (None, Some(_)) => out.push(
                Diagnostic::error(
                    codes::ACCOUNT_PLACEMENT,
                    Ptr::account(i).field("current_parent").to_string(),
                    format!("new account `{}` has no current parent", a.name),
                )
                .with_label("only for an existing account")
                .with_help(
                    "remove `current_parent`: tarmac creates the account in its OU; or give \
                    the account's `id` if it exists",
                ),
            ),
            (Some(id), None) if matches!(ous.get(a.ou.as_str()), Some(None)) => out.push(
                Diagnostic::error(
                    codes::ACCOUNT_PLACEMENT,
                    Ptr::account(i).field("ou").to_string(),
                    format!(
                        "existing account `{}` ({id}) is not in OU `{}`, which tarmac creates, and \
                            would stay where it is",
                        a.name, a.ou
                    ),
                )
                .with_label("an OU tarmac creates")
                .with_help(format!(
                    "give `current_parent`, the id of the account's parent now (`aws organizations \
                        list-parents --child-id {id}`): tarmac then moves the account into the OU. \
                            The OU's SCPs and the StackSet that deploys the account's baseline (it \
                                targets the OU and the account together) reach the account only \
                                    there"
                )),
            ),
            (Some(_), Some(parent)) => {
                let of_root = match parent.split_once('-') {
                    Some(("r", _)) => parent == &bp.organization.root_id,
                    Some(("ou", rest)) => rest.split('-').next() == Some(root),
                    _ => false,
                };
                if !of_root {
                    out.push(
                        Diagnostic::error(
                            codes::ACCOUNT_PLACEMENT,
                            Ptr::account(i).field("current_parent").to_string(),
                            format!(
                                "`{parent}` is not in this organization, whose root is `{}`",
                                bp.organization.root_id
                            ),
                        )
                        .with_label("not this organization's root or one of its OUs")
                        .with_help(format!(
                            "give the root `{}` or an OU `ou-{root}-…`, as `aws organizations \
                                list-parents` prints it",
                            bp.organization.root_id
                        )),
                    );
                }
            }
            _ => {}
        }
    }
}

/// TM064: every OU an SCP attaches to holds a pilot account, directly or below it. SCPs apply
/// to the accounts of the OU's whole subtree; one on an OU without pilot accounts would
/// enforce nothing the readiness report says it enforces (or reach accounts outside the pilot).
fn targets(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let accounts: HashSet<&str> = bp.accounts.iter().map(|a| a.name.as_str()).collect();
    let parents: HashMap<&str, Option<&str>> = bp
        .organizational_units
        .iter()
        .map(|o| (o.name.as_str(), o.parent.as_deref()))
        .collect();
    // Every OU holding a pilot account, with its ancestors (cycles are TM022's).
    let mut held: HashSet<&str> = HashSet::new();
    for a in &bp.accounts {
        let mut at = Some(a.ou.as_str());
        while let Some(ou) = at {
            if !held.insert(ou) {
                break;
            }
            at = parents.get(ou).copied().flatten();
        }
    }
    for (i, t) in bp.guardrails.targets.iter().enumerate() {
        let t = t.as_str();
        if accounts.contains(t) || !parents.contains_key(t) || held.contains(t) {
            continue;
        }
        out.push(
            Diagnostic::error(
                codes::CONTROL_WITHOUT_ACCOUNT,
                Ptr::item("guardrails", "targets", i).to_string(),
                format!("the SCPs would attach to OU `{t}`, which holds no pilot account"),
            )
            .with_label("no account of the blueprint is in this OU or below it")
            .with_help(
                "target the OUs of the pilot's accounts (or leave `guardrails.targets` out: the \
                    SCPs then attach to exactly those), or place a pilot account in this OU",
            ),
        );
    }
}
