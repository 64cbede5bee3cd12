//! Names that must be unique and names that must resolve.

use std::collections::{BTreeMap, HashMap};

use super::{choices, help_for, Choices};
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::naming::Name;

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
        .map(|(i, o)| (format!("/organizational_units/{i}/name"), o.name.clone()))
        .collect();
    let account_names: Vec<(String, String)> = bp
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("/accounts/{i}/name"), a.name.clone()))
        .collect();
    let set_names: Vec<(String, String)> = bp
        .identity_center
        .permission_sets
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("/identity_center/permission_sets/{i}/name"),
                p.name.clone(),
            )
        })
        .collect();
    for (what, names) in [
        ("organizational unit", &ou_names),
        ("account", &account_names),
        ("permission set", &set_names),
    ] {
        unique(out, what, names.iter().cloned());
        collisions(out, what, names);
    }
    // The management account's units are `management` and `management-<region>`; a member's
    // are `<account>-<region>`: an account named `management` would share a unit name (and its
    // stack, module and folder) with the management account's.
    for (pointer, name) in &account_names {
        if name == "management" {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    pointer.clone(),
                    "the account name `management` is reserved",
                )
                .with_label("tarmac names the management account's stacks and modules `management`")
                .with_help("rename the account, for example to `management-pilot`"),
            );
        }
    }
    // Subscribing one address twice means nothing (the local part's case aside, which no mail
    // system tarmac's users run distinguishes).
    let alert_emails: Vec<(String, String)> = bp
        .budgets
        .alert_emails
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("/budgets/alert_emails/{i}"), e.to_ascii_lowercase()))
        .collect();
    unique(out, "alert email", alert_emails.into_iter());
    for (n, network) in bp.networks.iter().enumerate() {
        unique(
            out,
            "endpoint",
            network.endpoints.iter().enumerate().map(|(i, e)| {
                (
                    format!("/networks/{n}/endpoints/{i}"),
                    e.suffix().to_owned(),
                )
            }),
        );
    }
    unique(
        out,
        "account email",
        bp.accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("/accounts/{i}/email"), a.email.to_ascii_lowercase())),
    );
    unique(
        out,
        "account id",
        bp.accounts
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.id.clone().map(|id| (format!("/accounts/{i}/id"), id))),
    );
    unique(
        out,
        "Mantle project",
        bp.bedrock.mantle_projects.iter().enumerate().map(|(i, p)| {
            (
                format!("/bedrock/mantle_projects/{i}/name"),
                format!("{}/{}", p.account, p.name),
            )
        }),
    );
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        if let Some(parent) = &ou.parent {
            resolve(
                out,
                &format!("/organizational_units/{i}/parent"),
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
            &format!("/accounts/{i}/ou"),
            &a.ou,
            &ous,
            "organizational unit",
        );
        if a.id.as_deref() == Some(bp.organization.management_account_id.as_str()) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    format!("/accounts/{i}/id"),
                    "a member \
                    account cannot be the management account",
                )
                .with_help(
                    "the pilot runs in member accounts; SCPs and StackSets never apply \
                        to the management account",
                ),
            );
        }
    }
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        let at = format!("/identity_center/assignments/{i}");
        resolve(
            out,
            &format!("{at}/permission_set"),
            &a.permission_set,
            &sets,
            "permission set",
        );
        for (j, acct) in a.accounts.iter().enumerate() {
            resolve(
                out,
                &format!("{at}/accounts/{j}"),
                acct,
                &accounts,
                "account",
            );
        }
        if a.group.is_some() == a.user.is_some() {
            out.push(
                Diagnostic::error(
                    codes::PRINCIPAL,
                    at,
                    "an assignment needs exactly one of \
                    `group` and `user`",
                )
                .at_key()
                .with_help(
                    "name an Identity Center group (`group: pilot-developers`); groups \
                        keep access reviewable",
                ),
            );
        }
    }
    let targets = choices(ous.list.iter().chain(&accounts.list).map(String::as_str));
    for (i, t) in bp.guardrails.targets.iter().enumerate() {
        resolve(
            out,
            &format!("/guardrails/targets/{i}"),
            t,
            &targets,
            "OU or account",
        );
    }
    for (i, e) in bp.guardrails.external_scps.iter().enumerate() {
        for (j, t) in e.targets.iter().enumerate() {
            resolve(
                out,
                &format!("/guardrails/external_scps/{i}/targets/{j}"),
                t,
                &targets,
                "OU or account",
            );
        }
    }
    for (i, n) in bp.networks.iter().enumerate() {
        resolve(
            out,
            &format!("/networks/{i}/account"),
            &n.account,
            &accounts,
            "account",
        );
    }
    for (i, p) in bp.bedrock.mantle_projects.iter().enumerate() {
        resolve(
            out,
            &format!("/bedrock/mantle_projects/{i}/account"),
            &p.account,
            &accounts,
            "account",
        );
    }
}

/// Reports every repeat of a name after its first use.
/// Names that differ only in case or punctuation: they would become the same CloudFormation
/// logical id (PascalCase, letters and digits) and Terraform label (snake_case).
fn collisions(out: &mut Vec<Diagnostic>, what: &str, names: &[(String, String)]) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (pointer, name) in names {
        let key = Name::new(&[name]).pascal();
        match seen.get(key.as_str()) {
            Some(first) if *first != name => out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    pointer.clone(),
                    format!(
                        "{what} `{name}` and `{first}` would get the same resource name `{key}`"
                    ),
                )
                .with_help("names must differ in more than case and punctuation; rename one"),
            ),
            _ => {
                seen.insert(key, name);
            }
        }
    }
}

fn unique(out: &mut Vec<Diagnostic>, what: &str, items: impl Iterator<Item = (String, String)>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (pointer, name) in items {
        if let Some(first) = seen.get(&name) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    pointer,
                    format!("duplicate {what} `{name}`"),
                )
                .with_label("used again here")
                .with_help(format!(
                    "{what}s must be unique; the first one is at {}",
                    crate::blueprint::load::describe(first)
                )),
            );
        } else {
            seen.insert(name, pointer);
        }
    }
}

fn resolve(out: &mut Vec<Diagnostic>, pointer: &str, name: &str, valid: &Choices, what: &str) {
    if !valid.contains(name) {
        out.push(
            Diagnostic::error(
                codes::UNKNOWN_REFERENCE,
                pointer,
                format!("unknown {what} `{name}`"),
            )
            .with_label(format!("no {what} has this name"))
            .with_help(help_for(name, &valid.list, what)),
        );
    }
}

/// Reports each OU whose chain of parents loops.
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
                    out.push(
                        Diagnostic::error(
                            codes::OU_CYCLE,
                            format!("/organizational_units/{i}/parent"),
                            format!("organizational unit `{}` is its own ancestor", ou.name),
                        )
                        .with_help("point one OU of the loop at the root by removing its `parent`"),
                    );
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }
}
