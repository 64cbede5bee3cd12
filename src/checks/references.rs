//! Names that must resolve (TM021), OUs whose parents loop (TM022), assignments with one
//! principal (TM023): one function per code, called in blueprint order. The names that must be
//! unique are walked here too, in the same order, and reported by `checks/names.rs` (TM020).

use std::collections::BTreeMap;

use super::{choices, help_for, names, Choices};
use crate::blueprint::pointer::Ptr;
use crate::blueprint::{Assignment, Blueprint};
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let ous = choices(bp.organizational_units.iter().map(|o| o.name.as_str()));
    let accounts = choices(bp.accounts.iter().map(|a| a.name.as_str()));
    let sets = choices(
        bp.identity_center
            .permission_sets
            .iter()
            .map(|p| p.name.as_str()),
    );

    let ou_names: Vec<(String, String)> = bp
        .organizational_units
        .iter()
        .enumerate()
        .map(|(i, o)| (Ptr::ou(i).field("name").to_string(), o.name.clone()))
        .collect();
    let account_names: Vec<(String, String)> = bp
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (Ptr::account(i).field("name").to_string(), a.name.clone()))
        .collect();
    let set_names: Vec<(String, String)> = bp
        .identity_center
        .permission_sets
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                Ptr::permission_set(i).field("name").to_string(),
                p.name.clone(),
            )
        })
        .collect();
    for (what, list) in [
        ("organizational unit", &ou_names),
        ("account", &account_names),
        ("permission set", &set_names),
    ] {
        names::unique(out, what, list.iter().cloned());
        names::collisions(out, what, list);
    }
    for (pointer, name) in &account_names {
        if name == "management" {
            out.push(names::reserved_account_name(pointer));
        }
    }
    // Subscribing one address twice means nothing (the local part's case aside, which no mail
    // system tarmac's users run distinguishes).
    let alert_emails: Vec<(String, String)> = bp
        .budgets
        .alert_emails
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                Ptr::item("budgets", "alert_emails", i).to_string(),
                e.to_ascii_lowercase(),
            )
        })
        .collect();
    names::unique(out, "alert email", alert_emails.into_iter());
    for (n, network) in bp.networks.iter().enumerate() {
        names::unique(
            out,
            "endpoint",
            network.endpoints.iter().enumerate().map(|(i, e)| {
                (
                    Ptr::network(n).field("endpoints").index(i).to_string(),
                    e.suffix().to_owned(),
                )
            }),
        );
    }
    names::unique(
        out,
        "account email",
        bp.accounts.iter().enumerate().map(|(i, a)| {
            (
                Ptr::account(i).field("email").to_string(),
                a.email.to_ascii_lowercase(),
            )
        }),
    );
    names::unique(
        out,
        "account id",
        bp.accounts.iter().enumerate().filter_map(|(i, a)| {
            a.id.clone()
                .map(|id| (Ptr::account(i).field("id").to_string(), id))
        }),
    );
    names::unique(
        out,
        "Mantle project",
        bp.bedrock.mantle_projects.iter().enumerate().map(|(i, p)| {
            (
                Ptr::mantle_project(i).field("name").to_string(),
                format!("{}/{}", p.account, p.name),
            )
        }),
    );
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        if let Some(parent) = &ou.parent {
            resolve(
                out,
                &Ptr::ou(i).field("parent").to_string(),
                parent,
                &ous,
                "organizational unit",
            );
        }
    }
    ou_cycles(bp, out);
    for (i, a) in bp.accounts.iter().enumerate() {
        resolve(
            out,
            &Ptr::account(i).field("ou").to_string(),
            &a.ou,
            &ous,
            "organizational unit",
        );
        if a.id.as_deref() == Some(bp.organization.management_account_id.as_str()) {
            out.push(names::management_account_as_member(format!(
                "/accounts/{i}/id"
            )));
        }
    }
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        let at = Ptr::assignment(i);
        resolve(
            out,
            at.clone().field("permission_set").as_str(),
            &a.permission_set,
            &sets,
            "permission set",
        );
        for (j, acct) in a.accounts.iter().enumerate() {
            resolve(
                out,
                at.clone().field("accounts").index(j).as_str(),
                acct,
                &accounts,
                "account",
            );
        }
        principal(out, a, at);
    }
    let targets = choices(ous.list.iter().chain(&accounts.list).map(String::as_str));
    for (i, t) in bp.guardrails.targets.iter().enumerate() {
        resolve(
            out,
            &Ptr::item("guardrails", "targets", i).to_string(),
            t,
            &targets,
            "OU or account",
        );
    }
    for (i, e) in bp.guardrails.external_scps.iter().enumerate() {
        for (j, t) in e.targets.iter().enumerate() {
            resolve(
                out,
                &Ptr::item("guardrails", "external_scps", i)
                    .field("targets")
                    .index(j)
                    .to_string(),
                t,
                &targets,
                "OU or account",
            );
        }
    }
    for (i, n) in bp.networks.iter().enumerate() {
        resolve(
            out,
            &Ptr::network(i).field("account").to_string(),
            &n.account,
            &accounts,
            "account",
        );
    }
    for (i, p) in bp.bedrock.mantle_projects.iter().enumerate() {
        resolve(
            out,
            &Ptr::mantle_project(i).field("account").to_string(),
            &p.account,
            &accounts,
            "account",
        );
    }
}

/// TM023: an assignment names exactly one principal.
fn principal(out: &mut Vec<Diagnostic>, a: &Assignment, at: Ptr) {
    if a.group.is_some() == a.user.is_some() {
        out.push(no_single_principal(at));
    }
}

/// TM023's diagnostic, also what resolution reports if an assignment reached it without one
/// principal.
pub(crate) fn no_single_principal(at: impl Into<String>) -> Diagnostic {
    Diagnostic::error(
        codes::PRINCIPAL,
        at,
        "an assignment needs exactly one of `group` and `user`",
    )
    .at_key()
    .with_help(
        "name an Identity Center group (`group: pilot-developers`); groups keep access \
            reviewable",
    )
}

/// TM021: a name that must resolve to something the blueprint declares.
fn resolve(out: &mut Vec<Diagnostic>, pointer: &str, name: &str, valid: &Choices, what: &str) {
    if !valid.contains(name) {
        out.push(unknown_reference(pointer, what, name).with_help(help_for(
            name,
            &valid.list,
            what,
        )));
    }
}

/// TM021's diagnostic, also what resolution reports if a name reached it unresolved (the
/// checks refuse it first, with a suggestion).
pub(crate) fn unknown_reference(pointer: impl Into<String>, what: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        codes::UNKNOWN_REFERENCE,
        pointer,
        format!("unknown {what} `{name}`"),
    )
    .with_label(format!("no {what} has this name"))
}

/// TM022: each OU whose chain of parents loops.
fn ou_cycles(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let parent: BTreeMap<&str, &str> = bp
        .organizational_units
        .iter()
        .filter_map(|o| o.parent.as_deref().map(|p| (o.name.as_str(), p)))
        .collect();
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        let mut at = ou.name.as_str();
        for _ in 0..=parent.len() {
            match parent.get(at) {
                Some(p) if *p == ou.name => {
                    out.push(ou_cycle(i, &ou.name));
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }
}

/// TM022's diagnostic, also what resolution reports if OUs in a loop reached it.
pub(crate) fn ou_cycle(i: usize, ou: &str) -> Diagnostic {
    Diagnostic::error(
        codes::OU_CYCLE,
        Ptr::ou(i).field("parent"),
        format!("organizational unit `{ou}` is its own ancestor"),
    )
    .with_help("point one OU of the loop at the root by removing its `parent`")
}
