//! Organizational units and member accounts, created in the management account.

use super::build::Context;
use super::value::{Attr, Name, Value};
use super::{Adoption, Kind};
use crate::blueprint::{Account, Blueprint};

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let root = Value::lit(&bp.organization.root_id);
    // Existing OUs first: created ones may nest under them.
    for ou in bp.organizational_units.iter().filter(|o| o.id.is_some()) {
        cx.ou_ids.insert(
            ou.name.clone(),
            Value::lit(ou.id.clone().unwrap_or_default()),
        );
    }
    // Parents are created before children whatever the blueprint order: resolve in passes.
    let mut pending: Vec<_> = bp
        .organizational_units
        .iter()
        .filter(|o| o.id.is_none())
        .collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|ou| {
            let parent = match &ou.parent {
                None => root.clone(),
                Some(p) => match cx.ou_ids.get(p) {
                    Some(v) => v.clone(),
                    None => return true,
                },
            };
            let name = Name::new(&["ou", &ou.name]);
            cx.management().add(
                name.clone(),
                Kind::OrganizationalUnit {
                    name: ou.name.clone(),
                    parent,
                },
            );
            cx.ou_ids
                .insert(ou.name.clone(), Value::reference(&name, Attr::Id));
            false
        });
        assert!(
            pending.len() < before,
            "checks rejected OU cycles and unknown parents"
        );
    }
    for account in &bp.accounts {
        let id = match (&account.id, moves(bp, account)) {
            (Some(id), None) => Value::lit(id),
            (id, from) => {
                let name = Name::new(&["account", &account.name]);
                let parent = cx.ou_ids[&account.ou].clone();
                let adopted = id.clone().zip(from).map(|(id, from)| Adoption { id, from });
                // Organizations creates the role only in accounts it creates.
                let role_name = Some(bp.guardrails.privileged_role.clone())
                    .filter(|r| r != super::ACCOUNT_ACCESS_ROLE && adopted.is_none());
                let unit = cx.management();
                unit.add(
                    name.clone(),
                    Kind::Account {
                        name: account.name.clone(),
                        email: account.email.clone(),
                        parent,
                        role_name,
                        adopted: adopted.clone(),
                        // Removing an account from the landing zone takes it out of the
                        // organization; closing it would lose its resources and history, a
                        // decision no blueprint change should make.
                        close_on_deletion: false,
                    },
                );
                match adopted {
                    // Its id is known: everything else keeps using it as it is.
                    Some(a) => Value::lit(a.id),
                    None => {
                        let id = Value::reference(&name, Attr::AccountId);
                        unit.output(
                            Name::new(&["account_id", &account.name]),
                            format!("Id of account {}", account.name),
                            id.clone(),
                        );
                        id
                    }
                }
            }
        };
        cx.account_ids.insert(account.name.clone(), id);
    }
}

/// Where an existing account must be moved from to reach its OU, when it must: it names a
/// `current_parent` that is not its OU's id (the OU tarmac creates has no id yet, so any
/// current parent differs). Checks (TM063) make every existing account of a created OU name
/// one, so an account this returns `None` for is created, or already in its OU.
pub fn moves(bp: &Blueprint, account: &Account) -> Option<String> {
    account.id.as_ref()?;
    let from = account.current_parent.as_ref()?;
    let target = bp
        .organizational_units
        .iter()
        .find(|o| o.name == account.ou)
        .and_then(|o| o.id.as_ref());
    (target != Some(from)).then(|| from.clone())
}
